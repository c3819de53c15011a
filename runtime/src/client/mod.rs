//! A typed JSON client for ServiceStack services (feature `client`; the blocking flavour is
//! behind feature `blocking`, tracing spans behind feature `tracing`).
//!
//! It sends a request DTO the way ServiceStack's official clients do: to `/api/{Operation}`
//! by default (see [`RouteStrategy`] for `/json/reply/{Operation}` and the contract's declared
//! routes), with the fields of GET and DELETE requests in the query string
//! ([`query`](crate::query)) and those of other verbs as a JSON body, and reads the response
//! type the request declares, as its [`ResponseFormat`](crate::ResponseFormat) says (JSON, or
//! the raw text or bytes of `string` and `byte[]` services).
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
//!         .bearer_token("my-jwt")
//!         .refresh_token("my-refresh-token")
//!         .timeout(Duration::from_secs(10))
//!         .build()?;
//!     // GET https://api.example.com/api/GetSession?sessionId=s1
//!     let session = client.send(&GetSession { session_id: "s1".into() }).await?;
//!     println!("{session:?}");
//!     Ok(())
//! }
//! ```
//!
//! Beyond [`send`](JsonServiceClient::send) it has what the official clients have: JWT
//! refresh and an authentication-required hook, batches ([`send_all`](JsonServiceClient::send_all)),
//! file uploads ([`post_file_with_request`](JsonServiceClient::post_file_with_request)),
//! [`api`](JsonServiceClient::api) returning an [`ApiResult`], AutoQuery paging
//! ([`query_all`](JsonServiceClient::query_all)), extra query arguments
//! ([`with_args`](JsonServiceClient::with_args)), streamed downloads
//! ([`send_raw`](JsonServiceClient::send_raw)) and a cookie store.
//!
//! With the `xml` feature, [`XmlServiceClient`] (or [`JsonServiceClient::xml`]) sends and reads
//! ServiceStack's XML instead, for types generated with the `Xml` option.
//!
//! # Middleware: filters, not reqwest-middleware
//!
//! Requests and responses can be seen and changed with
//! [`request_filter`](ClientBuilder::request_filter) and
//! [`response_filter`](ClientBuilder::response_filter), the hooks every official client has
//! (`RequestFilter`/`ResponseFilter` in C#, `requestFilter`/`responseFilter` in TypeScript,
//! `request_filter`/`response_filter` in Python); retries ([`RetryPolicy`]) and tracing spans
//! are built in. We chose these over adopting `reqwest-middleware` because:
//!
//! - the client must own the order of things: a retry must rebuild the request (a refreshed
//!   token, a re-opened upload file), and a 401 must refresh the token once for all the
//!   requests waiting on it. reqwest-middleware retries by cloning a `reqwest::Request`,
//!   which streamed uploads cannot do, and knows nothing of tokens;
//! - plain `Fn` filters work unchanged in the blocking client, while reqwest-middleware is
//!   async-only and would need a second pipeline there;
//! - it adds crates (`async-trait`, `anyhow`, `http` wrappers) for what two closures do.
//!
//! Filters run for every HTTP request the client sends, retries and refreshes included, in
//! the order they were added.

mod api;
mod auth;
mod autoquery;
mod batch;
#[cfg(feature = "blocking")]
pub mod blocking;
mod body;
mod cookies;
mod download;
mod error;
#[cfg(feature = "xml")]
mod format;
mod middleware;
mod pipeline;
mod reply;
mod strategy;
mod upload;

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT};

pub use reqwest;

pub use api::ApiResult;
pub use auth::Auth;
pub use autoquery::QueryAll;
pub use body::DEFAULT_MAX_RESPONSE_BYTES;
pub use download::RawResponse;
pub use error::{excerpt, ConfigError, Error, ServiceError, EXCERPT_BYTES};
#[cfg(feature = "xml")]
pub use format::XmlServiceClient;
pub use middleware::RetryPolicy;
pub use strategy::RouteStrategy;
pub use upload::{Progress, UploadFile};

use crate::{AuthenticateResponse, Method, Request};
use auth::{AuthHook, Session};
use cookies::Cookies;
use middleware::Filters;
use pipeline::{Call, Payload};
use strategy::Prepared;

