//! XML on the wire (features `server` and `xml`): which format a request asks for, operations
//! registered with [`ServiceRouter::xml_operation`], XML request bodies, and XML answers and
//! errors.
//!
//! The format is chosen as ServiceStack's `GetResponseContentType` chooses it: `?format=xml`
//! (or `json`), else the first path segment (`/xml/reply/{Name}`, `/json/reply/{Name}`), else
//! the `Accept` header: JSON when it lists JSON, the request's own `Content-Type` for `*/*`
//! (so `curl -d '<NewSession ...>' -H 'Content-Type: application/xml'` is answered in XML), XML
//! when it lists `application/xml` or `text/xml`, and JSON otherwise.
//!
//! The router negotiates once per request, before routing, and holds the answer in a
//! thread-local while it routes and while it polls the request, so every error on the way (404,
//! 405, 401/403, 413, 400, 500, 503) is written in that format by [`HttpError`]'s
//! `IntoResponse` wherever it arises, without the format threaded through each of them.

use std::cell::Cell;
use std::sync::Arc;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt as _;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::access::{Access, BoxFuture};
use super::decode::{decode, RawRequest};
use super::router::{batch, respond, Call, Handler, Operation};
use super::{Context, HttpError, ServiceRouter, SizeHint};
use crate::request::{Request, ResponseFormat};
use crate::status::{ErrorResponse, ResponseError};
use crate::xml::{self, XmlValue};

/// The content type of every XML answer, as ServiceStack writes it.
const XML: &str = xml::MEDIA_TYPE;

/// The format a request is answered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Xml,
}

thread_local! {
    // The thread's, set only for the synchronous sections [`within`] runs (routing, one poll of
    // a request's future), which is all a tokio task-local's `sync_scope` gives, without its
    // `RefCell` swap in and out around every poll.
    static FORMAT: Cell<Format> = const { Cell::new(Format::Json) };
}

/// The format the request being served asked for; JSON outside a router's request.
pub(crate) fn current() -> Format {
    FORMAT.with(Cell::get)
}

/// Runs `f` with `format` as the [`current`] format. The router calls it around routing and
/// around each poll of a request's future, so no future is wrapped (and made larger) for it.
pub(crate) fn within<R>(format: Format, f: impl FnOnce() -> R) -> R {
    /// Puts the format back as it was, also when `f` panics.
    struct Restore(Format);
    impl Drop for Restore {
        fn drop(&mut self) {
            FORMAT.with(|current| current.set(self.0));
        }
    }
    let _restore = Restore(FORMAT.with(|current| current.replace(format)));
    f()
}

/// The format a request asks for, from its path, query string and headers (see the module
/// docs). Nothing is allocated, and the text is scanned as bytes: this runs for every request,
/// JSON ones included, and `str::split` on a `char` costs a searcher set-up per piece (about
/// 2% of a small request's instructions over a socket, measured with callgrind).
pub(crate) fn negotiate(path: &str, query: Option<&str>, headers: &HeaderMap) -> Format {
    if let Some(format) = query.and_then(query_format) {
        return format;
    }
    if let Some(format) = path_format(path) {
        return format;
    }
    // What clients send: one `application/json`, which the scan below would also answer JSON
    // at its first entry. Compared whole, it skips the scan (about 300 instructions).
    if headers
        .get(header::ACCEPT)
        .is_some_and(|accept| accept.as_bytes().eq_ignore_ascii_case(b"application/json"))
    {
        return Format::Json;
    }
    accepted(headers)
}

/// The format the `Accept` headers ask for (JSON when it is acceptable), or, when they accept
/// anything, the body's.
fn accepted(headers: &HeaderMap) -> Format {
    let mut wants_xml = false;
    let mut anything = false;
    for accept in headers.get_all(header::ACCEPT) {
        // A value with bytes outside visible ASCII names nothing we read.
        if accept.to_str().is_err() {
            continue;
        }
        for entry in pieces(accept.as_bytes(), b',') {
            let essence = pieces(entry, b';').next().unwrap_or_default().trim_ascii();
            if essence.eq_ignore_ascii_case(b"application/json")
                || essence.eq_ignore_ascii_case(b"text/json")
            {
                // ServiceStack prefers JSON whenever it is acceptable.
                return Format::Json;
            }
            wants_xml |= is_xml_type(essence);
            anything |= essence == b"*/*";
        }
    }
    if anything {
        let xml_body = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(xml::is_media_type);
        return if xml_body { Format::Xml } else { Format::Json };
    }
    if wants_xml {
        Format::Xml
    } else {
        Format::Json
    }
}

/// `text`'s pieces between `separator` bytes.
fn pieces(text: &[u8], separator: u8) -> impl Iterator<Item = &[u8]> {
    text.split(move |&b| b == separator)
}

