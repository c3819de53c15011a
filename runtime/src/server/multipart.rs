//! `multipart/form-data` bodies (RFC 7578), as the official clients send uploads: text fields
//! and files, each a part with a `Content-Disposition: form-data; name=".."` header.
//!
//! The body is read as it arrives, never whole: [`Parser`] is a push parser (bytes in, events
//! out) that keeps only what it has not decided on yet (at most a part's headers, or a
//! delimiter's length of content), and [`read`] feeds it the request's frames. Text fields are
//! collected (within the router's body limit, all of them together); each file goes to a
//! [`Spool`](super::spool::Spool), in memory up to a threshold and in a temporary file above
//! it. The whole body stays within the upload limit, counted as it arrives; past it, and on a
//! malformed body, the rest is drained before the error is answered.
//!
//! Why not `multer` (what axum's `Multipart` uses): it adds `encoding_rs`, `spin` and `mime`
//! to the server's dependencies for what is, with `memchr` already here, a small state
//! machine, and this parser keeps the limits (parts, header bytes) and RFC 5987 file names
//! the server had, and is tested against every split of its input.

use std::future::poll_fn;
use std::path::PathBuf;
use std::pin::Pin;

use axum::body::{Body, HttpBody as _};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use memchr::memmem::Finder;

use super::error::HttpError;
use super::router::{drain, too_large};
use super::spool::Spool;
use crate::HttpFile;

/// The most parts one body may have; a body of empty parts is cheap to send and costly to hold.
const MAX_PARTS: usize = 1000;
/// The most bytes of headers one part may have.
const MAX_PART_HEADERS: usize = 16 * 1024;

/// How uploads are read: the router's limits and where large files go.
#[derive(Debug, Clone)]
pub(crate) struct Uploads {
    /// The most bytes of the whole body.
    pub limit: usize,
    /// The most bytes of all text fields together (they are held in memory).
    pub fields: usize,
    /// The most bytes of one file kept in memory; larger files are spooled to `dir`.
    pub memory: usize,
    /// Where temporary files are created.
    pub dir: PathBuf,
}

/// The text fields and files of a multipart body, in the order sent.
#[derive(Debug, Default)]
pub(crate) struct Form {
    pub fields: Vec<(String, String)>,
    pub files: Vec<HttpFile>,
}

/// The headers of one part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Head {
    /// The form field name.
    pub name: String,
    /// The file name, for a file part.
    pub file_name: Option<String>,
    /// The part's `Content-Type`.
    pub content_type: Option<String>,
}

/// Why a multipart body cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the multipart body is malformed: {0}")]
pub(crate) struct MultipartError(String);

fn malformed(message: impl Into<String>) -> MultipartError {
    MultipartError(message.into())
}

/// Whether `content_type` is `multipart/form-data`.
pub(crate) fn is_multipart(content_type: &str) -> bool {
    media_type(content_type).eq_ignore_ascii_case("multipart/form-data")
}

fn media_type(content_type: &str) -> &str {
    content_type.split(';').next().unwrap_or_default().trim()
}

/// Reads the multipart `body` sent with `content_type` as it arrives: its fields, and its
/// files in memory or spooled to disk. The error is the response to answer (400, 413, or 500
/// when a file cannot be stored), after the rest of the body was drained.
pub(crate) async fn read(
    content_type: &str,
    mut body: Body,
    uploads: &Uploads,
) -> Result<Form, Response> {
    let mut parser = match Parser::new(content_type) {
        Ok(parser) => parser,
        Err(err) => return Err(refuse(body, bad(err)).await),
    };
    // A declared length (hyper takes it from Content-Length) over the limit is refused before
    // anything is read.
    if body.size_hint().lower() > uploads.limit as u64 {
        return Err(refuse(body, too_large(uploads.limit)).await);
    }
    let mut form = Form::default();
    let mut received = 0;
    let mut field_bytes = 0;
    let mut part: Option<(Head, Sink)> = None;
    loop {
        let event = match parser.next() {
            Ok(event) => event,
            Err(err) => return Err(refuse(body, bad(err)).await),
        };
        match event {
            Some(Event::Part(head)) => {
                let sink = match head.file_name {
                    Some(_) => Sink::File(Spool::new(uploads.memory, &uploads.dir)),
                    None => Sink::Text(Vec::new()),
                };
                part = Some((head, sink));
            }
            Some(Event::Data(data)) => match &mut part {
                Some((_, Sink::Text(text))) => {
                    field_bytes += data.len();
                    if field_bytes > uploads.fields {
                        return Err(refuse(body, fields_too_large(uploads.fields)).await);
                    }
                    text.extend_from_slice(data);
                }
                Some((_, Sink::File(spool))) => {
                    if let Err(err) = spool.write(data).await {
                        return Err(refuse(body, unstorable(err)).await);
                    }
                }
                None => {}
            },
            Some(Event::PartEnd) => match part.take() {
                Some((head, Sink::Text(text))) => form
                    .fields
                    .push((head.name, String::from_utf8_lossy(&text).into_owned())),
                Some((head, Sink::File(spool))) => match spool.finish().await {
                    Ok((content, length)) => form.files.push(HttpFile::received(
                        head.name,
                        head.file_name.unwrap_or_default(),
                        head.content_type,
                        length,
                        content,
                    )),
                    Err(err) => return Err(refuse(body, unstorable(err)).await),
                },
                None => {}
            },
            Some(Event::End) => {
                // The epilogue carries nothing; read it so the connection can be reused.
                drain(body).await;
                return Ok(form);
            }
            None => match poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
                Some(Ok(frame)) => {
                    let Ok(data) = frame.into_data() else {
                        // Trailers carry nothing a DTO is built from.
                        continue;
                    };
                    received += data.len();
                    if received > uploads.limit {
                        return Err(refuse(body, too_large(uploads.limit)).await);
                    }
                    parser.feed(&data);
                }
                Some(Err(err)) => {
                    // A client that broke off: the request cannot be served as sent.
                    return Err(HttpError::bad_request(format!(
                        "the request body could not be read: {err}"
                    ))
                    .into_response());
                }
                None => parser.finish(),
            },
        }
    }
}

