//! Our client against our server, over loopback: every client feature of `ssdto::client`
//! called on the router generated with `--server --xml` (`generated/src/evovoice_xml.rs`,
//! served by the example app with `AuthFeature`), and on a hand-built `ServiceRouter` for the
//! shapes the Evo Voice contract lacks (AutoQuery paging, uploads to `Bytes`/`HttpFile` fields,
//! a service that fails first, void, text and bytes results).
//!
//! A middleware layer records what reached the server (verb, path and query, credentials,
//! JSON bodies, status), so each test asserts both what the client returned and what went over
//! the wire.

#[path = "support/temp_file.rs"]
mod temp_file;
use temp_file::temp_file;
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
use ssdto::server::{Access, Context, HttpError, Principal, ServiceRouter};
use ssdto::{Authenticate, Bytes, HttpFile, QueryResponse, Void};
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
    /// `X-Tenant`, which a request filter adds.
    tenant: Option<String>,
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
fn lines(seen: &[Seen]) -> Vec<(&str, &str, u16)> {
    seen.iter()
        .map(|s| (s.method.as_str(), s.path(), s.status))
        .collect()
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
    let tenant = header("x-tenant");
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
        tenant,
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
    serve(app::routes(auth).into_router()).await
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

/// A refresh token that expired (they live a year).
fn expired_refresh_token() -> String {
    Jwt::hs256(KEY).refresh_token("1", month_ago() - Duration::from_secs(400 * 86400))
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
            ("GET", "/api/GetActiveSessions", 401),
            ("POST", "/auth/credentials", 200),
            ("GET", "/api/GetActiveSessions", 200),
            ("GET", "/api/GetActiveSessions", 200),
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
            ("POST", "/auth/credentials", 401),
            ("POST", "/auth/credentials", 400)
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
    for result in at_once(client, 5).await {
        assert_eq!(result.unwrap(), ACTIVE);
    }
}

/// `n` GetActiveSessions calls at once, and their results.
async fn at_once(client: &JsonServiceClient, n: usize) -> Vec<Result<Vec<String>, Error>> {
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..n {
        let client = client.clone();
        calls.spawn(async move { active(&client).await });
    }
    calls.join_all().await
}

/// Checks that every result is a refresh error carrying the service error `expected`.
fn refresh_errors(results: Vec<Result<Vec<String>, Error>>, expected: &(u16, String, String)) {
    for result in results {
        let error = result.unwrap_err();
        assert!(matches!(error, Error::RefreshToken(_)), "{error:?}");
        assert_eq!(&service_error(&error), expected);
    }
}

#[tokio::test]
async fn an_expired_bearer_token_is_refreshed_once_for_concurrent_requests() {
    // Tokens in the body (`UseTokenCookie = false`): the new token becomes the bearer token.
    let server = serve_with(
        app::routes(jwt_bearer()).into_router(),
        Duration::from_millis(300),
    )
    .await;
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
    let server = serve_with(
        app::routes(jwt_cookies()).into_router(),
        Duration::from_millis(300),
    )
    .await;
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
    let server = serve_with(app::routes(auth).into_router(), Duration::from_millis(300)).await;
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
            ("POST", "/auth/credentials", 200),
            ("GET", "/api/GetActiveSessions", 200)
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
    let stale = expired_refresh_token();
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
                ("GET", "/api/GetActiveSessions", 401),
                ("POST", "/api/GetAccessToken", expected.0)
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
            ("GET", "/api/GetActiveSessions", 401),
            ("POST", "/api/GetAccessToken", 404)
        ]
    );
}

#[tokio::test]
async fn requests_waiting_on_a_refresh_that_fails_share_its_error() {
    let server = serve_with(
        app::routes(jwt_bearer()).into_router(),
        Duration::from_millis(300),
    )
    .await;
    let stale = expired_refresh_token();
    let client = server
        .client()
        .bearer_token(expired_access_token())
        .refresh_token(stale)
        .build()
        .unwrap();
    refresh_errors(
        at_once(&client, 5).await,
        &err(401, "TokenException", "Token has expired"),
    );
    let seen = server.take();
    assert_eq!(count(&seen, "/api/GetActiveSessions", 401), 5, "{seen:#?}");
    assert_eq!(count(&seen, "/api/GetAccessToken", 401), 1, "{seen:#?}");
    assert_eq!(seen.len(), 6);
    // A request sent after the failure tries again.
    assert!(matches!(active(&client).await, Err(Error::RefreshToken(_))));
    assert_eq!(
        lines(&server.take()),
        [
            ("GET", "/api/GetActiveSessions", 401),
            ("POST", "/api/GetAccessToken", 401)
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
    for result in at_once(&client, 3).await {
        assert_eq!(result.unwrap(), ACTIVE);
    }
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    let seen = server.take();
    assert_eq!(count(&seen, "/api/GetActiveSessions", 401), 3, "{seen:#?}");
    assert_eq!(count(&seen, "/auth/credentials", 200), 1, "{seen:#?}");
    assert_eq!(count(&seen, "/api/GetActiveSessions", 200), 3, "{seen:#?}");

    // A failed sign-in is the call's error, as a refresh error, and the requests that waited
    // for it share it: the hook runs once.
    let runs = Arc::new(AtomicUsize::new(0));
    let counted = runs.clone();
    let failing = server
        .client()
        .on_authentication_required(move |client| {
            counted.fetch_add(1, Ordering::SeqCst);
            async move { client.authenticate("demo", "wrong").await.map(drop) }
        })
        .build()
        .unwrap();
    refresh_errors(
        at_once(&failing, 3).await,
        &err(401, "Unauthorized", "Invalid Username or Password"),
    );
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    let seen = server.take();
    assert_eq!(count(&seen, "/auth/credentials", 401), 1, "{seen:#?}");
}

#[tokio::test]
async fn the_hook_signs_in_after_a_failed_refresh() {
    // The refresh token has expired too: the hook signs in with credentials, and the request
    // goes again with the new session rather than the expired bearer token.
    let server = example(jwt_bearer()).await;
    let runs = Arc::new(AtomicUsize::new(0));
    let stale = expired_refresh_token();
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
            ("GET", "/api/GetActiveSessions", 401),
            ("POST", "/api/GetAccessToken", 401),
            ("POST", "/auth/credentials", 200),
            ("GET", "/api/GetActiveSessions", 200),
        ]
    );
    assert_eq!(seen[3].authorization, None);
    assert!(seen[3].has_cookie("ss-pid"), "{:?}", seen[3]);
}

