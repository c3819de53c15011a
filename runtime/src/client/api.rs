//! [`ApiResult`]: a call's response or its error as a value, as ServiceStack's `api()`
//! returns it in TypeScript and C#, for code (forms, UIs) that shows errors rather than
//! propagating them.

use std::fmt;

use super::{Error, JsonServiceClient};
use crate::{Request, ResponseError, ResponseStatus};

/// The outcome of [`JsonServiceClient::api`]: the response, or the error as a
/// [`ResponseStatus`] with its field errors.
///
/// Errors without a `ResponseStatus` from the server (a connection refused, a reply that is
/// not the response) get one as the C# client makes it from an exception: the
/// [`kind_name`](Error::kind_name) as `errorCode` and the error's message as `message`.
///
/// ```
/// use ssdto::client::{ApiResult, Error, ServiceError};
/// use ssdto::ResponseStatus;
///
/// let body = br#"{"responseStatus":{"errorCode":"ValidationException","message":"Invalid",
///     "errors":[{"errorCode":"NotEmpty","fieldName":"Name","message":"Name is required"}]}}"#;
/// let failed: ApiResult<String> = ApiResult::from_result(Err(Error::Service(Box::new(
///     ServiceError::from_reply(400, body),
/// ))));
/// assert!(!failed.is_success());
/// assert_eq!(failed.field_error_message("name"), Some("Name is required"));
/// assert_eq!(failed.error_summary(), None); // the field error says it
/// assert_eq!(failed.summary_message(&["name"]), None); // shown beside the field
/// assert_eq!(failed.summary_message(&[]), Some("Name is required"));
///
/// let ok = ApiResult::from_result(Ok::<_, Error>("hi".to_owned()));
/// assert_eq!(ok.response().map(String::as_str), Some("hi"));
/// ```
pub struct ApiResult<T> {
    response: Option<T>,
    error: Option<ResponseStatus>,
    source: Option<Error>,
}

impl<T: fmt::Debug> fmt::Debug for ApiResult<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiResult")
            .field("response", &self.response)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl<T> ApiResult<T> {
    /// Wraps the result of a call.
    pub fn from_result(result: Result<T, Error>) -> Self {
        match result {
            Ok(response) => ApiResult {
                response: Some(response),
                error: None,
                source: None,
            },
            Err(error) => {
                ApiResult {
                    response: None,
                    error: Some(error.response_status().cloned().unwrap_or_else(|| {
                        ResponseStatus {
                            error_code: Some(error.kind_name().to_owned()),
                            message: Some(error.to_string()),
                            ..ResponseStatus::default()
                        }
                    })),
                    source: Some(error),
                }
            }
        }
    }

    /// Whether the call succeeded (TypeScript's `succeeded`).
    pub fn is_success(&self) -> bool {
        self.response.is_some()
    }

    /// Whether the call failed (TypeScript's `failed`).
    pub fn is_failed(&self) -> bool {
        self.error.is_some()
    }

    /// The response of a successful call.
    pub fn response(&self) -> Option<&T> {
        self.response.as_ref()
    }

    /// The response of a successful call, by value.
    pub fn into_response(self) -> Option<T> {
        self.response
    }

    /// The error of a failed call.
    pub fn error(&self) -> Option<&ResponseStatus> {
        self.error.as_ref()
    }

    /// The error's code (`ValidationException`, `NotFound`, ...).
    pub fn error_code(&self) -> Option<&str> {
        self.error.as_ref()?.error_code.as_deref()
    }

    /// The error's message.
    pub fn error_message(&self) -> Option<&str> {
        self.error.as_ref()?.message.as_deref()
    }

    /// The field errors (empty when there are none).
    pub fn errors(&self) -> &[ResponseError] {
        self.error
            .as_ref()
            .map(|e| e.errors.as_slice())
            .unwrap_or_default()
    }

    /// The first error for the field `name`, compared case-insensitively.
    pub fn field_error(&self, name: &str) -> Option<&ResponseError> {
        self.error.as_ref()?.field_error(name)
    }

    /// The message of the first error for the field `name`.
    pub fn field_error_message(&self, name: &str) -> Option<&str> {
        self.field_error(name)?.message.as_deref()
    }

    /// The message to show as a summary: the error's message when there are no field errors
    /// (which are shown beside their fields), as `errorSummary` in TypeScript and C#.
    pub fn error_summary(&self) -> Option<&str> {
        if self.errors().is_empty() {
            self.error_message()
        } else {
            None
        }
    }

    /// The summary to show when the fields in `shown` display their own errors: nothing if
    /// one of them has an error, else the first field error of another field, else the
    /// message (ServiceStack's `SummaryMessage`).
    pub fn summary_message(&self, shown: &[&str]) -> Option<&str> {
        if shown.iter().any(|field| self.field_error(field).is_some()) {
            return None;
        }
        let hidden = self.errors().iter().find(|e| {
            let name = e.field_name.as_deref().unwrap_or_default();
            !shown.iter().any(|s| s.eq_ignore_ascii_case(name))
        });
        match hidden {
            Some(error) => error.message.as_deref(),
            None => self.error_message(),
        }
    }

    /// The client error behind a failed call, with its HTTP status and details.
    pub fn source(&self) -> Option<&Error> {
        self.source.as_ref()
    }

    /// Back to a `Result`.
    pub fn into_result(self) -> Result<T, Error> {
        match (self.response, self.source) {
            (Some(response), _) => Ok(response),
            (None, Some(error)) => Err(error),
            // `from_result` sets one or the other.
            (None, None) => Err(Error::Decode {
                status: 0,
                source: "an ApiResult without response or error".into(),
                excerpt: String::new(),
            }),
        }
    }
}

impl JsonServiceClient {
    /// Sends `request` with its declared verb and returns the response or the error as an
    /// [`ApiResult`]; it never fails, whatever the server answers.
    pub async fn api<R: Request>(&self, request: &R) -> ApiResult<R::Response> {
        ApiResult::from_result(self.send(request).await)
    }
}
