//! The blocking client (feature `blocking`), for programs without an async runtime.
//!
//! It sends exactly what the async [`JsonServiceClient`](super::JsonServiceClient) sends. Like
//! `reqwest::blocking`, which it wraps, it runs its own small runtime on a background thread
//! and must not be created or used from inside an async runtime.
//!
//! ```no_run
//! # #[derive(serde::Serialize)] struct Ping {}
//! # impl ssdto::Request for Ping {
//! #     type Response = ssdto::Void;
//! #     const OPERATION: &'static str = "Ping";
//! #     const METHOD: ssdto::Method = ssdto::Method::Post;
//! #     const RETURNS_VOID: bool = true;
//! # }
//! use ssdto::client::blocking::JsonServiceClient;
//!
//! let client = JsonServiceClient::builder("https://api.example.com")
//!     .basic_auth("admin", "secret")
//!     .build()?;
//! client.send_void(&Ping {})?;
//! # Ok::<(), ssdto::client::Error>(())
//! ```

use std::sync::Arc;

use super::strategy::Prepared;
use super::{credentials_request, error, http_method, ClientBuilder, ConfigError, Error, Shared};
use crate::{AuthenticateResponse, Method, Request};

/// A blocking client for one ServiceStack server. Cheap to clone; clones share the connection
/// pool and the session cookies.
#[derive(Debug, Clone)]
pub struct JsonServiceClient {
    http: reqwest::blocking::Client,
    shared: Arc<Shared>,
}

impl ClientBuilder<JsonServiceClient> {
    /// Makes the blocking client.
    pub fn build(self) -> Result<JsonServiceClient, Error> {
        let config = &self.config;
        let mut http =
            reqwest::blocking::Client::builder().default_headers(config.default_headers()?);
        // reqwest's blocking client times out after 30 s by default; keep "no timeout unless
        // set" the same for both flavours.
        http = http.timeout(config.timeout);
        Ok(JsonServiceClient {
            http: http.build().map_err(ConfigError::Http)?,
            shared: Arc::new(config.shared()?),
        })
    }
}

impl JsonServiceClient {
    /// A client for the server at `base_url` with default settings.
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

    /// Sends `request` with the verb the operation declares and reads its response; see
    /// [`super::JsonServiceClient::send`].
    pub fn send<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        self.send_as(R::METHOD, request)
    }

    /// Sends `request` with `method`, whatever the operation declares.
    pub fn send_as<R: Request>(&self, method: Method, request: &R) -> Result<R::Response, Error> {
        let prepared = self.shared.prepare(request, method)?;
        let (status, body) = self.execute(prepared)?;
        error::read_reply(status, &body, R::RETURNS_VOID)
    }

    /// Sends `request` and ignores the body of a successful reply (204, empty or not).
    pub fn send_void<R: Request>(&self, request: &R) -> Result<(), Error> {
        let prepared = self.shared.prepare(request, R::METHOD)?;
        let (status, body) = self.execute(prepared)?;
        error::check_status(status, &body)
    }

    /// Sends `request` with GET.
    pub fn get<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        self.send_as(Method::Get, request)
    }

    /// Sends `request` with POST.
    pub fn post<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        self.send_as(Method::Post, request)
    }

    /// Sends `request` with PUT.
    pub fn put<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        self.send_as(Method::Put, request)
    }

    /// Sends `request` with PATCH.
    pub fn patch<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        self.send_as(Method::Patch, request)
    }

    /// Sends `request` with DELETE.
    pub fn delete<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        self.send_as(Method::Delete, request)
    }

    /// The URL `request` would be sent to with `method`.
    pub fn url_for<R: Request>(&self, method: Method, request: &R) -> Result<String, Error> {
        Ok(self.shared.url(&self.shared.prepare(request, method)?))
    }

    /// Signs in with `POST /auth/credentials` and keeps the session cookies; see
    /// [`super::JsonServiceClient::authenticate`].
    pub fn authenticate(
        &self,
        username: &str,
        password: &str,
    ) -> Result<AuthenticateResponse, Error> {
        let (status, body) = self.execute(credentials_request(username, password)?)?;
        error::read_reply(status, &body, false)
    }

    /// The value of a cookie the server set.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.shared.jar().get(name).map(str::to_owned)
    }

    fn execute(&self, prepared: Prepared) -> Result<(u16, Vec<u8>), Error> {
        let url = self.shared.url(&prepared);
        let headers = self.shared.request_headers(prepared.body.is_some());
        let mut request = self
            .http
            .request(http_method(prepared.method), url)
            .headers(headers);
        if let Some(body) = prepared.body {
            request = request.body(body);
        }
        let response = request.send().map_err(Error::Transport)?;
        self.shared.store_cookies(response.headers());
        let status = response.status().as_u16();
        let body = response.bytes().map_err(Error::Transport)?;
        Ok((status, body.to_vec()))
    }
}
