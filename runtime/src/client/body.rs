//! Reading a reply's body in bounded memory (see `ClientBuilder::max_response_bytes`).

use bytes::{Bytes, BytesMut};

use super::error::{excerpt, Error};
use super::reply::{self, Reply};

/// The default of `ClientBuilder::max_response_bytes`: 32 MiB.
///
/// ServiceStack replies are JSON DTOs; even a large page of a list operation is a few
/// megabytes, so this leaves ample room for real responses while keeping a broken or hostile
/// server (an endless chunked stream, a multi-gigabyte error page) from exhausting memory.
/// The decoded value can take several times the size of its JSON, so a much larger default
/// would not protect much.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// Reads a reply whole, within `limit` bytes.
pub(crate) async fn read(mut response: reqwest::Response, limit: usize) -> Result<Reply, Error> {
    let status = response.status().as_u16();
    let batch_completed = reply::batch_completed(response.headers());
    // Chunk by chunk rather than `bytes()`, which would buffer a body of any size.
    let mut body = LimitedBody::new(limit, status, response.content_length())?;
    while let Some(chunk) = response.chunk().await.map_err(Error::Transport)? {
        body.push(chunk)?;
    }
    Ok(Reply {
        status,
        batch_completed,
        body: body.finish(),
    })
}

/// Collects one reply's body, failing with [`Error::TooLarge`] as soon as it is known to be
/// over `limit`: before reading anything when the declared length says so, else when a chunk
/// would take it past the limit. It never holds more than `limit` bytes.
///
/// A body that arrives in one chunk (the usual case for a reply that fits the HTTP library's
/// read buffer) is kept as that chunk, without a copy; later chunks are appended to one
/// buffer, sized by the declared length when there is one.
#[derive(Debug)]
pub(crate) struct LimitedBody {
    limit: usize,
    status: u16,
    /// The declared length, if within the limit: the buffer's capacity once one is needed.
    expected: usize,
    bytes: Collected,
}

#[derive(Debug)]
enum Collected {
    One(Bytes),
    Many(BytesMut),
}

impl Collected {
    fn as_slice(&self) -> &[u8] {
        match self {
            Collected::One(bytes) => bytes,
            Collected::Many(bytes) => bytes,
        }
    }
}

impl LimitedBody {
    /// Starts reading a reply with HTTP `status` whose body is `content_length` bytes long, if
    /// the server said so (HTTP's `Content-Length`, as the HTTP library reports it: absent for
    /// chunked replies, 0 for replies that cannot have a body).
    pub(crate) fn new(
        limit: usize,
        status: u16,
        content_length: Option<u64>,
    ) -> Result<Self, Error> {
        let mut body = LimitedBody {
            limit,
            status,
            expected: 0,
            bytes: Collected::One(Bytes::new()),
        };
        if let Some(length) = content_length {
            // A length that does not fit in usize is over any limit.
            match usize::try_from(length) {
                Ok(length) if length <= limit => body.expected = length,
                _ => return Err(body.too_large(Some(length))),
            }
        }
        Ok(body)
    }

    /// Adds the next piece of the body.
    pub(crate) fn push(&mut self, chunk: Bytes) -> Result<(), Error> {
        let held = self.bytes.as_slice().len();
        let room = self.limit - held;
        let fits = chunk.len() <= room;
        let take = if fits { chunk.len() } else { room };
        match &mut self.bytes {
            Collected::One(first) if first.is_empty() && fits => *first = chunk,
            Collected::One(first) => {
                let mut buffer = BytesMut::with_capacity(self.expected.max(held + take));
                buffer.extend_from_slice(first);
                // Keep what fits, for the excerpt; the rest is never stored.
                buffer.extend_from_slice(&chunk[..take]);
                self.bytes = Collected::Many(buffer);
            }
            Collected::Many(buffer) => buffer.extend_from_slice(&chunk[..take]),
        }
        if fits {
            Ok(())
        } else {
            Err(self.too_large(None))
        }
    }

    /// The whole body, within the limit.
    pub(crate) fn finish(self) -> Bytes {
        match self.bytes {
            Collected::One(bytes) => bytes,
            Collected::Many(buffer) => buffer.freeze(),
        }
    }

    fn too_large(&self, content_length: Option<u64>) -> Error {
        let mut excerpt = excerpt(self.bytes.as_slice());
        // Whatever was kept, the body goes on past it; say so even when the excerpt is whole.
        if !excerpt.is_empty() && !excerpt.ends_with('…') {
            excerpt.push('…');
        }
        Error::TooLarge {
            status: self.status,
            limit: self.limit,
            content_length,
            excerpt,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(limit: usize, content_length: Option<u64>, chunks: &[&[u8]]) -> Result<Bytes, Error> {
        let mut body = LimitedBody::new(limit, 200, content_length)?;
        for chunk in chunks {
            body.push(Bytes::copy_from_slice(chunk))?;
        }
        Ok(body.finish())
    }

    #[test]
    fn bodies_up_to_the_limit_are_read_whole() {
        assert_eq!(
            read(8, Some(8), &[b"1234", b"5678"]).unwrap(),
            &b"12345678"[..]
        );
        assert_eq!(
            read(8, None, &[b"123", b"", b"45678"]).unwrap(),
            &b"12345678"[..]
        );
        assert_eq!(read(8, Some(0), &[]).unwrap(), &b""[..]);
        assert_eq!(read(0, None, &[b""]).unwrap(), &b""[..]);
    }

    #[test]
    fn a_body_in_one_chunk_is_kept_without_a_copy() {
        let chunk = Bytes::from(vec![b'x'; 1000]);
        let at = chunk.as_ptr();
        let mut body = LimitedBody::new(1000, 200, Some(1000)).unwrap();
        body.push(chunk).unwrap();
        assert_eq!(body.finish().as_ptr(), at);
    }

    #[test]
    fn a_declared_length_over_the_limit_fails_before_reading() {
        for length in [9, u64::MAX] {
            let err = LimitedBody::new(8, 502, Some(length)).unwrap_err();
            match err {
                Error::TooLarge {
                    status,
                    limit,
                    content_length,
                    ref excerpt,
                } => {
                    assert_eq!((status, limit, content_length), (502, 8, Some(length)));
                    assert_eq!(excerpt, "");
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn chunks_past_the_limit_fail_and_keep_only_the_limit() {
        let mut body = LimitedBody::new(8, 200, None).unwrap();
        body.push(Bytes::from_static(b"12345")).unwrap();
        let err = body.push(Bytes::from_static(b"6789")).unwrap_err();
        match err {
            Error::TooLarge {
                status,
                limit,
                content_length,
                ref excerpt,
            } => {
                assert_eq!((status, limit, content_length), (200, 8, None));
                assert_eq!(excerpt, "12345678…");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(body.bytes.as_slice().len(), 8);
        // A limit of zero admits only empty bodies.
        let err = read(0, None, &[b"x"]).unwrap_err();
        assert!(matches!(err, Error::TooLarge { limit: 0, .. }), "{err:?}");
    }

    #[test]
    fn the_error_says_what_happened() {
        let err = LimitedBody::new(1024, 200, Some(5000)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the HTTP 200 response body is larger than the limit of 1024 bytes (Content-Length: 5000)"
        );
        assert_eq!(err.status(), Some(200));
        let mut body = LimitedBody::new(4, 500, None).unwrap();
        let err = body.push(Bytes::from_static(b"<html>\n<h1>")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the HTTP 500 response body is larger than the limit of 4 bytes (starts with \"<htm…\")"
        );
        assert_eq!(err.status(), Some(500));
    }
}