// ---------------------------------------------------------------- batches and one-way sends

fn get(id: &str) -> GetSession {
    GetSession {
        session_id: id.into(),
    }
}

fn chat(name: &str) -> NewSession {
    NewSession {
        display_name: Some(name.into()),
        channel: FlowChannels::Chat,
        with_address: Some("user:ann".into()),
        ..NewSession::default()
    }
}

#[tokio::test]
async fn send_all_reads_one_response_each_and_a_failure_says_how_many_completed() {
    let server = example(jwt_cookies()).await;
    let client = server.client().basic_auth("demo", "demo").build().unwrap();
    let sessions = client
        .send_all(&[get("s3"), get("s1"), get("s7")])
        .await
        .unwrap();
    assert_eq!(ids(&sessions), ["s3", "s1", "s7"]);
    assert_eq!(sessions[1].from_address.as_deref(), Some("+15550001111"));

    let failed = client
        .send_all(&[get("s1"), get("nope"), get("s3")])
        .await
        .unwrap_err();
    assert_eq!(
        service_error(&failed),
        err(404, "NotFound", "Session 'nope' does not exist")
    );
    assert_eq!(failed.batch_completed(), Some(1));
    let meta = failed.response_status().unwrap().meta.clone().unwrap();
    assert_eq!(meta.get("AutoBatchIndex").map(String::as_str), Some("1"));

    // The contract's roles hold for batches: nothing runs, so nothing completed.
    let guest = server
        .client()
        .basic_auth("guest", "guest")
        .build()
        .unwrap();
    let denied = guest.send_all(&[chat("a"), chat("b")]).await.unwrap_err();
    assert_eq!(
        service_error(&denied),
        err(403, "Forbidden", "Invalid Role")
    );
    assert_eq!(denied.batch_completed(), None);

    let seen = server.take();
    assert_eq!(
        lines(&seen),
        [
            ("POST", "/api/GetSession[]", 200),
            ("POST", "/api/GetSession[]", 404),
            ("POST", "/api/NewSession[]", 403),
        ]
    );
    assert_eq!(
        seen[0].json,
        Some(json!([{"sessionId": "s3"}, {"sessionId": "s1"}, {"sessionId": "s7"}]))
    );
}

#[tokio::test]
async fn one_way_sends_run_on_the_server_and_ignore_the_reply() {
    let server = example(jwt_cookies()).await;
    for (strategy, batch_path, one_way_path) in [
        (RouteStrategy::Api, "/api/NewSession[]", "/api/GetSession"),
        (
            RouteStrategy::JsonReply,
            "/json/oneway/NewSession[]",
            "/json/oneway/GetSession",
        ),
        // Declared routes are for replies; one-way sends use the predefined route.
        (
            RouteStrategy::Declared,
            "/api/NewSession[]",
            "/api/GetSession",
        ),
    ] {
        let client = server
            .client()
            .route_strategy(strategy)
            .basic_auth("demo", "demo")
            .build()
            .unwrap();
        let name = format!("one-way {strategy:?}");
        client
            .send_all_oneway(&[chat(&name), chat(&name)])
            .await
            .unwrap();
        client.send_oneway(&get("s2")).await.unwrap();
        let missing = client.send_oneway(&get("nope")).await.unwrap_err();
        assert_eq!(service_error(&missing).0, 404);
        // The batch ran: both sessions exist.
        let found = client
            .send(&ListSessions {
                all: true,
                ..ListSessions::default()
            })
            .await
            .unwrap();
        let named = found
            .items
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.display_name.as_deref() == Some(&*name))
            .count();
        assert_eq!(named, 2, "{strategy:?}");
        let seen = server.take();
        assert_eq!(
            lines(&seen[..3]),
            [
                ("POST", batch_path, 200),
                ("POST", one_way_path, 200),
                ("POST", one_way_path, 404),
            ],
            "{strategy:?}"
        );
        // A one-way send posts the request whatever its verb.
        assert_eq!(seen[1].json, Some(json!({"sessionId": "s2"})));
    }
}

// ---------------------------------------------------------------- api() and errors as values

