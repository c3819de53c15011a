//! The client's features beyond `send`, each against a loopback server that plays
//! ServiceStack's side: JWT refresh and the authentication-required hook, batches, uploads,
//! `api()`, AutoQuery paging, query args, raw responses, filters, retries and tracing; and
//! the blocking client doing the same.
//!
//! What the official clients send, which these tests hold the Rust client to (sources:
//! `@servicestack/client` 2.1.13 src/index.ts, `servicestack` 0.1.15 on PyPI
//! servicestack/clients.py, ServiceStack's C# JsonApiClient.cs and ServiceController.cs):
//!
//! - Refresh: on a 401, TypeScript's `sendRequest` posts
//!   `new GetAccessToken({ refreshToken, useTokenCookie: !!useTokenCookie })` with
//!   `createUrlFromDto("POST", ..)`, i.e. `POST /api/GetAccessToken` and the body
//!   `{"refreshToken":"r1","useTokenCookie":false}` (`{"useTokenCookie":true}` with token
//!   cookies, `refreshToken` being undefined), takes `accessToken` as the bearer token and
//!   calls `resendRequest` once. Python posts `{"refreshToken": "r1"}` to the same URL
//!   without an `Authorization` header; C# posts to `/access-token` after clearing its
//!   bearer token and deleting the `ss-tok` cookie. ssdto sends TypeScript's body to
//!   TypeScript's URL, without the expired token (as C# and Python), and deletes `ss-tok`
//!   first in cookie mode (as C#). A failed refresh is TypeScript's `RefreshTokenException`
//!   (`Error::RefreshToken` here); `onAuthenticationRequired` runs when there is no refresh
//!   token, or after a failed refresh, and then the request is sent once more.
//! - Batches: `sendAll` posts the array to `combinePaths(replyBaseUrl, nameOf(requests[0]) + "[]")`
//!   (`/api/CreateItem[]`), `sendAllOneWay` to `oneWayBaseUrl` (`/api/` too with the `/api`
//!   base path, `/json/oneway/` without), and `sendOneWay` posts one request there whatever
//!   its verb. The server answers failures with `X-AutoBatch-Completed`.
//! - Uploads: Python's `post_files_with_request` posts to `/api/{Name}` a multipart body of
//!   the request's fields (`to_jsv_data`: name, then the value) followed by each file
//!   (`name="{field_name}"; filename="{file_name}"` and its `Content-Type`, guessed from the
//!   file name, `application/octet-stream` otherwise), each part's headers as
//!   `requests`/urllib3 write them.
//! - Args: TypeScript's `appendQueryString(url, args)` and Python's `append_querystring` add
//!   `name=value` pairs after the request's own query (also for POST).
//! - Paging: C#'s `GetLazy` adds `Include=Total`, sends `Skip`, and goes on while
//!   `Results.Count + Offset < Total`.

#[path = "support/loopback.rs"]
mod loopback;
#[path = "support/requests.rs"]
mod requests;
#[path = "support/temp_file.rs"]
mod temp_file;
use temp_file::temp_file;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ssdto::client::{Error, JsonServiceClient, RetryPolicy, RouteStrategy, UploadFile};
use ssdto::{Bytes, Method, QueryResponse, Request, ResponseFormat, Void};

use loopback::{Framing, Recorded, Reply, TestServer};
use requests::{hello, item, CreateItem, IdResponse};

// ---------------------------------------------------------------------------------------------
// Request types, as the generator writes them.

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeleteItem {
    id: String,
}

impl Request for DeleteItem {
    type Response = Void;
    const OPERATION: &'static str = "DeleteItem";
    const METHOD: Method = Method::Delete;
    const RETURNS_VOID: bool = true;
}

fn hello_reply(req: &Recorded) -> Reply {
    let name = req.query().get("name").cloned().unwrap_or_default();
    Reply::json(
        200,
        json!({ "result": format!("Hello, {name}!") }).to_string(),
    )
}

fn unauthorized() -> Reply {
    Reply::json(
        401,
        r#"{"responseStatus":{"errorCode":"TokenException","message":"Token has expired"}}"#,
    )
}

// ---------------------------------------------------------------------------------------------
// JWT refresh.

