//! Serving a ServiceStack contract with [axum]: request binding, routing, access control and
//! errors as ServiceStack does them (feature `server`).
//!
//! Code generated with the `server` option declares a `Service` trait, one `async` method per
//! operation taking the request DTO and a [`Context`], and a `router` function that hands an
//! implementation to [`ServiceRouter`], each operation with the [`Access`] its contract
//! declares (and, when any is protected, an [`Authenticator`]). The router serves:
//!
//! - every route the contract declares, with its verbs (`GET /sessions/{sessionId}`); path
//!   literals match case-insensitively and, where several routes match, the one with more
//!   literal segments wins; `HEAD` wherever `GET` is served, `OPTIONS` with `Allow`;
//! - `/api/{Name}`, `/json/reply/{Name}` and `/json/oneway/{Name}` for every operation, with
//!   any verb, as the official clients call them, and AutoBatches of it at `{Name}[]`;
//! - its contract at `/types/metadata` and `/metadata/app.json`, when given one;
//! - with [`auth::AuthFeature`], ServiceStack's `/auth/{provider}` and `/access-token`.
//!
//! The caller is identified before the body is read; an operation it may not call answers 401
//! (with `WWW-Authenticate`) or 403. The request DTO is built from the body (JSON whatever the
//! `Content-Type` says, form fields for `application/x-www-form-urlencoded`, fields and files
//! for `multipart/form-data`, read as they arrive with large files spooled to temporary files,
//! see [`ServiceRouter::upload_memory_threshold`] and [`HttpFile`](crate::HttpFile)), the
//! query string and the path variables, later ones winning, with
//! names matched case-insensitively (see [`decode`]). Query and path text is read as the field
//! expects: numbers and booleans parsed, lists as `a,b` or `[a,b]`, objects as JSON or JSV
//! `{k:v}`, enums by name; a bare key (`?x`) is null (`None`, or the type's empty value), an
//! empty value (`?x=`) is `None` for an optional field. The response is camelCase JSON, raw
//! text or bytes for operations whose [`Request::RESPONSE_FORMAT`](crate::Request) says so, and
//! `204 No Content` for void operations. Every failure answers `{"responseStatus":{...}}` with
//! ServiceStack's status mapping: 400 when the request cannot be bound (with the field named in
//! `errors`), 404 for an unknown path, 405 with `Allow` for a wrong verb, 413 for a body over
//! its limit, 503 past the request timeout, 500 when a service panics, and whatever
//! [`HttpError`] a service returns.
//!
//! It is served as an [`axum::Router`] ([`ServiceRouter::into_router`]), beside any routes of
//! your own, or, when it is all the server serves, as a tower service of its own
//! ([`ServiceRouter::into_service`]: the same answers without axum's path lookups).
//!
//! With the `xml` feature, operations registered with
//! [`xml_operation`](ServiceRouter::xml_operation) (what `--server --xml` generates) also read
//! XML request bodies and answer in XML when the request asks for it (`Accept:
//! application/xml`, `?format=xml`, `/xml/reply/{Name}`), and every error is written as an XML
//! `ErrorResponse` when XML was asked for, whichever operation (or none) the request reached.
//!
//! ```
//! use std::sync::Arc;
//! use ssdto::server::{Access, HttpError, ServiceRouter};
//! use ssdto::{Method, Request, Route};
//!
//! #[derive(serde::Serialize, serde::Deserialize, Default)]
//! #[serde(rename_all = "camelCase", default)]
//! struct Hello { name: String }
//!
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct HelloResponse { result: String }
//!
//! impl Request for Hello {
//!     type Response = HelloResponse;
//!     const OPERATION: &'static str = "Hello";
//!     const METHOD: Method = Method::Get;
//!     const ROUTES: &'static [Route] = &[Route { path: "/hello/{Name}", verbs: &[Method::Get] }];
//! }
//!
//! struct Greeter;
//!
//! let app: ssdto::server::axum::Router = ServiceRouter::new(Arc::new(Greeter))
//!     .operation(Access::PUBLIC, |_svc: Arc<Greeter>, req: Hello, _context| async move {
//!         if req.name.is_empty() {
//!             return Err(HttpError::validation("name", "NotEmpty", "'Name' must not be empty."));
//!         }
//!         Ok(HelloResponse { result: format!("Hello, {}!", req.name) })
//!     })
//!     .into_router();
//! // Then, in a tokio runtime:
//! // ssdto::server::axum::serve(tokio::net::TcpListener::bind("127.0.0.1:5000").await?, app).await
//! ```