/// Where the content of the part being read goes.
enum Sink {
    Text(Vec<u8>),
    File(Spool),
}

/// Drains the rest of `body` (so that a client still sending reads the answer), then answers.
async fn refuse(body: Body, response: Response) -> Response {
    drain(body).await;
    response
}

fn bad(err: MultipartError) -> Response {
    HttpError::new(
        StatusCode::BAD_REQUEST,
        "InvalidDataException",
        err.to_string(),
    )
    .into_response()
}

fn fields_too_large(limit: usize) -> Response {
    HttpError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "RequestEntityTooLarge",
        format!("the form's text fields are larger than {limit} bytes"),
    )
    .into_response()
}

fn unstorable(err: std::io::Error) -> Response {
    tracing::error!(%err, "an uploaded file could not be stored");
    HttpError::internal(format!("the uploaded file could not be stored: {err}")).into_response()
}

/// What [`Parser::next`] found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Event<'a> {
    /// A part starts.
    Part(Head),
    /// Some of the current part's content (a part's content may come in many pieces).
    Data(&'a [u8]),
    /// The current part ended.
    PartEnd,
    /// The closing delimiter: the form is complete.
    End,
}

/// Where the parser is in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the first delimiter: skipped.
    Preamble,
    /// Right after a delimiter: `--` ends the body, a line break starts a part's headers.
    Delimiter,
    Headers,
    Content,
    End,
}

/// A push parser of a multipart body: [`feed`](Self::feed) it bytes as they arrive,
/// [`finish`](Self::finish) it at the end of the body, and take [`next`](Self::next) events
/// until it needs more (`None`).
pub(crate) struct Parser {
    /// `\r\n--{boundary}`: what ends each part (and the preamble).
    delimiter: Finder<'static>,
    delimiter_len: usize,
    /// Bytes received and not yet decided on, from `at`.
    buf: Vec<u8>,
    at: usize,
    state: State,
    eof: bool,
    parts: usize,
}

impl Parser {
    /// A parser for the boundary `content_type` names.
    pub(crate) fn new(content_type: &str) -> Result<Self, MultipartError> {
        let boundary = parameter(content_type, "boundary")
            .filter(|b| !b.is_empty() && b.len() <= 200)
            .ok_or_else(|| malformed("the Content-Type names no boundary"))?;
        let delimiter = format!("\r\n--{boundary}");
        Ok(Parser {
            delimiter: Finder::new(delimiter.as_bytes()).into_owned(),
            delimiter_len: delimiter.len(),
            // The first delimiter may start the body; with a line break before it, it is
            // found like every other.
            buf: b"\r\n".to_vec(),
            at: 0,
            state: State::Preamble,
            eof: false,
            parts: 0,
        })
    }

    /// Adds bytes of the body.
    pub(crate) fn feed(&mut self, data: &[u8]) {
        self.buf.drain(..self.at);
        self.at = 0;
        self.buf.extend_from_slice(data);
    }

    /// Marks the end of the body.
    pub(crate) fn finish(&mut self) {
        self.eof = true;
    }

