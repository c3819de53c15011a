//! ServiceStack's error shapes: `ResponseStatus`, its field errors, and the `ErrorResponse`
//! body a failed request answers with.
//!
//! Written in camelCase, as ServiceStack's JSON defaults to; read as generated structs are
//! ([`crate::de`]), with member names in any case (`responseStatus`, `ResponseStatus`,
//! `RESPONSESTATUS`), and `error_code`, `stack_trace` and `field_name` in snake_case too, since
//! servers differ in their `TextCase`. Every member is optional, null reads as absent, and
//! unknown members are ignored, so an error body never fails to parse over its shape.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

use ssdto_protocol::eq_ignore_case;

/// ServiceStack's `ResponseStatus`: what went wrong, and per-field validation errors.
///
/// ```
/// let body = r#"{"ResponseStatus":{"ErrorCode":"ValidationException","Message":"Invalid",
///     "Errors":[{"ErrorCode":"NotEmpty","FieldName":"Name","Message":"'Name' must not be empty."}]}}"#;
/// let err: ssdto::ErrorResponse = serde_json::from_str(body).unwrap();
/// let status = &err.response_status;
/// assert_eq!(status.error_code.as_deref(), Some("ValidationException"));
/// assert_eq!(status.field_error("name").and_then(|e| e.error_code.as_deref()), Some("NotEmpty"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseStatus {
    /// A code for the error, usually the .NET exception's type name
    /// (`ValidationException`, `NotFound`, `ArgumentNullException`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// A human-readable message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The server's stack trace, sent only in debug mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stack_trace: Option<String>,
    /// Per-field errors, as validation failures report them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ResponseError>,
    /// Extra data the service attached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<HashMap<String, String>>,
}

// Servers that write nulls send `"errors": null`; snake_case servers `error_code`.
crate::deserialize_fields! {
    ResponseStatus {
        0: error_code = "errorCode" | "error_code",
        1: message = "message",
        2: stack_trace = "stackTrace" | "stack_trace",
        3: errors = "errors" or default,
        4: meta = "meta",
    }
}

/// One field's error within a [`ResponseStatus`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseError {
    /// A code for the error (`NotEmpty`, `GreaterThan`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The request field the error is about, as the server names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_name: Option<String>,
    /// A human-readable message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Extra data, such as the validator's arguments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<HashMap<String, String>>,
}

crate::deserialize_fields! {
    ResponseError {
        0: error_code = "errorCode" | "error_code",
        1: field_name = "fieldName" | "field_name",
        2: message = "message",
        3: meta = "meta",
    }
}

/// The body ServiceStack answers a failed request with when the operation's response type
/// has no `ResponseStatus` of its own.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorResponse {
    /// What went wrong.
    pub response_status: ResponseStatus,
}

crate::deserialize_fields! {
    ErrorResponse {
        0: response_status = "responseStatus" or default,
    }
}

impl ResponseStatus {
    /// A status with just a code and a message.
    pub fn new(error_code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            error_code: Some(error_code.into()),
            message: Some(message.into()),
            ..Self::default()
        }
    }

    /// The first error for the field `name`, compared case-insensitively, since the server
    /// names fields in .NET's PascalCase while Rust code uses the wire's camelCase.
    pub fn field_error(&self, name: &str) -> Option<&ResponseError> {
        self.errors.iter().find(|e| {
            e.field_name
                .as_deref()
                .is_some_and(|f| eq_ignore_case(f, name))
        })
    }
}

impl fmt::Display for ResponseStatus {
    /// `Code: message`, then each field error, e.g.
    /// `ValidationException: Invalid (Name: must not be empty [NotEmpty])`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.error_code.as_deref(), self.message.as_deref()) {
            (Some(code), Some(message)) if code != message => write!(f, "{code}: {message}")?,
            (Some(text), _) | (None, Some(text)) => f.write_str(text)?,
            (None, None) => f.write_str("request failed")?,
        }
        if !self.errors.is_empty() {
            f.write_str(" (")?;
            for (i, error) in self.errors.iter().enumerate() {
                if i > 0 {
                    f.write_str("; ")?;
                }
                write!(f, "{error}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl std::error::Error for ResponseStatus {}

impl fmt::Display for ResponseError {
    /// `Field: message [Code]`, leaving out what is missing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(field) = &self.field_name {
            write!(f, "{field}: ")?;
        }
        match (&self.message, &self.error_code) {
            (Some(message), Some(code)) => write!(f, "{message} [{code}]"),
            (Some(text), None) | (None, Some(text)) => f.write_str(text),
            (None, None) => f.write_str("invalid"),
        }
    }
}

impl fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.response_status.fmt(f)
    }
}

