//! The baselines: what a Rust developer would write by hand without ssdto. An axum router
//! with one handler per operation, a reqwest client with the URLs, query strings and JSON
//! written out, and canned replies for the client benches.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use ssdto_generated::evovoice_sessions as evo;

use crate::Store;

/// The user name and password the auth benches sign in with.
pub const USER: (&str, &str) = ("demo", "demo");

/// The `Authorization` header for [`USER`].
pub fn basic_header() -> HeaderValue {
    use base64::Engine as _;
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", USER.0, USER.1));
    HeaderValue::from_str(&format!("Basic {token}")).expect("a header value")
}

/// The user of an `Authorization: Basic` header that names [`USER`] with its password; both
/// sides of the auth comparison check credentials with this.
pub fn basic_user(headers: &HeaderMap) -> Option<&'static str> {
    use base64::Engine as _;
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    let (user, password) = std::str::from_utf8(&decoded).ok()?.split_once(':')?;
    (user == USER.0 && password == USER.1).then_some(USER.0)
}

/// `name`'s value in a query string (the benches send only unreserved characters, so there is
/// nothing to percent-decode).
fn param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .split('&')
        .find_map(|pair| pair.split_once('=').filter(|(k, _)| *k == name))
        .map(|(_, v)| v)
}

fn json<T: serde::Serialize>(value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[derive(Clone)]
struct App {
    store: Arc<Store>,
    auth: bool,
}

/// The signed-in user a hand-written app hands its handlers, as the generated side's
/// `Authenticator` answers a `Principal` (id, name, roles): the same allocations on both sides,
/// so the auth rows compare routing, not what the bench's authenticator chooses to build.
struct User {
    _id: String,
    _name: String,
    _roles: Vec<String>,
}

impl App {
    fn denied(&self, headers: &HeaderMap) -> Option<Response> {
        if !self.auth {
            return None;
        }
        match basic_user(headers) {
            Some(user) => {
                std::hint::black_box(User {
                    _id: user.to_owned(),
                    _name: user.to_owned(),
                    _roles: vec!["User".to_owned()],
                });
                None
            }
            None => Some((StatusCode::UNAUTHORIZED, "Unauthorized").into_response()),
        }
    }
}

async fn list_sessions(State(app): State<App>, headers: HeaderMap, uri: Uri) -> Response {
    if let Some(denied) = app.denied(&headers) {
        return denied;
    }
    let query = uri.query().unwrap_or_default();
    let number = |name| param(query, name).and_then(|v| v.parse().ok()).unwrap_or(0);
    json(&app.store.list(number("page"), number("countPerPage")))
}

async fn get_session(State(app): State<App>, headers: HeaderMap, uri: Uri) -> Response {
    if let Some(denied) = app.denied(&headers) {
        return denied;
    }
    match param(uri.query().unwrap_or_default(), "sessionId").and_then(|id| app.store.get(id)) {
        Some(session) => json(&session),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn new_session(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    if let Some(denied) = app.denied(&headers) {
        return denied;
    }
    match serde_json::from_slice::<evo::NewSession>(&body) {
        Ok(request) => json(&app.store.create(request)),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// ListSessions, GetSession and NewSession on their `/api/{Name}` paths, checking HTTP Basic
/// credentials when `auth` is on.
pub fn router(store: Arc<Store>, auth: bool) -> axum::Router {
    axum::Router::new()
        .route("/api/ListSessions", get(list_sessions))
        .route("/api/GetSession", get(get_session))
        .route("/api/NewSession", post(new_session))
        .with_state(App { store, auth })
}

/// The same three paths answering fixed JSON (NewSession reads its body first), so a client
/// bench measures the client and the wire, not the server's work.
pub fn canned_router() -> axum::Router {
    let list =
        Bytes::from(serde_json::to_vec(&Store::new().list(0, crate::PAGE as i32)).expect("json"));
    let one = Bytes::from(serde_json::to_vec(&crate::session("s1")).expect("json"));
    let reply = |body: Bytes| {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response()
    };
    let single = one.clone();
    axum::Router::new()
        .route("/api/ListSessions", get(move || async move { reply(list) }))
        .route("/api/GetSession", get(move || async move { reply(single) }))
        .route(
            "/api/NewSession",
            post(move |body: Bytes| async move {
                drop(body);
                reply(one)
            }),
        )
}

/// Calls the three operations with reqwest, building what the typed client builds by hand:
/// the same URLs, query strings, headers and JSON body.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
}

pub type Error = Box<dyn std::error::Error + Send + Sync>;

impl Client {
    pub fn new(base: &str) -> Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::ACCEPT,
            reqwest::header::HeaderValue::from_static("application/json"),
        );
        headers.insert(
            reqwest::header::USER_AGENT,
            reqwest::header::HeaderValue::from_static(ssdto::client::DEFAULT_USER_AGENT),
        );
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .expect("a client");
        Client {
            http,
            base: base.to_owned(),
        }
    }

    pub async fn list_sessions(
        &self,
        page: i32,
        count: i32,
    ) -> Result<evo::ListResponse<evo::SessionInfo>, Error> {
        let url = format!(
            "{}/api/ListSessions?page={page}&all=false&countPerPage={count}&sortOrder=Ascend&simplifiedPaging=false&searchArchive=false",
            self.base
        );
        let response = self.http.get(url).send().await?.error_for_status()?;
        Ok(serde_json::from_slice(&response.bytes().await?)?)
    }

    pub async fn get_session(&self, id: &str) -> Result<evo::SessionInfo, Error> {
        let url = format!("{}/api/GetSession?sessionId={id}", self.base);
        let response = self.http.get(url).send().await?.error_for_status()?;
        Ok(serde_json::from_slice(&response.bytes().await?)?)
    }

    pub async fn new_session(&self, request: &evo::NewSession) -> Result<evo::SessionInfo, Error> {
        let response = self
            .http
            .post(format!("{}/api/NewSession", self.base))
            .header(
                reqwest::header::CONTENT_TYPE,
                reqwest::header::HeaderValue::from_static("application/json"),
            )
            .body(serde_json::to_vec(request)?)
            .send()
            .await?
            .error_for_status()?;
        Ok(serde_json::from_slice(&response.bytes().await?)?)
    }
}