mod access;
pub mod auth;
mod caseless;
mod context;
mod cors;
mod decode;
mod error;
#[cfg(feature = "xml")]
mod format;
mod multipart;
mod pairs;
mod reply;
mod router;
mod spool;

pub use access::{Access, Authenticator, Denied, Principal, ADMIN_ROLE};
/// The axum version the router is built with, for generated code and for serving it.
pub use axum;
pub use context::Context;
pub use cors::Cors;
pub use decode::{decode, DecodeError, RawRequest};
#[doc(hidden)]
pub use decode::{decode_fast, decode_tree};
pub use error::HttpError;
pub use reply::Reply;
pub use router::{
    RouterService, ServiceRouter, DEFAULT_BODY_LIMIT, DEFAULT_TIMEOUT, DEFAULT_UPLOAD_LIMIT,
    DEFAULT_UPLOAD_MEMORY_THRESHOLD,
};

use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::HttpBody as _;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Serialize;

use crate::status::{ResponseError, ResponseStatus};

/// The content type of every JSON answer, as ServiceStack writes it.
const JSON: &str = "application/json; charset=utf-8";
/// The content type of a text result.
const TEXT: &str = "text/plain; charset=utf-8";
/// The content type of a bytes result.
const OCTET_STREAM: &str = "application/octet-stream";

/// `body` as a JSON response; a body that cannot be serialized becomes a 500 with a
/// ResponseStatus saying so.
pub(crate) fn json_response<T: Serialize + ?Sized>(status: StatusCode, body: &T) -> Response {
    json_response_into(status, body, Vec::with_capacity(SizeHint::MIN))
}

/// [`json_response`] for an operation's answers, its buffer sized by the operation's last one.
pub(crate) fn json_response_sized<T: Serialize + ?Sized>(
    status: StatusCode,
    body: &T,
    hint: &SizeHint,
) -> Response {
    let response = json_response_into(status, body, hint.buffer());
    if let Some(length) = response.body().size_hint().exact() {
        hint.note(length);
    }
    response
}

fn json_response_into<T: Serialize + ?Sized>(
    status: StatusCode,
    body: &T,
    mut buffer: Vec<u8>,
) -> Response {
    match serde_json::to_writer(&mut buffer, body) {
        Ok(()) => typed_response(status, buffer, JSON),
        Err(e) => {
            // Written by hand: serializing the error body cannot fail, but this path must not
            // recurse into json_response if it ever did.
            let status = ResponseStatus::new(
                "SerializationException",
                format!("the response could not be serialized: {e}"),
            );
            let text = serde_json::to_string(&crate::ErrorResponse {
                response_status: status,
            })
            .unwrap_or_else(|_| {
                r#"{"responseStatus":{"errorCode":"SerializationException"}}"#.to_owned()
            });
            typed_response(StatusCode::INTERNAL_SERVER_ERROR, text.into_bytes(), JSON)
        }
    }
}

