//! The server feature over real sockets: the generated Evo Voice `router` (with the example
//! server's store and authentication) and a hand-built `ServiceRouter` for the cases the
//! contract has no operation for (void, panics, wildcards, any-verb routes), driven with plain
//! HTTP/1.1 written by hand, so nothing here depends on an HTTP client's own habits. Access,
//! auth endpoints, batches, raw responses, uploads and the production basics are in
//! `server_features.rs`.

#[path = "../generated/examples/sessions_server/app.rs"]
#[allow(dead_code)]
mod app;
#[path = "support/http.rs"]
#[allow(dead_code)]
mod http;

use std::net::SocketAddr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use http::{raw, send, serve, serve_service, Reply, DEMO, GUEST};
use ssdto::server::{Access, HttpError, ServiceRouter};
use ssdto::{Method, Request, Route, Void};

async fn get(addr: SocketAddr, path: &str) -> Reply {
    send(addr, "GET", path, &[("Authorization", DEMO)], None).await
}

async fn post(addr: SocketAddr, path: &str, body: &str) -> Reply {
    send(
        addr,
        "POST",
        path,
        &[
            ("Authorization", DEMO),
            ("Content-Type", "application/json"),
        ],
        Some(body),
    )
    .await
}

fn ids(reply: &Reply) -> Vec<String> {
    assert_eq!(
        reply.status,
        200,
        "{:?}",
        String::from_utf8_lossy(&reply.body)
    );
    reply.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

// ---------------------------------------------------------------- Evo Voice, generated router

/// `into_service` answers as `into_router` does: the same status, headers (but `date`) and
/// body for operations on their routes and on `/api`, errors, credentials, CORS, other formats,
/// batches and the contract's documents. Where an answer holds the time (a new session), the
/// status and content type are compared.
#[tokio::test]
async fn the_router_served_as_a_service_answers_as_the_axum_router() {
    let auth = || app::auth(&[7; 32], true);
    let router = serve(app::routes(auth()).into_router()).await;
    let service = serve_service(app::routes(auth()).into_service()).await;
    let demo: &[(&str, &str)] = &[("Authorization", DEMO)];
    let json: &[(&str, &str)] = &[
        ("Authorization", DEMO),
        ("Content-Type", "application/json"),
    ];
    let origin: &[(&str, &str)] = &[("Authorization", DEMO), ("Origin", "https://a.example")];
    let preflight: &[(&str, &str)] = &[
        ("Origin", "https://a.example"),
        ("Access-Control-Request-Method", "POST"),
    ];
    let new_session = r#"{"displayName":"x","channel":"Voice","toAddress":"y"}"#;
    // Method, path, headers, body, and whether the whole answer is compared.
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a [(&'a str, &'a str)],
        Option<&'a str>,
        bool,
    );
    let cases: &[Case] = &[
        ("GET", "/sessions/s1", demo, None, true),
        ("HEAD", "/sessions/s1", demo, None, true),
        ("GET", "/api/GetSession?sessionId=s1", demo, None, true),
        ("GET", "/API/getsession?SESSIONID=s1", demo, None, true),
        ("GET", "/sessions/active", demo, None, true),
        ("GET", "/sessions?page=0&countPerPage=2", demo, None, true),
        ("GET", "/sessions/nope", demo, None, true),
        ("GET", "/sessions/s1", &[], None, true),
        (
            "GET",
            "/sessions/s1",
            &[("Authorization", GUEST)],
            None,
            true,
        ),
        ("POST", "/sessions", json, Some(new_session), false),
        ("POST", "/api/NewSession", json, Some("{not json"), true),
        (
            "POST",
            "/api/GetSession[]",
            json,
            Some(r#"[{"sessionId":"s1"},{"sessionId":"nope"}]"#),
            true,
        ),
        ("DELETE", "/sessions", demo, None, true),
        ("GET", "/nowhere", &[], None, true),
        ("OPTIONS", "/sessions", preflight, None, true),
        ("GET", "/sessions/s1", origin, None, true),
        (
            "GET",
            "/xml/reply/GetSession?sessionId=s1",
            demo,
            None,
            true,
        ),
        ("GET", "/types/metadata", &[], None, true),
    ];
    for &(method, path, headers, body, whole) in cases {
        let a = send(router, method, path, headers, body).await;
        let b = send(service, method, path, headers, body).await;
        let case = format!("{method} {path}");
        assert_eq!(a.status, b.status, "{case}");
        if whole {
            let head = |r: &Reply| -> Vec<(String, String)> {
                let mut h: Vec<_> = r
                    .headers
                    .iter()
                    .filter(|(n, _)| n != "date")
                    .cloned()
                    .collect();
                h.sort();
                h
            };
            assert_eq!(head(&a), head(&b), "{case}");
            assert_eq!(a.body, b.body, "{case}");
        } else {
            assert_eq!(a.header("content-type"), b.header("content-type"), "{case}");
        }
    }
}

#[tokio::test]
async fn every_operation_on_its_declared_route() {
    let addr = serve(app::routes(app::auth(&[7; 32], true)).into_router()).await;

    let list = get(addr, "/sessions").await;
    assert_eq!(
        list.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let body = list.json();
    assert_eq!(body["totalCount"], 7);
    assert_eq!(body["totalPages"], 1);
    assert_eq!(body["hasMorePages"], false);
    // camelCase on the wire, absent options left out
    assert!(body["items"][0]["callState"].is_string());
    assert!(body["items"][0].get("CallState").is_none());

    let active = get(addr, "/sessions/active").await;
    assert_eq!(active.status, 200);
    let active: Vec<String> = active.json()["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(active, ["s2", "s3", "s4", "s7"]);

    let one = get(addr, "/sessions/s3").await;
    assert_eq!(one.status, 200);
    assert_eq!(one.json()["id"], "s3");
    assert_eq!(one.json()["direction"], "Incoming");

    let created = post(
        addr,
        "/sessions",
        r#"{"channel":"Voice","toAddress":"+15550000000","displayName":"Test call"}"#,
    )
    .await;
    assert_eq!(created.status, 200, "{:?}", created.json());
    let created = created.json();
    assert_eq!(created["displayName"], "Test call");
    assert_eq!(created["direction"], "Outgoing");
    assert_eq!(created["callState"], "Connected");
    assert_eq!(created["createdBy"], "demo");
    let id = created["id"].as_str().unwrap();
    assert_eq!(get(addr, &format!("/sessions/{id}")).await.json(), created);
}

#[tokio::test]
async fn api_and_json_reply_forms_take_any_verb() {
    let addr = serve(app::routes(app::auth(&[7; 32], true)).into_router()).await;
    let a = get(addr, "/api/GetSession?sessionId=s1").await;
    assert_eq!(a.json()["id"], "s1");
    let b = post(addr, "/json/reply/GetSession", r#"{"sessionId":"s2"}"#).await;
    assert_eq!(b.json()["id"], "s2");
    let c = send(
        addr,
        "PUT",
        "/API/getsession",
        &[("Authorization", DEMO)],
        Some(r#"{"SessionId":"s4"}"#),
    )
    .await;
    assert_eq!(c.json()["id"], "s4");
    let list = post(addr, "/api/ListSessions", r#"{"accountIds":["acc2"]}"#).await;
    assert_eq!(ids(&list), ["s4", "s5", "s7"]);
    let created = get(
        addr,
        "/json/reply/NewSession?channel=Chat&withAddress=user:u1",
    )
    .await;
    assert_eq!(created.status, 200);
    assert_eq!(created.json()["channel"], "Chat");
    let missing = get(addr, "/api/NoSuchOperation").await.status_body(404);
    assert_eq!(missing["errorCode"], "NotFound");
}

#[tokio::test]
async fn query_decoding_as_servicestack_does_it() {
    let addr = serve(app::routes(app::auth(&[7; 32], true)).into_router()).await;
    // keys in any case, lists with and without brackets, repeated keys
    assert_eq!(
        ids(&get(addr, "/sessions?ACCOUNTIDS=acc2").await),
        ["s4", "s5", "s7"]
    );
    assert_eq!(
        ids(&get(
            addr,
            "/sessions?accountIds=[acc1,acc2]&customerIds=cust1,cust4"
        )
        .await),
        ["s1", "s2", "s7"]
    );
    assert_eq!(
        ids(&get(addr, "/sessions?endpointIds=ep1&endpointIds=ep4").await),
        ["s1", "s3", "s5"]
    );
    // a bare key is null: no filter
    assert_eq!(ids(&get(addr, "/sessions?accountIds&from").await).len(), 7);
    // numbers and booleans from text
    let paged = get(addr, "/sessions?page=1&countPerPage=3").await;
    assert_eq!(ids(&paged), ["s4", "s5", "s6"]);
    assert_eq!(paged.json()["totalPages"], 3);
    assert_eq!(paged.json()["hasMorePages"], true);
    let all = get(addr, "/sessions?all=true&countPerPage=2").await;
    assert_eq!(ids(&all).len(), 7);
    assert_eq!(all.json()["hasMorePages"], false);
    // percent-encoding and `+`
    assert_eq!(
        ids(&get(addr, "/sessions?from=ALICE%40example").await),
        ["s2", "s6"]
    );
    assert_eq!(
        ids(&get(addr, "/sessions?log=answered+by").await),
        ["s1", "s7"]
    );
}

#[tokio::test]
async fn list_filters_sorting_and_paging() {
    let addr = serve(app::routes(app::auth(&[7; 32], true)).into_router()).await;
    let cases: &[(&str, &[&str])] = &[
        ("to=9990000", &["s1", "s3"]),
        ("from=%2B1555000", &["s1", "s7"]),
        (
            "startDate=2024-01-07&endDate=2024-02-01",
            &["s3", "s4", "s5"],
        ),
        ("endDate=2024-01-05", &["s1"]),
        ("parentSessionId=s2", &["s4", "s6"]),
        ("log=VOICEMAIL", &["s5"]),
        ("specificIds=s7,s1", &["s1", "s7"]),
        (
            "sortField=id&sortOrder=Descend&countPerPage=3",
            &["s7", "s6", "s5"],
        ),
        (
            "sortField=ToAddress&accountIds=acc1",
            &["s2", "s6", "s1", "s3"],
        ),
        (
            "sortField=callState&sortOrder=Ascend&accountIds=acc2",
            &["s7", "s5", "s4"],
        ),
        ("page=5", &[]),
    ];
    for (query, expected) in cases {
        let reply = get(addr, &format!("/sessions?{query}")).await;
        assert_eq!(ids(&reply), *expected, "{query}");
    }
    let simplified = get(addr, "/sessions?simplifiedPaging=true&countPerPage=5").await;
    let body = simplified.json();
    assert_eq!(
        (body["totalCount"].clone(), body["totalPages"].clone()),
        (json!(0), json!(0))
    );
    assert_eq!(body["hasMorePages"], true);
    let last = get(
        addr,
        "/sessions?simplifiedPaging=true&countPerPage=5&page=1",
    )
    .await;
    assert_eq!(last.json()["hasMorePages"], false);
    let past = get(addr, "/sessions?simplifiedPaging=true&page=9").await;
    assert_eq!(past.json()["items"], json!([]));

    for (query, field) in [
        ("sortField=nope", "sortField"),
        ("startDate=yesterday", "startDate"),
        ("page=-1", "page"),
        ("page=two", "page"),
        ("all=maybe", "all"),
    ] {
        let rs = get(addr, &format!("/sessions?{query}"))
            .await
            .status_body(400);
        assert_eq!(rs["errors"][0]["fieldName"], field, "{query}: {rs}");
    }
}

#[tokio::test]
async fn errors_carry_servicestack_statuses() {
    let addr = serve(app::routes(app::auth(&[7; 32], true)).into_router()).await;

    let anonymous = send(addr, "GET", "/sessions", &[], None).await;
    let rs = anonymous.status_body(401);
    assert_eq!(rs["errorCode"], "Unauthorized");
    assert!(anonymous
        .header("www-authenticate")
        .unwrap()
        .starts_with("credentials realm="));
    let wrong = send(
        addr,
        "GET",
        "/sessions",
        &[("Authorization", "Basic ZGVtbzp4")],
        None,
    )
    .await;
    wrong.status_body(401);
    let bearer = send(
        addr,
        "GET",
        "/sessions/s1",
        &[("Authorization", "Bearer demo-token")],
        None,
    )
    .await;
    assert_eq!(bearer.status, 200);

    let forbidden = send(
        addr,
        "GET",
        "/sessions/active",
        &[("Authorization", GUEST)],
        None,
    )
    .await;
    assert_eq!(forbidden.status_body(403)["errorCode"], "Forbidden");
    let guest_read = send(
        addr,
        "GET",
        "/sessions/s1",
        &[("Authorization", GUEST)],
        None,
    )
    .await;
    assert_eq!(guest_read.status, 200);

    let rs = get(addr, "/sessions/nope").await.status_body(404);
    assert_eq!(rs["message"], "Session 'nope' does not exist");
    get(addr, "/no/such/path").await.status_body(404);

    let wrong_verb = send(
        addr,
        "DELETE",
        "/sessions",
        &[("Authorization", DEMO)],
        None,
    )
    .await;
    wrong_verb.status_body(405);
    assert_eq!(wrong_verb.header("allow"), Some("GET, HEAD, POST"));
    let wrong_verb = send(
        addr,
        "POST",
        "/sessions/s1",
        &[("Authorization", DEMO)],
        Some("{}"),
    )
    .await;
    assert_eq!(wrong_verb.header("allow"), Some("GET, HEAD"));

    let invalid = post(
        addr,
        "/sessions",
        r#"{"channel":"Voice","parentSessionId":"zz"}"#,
    )
    .await;
    let rs = invalid.status_body(400);
    assert_eq!(rs["errorCode"], "NotEmpty");
    let fields: Vec<&str> = rs["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fieldName"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["toAddress", "parentSessionId"]);
    let bad_enum = post(addr, "/sessions", r#"{"channel":"Pigeon","toAddress":"x"}"#).await;
    assert_eq!(
        bad_enum.status_body(400)["errors"][0]["fieldName"],
        "channel"
    );
}

#[tokio::test]
async fn malformed_and_oversized_bodies_answer_not_hang() {
    let addr = serve(app::routes(app::auth(&[7; 32], true)).into_router()).await;
    for body in ["{", "[1,2]", "\"text\"", "{\"channel\":}", "\u{0}\u{1}"] {
        let rs = post(addr, "/sessions", body).await.status_body(400);
        assert_eq!(rs["errorCode"], "RequestBindingException", "{body}");
    }
    let wrong_type = post(
        addr,
        "/sessions",
        r#"{"startSession":"perhaps","toAddress":"x"}"#,
    )
    .await;
    assert_eq!(
        wrong_type.status_body(400)["errors"][0]["fieldName"],
        "startSession"
    );
    // JSON whatever the Content-Type says
    let text_plain = send(
        addr,
        "POST",
        "/sessions",
        &[("Authorization", DEMO), ("Content-Type", "text/plain")],
        Some(r#"{"channel":"Fax","destination":"+1555"}"#),
    )
    .await;
    assert_eq!(text_plain.status, 200);
    assert_eq!(text_plain.json()["channel"], "Fax");

    // The declared length alone is refused; the server reads and drops the body before it
    // answers, so a client still sending it gets the 413 rather than a broken pipe.
    let mut big = format!(
        "POST /sessions HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: {DEMO}\r\n\
         Content-Length: {}\r\n\r\n",
        ssdto::server::DEFAULT_BODY_LIMIT + 1
    )
    .into_bytes();
    big.resize(big.len() + ssdto::server::DEFAULT_BODY_LIMIT + 1, b' ');
    let rs = raw(addr, &big).await.status_body(413);
    assert_eq!(rs["errorCode"], "RequestEntityTooLarge");

    // Not HTTP at all: hyper answers 400 and closes rather than waiting.
    let garbage = raw(addr, b"\x16\x03\x01 nonsense\r\n\r\n").await;
    assert_eq!(garbage.status, 400);
}

// ---------------------------------------------------------------- hand-built ServiceRouter

#[derive(Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
struct Echo {
    id: String,
    page: i32,
    ratio: f64,
    flag: bool,
    names: Option<Vec<String>>,
    numbers: Vec<i64>,
    note: Option<String>,
    path: Option<String>,
}

impl Request for Echo {
    type Response = Echo;
    const OPERATION: &'static str = "Echo";
    const METHOD: Method = Method::Post;
    const ROUTES: &'static [Route] = &[
        Route {
            path: "/echo/{Id}",
            verbs: &[Method::Post, Method::Put],
        },
        Route {
            path: "/echo/{Id}/files/{Path*}",
            verbs: &[],
        },
    ];
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Forget {
    id: String,
}

impl Request for Forget {
    type Response = Void;
    const OPERATION: &'static str = "Forget";
    const METHOD: Method = Method::Delete;
    const ROUTES: &'static [Route] = &[Route {
        path: "/echo/{Id}",
        verbs: &[Method::Delete],
    }];
    const RETURNS_VOID: bool = true;
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Special {
    id: String,
}

impl Request for Special {
    type Response = Value;
    const OPERATION: &'static str = "Special";
    const METHOD: Method = Method::Get;
    // Declared after `/echo/{Id}` but more literal, so it wins for this path.
    const ROUTES: &'static [Route] = &[Route {
        path: "/ECHO/special",
        verbs: &[Method::Get, Method::Post],
    }];
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Explode {}

impl Request for Explode {
    type Response = Value;
    const OPERATION: &'static str = "Explode";
    const METHOD: Method = Method::Get;
}

struct Svc;

async fn test_router() -> SocketAddr {
    let app = ServiceRouter::new(Arc::new(Svc))
        .body_limit(256)
        .operation(Access::PUBLIC, |_: Arc<Svc>, req: Echo, _| async move {
            Ok(req)
        })
        .operation(Access::PUBLIC, |_: Arc<Svc>, req: Forget, _| async move {
            if req.id == "missing" {
                Err(HttpError::not_found("no such echo"))
            } else {
                Ok(Void)
            }
        })
        .operation(Access::PUBLIC, |_: Arc<Svc>, _: Special, _| async move {
            Ok(json!({"special": true}))
        })
        .operation(Access::PUBLIC, |_: Arc<Svc>, _: Explode, _| async move {
            if true {
                panic!("kaboom");
            }
            Ok(Value::Null)
        })
        .into_router();
    serve(app).await
}

#[tokio::test]
async fn body_query_and_path_merge_with_path_winning() {
    let addr = test_router().await;
    let reply = send(
        addr,
        "POST",
        "/echo/from-path?PAGE=3&names=[a,%22b,c%22]&flag=TRUE&id=from-query",
        &[],
        Some(r#"{"Id":"from-body","page":1,"ratio":"0.25","note":"body","numbers":[1,2]}"#),
    )
    .await;
    assert_eq!(
        reply.json(),
        json!({"id":"from-path","page":3,"ratio":0.25,"flag":true,"names":["a","b,c"],
               "numbers":[1,2],"note":"body","path":null})
    );
    // a bare key nulls what the body sent
    let reply = send(
        addr,
        "PUT",
        "/echo/x?note&numbers",
        &[],
        Some(r#"{"note":"n","numbers":[5]}"#),
    )
    .await;
    assert_eq!(
        reply.json(),
        json!({"id":"x","page":0,"ratio":0.0,"flag":false,"names":null,"numbers":[],"note":null,"path":null})
    );
    // wildcard route, any verb, decoded segments
    let reply = send(
        addr,
        "PATCH",
        "/echo/e1/files/a%20b/c.txt?page=2",
        &[],
        None,
    )
    .await;
    assert_eq!(reply.json()["path"], "a b/c.txt");
    assert_eq!(reply.json()["page"], 2);
    // a form body is fields like the query string
    let reply = send(
        addr,
        "POST",
        "/echo/f",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some("numbers=4,5&note=a+b"),
    )
    .await;
    assert_eq!(reply.json()["numbers"], json!([4, 5]));
    assert_eq!(reply.json()["note"], "a b");
}

#[tokio::test]
async fn routing_precedence_void_and_verbs() {
    let addr = test_router().await;
    let special = send(addr, "GET", "/echo/special", &[], None).await;
    assert_eq!(special.json(), json!({"special": true}));
    let special = send(addr, "POST", "/echo/SPECIAL/", &[], Some("{}")).await;
    assert_eq!(special.json(), json!({"special": true}));
    // PUT is not a verb of /echo/special, but /echo/{Id} takes it
    let echo = send(addr, "PUT", "/echo/special", &[], None).await;
    assert_eq!(echo.json()["id"], "special");

    let gone = send(addr, "DELETE", "/echo/e1", &[], None).await;
    assert_eq!(gone.status, 204);
    assert!(gone.body.is_empty());
    let rs = send(addr, "DELETE", "/echo/missing", &[], None)
        .await
        .status_body(404);
    assert_eq!(rs["message"], "no such echo");
    let verbs = send(addr, "GET", "/echo/e1", &[], None).await;
    verbs.status_body(405);
    assert_eq!(verbs.header("allow"), Some("DELETE, POST, PUT"));
    // a void operation answers 204 on /api too
    assert_eq!(
        send(addr, "POST", "/api/Forget", &[], Some(r#"{"id":"a"}"#))
            .await
            .status,
        204
    );
}

#[tokio::test]
async fn a_panicking_service_answers_500_and_the_server_lives_on() {
    let addr = test_router().await;
    let rs = send(addr, "GET", "/api/Explode", &[], None)
        .await
        .status_body(500);
    assert_eq!(rs["errorCode"], "Exception");
    assert_eq!(rs["message"], "kaboom");
    let after = send(
        addr,
        "POST",
        "/api/Echo",
        &[],
        Some(r#"{"id":"still here"}"#),
    )
    .await;
    assert_eq!(after.json()["id"], "still here");
}

#[tokio::test]
async fn body_limit_applies_to_declared_and_chunked_lengths() {
    let addr = test_router().await;
    let body = format!(r#"{{"note":"{}"}}"#, "y".repeat(300));
    send(addr, "POST", "/api/Echo", &[], Some(&body))
        .await
        .status_body(413);
    let chunk = "z".repeat(300);
    let chunked = format!(
        "POST /api/Echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
        chunk.len()
    );
    raw(addr, chunked.as_bytes()).await.status_body(413);
    let small = format!(
        "POST /api/Echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{}\r\n0\r\n\r\n",
        12, r#"{"id":"ok!"}"#
    );
    assert_eq!(raw(addr, small.as_bytes()).await.json()["id"], "ok!");
}