#[tokio::test]
async fn api_returns_the_servers_field_errors_as_values() {
    let server = example(jwt_cookies()).await;
    let client = server.client().api_key("demo-token").build().unwrap();
    let ok = client.api(&get("s4")).await;
    assert!(ok.is_success());
    assert_eq!(ok.response().and_then(|s| s.id.as_deref()), Some("s4"));

    // A validation error: the field, its code and message.
    let voice = NewSession {
        channel: FlowChannels::Voice,
        ..NewSession::default()
    };
    let invalid = client.api(&voice).await;
    assert!(invalid.is_failed());
    assert_eq!(invalid.error_code(), Some("NotEmpty"));
    assert_eq!(
        invalid.error_message(),
        Some("'To Address' must not be empty.")
    );
    assert_eq!(
        invalid.field_error_message("ToAddress"),
        Some("'To Address' must not be empty.")
    );
    assert_eq!(invalid.errors().len(), 1);
    // The field error says it: no summary, unless the field is not shown.
    assert_eq!(invalid.error_summary(), None);
    assert_eq!(invalid.summary_message(&["toAddress"]), None);
    assert_eq!(
        invalid.summary_message(&["displayName"]),
        Some("'To Address' must not be empty.")
    );
    assert_eq!(invalid.source().and_then(Error::status), Some(400));

    // A value the server cannot bind names its field.
    let unbound = client
        .with_args([("countPerPage", "many")])
        .api(&ListSessions::default())
        .await;
    assert_eq!(unbound.error_code(), Some("RequestBindingException"));
    let field = unbound.field_error("countPerPage").expect("a field error");
    assert_eq!(field.error_code.as_deref(), Some("SerializationException"));

    // No field errors: the message is the summary.
    let missing = client.api(&get("nope")).await;
    assert_eq!(missing.error_code(), Some("NotFound"));
    assert_eq!(
        missing.error_summary(),
        Some("Session 'nope' does not exist")
    );
    let denied = server.client().build().unwrap().api(&get("s1")).await;
    assert_eq!(denied.error_code(), Some("Unauthorized"));
    assert_eq!(denied.error_summary(), Some("Not Authenticated"));
}

// ---------------------------------------------------------------- shapes the contract lacks

/// A row of the AutoQuery below.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Rockstar {
    id: i32,
    first_name: String,
    age: i32,
}

/// `QueryRockstars : QueryDb<Rockstar>` as the generator writes it: QueryBase's members
/// inlined, answering `QueryResponse<Rockstar>`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ssdto::Request)]
#[serde(rename_all = "camelCase", default)]
#[ssdto(route("GET", "/rockstars"), returns = QueryResponse<Rockstar>)]
struct QueryRockstars {
    #[serde(skip_serializing_if = "Option::is_none")]
    skip: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    take: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    include: Option<String>,
}

/// Rows a page holds at most, as AutoQuery's `MaxLimit`.
const MAX_LIMIT: i32 = 10;

