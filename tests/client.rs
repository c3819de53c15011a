//! The typed client (`ssdto::client`) against an HTTP/1.1 server on loopback that each test
//! starts for itself: every Evo Voice operation's exact request line, headers, query and body,
//! each route strategy, ServiceStack error bodies, void replies, tolerant responses, auth and
//! timeouts.
//!
//! What the official clients send, which these tests hold the Rust client to:
//!
//! - Path: the TypeScript client (`@servicestack/client`, src/index.ts) builds
//!   `createUrlFromDto(method, request)` as `combinePaths(replyBaseUrl, nameOf(request))`, with
//!   `replyBaseUrl` = `{baseUrl}/json/reply/` by default and `{baseUrl}/api/` after
//!   `useBasePath('/api')`, which the ServiceStack v6+ templates use; the Python client
//!   (`servicestack` on PyPI, servicestack/clients.py) does the same with
//!   `urljoin(reply_base_url, nameof(request))`. So `/api/{Name}` (default here) and
//!   `/json/reply/{Name}` (`RouteStrategy::JsonReply`).
//! - Query vs body: both clients call `hasRequestBody(method)` / `has_request_body(method)`,
//!   false for GET, DELETE, HEAD and OPTIONS; those verbs get every non-null property appended
//!   with `appendQueryString(url, request)` / `append_querystring(url, to_dict(request))`, in
//!   property order (base class first), `name=value` joined by `&`. Other verbs send the DTO as
//!   JSON (`JSON.stringify` / `to_json`) with `Content-Type: application/json`.
//! - Values: booleans lower-case (`qsvalue`: `f"{arg}".lower()`), numbers as text, enums by
//!   name. Lists: the TypeScript client sends `encodeURIComponent(['a','b'])` = `a%2Cb`, the
//!   Python one `[a,b]`; ServiceStack reads `a,b`, `a%2Cb` and `[a,b]` alike (JSV list
//!   parsing), and ssdto writes `a,b` with elements that hold a comma quoted, so the value
//!   reaches the server intact.
//! - Fields: the TypeScript client skips `undefined` properties and the Python client `None`
//!   ones. Value-type properties (`page: int = 0`, `all: bool = False` in the Python DTOs) are
//!   always present in the Python client's query; the generated Rust types make them
//!   non-optional too, so they are always sent, as Python sends them.
//! - Headers: `Accept: application/json` on every request (Python's default headers);
//!   `Content-Type: application/json` only with a body (Python pops it for body-less verbs).
//! - Auth: `createRequest` sets `Authorization: Bearer {bearerToken}`, else
//!   `Authorization: Basic base64(user:password)` (Python: `_resend_request`); API keys travel
//!   as the bearer token.
//! - Cookies: with `manageCookies` the TypeScript client stores `Set-Cookie` values and sends
//!   them back as `Cookie: name=value; name=value`.
//! - Errors: Python's `_handle_error` reads the body as a DTO with a `responseStatus`, falling
//!   back to `errorCode` = the status code and `message` = the reason phrase.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use ssdto::client::{Error, JsonServiceClient, RouteStrategy};
use ssdto::query::split_list;
use ssdto::{Method, Request, Route, Void};
use ssdto_generated::evovoice_sessions::*;

#[path = "support/loopback.rs"]
mod loopback;

use loopback::{Framing, Recorded, Reply, TestServer};