/// A server with JWT auth: `valid` tokens pass, the refresh token `r1` gets `jwt-2`.
fn jwt_server(refresh_delay: Duration) -> TestServer {
    TestServer::start(move |req| match req.path() {
        "/api/GetAccessToken"
        | "/access-token"
        | "/json/reply/GetAccessToken"
        | "/auth/refresh" => {
            let body: Value = serde_json::from_slice(&req.body).unwrap_or_default();
            if body["refreshToken"] == "r1" {
                let mut reply = Reply::json(200, r#"{"accessToken":"jwt-2"}"#);
                reply.delay = refresh_delay;
                reply
            } else {
                Reply::json(
                    400,
                    r#"{"responseStatus":{"errorCode":"ArgumentException","message":"Invalid RefreshToken"}}"#,
                )
            }
        }
        _ if req.header("authorization") == Some("Bearer jwt-2") => hello_reply(req),
        _ => unauthorized(),
    })
}

#[tokio::test]
async fn an_expired_token_is_refreshed_and_the_request_sent_once_more() {
    let server = jwt_server(Duration::ZERO);
    let client = JsonServiceClient::builder(&server.url)
        .bearer_token("jwt-1")
        .refresh_token("r1")
        .build()
        .unwrap();
    let response = client.send(&hello("ann")).await.unwrap();
    assert_eq!(response.result, "Hello, ann!");
    assert_eq!(client.bearer_token().as_deref(), Some("jwt-2"));

    let requests = server.requests();
    assert_eq!(
        server.lines(),
        [
            "GET /api/Hello?name=ann HTTP/1.1",
            "POST /api/GetAccessToken HTTP/1.1",
            "GET /api/Hello?name=ann HTTP/1.1",
        ]
    );
    assert_eq!(requests[0].header("authorization"), Some("Bearer jwt-1"));
    let refresh = &requests[1];
    // TypeScript's body; no expired token on the refresh itself (as C# and Python).
    assert_eq!(
        refresh.body_text(),
        r#"{"refreshToken":"r1","useTokenCookie":false}"#
    );
    assert_eq!(refresh.header("authorization"), None);
    assert_eq!(refresh.header("content-type"), Some("application/json"));
    assert_eq!(refresh.header("accept"), Some("application/json"));
    assert_eq!(requests[2].header("authorization"), Some("Bearer jwt-2"));

    // The new token is used from then on, without another refresh.
    client.send(&hello("bo")).await.unwrap();
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn concurrent_401s_wait_for_one_refresh() {
    let server = jwt_server(Duration::from_millis(300));
    let client = JsonServiceClient::builder(&server.url)
        .bearer_token("jwt-1")
        .refresh_token("r1")
        .build()
        .unwrap();
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..8 {
        let client = client.clone();
        calls.spawn(async move { client.send(&hello(&format!("n{i}"))).await });
    }
    while let Some(result) = calls.join_next().await {
        assert!(result.unwrap().unwrap().result.starts_with("Hello, n"));
    }
    let refreshes = server
        .requests()
        .iter()
        .filter(|r| r.path() == "/api/GetAccessToken")
        .count();
    assert_eq!(refreshes, 1, "{:#?}", server.lines());
    assert_eq!(server.requests().len(), 8 + 1 + 8);
}

#[tokio::test]
async fn refresh_routes_follow_the_strategy_or_the_refresh_uri() {
    for (strategy, uri, expected) in [
        (
            RouteStrategy::JsonReply,
            None,
            "POST /json/reply/GetAccessToken HTTP/1.1",
        ),
        // ServiceStack's C# client posts to GetAccessToken's declared route.
        (RouteStrategy::Declared, None, "POST /access-token HTTP/1.1"),
        (
            RouteStrategy::Api,
            Some("/auth/refresh"),
            "POST /auth/refresh HTTP/1.1",
        ),
    ] {
        let server = jwt_server(Duration::ZERO);
        let mut builder = JsonServiceClient::builder(&server.url)
            .route_strategy(strategy)
            .bearer_token("jwt-1")
            .refresh_token("r1");
        if let Some(uri) = uri {
            builder = builder.refresh_token_uri(uri);
        }
        builder.build().unwrap().send(&hello("x")).await.unwrap();
        assert_eq!(server.lines()[1], expected);
    }
}

#[tokio::test]
async fn a_refresh_endpoint_that_answers_404_is_a_refresh_token_error() {
    // A server without JWT auth has no GetAccessToken.
    let server = TestServer::start(|req| match req.path() {
        "/api/GetAccessToken" => Reply::json(
            404,
            r#"{"responseStatus":{"errorCode":"NotFound","message":"Unable to resolve service 'GetAccessToken'"}}"#,
        ),
        _ => unauthorized(),
    });
    let client = JsonServiceClient::builder(&server.url)
        .bearer_token("jwt-1")
        .refresh_token("r1")
        .build()
        .unwrap();
    let err = client.send(&hello("ann")).await.unwrap_err();
    let Error::RefreshToken(inner) = &err else {
        panic!("{err:?}")
    };
    assert!(matches!(**inner, Error::Service(_)), "{inner:?}");
    assert_eq!(err.status(), Some(404));
    assert_eq!(
        err.response_status().unwrap().error_code.as_deref(),
        Some("NotFound")
    );
    assert_eq!(
        err.to_string(),
        "cannot refresh the access token: HTTP 404: NotFound: Unable to resolve service 'GetAccessToken'"
    );
    // The request was not sent again, and the refused token is gone, as the C# client drops
    // it before asking for a new one.
    assert_eq!(server.requests().len(), 2);
    assert_eq!(client.bearer_token(), None);
}

#[tokio::test]
async fn a_refresh_reply_without_a_token_is_a_refresh_token_error() {
    let server = TestServer::start(|req| match req.path() {
        "/api/GetAccessToken" => Reply::json(200, "{}"),
        _ => unauthorized(),
    });
    let client = JsonServiceClient::builder(&server.url)
        .refresh_token("r1")
        .build()
        .unwrap();
    let err = client.send(&hello("ann")).await.unwrap_err();
    let Error::RefreshToken(inner) = &err else {
        panic!("{err:?}")
    };
    assert!(
        matches!(**inner, Error::Decode { status: 200, .. }),
        "{inner:?}"
    );
    assert!(err.to_string().contains("no accessToken"), "{err}");
}

#[tokio::test]
async fn a_second_401_after_a_refresh_is_the_answer() {
    // The refresh works but the service still refuses: no loop, one refresh, the 401.
    let server = TestServer::start(|req| match req.path() {
        "/api/GetAccessToken" => Reply::json(200, r#"{"accessToken":"jwt-2"}"#),
        _ => unauthorized(),
    });
    let client = JsonServiceClient::builder(&server.url)
        .bearer_token("jwt-1")
        .refresh_token("r1")
        .build()
        .unwrap();
    let err = client.send(&hello("ann")).await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert!(matches!(err, Error::Service(_)), "{err:?}");
    assert_eq!(server.requests().len(), 3);
}

/// A server with JWT token cookies, as ServiceStack's JWT provider with `UseTokenCookie`.
fn token_cookie_server() -> TestServer {
    TestServer::start(|req| {
        let cookies: HashMap<String, String> = req
            .header("cookie")
            .unwrap_or_default()
            .split("; ")
            .filter_map(|c| c.split_once('='))
            .map(|(n, v)| (n.to_owned(), v.to_owned()))
            .collect();
        match req.path() {
            "/auth/credentials" => Reply::json(200, r#"{"userName":"ann"}"#)
                .with_header("Set-Cookie", "ss-tok=jwt-1; path=/; httponly")
                .with_header("Set-Cookie", "ss-reftok=r1; path=/; httponly")
                .with_header("X-Cookies", "ss-tok,ss-reftok"),
            "/api/GetAccessToken" if cookies.get("ss-reftok").map(String::as_str) == Some("r1") => {
                Reply::json(200, "{}").with_header("Set-Cookie", "ss-tok=jwt-2; path=/; httponly")
            }
            "/api/GetAccessToken" => Reply::json(
                400,
                r#"{"responseStatus":{"errorCode":"ArgumentException","message":"RefreshToken required"}}"#,
            ),
            _ if cookies.get("ss-tok").map(String::as_str) == Some("jwt-2") => hello_reply(req),
            _ => unauthorized(),
        }
    })
}

#[tokio::test]
async fn token_cookies_are_refreshed_with_the_refresh_cookie() {
    let server = token_cookie_server();
    let client = JsonServiceClient::new(&server.url).unwrap();
    client.authenticate("ann", "pw").await.unwrap();
    let response = client.send(&hello("ann")).await.unwrap();
    assert_eq!(response.result, "Hello, ann!");
    assert_eq!(client.cookie("ss-tok").as_deref(), Some("jwt-2"));
    assert_eq!(client.bearer_token(), None);

    let requests = server.requests();
    assert_eq!(
        server.lines(),
        [
            "POST /auth/credentials HTTP/1.1",
            "GET /api/Hello?name=ann HTTP/1.1",
            "POST /api/GetAccessToken HTTP/1.1",
            "GET /api/Hello?name=ann HTTP/1.1",
        ]
    );
    assert_eq!(
        requests[1].header("cookie"),
        Some("ss-reftok=r1; ss-tok=jwt-1")
    );
    // TypeScript's cookie-mode body; the expired ss-tok is dropped first (as C# does).
    assert_eq!(requests[2].body_text(), r#"{"useTokenCookie":true}"#);
    assert_eq!(requests[2].header("cookie"), Some("ss-reftok=r1"));
    assert_eq!(
        requests[3].header("cookie"),
        Some("ss-reftok=r1; ss-tok=jwt-2")
    );
}

#[tokio::test]
async fn the_authentication_required_hook_runs_once_and_requests_are_sent_again() {
    let server = TestServer::start(|req| match req.path() {
        "/auth/credentials" => {
            Reply::json(200, r#"{"sessionId":"s1"}"#).with_header("Set-Cookie", "ss-id=s1; path=/")
        }
        _ if req.header("cookie") == Some("ss-id=s1") => hello_reply(req),
        _ => unauthorized(),
    });
    let runs = Arc::new(AtomicUsize::new(0));
    let counted = runs.clone();
    let client = JsonServiceClient::builder(&server.url)
        .on_authentication_required(move |client| {
            counted.fetch_add(1, Ordering::SeqCst);
            async move {
                // Let the other requests pile up behind this one.
                tokio::time::sleep(Duration::from_millis(200)).await;
                client.authenticate("ann", "pw").await.map(|_| ())
            }
        })
        .build()
        .unwrap();
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..4 {
        let client = client.clone();
        calls.spawn(async move { client.send(&hello(&format!("n{i}"))).await });
    }
    while let Some(result) = calls.join_next().await {
        result.unwrap().unwrap();
    }
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    let sign_ins = server
        .requests()
        .iter()
        .filter(|r| r.path() == "/auth/credentials")
        .count();
    assert_eq!(sign_ins, 1);
}

#[tokio::test]
async fn the_hook_runs_after_a_failed_refresh_and_its_error_is_a_refresh_error() {
    let server = TestServer::start(|req| match req.path() {
        "/api/GetAccessToken" => Reply::json(
            401,
            r#"{"responseStatus":{"errorCode":"TokenException","message":"Refresh token expired"}}"#,
        ),
        _ if req.header("authorization") == Some("Bearer from-hook") => hello_reply(req),
        _ => unauthorized(),
    });
    let ok = JsonServiceClient::builder(&server.url)
        .bearer_token("jwt-1")
        .refresh_token("r-expired")
        .on_authentication_required(|client| async move { client.set_bearer_token("from-hook") })
        .build()
        .unwrap();
    assert_eq!(ok.send(&hello("ann")).await.unwrap().result, "Hello, ann!");
    assert_eq!(
        server.lines()[..3],
        [
            "GET /api/Hello?name=ann HTTP/1.1",
            "POST /api/GetAccessToken HTTP/1.1",
            "GET /api/Hello?name=ann HTTP/1.1",
        ]
    );

    let failing = JsonServiceClient::builder(&server.url)
        .bearer_token("jwt-1")
        .refresh_token("r-expired")
        .on_authentication_required(|client| async move {
            client.authenticate("ann", "wrong").await.map(|_| ())
        })
        .build()
        .unwrap();
    let err = failing.send(&hello("ann")).await.unwrap_err();
    assert!(matches!(err, Error::RefreshToken(_)), "{err:?}");
    assert_eq!(err.status(), Some(401));
}

// ---------------------------------------------------------------------------------------------
// Batches.

#[tokio::test]
async fn send_all_posts_one_array_and_reads_one_response_each() {
    let server = TestServer::start(|req| {
        let items: Vec<Value> = serde_json::from_slice(&req.body).unwrap();
        let ids: Vec<Value> = items
            .iter()
            .map(|i| json!({ "id": format!("id-{}", i["name"].as_str().unwrap()) }))
            .collect();
        Reply::json(200, Value::Array(ids).to_string()).with_header("X-AutoBatch-Completed", "2")
    });
    let client = server.client();
    let ids = client
        .send_all(&[
            item("a"),
            CreateItem {
                name: "b".into(),
                price: Some(2.5),
            },
        ])
        .await
        .unwrap();
    assert_eq!(
        ids,
        [
            IdResponse { id: "id-a".into() },
            IdResponse { id: "id-b".into() }
        ]
    );
    let req = server.only_request();
    assert_eq!(req.request_line(), "POST /api/CreateItem[] HTTP/1.1");
    assert_eq!(req.header("content-type"), Some("application/json"));
    // `JSON.stringify(requests)`.
    assert_eq!(
        req.body_text(),
        r#"[{"name":"a"},{"name":"b","price":2.5}]"#
    );

    // Nothing to send, nothing sent.
    assert!(client.send_all::<CreateItem>(&[]).await.unwrap().is_empty());
    client.send_all_oneway::<CreateItem>(&[]).await.unwrap();
    assert_eq!(server.requests().len(), 1);

    let json_reply = server.client_with(RouteStrategy::JsonReply);
    json_reply.send_all(&[item("c")]).await.unwrap();
    assert_eq!(server.lines()[1], "POST /json/reply/CreateItem[] HTTP/1.1");
}

#[tokio::test]
async fn a_failed_batch_says_how_many_requests_completed() {
    let server = TestServer::replying(
        Reply::json(
            400,
            r#"{"responseStatus":{"errorCode":"ValidationException","message":"'Name' must not be empty.","errors":[{"errorCode":"NotEmpty","fieldName":"Name","message":"'Name' must not be empty."}]}}"#,
        )
        .with_header("X-AutoBatch-Completed", "2"),
    );
    let err = server
        .client()
        .send_all(&[item("a"), item("b"), item(""), item("d")])
        .await
        .unwrap_err();
    assert_eq!(err.batch_completed(), Some(2));
    assert_eq!(err.status(), Some(400));
    assert!(err.field_error("name").is_some());
}

#[tokio::test]
async fn a_batch_reply_that_is_not_an_array_of_one_response_each_is_a_decode_error() {
    for (body, message) in [
        (
            r#"{"id":"x"}"#,
            "a batch reply must be a JSON array, not an object",
        ),
        (
            r#"[{"id":"x"}]"#,
            "the batch reply has 1 responses for 2 requests",
        ),
        ("<html>", "expected value"),
    ] {
        let server = TestServer::replying(Reply::json(200, body));
        let err = server
            .client()
            .send_all(&[item("a"), item("b")])
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
        assert!(err.to_string().contains(message), "{err}");
    }
}

#[tokio::test]
async fn one_way_sends_post_to_the_one_way_route() {
    let server = TestServer::replying(Reply::text(204, "text/plain", ""));
    let client = server.client();
    client
        .send_all_oneway(&[item("a"), item("b")])
        .await
        .unwrap();
    // A GET operation is still posted, with its JSON body.
    client.send_oneway(&hello("ann")).await.unwrap();
    let old = server.client_with(RouteStrategy::JsonReply);
    old.send_all_oneway(&[item("c")]).await.unwrap();
    old.send_oneway(&hello("bo")).await.unwrap();
    let requests = server.requests();
    let summary: Vec<(String, &str)> = requests
        .iter()
        .map(|r| (r.request_line(), r.body_text()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "POST /api/CreateItem[] HTTP/1.1".into(),
                r#"[{"name":"a"},{"name":"b"}]"#
            ),
            ("POST /api/Hello HTTP/1.1".into(), r#"{"name":"ann"}"#),
            (
                "POST /json/oneway/CreateItem[] HTTP/1.1".into(),
                r#"[{"name":"c"}]"#
            ),
            (
                "POST /json/oneway/Hello HTTP/1.1".into(),
                r#"{"name":"bo"}"#
            ),
        ]
    );
    // A void operation's batch may answer with no body at all.
    let voids = client
        .send_all(&[DeleteItem { id: "1".into() }, DeleteItem { id: "2".into() }])
        .await
        .unwrap();
    assert_eq!(voids, [Void, Void]);
    // Errors still count.
    let failing = TestServer::replying(Reply::json(
        500,
        r#"{"responseStatus":{"errorCode":"Boom"}}"#,
    ));
    let err = failing.client().send_oneway(&hello("x")).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
}

// ---------------------------------------------------------------------------------------------
// Uploads.

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UploadRecording {
    session_id: String,
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<String>,
    tags: Vec<String>,
}

impl Request for UploadRecording {
    type Response = IdResponse;
    const OPERATION: &'static str = "UploadRecording";
    const METHOD: Method = Method::Post;
}

fn upload_request() -> UploadRecording {
    UploadRecording {
        session_id: "s1".into(),
        title: Some("Front desk, Monday".into()),
        notes: None,
        tags: vec!["a".into(), "b".into()],
    }
}

/// A server that answers an upload with the id `rec-<bytes of every file>`.
fn upload_server() -> TestServer {
    TestServer::start(|req| {
        let total: usize = req
            .multipart()
            .iter()
            .filter(|p| {
                p.header("content-disposition")
                    .is_some_and(|d| d.contains("filename="))
            })
            .map(|p| p.body.len())
            .sum();
        Reply::json(200, json!({ "id": format!("rec-{total}") }).to_string())
    })
}

#[tokio::test]
async fn uploads_send_the_fields_then_each_file_as_multipart() {
    let server = upload_server();
    let wav: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let path = temp_file("call.wav", &wav);
    let files = vec![
        UploadFile::from_path(&path).field_name("recording"),
        UploadFile::from_bytes(b"hello".to_vec()).file_name("notes.txt"),
        UploadFile::from_bytes(vec![0xff, 0]).content_type("application/x-custom"),
    ];
    let created = server
        .client()
        .post_files_with_request(&upload_request(), files)
        .await
        .unwrap();
    assert_eq!(created.id, format!("rec-{}", wav.len() + 5 + 2));

    let req = server.only_request();
    assert_eq!(req.request_line(), "POST /api/UploadRecording HTTP/1.1");
    assert!(req
        .header("content-type")
        .unwrap()
        .starts_with("multipart/form-data; boundary="));
    // Paths and bytes have known lengths: no chunked body.
    assert_eq!(
        req.header("content-length"),
        Some(req.body.len().to_string().as_str())
    );
    let parts = req.multipart();
    let heads: Vec<Vec<(String, String)>> = parts.iter().map(|p| p.headers.clone()).collect();
    let disposition = |value: &str| vec![("content-disposition".to_owned(), value.to_owned())];
    let file = |value: &str, content_type: &str| {
        vec![
            ("content-disposition".to_owned(), value.to_owned()),
            ("content-type".to_owned(), content_type.to_owned()),
        ]
    };
    assert_eq!(
        heads,
        [
            disposition(r#"form-data; name="sessionId""#),
            disposition(r#"form-data; name="title""#),
            disposition(r#"form-data; name="tags""#),
            file(
                r#"form-data; name="recording"; filename="call.wav""#,
                "audio/wav"
            ),
            file(
                r#"form-data; name="upload1"; filename="notes.txt""#,
                "text/plain"
            ),
            file(
                r#"form-data; name="upload2"; filename="upload2""#,
                "application/x-custom"
            ),
        ]
    );
    let bodies: Vec<&[u8]> = parts.iter().map(|p| p.body.as_slice()).collect();
    assert_eq!(bodies[..3], [&b"s1"[..], b"Front desk, Monday", b"a,b"]);
    assert_eq!(bodies[3], wav.as_slice());
    assert_eq!(bodies[4], b"hello");
    assert_eq!(bodies[5], [0xff, 0]);
}

#[tokio::test]
async fn an_unreadable_file_fails_before_anything_is_sent() {
    let server = upload_server();
    let missing = std::env::temp_dir().join("ssdto-no-such-dir/missing.wav");
    for file in [
        UploadFile::from_path(&missing),
        UploadFile::from_path(std::env::temp_dir()),
    ] {
        let err = server
            .client()
            .post_file_with_request(&upload_request(), file)
            .await
            .unwrap_err();
        let Error::File { file, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(!file.is_empty());
        assert!(err.to_string().starts_with("cannot upload "), "{err}");
    }
    assert!(server.requests().is_empty());
}

/// An `AsyncRead` that yields `good` bytes, then fails.
struct Failing {
    good: usize,
}

impl tokio::io::AsyncRead for Failing {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        if self.good == 0 {
            return std::task::Poll::Ready(Err(std::io::Error::other("disk on fire")));
        }
        let n = self.good.min(buf.remaining()).min(1000);
        buf.put_slice(&vec![b'x'; n]);
        self.good -= n;
        std::task::Poll::Ready(Ok(()))
    }
}

#[tokio::test]
async fn readers_stream_chunked_with_progress_and_a_failing_reader_fails_the_upload() {
    let server = upload_server();
    let data: Vec<u8> = (0..150_000u32).map(|i| (i % 7) as u8).collect();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let progress = seen.clone();
    let file = UploadFile::from_async_read(std::io::Cursor::new(data.clone()))
        .file_name("call.raw")
        .on_progress(move |sent, total| progress.lock().unwrap().push((sent, total)));
    let created = server
        .client()
        .post_file_with_request(&upload_request(), file)
        .await
        .unwrap();
    assert_eq!(created.id, format!("rec-{}", data.len()));
    let req = server.only_request();
    assert_eq!(req.header("transfer-encoding"), Some("chunked"));
    assert_eq!(req.multipart()[3].body, data);
    let seen = seen.lock().unwrap().clone();
    assert!(seen.len() >= 3, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(seen.last(), Some(&(data.len() as u64, None)));

    // A reader that fails mid-upload is never a success, whatever the server does.
    let file = UploadFile::from_async_read(Failing { good: 5000 }).file_name("broken.raw");
    let err = server
        .client()
        .post_file_with_request(&upload_request(), file)
        .await
        .unwrap_err();
    let Error::File { file, source } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(file, "broken.raw");
    assert_eq!(source.to_string(), "disk on fire");
}

#[tokio::test]
async fn uploads_from_readers_are_not_sent_again_after_a_401() {
    let server = TestServer::start(|req| match req.path() {
        "/api/GetAccessToken" => Reply::json(200, r#"{"accessToken":"jwt-2"}"#),
        _ if req.header("authorization") == Some("Bearer jwt-2") => {
            Reply::json(200, r#"{"id":"r"}"#)
        }
        _ => unauthorized(),
    });
    let client = JsonServiceClient::builder(&server.url)
        .bearer_token("jwt-1")
        .refresh_token("r1")
        .build()
        .unwrap();
    // A path can be read again: refresh, then the whole upload again.
    let path = temp_file("again.txt", b"again");
    client
        .post_file_with_request(&upload_request(), UploadFile::from_path(&path))
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 3);
    assert_eq!(server.requests()[2].multipart()[3].body, b"again");
    // A reader cannot: the 401 is the answer.
    client.set_bearer_token("jwt-1").unwrap();
    let err = client
        .post_file_with_request(
            &upload_request(),
            UploadFile::from_async_read(std::io::Cursor::new(b"once".to_vec())),
        )
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(server.requests().len(), 4);
}

// ---------------------------------------------------------------------------------------------
// api().

#[tokio::test]
async fn api_returns_responses_and_errors_as_values() {
    let server = TestServer::start(|req| match req.query().get("name").map(String::as_str) {
        Some("") => Reply::json(
            400,
            r#"{"responseStatus":{"errorCode":"ValidationException","message":"Validation failed","errors":[{"errorCode":"NotEmpty","fieldName":"Name","message":"'Name' must not be empty."}]}}"#,
        ),
        Some("boom") => Reply::json(
            500,
            r#"{"responseStatus":{"errorCode":"InvalidOperationException","message":"Boom"}}"#,
        ),
        _ => hello_reply(req),
    });
    let client = server.client();
    let ok = client.api(&hello("ann")).await;
    assert!(ok.is_success() && !ok.is_failed());
    assert_eq!(ok.response().unwrap().result, "Hello, ann!");
    assert_eq!(ok.error(), None);

    let invalid = client.api(&hello("")).await;
    assert!(invalid.is_failed() && !invalid.is_success());
    assert_eq!(invalid.error_code(), Some("ValidationException"));
    assert_eq!(
        invalid.field_error_message("name"),
        Some("'Name' must not be empty.")
    );
    assert_eq!(invalid.errors().len(), 1);
    assert_eq!(invalid.error_summary(), None);
    assert_eq!(
        invalid.summary_message(&[]),
        Some("'Name' must not be empty.")
    );
    assert_eq!(invalid.source().and_then(Error::status), Some(400));

    let failed = client.api(&hello("boom")).await;
    assert_eq!(failed.error_summary(), Some("Boom"));
    assert_eq!(failed.error_code(), Some("InvalidOperationException"));
    assert_eq!(failed.into_result().unwrap_err().status(), Some(500));

    // No server at all: still a value, with the error's kind as its code.
    let gone = JsonServiceClient::new("http://127.0.0.1:1").unwrap();
    let offline = gone.api(&hello("x")).await;
    assert_eq!(offline.error_code(), Some("Transport"));
    assert!(offline
        .error_message()
        .unwrap()
        .starts_with("transport error"));
}

// ---------------------------------------------------------------------------------------------
// AutoQuery paging and args.

#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct QueryItems {
    #[serde(skip_serializing_if = "Option::is_none")]
    skip: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    take: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    include: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name_starts_with: Option<String>,
}

#[derive(Deserialize, Debug, PartialEq)]
struct Item {
    id: i32,
}

impl Request for QueryItems {
    type Response = QueryResponse<Item>;
    const OPERATION: &'static str = "QueryItems";
    const METHOD: Method = Method::Get;
}

/// An AutoQuery service over items `1..=count`, `take` 2 unless given; it over-reports its
/// total by `extra`, as a table that shrinks between pages does.
fn query_server(count: i32, extra: i32) -> TestServer {
    TestServer::start(move |req| {
        let q = req.query();
        let skip: i32 = q.get("skip").and_then(|s| s.parse().ok()).unwrap_or(0);
        let take: i32 = q.get("take").and_then(|s| s.parse().ok()).unwrap_or(2);
        let results: Vec<Value> = (skip + 1..=count.min(skip + take))
            .map(|id| json!({ "id": id }))
            .collect();
        let with_total = q
            .get("include")
            .is_some_and(|i| i.split(',').any(|x| x.eq_ignore_ascii_case("total")));
        let total = if with_total { count + extra } else { 0 };
        Reply::json(
            200,
            json!({ "offset": skip, "total": total, "results": results }).to_string(),
        )
    })
}

#[tokio::test]
async fn query_all_pages_with_skip_until_the_total() {
    let server = query_server(5, 0);
    let mut rows = server.client().query_all(&QueryItems {
        take: Some(2),
        name_starts_with: Some("A".into()),
        ..Default::default()
    });
    let mut ids = Vec::new();
    while let Some(row) = rows.next().await {
        ids.push(row.unwrap().id);
    }
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(
        server.lines(),
        [
            "GET /api/QueryItems?take=2&nameStartsWith=A&include=Total&skip=0 HTTP/1.1",
            "GET /api/QueryItems?take=2&nameStartsWith=A&include=Total&skip=2 HTTP/1.1",
            "GET /api/QueryItems?take=2&nameStartsWith=A&include=Total&skip=4 HTTP/1.1",
        ]
    );

    // The request's own skip and include are kept; Total is added once.
    let server = query_server(5, 0);
    let rows = server
        .client()
        .query_all(&QueryItems {
            skip: Some(3),
            include: Some("COUNT(*)".into()),
            ..Default::default()
        })
        .collect()
        .await
        .unwrap();
    assert_eq!(rows, [Item { id: 4 }, Item { id: 5 }]);
    assert_eq!(
        server.lines(),
        ["GET /api/QueryItems?skip=3&include=COUNT%28%2A%29,Total HTTP/1.1"]
    );
}

#[tokio::test]
async fn query_all_stops_at_an_empty_page_and_reports_errors() {
    // The total says 9 but the rows end at 4.
    let server = query_server(4, 5);
    let client = server.client().with_args([("AgeOlderThan", "42")]);
    let rows = client
        .query_all(&QueryItems::default())
        .collect()
        .await
        .unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(
        server.lines(),
        [
            "GET /api/QueryItems?include=Total&skip=0&AgeOlderThan=42 HTTP/1.1",
            "GET /api/QueryItems?include=Total&skip=2&AgeOlderThan=42 HTTP/1.1",
            "GET /api/QueryItems?include=Total&skip=4&AgeOlderThan=42 HTTP/1.1",
        ]
    );

    let failing = TestServer::replying(Reply::json(
        500,
        r#"{"responseStatus":{"errorCode":"Boom"}}"#,
    ));
    let mut rows = failing.client().query_all(&QueryItems::default());
    assert_eq!(rows.next().await.unwrap().unwrap_err().status(), Some(500));
    assert!(rows.next().await.is_none(), "a stream ends after its error");
}

#[tokio::test]
async fn args_follow_the_request_fields_whatever_the_verb() {
    let server = TestServer::replying(Reply::json(200, r#"{"id":"1","result":"x"}"#));
    let client = server
        .client()
        .with_args([("AgeOlderThan", "42"), ("Name", "A&B C")]);
    client.send(&hello("ann")).await.unwrap();
    client.send(&item("a")).await.unwrap();
    assert_eq!(
        server.lines(),
        [
            "GET /api/Hello?name=ann&AgeOlderThan=42&Name=A%26B%20C HTTP/1.1",
            "POST /api/CreateItem?AgeOlderThan=42&Name=A%26B%20C HTTP/1.1",
        ]
    );
    assert_eq!(server.requests()[1].body_text(), r#"{"name":"a"}"#);
}

// ---------------------------------------------------------------------------------------------
// Raw responses.

#[derive(Serialize)]
struct GetReadme {}

impl Request for GetReadme {
    type Response = String;
    const OPERATION: &'static str = "GetReadme";
    const METHOD: Method = Method::Get;
    const RESPONSE_FORMAT: ResponseFormat = ResponseFormat::Text;
}

#[derive(Serialize)]
struct GetRecording {}

impl Request for GetRecording {
    type Response = Bytes;
    const OPERATION: &'static str = "GetRecording";
    const METHOD: Method = Method::Get;
    const RESPONSE_FORMAT: ResponseFormat = ResponseFormat::Bytes;
}

fn binary(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 256) as u8).collect()
}

#[tokio::test]
async fn text_and_bytes_responses_are_the_body_as_it_is() {
    let text = "# Readme\n\"quoted\" — not JSON";
    let server = TestServer::start(move |req| match req.path() {
        "/api/GetReadme" => Reply::text(200, "text/plain; charset=utf-8", text),
        _ => Reply::bytes(200, "application/octet-stream", binary(300)),
    });
    let client = server.client();
    assert_eq!(client.send(&GetReadme {}).await.unwrap(), text);
    assert_eq!(
        client.send(&GetRecording {}).await.unwrap(),
        Bytes(binary(300))
    );

    // Within the limit, like JSON.
    let limited = JsonServiceClient::builder(&server.url)
        .max_response_bytes(100)
        .build()
        .unwrap();
    let err = limited.send(&GetRecording {}).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooLarge {
                status: 200,
                limit: 100,
                ..
            }
        ),
        "{err:?}"
    );

    // Errors are still ServiceStack's.
    let missing = TestServer::replying(Reply::json(
        404,
        r#"{"responseStatus":{"errorCode":"NotFound","message":"No recording"}}"#,
    ));
    let err = missing.client().send(&GetRecording {}).await.unwrap_err();
    assert_eq!(
        err.response_status().unwrap().message.as_deref(),
        Some("No recording")
    );
    let err = missing
        .client()
        .send_raw(&GetRecording {})
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
}

#[tokio::test]
async fn send_raw_streams_bodies_larger_than_the_limit() {
    let data = binary(3 * 1024 * 1024);
    let body = data.clone();
    let server = TestServer::start(move |_| {
        Reply::bytes(200, "audio/wav", body.clone()).framed(Framing::Chunked)
    });
    let client = JsonServiceClient::builder(&server.url)
        .max_response_bytes(64 * 1024)
        .build()
        .unwrap();
    let mut raw = client.send_raw(&GetRecording {}).await.unwrap();
    assert_eq!(raw.status(), 200);
    assert_eq!(raw.content_type(), Some("audio/wav"));
    let mut received = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = raw.chunk().await.unwrap() {
        received.extend_from_slice(&chunk);
        chunks += 1;
    }
    assert!(chunks > 1);
    assert_eq!(received, data);
}

// ---------------------------------------------------------------------------------------------
// Filters and retries.

#[tokio::test]
async fn filters_see_and_change_every_request_and_response() {
    let server = jwt_server(Duration::ZERO);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (requests, responses) = (seen.clone(), seen.clone());
    let client = JsonServiceClient::builder(&server.url)
        .bearer_token("jwt-1")
        .refresh_token("r1")
        .request_filter(move |req| {
            req.headers_mut()
                .insert("x-tenant", "northwind".parse().unwrap());
            requests
                .lock()
                .unwrap()
                .push(format!("> {} {}", req.method(), req.url().path()));
        })
        .response_filter(move |res| {
            responses
                .lock()
                .unwrap()
                .push(format!("< {}", res.status().as_u16()))
        })
        .build()
        .unwrap();
    client.send(&hello("ann")).await.unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "> GET /api/Hello",
            "< 401",
            "> POST /api/GetAccessToken",
            "< 200",
            "> GET /api/Hello",
            "< 200",
        ]
    );
    assert!(server
        .requests()
        .iter()
        .all(|r| r.header("x-tenant") == Some("northwind")));
}

/// A server that fails the first `failures` requests with `failure`, then says hello.
fn flaky(failures: usize, failure: Reply) -> TestServer {
    let count = AtomicUsize::new(0);
    TestServer::start(move |req| {
        if count.fetch_add(1, Ordering::SeqCst) < failures {
            failure.clone()
        } else {
            hello_reply(req)
        }
    })
}

fn retrying(server: &TestServer) -> JsonServiceClient {
    JsonServiceClient::builder(&server.url)
        .retry(RetryPolicy::new(2).backoff(Duration::from_millis(10), Duration::from_millis(50)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn retries_resend_idempotent_requests_after_busy_replies_and_dropped_connections() {
    let busy = Reply::json(503, "").with_header("Retry-After", "0");
    let server = flaky(2, busy.clone());
    assert_eq!(
        retrying(&server).send(&hello("a")).await.unwrap().result,
        "Hello, a!"
    );
    assert_eq!(server.requests().len(), 3);

    // Out of retries: the last answer stands.
    let server = flaky(3, busy.clone());
    let err = retrying(&server).send(&hello("a")).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.requests().len(), 3);

    // A connection closed before the reply.
    let server = flaky(1, Reply::json(200, "").framed(Framing::Drop));
    retrying(&server).send(&hello("a")).await.unwrap();
    assert_eq!(server.requests().len(), 2);

    // POST may have been processed: never sent twice.
    let server = flaky(1, busy);
    let err = retrying(&server).send(&item("a")).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.requests().len(), 1);
    let server = flaky(1, Reply::json(200, "").framed(Framing::Drop));
    assert!(retrying(&server).send(&item("a")).await.is_err());
    assert_eq!(server.requests().len(), 1);

    // Without a policy nothing is retried.
    let server = flaky(1, Reply::json(503, ""));
    assert!(server.client().send(&hello("a")).await.is_err());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn connection_errors_are_retried_for_any_verb() {
    let addr = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let client = JsonServiceClient::builder(&format!("http://{addr}"))
        .retry(RetryPolicy::new(2).backoff(Duration::from_millis(150), Duration::from_millis(150)))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client.send(&item("a")).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    // Two waits of at least half the backoff each: it did try again.
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "{:?}",
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------------
// Tracing.

mod spans {
    use super::*;
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata};

    /// Records each span's name and fields as text.
    #[derive(Default, Clone)]
    struct Recorder(Arc<Mutex<Vec<String>>>);

    struct Fields<'a>(&'a mut String);

    impl tracing::field::Visit for Fields<'_> {
        fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
            self.0.push_str(&format!(" {}={:?}", field.name(), value));
        }
    }

    impl tracing::Subscriber for Recorder {
        fn enabled(&self, metadata: &Metadata<'_>) -> bool {
            // The client's own spans and events, not those of hyper and reqwest.
            metadata.target().starts_with("ssdto")
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let mut text = format!("span {}", span.metadata().name());
            span.record(&mut Fields(&mut text));
            let mut all = self.0.lock().unwrap();
            all.push(text);
            Id::from_u64(all.len() as u64)
        }
        fn record(&self, _: &Id, values: &Record<'_>) {
            let mut text = "record".to_owned();
            values.record(&mut Fields(&mut text));
            self.0.lock().unwrap().push(text);
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut text = "event".to_owned();
            event.record(&mut Fields(&mut text));
            self.0.lock().unwrap().push(text);
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }

    #[tokio::test]
    async fn each_call_is_a_span_with_operation_verb_path_and_status() {
        let server = jwt_server(Duration::ZERO);
        let client = JsonServiceClient::builder(&server.url)
            .bearer_token("jwt-1")
            .refresh_token("r1")
            .build()
            .unwrap();
        let recorder = Recorder::default();
        let _guard = tracing::subscriber::set_default(recorder.clone());
        client.send(&hello("secret-name")).await.unwrap();
        let lines = recorder.0.lock().unwrap().clone();
        assert_eq!(
            lines,
            [
                "span ssdto.request ssdto.operation=Hello http.request.method=GET url.path=/api/Hello",
                "event message=refreshing the access token",
                "event message=sending again after 401",
                "record http.response.status_code=200",
            ]
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The blocking client: the same features, without async.

mod blocking {
    use super::*;
    use ssdto::client::blocking::JsonServiceClient;
    use std::io::Read;

    #[test]
    fn refresh_batches_uploads_api_paging_and_raw_downloads() {
        let server = jwt_server(Duration::ZERO);
        let client = JsonServiceClient::builder(&server.url)
            .bearer_token("jwt-1")
            .refresh_token("r1")
            .build()
            .unwrap();
        assert_eq!(client.send(&hello("ann")).unwrap().result, "Hello, ann!");
        assert_eq!(client.bearer_token().as_deref(), Some("jwt-2"));
        assert_eq!(server.lines()[1], "POST /api/GetAccessToken HTTP/1.1");
        assert!(client.api(&hello("bo")).is_success());

        let batch = TestServer::replying(Reply::json(200, r#"[{"id":"1"},{"id":"2"}]"#));
        let client = JsonServiceClient::new(&batch.url).unwrap();
        assert_eq!(client.send_all(&[item("a"), item("b")]).unwrap().len(), 2);
        client.send_all_oneway(&[item("a")]).unwrap();
        client.send_oneway(&item("a")).unwrap();
        assert_eq!(
            batch.lines(),
            [
                "POST /api/CreateItem[] HTTP/1.1",
                "POST /api/CreateItem[] HTTP/1.1",
                "POST /api/CreateItem HTTP/1.1",
            ]
        );

        let uploads = upload_server();
        let client = JsonServiceClient::new(&uploads.url).unwrap();
        let data = binary(100_000);
        let created = client
            .post_file_with_request(
                &upload_request(),
                UploadFile::from_read(std::io::Cursor::new(data.clone())),
            )
            .unwrap();
        assert_eq!(created.id, format!("rec-{}", data.len()));
        assert_eq!(uploads.only_request().multipart()[3].body, data);

        let query = query_server(5, 0);
        let client = JsonServiceClient::new(&query.url).unwrap();
        let ids: Vec<i32> = client
            .query_all(&QueryItems::default())
            .map(|row| row.unwrap().id)
            .collect();
        assert_eq!(ids, [1, 2, 3, 4, 5]);

        let body = binary(500_000);
        let expected = body.clone();
        let downloads = TestServer::start(move |_| {
            Reply::bytes(200, "audio/wav", body.clone()).framed(Framing::Chunked)
        });
        let client = JsonServiceClient::builder(&downloads.url)
            .max_response_bytes(1000)
            .build()
            .unwrap();
        let mut raw = client.send_raw(&GetRecording {}).unwrap();
        let mut received = Vec::new();
        raw.read_to_end(&mut received).unwrap();
        assert_eq!(received, expected);
    }

    #[test]
    fn the_blocking_hook_signs_in_with_the_blocking_client() {
        let server = TestServer::start(|req| match req.path() {
            "/auth/credentials" => Reply::json(200, r#"{"sessionId":"s1"}"#)
                .with_header("Set-Cookie", "ss-id=s1; path=/"),
            _ if req.header("cookie") == Some("ss-id=s1") => hello_reply(req),
            _ => unauthorized(),
        });
        let client = JsonServiceClient::builder(&server.url)
            .on_authentication_required(|client| client.authenticate("ann", "pw").map(|_| ()))
            .build()
            .unwrap();
        assert_eq!(client.send(&hello("ann")).unwrap().result, "Hello, ann!");
        assert_eq!(
            server.lines(),
            [
                "GET /api/Hello?name=ann HTTP/1.1",
                "POST /auth/credentials HTTP/1.1",
                "GET /api/Hello?name=ann HTTP/1.1",
            ]
        );
    }

    #[test]
    fn retries_and_errors() {
        let server = flaky(1, Reply::json(503, "").with_header("Retry-After", "0"));
        let client = JsonServiceClient::builder(&server.url)
            .retry(RetryPolicy::new(1))
            .build()
            .unwrap();
        client.send(&hello("a")).unwrap();
        assert_eq!(server.requests().len(), 2);
        let missing = std::env::temp_dir().join("ssdto-no-such-dir/x.bin");
        let err = client
            .post_file_with_request(&upload_request(), UploadFile::from_path(missing))
            .unwrap_err();
        assert!(matches!(err, Error::File { .. }), "{err:?}");
    }
}