/// Whether a media type's essence (parameters cut, trimmed) is XML, as [`xml::is_media_type`]
/// reads a whole `Content-Type`.
fn is_xml_type(essence: &[u8]) -> bool {
    essence.eq_ignore_ascii_case(XML.as_bytes()) || essence.eq_ignore_ascii_case(b"text/xml")
}

/// `format=xml` / `format=json` (the part before a `.`, any case; the key in any case as
/// ASP.NET reads it).
fn query_format(query: &str) -> Option<Format> {
    let value = pieces(query.as_bytes(), b'&').find_map(|pair| {
        let at = pair.iter().position(|&b| b == b'=')?;
        let (key, value) = (&pair[..at], &pair[at + 1..]);
        key.eq_ignore_ascii_case(b"format").then_some(value)
    })?;
    named(pieces(value, b'.').next().unwrap_or_default())
}

/// The first path segment when it names a format: `/xml/reply/GetSession`.
fn path_format(path: &str) -> Option<Format> {
    let path = path.strip_prefix('/').unwrap_or(path);
    named(pieces(path.as_bytes(), b'/').next().unwrap_or_default())
}

fn named(name: &[u8]) -> Option<Format> {
    if name.eq_ignore_ascii_case(b"xml") {
        Some(Format::Xml)
    } else if name.eq_ignore_ascii_case(b"json") {
        Some(Format::Json)
    } else {
        None
    }
}

/// Whether a request body is XML, by its `Content-Type`.
fn is_xml_body(content_type: Option<&str>) -> bool {
    content_type.is_some_and(xml::is_media_type)
}

/// `body` as an XML document (declaration first, as ServiceStack answers); a body that cannot
/// be written becomes a 500 with a ResponseStatus saying so.
pub(crate) fn xml_response<T: XmlValue>(status: StatusCode, body: &T) -> Response {
    match xml::to_document(body) {
        Ok(text) => super::typed_response(status, text.into_bytes(), XML),
        Err(e) => {
            let err = HttpError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "SerializationException",
                format!("the response could not be written as XML: {e}"),
            );
            error_response(
                err.status,
                ErrorResponse {
                    response_status: *err.response_status,
                },
            )
        }
    }
}

/// An error body in XML. `ErrorResponse` holds only text a request or service put there, and a
/// character XML cannot carry is the one thing that fails to write: then the message is
/// dropped rather than the answer.
pub(crate) fn error_response(status: StatusCode, mut body: ErrorResponse) -> Response {
    let text = xml::to_document(&body).unwrap_or_else(|_| {
        let code = body.response_status.error_code.take();
        body.response_status = crate::ResponseStatus {
            error_code: code.filter(|c| xml::to_string(c).is_ok()),
            ..crate::ResponseStatus::default()
        };
        xml::to_document(&body).unwrap_or_default()
    });
    super::typed_response(status, text.into_bytes(), XML)
}

/// Builds `R` from an XML body, then lets the query string and path variables override its
/// fields as they override a JSON body's (see [`decode`]).
///
/// The override goes through the DTO's JSON form, which generated types round-trip; it only
/// happens when the request has a query string or path variables.
fn decode_xml<R>(input: &Call) -> Result<R, HttpError>
where
    R: XmlValue + Serialize + DeserializeOwned,
{
    let raw = input.raw();
    // The router already held the body to its limit; depth is bounded as for JSON.
    let limits = xml::Limits {
        max_bytes: usize::MAX,
        ..xml::Limits::default()
    };
    let request: R = xml::from_slice_with(&input.body, limits).map_err(bad_xml)?;
    if raw.query.is_none() && raw.path.is_empty() {
        return Ok(request);
    }
    let json = serde_json::to_vec(&request).map_err(|e| {
        HttpError::internal(format!(
            "the XML request could not be merged with the URL: {e}"
        ))
    })?;
    decode::<R>(&RawRequest {
        body: &json,
        content_type: None,
        ..raw
    })
    .map_err(HttpError::from)
}

/// 400 for an XML body that cannot be read, as ServiceStack answers a body it cannot bind:
/// `RequestBindingException`, with a `SerializationException` naming the element where known.
fn bad_xml(err: xml::Error) -> HttpError {
    let field = match &err {
        xml::Error::Value { path, .. } => path.rsplit('/').next().map(str::to_owned),
        _ => None,
    };
    let mut http = HttpError::new(
        StatusCode::BAD_REQUEST,
        "RequestBindingException",
        format!("Unable to bind request: the request body is not valid XML: {err}"),
    );
    http.response_status.errors.push(ResponseError {
        error_code: Some("SerializationException".to_owned()),
        field_name: field,
        message: Some(err.to_string()),
        meta: None,
    });
    http
}

