//! [`HttpError`]: what a service answers instead of a response, written as ServiceStack writes
//! its errors.

use std::collections::HashMap;
use std::fmt;

use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::request::Method;
use crate::status::{ErrorResponse, ResponseError, ResponseStatus};

/// An HTTP error with ServiceStack's body, `{"responseStatus":{...}}`.
///
/// Services return it for failures; the router answers decoding failures, unknown routes and
/// wrong verbs with it too, so every error a client sees has the same shape. The constructors
/// use the status codes and `errorCode`s ServiceStack itself uses.
///
/// ```
/// use ssdto::server::HttpError;
///
/// let err = HttpError::validation("ToAddress", "NotEmpty", "'To Address' must not be empty.");
/// assert_eq!(err.status.as_u16(), 400);
/// assert_eq!(err.response_status.error_code.as_deref(), Some("NotEmpty"));
/// assert!(err.response_status.field_error("toAddress").is_some());
/// ```
///
/// The status and headers are boxed so that `Result<T, HttpError>` stays small (three words),
/// as services return it from every method.
#[derive(Debug, Clone)]
pub struct HttpError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The body's `responseStatus`.
    pub response_status: Box<ResponseStatus>,
    /// Extra response headers, such as `Allow` on a 405 or `WWW-Authenticate` on a 401.
    pub headers: Box<HeaderMap>,
}

impl HttpError {
    /// An error with any status, code and message.
    pub fn new(
        status: StatusCode,
        error_code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        HttpError {
            status,
            response_status: Box::new(ResponseStatus::new(error_code, message)),
            headers: Box::default(),
        }
    }

    /// 400 with ServiceStack's `ArgumentException` code, for input a service rejects as a whole.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "ArgumentException", message)
    }

    /// 400 for one invalid field, as a ServiceStack validator reports it: the status takes the
    /// field error's code and message, and `errors` holds the field error.
    pub fn validation(
        field: impl Into<String>,
        error_code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::validation_errors(vec![field_error(field, error_code, message)])
    }

    /// 400 for several field errors; the first one gives the status its code and message, as
    /// in ServiceStack's `ValidationException`.
    pub fn validation_errors(errors: Vec<ResponseError>) -> Self {
        let first = errors.first();
        let status = ResponseStatus {
            error_code: Some(
                first
                    .and_then(|e| e.error_code.clone())
                    .unwrap_or_else(|| "ValidationException".to_owned()),
            ),
            message: Some(
                first
                    .and_then(|e| e.message.clone())
                    .unwrap_or_else(|| "Validation failed".to_owned()),
            ),
            errors,
            ..ResponseStatus::default()
        };
        HttpError {
            status: StatusCode::BAD_REQUEST,
            response_status: Box::new(status),
            headers: Box::default(),
        }
    }

    /// Adds a field error (keeping the status's code and message).
    pub fn with_field_error(
        mut self,
        field: impl Into<String>,
        error_code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        self.response_status
            .errors
            .push(field_error(field, error_code, message));
        self
    }

    /// 401: the request carries no valid credentials.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "Unauthorized", message)
    }

    /// 403: the caller is known but may not do this.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "Forbidden", message)
    }

    /// 404: what the request names does not exist.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "NotFound", message)
    }

    /// 405 with an `Allow` header listing the verbs the path answers.
    pub fn method_not_allowed(method: &str, path: &str, allowed: &[Method]) -> Self {
        let mut verbs: Vec<&str> = allowed.iter().map(|m| m.as_str()).collect();
        verbs.sort_unstable();
        verbs.dedup();
        let allow = verbs.join(", ");
        let mut err = Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            format!("{method} is not allowed on {path}; allowed: {allow}"),
        );
        if let Ok(value) = HeaderValue::from_str(&allow) {
            err.headers.insert(header::ALLOW, value);
        }
        err
    }

    /// 409: the request conflicts with the current state.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "Conflict", message)
    }

    /// 500 with the `Exception` code ServiceStack gives unexpected failures.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "Exception", message)
    }

    /// Adds a response header; a value that is not a valid header value is left out.
    pub fn with_header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(value) = HeaderValue::from_str(value) {
            self.headers.insert(name, value);
        }
        self
    }

    /// Adds a `meta` entry to the status.
    pub fn with_meta(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.response_status
            .meta
            .get_or_insert_with(HashMap::new)
            .insert(key.into(), value.into());
        self
    }
}

