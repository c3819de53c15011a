//! The client's one error type, and how a reply becomes a value or an error.

use std::fmt;

use serde::de::DeserializeOwned;

use crate::query::QueryError;
use crate::{ErrorResponse, ResponseError, ResponseStatus};

/// How many bytes of a body an error keeps: enough to recognise an HTML error page or a
/// truncated JSON document, small enough for a log line.
pub const EXCERPT_BYTES: usize = 256;

/// Everything that can go wrong calling a service.
///
/// ```
/// # async fn run(client: &ssdto::client::JsonServiceClient) {
/// # #[derive(serde::Serialize)] struct GetSession { session_id: String }
/// # impl ssdto::Request for GetSession {
/// #     type Response = serde_json::Value;
/// #     const OPERATION: &'static str = "GetSession";
/// #     const METHOD: ssdto::Method = ssdto::Method::Get;
/// # }
/// use ssdto::client::Error;
///
/// match client.send(&GetSession { session_id: String::new() }).await {
///     Ok(session) => println!("{session}"),
///     Err(Error::Service(e)) if e.status == 404 => println!("no such session"),
///     Err(e) => match e.field_error("SessionId") {
///         Some(field) => println!("bad session id: {field}"),
///         None => println!("failed: {e}"),
///     },
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an HTTP error status.
    #[error(transparent)]
    Service(Box<ServiceError>),
    /// The request did not get an answer: connection refused, TLS failure, timeout, a
    /// connection closed mid-reply, too many redirects.
    #[error("transport error: {}", Chain(.0))]
    Transport(reqwest::Error),
    /// The service answered with success, but the body is not the expected response.
    #[error("cannot read the HTTP {status} response: {source} (body: {excerpt:?})")]
    Decode {
        /// The HTTP status of the reply.
        status: u16,
        /// What serde_json reported.
        source: serde_json::Error,
        /// The start of the body, see [`excerpt`].
        excerpt: String,
    },
    /// The reply's body is larger than the client's limit
    /// ([`max_response_bytes`](super::ClientBuilder::max_response_bytes)), whatever its
    /// status. The client stops reading at the limit (before reading anything when the
    /// `Content-Length` is over it) and parses nothing, so an error reply's `responseStatus`
    /// is not available either: `status` tells a failed call from a successful one, and the
    /// excerpt usually tells what the body was.
    #[error(
        "the HTTP {status} response body is larger than the limit of {limit} bytes{}",
        too_large_detail(*.content_length, .excerpt)
    )]
    TooLarge {
        /// The HTTP status of the reply.
        status: u16,
        /// The limit, in bytes.
        limit: usize,
        /// The length the server declared, when that is how the body was found too large.
        content_length: Option<u64>,
        /// The start of what was read (see [`excerpt`]) with `…` appended; empty when nothing
        /// was read.
        excerpt: String,
    },
    /// The blocking client could not read a reply's body, with an error that did not come
    /// from the HTTP library (those, timeouts included, are [`Error::Transport`]).
    #[error("cannot read the response body: {0}")]
    Read(std::io::Error),
    /// The request's fields cannot be written in a URL.
    #[error("cannot write the request in the URL: {0}")]
    Query(#[from] QueryError),
    /// The request cannot be written as JSON (for example a map with non-string keys).
    #[error("cannot write the request body as JSON: {0}")]
    Encode(serde_json::Error),
    /// The client was configured with something unusable.
    #[error("invalid client configuration: {0}")]
    Config(#[from] ConfigError),
}

/// An HTTP error status and ServiceStack's account of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// The HTTP status code (400, 401, 404, 500, ...).
    pub status: u16,
    /// The `responseStatus` of the body. When the body has none (an empty body, an HTML page,
    /// some other JSON), it is made up as ServiceStack's Python client does: the status code
    /// as `errorCode` and the status's reason phrase as `message`.
    pub response_status: ResponseStatus,
    /// The start of the body (see [`excerpt`]), empty when there was no body.
    pub excerpt: String,
}