/// A successful result in XML, or what [`respond`] answers for void operations and raw text
/// or bytes (which travel as they are whatever the format).
fn respond_xml<R>(result: Result<R::Response, HttpError>, hint: &SizeHint) -> Response
where
    R: Request,
    R::Response: Serialize + XmlValue,
{
    match result {
        Ok(response) if !R::RETURNS_VOID && R::RESPONSE_FORMAT == ResponseFormat::Dto => {
            xml_response(StatusCode::OK, &response)
        }
        other => respond::<R>(other, hint),
    }
}

impl<S: Send + Sync + 'static> ServiceRouter<S> {
    /// [`operation`](Self::operation) for a request and response with an XML form (generated
    /// with the `Xml` option): it also reads XML request bodies (`Content-Type:
    /// application/xml` or `text/xml`) and answers in XML when the request asks for it
    /// (`Accept: application/xml`, `?format=xml`, `/xml/reply/{Name}`), and is served on
    /// `/xml/reply/{Name}` and `/xml/oneway/{Name}` too.
    ///
    /// AutoBatches (`{Name}[]`) stay JSON: a batch with an XML body answers 415 and one that
    /// asks for an XML answer 406.
    pub fn xml_operation<R, F, Fut>(self, access: Access, call: F) -> Self
    where
        R: Request + DeserializeOwned + XmlValue + Send + 'static,
        R::Response: Serialize + XmlValue + Send,
        F: Fn(Arc<S>, R, Context) -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<Output = Result<R::Response, HttpError>> + Send + 'static,
    {
        let service = Arc::clone(self.service());
        let call = Arc::new(call);
        let hint = Arc::new(SizeHint::default());
        let handler: Handler = Arc::new(move |input: Call| -> BoxFuture<'static, Response> {
            let format = current();
            let xml_body = is_xml_body(input.raw().content_type) && !input.body.is_empty();
            if input.batch {
                if xml_body || format == Format::Xml {
                    let err = unsupported_batch(xml_body);
                    return Box::pin(async move { err.into_response() });
                }
                return batch::<S, R, F, Fut>(&service, &call, input);
            }
            let request = if xml_body {
                decode_xml::<R>(&input)
            } else {
                decode::<R>(&input.raw()).map_err(HttpError::from)
            };
            match request {
                Ok(request) => {
                    let future = call(Arc::clone(&service), request, input.context);
                    let hint = Arc::clone(&hint);
                    // `map`, as in `ServiceRouter::operation`: the future is boxed once.
                    Box::pin(future.map(move |result| match format {
                        Format::Json => respond::<R>(result, &hint),
                        Format::Xml => respond_xml::<R>(result, &hint),
                    }))
                }
                Err(err) => Box::pin(async move { err.into_response() }),
            }
        });
        self.push(Operation::new(R::OPERATION, R::ROUTES, access, handler))
    }
}