    /// The next event, or `None` when more of the body is needed.
    pub(crate) fn next(&mut self) -> Result<Option<Event<'_>>, MultipartError> {
        loop {
            let rest = &self.buf[self.at..];
            match self.state {
                State::Preamble | State::Content => {
                    let (take, ends) = match self.delimiter.find(rest) {
                        Some(i) => (i, i == 0),
                        // The last bytes may begin a delimiter: keep them for the next feed.
                        None => (rest.len().saturating_sub(self.delimiter_len - 1), false),
                    };
                    if ends {
                        self.at += self.delimiter_len;
                        let was = self.state;
                        self.state = State::Delimiter;
                        if was == State::Content {
                            return Ok(Some(Event::PartEnd));
                        }
                        continue;
                    }
                    if take == 0 {
                        return match (self.eof, self.state) {
                            (false, _) => Ok(None),
                            (true, State::Preamble) => {
                                Err(malformed("no part starts with the boundary"))
                            }
                            (true, _) => Err(malformed("a part does not end with the boundary")),
                        };
                    }
                    let start = self.at;
                    self.at += take;
                    if self.state == State::Content {
                        return Ok(Some(Event::Data(&self.buf[start..start + take])));
                    }
                }
                State::Delimiter => {
                    if rest.starts_with(b"--") {
                        self.state = State::End;
                        return Ok(Some(Event::End));
                    }
                    // Transport padding (spaces, tabs) may follow a delimiter before its CRLF.
                    let padding = rest
                        .iter()
                        .take_while(|b| matches!(b, b' ' | b'\t'))
                        .count();
                    let broken = || malformed("a boundary is not followed by a line break");
                    if padding > MAX_PART_HEADERS {
                        return Err(broken());
                    }
                    match rest.get(padding..padding + 2) {
                        Some(b"\r\n") => {
                            self.at += padding + 2;
                            self.state = State::Headers;
                        }
                        Some(_) => return Err(broken()),
                        // Too short to tell (`-` may begin `--`).
                        None if self.eof => return Err(broken()),
                        None => return Ok(None),
                    }
                }
                State::Headers => {
                    let end = memchr::memmem::find(rest, b"\r\n\r\n");
                    let Some(end) = end.filter(|&end| end <= MAX_PART_HEADERS) else {
                        if end.is_none() && !self.eof && rest.len() <= MAX_PART_HEADERS + 3 {
                            return Ok(None);
                        }
                        return Err(malformed("a part's headers do not end"));
                    };
                    let headers = std::str::from_utf8(&rest[..end])
                        .map_err(|_| malformed("a part's headers are not UTF-8"))?;
                    if self.parts == MAX_PARTS {
                        return Err(malformed(format!("more than {MAX_PARTS} parts")));
                    }
                    let head = head(headers)?;
                    self.parts += 1;
                    self.at += end + 4;
                    self.state = State::Content;
                    return Ok(Some(Event::Part(head)));
                }
                State::End => return Ok(Some(Event::End)),
            }
        }
    }
}

fn head(headers: &str) -> Result<Head, MultipartError> {
    let mut disposition = None;
    let mut content_type = None;
    for line in headers.split("\r\n").filter(|l| !l.is_empty()) {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| malformed(format!("a part header has no colon: `{line}`")))?;
        let value = value.trim();
        if name.trim().eq_ignore_ascii_case("content-disposition") {
            disposition = Some(value);
        } else if name.trim().eq_ignore_ascii_case("content-type") {
            content_type = Some(value.to_owned());
        }
    }
    let disposition =
        disposition.ok_or_else(|| malformed("a part has no Content-Disposition header"))?;
    if !media_type(disposition).eq_ignore_ascii_case("form-data") {
        return Err(malformed("a part is not form-data"));
    }
    let name = parameter(disposition, "name").ok_or_else(|| malformed("a part has no name"))?;
    let file_name = parameter(disposition, "filename*")
        .and_then(|v| ext_value(&v))
        .or_else(|| parameter(disposition, "filename"));
    Ok(Head {
        name,
        file_name,
        content_type,
    })
}

/// The value of parameter `name` in a header value such as `form-data; name="a"; filename=b`:
/// a token, or a quoted string with `\` escapes.
fn parameter(header: &str, name: &str) -> Option<String> {
    let mut rest = header.split_once(';')?.1;
    loop {
        rest = rest.trim_start_matches([' ', '\t', ';']);
        if rest.is_empty() {
            return None;
        }
        let eq = rest.find('=')?;
        let key = rest[..eq].trim();
        let after = rest[eq + 1..].trim_start();
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next().map(|(_, c)| c)),
                    '"' => {
                        end = Some(i + 1);
                        break;
                    }
                    c => value.push(c),
                }
            }
            (value, &quoted[end?..])
        } else {
            let end = after.find(';').unwrap_or(after.len());
            (after[..end].trim().to_owned(), &after[end..])
        };
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
        rest = next;
    }
}

