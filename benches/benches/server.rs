//! The generated router against hand-written axum handlers (`cargo bench -p ssdto-benches
//! --bench server`), in process: each request goes through `tower::ServiceExt::oneshot` on the
//! bench thread, no sockets, and its response body is read whole. Both sides serve the same
//! store ([`Store`]) with the same requests: ListSessions (a page of 30), GetSession and
//! NewSession on `/api/{Name}`.
//!
//! Twice: with auth off (the generated router's operations registered as public, the
//! hand-written handlers checking nothing), and with auth on (the generated `router` with an
//! HTTP Basic authenticator, the handlers checking the same header with the same function and
//! building the same signed-in user: id, name and one role).
//! Printed as ratios of generated to hand-written (median, p99, allocations, bytes), then the
//! bytes still allocated after many requests (memory must stay flat), then divan benches.

use axum::body::Body;
use axum::http::{header, Request};
use ssdto_benches::alloc::{live_bytes, Counting, Counts};
use ssdto_benches::handwritten::{self, basic_header};
use ssdto_benches::ours::{generated, generated_with};
use ssdto_benches::stats::{self, paired};
use ssdto_benches::{new_session, Store, PAGE};
use tower::ServiceExt as _;

#[global_allocator]
static ALLOC: Counting = Counting;

const ROUNDS: usize = 40;
const BLOCK: usize = 250;

#[derive(Clone, Copy, Debug)]
enum Op {
    List,
    Get,
    New,
}

impl Op {
    const ALL: [Op; 3] = [Op::List, Op::Get, Op::New];

    fn name(self) -> &'static str {
        match self {
            Op::List => "ListSessions",
            Op::Get => "GetSession",
            Op::New => "NewSession",
        }
    }
}

/// The request for `op`, as the typed client sends it.
fn request(op: Op, auth: bool, new_body: &[u8]) -> Request<Body> {
    let builder = match op {
        Op::List => Request::get(format!("/api/ListSessions?page=0&countPerPage={PAGE}")),
        Op::Get => Request::get("/api/GetSession?sessionId=s1"),
        Op::New => {
            Request::post("/api/NewSession").header(header::CONTENT_TYPE, "application/json")
        }
    };
    let builder = builder.header(header::ACCEPT, "application/json");
    let builder = if auth {
        builder.header(header::AUTHORIZATION, basic_header())
    } else {
        builder
    };
    let body = match op {
        Op::New => Body::from(new_body.to_vec()),
        _ => Body::empty(),
    };
    builder.body(body).expect("a request")
}