impl ServiceError {
    /// Builds the error for an HTTP error `status` and its `body`.
    pub fn from_reply(status: u16, body: &[u8]) -> Self {
        let parsed = serde_json::from_slice::<ErrorResponse>(body)
            .ok()
            .map(|e| e.response_status)
            .filter(|s| *s != ResponseStatus::default());
        let response_status = parsed.unwrap_or_else(|| ResponseStatus {
            error_code: Some(status.to_string()),
            message: reason_phrase(status).map(str::to_owned),
            ..ResponseStatus::default()
        });
        ServiceError {
            status,
            response_status,
            excerpt: excerpt(body),
        }
    }

    /// The error code (`ValidationException`, `NotFound`, or the status code when the body
    /// had none).
    pub fn error_code(&self) -> Option<&str> {
        self.response_status.error_code.as_deref()
    }

    /// The server's message.
    pub fn message(&self) -> Option<&str> {
        self.response_status.message.as_deref()
    }

    /// The first validation error for the field `name`, compared case-insensitively (the
    /// server names fields in PascalCase).
    pub fn field_error(&self, name: &str) -> Option<&ResponseError> {
        self.response_status.field_error(name)
    }
}

impl fmt::Display for ServiceError {
    /// `HTTP 400: ValidationException: Invalid (SessionId: must not be empty [NotEmpty])`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}: {}", self.status, self.response_status)
    }
}

impl std::error::Error for ServiceError {}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The base URL does not parse, or is not an `http`/`https` URL with a host.
    #[error("invalid base URL `{url}`: {reason}")]
    BaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An extra header's name or value is not valid in HTTP.
    #[error("invalid header `{name}`")]
    Header {
        /// The header's name as given.
        name: String,
    },
    /// A credential holds characters that cannot travel in an HTTP header.
    #[error("the {what} cannot be sent in an HTTP header")]
    Credential {
        /// Which credential (`bearer token`, `password`, ...).
        what: &'static str,
    },
    /// A cookie's name or value cannot be sent in a `Cookie` header.
    #[error("invalid cookie `{name}`")]
    Cookie {
        /// The cookie's name as given.
        name: String,
    },
    /// The HTTP library could not set up a client (for example TLS initialisation).
    #[error("cannot create the HTTP client: {}", Chain(.0))]
    Http(reqwest::Error),
}

impl Error {
    /// The HTTP status of a [`Error::Service`], [`Error::Decode`] or [`Error::TooLarge`]
    /// error.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Service(e) => Some(e.status),
            Error::Decode { status, .. } | Error::TooLarge { status, .. } => Some(*status),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            _ => None,
        }
    }

    /// The service's `ResponseStatus`, for a [`Error::Service`] error.
    pub fn response_status(&self) -> Option<&ResponseStatus> {
        match self {
            Error::Service(e) => Some(&e.response_status),
            _ => None,
        }
    }

    /// The first validation error for the field `name` (case-insensitive), for a
    /// [`Error::Service`] error.
    pub fn field_error(&self, name: &str) -> Option<&ResponseError> {
        self.response_status()?.field_error(name)
    }

    /// Whether the request timed out (see `ClientBuilder::timeout`).
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport(e) => e.is_timeout(),
            Error::Read(e) => e.kind() == std::io::ErrorKind::TimedOut,
            _ => false,
        }
    }
}

/// The end of [`Error::TooLarge`]'s message: the declared length, else the start of the body.
fn too_large_detail(content_length: Option<u64>, excerpt: &str) -> String {
    match content_length {
        Some(length) => format!(" (Content-Length: {length})"),
        None if excerpt.is_empty() => String::new(),
        None => format!(" (starts with {excerpt:?})"),
    }
}

