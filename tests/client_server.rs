//! Our client against our server, over loopback: every client feature of `ssdto::client`
//! called on the router generated with `--server` (`generated/src/evovoice_sessions.rs`,
//! served by the example app with `AuthFeature`), and on a hand-built `ServiceRouter` for the
//! shapes the Evo Voice contract lacks (AutoQuery paging, uploads to `Bytes`/`HttpFile` fields,
//! a service that fails first, void, text and bytes results).
//!
//! A middleware layer records what reached the server (verb, path and query, credentials,
//! JSON bodies, status), so each test asserts both what the client returned and what went over
//! the wire.

#[path = "../generated/examples/sessions_server/app.rs"]
#[allow(dead_code)]
mod app;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ssdto::client::{Error, JsonServiceClient, RetryPolicy, RouteStrategy, UploadFile};
use ssdto::server::auth::{AuthFeature, Jwt};
use ssdto::server::axum::{self, extract::State, middleware::Next};
use ssdto::server::{Access, Context, Cors, HttpError, Principal, ServiceRouter};
use ssdto::{Authenticate, Bytes, HttpFile, Method, QueryResponse, Request, ResponseFormat};
use ssdto::{Route, Void};
use ssdto_generated::evovoice_sessions::{
    FlowChannels, GetActiveSessions, GetSession, ListSessions, NewSession, SessionInfo,
};

/// The key the servers sign JWTs with, so tests can mint expired tokens.
const KEY: [u8; 32] = [7; 32];

/// The sessions the example store holds that have not ended, in `dateCreated` order.
const ACTIVE: [&str; 4] = ["s2", "s3", "s4", "s7"];

// ---------------------------------------------------------------- the server and its log

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    /// Path and query.
    uri: String,
    authorization: Option<String>,
    cookie: Option<String>,
    /// The body, for JSON requests.
    json: Option<Value>,
    status: u16,
}

impl Seen {
    fn path(&self) -> &str {
        self.uri.split('?').next().unwrap_or_default()
    }

    fn has_cookie(&self, name: &str) -> bool {
        self.cookie.as_deref().is_some_and(|c| {
            c.split(';')
                .any(|pair| pair.trim().split('=').next() == Some(name))
        })
    }
}

#[derive(Clone, Default)]
struct Recorder {
    seen: Arc<Mutex<Vec<Seen>>>,
    /// Holds `GetAccessToken` replies back this long, so that every request that got 401
    /// waits on the one refresh in flight.
    refresh_delay: Duration,
}

/// The running server.
struct Served {
    base: String,
    recorder: Recorder,
}

impl Served {
    /// Everything seen so far, in the order the answers went out; clears the log.
    fn take(&self) -> Vec<Seen> {
        std::mem::take(&mut *self.recorder.seen.lock().unwrap())
    }

    fn client(&self) -> ssdto::client::ClientBuilder {
        JsonServiceClient::builder(&self.base)
    }
}

/// `(verb, path, status)` of each request.
fn lines(seen: &[Seen]) -> Vec<(String, String, u16)> {
    seen.iter()
        .map(|s| (s.method.clone(), s.path().to_owned(), s.status))
        .collect()
}

fn line(method: &str, path: &str, status: u16) -> (String, String, u16) {
    (method.to_owned(), path.to_owned(), status)
}

/// How many requests went to `path` and got `status`.
fn count(seen: &[Seen], path: &str, status: u16) -> usize {
    seen.iter()
        .filter(|s| s.path() == path && s.status == status)
        .count()
}

async fn record(
    State(recorder): State<Recorder>,
    request: axum::extract::Request,
    next: Next,
) -> axum::response::Response {
    let headers = request.headers().clone();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let method = request.method().to_string();
    let uri = request.uri().to_string();
    let authorization = header("authorization");
    let cookie = header("cookie");
    let is_json = header("content-type").is_some_and(|ct| ct.starts_with("application/json"));
    let (request, json) = if is_json {
        let (parts, body) = request.into_parts();
        let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
        let json = serde_json::from_slice(&bytes).ok();
        (
            axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes)),
            json,
        )
    } else {
        (request, None)
    };
    let refresh = uri.contains("GetAccessToken") || uri.starts_with("/access-token");
    let response = next.run(request).await;
    if refresh {
        tokio::time::sleep(recorder.refresh_delay).await;
    }
    recorder.seen.lock().unwrap().push(Seen {
        method,
        uri,
        authorization,
        cookie,
        json,
        status: response.status().as_u16(),
    });
    response
}

