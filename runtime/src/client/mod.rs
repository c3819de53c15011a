//! A typed JSON client for ServiceStack services (feature `client`; the blocking flavour is
//! behind feature `blocking`).
//!
//! It sends a request DTO the way ServiceStack's official clients do: to `/api/{Operation}`
//! by default (see [`RouteStrategy`] for `/json/reply/{Operation}` and the contract's declared
//! routes), with the fields of GET and DELETE requests in the query string
//! ([`query`](crate::query)) and those of other verbs as a JSON body, and reads the response
//! type the request declares.
//!
//! ```no_run
//! # #[derive(serde::Serialize, Default)] #[serde(rename_all = "camelCase")]
//! # struct GetSession { session_id: String }
//! # #[derive(serde::Deserialize, Debug)] struct SessionInfo {}
//! # impl ssdto::Request for GetSession {
//! #     type Response = SessionInfo;
//! #     const OPERATION: &'static str = "GetSession";
//! #     const METHOD: ssdto::Method = ssdto::Method::Get;
//! # }
//! use std::time::Duration;
//! use ssdto::client::{Error, JsonServiceClient};
//!
//! async fn show() -> Result<(), Error> {
//!     let client = JsonServiceClient::builder("https://api.example.com")
//!         .bearer_token("my-api-key")
//!         .timeout(Duration::from_secs(10))
//!         .build()?;
//!     // GET https://api.example.com/api/GetSession?sessionId=s1
//!     let session = client.send(&GetSession { session_id: "s1".into() }).await?;
//!     println!("{session:?}");
//!     Ok(())
//! }
//! ```

mod auth;
#[cfg(feature = "blocking")]
pub mod blocking;
mod body;
mod error;
mod strategy;

use std::marker::PhantomData;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, COOKIE};

pub use auth::Auth;
pub use body::DEFAULT_MAX_RESPONSE_BYTES;
pub use error::{excerpt, ConfigError, Error, ServiceError, EXCERPT_BYTES};
pub use strategy::RouteStrategy;

use crate::{AuthenticateResponse, Method, Request};
use auth::CookieJar;
use body::LimitedBody;
use strategy::Prepared;

/// The `User-Agent` the client sends unless told otherwise.
pub const DEFAULT_USER_AGENT: &str = concat!("ssdto/", env!("CARGO_PKG_VERSION"));

const JSON: &str = "application/json";