fn field_error(
    field: impl Into<String>,
    error_code: impl Into<String>,
    message: impl Into<String>,
) -> ResponseError {
    ResponseError {
        error_code: Some(error_code.into()),
        field_name: Some(field.into()),
        message: Some(message.into()),
        meta: None,
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status.as_u16(), self.response_status)
    }
}

impl std::error::Error for HttpError {}

impl From<ResponseStatus> for HttpError {
    /// A status without an HTTP code is a 500, as an exception without one is in ServiceStack.
    fn from(response_status: ResponseStatus) -> Self {
        HttpError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            response_status: Box::new(response_status),
            headers: Box::default(),
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let body = ErrorResponse {
            response_status: *self.response_status,
        };
        #[cfg(feature = "xml")]
        let mut response = match super::format::current() {
            super::format::Format::Xml => super::format::error_response(self.status, body),
            super::format::Format::Json => super::json_response(self.status, &body),
        };
        #[cfg(not(feature = "xml"))]
        let mut response = super::json_response(self.status, &body);
        response.headers_mut().extend(*self.headers);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_stay_small() {
        assert!(std::mem::size_of::<Result<(), HttpError>>() <= 3 * std::mem::size_of::<usize>());
    }

    #[test]
    fn constructors_use_servicestack_codes() {
        for (err, status, code) in [
            (HttpError::bad_request("x"), 400, "ArgumentException"),
            (HttpError::unauthorized("x"), 401, "Unauthorized"),
            (HttpError::forbidden("x"), 403, "Forbidden"),
            (HttpError::not_found("x"), 404, "NotFound"),
            (HttpError::conflict("x"), 409, "Conflict"),
            (HttpError::internal("x"), 500, "Exception"),
        ] {
            assert_eq!(err.status.as_u16(), status);
            assert_eq!(err.response_status.error_code.as_deref(), Some(code));
            assert_eq!(err.response_status.message.as_deref(), Some("x"));
        }
    }

    #[test]
    fn validation_takes_code_and_message_from_first_field_error() {
        let err = HttpError::validation("Name", "NotEmpty", "'Name' must not be empty.")
            .with_field_error("Channel", "Enum", "bad channel");
        let status = &err.response_status;
        assert_eq!(status.error_code.as_deref(), Some("NotEmpty"));
        assert_eq!(status.message.as_deref(), Some("'Name' must not be empty."));
        assert_eq!(status.errors.len(), 2);
        assert_eq!(
            status
                .field_error("channel")
                .and_then(|e| e.error_code.as_deref()),
            Some("Enum")
        );
        let empty = HttpError::validation_errors(Vec::new());
        assert_eq!(
            empty.response_status.error_code.as_deref(),
            Some("ValidationException")
        );
    }

    #[test]
    fn method_not_allowed_lists_verbs_once_in_order() {
        let err = HttpError::method_not_allowed(
            "DELETE",
            "/sessions",
            &[Method::Post, Method::Get, Method::Post],
        );
        assert_eq!(err.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(err.headers[header::ALLOW], "GET, POST");
    }

    #[test]
    fn into_response_writes_status_headers_and_body() {
        let response = HttpError::unauthorized("no")
            .with_header(header::WWW_AUTHENTICATE, "Basic realm=\"x\"")
            .with_meta("k", "v")
            .into_response();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "application/json; charset=utf-8"
        );
        assert_eq!(
            response.headers()[header::WWW_AUTHENTICATE],
            "Basic realm=\"x\""
        );
    }
}