async fn serve_with(router: axum::Router, refresh_delay: Duration) -> Served {
    let recorder = Recorder {
        refresh_delay,
        ..Recorder::default()
    };
    let app = router.layer(axum::middleware::from_fn_with_state(
        recorder.clone(),
        record,
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    Served {
        base: format!("http://{addr}"),
        recorder,
    }
}

async fn serve(router: axum::Router) -> Served {
    serve_with(router, Duration::ZERO).await
}

/// The example app (the generated router, its hand-written extras, CORS) with `auth`.
async fn example(auth: AuthFeature) -> Served {
    serve(app::app(auth)).await
}

/// Sessions in memory, no JWT: sign-in answers `ss-id`/`ss-pid` cookies.
fn sessions_only() -> AuthFeature {
    AuthFeature::new(app::Users)
}

/// JWTs as ServiceStack's defaults have them: in `ss-tok`/`ss-reftok` cookies.
fn jwt_cookies() -> AuthFeature {
    app::auth(&KEY, true)
}

/// JWTs in the response body (`UseTokenCookie = false`), for clients that hold their tokens.
fn jwt_bearer() -> AuthFeature {
    app::auth(&KEY, false)
}

fn demo() -> Principal {
    Principal::new("1", "demo")
        .with_email("demo@example.com")
        .with_roles(["User"])
}

fn month_ago() -> SystemTime {
    SystemTime::now() - Duration::from_secs(30 * 24 * 3600)
}

fn expired_access_token() -> String {
    Jwt::hs256(KEY).access_token(&demo(), month_ago())
}

fn refresh_token() -> String {
    Jwt::hs256(KEY).refresh_token("1", SystemTime::now())
}

fn ids(sessions: &[SessionInfo]) -> Vec<&str> {
    sessions.iter().filter_map(|s| s.id.as_deref()).collect()
}

async fn active(client: &JsonServiceClient) -> Result<Vec<String>, Error> {
    let response = client.send(&GetActiveSessions::default()).await?;
    Ok(response
        .sessions
        .unwrap_or_default()
        .into_iter()
        .filter_map(|s| s.id)
        .collect())
}

/// The status, `errorCode` and `message` of a service error.
fn service_error(err: &Error) -> (u16, String, String) {
    let status = err.status().unwrap_or_else(|| panic!("no status: {err:?}"));
    let rs = err
        .response_status()
        .unwrap_or_else(|| panic!("no ResponseStatus: {err:?}"));
    (
        status,
        rs.error_code.clone().unwrap_or_default(),
        rs.message.clone().unwrap_or_default(),
    )
}

fn expect_service_error<T: std::fmt::Debug>(result: Result<T, Error>) -> (u16, String, String) {
    match result {
        Err(err @ Error::Service(_)) => service_error(&err),
        other => panic!("expected a service error, got {other:?}"),
    }
}

fn err(status: u16, code: &str, message: &str) -> (u16, String, String) {
    (status, code.to_owned(), message.to_owned())
}

// ---------------------------------------------------------------- signing in

#[tokio::test]
async fn credentials_sign_in_keeps_the_session_cookies_until_logout() {
    let server = example(sessions_only()).await;
    let client = server.client().build().unwrap();
    assert_eq!(
        expect_service_error(active(&client).await),
        err(401, "Unauthorized", "Not Authenticated")
    );

    let signed_in = client.authenticate("demo", "demo").await.unwrap();
    assert_eq!(signed_in.user_id.as_deref(), Some("1"));
    assert_eq!(signed_in.user_name.as_deref(), Some("demo"));
    assert_eq!(signed_in.roles.as_deref(), Some(&["User".to_owned()][..]));
    // `rememberMe`: the permanent id is the session, as `ss-opt=perm` says.
    let pid = client.cookie("ss-pid").expect("an ss-pid cookie");
    assert_eq!(signed_in.session_id.as_deref(), Some(pid.as_str()));
    assert_eq!(client.cookie("ss-opt").as_deref(), Some("perm"));
    assert_eq!(client.cookie("ss-id").map(|id| id.len()), Some(20));
    assert_eq!(active(&client).await.unwrap(), ACTIVE);
    // A clone shares the cookies.
    assert_eq!(active(&client.clone()).await.unwrap(), ACTIVE);

    let seen = server.take();
    assert_eq!(
        lines(&seen),
        [
            line("GET", "/api/GetActiveSessions", 401),
            line("POST", "/auth/credentials", 200),
            line("GET", "/api/GetActiveSessions", 200),
            line("GET", "/api/GetActiveSessions", 200),
        ]
    );
    assert_eq!(
        seen[1].json,
        Some(json!({"userName": "demo", "password": "demo", "rememberMe": true}))
    );
    for s in &seen[2..] {
        assert_eq!(s.authorization, None);
        assert!(s.has_cookie("ss-pid") && s.has_cookie("ss-opt"), "{s:?}");
    }

    // Logout is ServiceStack's `Authenticate { provider: "logout" }`; it expires the cookies.
    let logout = Authenticate {
        provider: Some("logout".into()),
        ..Authenticate::default()
    };
    client.send(&logout).await.unwrap();
    assert_eq!(client.cookie("ss-pid"), None);
    assert_eq!(client.cookie("ss-id"), None);
    assert_eq!(client.cookie("ss-opt"), None);
    assert_eq!(
        expect_service_error(active(&client).await),
        err(401, "Unauthorized", "Not Authenticated")
    );
    // The session is gone on the server too: its old cookie no longer signs in.
    let replay = server
        .client()
        .cookie("ss-pid", pid)
        .cookie("ss-opt", "perm")
        .build()
        .unwrap();
    assert_eq!(expect_service_error(active(&replay).await).0, 401);
    let seen = server.take();
    assert_eq!(seen[0].uri, "/api/Authenticate");
    assert_eq!(seen[0].json, Some(json!({"provider": "logout"})));
}

#[tokio::test]
async fn wrong_credentials_are_the_servers_answer_not_a_refresh() {
    let server = example(jwt_cookies()).await;
    let client = server.client().refresh_token("unused").build().unwrap();
    let wrong = client.authenticate("demo", "nope").await.unwrap_err();
    assert_eq!(
        service_error(&wrong),
        err(401, "Unauthorized", "Invalid Username or Password")
    );
    let empty = client.authenticate("", "").await.unwrap_err();
    assert_eq!(service_error(&empty).0, 400);
    assert_eq!(
        empty
            .field_error("userName")
            .and_then(|e| e.message.as_deref()),
        Some("'User Name' must not be empty.")
    );
    assert_eq!(
        empty
            .field_error("password")
            .and_then(|e| e.error_code.as_deref()),
        Some("NotEmpty")
    );
    // No refresh was attempted for a sign-in's 401.
    assert_eq!(
        lines(&server.take()),
        [
            line("POST", "/auth/credentials", 401),
            line("POST", "/auth/credentials", 400)
        ]
    );
}

#[tokio::test]
async fn basic_auth_and_api_keys() {
    let server = example(jwt_cookies()).await;
    let basic = server.client().basic_auth("demo", "demo").build().unwrap();
    assert_eq!(active(&basic).await.unwrap(), ACTIVE);
    let key = server.client().api_key("demo-token").build().unwrap();
    assert_eq!(active(&key).await.unwrap(), ACTIVE);
    let wrong_password = server.client().basic_auth("demo", "x").build().unwrap();
    assert_eq!(
        expect_service_error(active(&wrong_password).await),
        err(401, "Unauthorized", "Invalid Username or Password")
    );
    let wrong_key = server.client().api_key("nope").build().unwrap();
    assert_eq!(
        expect_service_error(active(&wrong_key).await),
        err(401, "Unauthorized", "Invalid API Key")
    );
    let seen = server.take();
    let auth: Vec<Option<&str>> = seen.iter().map(|s| s.authorization.as_deref()).collect();
    assert_eq!(
        auth,
        [
            Some("Basic ZGVtbzpkZW1v"),
            Some("Bearer demo-token"),
            Some("Basic ZGVtbzp4"),
            Some("Bearer nope"),
        ]
    );
    assert!(seen.iter().all(|s| s.cookie.is_none()), "{seen:?}");
}

#[tokio::test]
async fn contract_roles_answer_401_and_403() {
    let server = example(jwt_cookies()).await;
    let anonymous = server.client().build().unwrap();
    let guest = server
        .client()
        .basic_auth("guest", "guest")
        .build()
        .unwrap();
    let demo = server.client().basic_auth("demo", "demo").build().unwrap();
    let admin = server.client().api_key("admin-token").build().unwrap();
    let new_session = NewSession {
        channel: FlowChannels::Chat,
        with_address: Some("user:ann".into()),
        ..NewSession::default()
    };
    let get = GetSession {
        session_id: "s1".into(),
    };
    // (operation, anonymous, guest, demo, admin)
    let mut statuses = Vec::new();
    for client in [&anonymous, &guest, &demo, &admin] {
        let status = |r: Result<(), Error>| match r {
            Ok(()) => 200,
            Err(e) => e.status().unwrap_or_default(),
        };
        statuses.push([
            status(client.send(&ListSessions::default()).await.map(drop)),
            status(client.send(&GetActiveSessions::default()).await.map(drop)),
            status(client.send(&get).await.map(drop)),
            status(client.send(&new_session).await.map(drop)),
        ]);
    }
    assert_eq!(
        statuses,
        [
            [401, 401, 401, 401],
            [200, 403, 200, 403],
            [200, 200, 200, 200],
            [200, 200, 200, 200],
        ]
    );
    assert_eq!(
        expect_service_error(guest.send(&new_session).await),
        err(403, "Forbidden", "Invalid Role")
    );
    // A 401 tells the client how to sign in.
    let challenge = Arc::new(Mutex::new(None));
    let seen = challenge.clone();
    let anonymous = server
        .client()
        .response_filter(move |res| {
            *seen.lock().unwrap() = res
                .headers()
                .get("www-authenticate")
                .map(|v| v.to_str().unwrap().to_owned());
        })
        .build()
        .unwrap();
    assert_eq!(
        expect_service_error(anonymous.send(&get).await),
        err(401, "Unauthorized", "Not Authenticated")
    );
    assert_eq!(
        challenge.lock().unwrap().as_deref(),
        Some("credentials realm=\"/auth/credentials\"")
    );
}

// ---------------------------------------------------------------- JWTs and their refresh

/// Five requests with an expired bearer token at once: five 401s, one `GetAccessToken` (held
/// back so that every 401 arrives while it runs), five requests sent again.
async fn five_at_once(client: &JsonServiceClient) {
    at_once(client, 5).await;
}

async fn at_once(client: &JsonServiceClient, n: usize) {
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..n {
        let client = client.clone();
        calls.spawn(async move { active(&client).await });
    }
    while let Some(result) = calls.join_next().await {
        assert_eq!(result.unwrap().unwrap(), ACTIVE);
    }
}

#[tokio::test]
async fn an_expired_bearer_token_is_refreshed_once_for_concurrent_requests() {
    // Tokens in the body (`UseTokenCookie = false`): the new token becomes the bearer token.
    let server = serve_with(app::app(jwt_bearer()), Duration::from_millis(300)).await;
    let expired = expired_access_token();
    let refresh = refresh_token();
    let client = server
        .client()
        .bearer_token(&expired)
        .refresh_token(&refresh)
        .build()
        .unwrap();
    five_at_once(&client).await;
    let seen = server.take();
    assert_eq!(count(&seen, "/api/GetActiveSessions", 401), 5, "{seen:#?}");
    assert_eq!(count(&seen, "/api/GetAccessToken", 200), 1, "{seen:#?}");
    assert_eq!(count(&seen, "/api/GetActiveSessions", 200), 5, "{seen:#?}");
    assert_eq!(seen.len(), 11);
    let refresh_call = seen
        .iter()
        .find(|s| s.path() == "/api/GetAccessToken")
        .unwrap();
    assert_eq!(
        refresh_call.json,
        Some(json!({"refreshToken": refresh, "useTokenCookie": false}))
    );
    // The refresh itself carries the refresh token only, not the expired one.
    assert_eq!(refresh_call.authorization, None);
    let new_token = client.bearer_token().expect("the refreshed token");
    assert_ne!(new_token, expired);
    assert_eq!(
        Jwt::hs256(KEY)
            .access_token(&demo(), SystemTime::now())
            .split('.')
            .count(),
        new_token.split('.').count()
    );
    for s in seen.iter().filter(|s| s.path() == "/api/GetActiveSessions") {
        let sent = if s.status == 401 {
            &expired
        } else {
            &new_token
        };
        assert_eq!(s.authorization.as_deref(), Some(&*format!("Bearer {sent}")));
    }
    // From now on the new token is sent; nothing is refreshed again.
    five_at_once(&client).await;
    let seen = server.take();
    assert_eq!(count(&seen, "/api/GetActiveSessions", 200), 5);
    assert_eq!(seen.len(), 5);
}

#[tokio::test]
async fn a_bearer_refresh_from_a_token_cookie_server_continues_with_the_cookie() {
    // ServiceStack's default (`UseTokenCookie = true`) answers GetAccessToken with an `ss-tok`
    // cookie and an empty body, whoever asks; the client then drops the expired bearer token.
    let server = serve_with(app::app(jwt_cookies()), Duration::from_millis(300)).await;
    let client = server
        .client()
        .bearer_token(expired_access_token())
        .refresh_token(refresh_token())
        .build()
        .unwrap();
    five_at_once(&client).await;
    let seen = server.take();
    assert_eq!(count(&seen, "/api/GetActiveSessions", 401), 5, "{seen:#?}");
    assert_eq!(count(&seen, "/api/GetAccessToken", 200), 1, "{seen:#?}");
    assert_eq!(count(&seen, "/api/GetActiveSessions", 200), 5, "{seen:#?}");
    assert_eq!(client.bearer_token(), None);
    let token = client.cookie("ss-tok").expect("an ss-tok cookie");
    for s in seen
        .iter()
        .filter(|s| s.status == 200 && s.path() != "/api/GetAccessToken")
    {
        assert_eq!(s.authorization, None);
        assert_eq!(s.cookie.as_deref(), Some(&*format!("ss-tok={token}")));
    }
}

#[tokio::test]
async fn token_cookies_expire_and_are_refreshed_with_the_refresh_cookie() {
    // Access tokens that live two seconds, in cookies, as ServiceStack sets them by default.
    let auth =
        AuthFeature::new(app::Users).jwt(Jwt::hs256(KEY).expire_tokens_in(Duration::from_secs(2)));
    let server = serve_with(app::app(auth), Duration::from_millis(300)).await;
    let client = server.client().build().unwrap();
    let signed_in = client.authenticate("demo", "demo").await.unwrap();
    // The tokens are cookies the client keeps, not in the body.
    assert_eq!(signed_in.bearer_token, None);
    let first = client.cookie("ss-tok").expect("an ss-tok cookie");
    let refresh = client.cookie("ss-reftok").expect("an ss-reftok cookie");
    assert_eq!(active(&client).await.unwrap(), ACTIVE);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    five_at_once(&client).await;

    let seen = server.take();
    assert_eq!(
        lines(&seen[..2]),
        [
            line("POST", "/auth/credentials", 200),
            line("GET", "/api/GetActiveSessions", 200)
        ]
    );
    let seen = &seen[2..];
    assert_eq!(count(seen, "/api/GetActiveSessions", 401), 5, "{seen:#?}");
    assert_eq!(count(seen, "/api/GetAccessToken", 200), 1, "{seen:#?}");
    assert_eq!(count(seen, "/api/GetActiveSessions", 200), 5, "{seen:#?}");
    // The refresh posts `useTokenCookie` with the refresh cookie and without the expired one.
    let refresh_call = seen
        .iter()
        .find(|s| s.path() == "/api/GetAccessToken")
        .unwrap();
    assert_eq!(refresh_call.json, Some(json!({"useTokenCookie": true})));
    assert_eq!(
        refresh_call.cookie.as_deref(),
        Some(&*format!("ss-reftok={refresh}"))
    );
    let second = client.cookie("ss-tok").expect("a new ss-tok cookie");
    assert_ne!(second, first);
    for s in seen.iter().filter(|s| s.path() == "/api/GetActiveSessions") {
        // The server gave `ss-tok` the token's lifetime (`Max-Age=2`), so the cookie store
        // dropped it when the token expired: the 401s carried the refresh cookie alone.
        let cookie = match s.status {
            401 => format!("ss-reftok={refresh}"),
            _ => format!("ss-reftok={refresh}; ss-tok={second}"),
        };
        assert_eq!(s.cookie.as_deref(), Some(&*cookie), "{s:?}");
        assert_eq!(s.authorization, None);
    }
}

#[tokio::test]
async fn a_failed_refresh_is_a_refresh_token_error() {
    let server = example(jwt_bearer()).await;
    let stale = Jwt::hs256(KEY).refresh_token("1", month_ago() - Duration::from_secs(400 * 86400));
    let cases = [
        // An expired refresh token.
        (stale, err(401, "TokenException", "Token has expired")),
        // One that is not a refresh token of this server.
        (
            expired_access_token(),
            err(400, "ArgumentException", "RefreshToken is Invalid"),
        ),
    ];
    for (refresh, expected) in cases {
        let client = server
            .client()
            .bearer_token(expired_access_token())
            .refresh_token(refresh)
            .build()
            .unwrap();
        let error = active(&client).await.unwrap_err();
        let Error::RefreshToken(inner) = &error else {
            panic!("expected a refresh error, got {error:?}");
        };
        assert_eq!(service_error(inner), expected);
        assert_eq!(service_error(&error), expected);
        // The request was not sent again.
        assert_eq!(
            lines(&server.take()),
            [
                line("GET", "/api/GetActiveSessions", 401),
                line("POST", "/api/GetAccessToken", expected.0)
            ]
        );
    }

    // A server without JWT has no GetAccessToken: 404.
    let server = example(sessions_only()).await;
    let client = server
        .client()
        .bearer_token(expired_access_token())
        .refresh_token(refresh_token())
        .build()
        .unwrap();
    let error = active(&client).await.unwrap_err();
    assert!(matches!(error, Error::RefreshToken(_)), "{error:?}");
    assert_eq!(error.status(), Some(404));
    assert_eq!(
        lines(&server.take()),
        [
            line("GET", "/api/GetActiveSessions", 401),
            line("POST", "/api/GetAccessToken", 404)
        ]
    );
}

/// An `on_authentication_required` hook that signs in as demo, counting its runs.
fn signing_in(builder: ssdto::client::ClientBuilder, runs: &Arc<AtomicUsize>) -> JsonServiceClient {
    let runs = runs.clone();
    builder
        .on_authentication_required(move |client| {
            let runs = runs.clone();
            async move {
                runs.fetch_add(1, Ordering::SeqCst);
                client.authenticate("demo", "demo").await.map(drop)
            }
        })
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_authentication_required_hook_signs_in_once_and_requests_are_sent_again() {
    let server = example(sessions_only()).await;
    let runs = Arc::new(AtomicUsize::new(0));
    let client = signing_in(server.client(), &runs);
    at_once(&client, 3).await;
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    let seen = server.take();
    assert_eq!(count(&seen, "/api/GetActiveSessions", 401), 3, "{seen:#?}");
    assert_eq!(count(&seen, "/auth/credentials", 200), 1, "{seen:#?}");
    assert_eq!(count(&seen, "/api/GetActiveSessions", 200), 3, "{seen:#?}");

    // A failed sign-in is the call's error, as a refresh error.
    let failing = server
        .client()
        .on_authentication_required(|client| async move {
            client.authenticate("demo", "wrong").await.map(drop)
        })
        .build()
        .unwrap();
    let error = active(&failing).await.unwrap_err();
    assert_eq!(
        service_error(&error),
        err(401, "Unauthorized", "Invalid Username or Password")
    );
}

#[tokio::test]
async fn the_hook_signs_in_after_a_failed_refresh() {
    // The refresh token has expired too: the hook signs in with credentials, and the request
    // goes again with the new session rather than the expired bearer token.
    let server = example(jwt_bearer()).await;
    let runs = Arc::new(AtomicUsize::new(0));
    let stale = Jwt::hs256(KEY).refresh_token("1", month_ago() - Duration::from_secs(400 * 86400));
    let client = signing_in(
        server
            .client()
            .bearer_token(expired_access_token())
            .refresh_token(stale),
        &runs,
    );
    assert_eq!(active(&client).await.unwrap(), ACTIVE);
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    let seen = server.take();
    assert_eq!(
        lines(&seen),
        [
            line("GET", "/api/GetActiveSessions", 401),
            line("POST", "/api/GetAccessToken", 401),
            line("POST", "/auth/credentials", 200),
            line("GET", "/api/GetActiveSessions", 200),
        ]
    );
    assert_eq!(seen[3].authorization, None);
    assert!(seen[3].has_cookie("ss-pid"), "{:?}", seen[3]);
}