/// 23 rockstars aged 21 to 43; the implicit convention `AgeOlderThan` (an untyped argument)
/// filters them; `Total` is counted when `include` asks for it.
fn query_rockstars(req: QueryRockstars, context: &Context) -> QueryResponse<Rockstar> {
    let args = ssdto::query::parse_query(context.uri().query().unwrap_or_default());
    let older_than: i32 = args
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("AgeOlderThan"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let all: Vec<Rockstar> = (1..=23)
        .map(|id| Rockstar {
            id,
            first_name: format!("Rocker{id}"),
            age: 20 + id,
        })
        .filter(|r| r.age > older_than)
        .collect();
    let skip = req.skip.unwrap_or(0).max(0);
    let take = req.take.unwrap_or(MAX_LIMIT).clamp(0, MAX_LIMIT);
    let with_total = req
        .include
        .iter()
        .flat_map(|i| i.split(','))
        .any(|i| i.trim().eq_ignore_ascii_case("total"));
    QueryResponse {
        offset: skip,
        total: if with_total { all.len() as i32 } else { 0 },
        results: all
            .into_iter()
            .skip(skip as usize)
            .take(take as usize)
            .collect(),
        ..QueryResponse::default()
    }
}

/// Files bound to request fields as ServiceStack binds them: a `Stream`/`byte[]` field takes a
/// file's bytes, an `IHttpFile` field the file, a list every file of its name.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ssdto::Request)]
#[serde(rename_all = "camelCase", default)]
#[ssdto(route("POST", "/attachments"), returns = Uploaded)]
struct UploadAttachments {
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    recording: Option<Bytes>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attachment: Option<HttpFile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attachments: Option<Vec<HttpFile>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Uploaded {
    title: String,
    recording_length: usize,
    /// The recording's SHA-less fingerprint: the sum of its bytes.
    recording_sum: u64,
    attachment: Option<FileSeen>,
    attachments: Vec<FileSeen>,
    /// Every file the request carried (`Context::files`).
    files: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct FileSeen {
    name: String,
    file_name: String,
    content_type: Option<String>,
    length: u64,
    content: String,
}

impl FileSeen {
    fn of(file: &HttpFile) -> Self {
        FileSeen {
            name: file.name.clone(),
            file_name: file.file_name.clone(),
            content_type: file.content_type.clone(),
            length: file.content_length,
            content: String::from_utf8_lossy(&file.bytes().unwrap()).into_owned(),
        }
    }

    fn new(name: &str, file_name: &str, content_type: &str, content: &str) -> Self {
        FileSeen {
            name: name.into(),
            file_name: file_name.into(),
            content_type: Some(content_type.into()),
            length: content.len() as u64,
            content: content.into(),
        }
    }
}

/// Answers 503 with `Retry-After: 0` to the first `failures` calls of each `key`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ssdto::Request)]
#[serde(rename_all = "camelCase", default)]
#[ssdto(method = "GET", returns = Attempts)]
struct Flaky {
    key: String,
    failures: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Attempts {
    attempts: u32,
}

/// The same, with POST, which a retry must never send twice.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ssdto::Request)]
#[serde(rename_all = "camelCase", default)]
#[ssdto(method = "POST", returns = Attempts)]
struct FlakyCreate {
    key: String,
    failures: u32,
}

/// `size` bytes as a `byte[]` result.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ssdto::Request)]
#[serde(rename_all = "camelCase", default)]
#[ssdto(route("GET", "/blob/{size}"), returns = Bytes, format = "bytes")]
struct Blob {
    size: usize,
}

fn blob(size: usize) -> Vec<u8> {
    (0..size).map(|i| (i % 251) as u8).collect()
}

/// A void operation: 204.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ssdto::Request)]
#[serde(rename_all = "camelCase", default)]
#[ssdto(method = "POST", returns_void)]
struct Ping {
    note: String,
}

#[derive(Default)]
struct Extras {
    attempts: Mutex<std::collections::HashMap<String, u32>>,
    pings: Mutex<Vec<String>>,
}

impl Extras {
    fn attempt(&self, key: &str, failures: u32) -> Result<Attempts, HttpError> {
        let mut attempts = self.attempts.lock().unwrap();
        let n = attempts.entry(key.to_owned()).or_default();
        *n += 1;
        if *n <= failures {
            return Err(HttpError::new(
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "ServiceUnavailable",
                format!("try again (attempt {n})"),
            )
            .with_header(axum::http::header::RETRY_AFTER, "0"));
        }
        Ok(Attempts { attempts: *n })
    }
}

/// The hand-built router: uploads up to `UPLOAD_LIMIT`.
const UPLOAD_LIMIT: usize = 256 * 1024;

fn extras() -> ServiceRouter<Extras> {
    ServiceRouter::new(Arc::new(Extras::default()))
        .upload_limit(UPLOAD_LIMIT)
        .operation(
            Access::PUBLIC,
            |_: Arc<Extras>, req: QueryRockstars, context| async move {
                Ok(query_rockstars(req, &context))
            },
        )
        .operation(
            Access::PUBLIC,
            |_: Arc<Extras>, req: UploadAttachments, context: Context| async move {
                let recording = req.recording.unwrap_or_default();
                Ok(Uploaded {
                    title: req.title,
                    recording_length: recording.len(),
                    recording_sum: recording.iter().map(|&b| u64::from(b)).sum(),
                    attachment: req.attachment.as_ref().map(FileSeen::of),
                    attachments: req.attachments.iter().flatten().map(FileSeen::of).collect(),
                    files: context.files().len(),
                })
            },
        )
        .operation(Access::PUBLIC, |svc: Arc<Extras>, req: Flaky, _| async move {
            svc.attempt(&req.key, req.failures)
        })
        .operation(
            Access::PUBLIC,
            |svc: Arc<Extras>, req: FlakyCreate, _| async move {
                svc.attempt(&req.key, req.failures)
            },
        )
        .operation(Access::PUBLIC, |_: Arc<Extras>, req: Blob, _| async move {
            Ok(Bytes(blob(req.size)))
        })
}

// ---------------------------------------------------------------- AutoQuery and args

#[tokio::test]
async fn query_all_pages_an_autoquery_with_skip_take_and_total() {
    let server = serve(extras().into_router()).await;
    let client = server.client().build().unwrap();
    let rows = client
        .with_args([("AgeOlderThan", "30")])
        .query_all(&QueryRockstars {
            take: Some(5),
            ..QueryRockstars::default()
        })
        .collect()
        .await
        .unwrap();
    assert_eq!(
        rows.iter().map(|r| r.id).collect::<Vec<_>>(),
        (11..=23).collect::<Vec<_>>()
    );
    assert_eq!(rows[0].first_name, "Rocker11");
    let seen = server.take();
    let uris: Vec<&str> = seen.iter().map(|s| s.uri.as_str()).collect();
    assert_eq!(
        uris,
        [
            "/api/QueryRockstars?take=5&include=Total&skip=0&AgeOlderThan=30",
            "/api/QueryRockstars?take=5&include=Total&skip=5&AgeOlderThan=30",
            "/api/QueryRockstars?take=5&include=Total&skip=10&AgeOlderThan=30",
        ]
    );

    // Without `take` the server's limit sizes the pages; `include` keeps what it had, plus
    // Total; the declared route takes the query too.
    let declared = server
        .client()
        .route_strategy(RouteStrategy::Declared)
        .build()
        .unwrap();
    let mut stream = declared.query_all(&QueryRockstars {
        skip: Some(3),
        include: Some("COUNT(*)".into()),
        ..QueryRockstars::default()
    });
    let mut ids = Vec::new();
    while let Some(row) = stream.next().await {
        ids.push(row.unwrap().id);
    }
    assert_eq!(ids, (4..=23).collect::<Vec<_>>());
    let seen = server.take();
    let uris: Vec<&str> = seen.iter().map(|s| s.uri.as_str()).collect();
    assert_eq!(
        uris,
        [
            "/rockstars?skip=3&include=COUNT%28%2A%29,Total",
            "/rockstars?skip=13&include=COUNT%28%2A%29,Total",
        ]
    );

    // Args on a single call: every verb carries them in the query string.
    let old = client
        .with_args([("AgeOlderThan", "40")])
        .send(&QueryRockstars::default())
        .await
        .unwrap();
    assert_eq!(
        old.results.iter().map(|r| r.age).collect::<Vec<_>>(),
        [41, 42, 43]
    );
    assert_eq!(old.total, 0, "no Total asked for");
    assert_eq!(server.take()[0].uri, "/api/QueryRockstars?AgeOlderThan=40");
}

// ---------------------------------------------------------------- uploads

fn titled(title: &str) -> UploadAttachments {
    UploadAttachments {
        title: title.into(),
        ..UploadAttachments::default()
    }
}

#[tokio::test]
async fn uploads_from_paths_bytes_and_readers_bind_to_bytes_and_http_file_fields() {
    let server = serve(extras().into_router()).await;
    let client = server.client().build().unwrap();
    let recording = blob(150 * 1024);
    let path = temp_file("call.wav", &recording);
    let progress = Arc::new(Mutex::new(Vec::new()));
    let seen_progress = progress.clone();
    let files = vec![
        UploadFile::from_path(&path)
            .field_name("recording")
            .on_progress(move |sent, total| seen_progress.lock().unwrap().push((sent, total))),
        UploadFile::from_bytes(b"meeting notes".to_vec())
            .file_name("notes.txt")
            .field_name("attachment"),
        UploadFile::from_async_read(&b"a,b\n1,2\n"[..])
            .file_name("table.csv")
            .field_name("attachments"),
        UploadFile::from_read(std::io::Cursor::new(br#"{"x":1}"#.to_vec()))
            .file_name("data.json")
            .field_name("attachments"),
    ];
    let uploaded = client
        .post_files_with_request(&titled("call of 3 May"), files)
        .await
        .unwrap();
    assert_eq!(
        uploaded,
        Uploaded {
            title: "call of 3 May".into(),
            recording_length: recording.len(),
            recording_sum: recording.iter().map(|&b| u64::from(b)).sum(),
            attachment: Some(FileSeen::new(
                "attachment",
                "notes.txt",
                "text/plain",
                "meeting notes"
            )),
            attachments: vec![
                FileSeen::new("attachments", "table.csv", "text/csv", "a,b\n1,2\n"),
                FileSeen::new("attachments", "data.json", "application/json", r#"{"x":1}"#),
            ],
            files: 4,
        }
    );
    // The file from the path went in 64 KiB chunks, each reported with the file's length.
    let total = Some(recording.len() as u64);
    assert_eq!(
        *progress.lock().unwrap(),
        [(65536, total), (131072, total), (153600, total)]
    );

    // One file; the declared route under `RouteStrategy::Declared`.
    let declared = server
        .client()
        .route_strategy(RouteStrategy::Declared)
        .build()
        .unwrap();
    let uploaded = declared
        .post_file_with_request(
            &titled("one"),
            UploadFile::from_bytes(vec![b'x']).field_name("attachment"),
        )
        .await
        .unwrap();
    assert_eq!(
        uploaded.attachment,
        Some(FileSeen::new(
            "attachment",
            "upload0",
            "application/octet-stream",
            "x"
        ))
    );
    assert_eq!(
        lines(&server.take()),
        [
            ("POST", "/api/UploadAttachments", 200),
            ("POST", "/attachments", 200)
        ]
    );
}

#[tokio::test]
async fn uploads_over_the_servers_limit_are_413_and_unreadable_files_are_never_sent() {
    let server = serve(extras().into_router()).await;
    let client = server.client().build().unwrap();
    let big = blob(UPLOAD_LIMIT + 1);
    // A known length (bytes, a path): the server refuses it from its Content-Length.
    let path = temp_file("big.bin", &big);
    for file in [
        UploadFile::from_bytes(big.clone()),
        UploadFile::from_path(&path),
    ] {
        let error = client
            .post_file_with_request(&titled("big"), file.field_name("recording"))
            .await
            .unwrap_err();
        assert_eq!(
            service_error(&error),
            err(
                413,
                "RequestEntityTooLarge",
                &format!("the request body is larger than {UPLOAD_LIMIT} bytes")
            )
        );
    }
    // A reader's length is unknown (chunked): the server stops reading at its limit.
    let error = client
        .post_file_with_request(
            &titled("big"),
            UploadFile::from_read(std::io::Cursor::new(big)).field_name("recording"),
        )
        .await
        .unwrap_err();
    assert_eq!(service_error(&error).0, 413, "{error:?}");

    let missing = client
        .post_file_with_request(
            &titled("missing"),
            UploadFile::from_path("/nonexistent/recording.wav"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&missing, Error::File { file, .. } if file == "/nonexistent/recording.wav"),
        "{missing:?}"
    );
    assert_eq!(
        lines(&server.take()),
        [
            ("POST", "/api/UploadAttachments", 413),
            ("POST", "/api/UploadAttachments", 413),
            ("POST", "/api/UploadAttachments", 413),
        ]
    );
}

// ---------------------------------------------------------------- raw results

#[tokio::test]
async fn text_and_bytes_results_and_send_raw() {
    let server = example(jwt_cookies()).await;
    // The example's recording of a session: 256 bytes made up from its id.
    let seed = b"s1".iter().fold(0u8, |a, b| a.wrapping_add(*b));
    let recording: Vec<u8> = (0..=255u8).map(|i| i.wrapping_mul(31) ^ seed).collect();
    for strategy in [RouteStrategy::Api, RouteStrategy::Declared] {
        let client = server
            .client()
            .route_strategy(strategy)
            .api_key("demo-token")
            .build()
            .unwrap();
        let log = client
            .send(&app::GetSessionLog {
                session_id: "s1".into(),
            })
            .await
            .unwrap();
        assert_eq!(log, "2024-01-05T09:00:00Z Call answered by Alice\n");
        let bytes = client
            .send(&app::GetSessionRecording {
                session_id: "s1".into(),
            })
            .await
            .unwrap();
        assert_eq!(bytes.0, recording);
        let mut raw = client
            .send_raw(&app::GetSessionRecording {
                session_id: "s1".into(),
            })
            .await
            .unwrap();
        assert_eq!(raw.status(), 200);
        assert_eq!(raw.content_type(), Some("application/octet-stream"));
        assert_eq!(raw.content_length(), Some(256));
        let mut streamed = Vec::new();
        while let Some(chunk) = raw.chunk().await.unwrap() {
            streamed.extend_from_slice(&chunk);
        }
        assert_eq!(streamed, recording);
        // Errors of raw operations are still ServiceStack errors.
        let missing = client
            .send_raw(&app::GetSessionRecording {
                session_id: "nope".into(),
            })
            .await
            .unwrap_err();
        assert_eq!(
            service_error(&missing),
            err(404, "NotFound", "Session 'nope' does not exist")
        );
        let paths: Vec<String> = server.take().iter().map(|s| s.uri.clone()).collect();
        let expected = match strategy {
            RouteStrategy::Api => [
                "/api/GetSessionLog?sessionId=s1",
                "/api/GetSessionRecording?sessionId=s1",
                "/api/GetSessionRecording?sessionId=s1",
                "/api/GetSessionRecording?sessionId=nope",
            ],
            _ => [
                "/sessions/s1/log",
                "/sessions/s1/recording",
                "/sessions/s1/recording",
                "/sessions/nope/recording",
            ],
        };
        assert_eq!(paths, expected);
    }

    // A body over the client's limit: `send` refuses it from its length, `send_raw` streams it.
    let server = serve(extras().into_router()).await;
    let client = server
        .client()
        .max_response_bytes(64 * 1024)
        .build()
        .unwrap();
    let size = 1024 * 1024;
    let error = client.send(&Blob { size }).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::TooLarge {
                status: 200,
                limit: 65536,
                content_length: Some(1048576),
                ..
            }
        ),
        "{error:?}"
    );
    let mut raw = client.send_raw(&Blob { size }).await.unwrap();
    let mut streamed = Vec::with_capacity(size);
    while let Some(chunk) = raw.chunk().await.unwrap() {
        streamed.extend_from_slice(&chunk);
    }
    assert_eq!(streamed, blob(size));
}

// ---------------------------------------------------------------- void operations

#[tokio::test]
async fn void_operations_answer_204_alone_and_in_batches() {
    let extras_state = Arc::new(Extras::default());
    let router = ServiceRouter::new(extras_state.clone())
        .operation(
            Access::PUBLIC,
            |svc: Arc<Extras>, req: Ping, _| async move {
                svc.pings.lock().unwrap().push(req.note);
                Ok(Void)
            },
        )
        .into_router();
    let server = serve(router).await;
    let client = server.client().build().unwrap();
    let ping = |note: &str| Ping { note: note.into() };
    client.send_void(&ping("a")).await.unwrap();
    assert_eq!(client.send(&ping("b")).await.unwrap(), Void);
    assert_eq!(
        client.send_all(&[ping("c"), ping("d")]).await.unwrap(),
        [Void, Void]
    );
    client.send_oneway(&ping("e")).await.unwrap();
    assert_eq!(
        *extras_state.pings.lock().unwrap(),
        ["a", "b", "c", "d", "e"]
    );
    assert_eq!(
        lines(&server.take()),
        [
            ("POST", "/api/Ping", 204),
            ("POST", "/api/Ping", 204),
            ("POST", "/api/Ping[]", 204),
            ("POST", "/api/Ping", 204),
        ]
    );
}

// ---------------------------------------------------------------- retries

fn retrying(server: &Served) -> JsonServiceClient {
    server
        .client()
        .retry(RetryPolicy::new(3).backoff(Duration::from_millis(5), Duration::from_millis(20)))
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_retry_policy_resends_idempotent_requests_to_a_server_that_fails_first() {
    let server = serve(extras().into_router()).await;
    let client = retrying(&server);
    let flaky = |key: &str, failures| Flaky {
        key: key.into(),
        failures,
    };
    // Two 503s with `Retry-After: 0`, then the answer.
    assert_eq!(
        client.send(&flaky("a", 2)).await.unwrap(),
        Attempts { attempts: 3 }
    );
    assert_eq!(
        lines(&server.take()),
        [
            ("GET", "/api/Flaky", 503),
            ("GET", "/api/Flaky", 503),
            ("GET", "/api/Flaky", 200),
        ]
    );
    // More failures than retries: the last 503 is the error.
    let error = client.send(&flaky("b", 9)).await.unwrap_err();
    assert_eq!(
        service_error(&error),
        err(503, "ServiceUnavailable", "try again (attempt 4)")
    );
    assert_eq!(count(&server.take(), "/api/Flaky", 503), 4);
    // POST is never sent twice.
    let error = client
        .send(&FlakyCreate {
            key: "c".into(),
            failures: 1,
        })
        .await
        .unwrap_err();
    assert_eq!(service_error(&error).0, 503);
    assert_eq!(lines(&server.take()), [("POST", "/api/FlakyCreate", 503)]);
    // Nor without a policy.
    let plain = server.client().build().unwrap();
    assert_eq!(
        plain.send(&flaky("d", 1)).await.unwrap_err().status(),
        Some(503)
    );
    assert_eq!(server.take().len(), 1);
}

// ---------------------------------------------------------------- HEAD, OPTIONS and CORS

/// `HEAD /sessions/{sessionId}`: whether a session exists, as a client asks it without a body.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ssdto::Request)]
#[serde(rename_all = "camelCase", default)]
#[ssdto(route("HEAD", "/sessions/{sessionId}"), returns_void)]
struct SessionExists {
    session_id: String,
}

/// `OPTIONS /sessions/{sessionId}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ssdto::Request)]
#[serde(rename_all = "camelCase", default)]
#[ssdto(route("OPTIONS", "/sessions/{sessionId}"), returns_void)]
struct SessionOptions {
    session_id: String,
}

/// `OPTIONS /blob/{size}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ssdto::Request)]
#[serde(rename_all = "camelCase", default)]
#[ssdto(route("OPTIONS", "/blob/{size}"), returns_void)]
struct BlobOptions {
    size: usize,
}

/// The headers of the last reply a response filter saw.
type LastHeaders = Arc<Mutex<Vec<(String, String)>>>;

/// A client on the declared routes whose response filter keeps the last reply's headers.
fn watching(server: &Served, headers: &[(&str, &str)]) -> (JsonServiceClient, LastHeaders) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let keep = seen.clone();
    let mut builder = server
        .client()
        .route_strategy(RouteStrategy::Declared)
        .api_key("demo-token")
        .response_filter(move |res| {
            *keep.lock().unwrap() = res
                .headers()
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
                .collect();
        });
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    (builder.build().unwrap(), seen)
}

fn header(seen: &Mutex<Vec<(String, String)>>, name: &str) -> Option<String> {
    seen.lock()
        .unwrap()
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

#[tokio::test]
async fn head_options_and_cors_as_the_client_sees_them() {
    let server = example(jwt_cookies()).await;
    let (client, seen) = watching(&server, &[]);
    // HEAD runs GET without the body: the same length, nothing to read.
    client.send(&get("s1")).await.unwrap();
    let get_length = header(&seen, "content-length").expect("a Content-Length");
    client
        .send_void(&SessionExists {
            session_id: "s1".into(),
        })
        .await
        .unwrap();
    assert_eq!(header(&seen, "content-length"), Some(get_length));
    // A missing one is a 404 without a body to explain it.
    let missing = client
        .send_void(&SessionExists {
            session_id: "nope".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(service_error(&missing), err(404, "404", "Not Found"));
    // With CORS on, every OPTIONS is answered as a preflight, as ServiceStack's CorsFeature
    // (`AutoHandleOptionsRequests`) does: the CORS verbs, no `Allow`.
    client
        .send_void(&SessionOptions {
            session_id: "s1".into(),
        })
        .await
        .unwrap();
    assert_eq!(header(&seen, "allow"), None);
    assert_eq!(
        header(&seen, "access-control-allow-methods").as_deref(),
        Some("GET,POST,PUT,DELETE,PATCH,OPTIONS,HEAD")
    );
    assert_eq!(
        lines(&server.take()),
        [
            ("GET", "/sessions/s1", 200),
            ("HEAD", "/sessions/s1", 200),
            ("HEAD", "/sessions/nope", 404),
            ("OPTIONS", "/sessions/s1", 200),
        ]
    );
    // Without CORS, OPTIONS names the verbs the path answers.
    let plain = serve(extras().into_router()).await;
    let (client, seen) = watching(&plain, &[]);
    client.send_void(&BlobOptions { size: 3 }).await.unwrap();
    assert_eq!(header(&seen, "allow").as_deref(), Some("GET, HEAD"));
    assert_eq!(lines(&plain.take()), [("OPTIONS", "/blob/3", 204)]);

    // With an Origin, CORS headers as ServiceStack's CorsFeature defaults.
    let (browser_like, seen) = watching(&server, &[("Origin", "https://app.example.com")]);
    browser_like.send(&get("s2")).await.unwrap();
    assert_eq!(
        header(&seen, "access-control-allow-origin").as_deref(),
        Some("*")
    );
    // A preflight is answered before it reaches an operation, without credentials.
    let (preflight, seen) = watching(
        &server,
        &[
            ("Origin", "https://app.example.com"),
            ("Access-Control-Request-Method", "POST"),
        ],
    );
    preflight
        .send_void(&SessionOptions {
            session_id: "s2".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        header(&seen, "access-control-allow-methods").as_deref(),
        Some("GET,POST,PUT,DELETE,PATCH,OPTIONS,HEAD")
    );
    assert_eq!(
        header(&seen, "access-control-max-age").as_deref(),
        Some("600")
    );
    assert_eq!(
        lines(&server.take()),
        [
            ("GET", "/sessions/s2", 200),
            ("OPTIONS", "/sessions/s2", 200),
        ]
    );
}

#[tokio::test]
async fn every_route_strategy_refreshes_at_a_route_the_server_serves() {
    let server = example(jwt_bearer()).await;
    for (strategy, refresh_path) in [
        (RouteStrategy::Api, "/api/GetAccessToken"),
        (RouteStrategy::JsonReply, "/json/reply/GetAccessToken"),
        (RouteStrategy::Declared, "/access-token"),
    ] {
        let client = server
            .client()
            .route_strategy(strategy)
            .bearer_token(expired_access_token())
            .refresh_token(refresh_token())
            .build()
            .unwrap();
        assert_eq!(active(&client).await.unwrap(), ACTIVE, "{strategy:?}");
        let seen = server.take();
        assert_eq!(seen.len(), 3, "{seen:#?}");
        assert_eq!(seen[1].path(), refresh_path);
        assert_eq!(seen[1].status, 200);
        assert_eq!(seen[2].status, 200);
    }
}

// ---------------------------------------------------------------- the blocking client

/// The blocking client drives the same pipeline: sign-in, refresh, batches, uploads and
/// paging against the server, from a thread without a runtime.
#[test]
fn the_blocking_client_against_the_server() {
    use ssdto::client::blocking::JsonServiceClient as Blocking;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (example, extra) = runtime.block_on(async {
        (
            example(jwt_cookies()).await,
            serve(extras().into_router()).await,
        )
    });

    let client = Blocking::builder(&example.base).build().unwrap();
    let signed_in = client.authenticate("demo", "demo").unwrap();
    assert_eq!(signed_in.user_name.as_deref(), Some("demo"));
    assert!(client.cookie("ss-reftok").is_some());
    let sessions = client.send_all(&[get("s2"), get("s4")]).unwrap();
    assert_eq!(ids(&sessions), ["s2", "s4"]);

    let refreshing = Blocking::builder(&example.base)
        .bearer_token(expired_access_token())
        .refresh_token(refresh_token())
        .build()
        .unwrap();
    let active = refreshing.send(&GetActiveSessions::default()).unwrap();
    assert_eq!(ids(&active.sessions.unwrap_or_default()), ACTIVE);
    assert!(refreshing.cookie("ss-tok").is_some());
    assert_eq!(
        lines(&example.take()),
        [
            ("POST", "/auth/credentials", 200),
            ("POST", "/api/GetSession[]", 200),
            ("GET", "/api/GetActiveSessions", 401),
            ("POST", "/api/GetAccessToken", 200),
            ("GET", "/api/GetActiveSessions", 200),
        ]
    );

    let client = Blocking::new(&extra.base).unwrap();
    let uploaded = client
        .post_file_with_request(
            &titled("blocking"),
            UploadFile::from_read(std::io::Cursor::new(b"from a Read".to_vec()))
                .file_name("r.txt")
                .field_name("attachment"),
        )
        .unwrap();
    assert_eq!(
        uploaded.attachment,
        Some(FileSeen::new(
            "attachment",
            "r.txt",
            "text/plain",
            "from a Read"
        ))
    );
    let ids: Vec<i32> = client
        .query_all(&QueryRockstars {
            take: Some(7),
            ..QueryRockstars::default()
        })
        .map(|row| row.unwrap().id)
        .collect();
    assert_eq!(ids, (1..=23).collect::<Vec<_>>());
    assert_eq!(count(&extra.take(), "/api/QueryRockstars", 200), 4);
}

#[tokio::test]
async fn after_a_logout_from_token_cookies_a_401_is_the_answer_not_a_refresh() {
    let server = example(jwt_cookies()).await;
    let client = server.client().build().unwrap();
    client.authenticate("demo", "demo").await.unwrap();
    assert_eq!(active(&client).await.unwrap(), ACTIVE);
    let logout = Authenticate {
        provider: Some("logout".into()),
        ..Authenticate::default()
    };
    client.send(&logout).await.unwrap();
    assert_eq!(client.cookie("ss-tok"), None);
    assert_eq!(client.cookie("ss-reftok"), None);
    // Nothing to refresh with: the server's 401 is the answer.
    assert_eq!(
        expect_service_error(active(&client).await),
        err(401, "Unauthorized", "Not Authenticated")
    );
    assert_eq!(
        lines(&server.take()),
        [
            ("POST", "/auth/credentials", 200),
            ("GET", "/api/GetActiveSessions", 200),
            ("POST", "/api/Authenticate", 200),
            ("GET", "/api/GetActiveSessions", 401),
        ]
    );
}

#[tokio::test]
async fn filters_see_every_request_and_reply_of_a_refresh() {
    let server = example(jwt_bearer()).await;
    let sent = Arc::new(Mutex::new(Vec::new()));
    let statuses = Arc::new(Mutex::new(Vec::new()));
    let (sent_log, status_log) = (sent.clone(), statuses.clone());
    let client = server
        .client()
        .bearer_token(expired_access_token())
        .refresh_token(refresh_token())
        .request_filter(move |req| {
            sent_log.lock().unwrap().push(req.url().path().to_owned());
            // What a filter adds reaches the server: here a header on the requests that carry
            // no credentials (the refresh).
            if !req.headers().contains_key("authorization") {
                req.headers_mut()
                    .insert("x-tenant", "northwind".parse().unwrap());
            }
        })
        .response_filter(move |res| status_log.lock().unwrap().push(res.status().as_u16()))
        .build()
        .unwrap();
    assert_eq!(active(&client).await.unwrap(), ACTIVE);
    assert_eq!(
        *sent.lock().unwrap(),
        [
            "/api/GetActiveSessions",
            "/api/GetAccessToken",
            "/api/GetActiveSessions"
        ]
    );
    assert_eq!(*statuses.lock().unwrap(), [401, 200, 200]);
    let seen = server.take();
    assert_eq!(
        lines(&seen),
        [
            ("GET", "/api/GetActiveSessions", 401),
            ("POST", "/api/GetAccessToken", 200),
            ("GET", "/api/GetActiveSessions", 200),
        ]
    );
    let tenants: Vec<Option<&str>> = seen.iter().map(|s| s.tenant.as_deref()).collect();
    assert_eq!(tenants, [None, Some("northwind"), None]);
}
