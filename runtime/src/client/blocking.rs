//! The blocking client (feature `blocking`), for programs without an async runtime.
//!
//! It is the async [`JsonServiceClient`](super::JsonServiceClient) driven by a private tokio
//! runtime with one worker thread, so it sends exactly the same bytes and has every feature
//! (refresh, batches, uploads, paging, filters, retries) with the same behaviour, without a
//! second implementation. Like `reqwest::blocking`, it must not be used from inside an async
//! runtime (tokio panics then); the authentication-required hook is the exception, as it
//! runs on a thread of its own.
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

use std::future::Future;
use std::io::{self, Read};
use std::sync::Arc;

use bytes::Bytes;
use serde::de::DeserializeOwned;

use super::{ApiResult, ClientBuilder, ConfigError, Error, UploadFile};
use crate::{AuthenticateResponse, Method, QueryResponse, Request};

/// The blocking authentication-required hook.
pub(crate) type BlockingAuthHook =
    Arc<dyn Fn(&JsonServiceClient) -> Result<(), Error> + Send + Sync>;

/// Owns the runtime; shuts it down without waiting, so the last client can be dropped
/// anywhere (a runtime dropped inside async code would panic).
#[derive(Debug)]
struct Runtime {
    handle: tokio::runtime::Handle,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// A blocking client for one ServiceStack server. Cheap to clone; clones share the
/// connection pool, the cookies, the credentials and the runtime.
#[derive(Debug, Clone)]
pub struct JsonServiceClient {
    inner: super::JsonServiceClient,
    runtime: Arc<Runtime>,
}

impl ClientBuilder<JsonServiceClient> {
    /// Runs `hook` when a request fails with 401 and there is no refresh token or the
    /// refresh failed, then sends the request once more; see the async
    /// [`on_authentication_required`](ClientBuilder::on_authentication_required). The hook
    /// runs on a blocking thread and may call the client it is given.
    pub fn on_authentication_required<F>(mut self, hook: F) -> Self
    where
        F: Fn(&JsonServiceClient) -> Result<(), Error> + Send + Sync + 'static,
    {
        self.config.blocking_auth_hook = Some(Arc::new(hook));
        self
    }

    /// Makes the blocking client.
    pub fn build(self) -> Result<JsonServiceClient, Error> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("ssdto-client")
            .enable_all()
            .build()
            .map_err(ConfigError::Runtime)?;
        let runtime = Arc::new(Runtime {
            handle: runtime.handle().clone(),
            runtime: Some(runtime),
        });
        let hook = self.config.blocking_auth_hook.clone().map(|hook| {
            let runtime = runtime.clone();
            super::auth::AuthHook(Arc::new(move |inner| {
                let (hook, runtime) = (hook.clone(), runtime.clone());
                Box::pin(async move {
                    let client = JsonServiceClient { inner, runtime };
                    tokio::task::spawn_blocking(move || hook(&client))
                        .await
                        .unwrap_or_else(|e| match e.try_into_panic() {
                            // The hook's panic is the caller's, as if it had called it.
                            Ok(panic) => std::panic::resume_unwind(panic),
                            Err(_) => Err(ConfigError::Runtime(io::Error::other(
                                "the client's runtime shut down during the hook",
                            ))
                            .into()),
                        })
                })
            }))
        });
        Ok(JsonServiceClient {
            inner: self.config.build(hook)?,
            runtime,
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

    fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.handle.block_on(future)
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        self.inner.base_url()
    }

    /// A handle that adds `args` to every request's query string; see
    /// [`super::JsonServiceClient::with_args`].
    pub fn with_args<I, K, V>(&self, args: I) -> JsonServiceClient
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        JsonServiceClient {
            inner: self.inner.with_args(args),
            runtime: self.runtime.clone(),
        }
    }

    /// Sends `request` with the verb the operation declares and reads its response; see
    /// [`super::JsonServiceClient::send`].
    pub fn send<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        self.block_on(self.inner.send(request))
    }

    /// Sends `request` with `method`, whatever the operation declares.
    pub fn send_as<R: Request>(&self, method: Method, request: &R) -> Result<R::Response, Error> {
        self.block_on(self.inner.send_as(method, request))
    }