impl From<ErrorResponse> for ResponseStatus {
    fn from(response: ErrorResponse) -> Self {
        response.response_status
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::de::{assert_reads_names_in_any_case, Fields};

    #[test]
    fn reads_member_names_in_any_case() {
        let meta = || Some([("1".to_owned(), "v".to_owned())].into());
        let error = ResponseError {
            error_code: Some("NotEmpty".into()),
            field_name: Some("Name".into()),
            message: Some("Required".into()),
            meta: meta(),
        };
        assert_reads_names_in_any_case(&error, ResponseError::FIELDS);
        let status = ResponseStatus {
            stack_trace: Some("at X".into()),
            errors: vec![error.clone(), ResponseError::default()],
            meta: meta(),
            ..ResponseStatus::new("ValidationException", "Invalid")
        };
        assert_reads_names_in_any_case(&status, ResponseStatus::FIELDS);
        let response = ErrorResponse {
            response_status: status,
        };
        assert_reads_names_in_any_case(&response, ErrorResponse::FIELDS);
        let snake: ResponseStatus = serde_json::from_str(
            r#"{"ERROR_CODE":"E","Stack_Trace":"s","errors":[{"FIELD_NAME":"f"}]}"#,
        )
        .unwrap();
        assert_eq!(
            (snake.error_code.as_deref(), snake.stack_trace.as_deref()),
            (Some("E"), Some("s"))
        );
        assert_eq!(snake.errors[0].field_name.as_deref(), Some("f"));
    }

    #[test]
    fn reads_pascal_case_and_writes_camel_case() {
        let body = r#"{
            "ResponseStatus": {
                "ErrorCode": "ValidationException",
                "Message": "Validation failed",
                "StackTrace": "at X",
                "Errors": [
                    {"ErrorCode": "NotEmpty", "FieldName": "AccountId", "Message": "Required",
                     "Meta": {"PropertyName": "Account Id"}}
                ],
                "Meta": {"k": "v"},
                "Unknown": [1, 2, 3]
            },
            "Other": true
        }"#;
        let parsed: ErrorResponse = serde_json::from_str(body).unwrap();
        let status = &parsed.response_status;
        assert_eq!(status.error_code.as_deref(), Some("ValidationException"));
        assert_eq!(status.stack_trace.as_deref(), Some("at X"));
        assert_eq!(status.meta.as_ref().unwrap()["k"], "v");
        assert_eq!(
            status.errors[0].meta.as_ref().unwrap()["PropertyName"],
            "Account Id"
        );

        let json = serde_json::to_value(&parsed).unwrap();
        assert_eq!(
            json["responseStatus"]["errors"][0]["fieldName"],
            "AccountId"
        );
        assert_eq!(json["responseStatus"]["errorCode"], "ValidationException");
        let back: ErrorResponse = serde_json::from_value(json).unwrap();
        assert_eq!(back, parsed);
    }

    #[test]
    fn everything_is_optional_and_null_tolerant() {
        let empty: ErrorResponse = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, ErrorResponse::default());
        let nulls: ErrorResponse = serde_json::from_str(
            r#"{"responseStatus":{"errorCode":null,"errors":null,"meta":null}}"#,
        )
        .unwrap();
        assert_eq!(nulls, ErrorResponse::default());
        let null_status: ErrorResponse =
            serde_json::from_str(r#"{"responseStatus":null}"#).unwrap();
        assert_eq!(null_status, ErrorResponse::default());
        let snake: ResponseStatus =
            serde_json::from_str(r#"{"error_code":"E","errors":[{"field_name":"f"}]}"#).unwrap();
        assert_eq!(snake.error_code.as_deref(), Some("E"));
        assert!(snake.field_error("F").is_some());
        assert_eq!(
            serde_json::to_string(&ResponseStatus::default()).unwrap(),
            "{}"
        );
        assert!(serde_json::from_str::<ResponseStatus>(r#"{"errors":{}}"#).is_err());
    }

    #[test]
    fn field_error_is_case_insensitive() {
        let status = ResponseStatus {
            errors: vec![
                ResponseError {
                    field_name: None,
                    message: Some("global".into()),
                    ..Default::default()
                },
                ResponseError {
                    field_name: Some("SessionId".into()),
                    error_code: Some("NotEmpty".into()),
                    ..Default::default()
                },
            ],
            ..ResponseStatus::new("ValidationException", "Invalid")
        };
        assert_eq!(
            status
                .field_error("sessionId")
                .and_then(|e| e.error_code.as_deref()),
            Some("NotEmpty")
        );
        assert!(status.field_error("SESSIONID").is_some());
        assert!(status.field_error("session").is_none());
    }

    #[test]
    fn display_summarises() {
        let mut status = ResponseStatus::new("NotFound", "No such session");
        assert_eq!(status.to_string(), "NotFound: No such session");
        status.errors.push(ResponseError {
            field_name: Some("Id".into()),
            message: Some("bad".into()),
            error_code: Some("Invalid".into()),
            meta: None,
        });
        status.errors.push(ResponseError::default());
        assert_eq!(
            status.to_string(),
            "NotFound: No such session (Id: bad [Invalid]; invalid)"
        );
        assert_eq!(ResponseStatus::default().to_string(), "request failed");
        assert_eq!(ResponseStatus::new("Same", "Same").to_string(), "Same");
        let only_message = ResponseStatus {
            message: Some("boom".into()),
            ..Default::default()
        };
        assert_eq!(
            ErrorResponse {
                response_status: only_message.clone()
            }
            .to_string(),
            "boom"
        );
        let boxed: Box<dyn std::error::Error> = Box::new(only_message);
        assert_eq!(boxed.to_string(), "boom");
    }
}