/// One request through `router`, its body read whole.
fn call(
    rt: &tokio::runtime::Runtime,
    router: &axum::Router,
    request: Request<Body>,
) -> (u16, axum::body::Bytes) {
    rt.block_on(async {
        let response = router.clone().oneshot(request).await.expect("infallible");
        let status = response.status().as_u16();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        (status, body)
    })
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

/// Both routers answer every request alike (as JSON values; key order may differ).
fn check(
    rt: &tokio::runtime::Runtime,
    ours: &axum::Router,
    theirs: &axum::Router,
    auth: bool,
    body: &[u8],
) {
    for op in Op::ALL {
        let (s1, b1) = call(rt, ours, request(op, auth, body));
        let (s2, b2) = call(rt, theirs, request(op, auth, body));
        assert_eq!((s1, s2), (200, 200), "{op:?}");
        let v1: serde_json::Value = serde_json::from_slice(&b1).expect("json");
        let v2: serde_json::Value = serde_json::from_slice(&b2).expect("json");
        assert_eq!(v1, v2, "{op:?}");
    }
    if auth {
        let (s1, _) = call(rt, ours, request(Op::Get, false, body));
        let (s2, _) = call(rt, theirs, request(Op::Get, false, body));
        assert_eq!((s1, s2), (401, 401));
    }
}

fn main() {
    if std::env::var_os("SSDTO_BENCH_DIVAN_ONLY").is_some() {
        return divan::main();
    }
    let rt = runtime();
    let body = serde_json::to_vec(&new_session()).expect("json");
    if let Ok(spec) = std::env::var("SSDTO_BENCH_LOOP") {
        return run_loop(&rt, &spec, &body);
    }
    println!("generated router / hand-written axum handlers, in process (oneshot), one run");
    for auth in [false, true] {
        let ours = generated(Store::new(), auth);
        let theirs = handwritten::router(Store::new(), auth);
        check(&rt, &ours, &theirs, auth, &body);
        println!(
            "\nauth {}; load average before: {}",
            if auth { "on" } else { "off" },
            stats::load()
        );
        println!("{}", stats::HEADER);
        for op in Op::ALL {
            let (mut a, mut b) = paired(
                ROUNDS,
                BLOCK,
                || drop(call(&rt, &ours, request(op, auth, &body))),
                || drop(call(&rt, &theirs, request(op, auth, &body))),
            );
            println!("{}", stats::row(op.name(), &mut a, &mut b));
        }
        if !auth {
            // Where the difference goes: the same router without its request timeout.
            let untimed = generated_with(Store::new(), false, false);
            let (mut a, mut b) = paired(
                ROUNDS,
                BLOCK,
                || drop(call(&rt, &untimed, request(Op::Get, auth, &body))),
                || drop(call(&rt, &theirs, request(Op::Get, auth, &body))),
            );
            println!("{}", stats::row("GetSession, no timeout", &mut a, &mut b));
        }
        println!("load average after: {}", stats::load());
    }
    println!("\nbytes still allocated after each block of 100 000 GetSession requests (auth on):");
    for (name, router) in [
        ("generated", generated(Store::new(), true)),
        ("hand-written", handwritten::router(Store::new(), true)),
    ] {
        let mut samples = Vec::new();
        for _ in 0..4 {
            for _ in 0..100_000 {
                drop(call(&rt, &router, request(Op::Get, true, &body)));
            }
            samples.push(live_bytes());
        }
        println!("{name}: {samples:?} bytes");
    }
    println!();
    divan::main();
}

/// `SSDTO_BENCH_LOOP=SIDE,OP,AUTH,N` (`ours` or `axum`, `list`, `get` or `new`, `on` or `off`,
/// a count): only N requests of one side, for a profiler (`perf record`, `perf stat -e
/// instructions`, `valgrind --tool=callgrind`); the instructions per request of both sides,
/// each measured alone, give a ratio that the machine's load does not change.
fn run_loop(rt: &tokio::runtime::Runtime, spec: &str, body: &[u8]) {
    let fields: Vec<&str> = spec.split(',').collect();
    let [side, op, auth, count] = fields[..] else {
        panic!("SSDTO_BENCH_LOOP={spec}: expected SIDE,OP,AUTH,N");
    };
    let op = match op {
        "list" => Op::List,
        "get" => Op::Get,
        "new" => Op::New,
        _ => panic!("SSDTO_BENCH_LOOP: OP is list, get or new, not {op}"),
    };
    let auth = auth == "on";
    let router = match side {
        "ours" => generated(Store::new(), auth),
        "axum" => handwritten::router(Store::new(), auth),
        _ => panic!("SSDTO_BENCH_LOOP: SIDE is ours or axum, not {side}"),
    };
    let count: usize = count.parse().expect("SSDTO_BENCH_LOOP: N is a count");
    let before = Counts::now();
    for _ in 0..count {
        drop(call(rt, &router, request(op, auth, body)));
    }
    let spent = Counts::since(before);
    println!(
        "{side} {op:?} auth {auth}: {count} requests, {:.1} allocations and {:.0} bytes each",
        spent.allocations as f64 / count as f64,
        spent.bytes as f64 / count as f64
    );
}

fn bench(bencher: divan::Bencher, router: axum::Router, op: Op, auth: bool) {
    let rt = runtime();
    let body = serde_json::to_vec(&new_session()).expect("json");
    bencher
        .with_inputs(|| request(op, auth, &body))
        .bench_local_values(|request| call(&rt, &router, request));
}

#[divan::bench(args = Op::ALL)]
fn generated_router(bencher: divan::Bencher, op: Op) {
    bench(bencher, generated(Store::new(), false), op, false);
}

#[divan::bench(args = Op::ALL)]
fn handwritten_axum(bencher: divan::Bencher, op: Op) {
    bench(bencher, handwritten::router(Store::new(), false), op, false);
}

#[divan::bench(args = Op::ALL)]
fn generated_router_auth(bencher: divan::Bencher, op: Op) {
    bench(bencher, generated(Store::new(), true), op, true);
}

#[divan::bench(args = Op::ALL)]
fn handwritten_axum_auth(bencher: divan::Bencher, op: Op) {
    bench(bencher, handwritten::router(Store::new(), true), op, true);
}
