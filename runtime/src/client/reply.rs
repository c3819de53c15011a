//! How a reply's status and body become a response value or the error it reports.

use serde::de::DeserializeOwned;

use super::error::{excerpt, Error, ServiceError};
use crate::{raw, Request, ResponseFormat};

/// A reply read whole (within the client's limit).
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    /// `X-AutoBatch-Completed`, when the reply has it.
    pub batch_completed: Option<usize>,
    /// As it came off the wire (a one-chunk body is not copied).
    pub body: bytes::Bytes,
}

impl Reply {
    /// `Ok` for a 2xx status, else the [`ServiceError`] the body describes.
    pub fn check(&self) -> Result<(), Error> {
        if (200..300).contains(&self.status) {
            Ok(())
        } else {
            Err(self.error())
        }
    }

    /// The [`ServiceError`] the reply describes (for a reply with an error status).
    pub fn error(&self) -> Error {
        let mut error = ServiceError::from_reply(self.status, &self.body);
        error.batch_completed = self.batch_completed;
        Error::Service(Box::new(error))
    }

    /// The response of `R`, read as its [`Request::RESPONSE_FORMAT`] says.
    pub fn decode<R: Request>(self) -> Result<R::Response, Error> {
        match R::RESPONSE_FORMAT {
            ResponseFormat::Text => {
                self.check()?;
                let status = self.status;
                let excerpt = excerpt(&self.body);
                let text = String::from_utf8(Vec::from(self.body)).map_err(|e| Error::Decode {
                    status,
                    source: format!("the response is not UTF-8 text: {e}").into(),
                    excerpt: excerpt.clone(),
                })?;
                raw::from_text(text).map_err(|e| decode_error(status, e, excerpt))
            }
            ResponseFormat::Bytes => {
                self.check()?;
                let (status, excerpt) = (self.status, excerpt(&self.body));
                raw::from_bytes(Vec::from(self.body)).map_err(|e| decode_error(status, e, excerpt))
            }
            ResponseFormat::Dto => self.json(R::RETURNS_VOID),
        }
    }

    /// The body as JSON of `T`; `returns_void` is `Request::RETURNS_VOID`, which makes an
    /// empty body read as JSON `null`.
    pub fn json<T: DeserializeOwned>(&self, returns_void: bool) -> Result<T, Error> {
        self.check()?;
        let (status, body) = (self.status, &self.body[..]);
        let empty = status == 204 || body.iter().all(u8::is_ascii_whitespace);
        // 204 and empty bodies are how void operations answer; reading them as `null` lets
        // `Void`, `Option` and `serde_json::Value` succeed and names the expected type in the
        // error for anything else.
        let as_null = empty && (returns_void || status == 204);
        let json: &[u8] = if as_null { b"null" } else { body };
        serde_json::from_slice(json).map_err(|source| {
            let source = if empty && !as_null {
                // `EOF while parsing` says less than what was expected.
                serde_json::from_slice::<T>(b"null").err().unwrap_or(source)
            } else {
                source
            };
            decode_error(status, source, excerpt(body))
        })
    }

    /// The reply to a batch of `count` requests: a JSON array of one response each, in order.
    pub fn batch<T: DeserializeOwned>(
        &self,
        count: usize,
        returns_void: bool,
    ) -> Result<Vec<T>, Error> {
        self.check()?;
        let empty = self.status == 204 || self.body.iter().all(u8::is_ascii_whitespace);
        if empty && returns_void {
            // Void operations may answer a batch with no body at all.
            return (0..count).map(|_| self.json(true)).collect();
        }
        let items: Vec<serde_json::Value> = match serde_json::from_slice(&self.body) {
            Ok(serde_json::Value::Array(items)) => items,
            Ok(other) => {
                let found = match other {
                    serde_json::Value::Object(_) => "an object",
                    serde_json::Value::Null => "null",
                    serde_json::Value::String(_) => "a string",
                    serde_json::Value::Number(_) => "a number",
                    _ => "a boolean",
                };
                let message = format!("a batch reply must be a JSON array, not {found}");
                return Err(decode_error(self.status, message, excerpt(&self.body)));
            }
            Err(e) => return Err(decode_error(self.status, e, excerpt(&self.body))),
        };
        if items.len() != count {
            let message = format!(
                "the batch reply has {} responses for {count} requests",
                items.len()
            );
            return Err(decode_error(self.status, message, excerpt(&self.body)));
        }
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                serde_json::from_value(item).map_err(|e| {
                    let message = format!("response {i} of the batch: {e}");
                    decode_error(self.status, message, excerpt(&self.body))
                })
            })
            .collect()
    }
}

fn decode_error(
    status: u16,
    source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    excerpt: String,
) -> Error {
    Error::Decode {
        status,
        source: source.into(),
        excerpt,
    }
}

/// `X-AutoBatch-Completed` ([`crate::keywords::AUTO_BATCH_COMPLETED`]), as a header name so
/// looking it up in every reply parses nothing.
const AUTO_BATCH_COMPLETED: reqwest::header::HeaderName =
    reqwest::header::HeaderName::from_static("x-autobatch-completed");

/// Reads `X-AutoBatch-Completed` from a reply's headers.
pub(crate) fn batch_completed(headers: &reqwest::header::HeaderMap) -> Option<usize> {
    header_number(headers, AUTO_BATCH_COMPLETED)
}

