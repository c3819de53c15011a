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

use std::io::Read;
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
        // Piece by piece rather than `bytes()`, which would buffer a body of any size; `take`
        // also caps what the reader can return at one byte past the limit.
        let mut body = self
            .shared
            .limited_body(status, response.content_length())?;
        let mut reader = response.take(body.read_allowance());
        let mut chunk = [0u8; 8 * 1024];
        loop {
            match reader.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => body.push(&chunk[..n])?,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(read_error(e)),
            }
        }
        Ok((status, body.finish()))
    }
}

/// reqwest's blocking reader wraps its own errors (a timeout, a connection closed mid-body) in
/// `io::Error`; unwrap them so they read as the async client's [`Error::Transport`].
fn read_error(e: std::io::Error) -> Error {
    if !e
        .get_ref()
        .is_some_and(|inner| inner.is::<reqwest::Error>())
    {
        return Error::Read(e);
    }
    let kind = e.kind();
    match e
        .into_inner()
        .map(|inner| inner.downcast::<reqwest::Error>())
    {
        Some(Ok(inner)) => Error::Transport(*inner),
        // Not reached (`is` said it was one), but an error all the same.
        Some(Err(other)) => Error::Read(std::io::Error::new(kind, other)),
        None => Error::Read(kind.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_response_limit_is_configured_as_for_the_async_client() {
        let client = JsonServiceClient::builder("http://h")
            .max_response_bytes(7)
            .build()
            .unwrap();
        assert_eq!(client.shared.max_response_bytes, 7);
    }

    #[test]
    fn read_errors_keep_their_kind() {
        let err = read_error(std::io::Error::new(std::io::ErrorKind::TimedOut, "slow"));
        assert!(matches!(err, Error::Read(_)), "{err:?}");
        assert!(err.is_timeout());
        let err = read_error(std::io::ErrorKind::UnexpectedEof.into());
        assert!(!err.is_timeout());
        assert!(
            err.to_string()
                .starts_with("cannot read the response body: "),
            "{err}"
        );
    }
}