/// The start of a body as one line of text, for error messages: invalid UTF-8 replaced,
/// runs of whitespace (line breaks included) collapsed to one space, and cut at
/// [`EXCERPT_BYTES`] on a character boundary with `…` appended when anything was cut.
///
/// ```
/// use ssdto::client::excerpt;
/// assert_eq!(excerpt(b"<html>\n  <h1>Bad Gateway</h1>\n</html>"), "<html> <h1>Bad Gateway</h1> </html>");
/// assert!(excerpt("é".repeat(200).as_bytes()).ends_with("é…"));
/// ```
pub fn excerpt(body: &[u8]) -> String {
    // Look at a little more than the limit: whitespace collapsing can shrink it, and the
    // bytes past the limit tell whether to add an ellipsis.
    let window = &body[..body.len().min(EXCERPT_BYTES * 2)];
    let text = String::from_utf8_lossy(window);
    let mut out = String::with_capacity(EXCERPT_BYTES + 3);
    let mut cut = window.len() < body.len();
    for word in text.split_whitespace() {
        let needed = word.len() + usize::from(!out.is_empty());
        if out.len() + needed > EXCERPT_BYTES {
            if !out.is_empty() {
                out.push(' ');
            }
            let mut end = EXCERPT_BYTES.saturating_sub(out.len()).min(word.len());
            while !word.is_char_boundary(end) {
                end -= 1;
            }
            out.push_str(&word[..end]);
            cut = true;
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if cut {
        out.push('…');
    }
    out
}

/// Turns a reply into the response, or the error it reports; `returns_void` is
/// `Request::RETURNS_VOID`, which makes an empty body read as JSON `null`.
pub(crate) fn read_reply<T: DeserializeOwned>(
    status: u16,
    body: &[u8],
    returns_void: bool,
) -> Result<T, Error> {
    check_status(status, body)?;
    let empty = status == 204 || body.iter().all(u8::is_ascii_whitespace);
    let json: &[u8] = if empty {
        // 204 and empty bodies are how void operations answer; reading them as `null` lets
        // `Void`, `Option` and `serde_json::Value` succeed and names the expected type in the
        // error for anything else.
        if returns_void || status == 204 {
            b"null"
        } else {
            body
        }
    } else {
        body
    };
    serde_json::from_slice(json).map_err(|source| {
        let source = if empty && !returns_void && status != 204 {
            // `EOF while parsing` says less than what was expected.
            serde_json::from_slice::<T>(b"null").err().unwrap_or(source)
        } else {
            source
        };
        Error::Decode {
            status,
            source,
            excerpt: excerpt(body),
        }
    })
}

/// `Ok` for a 2xx status, else the [`ServiceError`] the body describes.
pub(crate) fn check_status(status: u16, body: &[u8]) -> Result<(), Error> {
    if (200..300).contains(&status) {
        Ok(())
    } else {
        Err(Error::Service(Box::new(ServiceError::from_reply(
            status, body,
        ))))
    }
}

fn reason_phrase(status: u16) -> Option<&'static str> {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
}

/// Displays an error with its sources, `outer: inner: innermost`, since reqwest's own message
/// ("error sending request for url") hides the cause in its source chain.
struct Chain<'a>(&'a (dyn std::error::Error + 'static));

impl fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(inner) = source {
            write!(f, ": {inner}")?;
            source = inner.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Void;

    #[test]
    fn excerpt_is_one_short_line() {
        assert_eq!(excerpt(b""), "");
        assert_eq!(excerpt(b"  a\r\n\tb  "), "a b");
        assert_eq!(excerpt(&[b'o', b'k', 0xff]), "ok\u{fffd}");
        let long = "x".repeat(EXCERPT_BYTES + 1);
        let cut = excerpt(long.as_bytes());
        assert_eq!(cut, format!("{}…", "x".repeat(EXCERPT_BYTES)));
        let exact = "y".repeat(EXCERPT_BYTES);
        assert_eq!(excerpt(exact.as_bytes()), exact);
    }

    #[test]
    fn excerpt_cuts_on_a_char_boundary() {
        // 'é' is two bytes and 'あ' three, so the limit falls inside a character.
        for s in [
            "é".repeat(EXCERPT_BYTES),
            format!("a{}", "あ".repeat(EXCERPT_BYTES)),
        ] {
            let cut = excerpt(s.as_bytes());
            let kept = cut.strip_suffix('…').unwrap();
            assert!(kept.len() <= EXCERPT_BYTES && kept.len() > EXCERPT_BYTES - 4);
            assert!(s.starts_with(kept));
        }
        // Cut within a later word, after a space.
        let words = format!("ab {}", "é".repeat(EXCERPT_BYTES));
        let cut = excerpt(words.as_bytes());
        assert!(cut.starts_with("ab éé") && cut.ends_with('…'));
        assert!(cut.len() <= EXCERPT_BYTES + '…'.len_utf8());
    }

    #[test]
    fn excerpt_of_a_huge_body_is_bounded() {
        let body = vec![b' '; 10_000];
        assert_eq!(excerpt(&body), "…");
        let mut body = b"start".to_vec();
        body.extend(std::iter::repeat_n(b' ', 10_000));
        body.extend(b"end");
        assert_eq!(excerpt(&body), "start…");
    }

    #[test]
    fn service_errors_read_camel_and_pascal_case() {
        let camel = br#"{"responseStatus":{"errorCode":"NotFound","message":"No session s1"}}"#;
        let e = ServiceError::from_reply(404, camel);
        assert_eq!(e.error_code(), Some("NotFound"));
        assert_eq!(e.message(), Some("No session s1"));
        assert_eq!(e.to_string(), "HTTP 404: NotFound: No session s1");

        let pascal = br#"{"ResponseStatus":{"ErrorCode":"ValidationException","Message":"Invalid",
            "Errors":[{"ErrorCode":"NotEmpty","FieldName":"SessionId","Message":"Required"}]}}"#;
        let e = ServiceError::from_reply(400, pascal);
        assert_eq!(
            e.field_error("sessionId")
                .and_then(|f| f.error_code.as_deref()),
            Some("NotEmpty")
        );
        assert!(e.field_error("other").is_none());
    }

    #[test]
    fn service_errors_without_a_status_use_the_http_status() {
        for body in [
            &b""[..],
            b"<h1>Oops</h1>",
            b"{}",
            br#"{"message":"x"}"#,
            b"null",
        ] {
            let e = ServiceError::from_reply(502, body);
            assert_eq!(e.error_code(), Some("502"), "{body:?}");
            assert_eq!(e.message(), Some("Bad Gateway"));
            assert_eq!(e.excerpt, excerpt(body));
        }
        let unknown = ServiceError::from_reply(599, b"");
        assert_eq!(unknown.message(), None);
        assert_eq!(unknown.to_string(), "HTTP 599: 599");
    }

    #[test]
    fn read_reply_decodes_successes() {
        let v: serde_json::Value = read_reply(200, br#"{"a":1}"#, false).unwrap();
        assert_eq!(v["a"], 1);
        let void = true;
        assert_eq!(read_reply::<Void>(204, b"", void).unwrap(), Void);
        assert_eq!(read_reply::<Void>(200, b" \n", void).unwrap(), Void);
        assert_eq!(read_reply::<Void>(200, b"{}", void).unwrap(), Void);
    }

    #[test]
    fn read_reply_reports_bad_bodies() {
        #[derive(Debug, serde::Deserialize)]
        struct Session {
            #[allow(dead_code)]
            id: String,
        }
        let expect = false;
        let err = read_reply::<Session>(200, b"<html>nope</html>", expect).unwrap_err();
        match &err {
            Error::Decode {
                status, excerpt, ..
            } => {
                assert_eq!(*status, 200);
                assert_eq!(excerpt, "<html>nope</html>");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(err.status(), Some(200));
        let empty = read_reply::<Session>(200, b"", expect).unwrap_err();
        assert!(empty.to_string().contains("invalid type: null"), "{empty}");
        let err = read_reply::<Session>(500, br#"{"responseStatus":{"errorCode":"Boom"}}"#, expect)
            .unwrap_err();
        assert_eq!(err.status(), Some(500));
        assert_eq!(
            err.response_status().and_then(|s| s.error_code.as_deref()),
            Some("Boom")
        );
        assert!(!err.is_timeout());
    }
}