/// The `User-Agent` the client sends unless told otherwise.
pub const DEFAULT_USER_AGENT: &str = concat!("ssdto/", env!("CARGO_PKG_VERSION"));

/// Configures a client: `JsonServiceClient::builder(url)` for the async one, and
/// `blocking::JsonServiceClient::builder(url)` for the blocking one; `build()` makes it.
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build()` is called"]
pub struct ClientBuilder<C = JsonServiceClient> {
    config: Config,
    client: PhantomData<fn() -> C>,
}

/// Everything a builder collects, shared by both flavours.
#[derive(Clone)]
struct Config {
    base_url: String,
    strategy: RouteStrategy,
    auth: Option<Auth>,
    refresh_token: Option<String>,
    refresh_uri: Option<String>,
    use_token_cookie: bool,
    auth_hook: Option<AuthHook>,
    #[cfg(feature = "blocking")]
    blocking_auth_hook: Option<blocking::BlockingAuthHook>,
    filters: Filters,
    retry: Option<RetryPolicy>,
    headers: Vec<(String, String)>,
    cookies: Vec<(String, String)>,
    timeout: Option<Duration>,
    user_agent: String,
    max_response_bytes: usize,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("base_url", &self.base_url)
            .field("strategy", &self.strategy)
            .field("auth", &self.auth)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .field("refresh_uri", &self.refresh_uri)
            .field("use_token_cookie", &self.use_token_cookie)
            .field("auth_hook", &self.auth_hook.is_some())
            .field("filters", &self.filters)
            .field("retry", &self.retry)
            .field("headers", &self.headers)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl<C> ClientBuilder<C> {
    fn new(base_url: &str) -> Self {
        ClientBuilder {
            config: Config {
                base_url: base_url.to_owned(),
                strategy: RouteStrategy::default(),
                auth: None,
                refresh_token: None,
                refresh_uri: None,
                use_token_cookie: false,
                auth_hook: None,
                #[cfg(feature = "blocking")]
                blocking_auth_hook: None,
                filters: Filters::default(),
                retry: None,
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

    /// Sends `Authorization: Bearer <token>` with every request (a JWT). With a
    /// [`refresh_token`](Self::refresh_token), a 401 gets a new one.
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

    /// A JWT refresh token. When a request fails with 401, the client posts
    /// `{"refreshToken":"...","useTokenCookie":false}` to `/api/GetAccessToken` (the TypeScript
    /// and Python clients' route; `/json/reply/GetAccessToken` with
    /// [`RouteStrategy::JsonReply`], `/access-token` with [`RouteStrategy::Declared`] as the C#
    /// client does, or [`refresh_token_uri`](Self::refresh_token_uri)), without the expired
    /// token (which the client forgets, as the C# client does), takes the `accessToken` of the
    /// reply as the new bearer token (or, from a server that uses token cookies, the `ss-tok`
    /// cookie it sets) and sends the request once more. Requests that get 401 while a refresh
    /// runs wait for it and are sent again with its token: one refresh at a time. A failed
    /// refresh fails the call with [`Error::RefreshToken`].
    pub fn refresh_token(mut self, token: impl Into<String>) -> Self {
        self.config.refresh_token = Some(token.into());
        self
    }

    /// Where to post `GetAccessToken`: a path (`/auth/refresh`) or an absolute URL, as the
    /// official clients' `RefreshTokenUri`.
    pub fn refresh_token_uri(mut self, uri: impl Into<String>) -> Self {
        self.config.refresh_uri = Some(uri.into());
        self
    }

    /// Refreshes with the JWT cookies, as the TypeScript client's `useTokenCookie`: the
    /// server set the access token as the `ss-tok` cookie and the refresh token as
    /// `ss-reftok`, so on a 401 the client drops `ss-tok`, posts `{"useTokenCookie":true}`
    /// to `GetAccessToken` with the cookies, and sends again with the `ss-tok` cookie the
    /// reply sets. This mode also turns on by itself when the client holds an `ss-reftok`
    /// cookie or a reply lists `ss-reftok` in its `X-Cookies` header. Without a
    /// [`refresh_token`](Self::refresh_token) a refresh needs the `ss-reftok` cookie: after a
    /// logout expired it, a 401 is the answer (or goes to the authentication-required hook).
    pub fn use_token_cookie(mut self, on: bool) -> Self {
        self.config.use_token_cookie = on;
        self
    }

    /// Adds a request filter: it sees every HTTP request just before it goes out (every
    /// attempt, refreshes included) and may change it, e.g. add a header or log it.
    ///
    /// ```
    /// use ssdto::client::JsonServiceClient;
    ///
    /// let client = JsonServiceClient::builder("https://api.example.com")
    ///     .request_filter(|req| {
    ///         req.headers_mut().insert("X-Tenant", "northwind".parse().unwrap());
    ///     })
    ///     .response_filter(|res| eprintln!("{} {}", res.status(), res.url()))
    ///     .build()?;
    /// # Ok::<(), ssdto::client::Error>(())
    /// ```
    pub fn request_filter(
        mut self,
        filter: impl Fn(&mut reqwest::Request) + Send + Sync + 'static,
    ) -> Self {
        self.config.filters.request.push(Arc::new(filter));
        self
    }

    /// Adds a response filter: it sees the status and headers of every HTTP response before
    /// the client reads its body.
    pub fn response_filter(
        mut self,
        filter: impl Fn(&reqwest::Response) + Send + Sync + 'static,
    ) -> Self {
        self.config.filters.response.push(Arc::new(filter));
        self
    }

    /// Sends requests again after connection errors, timeouts and "try later" statuses, as
    /// [`RetryPolicy`] describes. Off unless set.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.config.retry = Some(policy);
        self
    }

    /// Adds a header sent with every request; it replaces a default header of the same name
    /// (`Accept`, `User-Agent`).
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
    /// [`send_raw`](JsonServiceClient::send_raw) streams success bodies without this limit.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.config.max_response_bytes = limit;
        self
    }
}

