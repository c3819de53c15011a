//! Percent-encoding (RFC 3986) for the parts of a URL that ssdto writes: path segments and
//! query names and values.

use std::fmt::Write as _;

/// The characters RFC 3986 calls unreserved, besides ASCII letters and digits; a path segment
/// escapes everything else.
pub const UNRESERVED: &[u8] = b"-._~";

/// Appends `text` to `out` with every byte escaped as `%XX` except ASCII letters, digits and
/// the bytes in `keep`.
pub fn encode_into(out: &mut String, text: &str, keep: &[u8]) {
    let mut rest = text;
    while !rest.is_empty() {
        // Copy the longest run that needs no escaping in one go.
        let run = rest
            .bytes()
            .position(|b| !kept(b, keep))
            .unwrap_or(rest.len());
        out.push_str(&rest[..run]);
        let Some(&byte) = rest.as_bytes().get(run) else {
            break;
        };
        let _ = write!(out, "%{byte:02X}");
        // `byte` is not ASCII-kept, so `run + 1` may fall inside a multi-byte character; the
        // remaining bytes of that character are escaped one by one by the loop below.
        let mut next = run + 1;
        while !rest.is_char_boundary(next) {
            let _ = write!(out, "%{:02X}", rest.as_bytes()[next]);
            next += 1;
        }
        rest = &rest[next..];
    }
}

/// `text` percent-encoded, keeping ASCII letters, digits and the bytes in `keep`.
///
/// ```
/// use ssdto_protocol::percent::{encode, UNRESERVED};
///
/// assert_eq!(encode("a b/é~", UNRESERVED), "a%20b%2F%C3%A9~");
/// ```
pub fn encode(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    encode_into(&mut out, text, keep);
    out
}

fn kept(byte: u8, keep: &[u8]) -> bool {
    byte.is_ascii_alphanumeric() || keep.contains(&byte)
}

/// The bytes `text` stands for: every `%XX` with two hex digits decoded, anything else (a
/// stray `%` included) kept as it is, as URL parsers do.
pub fn decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3);
            if let Some([hi, lo]) = hex {
                if let (Some(hi), Some(lo)) = (hex_value(*hi), hex_value(*lo)) {
                    out.push(hi << 4 | lo);
                    i += 3;
                    continue;
                }
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// [`decode`] as UTF-8 text, or `None` where the decoded bytes are not UTF-8.
pub fn decode_utf8(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_owned());
    }
    String::from_utf8(decode(text)).ok()
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn escapes_all_but_the_kept_set() {
        assert_eq!(encode("abcXYZ019-._~", UNRESERVED), "abcXYZ019-._~");
        assert_eq!(encode("a,b c", UNRESERVED), "a%2Cb%20c");
        assert_eq!(encode("a,b c", b","), "a,b%20c");
        assert_eq!(encode("100%", UNRESERVED), "100%25");
        assert_eq!(encode("\0?#/", UNRESERVED), "%00%3F%23%2F");
        assert_eq!(encode("größe", UNRESERVED), "gr%C3%B6%C3%9Fe");
        assert_eq!(encode("日", UNRESERVED), "%E6%97%A5");
        assert_eq!(encode("", UNRESERVED), "");
    }

    #[test]
    fn decodes_escapes_and_keeps_stray_percent_signs() {
        assert_eq!(decode("a%20b%2f%C3%A9"), "a b/é".as_bytes());
        assert_eq!(decode("100%"), b"100%");
        assert_eq!(decode("%zz%2"), b"%zz%2");
        assert_eq!(decode_utf8("%FF"), None);
        assert_eq!(decode_utf8("plain").as_deref(), Some("plain"));
    }

    proptest! {
        #[test]
        fn decode_undoes_encode(text in "\\PC*") {
            let encoded = encode(&text, UNRESERVED);
            prop_assert!(encoded.bytes().all(|b| kept(b, UNRESERVED) || b == b'%'));
            prop_assert_eq!(decode_utf8(&encoded), Some(text));
        }
    }
}
