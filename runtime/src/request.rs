//! The traits generated request DTOs implement, and the plain data they expose.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

pub use ssdto_protocol::{Method, Route, UnknownMethod};

/// A ServiceStack request DTO: one operation of a service contract.
///
/// Generated code implements it for every request type; `#[derive(Request)]` does it for
/// hand-written ones.
///
/// ```
/// use ssdto::{Method, Request, Route};
///
/// #[derive(serde::Serialize)]
/// #[serde(rename_all = "camelCase")]
/// struct GetSession {
///     session_id: String,
/// }
///
/// #[derive(serde::Deserialize)]
/// struct SessionInfo {}
///
/// impl Request for GetSession {
///     type Response = SessionInfo;
///     const OPERATION: &'static str = "GetSession";
///     const METHOD: Method = Method::Get;
///     const ROUTES: &'static [Route] = &[Route {
///         path: "/sessions/{sessionId}",
///         verbs: &[Method::Get],
///     }];
/// }
///
/// assert_eq!(GetSession::OPERATION, "GetSession");
/// assert!(GetSession::ROUTES[0].allows(Method::Get));
/// ```
pub trait Request: Serialize {
    /// What the service answers; [`Void`] for operations that return nothing (HTTP 204), and
    /// `serde_json::Value` where the contract declares no response type.
    type Response: DeserializeOwned;

    /// The operation name, which is also the request type's name in the contract
    /// (`/api/{OPERATION}`, `/json/reply/{OPERATION}`).
    const OPERATION: &'static str;

    /// The verb the official clients use for this operation (`operation.method`).
    const METHOD: Method;

    /// Every route the operation declares, in contract order.
    const ROUTES: &'static [Route] = &[];

    /// Whether the operation returns nothing, so that 204 and an empty body are success.
    const RETURNS_VOID: bool = false;

    /// How the response body travels: a serialized DTO (the default), or, for services that
    /// return a .NET `string`, `byte[]`, `Stream` or `HttpWebResponse`, the raw text or bytes
    /// (see [`crate::raw`]).
    const RESPONSE_FORMAT: ResponseFormat = ResponseFormat::Dto;
}

/// How an operation's response body travels on the wire.
///
/// ServiceStack serializes a response DTO in the requested format (JSON by default), but
/// writes a service's `string` result as the text itself and its `byte[]`, `Stream` or
/// `HttpWebResponse` result as the raw bytes, whatever format was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ResponseFormat {
    /// A serialized response DTO (JSON).
    #[default]
    Dto,
    /// Text, as ServiceStack writes a `string` result (`text/plain`); the response type reads
    /// from a string, e.g. `String`.
    Text,
    /// Raw bytes, as ServiceStack writes `byte[]`, `Stream` and `HttpWebResponse` results
    /// (`application/octet-stream`); the response type reads from bytes, e.g. [`crate::Bytes`].
    Bytes,
}

/// The response of an operation that returns nothing.
///
/// It deserializes from any JSON value (servers answer 204, an empty body or `{}`), so a client
/// can treat every successful reply alike.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Void;

impl<'de> Deserialize<'de> for Void {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| Void)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn void_accepts_any_body() {
        let v: Void = serde_json::from_str(r#"{"responseStatus":null}"#).unwrap();
        assert_eq!(v, Void);
        let v: Void = serde_json::from_str("null").unwrap();
        assert_eq!(v, Void);
    }
}
