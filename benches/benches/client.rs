//! The typed client against hand-written reqwest code (`cargo bench -p ssdto-benches --bench
//! client`): ListSessions (a page of 30 sessions, about 32 KB), GetSession and NewSession, sent
//! by both to the same loopback server, which answers fixed JSON so the client's own work is
//! what differs.
//!
//! First a paired run: each call timed alone and its allocations on the calling thread counted
//! (the server runs on another thread), in alternating blocks, printed as ratios of the typed
//! client to reqwest (median, p99, allocations, bytes). Then the same calls as divan benches.

use std::future::Future;

use ssdto::client::JsonServiceClient;
use ssdto_benches::alloc::Counting;
use ssdto_benches::handwritten::{self, canned_router};
use ssdto_benches::stats::{self, paired};
use ssdto_benches::{new_session, Loopback, PAGE};
use ssdto_generated::evovoice_sessions as evo;

#[global_allocator]
static ALLOC: Counting = Counting;

/// Paired rounds and calls per block; 2 x 40 x 250 calls per operation.
const ROUNDS: usize = 40;
const BLOCK: usize = 250;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

struct Sides {
    typed: JsonServiceClient,
    reqwest: handwritten::Client,
    list: evo::ListSessions,
    get: evo::GetSession,
    new: evo::NewSession,
}

impl Sides {
    fn new(base: &str) -> Sides {
        Sides {
            typed: JsonServiceClient::new(base).expect("a client"),
            reqwest: handwritten::Client::new(base),
            list: evo::ListSessions {
                count_per_page: PAGE as i32,
                ..Default::default()
            },
            get: evo::GetSession {
                session_id: "s1".into(),
            },
            new: new_session(),
        }
    }

    /// Both sides send the same URL and get the same values, or the comparison means nothing.
    fn check(&self, rt: &tokio::runtime::Runtime) {
        let typed_url = self
            .typed
            .url_for(ssdto::Method::Get, &self.list)
            .expect("a url");
        assert!(typed_url.ends_with("/api/ListSessions?page=0&all=false&countPerPage=30&sortOrder=Ascend&simplifiedPaging=false&searchArchive=false"), "{typed_url}");
        rt.block_on(async {
            let a = self.typed.send(&self.list).await.expect("typed");
            let b = self
                .reqwest
                .list_sessions(0, PAGE as i32)
                .await
                .expect("reqwest");
            assert_eq!(a, b);
            assert_eq!(a.items.as_ref().map(Vec::len), Some(PAGE));
            let a = self.typed.send(&self.get).await.expect("typed");
            let b = self.reqwest.get_session("s1").await.expect("reqwest");
            assert_eq!(a, b);
            let a = self.typed.send(&self.new).await.expect("typed");
            let b = self.reqwest.new_session(&self.new).await.expect("reqwest");
            assert_eq!(a, b);
        });
    }
}

fn run<F: Future<Output = Result<T, E>>, T, E: std::fmt::Debug>(
    rt: &tokio::runtime::Runtime,
    f: F,
) -> T {
    rt.block_on(f).expect("the call succeeds")
}

fn main() {
    if std::env::var_os("SSDTO_BENCH_DIVAN_ONLY").is_some() {
        return divan::main();
    }
    let server = Loopback::serve(canned_router());
    let rt = runtime();
    let sides = Sides::new(&server.base);
    sides.check(&rt);
    println!("typed client / hand-written reqwest, same loopback server, one run");
    println!("load average before: {}", stats::load());
    println!("{}", stats::HEADER);
    let (mut a, mut b) = paired(
        ROUNDS,
        BLOCK,
        || drop(run(&rt, sides.typed.send(&sides.list))),
        || drop(run(&rt, sides.reqwest.list_sessions(0, PAGE as i32))),
    );
    println!("{}", stats::row("ListSessions", &mut a, &mut b));
    let (mut a, mut b) = paired(
        ROUNDS,
        BLOCK,
        || drop(run(&rt, sides.typed.send(&sides.get))),
        || drop(run(&rt, sides.reqwest.get_session("s1"))),
    );
    println!("{}", stats::row("GetSession", &mut a, &mut b));
    let (mut a, mut b) = paired(
        ROUNDS,
        BLOCK,
        || drop(run(&rt, sides.typed.send(&sides.new))),
        || drop(run(&rt, sides.reqwest.new_session(&sides.new))),
    );
    println!("{}", stats::row("NewSession", &mut a, &mut b));
    // The noise floor: reqwest against a second reqwest client, as the pairs above.
    let other = handwritten::Client::new(&server.base);
    let (mut a, mut b) = paired(
        ROUNDS,
        BLOCK,
        || drop(run(&rt, other.get_session("s1"))),
        || drop(run(&rt, sides.reqwest.get_session("s1"))),
    );
    println!(
        "{}",
        stats::row("GetSession, reqwest / reqwest", &mut a, &mut b)
    );
    println!("load average after: {}\n", stats::load());
    drop(server);
    divan::main();
}

/// The divan benches: one loopback server and runtime per bench.
fn bench(bencher: divan::Bencher, call: impl Fn(&tokio::runtime::Runtime, &Sides)) {
    let server = Loopback::serve(canned_router());
    let rt = runtime();
    let sides = Sides::new(&server.base);
    sides.check(&rt);
    bencher.bench_local(|| call(&rt, &sides));
}

mod typed {
    use super::*;

    #[divan::bench]
    fn list_sessions(bencher: divan::Bencher) {
        bench(bencher, |rt, s| drop(run(rt, s.typed.send(&s.list))));
    }

    #[divan::bench]
    fn get_session(bencher: divan::Bencher) {
        bench(bencher, |rt, s| drop(run(rt, s.typed.send(&s.get))));
    }

    #[divan::bench]
    fn new_session(bencher: divan::Bencher) {
        bench(bencher, |rt, s| drop(run(rt, s.typed.send(&s.new))));
    }
}

mod reqwest {
    use super::*;

    #[divan::bench]
    fn list_sessions(bencher: divan::Bencher) {
        bench(bencher, |rt, s| {
            drop(run(rt, s.reqwest.list_sessions(0, PAGE as i32)))
        });
    }

    #[divan::bench]
    fn get_session(bencher: divan::Bencher) {
        bench(bencher, |rt, s| drop(run(rt, s.reqwest.get_session("s1"))));
    }

    #[divan::bench]
    fn new_session(bencher: divan::Bencher) {
        bench(bencher, |rt, s| {
            drop(run(rt, s.reqwest.new_session(&s.new)))
        });
    }
}