impl Config {
    /// The base URL without a trailing `/`, checked to be `http` or `https` with a host and
    /// neither query nor fragment (paths are appended to it).
    fn base_url(&self) -> Result<reqwest::Url, ConfigError> {
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
        Ok(url)
    }

    /// The headers sent with every request (credentials go per request, as they change).
    fn default_headers(&self) -> Result<HeaderMap, ConfigError> {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let user_agent =
            HeaderValue::from_str(&self.user_agent).map_err(|_| ConfigError::Header {
                name: "User-Agent".into(),
            })?;
        headers.insert(reqwest::header::USER_AGENT, user_agent);
        for (name, value) in &self.headers {
            let invalid = || ConfigError::Header { name: name.clone() };
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            let value = HeaderValue::from_str(value).map_err(|_| invalid())?;
            headers.insert(header, value);
        }
        Ok(headers)
    }

    /// The cookie store, seeded with the configured cookies.
    fn cookies(&self, base: &reqwest::Url) -> Result<Cookies, ConfigError> {
        let cookies = Cookies::default();
        for (name, value) in &self.cookies {
            let bad = |c: char| c.is_ascii_control() || matches!(c, ';' | ',' | ' ' | '"');
            let valid = !name.is_empty()
                && !name.contains('=')
                && !name.contains(bad)
                && !value.contains(bad);
            if !valid || !cookies.set(name, value, base) {
                return Err(ConfigError::Cookie { name: name.clone() });
            }
        }
        Ok(cookies)
    }

    /// Makes an async client with the hook given (the blocking client passes its wrapped
    /// blocking hook).
    fn build(&self, auth_hook: Option<AuthHook>) -> Result<JsonServiceClient, Error> {
        let base = self.base_url()?;
        if let Some(auth) = &self.auth {
            auth.header_value()?;
        }
        if let Some(uri) = &self.refresh_uri {
            let valid = uri.starts_with('/')
                || reqwest::Url::parse(uri).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
            if !valid {
                return Err(ConfigError::Refresh(
                    "the refresh token URI must be a path or an http(s) URL",
                )
                .into());
            }
        }
        let cookies = Arc::new(self.cookies(&base)?);
        let mut http = reqwest::Client::builder()
            .default_headers(self.default_headers()?)
            .cookie_provider(cookies.clone());
        if let Some(timeout) = self.timeout {
            http = http.timeout(timeout);
        }
        let shared = Shared {
            base_url: base.as_str().trim_end_matches('/').to_owned(),
            base,
            strategy: self.strategy,
            max_response_bytes: self.max_response_bytes,
            cookies,
            session: Session::new(
                self.auth.clone(),
                self.refresh_token.clone(),
                self.use_token_cookie,
            ),
            refresh_uri: self.refresh_uri.clone(),
            auth_hook,
            filters: self.filters.clone(),
            retry: self.retry,
        };
        Ok(JsonServiceClient {
            http: http.build().map_err(ConfigError::Http)?,
            shared: Arc::new(shared),
            args: Arc::from([]),
            recover: true,
        })
    }
}