/// A response of `body` with its content type, built in place: going through `IntoResponse`
/// for `Vec<u8>` would first set (and then overwrite) `application/octet-stream`.
pub(crate) fn typed_response(
    status: StatusCode,
    body: Vec<u8>,
    content_type: &'static str,
) -> Response {
    let mut response = Response::new(axum::body::Body::from(body));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// The length of the last JSON answer an operation wrote, so that the next one's buffer is
/// allocated once instead of grown by doubling from serde_json's 128 bytes (four copies for a
/// 2 KB session). Capped, so that one large answer does not make every later one reserve as
/// much; a little over the last length, so that a slightly longer answer still fits.
#[derive(Debug, Default)]
pub(crate) struct SizeHint(AtomicUsize);

impl SizeHint {
    /// serde_json's own first allocation.
    const MIN: usize = 128;
    const MAX: usize = 64 * 1024;

    fn buffer(&self) -> Vec<u8> {
        Vec::with_capacity(self.0.load(Ordering::Relaxed).max(Self::MIN))
    }

    fn note(&self, length: u64) {
        let length = usize::try_from(length).unwrap_or(Self::MAX);
        let wanted = length.saturating_add(length / 8).min(Self::MAX);
        self.0.store(wanted, Ordering::Relaxed);
    }
}

impl From<DecodeError> for HttpError {
    /// A 400 as ServiceStack answers a request it cannot bind: `RequestBindingException`, with
    /// a `SerializationException` field error naming the field where it is known.
    fn from(err: DecodeError) -> Self {
        let message = err.to_string();
        let mut http = HttpError::new(
            StatusCode::BAD_REQUEST,
            "RequestBindingException",
            format!("Unable to bind request: {message}"),
        );
        let (field, detail) = match err {
            DecodeError::Field { field, message } => (field, message),
            DecodeError::Body { message } => (None, message),
        };
        http.response_status.errors.push(ResponseError {
            error_code: Some("SerializationException".to_owned()),
            field_name: field,
            message: Some(detail),
            meta: None,
        });
        http
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_errors_become_400_with_the_field() {
        let err = decode::<std::collections::HashMap<String, i32>>(&RawRequest {
            query: Some("page=x"),
            ..RawRequest::default()
        })
        .unwrap_err();
        let http = HttpError::from(err);
        assert_eq!(http.status, StatusCode::BAD_REQUEST);
        let status = &http.response_status;
        assert_eq!(
            status.error_code.as_deref(),
            Some("RequestBindingException")
        );
        let field = status.field_error("Page").unwrap();
        assert_eq!(field.error_code.as_deref(), Some("SerializationException"));
        assert!(field.message.as_deref().unwrap().contains("\"x\""));
    }

    #[test]
    fn body_errors_have_no_field() {
        let err = decode::<serde_json::Value>(&RawRequest {
            body: b"[",
            ..RawRequest::default()
        })
        .unwrap_err();
        let http = HttpError::from(err);
        assert_eq!(http.status, StatusCode::BAD_REQUEST);
        assert_eq!(http.response_status.errors.len(), 1);
        assert_eq!(http.response_status.errors[0].field_name, None);
    }

    #[test]
    fn size_hints_follow_the_last_answer_within_a_cap() {
        let hint = SizeHint::default();
        assert_eq!(hint.buffer().capacity(), SizeHint::MIN);
        let long = "a".repeat(10_000);
        let response = json_response_sized(StatusCode::OK, &long, &hint);
        assert_eq!(response.headers()[header::CONTENT_TYPE], JSON);
        assert_eq!(response.body().size_hint().exact(), Some(10_002));
        assert!(hint.buffer().capacity() >= 10_002);
        json_response_sized(StatusCode::OK, &"a".repeat(1 << 20), &hint);
        assert_eq!(hint.0.load(Ordering::Relaxed), SizeHint::MAX);
        json_response_sized(StatusCode::OK, &"", &hint);
        assert_eq!(hint.buffer().capacity(), SizeHint::MIN);
    }

    #[test]
    fn unserializable_body_is_a_500() {
        struct Broken;
        impl Serialize for Broken {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("nope"))
            }
        }
        let response = json_response(StatusCode::OK, &Broken);
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.headers()[header::CONTENT_TYPE], JSON);
    }
}