/// A header whose value is a number (`X-AutoBatch-Completed`, `Retry-After` in seconds).
pub(crate) fn header_number<T: std::str::FromStr>(
    headers: &reqwest::header::HeaderMap,
    name: impl reqwest::header::AsHeaderName,
) -> Option<T> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Bytes, Method, Void};

    fn reply(status: u16, body: &[u8]) -> Reply {
        Reply {
            status,
            batch_completed: None,
            body: bytes::Bytes::copy_from_slice(body),
        }
    }

    #[test]
    fn json_decodes_successes() {
        let v: serde_json::Value = reply(200, br#"{"a":1}"#).json(false).unwrap();
        assert_eq!(v["a"], 1);
        let void = true;
        assert_eq!(reply(204, b"").json::<Void>(void).unwrap(), Void);
        assert_eq!(reply(200, b" \n").json::<Void>(void).unwrap(), Void);
        assert_eq!(reply(200, b"{}").json::<Void>(void).unwrap(), Void);
    }

    #[test]
    fn json_reports_bad_bodies() {
        #[derive(Debug, serde::Deserialize)]
        struct Session {
            #[allow(dead_code)]
            id: String,
        }
        let err = reply(200, b"<html>nope</html>")
            .json::<Session>(false)
            .unwrap_err();
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
        let empty = reply(200, b"").json::<Session>(false).unwrap_err();
        assert!(empty.to_string().contains("invalid type: null"), "{empty}");
        let err = reply(500, br#"{"responseStatus":{"errorCode":"Boom"}}"#)
            .json::<Session>(false)
            .unwrap_err();
        assert_eq!(err.status(), Some(500));
        assert_eq!(
            err.response_status().and_then(|s| s.error_code.as_deref()),
            Some("Boom")
        );
        assert!(!err.is_timeout());
    }

    #[derive(serde::Serialize)]
    struct Hello {}
    impl Request for Hello {
        type Response = String;
        const OPERATION: &'static str = "Hello";
        const METHOD: Method = Method::Get;
        const RESPONSE_FORMAT: ResponseFormat = ResponseFormat::Text;
    }

    #[derive(serde::Serialize)]
    struct Download {}
    impl Request for Download {
        type Response = Bytes;
        const OPERATION: &'static str = "Download";
        const METHOD: Method = Method::Get;
        const RESPONSE_FORMAT: ResponseFormat = ResponseFormat::Bytes;
    }

    #[test]
    fn raw_formats_read_the_body_as_it_is() {
        // Text that would not parse as JSON, bytes that are not UTF-8.
        assert_eq!(
            reply(200, b"Hello, \"World\"").decode::<Hello>().unwrap(),
            "Hello, \"World\""
        );
        assert_eq!(reply(200, b"").decode::<Hello>().unwrap(), "");
        assert_eq!(
            reply(200, &[0, 0xff, 7]).decode::<Download>().unwrap(),
            Bytes(vec![0, 0xff, 7])
        );
        let err = reply(200, &[0xff]).decode::<Hello>().unwrap_err();
        assert!(err.to_string().contains("not UTF-8"), "{err}");
        // Errors are still ServiceStack error DTOs.
        let err = reply(404, br#"{"responseStatus":{"errorCode":"NotFound"}}"#)
            .decode::<Download>()
            .unwrap_err();
        assert_eq!(
            err.response_status().unwrap().error_code.as_deref(),
            Some("NotFound")
        );
    }

    #[test]
    fn batches_are_arrays_of_one_response_per_request() {
        let ok: Vec<serde_json::Value> =
            reply(200, br#"[{"a":1},{"a":2}]"#).batch(2, false).unwrap();
        assert_eq!(ok[1]["a"], 2);
        let voids: Vec<Void> = reply(204, b"").batch(3, true).unwrap();
        assert_eq!(voids.len(), 3);
        let voids: Vec<Void> = reply(200, b"[null,null]").batch(2, true).unwrap();
        assert_eq!(voids.len(), 2);
        for (body, message) in [
            (
                &br#"{"a":1}"#[..],
                "a batch reply must be a JSON array, not an object",
            ),
            (b"null", "a batch reply must be a JSON array, not null"),
            (
                br#"[{"a":1}]"#,
                "the batch reply has 1 responses for 2 requests",
            ),
        ] {
            let err = reply(200, body)
                .batch::<serde_json::Value>(2, false)
                .unwrap_err();
            assert!(matches!(err, Error::Decode { .. }), "{err:?}");
            assert!(err.to_string().contains(message), "{err}");
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Id {
            id: i32,
        }
        let err = reply(200, br#"[{"id":1},{"id":"x"}]"#)
            .batch::<Id>(2, false)
            .unwrap_err();
        assert!(err.to_string().contains("response 1 of the batch"), "{err}");
    }

    #[test]
    fn batch_errors_say_how_many_completed() {
        let mut failed = reply(500, br#"{"responseStatus":{"errorCode":"Boom"}}"#);
        failed.batch_completed = Some(2);
        let err = failed.batch::<serde_json::Value>(3, false).unwrap_err();
        assert_eq!(err.batch_completed(), Some(2));
        assert!(AUTO_BATCH_COMPLETED
            .as_str()
            .eq_ignore_ascii_case(crate::keywords::AUTO_BATCH_COMPLETED));
        let mut headers = reqwest::header::HeaderMap::new();
        assert_eq!(batch_completed(&headers), None);
        headers.insert("X-AutoBatch-Completed", " 2 ".parse().unwrap());
        assert_eq!(batch_completed(&headers), Some(2));
        headers.insert("X-AutoBatch-Completed", "two".parse().unwrap());
        assert_eq!(batch_completed(&headers), None);
    }
}