/// The state every handle of one client shares.
#[derive(Debug)]
struct Shared {
    /// The base URL as text, without a trailing `/`.
    base_url: String,
    /// The base URL, for cookie lookups.
    base: reqwest::Url,
    strategy: RouteStrategy,
    max_response_bytes: usize,
    cookies: Arc<Cookies>,
    session: Session,
    refresh_uri: Option<String>,
    auth_hook: Option<AuthHook>,
    filters: Filters,
    retry: Option<RetryPolicy>,
}

impl Shared {
    /// The absolute URL of a path (with query) that starts with `/`.
    fn url(&self, path_and_query: &str) -> String {
        strategy::join(&self.base_url, path_and_query)
    }

    /// An absolute URL as it is, or a path joined to the base URL, as the official clients'
    /// `toAbsoluteUrl` does.
    fn absolute(&self, uri: &str) -> String {
        if uri.starts_with("http://") || uri.starts_with("https://") {
            uri.to_owned()
        } else {
            self.url(uri)
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

/// An async client for one ServiceStack server. Cheap to clone; clones share the connection
/// pool, the cookies and the credentials (a token one clone refreshes, all use).
#[derive(Debug, Clone)]
pub struct JsonServiceClient {
    http: reqwest::Client,
    shared: Arc<Shared>,
    /// Extra query arguments this handle adds (see [`JsonServiceClient::with_args`]).
    args: Arc<[(String, String)]>,
    /// Whether a 401 may refresh the token or run the hook: not for the handle the hook
    /// itself gets, whose calls would otherwise wait for the refresh they run in.
    recover: bool,
}

impl ClientBuilder<JsonServiceClient> {
    /// Runs `hook` when a request fails with 401 and there is no refresh token, or the
    /// refresh failed, then sends the request once more, as the official clients'
    /// `onAuthenticationRequired`. The hook gets a handle of the client to sign in with (for
    /// example [`authenticate`](JsonServiceClient::authenticate), or a call that returns a
    /// new token for [`set_bearer_token`](JsonServiceClient::set_bearer_token)); use that
    /// handle rather than another clone, whose requests would wait for the hook to end. Like
    /// a refresh, it runs once however many requests are waiting for it. Its error fails the
    /// call (as [`Error::RefreshToken`] when a refresh failed first).
    ///
    /// ```
    /// use ssdto::client::JsonServiceClient;
    ///
    /// let client = JsonServiceClient::builder("https://api.example.com")
    ///     .on_authentication_required(|client| async move {
    ///         client.authenticate("ann", "secret").await.map(|_| ())
    ///     })
    ///     .build()?;
    /// # Ok::<(), ssdto::client::Error>(())
    /// ```
    pub fn on_authentication_required<F, Fut>(mut self, hook: F) -> Self
    where
        F: Fn(JsonServiceClient) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), Error>> + Send + 'static,
    {
        self.config.auth_hook = Some(AuthHook(Arc::new(move |client| Box::pin(hook(client)))));
        self
    }

    /// Makes the client.
    pub fn build(self) -> Result<JsonServiceClient, Error> {
        let hook = self.config.auth_hook.clone();
        self.config.build(hook)
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

    /// A handle of this client that adds `args` to the query string of every request it
    /// sends, after the request's own fields, whatever the verb: the untyped arguments of
    /// ServiceStack's implicit AutoQuery conventions (`AgeOlderThan=42`,
    /// `NameStartsWith=A`), as the official clients' `args` parameter sends them. It
    /// replaces the args of the handle it is made from; the handle shares everything else.
    ///
    /// ```no_run
    /// # async fn run(client: ssdto::client::JsonServiceClient) -> Result<(), ssdto::client::Error> {
    /// # #[derive(serde::Serialize)] struct QueryRockstars {}
    /// # impl ssdto::Request for QueryRockstars {
    /// #     type Response = ssdto::QueryResponse<serde_json::Value>;
    /// #     const OPERATION: &'static str = "QueryRockstars";
    /// #     const METHOD: ssdto::Method = ssdto::Method::Get;
    /// # }
    /// // GET /api/QueryRockstars?AgeOlderThan=42
    /// let page = client.with_args([("AgeOlderThan", "42")]).send(&QueryRockstars {}).await?;
    /// # Ok(()) }
    /// ```
    pub fn with_args<I, K, V>(&self, args: I) -> JsonServiceClient
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        JsonServiceClient {
            args: args
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            ..self.clone()
        }
    }

    /// Sends `request` with the verb the operation declares ([`Request::METHOD`]) and reads
    /// its response. For a void operation ([`Request::RETURNS_VOID`]) a 204 or an empty body
    /// is success.
    pub async fn send<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        // Not through `send_as`: one async layer fewer to move the response through.
        let call = self.call(R::METHOD, request)?;
        self.reply(&call).await?.decode::<R>()
    }

    /// Sends `request` with `method`, whatever the operation declares.
    pub async fn send_as<R: Request>(
        &self,
        method: Method,
        request: &R,
    ) -> Result<R::Response, Error> {
        let call = self.call(method, request)?;
        self.reply(&call).await?.decode::<R>()
    }

    /// Sends `request` with its declared verb and ignores the body of a successful reply:
    /// for operations that return nothing, whose servers answer 204, an empty body or `{}`.
    pub async fn send_void<R: Request>(&self, request: &R) -> Result<(), Error> {
        let call = self.call(R::METHOD, request)?;
        self.reply(&call).await?.check()
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
        Ok(self.call(method, request)?.url)
    }

    /// Signs in with ServiceStack's credentials provider (`POST /auth/credentials` with
    /// `userName`, `password` and `rememberMe: true`). The session cookies it sets (`ss-id`,
    /// `ss-pid`, `ss-opt`, and `ss-tok`/`ss-reftok` from a JWT provider with token cookies)
    /// are kept and sent with every later request of this client and its clones.
    pub async fn authenticate(
        &self,
        username: &str,
        password: &str,
    ) -> Result<AuthenticateResponse, Error> {
        let body = auth::credentials(username, password);
        let call = Call {
            operation: crate::Authenticate::OPERATION.into(),
            method: Method::Post,
            url: self.shared.url("/auth/credentials"),
            body: Payload::Json(serde_json::to_vec(&body).map_err(Error::Encode)?.into()),
            credentials: true,
            // A 401 here means wrong credentials, not an expired token.
            recover: false,
            accept: None,
        };
        self.reply(&call).await?.json(false)
    }

    /// The value of a cookie the server set (`ss-id`, `ss-pid`, `ss-tok`, ...) that requests
    /// to the base URL carry, to save a session.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.shared.cookies.get(name, &self.shared.base)
    }