fn unsupported_batch(xml_body: bool) -> HttpError {
    if xml_body {
        HttpError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "NotSupportedException",
            "AutoBatch requests are read as JSON only",
        )
    } else {
        HttpError::new(
            StatusCode::NOT_ACCEPTABLE,
            "NotSupportedException",
            "AutoBatch replies are written as JSON only",
        )
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn negotiates_as_servicestack_does() {
        let none = HeaderMap::new();
        let xml_accept = headers(&[("accept", "application/xml")]);
        let cases: [(&str, Option<&str>, &HeaderMap, Format); 12] = [
            ("/sessions/s1", None, &none, Format::Json),
            ("/sessions/s1", None, &xml_accept, Format::Xml),
            ("/sessions/s1", Some("a=1&Format=XML"), &none, Format::Xml),
            (
                "/sessions/s1",
                Some("format=xml.pretty"),
                &none,
                Format::Xml,
            ),
            (
                "/sessions/s1",
                Some("format=json"),
                &xml_accept,
                Format::Json,
            ),
            ("/xml/reply/GetSession", None, &none, Format::Xml),
            ("/XML/oneway/GetSession", None, &none, Format::Xml),
            ("/json/reply/GetSession", None, &xml_accept, Format::Json),
            ("/xmlish/GetSession", None, &none, Format::Json),
            (
                "/api/GetSession",
                None,
                &headers(&[("accept", "text/xml, application/json;q=0.1")]),
                Format::Json,
            ),
            (
                "/api/NewSession",
                None,
                &headers(&[
                    ("accept", "*/*"),
                    ("content-type", "text/xml; charset=utf-8"),
                ]),
                Format::Xml,
            ),
            (
                "/api/NewSession",
                None,
                &headers(&[("accept", "*/*"), ("content-type", "application/json")]),
                Format::Json,
            ),
        ];
        for (path, query, headers, expected) in cases {
            assert_eq!(
                negotiate(path, query, headers),
                expected,
                "{path}?{query:?} {headers:?}"
            );
        }
        // A body in XML without an Accept header: the server's default, JSON.
        assert_eq!(
            negotiate(
                "/api/NewSession",
                None,
                &headers(&[("content-type", "application/xml")])
            ),
            Format::Json
        );
    }

    /// The edges of reading the text as bytes: separators, spaces, parameters, several
    /// `Accept` headers, casing, and values that are not visible ASCII.
    #[test]
    fn negotiates_byte_by_byte_as_it_reads_text() {
        /// Path, query, headers, and the format they ask for.
        type Case = (
            &'static str,
            Option<&'static str>,
            &'static [(&'static str, &'static str)],
            Format,
        );
        let cases: [Case; 14] = [
            (
                "/api/A",
                Some("format"),
                &[("accept", "text/xml")],
                Format::Xml,
            ),
            ("/api/A", Some("formats=xml"), &[], Format::Json),
            (
                "/api/A",
                Some("&&FORMAT=Json.x&format=xml"),
                &[("accept", "text/xml")],
                Format::Json,
            ),
            ("/api/A", Some("a=format=xml"), &[], Format::Json),
            ("/api/A", Some("format=xml&format=json"), &[], Format::Xml),
            ("xml", None, &[], Format::Xml),
            ("/", None, &[("accept", "text/xml")], Format::Xml),
            (
                "/api/A",
                None,
                &[("accept", " Text/XML ;q=0.9 ,  APPLICATION/JSON;q=0.1")],
                Format::Json,
            ),
            (
                "/api/A",
                None,
                &[("accept", "text/html"), ("accept", "application/xml; q=1")],
                Format::Xml,
            ),
            (
                "/api/A",
                None,
                &[("accept", "application/xml"), ("accept", "text/json")],
                Format::Json,
            ),
            (
                "/api/A",
                None,
                &[("accept", "application/jsonx, text/xmlx")],
                Format::Json,
            ),
            (
                "/api/A",
                None,
                &[("accept", ",;,*/* ;q=0"), ("content-type", "text/xml")],
                Format::Xml,
            ),
            (
                "/api/A",
                None,
                &[("accept", "*/*"), ("content-type", "text/xmlx")],
                Format::Json,
            ),
            ("/api/A", None, &[("accept", "text/xml")], Format::Xml),
        ];
        for (path, query, pairs, expected) in cases {
            assert_eq!(
                negotiate(path, query, &headers(pairs)),
                expected,
                "{path}?{query:?} {pairs:?}"
            );
        }
        // An `Accept` value with bytes outside visible ASCII is skipped whole.
        let mut map = HeaderMap::new();
        map.append(
            header::ACCEPT,
            HeaderValue::from_bytes(b"application/json, \xe9").unwrap(),
        );
        map.append(header::ACCEPT, HeaderValue::from_static("text/xml"));
        assert_eq!(negotiate("/api/A", None, &map), Format::Xml);
    }

    #[test]
    fn a_plain_json_accept_answers_as_the_scan_does() {
        let cases: [&[(&str, &str)]; 8] = [
            &[("accept", "application/json")],
            &[("accept", "APPLICATION/Json")],
            &[("accept", "application/json"), ("accept", "text/xml")],
            &[("accept", "text/xml"), ("accept", "application/json")],
            &[("accept", "application/json"), ("content-type", "text/xml")],
            &[("accept", "application/json;q=0")],
            &[("accept", "application/jsonx")],
            &[("accept", "application/xml, application/json")],
        ];
        for pairs in cases {
            let headers = headers(pairs);
            assert_eq!(
                negotiate("/api/A", None, &headers),
                accepted(&headers),
                "{pairs:?}"
            );
        }
    }

    #[test]
    fn errors_outside_a_request_are_json_and_inside_follow_the_format() {
        assert_eq!(current(), Format::Json);
        let response = within(Format::Xml, || {
            HttpError::not_found("no such session").into_response()
        });
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(response.headers()[header::CONTENT_TYPE], XML);
    }

    #[test]
    fn a_scope_restores_the_format_around_it_even_on_a_panic() {
        within(Format::Xml, || {
            assert_eq!(within(Format::Json, current), Format::Json);
            assert_eq!(current(), Format::Xml);
        });
        assert_eq!(current(), Format::Json);
        let panicked = std::panic::catch_unwind(|| within(Format::Xml, || panic!("in scope")));
        assert!(panicked.is_err());
        assert_eq!(current(), Format::Json);
    }

    #[test]
    fn unwritable_error_text_still_answers() {
        let response = error_response(
            StatusCode::BAD_REQUEST,
            ErrorResponse {
                response_status: crate::ResponseStatus::new("Bad", "nul \u{0} here"),
            },
        );
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    }
}
