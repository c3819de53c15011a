//! `multipart/form-data` bodies (RFC 7578), as the official clients send uploads: text fields
//! and files, each a part with a `Content-Disposition: form-data; name=".."` header.
//!
//! The body has already been read within the router's upload limit; parts are slices of it,
//! so files are not copied.

use axum::body::Bytes;

/// The most parts one body may have; a body of empty parts is cheap to send and costly to hold.
const MAX_PARTS: usize = 1000;
/// The most bytes of headers one part may have.
const MAX_PART_HEADERS: usize = 16 * 1024;

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    /// The form field name.
    pub name: String,
    /// The file name, for a file part.
    pub file_name: Option<String>,
    /// The part's `Content-Type`.
    pub content_type: Option<String>,
    /// The part's content.
    pub data: Bytes,
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

/// The parts of `body`, sent with `content_type` (which names the boundary).
pub(crate) fn parse(content_type: &str, body: &Bytes) -> Result<Vec<Part>, MultipartError> {
    let boundary = parameter(content_type, "boundary")
        .filter(|b| !b.is_empty() && b.len() <= 200)
        .ok_or_else(|| malformed("the Content-Type names no boundary"))?;
    let delimiter = format!("--{boundary}");
    let finder = memchr::memmem::Finder::new(delimiter.as_bytes());
    let mut parts = Vec::new();
    // The first delimiter may follow a preamble; later ones follow a CRLF.
    let mut at = match finder.find(body) {
        Some(i) if i == 0 || body[..i].ends_with(b"\r\n") => i + delimiter.len(),
        _ => return Err(malformed("no part starts with the boundary")),
    };
    loop {
        let rest = &body[at..];
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        // Transport padding (spaces, tabs) may follow a delimiter before its CRLF.
        let padding = rest
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        if !rest[padding..].starts_with(b"\r\n") {
            return Err(malformed("a boundary is not followed by a line break"));
        }
        let start = at + padding + 2;
        let headers_end = memchr::memmem::find(&body[start..], b"\r\n\r\n")
            .map(|i| start + i)
            .filter(|end| end - start <= MAX_PART_HEADERS)
            .ok_or_else(|| malformed("a part's headers do not end"))?;
        let headers = std::str::from_utf8(&body[start..headers_end])
            .map_err(|_| malformed("a part's headers are not UTF-8"))?;
        let content_start = headers_end + 4;
        let close = format!("\r\n{delimiter}");
        let content_end = memchr::memmem::find(&body[content_start..], close.as_bytes())
            .map(|i| content_start + i)
            .ok_or_else(|| malformed("a part does not end with the boundary"))?;
        if parts.len() == MAX_PARTS {
            return Err(malformed(format!("more than {MAX_PARTS} parts")));
        }
        parts.push(part(headers, body.slice(content_start..content_end))?);
        at = content_end + close.len();
    }
}

fn part(headers: &str, data: Bytes) -> Result<Part, MultipartError> {
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
    Ok(Part {
        name,
        file_name,
        content_type,
        data,
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
    use super::*;

    const CT: &str = "multipart/form-data; boundary=XyZ";

    fn body(text: &str) -> Bytes {
        Bytes::from(text.replace('\n', "\r\n"))
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
        assert_eq!(&parts[0].data[..], b"report");
        assert_eq!(parts[1].name, "upload");
        assert_eq!(parts[1].file_name.as_deref(), Some("a \"b\".txt"));
        assert_eq!(parts[1].content_type.as_deref(), Some("text/plain"));
        assert_eq!(&parts[1].data[..], b"line1\r\nline2");
    }

    #[test]
    fn quoted_boundary_preamble_empty_parts_and_binary_content() {
        let mut raw = b"preamble\r\n--a b\r\nContent-Disposition: form-data; name=f; filename*=UTF-8''na%C3%AFve.bin\r\n\r\n".to_vec();
        raw.extend_from_slice(&[0, 255, 13, 10, 45, 45]);
        raw.extend_from_slice(
            b"\r\n--a b\r\nContent-Disposition: form-data; name=\"e\"\r\n\r\n\r\n--a b--",
        );
        let parts = parse(
            "multipart/form-data; charset=x; boundary=\"a b\"",
            &Bytes::from(raw),
        )
        .unwrap();
        assert_eq!(parts[0].file_name.as_deref(), Some("naïve.bin"));
        assert_eq!(&parts[0].data[..], &[0, 255, 13, 10, 45, 45]);
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
            assert!(parse(ct, &body(text)).is_err(), "{ct} {text:?}");
        }
    }

    #[test]
    fn every_prefix_of_a_valid_body_is_handled() {
        let b = body(
            "--XyZ\nContent-Disposition: form-data; name=\"a\"; filename=\"f\"\n\nabc\n--XyZ--\n",
        );
        for end in 0..b.len() {
            let _ = parse(CT, &b.slice(..end));
        }
        assert!(parse(CT, &b).is_ok());
    }

    #[test]
    fn too_many_parts() {
        let one = "--XyZ\nContent-Disposition: form-data; name=\"a\"\n\n\n";
        let text = format!("{}--XyZ--", one.repeat(MAX_PARTS + 1));
        let err = parse(CT, &body(&text)).unwrap_err();
        assert!(err.to_string().contains("parts"), "{err}");
    }
}