    /// The bearer token the client sends now: the configured one, or the last one a refresh
    /// got (to save it for the next run). `None` once a refresh began: the server refused the
    /// old token, and a server with token cookies answers the new one as the `ss-tok` cookie
    /// ([`cookie`](Self::cookie)).
    pub fn bearer_token(&self) -> Option<String> {
        match self.shared.session.auth() {
            Some(Auth::Bearer(token)) => Some(token),
            _ => None,
        }
    }

    /// Replaces the credentials of this client and its clones with a bearer token.
    pub fn set_bearer_token(&self, token: impl Into<String>) -> Result<(), Error> {
        let auth = Auth::Bearer(token.into());
        auth.header_value()?;
        self.shared.session.set_auth(Some(auth));
        Ok(())
    }

    /// The call for `request` sent with `method`.
    fn call<R: Request>(&self, method: Method, request: &R) -> Result<Call, Error> {
        let shared = &self.shared;
        let prepared = strategy::prepare(request, method, shared.strategy, &shared.base_url)?;
        Ok(self.call_from(R::OPERATION.into(), prepared))
    }

    /// The call for a prepared request, with this handle's args.
    fn call_from(&self, operation: Cow<'static, str>, prepared: Prepared) -> Call {
        let mut url = prepared.url;
        if !self.args.is_empty() {
            // The base URL has no query, so a `?` can only be the request's own.
            let lead = if url.contains('?') { '&' } else { '?' };
            crate::query::append_pairs(
                &mut url,
                self.args.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                Some(lead),
            );
        }
        Call {
            operation,
            method: prepared.method,
            url,
            body: prepared
                .body
                .map_or(Payload::None, |b| Payload::Json(b.into())),
            credentials: true,
            recover: self.recover,
            accept: None,
        }
    }