/// An RFC 5987 extended value, `UTF-8''na%C3%AFve.txt`.
fn ext_value(value: &str) -> Option<String> {
    let (charset, rest) = value.split_once('\'')?;
    let (_language, encoded) = rest.split_once('\'')?;
    if !charset.eq_ignore_ascii_case("utf-8") {
        return None;
    }
    Some(crate::query::decode_component(encoded))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const CT: &str = "multipart/form-data; boundary=XyZ";

    /// One part as parsed: its headers and its whole content.
    #[derive(Debug, PartialEq, Eq)]
    struct Part {
        name: String,
        file_name: Option<String>,
        content_type: Option<String>,
        data: Vec<u8>,
    }

    fn body(text: &str) -> Vec<u8> {
        text.replace('\n', "\r\n").into_bytes()
    }

    /// Feeds `body` to a parser `chunk` bytes at a time and collects the parts.
    fn parse_in(
        content_type: &str,
        body: &[u8],
        chunk: usize,
    ) -> Result<Vec<Part>, MultipartError> {
        let mut parser = Parser::new(content_type)?;
        let mut chunks = body.chunks(chunk.max(1));
        let mut parts: Vec<Part> = Vec::new();
        loop {
            match parser.next()? {
                Some(Event::Part(head)) => parts.push(Part {
                    name: head.name,
                    file_name: head.file_name,
                    content_type: head.content_type,
                    data: Vec::new(),
                }),
                Some(Event::Data(data)) => {
                    assert!(!data.is_empty(), "empty data events are never sent");
                    parts
                        .last_mut()
                        .expect("data inside a part")
                        .data
                        .extend_from_slice(data)
                }
                Some(Event::PartEnd) => {}
                Some(Event::End) => return Ok(parts),
                None => match chunks.next() {
                    Some(chunk) => parser.feed(chunk),
                    None => parser.finish(),
                },
            }
        }
    }

    fn parse(content_type: &str, body: &[u8]) -> Result<Vec<Part>, MultipartError> {
        parse_in(content_type, body, usize::MAX)
    }

    #[test]
    fn fields_and_files_as_python_requests_sends_them() {
        let b = body(
            "--XyZ\nContent-Disposition: form-data; name=\"name\"\n\nreport\n\
             --XyZ\nContent-Disposition: form-data; name=\"upload\"; filename=\"a \\\"b\\\".txt\"\n\
             Content-Type: text/plain\n\nline1\nline2\n--XyZ--\n",
        );
        let parts = parse(CT, &b).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "name");
        assert_eq!(parts[0].file_name, None);
        assert_eq!(parts[0].data, b"report");
        assert_eq!(parts[1].name, "upload");
        assert_eq!(parts[1].file_name.as_deref(), Some("a \"b\".txt"));
        assert_eq!(parts[1].content_type.as_deref(), Some("text/plain"));
        assert_eq!(parts[1].data, b"line1\r\nline2");
    }

    #[test]
    fn quoted_boundary_preamble_padding_empty_parts_and_binary_content() {
        let mut raw = b"preamble\r\n--a b \t\r\nContent-Disposition: form-data; name=f; filename*=UTF-8''na%C3%AFve.bin\r\n\r\n".to_vec();
        raw.extend_from_slice(&[0, 255, 13, 10, 45, 45]);
        raw.extend_from_slice(
            b"\r\n--a b\r\nContent-Disposition: form-data; name=\"e\"\r\n\r\n\r\n--a b--",
        );
        let parts = parse("multipart/form-data; charset=x; boundary=\"a b\"", &raw).unwrap();
        assert_eq!(parts[0].file_name.as_deref(), Some("naïve.bin"));
        assert_eq!(parts[0].data, [0, 255, 13, 10, 45, 45]);
        assert_eq!(parts[1].name, "e");
        assert!(parts[1].data.is_empty());
    }

    #[test]
    fn malformed_bodies_are_errors_not_panics() {
        let cases: [(&str, &str); 9] = [
            ("multipart/form-data", "--XyZ--"),
            (CT, ""),
            (CT, "junk--XyZ\n"),
            (
                CT,
                "--XyZ\nContent-Disposition: form-data; name=\"a\"\n\nno end",
            ),
            (CT, "--XyZ\nContent-Disposition: form-data\n\nx\n--XyZ--"),
            (CT, "--XyZ\nContent-Type: text/plain\n\nx\n--XyZ--"),
            (CT, "--XyZ\nno colon\n\nx\n--XyZ--"),
            (
                CT,
                "--XyZ\nContent-Disposition: attachment; name=a\n\nx\n--XyZ--",
            ),
            (CT, "--XyZxx"),
        ];
        for (ct, text) in cases {
            for chunk in [1, 2, 7, usize::MAX] {
                assert!(
                    parse_in(ct, &body(text), chunk).is_err(),
                    "{ct} {text:?} by {chunk}"
                );
            }
        }
        let endless_headers = format!("--XyZ\n{}", "x".repeat(MAX_PART_HEADERS + 10));
        let err = parse_in(CT, &body(&endless_headers), 100).unwrap_err();
        assert!(err.to_string().contains("headers do not end"), "{err}");
    }

    #[test]
    fn every_prefix_of_a_valid_body_is_handled() {
        let b = body(
            "--XyZ\nContent-Disposition: form-data; name=\"a\"; filename=\"f\"\n\nabc\n--XyZ--\n",
        );
        for end in 0..b.len() {
            let _ = parse(CT, &b[..end]);
        }
        assert!(parse(CT, &b).is_ok());
    }

    #[test]
    fn every_split_reads_like_the_whole_body() {
        let b = body(
            "pre\n--XyZ\nContent-Disposition: form-data; name=\"t\"\n\na-\n--Xy\n-\n\
             --XyZ  \nContent-Disposition: form-data; name=\"f\"; filename=\"f.bin\"\n\
             Content-Type: application/octet-stream\n\n\n\n-\n--Xy\n--XyZ--\nepilogue",
        );
        let whole = parse(CT, &b).unwrap();
        assert_eq!(whole[0].data, b"a-\r\n--Xy\r\n-");
        assert_eq!(whole[1].data, b"\r\n\r\n-\r\n--Xy");
        for chunk in 1..b.len() {
            assert_eq!(parse_in(CT, &b, chunk).unwrap(), whole, "by {chunk}");
        }
        for split in 0..b.len() {
            let mut parser = Parser::new(CT).unwrap();
            let mut count = 0;
            for piece in [&b[..split], &b[split..]] {
                parser.feed(piece);
                while let Some(event) = parser.next().unwrap() {
                    match event {
                        Event::Part(_) => count += 1,
                        Event::End => break,
                        _ => {}
                    }
                }
            }
            assert_eq!(count, 2, "split at {split}");
        }
    }

    #[test]
    fn content_is_given_back_as_it_arrives() {
        // The parser holds back at most a delimiter's length of content.
        let mut parser = Parser::new(CT).unwrap();
        parser.feed(&body(
            "--XyZ\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"\n\n",
        ));
        assert!(matches!(parser.next().unwrap(), Some(Event::Part(_))));
        assert_eq!(parser.next().unwrap(), None);
        let mut given = 0;
        for _ in 0..100 {
            parser.feed(&[7; 1000]);
            while let Some(event) = parser.next().unwrap() {
                match event {
                    Event::Data(data) => given += data.len(),
                    other => panic!("{other:?}"),
                }
            }
            assert!(parser.buf.len() - parser.at < "\r\n--XyZ".len());
        }
        assert_eq!(given, 100 * 1000 - ("\r\n--XyZ".len() - 1));
    }

    #[test]
    fn too_many_parts() {
        let one = "--XyZ\nContent-Disposition: form-data; name=\"a\"\n\n\n";
        let text = format!("{}--XyZ--", one.repeat(MAX_PARTS + 1));
        let err = parse(CT, &body(&text)).unwrap_err();
        assert!(err.to_string().contains("parts"), "{err}");
    }

    proptest! {
        /// Any bytes, cut anywhere: an error or parts, never a panic, and the same either way.
        #[test]
        fn any_body_in_any_chunks(
            raw in proptest::collection::vec(prop_oneof![
                Just(b"\r\n--XyZ".to_vec()),
                Just(b"--".to_vec()),
                Just(b"\r\n".to_vec()),
                Just(b"Content-Disposition: form-data; name=a; filename=b".to_vec()),
                proptest::collection::vec(any::<u8>(), 0..8),
            ], 0..12),
            chunk in 1usize..16,
        ) {
            let raw = raw.concat();
            let whole = parse(CT, &raw);
            let chunked = parse_in(CT, &raw, chunk);
            prop_assert_eq!(whole.is_ok(), chunked.is_ok());
            if let (Ok(a), Ok(b)) = (whole, chunked) {
                prop_assert_eq!(a, b);
            }
        }
    }
}
