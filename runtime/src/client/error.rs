//! The client's one error type, and how a reply becomes a value or an error.

use std::fmt;

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
    /// The service answered with success, but the body is not the expected response: not
    /// the JSON of the response type, text that is not UTF-8, a batch reply that is not an
    /// array of one response per request.
    #[error("cannot read the HTTP {status} response: {source} (body: {excerpt:?})")]
    Decode {
        /// The HTTP status of the reply.
        status: u16,
        /// What was wrong: serde_json's error, a [`RawError`](crate::raw::RawError), or a
        /// message.
        source: Box<dyn std::error::Error + Send + Sync>,
        /// The start of the body, see [`excerpt`].
        excerpt: String,
    },
    /// A request failed with 401 and refreshing the access token failed too: the
    /// `GetAccessToken` call's own error (for example a 404 from a server without JWT auth,
    /// or a 401 for an expired refresh token), or the authentication-required hook's error.
    /// The original request was not sent again. Requests that got 401 while that refresh
    /// ran share its error (one refresh for all of them, failed or not).
    #[error("cannot refresh the access token: {0}")]
    RefreshToken(std::sync::Arc<Error>),
    /// A file to upload could not be read, or changed length while it was sent. The upload
    /// is never reported as a success then, whatever the server answered.
    #[error("cannot upload {file}: {source}")]
    File {
        /// The file's path, or its file name in the upload.
        file: String,
        /// What went wrong reading it.
        source: std::io::Error,
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
    /// The request's fields cannot be written in a URL.
    #[error("cannot write the request in the URL: {0}")]
    Query(#[from] QueryError),
    /// The request cannot be written as JSON (for example a map with non-string keys).
    #[error("cannot write the request body as JSON: {0}")]
    Encode(serde_json::Error),
    /// The request cannot be written as XML (a string holding a character XML 1.0 cannot
    /// carry), for an [`XmlServiceClient`](super::XmlServiceClient).
    #[cfg(feature = "xml")]
    #[error("cannot write the request body as XML: {0}")]
    EncodeXml(crate::xml::Error),
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
    /// For a batch ([`send_all`](super::JsonServiceClient::send_all)): how many requests of
    /// the batch completed before the one that failed, as ServiceStack's
    /// `X-AutoBatch-Completed` header says. `None` when the reply has no such header.
    pub batch_completed: Option<usize>,
}

impl ServiceError {
    /// Builds the error for an HTTP error `status` and its `body`.
    pub fn from_reply(status: u16, body: &[u8]) -> Self {
        let parsed = serde_json::from_slice::<ErrorResponse>(body)
            .ok()
            .or_else(|| xml_error(body))
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
            batch_completed: None,
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

/// An XML error body (`<ErrorResponse>`), as a server answers a client that asked for XML.
#[cfg(feature = "xml")]
fn xml_error(body: &[u8]) -> Option<ErrorResponse> {
    let start = body.trim_ascii_start();
    let start = start.strip_prefix("\u{feff}".as_bytes()).unwrap_or(start);
    if start.starts_with(b"<") {
        crate::xml::from_slice(body).ok()
    } else {
        None
    }
}

#[cfg(not(feature = "xml"))]
fn xml_error(_: &[u8]) -> Option<ErrorResponse> {
    None
}

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
    /// The blocking client could not start its runtime thread.
    #[error("cannot start the blocking client's runtime: {0}")]
    Runtime(std::io::Error),
    /// The refresh token URI is neither a path nor an absolute `http(s)` URL.
    #[error("invalid refresh token configuration: {0}")]
    Refresh(&'static str),
}

impl Error {
    /// The HTTP status of a [`Error::Service`], [`Error::Decode`] or [`Error::TooLarge`]
    /// error (for [`Error::RefreshToken`], that of the failed refresh).
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Service(e) => Some(e.status),
            Error::Decode { status, .. } | Error::TooLarge { status, .. } => Some(*status),
            Error::Transport(e) => e.status().map(|s| s.as_u16()),
            Error::RefreshToken(e) => e.status(),
            _ => None,
        }
    }

    /// The service's `ResponseStatus`, for a [`Error::Service`] error (for
    /// [`Error::RefreshToken`], that of the failed refresh).
    pub fn response_status(&self) -> Option<&ResponseStatus> {
        match self {
            Error::Service(e) => Some(&e.response_status),
            Error::RefreshToken(e) => e.response_status(),
            _ => None,
        }
    }

    /// How many requests of a batch completed before the one that failed
    /// (`X-AutoBatch-Completed`), for a [`Error::Service`] error of
    /// [`send_all`](super::JsonServiceClient::send_all).
    pub fn batch_completed(&self) -> Option<usize> {
        match self {
            Error::Service(e) => e.batch_completed,
            _ => None,
        }
    }

    /// A short name for what kind of error this is, used as the `errorCode` of an
    /// [`ApiResult`](super::ApiResult)'s error when the service sent no `ResponseStatus`
    /// (as ServiceStack's C# client uses the exception's type name).
    pub fn kind_name(&self) -> &'static str {
        match self {
            Error::Service(_) => "Service",
            Error::Transport(e) if e.is_timeout() => "Timeout",
            Error::Transport(_) => "Transport",
            Error::Decode { .. } => "Decode",
            Error::RefreshToken(_) => "RefreshTokenException",
            Error::File { .. } => "File",
            Error::TooLarge { .. } => "TooLarge",
            Error::Query(_) => "Query",
            Error::Encode(_) => "Encode",
            #[cfg(feature = "xml")]
            Error::EncodeXml(_) => "Encode",
            Error::Config(_) => "Config",
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
            Error::RefreshToken(e) => e.is_timeout(),
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
}