    /// Sends `request` and ignores the body of a successful reply (204, empty or not).
    pub fn send_void<R: Request>(&self, request: &R) -> Result<(), Error> {
        self.block_on(self.inner.send_void(request))
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

    /// The response or the error as an [`ApiResult`]; see [`super::JsonServiceClient::api`].
    pub fn api<R: Request>(&self, request: &R) -> ApiResult<R::Response> {
        self.block_on(self.inner.api(request))
    }

    /// Sends `requests` as one batch; see [`super::JsonServiceClient::send_all`].
    pub fn send_all<R: Request>(&self, requests: &[R]) -> Result<Vec<R::Response>, Error> {
        self.block_on(self.inner.send_all(requests))
    }

    /// Sends `requests` as one one-way batch; see
    /// [`super::JsonServiceClient::send_all_oneway`].
    pub fn send_all_oneway<R: Request>(&self, requests: &[R]) -> Result<(), Error> {
        self.block_on(self.inner.send_all_oneway(requests))
    }

    /// Sends `request` one-way; see [`super::JsonServiceClient::send_oneway`].
    pub fn send_oneway<R: Request>(&self, request: &R) -> Result<(), Error> {
        self.block_on(self.inner.send_oneway(request))
    }

    /// Posts `request` with a file; see [`super::JsonServiceClient::post_file_with_request`].
    pub fn post_file_with_request<R: Request>(
        &self,
        request: &R,
        file: UploadFile,
    ) -> Result<R::Response, Error> {
        self.block_on(self.inner.post_file_with_request(request, file))
    }

    /// Posts `request` with files; see [`super::JsonServiceClient::post_files_with_request`].
    pub fn post_files_with_request<R: Request>(
        &self,
        request: &R,
        files: Vec<UploadFile>,
    ) -> Result<R::Response, Error> {
        self.block_on(self.inner.post_files_with_request(request, files))
    }

    /// Every row of an AutoQuery, page by page, as an iterator; see
    /// [`super::JsonServiceClient::query_all`].
    pub fn query_all<R, T>(&self, request: &R) -> QueryAll<T>
    where
        R: Request<Response = QueryResponse<T>>,
        T: DeserializeOwned + Send + 'static,
    {
        QueryAll {
            inner: self.inner.query_all(request),
            client: self.clone(),
        }
    }

    /// The successful reply unread, to stream its body with [`Read`]; see
    /// [`super::JsonServiceClient::send_raw`].
    pub fn send_raw<R: Request>(&self, request: &R) -> Result<RawResponse, Error> {
        let inner = self.block_on(self.inner.send_raw(request))?;
        Ok(RawResponse {
            inner,
            chunk: Bytes::new(),
            client: self.clone(),
        })
    }

    /// The URL `request` would be sent to with `method`.
    pub fn url_for<R: Request>(&self, method: Method, request: &R) -> Result<String, Error> {
        self.inner.url_for(method, request)
    }

    /// Signs in with `POST /auth/credentials` and keeps the session cookies; see
    /// [`super::JsonServiceClient::authenticate`].
    pub fn authenticate(
        &self,
        username: &str,
        password: &str,
    ) -> Result<AuthenticateResponse, Error> {
        self.block_on(self.inner.authenticate(username, password))
    }

    /// The value of a cookie the server set.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.inner.cookie(name)
    }

    /// The bearer token the client sends now (the last refreshed one).
    pub fn bearer_token(&self) -> Option<String> {
        self.inner.bearer_token()
    }

    /// Replaces the credentials of this client and its clones with a bearer token.
    pub fn set_bearer_token(&self, token: impl Into<String>) -> Result<(), Error> {
        self.inner.set_bearer_token(token)
    }
}

/// The rows of an AutoQuery as an iterator; see [`super::QueryAll`].
#[derive(Debug)]
pub struct QueryAll<T> {
    inner: super::QueryAll<T>,
    client: JsonServiceClient,
}

impl<T: DeserializeOwned + Send + 'static> Iterator for QueryAll<T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.client.block_on(self.inner.next())
    }
}

/// A successful reply whose body is read with [`Read`]; see [`super::RawResponse`].
#[derive(Debug)]
pub struct RawResponse {
    inner: super::RawResponse,
    /// What is left of the last piece read.
    chunk: Bytes,
    client: JsonServiceClient,
}

impl RawResponse {
    /// The HTTP status (2xx).
    pub fn status(&self) -> u16 {
        self.inner.status()
    }

    /// The reply's headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        self.inner.headers()
    }

    /// The body's length, when the server declared it.
    pub fn content_length(&self) -> Option<u64> {
        self.inner.content_length()
    }

    /// The reply's `Content-Type`.
    pub fn content_type(&self) -> Option<&str> {
        self.inner.content_type()
    }
}

impl Read for RawResponse {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.chunk.is_empty() {
            let next = self.client.block_on(self.inner.chunk());
            match next.map_err(io::Error::other)? {
                Some(chunk) => self.chunk = chunk,
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk.split_to(n));
        Ok(n)
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
        assert_eq!(client.inner.shared.max_response_bytes, 7);
    }

    #[test]
    fn clients_can_be_dropped_inside_async_code() {
        let client = JsonServiceClient::new("http://h").unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime.block_on(async move { drop(client) });
    }
}