fn payload(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("payloads/evovoice")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn user_agent() -> String {
    format!("ssdto/{}", env!("CARGO_PKG_VERSION"))
}

/// The request the issue names: page 2, 10 per page, accounts `a` and `b`.
fn list_sessions() -> ListSessions {
    ListSessions {
        page: 2,
        count_per_page: 10,
        account_ids: Some(vec!["a".into(), "b".into()]),
        ..Default::default()
    }
}

/// Every field set in property order, base class (`ListRequest`) first, as Python's
/// `to_dict` walks a dataclass; the value-type fields the request leaves at their default
/// (`all`, `sortOrder`, `simplifiedPaging`, `searchArchive`) are sent as Python sends them.
const LIST_SESSIONS_QUERY: &str = "page=2&all=false&countPerPage=10&sortOrder=Ascend&simplifiedPaging=false&accountIds=a,b&searchArchive=false";

fn new_session() -> NewSession {
    NewSession {
        display_name: Some("Front desk".into()),
        channel: FlowChannels::Voice,
        to_address: Some("+15551234567".into()),
        member_email_addresses: Some(vec!["ann@example.com".into()]),
        start_session: true,
        ..Default::default()
    }
}

/// camelCase keys in declaration order, null fields left out: what `JSON.stringify` of the
/// TypeScript DTO (`new NewSession({...})`) and Python's `to_json` write for the same values.
const NEW_SESSION_BODY: &str = r#"{"displayName":"Front desk","channel":"Voice","toAddress":"+15551234567","memberEmailAddresses":["ann@example.com"],"startSession":true}"#;

fn get_session(id: &str) -> GetSession {
    GetSession {
        session_id: id.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Each operation, as the official clients send it.

#[tokio::test]
async fn list_sessions_goes_to_api_with_fields_in_the_query() {
    let server = TestServer::replying(Reply::json(200, payload("ListSessions.response.json")));
    let list = server.client().send(&list_sessions()).await.unwrap();
    assert_eq!(list.items.as_ref().map(Vec::len), Some(1));
    assert_eq!(
        list.items.unwrap()[0].call_state,
        SessionCallState::Disconnected
    );

    let req = server.only_request();
    assert_eq!(
        req.request_line(),
        format!("GET /api/ListSessions?{LIST_SESSIONS_QUERY} HTTP/1.1")
    );
    assert_eq!(req.header("accept"), Some("application/json"));
    assert_eq!(req.header("user-agent"), Some(user_agent().as_str()));
    assert_eq!(req.header("content-type"), None, "GET carries no body");
    assert_eq!(req.header("authorization"), None);
    assert_eq!(req.header("cookie"), None);
    assert!(req.body.is_empty());
    // The server side reads the list back element by element.
    let query = req.query();
    assert_eq!(split_list(&query["accountIds"]).unwrap(), ["a", "b"]);
    assert_eq!(query["page"], "2");
}

#[tokio::test]
async fn list_values_that_hold_commas_or_spaces_reach_the_server_intact() {
    let server = TestServer::replying(Reply::json(200, "{}"));
    let req = ListSessions {
        account_ids: Some(vec!["a,b".into(), "c d".into(), "e&f=g".into()]),
        from: Some("+1 555".into()),
        ..Default::default()
    };
    server.client().get(&req).await.unwrap();
    let recorded = server.only_request();
    assert!(
        recorded
            .target
            .contains("&accountIds=%22a,b%22,c%20d,e%26f%3Dg&"),
        "{}",
        recorded.target
    );
    let query = recorded.query();
    assert_eq!(
        split_list(&query["accountIds"]).unwrap(),
        ["a,b", "c d", "e&f=g"]
    );
    assert_eq!(query["from"], "+1 555");
}

#[tokio::test]
async fn get_active_sessions_has_no_query() {
    let server = TestServer::replying(Reply::json(200, payload("GetActiveSessions.response.json")));
    let active = server.client().send(&GetActiveSessions {}).await.unwrap();
    assert!(!active.sessions.unwrap_or_default().is_empty());
    assert_eq!(
        server.only_request().request_line(),
        "GET /api/GetActiveSessions HTTP/1.1"
    );
}

#[tokio::test]
async fn get_session_goes_to_api_with_the_id_in_the_query() {
    let server = TestServer::replying(Reply::json(200, payload("GetSession.response.json")));
    let session = server.client().send(&get_session("s1")).await.unwrap();
    assert!(session.id.is_some());
    assert_eq!(
        server.only_request().request_line(),
        "GET /api/GetSession?sessionId=s1 HTTP/1.1"
    );
}

#[tokio::test]
async fn new_session_posts_a_camel_case_json_body() {
    let server = TestServer::replying(Reply::json(200, payload("NewSession.response.json")));
    let created = server.client().send(&new_session()).await.unwrap();
    assert!(created.id.is_some());

    let req = server.only_request();
    assert_eq!(req.request_line(), "POST /api/NewSession HTTP/1.1");
    assert_eq!(req.header("content-type"), Some("application/json"));
    assert_eq!(req.header("accept"), Some("application/json"));
    assert_eq!(
        req.header("content-length"),
        Some(NEW_SESSION_BODY.len().to_string().as_str())
    );
    assert_eq!(req.body_text(), NEW_SESSION_BODY);
}

#[tokio::test]
async fn new_session_sample_body_goes_out_as_the_docs_show_it() {
    // The request body on the Evo Voice NewSession page, read and sent again.
    let sample: Value = serde_json::from_str(&payload("NewSession.request.json")).unwrap();
    let request: NewSession = serde_json::from_value(sample.clone()).unwrap();
    let server = TestServer::replying(Reply::json(200, "{}"));
    server.client().send(&request).await.unwrap();
    let sent: Value = serde_json::from_slice(&server.only_request().body).unwrap();
    assert_eq!(sent, sample);
}

// ---------------------------------------------------------------------------------------------
// Route strategies.

#[tokio::test]
async fn json_reply_strategy() {
    let server = TestServer::replying(Reply::json(200, "{}"));
    let client = server.client_with(RouteStrategy::JsonReply);
    client.send(&get_session("s1")).await.unwrap();
    client.send(&new_session()).await.unwrap();
    client.send(&list_sessions()).await.unwrap();
    let lines: Vec<String> = server
        .requests()
        .iter()
        .map(Recorded::request_line)
        .collect();
    assert_eq!(
        lines,
        [
            "GET /json/reply/GetSession?sessionId=s1 HTTP/1.1".to_owned(),
            "POST /json/reply/NewSession HTTP/1.1".to_owned(),
            format!("GET /json/reply/ListSessions?{LIST_SESSIONS_QUERY} HTTP/1.1"),
        ]
    );
}

#[tokio::test]
async fn declared_route_strategy() {
    let server = TestServer::replying(Reply::json(200, "{}"));
    let client = server.client_with(RouteStrategy::Declared);
    client.send(&get_session("s1")).await.unwrap();
    // A value that would change the path's shape is escaped into one segment.
    client.send(&get_session("a/../b c")).await.unwrap();
    client.send(&GetActiveSessions {}).await.unwrap();
    client.send(&list_sessions()).await.unwrap();
    client.send(&new_session()).await.unwrap();
    // No declared route fits an empty id, so it goes to the predefined route.
    client.send(&get_session("")).await.unwrap();
    // Nor a verb the routes do not allow.
    client.delete(&get_session("s1")).await.unwrap();

    let requests = server.requests();
    let lines: Vec<String> = requests.iter().map(Recorded::request_line).collect();
    assert_eq!(
        lines,
        [
            "GET /sessions/s1 HTTP/1.1".to_owned(),
            "GET /sessions/a%2F..%2Fb%20c HTTP/1.1".to_owned(),
            "GET /sessions/active HTTP/1.1".to_owned(),
            format!("GET /sessions?{LIST_SESSIONS_QUERY} HTTP/1.1"),
            "POST /sessions HTTP/1.1".to_owned(),
            "GET /api/GetSession?sessionId= HTTP/1.1".to_owned(),
            "DELETE /api/GetSession?sessionId=s1 HTTP/1.1".to_owned(),
        ]
    );
    assert_eq!(requests[4].body_text(), NEW_SESSION_BODY);
}

#[tokio::test]
async fn forced_verbs_move_fields_between_query_and_body() {
    let server = TestServer::replying(Reply::json(200, "{}"));
    let client = server.client();
    client.post(&get_session("s1")).await.unwrap();
    client.put(&get_session("s1")).await.unwrap();
    client.patch(&get_session("s1")).await.unwrap();
    client.get(&new_session()).await.unwrap();
    client
        .send_as(Method::Delete, &get_session("s1"))
        .await
        .unwrap();
    let requests = server.requests();
    let summary: Vec<(String, &str)> = requests
        .iter()
        .map(|r| (r.request_line(), r.body_text()))
        .collect();
    assert_eq!(
        summary,
        [
            ("POST /api/GetSession HTTP/1.1".into(), r#"{"sessionId":"s1"}"#),
            ("PUT /api/GetSession HTTP/1.1".into(), r#"{"sessionId":"s1"}"#),
            ("PATCH /api/GetSession HTTP/1.1".into(), r#"{"sessionId":"s1"}"#),
            (
                "GET /api/NewSession?displayName=Front%20desk&channel=Voice&toAddress=%2B15551234567&memberEmailAddresses=ann%40example.com&startSession=true HTTP/1.1".into(),
                ""
            ),
            ("DELETE /api/GetSession?sessionId=s1 HTTP/1.1".into(), ""),
        ]
    );
    assert_eq!(requests[3].header("content-type"), None);
}

#[tokio::test]
async fn base_url_path_prefix_is_kept() {
    let server = TestServer::replying(Reply::json(200, "{}"));
    let client = JsonServiceClient::new(&format!("{}/voice/", server.url)).unwrap();
    client.send(&get_session("s1")).await.unwrap();
    assert_eq!(
        server.only_request().target,
        "/voice/api/GetSession?sessionId=s1"
    );
}

// ---------------------------------------------------------------------------------------------
// Errors.

#[tokio::test]
async fn validation_errors_expose_field_errors() {
    // ServiceStack's default (camelCase) error body for a failed validator.
    let body = json!({"responseStatus": {
        "errorCode": "NotEmpty",
        "message": "'Session Id' must not be empty.",
        "errors": [
            {"errorCode": "NotEmpty", "fieldName": "SessionId",
             "message": "'Session Id' must not be empty.", "meta": {"PropertyName": "Session Id"}}
        ]
    }});
    let server = TestServer::replying(Reply::json(400, body.to_string()));
    let err = server.client().send(&get_session("")).await.unwrap_err();
    assert_eq!(err.status(), Some(400));
    let field = err.field_error("sessionId").expect("field error");
    assert_eq!(field.error_code.as_deref(), Some("NotEmpty"));
    assert_eq!(field.meta.as_ref().unwrap()["PropertyName"], "Session Id");
    assert!(err.field_error("page").is_none());
    let Error::Service(service) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(service.error_code(), Some("NotEmpty"));
    assert_eq!(
        err.to_string(),
        "HTTP 400: NotEmpty: 'Session Id' must not be empty. (SessionId: 'Session Id' must not be empty. [NotEmpty])"
    );
}

#[tokio::test]
async fn unauthorized_with_an_empty_body() {
    let server = TestServer::replying(
        Reply::text(401, "text/plain", "")
            .with_header("WWW-Authenticate", "Basic realm=\"/auth/basic\""),
    );
    let err = server.client().send(&list_sessions()).await.unwrap_err();
    let Error::Service(service) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(service.status, 401);
    assert_eq!(service.error_code(), Some("401"));
    assert_eq!(service.message(), Some("Unauthorized"));
    assert_eq!(service.excerpt, "");
}

#[tokio::test]
async fn not_found_with_a_pascal_case_body() {
    let body = r#"{"ResponseStatus":{"ErrorCode":"NotFound","Message":"Session s9 not found","Errors":[]}}"#;
    let server = TestServer::replying(Reply::json(404, body));
    let err = server.client().send(&get_session("s9")).await.unwrap_err();
    let status = err.response_status().unwrap();
    assert_eq!(status.error_code.as_deref(), Some("NotFound"));
    assert_eq!(status.message.as_deref(), Some("Session s9 not found"));
    assert_eq!(err.to_string(), "HTTP 404: NotFound: Session s9 not found");
}

#[tokio::test]
async fn server_error_with_a_stack_trace_inside_a_typed_response() {
    // A response DTO that has its own ResponseStatus carries the error beside its fields.
    let body = r#"{"sessions":null,"responseStatus":{"errorCode":"NullReferenceException","message":"Object reference not set","stackTrace":"at Voice.Api.SessionService.Get()"}}"#;
    let server = TestServer::replying(Reply::json(500, body));
    let err = server
        .client()
        .send(&GetActiveSessions {})
        .await
        .unwrap_err();
    let status = err.response_status().unwrap();
    assert_eq!(err.status(), Some(500));
    assert_eq!(status.error_code.as_deref(), Some("NullReferenceException"));
    assert_eq!(
        status.stack_trace.as_deref(),
        Some("at Voice.Api.SessionService.Get()")
    );
}

#[tokio::test]
async fn error_body_that_is_not_json_keeps_an_excerpt() {
    let page = format!(
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>{}</body></html>",
        "x".repeat(1000)
    );
    let server = TestServer::replying(Reply::text(502, "text/html", &page));
    let err = server.client().send(&get_session("s1")).await.unwrap_err();
    let Error::Service(service) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(service.error_code(), Some("502"));
    assert_eq!(service.message(), Some("Bad Gateway"));
    assert!(service
        .excerpt
        .starts_with("<html> <head><title>502 Bad Gateway</title></head> <body>xxx"));
    assert!(service.excerpt.ends_with('…'));
    assert!(service.excerpt.len() <= ssdto::client::EXCERPT_BYTES + '…'.len_utf8());
}

#[tokio::test]
async fn success_with_a_body_that_is_not_the_response_is_a_decode_error() {
    let server = TestServer::replying(Reply::text(200, "text/html", "<html>maintenance</html>"));
    let err = server.client().send(&get_session("s1")).await.unwrap_err();
    match &err {
        Error::Decode {
            status, excerpt, ..
        } => {
            assert_eq!(*status, 200);
            assert_eq!(excerpt, "<html>maintenance</html>");
        }
        other => panic!("{other:?}"),
    }
    // A 204 for an operation that returns something is not a response either.
    let server = TestServer::replying(Reply::text(204, "text/plain", ""));
    let err = server.client().send(&get_session("s1")).await.unwrap_err();
    assert!(matches!(err, Error::Decode { status: 204, .. }), "{err:?}");
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    // Bind and release a port so nothing listens on it.
    let addr: SocketAddr = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let client = JsonServiceClient::new(&format!("http://{addr}")).unwrap();
    let err = client.send(&get_session("s1")).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(!err.is_timeout());
    assert_eq!(err.status(), None);
    assert!(err.to_string().starts_with("transport error: "), "{err}");
}

#[tokio::test]
async fn timeout() {
    let mut slow = Reply::json(200, "{}");
    slow.delay = Duration::from_millis(1500);
    let server = TestServer::replying(slow);
    let client = JsonServiceClient::builder(&server.url)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.send(&get_session("s1")).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(1400));
}

// ---------------------------------------------------------------------------------------------
// The response size limit.

/// The limit the tests set, small so the bodies stay small.
const LIMIT: usize = 1024;

/// An operation whose response is any JSON.
#[derive(serde::Serialize)]
struct GetBlob {}

impl Request for GetBlob {
    type Response = Value;
    const OPERATION: &'static str = "GetBlob";
    const METHOD: Method = Method::Get;
}

/// A JSON document of exactly `len` bytes: `{"data":"xxx…"}`.
fn json_of_len(len: usize) -> String {
    let doc = format!(r#"{{"data":"{}"}}"#, "x".repeat(len - 11));
    assert_eq!(doc.len(), len);
    doc
}

/// What a call under the limit should give.
#[derive(Debug)]
enum Expect {
    /// The response, with `data` this long.
    Read(usize),
    /// `Error::TooLarge` with this status and declared length.
    TooLarge(u16, Option<u64>),
}

/// Replies at and around [`LIMIT`], with and without `Content-Length`, and what a client
/// limited to it should make of them.
fn limit_cases() -> Vec<(&'static str, Reply, Expect)> {
    let big = json_of_len(64 * 1024);
    let html = format!(
        "<html><body><h1>Internal Server Error</h1>{}</body></html>",
        "<p>stack frame</p>".repeat(2000)
    );
    vec![
        (
            "exactly the limit, Content-Length",
            Reply::json(200, json_of_len(LIMIT)),
            Expect::Read(LIMIT - 11),
        ),
        (
            "exactly the limit, chunked",
            Reply::json(200, json_of_len(LIMIT)).framed(Framing::Chunked),
            Expect::Read(LIMIT - 11),
        ),
        (
            "one byte over, Content-Length",
            Reply::json(200, json_of_len(LIMIT + 1)),
            Expect::TooLarge(200, Some(LIMIT as u64 + 1)),
        ),
        (
            "one byte over, chunked",
            Reply::json(200, json_of_len(LIMIT + 1)).framed(Framing::Chunked),
            Expect::TooLarge(200, None),
        ),
        (
            "64 KiB, Content-Length",
            Reply::json(200, big.clone()),
            Expect::TooLarge(200, Some(big.len() as u64)),
        ),
        (
            "64 KiB, chunked",
            Reply::json(200, big).framed(Framing::Chunked),
            Expect::TooLarge(200, None),
        ),
        (
            "a huge error page, chunked",
            Reply::text(500, "text/html", &html).framed(Framing::Chunked),
            Expect::TooLarge(500, None),
        ),
        (
            "a huge error page, Content-Length",
            Reply::text(500, "text/html", &html),
            Expect::TooLarge(500, Some(html.len() as u64)),
        ),
        // The server claims 10 MB and sends two bytes: only a client that goes by the
        // header (rather than reading first) reports TooLarge instead of a broken reply.
        (
            "a Content-Length over the limit is rejected before reading",
            Reply::json(200, "{}").framed(Framing::Claimed(10_000_000)),
            Expect::TooLarge(200, Some(10_000_000)),
        ),
    ]
}

fn check_limit(case: &str, result: Result<Value, Error>, expect: &Expect) {
    match (expect, result) {
        (Expect::Read(len), Ok(value)) => {
            assert_eq!(value["data"].as_str().map(str::len), Some(*len), "{case}");
        }
        (Expect::TooLarge(want_status, want_length), Err(err)) => {
            let Error::TooLarge {
                status,
                limit,
                content_length,
                excerpt,
            } = &err
            else {
                panic!("{case}: {err:?}")
            };
            assert_eq!(
                (*status, *limit, *content_length),
                (*want_status, LIMIT, *want_length),
                "{case}"
            );
            assert_eq!(err.status(), Some(*want_status), "{case}");
            if want_length.is_some() {
                // Rejected from the header: nothing was read.
                assert_eq!(excerpt, "", "{case}");
            } else {
                // Read up to the limit: the excerpt shows the start of the body.
                let start = if *status == 500 {
                    "<html>"
                } else {
                    r#"{"data":"xxx"#
                };
                assert!(excerpt.starts_with(start), "{case}: {excerpt}");
                assert!(excerpt.ends_with('…'), "{case}: {excerpt}");
            }
            let text = err.to_string();
            assert!(
                text.starts_with(&format!(
                    "the HTTP {status} response body is larger than the limit of {LIMIT} bytes"
                )),
                "{case}: {text}"
            );
        }
        (expect, result) => panic!("{case}: expected {expect:?}, got {result:?}"),
    }
}

#[tokio::test]
async fn response_bodies_over_the_limit_fail_with_too_large() {
    for (case, reply, expect) in limit_cases() {
        let server = TestServer::replying(reply);
        let client = JsonServiceClient::builder(&server.url)
            .max_response_bytes(LIMIT)
            .build()
            .unwrap();
        check_limit(case, client.send(&GetBlob {}).await, &expect);
        // send_void reads (and limits) the body too, if only to report errors.
        let void = client.send_void(&GetBlob {}).await;
        match expect {
            Expect::Read(_) => void.unwrap(),
            Expect::TooLarge(..) => {
                let err = void.unwrap_err();
                assert!(matches!(err, Error::TooLarge { .. }), "{case}: {err:?}");
            }
        }
        assert_eq!(server.requests().len(), 2, "{case}");
    }
}

#[tokio::test]
async fn the_default_limit_reads_large_responses() {
    let body = json_of_len(256 * 1024);
    for framing in [Framing::ContentLength, Framing::Chunked] {
        let server = TestServer::replying(Reply::json(200, body.clone()).framed(framing));
        let value = server.client().send(&GetBlob {}).await.unwrap();
        assert_eq!(value["data"].as_str().map(str::len), Some(body.len() - 11));
    }
}

// ---------------------------------------------------------------------------------------------
// Void operations.

/// A void operation, as generated for `IReturnVoid` requests.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct EndSession {
    session_id: String,
}

impl Request for EndSession {
    type Response = Void;
    const OPERATION: &'static str = "EndSession";
    const METHOD: Method = Method::Delete;
    const ROUTES: &'static [Route] = &[Route {
        path: "/sessions/{sessionId}",
        verbs: &[Method::Delete],
    }];
    const RETURNS_VOID: bool = true;
}

#[tokio::test]
async fn void_operations_accept_204_and_empty_bodies() {
    let end = EndSession {
        session_id: "s1".into(),
    };
    for reply in [
        Reply::text(204, "text/plain", ""),
        Reply::json(200, ""),
        Reply::json(200, "{}"),
    ] {
        let server = TestServer::replying(reply);
        let client = server.client_with(RouteStrategy::Declared);
        assert_eq!(client.send(&end).await.unwrap(), Void);
        client.send_void(&end).await.unwrap();
        let lines: Vec<String> = server
            .requests()
            .iter()
            .map(Recorded::request_line)
            .collect();
        assert_eq!(lines, ["DELETE /sessions/s1 HTTP/1.1"; 2]);
    }
    // send_void on an operation with a response ignores whatever the body is.
    let server = TestServer::replying(Reply::json(200, payload("GetSession.response.json")));
    server.client().send_void(&get_session("s1")).await.unwrap();
    // And still reports errors.
    let server = TestServer::replying(Reply::json(404, ""));
    let err = server.client().send_void(&end).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
}

// ---------------------------------------------------------------------------------------------
// Tolerant responses.

#[tokio::test]
async fn pascal_case_responses() {
    let server = TestServer::replying(Reply::json(
        200,
        payload("GetSession.response.pascal-case.json"),
    ));
    let session = server.client().send(&get_session("s1")).await.unwrap();
    assert_eq!(session.call_state, SessionCallState::Connected);
    assert_eq!(session.account_name.as_deref(), Some("Northwind Dental"));
    let breadcrumb = session.customer_breadcrumb.unwrap();
    assert_eq!(breadcrumb[0].name.as_deref(), Some("Northwind Group"));
}

#[tokio::test]
async fn unknown_enum_values_and_fields() {
    let server = TestServer::start(|req| {
        let name = if req.query().get("all").map(String::as_str) == Some("true") {
            "ListSessions.response.unknown-fields.json"
        } else {
            "ListSessions.response.unknown-enum.json"
        };
        Reply::json(200, payload(name))
    });
    let client = server.client();
    let list = client.send(&list_sessions()).await.unwrap();
    let first = &list.items.unwrap()[0];
    assert_eq!(first.call_state.as_str(), "Transferring");
    assert!(matches!(first.call_state, SessionCallState::Unknown(_)));
    assert_eq!(first.channel.as_str(), "Video");

    let all = ListSessions {
        all: true,
        ..Default::default()
    };
    let list = client.send(&all).await.unwrap();
    assert!(!list.items.unwrap_or_default().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Auth and headers.

#[tokio::test]
async fn basic_auth_header() {
    let server = TestServer::replying(Reply::json(200, "{}"));
    let client = JsonServiceClient::builder(&server.url)
        .basic_auth("admin", "p@ss")
        .build()
        .unwrap();
    client.send(&get_session("s1")).await.unwrap();
    // base64("admin:p@ss")
    assert_eq!(
        server.only_request().header("authorization"),
        Some("Basic YWRtaW46cEBzcw==")
    );
}

#[tokio::test]
async fn bearer_token_api_key_and_extra_headers() {
    let server = TestServer::replying(Reply::json(200, "{}"));
    let client = JsonServiceClient::builder(&server.url)
        .api_key("ak_live_123")
        .header("X-Tenant", "northwind")
        .user_agent("evo-sync/1.2")
        .build()
        .unwrap();
    client.send(&new_session()).await.unwrap();
    let req = server.only_request();
    assert_eq!(req.header("authorization"), Some("Bearer ak_live_123"));
    assert_eq!(req.header("x-tenant"), Some("northwind"));
    assert_eq!(req.header("user-agent"), Some("evo-sync/1.2"));
}

#[tokio::test]
async fn credentials_sign_in_keeps_session_cookies() {
    let server = TestServer::start(|req| {
        if req.path() == "/auth/credentials" {
            Reply::json(
                200,
                r#"{"userId":"42","sessionId":"sess-1","userName":"ann","displayName":"Ann","bearerToken":null}"#,
            )
            .with_header("Set-Cookie", "ss-id=sess-1; path=/; samesite=strict; httponly")
            .with_header(
                "Set-Cookie",
                "ss-pid=perm-1; expires=Fri, 01 Jan 2100 00:00:00 GMT; path=/; samesite=strict; httponly",
            )
            .with_header("Set-Cookie", "ss-opt=perm; expires=Fri, 01 Jan 2100 00:00:00 GMT; path=/")
        } else if req.path() == "/api/Logout" {
            Reply::json(200, "{}").with_header(
                "Set-Cookie",
                "ss-id=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/",
            )
        } else {
            Reply::json(200, "{}")
        }
    });
    let client = server.client();
    let session = client.authenticate("ann", "secret").await.unwrap();
    assert_eq!(session.user_id.as_deref(), Some("42"));
    assert_eq!(session.session_id.as_deref(), Some("sess-1"));
    assert_eq!(client.cookie("ss-pid").as_deref(), Some("perm-1"));

    // A clone shares the session.
    client.clone().send(&get_session("s1")).await.unwrap();

    #[derive(serde::Serialize)]
    struct Logout {}
    impl Request for Logout {
        type Response = Void;
        const OPERATION: &'static str = "Logout";
        const METHOD: Method = Method::Get;
        const RETURNS_VOID: bool = true;
    }
    client.send(&Logout {}).await.unwrap();
    client.send(&get_session("s2")).await.unwrap();

    let requests = server.requests();
    assert_eq!(
        requests[0].request_line(),
        "POST /auth/credentials HTTP/1.1"
    );
    assert_eq!(requests[0].header("content-type"), Some("application/json"));
    assert_eq!(
        requests[0].body_text(),
        r#"{"userName":"ann","password":"secret","rememberMe":true}"#
    );
    assert_eq!(requests[0].header("cookie"), None);
    assert_eq!(
        requests[1].header("cookie"),
        Some("ss-id=sess-1; ss-opt=perm; ss-pid=perm-1")
    );
    // The server ended the temporary session; the permanent one stays.
    assert_eq!(
        requests[3].header("cookie"),
        Some("ss-opt=perm; ss-pid=perm-1")
    );
}

#[tokio::test]
async fn failed_sign_in_is_a_service_error() {
    let body = r#"{"responseStatus":{"errorCode":"Unauthorized","message":"Invalid UserName or Password"}}"#;
    let server = TestServer::replying(Reply::json(401, body));
    let client = server.client();
    let err = client.authenticate("ann", "wrong").await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(
        err.response_status().unwrap().message.as_deref(),
        Some("Invalid UserName or Password")
    );
    assert_eq!(client.cookie("ss-id"), None);
}

#[tokio::test]
async fn saved_cookies_are_sent_from_the_first_request() {
    let server = TestServer::replying(Reply::json(200, "{}"));
    let client = JsonServiceClient::builder(&server.url)
        .cookie("ss-pid", "perm-1")
        .cookie("ss-opt", "perm")
        .build()
        .unwrap();
    client.send(&get_session("s1")).await.unwrap();
    // The cookie store writes cookies longest path first, then by name.
    assert_eq!(
        server.only_request().header("cookie"),
        Some("ss-opt=perm; ss-pid=perm-1")
    );
}

// ---------------------------------------------------------------------------------------------
// The blocking client sends the same bytes.

mod blocking {
    use super::*;
    use ssdto::client::blocking::JsonServiceClient;

    #[test]
    fn sends_what_the_async_client_sends() {
        let server = TestServer::replying(Reply::json(200, payload("ListSessions.response.json")));
        let client = JsonServiceClient::builder(&server.url)
            .bearer_token("jwt")
            .build()
            .unwrap();
        let list = client.send(&list_sessions()).unwrap();
        assert_eq!(list.total_count, 0);
        client.send(&new_session()).unwrap();
        let requests = server.requests();
        assert_eq!(
            requests[0].request_line(),
            format!("GET /api/ListSessions?{LIST_SESSIONS_QUERY} HTTP/1.1")
        );
        assert_eq!(requests[0].header("authorization"), Some("Bearer jwt"));
        assert_eq!(requests[0].header("accept"), Some("application/json"));
        assert_eq!(
            requests[0].header("user-agent"),
            Some(user_agent().as_str())
        );
        assert_eq!(requests[1].request_line(), "POST /api/NewSession HTTP/1.1");
        assert_eq!(requests[1].body_text(), NEW_SESSION_BODY);
        assert_eq!(requests[1].header("content-type"), Some("application/json"));
    }

    #[test]
    fn response_bodies_over_the_limit_fail_with_too_large() {
        for (case, reply, expect) in limit_cases() {
            let server = TestServer::replying(reply);
            let client = JsonServiceClient::builder(&server.url)
                .max_response_bytes(LIMIT)
                .build()
                .unwrap();
            check_limit(case, client.send(&GetBlob {}), &expect);
            let void = client.send_void(&GetBlob {});
            match expect {
                Expect::Read(_) => void.unwrap(),
                Expect::TooLarge(..) => {
                    let err = void.unwrap_err();
                    assert!(matches!(err, Error::TooLarge { .. }), "{case}: {err:?}");
                }
            }
            assert_eq!(server.requests().len(), 2, "{case}");
        }
        // The default limit reads a body far over the test limit.
        let body = json_of_len(256 * 1024);
        let server = TestServer::replying(Reply::json(200, body.clone()).framed(Framing::Chunked));
        let value = JsonServiceClient::new(&server.url)
            .unwrap()
            .send(&GetBlob {})
            .unwrap();
        assert_eq!(value["data"].as_str().map(str::len), Some(body.len() - 11));
    }

    #[test]
    fn declared_routes_errors_cookies_and_timeouts() {
        let server = TestServer::start(|req| match req.path() {
            "/auth/credentials" => Reply::json(200, r#"{"sessionId":"b1"}"#)
                .with_header("Set-Cookie", "ss-id=b1; path=/"),
            "/sessions/missing" => Reply::json(
                404,
                r#"{"ResponseStatus":{"ErrorCode":"NotFound","Message":"nope"}}"#,
            ),
            "/sessions/slow" => {
                let mut reply = Reply::json(200, "{}");
                reply.delay = Duration::from_millis(1500);
                reply
            }
            _ => Reply::text(204, "text/plain", ""),
        });
        let client = JsonServiceClient::builder(&server.url)
            .route_strategy(RouteStrategy::Declared)
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        client.authenticate("ann", "pw").unwrap();
        let err = client.send(&get_session("missing")).unwrap_err();
        assert_eq!(err.status(), Some(404));
        assert_eq!(
            err.response_status().unwrap().error_code.as_deref(),
            Some("NotFound")
        );
        client
            .send_void(&EndSession {
                session_id: "s1".into(),
            })
            .unwrap();
        let err = client.send(&get_session("slow")).unwrap_err();
        assert!(err.is_timeout(), "{err:?}");

        let requests = server.requests();
        let lines: Vec<String> = requests.iter().map(Recorded::request_line).collect();
        assert_eq!(
            lines[..3],
            [
                "POST /auth/credentials HTTP/1.1",
                "GET /sessions/missing HTTP/1.1",
                "DELETE /sessions/s1 HTTP/1.1",
            ]
        );
        assert_eq!(requests[1].header("cookie"), Some("ss-id=b1"));
        assert_eq!(requests[2].header("cookie"), Some("ss-id=b1"));
    }
}