    /// Makes `call` and reads its reply whole (within the limit).
    async fn reply(&self, call: &Call) -> Result<reply::Reply, Error> {
        self.execute(call)
            .await?
            .read(self.shared.max_response_bytes)
            .await
    }

    /// The handle the authentication-required hook gets.
    fn for_hook(&self) -> JsonServiceClient {
        JsonServiceClient {
            args: Arc::from([]),
            recover: false,
            ..self.clone()
        }
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
        let client = JsonServiceClient::new("http://h:8080").unwrap();
        assert_eq!(client.base_url(), "http://h:8080");
        let client = JsonServiceClient::new(" https://h/v1/ ").unwrap();
        assert_eq!(client.base_url(), "https://h/v1");
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
        assert_eq!(headers[ACCEPT], "application/json");
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
        assert_eq!(headers["x-trace"], "1");
        assert_eq!(headers[ACCEPT], "application/json; charset=utf-8");
        assert_eq!(headers[reqwest::header::USER_AGENT], "app/2");
        // Credentials are per request, so a refreshed token replaces them.
        assert!(headers.get(reqwest::header::AUTHORIZATION).is_none());
        let client = custom.build().unwrap();
        assert_eq!(client.bearer_token().as_deref(), Some("k"));
        client.set_bearer_token("k2").unwrap();
        assert_eq!(client.clone().bearer_token().as_deref(), Some("k2"));
        assert!(client.set_bearer_token("a\nb").is_err());
    }

    #[test]
    fn response_limit_defaults_to_32_mib_and_reaches_the_shared_state() {
        assert_eq!(config("http://h").max_response_bytes, 32 * 1024 * 1024);
        let client = JsonServiceClient::builder("http://h")
            .max_response_bytes(1024)
            .build()
            .unwrap();
        assert_eq!(client.shared.max_response_bytes, 1024);
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
            JsonServiceClient::builder("http://h").refresh_token_uri("access-token"),
            JsonServiceClient::builder("http://h").refresh_token_uri("ftp://h/x"),
            JsonServiceClient::builder("not a url"),
        ];
        for builder in cases {
            let err = builder.build().unwrap_err();
            assert!(matches!(err, Error::Config(_)), "{err:?}");
        }
        // Secrets stay out of debug output.
        let builder = JsonServiceClient::builder("http://h")
            .bearer_token("jwt-secret")
            .refresh_token("refresh-secret");
        let debug = format!("{builder:?}");
        assert!(!debug.contains("secret"), "{debug}");
    }

    #[test]
    fn clients_errors_and_futures_cross_threads() {
        fn send_sync<T: Send + Sync + 'static>() {}
        fn send<T: Send>(_: T) {}
        send_sync::<Error>();
        send_sync::<JsonServiceClient>();
        send_sync::<ApiResult<String>>();
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
        send(client.api(&Ping {}));
        send(client.send_all(&[Ping {}]));
        send(client.send_raw(&Ping {}));
        send(client.post_file_with_request(&Ping {}, UploadFile::from_bytes(vec![1])));
        send(client.authenticate("u", "p"));
    }

    #[test]
    fn url_for_uses_the_strategy_and_args() {
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
        // Args follow the fields; a body verb gets them in the query string too.
        let args = declared.with_args([("AgeOlderThan", "42"), ("Name Starts", "a&b")]);
        assert_eq!(
            args.url_for(Method::Delete, &req).unwrap(),
            "http://h/items/7?AgeOlderThan=42&Name%20Starts=a%26b"
        );
        assert_eq!(
            client
                .with_args([("x", "1")])
                .url_for(Method::Post, &req)
                .unwrap(),
            "http://h/base/api/GetItem?x=1"
        );
        // The handle it was made from is unchanged.
        assert_eq!(
            declared.url_for(Method::Delete, &req).unwrap(),
            "http://h/items/7"
        );
    }
}