/// Configures a client: `JsonServiceClient::builder(url)` for the async one, and
/// `blocking::JsonServiceClient::builder(url)` for the blocking one; `build()` makes it.
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build()` is called"]
pub struct ClientBuilder<C = JsonServiceClient> {
    config: Config,
    client: PhantomData<fn() -> C>,
}

/// Everything a builder collects, shared by both flavours.
#[derive(Debug, Clone)]
struct Config {
    base_url: String,
    strategy: RouteStrategy,
    auth: Option<Auth>,
    headers: Vec<(String, String)>,
    cookies: Vec<(String, String)>,
    timeout: Option<Duration>,
    user_agent: String,
    max_response_bytes: usize,
}

impl<C> ClientBuilder<C> {
    fn new(base_url: &str) -> Self {
        ClientBuilder {
            config: Config {
                base_url: base_url.to_owned(),
                strategy: RouteStrategy::default(),
                auth: None,
                headers: Vec::new(),
                cookies: Vec::new(),
                timeout: None,
                user_agent: DEFAULT_USER_AGENT.to_owned(),
                max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            },
            client: PhantomData,
        }
    }

    /// How request types map to URL paths; [`RouteStrategy::Api`] unless set.
    pub fn route_strategy(mut self, strategy: RouteStrategy) -> Self {
        self.config.strategy = strategy;
        self
    }

    /// Sends `Authorization: Basic ...` with every request.
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.config.auth = Some(Auth::Basic {
            username: username.into(),
            password: password.into(),
        });
        self
    }

    /// Sends `Authorization: Bearer <token>` with every request (a JWT).
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.config.auth = Some(Auth::Bearer(token.into()));
        self
    }

    /// Sends a ServiceStack API key with every request. ServiceStack's API key provider reads
    /// the key from the bearer token, so this is [`bearer_token`](Self::bearer_token).
    pub fn api_key(self, key: impl Into<String>) -> Self {
        self.bearer_token(key)
    }

    /// Sets or clears the credentials sent with every request.
    pub fn auth(mut self, auth: Option<Auth>) -> Self {
        self.config.auth = auth;
        self
    }

    /// Adds a header sent with every request; it replaces a default header of the same name
    /// (`Accept`, `User-Agent`, `Authorization`).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.config.headers.push((name.into(), value.into()));
        self
    }

    /// Starts with a cookie, such as an `ss-pid` saved from an earlier session.
    pub fn cookie(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.config.cookies.push((name.into(), value.into()));
        self
    }

    /// Gives up on a request after `timeout` (connecting, sending and reading the whole
    /// reply); the error then says [`Error::is_timeout`]. No timeout unless set.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.config.timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header; [`DEFAULT_USER_AGENT`] (`ssdto/<version>`) unless set.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.config.user_agent = user_agent.into();
        self
    }

    /// The largest response body the client reads, in bytes;
    /// [`DEFAULT_MAX_RESPONSE_BYTES`] (32 MiB) unless set. A longer body, of a success or an
    /// error reply, fails the call with [`Error::TooLarge`] without being read past the limit
    /// (nor at all when its `Content-Length` is over it), so a broken or hostile server cannot
    /// make the client buffer an unbounded amount. `usize::MAX` turns the limit off.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.config.max_response_bytes = limit;
        self
    }
}

impl Config {
    /// The base URL without a trailing `/`, checked to be `http` or `https` with a host and
    /// neither query nor fragment (paths are appended to it).
    fn base_url(&self) -> Result<String, ConfigError> {
        let invalid = |reason: &str| ConfigError::BaseUrl {
            url: self.base_url.clone(),
            reason: reason.to_owned(),
        };
        let url = reqwest::Url::parse(self.base_url.trim()).map_err(|e| invalid(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid("the scheme must be http or https"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(invalid("it has no host"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid("it must not have a query or fragment"));
        }
        Ok(url.as_str().trim_end_matches('/').to_owned())
    }

    /// The headers sent with every request.
    fn default_headers(&self) -> Result<HeaderMap, ConfigError> {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static(JSON));
        let user_agent =
            HeaderValue::from_str(&self.user_agent).map_err(|_| ConfigError::Header {
                name: "User-Agent".into(),
            })?;
        headers.insert(reqwest::header::USER_AGENT, user_agent);
        if let Some(auth) = &self.auth {
            headers.insert(reqwest::header::AUTHORIZATION, auth.header_value()?);
        }
        for (name, value) in &self.headers {
            let invalid = || ConfigError::Header { name: name.clone() };
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            let value = HeaderValue::from_str(value).map_err(|_| invalid())?;
            headers.insert(header, value);
        }
        Ok(headers)
    }

    /// The cookie jar, seeded with the configured cookies.
    fn cookie_jar(&self) -> Result<CookieJar, ConfigError> {
        let mut jar = CookieJar::default();
        for (name, value) in &self.cookies {
            let bad = |c: char| c.is_ascii_control() || matches!(c, ';' | ',' | ' ' | '"');
            if name.is_empty() || name.contains('=') || name.contains(bad) || value.contains(bad) {
                return Err(ConfigError::Cookie { name: name.clone() });
            }
            jar.set(name, value);
        }
        Ok(jar)
    }

    fn shared(&self) -> Result<Shared, ConfigError> {
        Ok(Shared {
            base_url: self.base_url()?,
            strategy: self.strategy,
            cookies: Mutex::new(self.cookie_jar()?),
            max_response_bytes: self.max_response_bytes,
        })
    }
}

/// The state both flavours of client share between clones.
#[derive(Debug)]
struct Shared {
    base_url: String,
    strategy: RouteStrategy,
    cookies: Mutex<CookieJar>,
    max_response_bytes: usize,
}

impl Shared {
    fn jar(&self) -> MutexGuard<'_, CookieJar> {
        // A panic elsewhere while holding the lock cannot leave the jar half-written (every
        // change is one Vec operation), so a poisoned lock is still usable.
        self.cookies.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Works out the URL and body of `request` sent with `method`.
    fn prepare<R: Request>(&self, request: &R, method: Method) -> Result<Prepared, Error> {
        strategy::prepare(request, method, self.strategy)
    }

    fn url(&self, prepared: &Prepared) -> String {
        strategy::join(&self.base_url, &prepared.path_and_query)
    }

    /// The headers of one request: a JSON content type when there is a body (as the Python
    /// client does; GET and DELETE carry none), and the session cookies.
    fn request_headers(&self, has_body: bool) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if has_body {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
        }
        if let Some(cookies) = self.jar().header() {
            // Stored values came from valid header values or were checked by the builder.
            if let Ok(value) = HeaderValue::from_str(&cookies) {
                headers.insert(COOKIE, value);
            }
        }
        headers
    }

    /// Starts reading the body of a reply within the configured limit.
    fn limited_body(&self, status: u16, content_length: Option<u64>) -> Result<LimitedBody, Error> {
        LimitedBody::new(self.max_response_bytes, status, content_length)
    }

    /// Keeps the cookies a reply sets.
    fn store_cookies(&self, headers: &HeaderMap) {
        let mut jar = self.jar();
        for value in headers.get_all(reqwest::header::SET_COOKIE) {
            if let Ok(text) = value.to_str() {
                jar.store(text);
            }
        }
    }
}

fn http_method(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
        Method::Head => reqwest::Method::HEAD,
        Method::Options => reqwest::Method::OPTIONS,
    }
}

/// The `POST /auth/credentials` request, prepared.
fn credentials_request(username: &str, password: &str) -> Result<Prepared, Error> {
    let body = auth::Credentials {
        user_name: username,
        password,
        remember_me: true,
    };
    Ok(Prepared {
        method: Method::Post,
        path_and_query: "/auth/credentials".to_owned(),
        body: Some(serde_json::to_vec(&body).map_err(Error::Encode)?),
    })
}

/// An async client for one ServiceStack server. Cheap to clone; clones share the connection
/// pool and the session cookies.
#[derive(Debug, Clone)]
pub struct JsonServiceClient {
    http: reqwest::Client,
    shared: Arc<Shared>,
}

impl ClientBuilder<JsonServiceClient> {
    /// Makes the client.
    pub fn build(self) -> Result<JsonServiceClient, Error> {
        let config = &self.config;
        let mut http = reqwest::Client::builder().default_headers(config.default_headers()?);
        if let Some(timeout) = config.timeout {
            http = http.timeout(timeout);
        }
        Ok(JsonServiceClient {
            http: http.build().map_err(ConfigError::Http)?,
            shared: Arc::new(config.shared()?),
        })
    }
}

impl JsonServiceClient {
    /// A client for the server at `base_url` (`https://host`, or with a path prefix such as
    /// `https://host/v1`) with default settings.
    pub fn new(base_url: &str) -> Result<Self, Error> {
        Self::builder(base_url).build()
    }

    /// A builder for a client of the server at `base_url`.
    pub fn builder(base_url: &str) -> ClientBuilder<Self> {
        ClientBuilder::new(base_url)
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// Sends `request` with the verb the operation declares ([`Request::METHOD`]) and reads
    /// its response. For a void operation ([`Request::RETURNS_VOID`]) a 204 or an empty body
    /// is success.
    pub async fn send<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        self.send_as(R::METHOD, request).await
    }

    /// Sends `request` with `method`, whatever the operation declares.
    pub async fn send_as<R: Request>(
        &self,
        method: Method,
        request: &R,
    ) -> Result<R::Response, Error> {
        let prepared = self.shared.prepare(request, method)?;
        let (status, body) = self.execute(prepared).await?;
        error::read_reply(status, &body, R::RETURNS_VOID)
    }

    /// Sends `request` with its declared verb and ignores the body of a successful reply:
    /// for operations that return nothing, whose servers answer 204, an empty body or `{}`.
    pub async fn send_void<R: Request>(&self, request: &R) -> Result<(), Error> {
        let prepared = self.shared.prepare(request, R::METHOD)?;
        let (status, body) = self.execute(prepared).await?;
        error::check_status(status, &body)
    }

    /// Sends `request` with GET.
    pub async fn get<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        self.send_as(Method::Get, request).await
    }

    /// Sends `request` with POST.
    pub async fn post<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        self.send_as(Method::Post, request).await
    }

    /// Sends `request` with PUT.
    pub async fn put<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        self.send_as(Method::Put, request).await
    }

    /// Sends `request` with PATCH.
    pub async fn patch<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        self.send_as(Method::Patch, request).await
    }

    /// Sends `request` with DELETE.
    pub async fn delete<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        self.send_as(Method::Delete, request).await
    }

    /// The URL `request` would be sent to with `method`, for logs and debugging.
    pub fn url_for<R: Request>(&self, method: Method, request: &R) -> Result<String, Error> {
        Ok(self.shared.url(&self.shared.prepare(request, method)?))
    }

    /// Signs in with ServiceStack's credentials provider (`POST /auth/credentials` with
    /// `userName`, `password` and `rememberMe: true`). The session cookies it sets (`ss-id`,
    /// `ss-pid`, `ss-opt`) are kept and sent with every later request of this client and
    /// its clones.
    pub async fn authenticate(
        &self,
        username: &str,
        password: &str,
    ) -> Result<AuthenticateResponse, Error> {
        let (status, body) = self
            .execute(credentials_request(username, password)?)
            .await?;
        error::read_reply(status, &body, false)
    }

    /// The value of a cookie the server set (`ss-id`, `ss-pid`, ...), to save a session.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.shared.jar().get(name).map(str::to_owned)
    }

    async fn execute(&self, prepared: Prepared) -> Result<(u16, Vec<u8>), Error> {
        let url = self.shared.url(&prepared);
        let headers = self.shared.request_headers(prepared.body.is_some());
        let mut request = self
            .http
            .request(http_method(prepared.method), url)
            .headers(headers);
        if let Some(body) = prepared.body {
            request = request.body(body);
        }
        let mut response = request.send().await.map_err(Error::Transport)?;
        self.shared.store_cookies(response.headers());
        let status = response.status().as_u16();
        // Chunk by chunk rather than `bytes()`, which would buffer a body of any size.
        let mut body = self
            .shared
            .limited_body(status, response.content_length())?;
        while let Some(chunk) = response.chunk().await.map_err(Error::Transport)? {
            body.push(&chunk)?;
        }
        Ok((status, body.finish()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base: &str) -> Config {
        JsonServiceClient::builder(base).config
    }

    #[test]
    fn base_urls_are_checked_and_trimmed() {
        assert_eq!(config("http://h:8080").base_url().unwrap(), "http://h:8080");
        assert_eq!(
            config(" https://h/v1/ ").base_url().unwrap(),
            "https://h/v1"
        );
        for bad in [
            "",
            "h:80",
            "ftp://h",
            "http://h/?q=1",
            "http://h/#x",
            "file:///tmp",
        ] {
            let err = config(bad).base_url().unwrap_err();
            assert!(matches!(err, ConfigError::BaseUrl { .. }), "{bad}: {err}");
        }
    }

    #[test]
    fn default_headers() {
        let headers = config("http://h").default_headers().unwrap();
        assert_eq!(headers[ACCEPT], JSON);
        assert_eq!(
            headers[reqwest::header::USER_AGENT],
            concat!("ssdto/", env!("CARGO_PKG_VERSION"))
        );
        assert!(headers.get(reqwest::header::AUTHORIZATION).is_none());

        let custom = JsonServiceClient::builder("http://h")
            .api_key("k")
            .header("X-Trace", "1")
            .header("accept", "application/json; charset=utf-8")
            .user_agent("app/2");
        let headers = custom.config.default_headers().unwrap();
        assert_eq!(headers[reqwest::header::AUTHORIZATION], "Bearer k");
        assert_eq!(headers["x-trace"], "1");
        assert_eq!(headers[ACCEPT], "application/json; charset=utf-8");
        assert_eq!(headers[reqwest::header::USER_AGENT], "app/2");
    }

    #[test]
    fn response_limit_defaults_to_32_mib_and_reaches_the_shared_state() {
        assert_eq!(config("http://h").max_response_bytes, 32 * 1024 * 1024);
        let client = JsonServiceClient::builder("http://h")
            .max_response_bytes(1024)
            .build()
            .unwrap();
        assert_eq!(client.shared.max_response_bytes, 1024);
        let err = client.shared.limited_body(200, Some(1025)).unwrap_err();
        assert!(
            matches!(err, Error::TooLarge { limit: 1024, .. }),
            "{err:?}"
        );
        assert!(client.shared.limited_body(200, Some(1024)).is_ok());
    }

    #[test]
    fn bad_configuration_is_an_error_not_a_panic() {
        let cases = [
            JsonServiceClient::builder("http://h").header("bad name", "v"),
            JsonServiceClient::builder("http://h").header("x", "a\nb"),
            JsonServiceClient::builder("http://h").user_agent("\u{7f}"),
            JsonServiceClient::builder("http://h").bearer_token("a\rb"),
            JsonServiceClient::builder("http://h").cookie("ss-id", "a;b"),
            JsonServiceClient::builder("http://h").cookie("", "a"),
            JsonServiceClient::builder("not a url"),
        ];
        for builder in cases {
            let err = builder.build().unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{err:?}");
        }
    }

    #[test]
    fn clients_errors_and_futures_cross_threads() {
        fn send_sync<T: Send + Sync + 'static>() {}
        fn send<T: Send>(_: T) {}
        send_sync::<Error>();
        send_sync::<JsonServiceClient>();
        #[cfg(feature = "blocking")]
        send_sync::<blocking::JsonServiceClient>();
        // `tokio::spawn` needs the futures to be Send (no lock is held across an await).
        #[derive(serde::Serialize)]
        struct Ping {}
        impl Request for Ping {
            type Response = crate::Void;
            const OPERATION: &'static str = "Ping";
            const METHOD: Method = Method::Get;
        }
        let client = JsonServiceClient::new("http://127.0.0.1:1").unwrap();
        send(client.send(&Ping {}));
        send(client.authenticate("u", "p"));
    }

    #[test]
    fn url_for_uses_the_strategy() {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct GetItem {
            item_id: u32,
        }
        impl Request for GetItem {
            type Response = serde_json::Value;
            const OPERATION: &'static str = "GetItem";
            const METHOD: Method = Method::Get;
            const ROUTES: &'static [crate::Route] = &[crate::Route {
                path: "/items/{itemId}",
                verbs: &[],
            }];
        }
        let req = GetItem { item_id: 7 };
        let client = JsonServiceClient::new("http://h/base/").unwrap();
        assert_eq!(client.base_url(), "http://h/base");
        assert_eq!(
            client.url_for(Method::Get, &req).unwrap(),
            "http://h/base/api/GetItem?itemId=7"
        );
        let declared = JsonServiceClient::builder("http://h")
            .route_strategy(RouteStrategy::Declared)
            .cookie("ss-pid", "p1")
            .build()
            .unwrap();
        assert_eq!(
            declared.url_for(Method::Delete, &req).unwrap(),
            "http://h/items/7"
        );
        assert_eq!(declared.cookie("ss-pid").as_deref(), Some("p1"));
        assert_eq!(declared.cookie("ss-id"), None);
    }
}
