//! The parts of ServiceStack's JSV text format that query strings and route values need.
//!
//! ServiceStack parses every non-string query value as JSV: a list is `a,b` or `[a,b]`, a map
//! is `{key:value}`, and an element holding one of JSV's delimiters travels in double quotes
//! with inner quotes doubled (`"a,b"`, `"say ""hi"""`), as CSV does.

use std::borrow::Cow;

/// Characters that end an unquoted JSV value or open a nested one, so a string holding any of
/// them must be quoted (ServiceStack's `JsWriter.EscapeChars`).
const DELIMITERS: [char; 9] = ['"', ':', ',', '{', '}', '[', ']', '\r', '\n'];

/// Whether `s` must be quoted to stay one JSV value.
///
/// Besides JSV's delimiters, surrounding whitespace counts: ServiceStack's list parser skips
/// whitespace before the first element, and the empty string needs quotes to differ from "no
/// element" inside a list.
pub fn needs_quotes(s: &str) -> bool {
    s.is_empty()
        || s.contains(DELIMITERS)
        || s.starts_with(char::is_whitespace)
        || s.ends_with(char::is_whitespace)
}

/// Quotes `s` as one JSV value when it needs it (see [`needs_quotes`]).
///
/// ```
/// use ssdto::jsv::escape;
/// assert_eq!(escape("plain"), "plain");
/// assert_eq!(escape("a,b"), r#""a,b""#);
/// assert_eq!(escape(r#"say "hi""#), r#""say ""hi""""#);
/// assert_eq!(escape(""), r#""""#);
/// ```
pub fn escape(s: &str) -> Cow<'_, str> {
    if !needs_quotes(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    out.push('"');
    Cow::Owned(out)
}

/// Undoes [`escape`]: a value in double quotes loses them and its doubled quotes; anything else
/// is returned as it is.
pub fn unescape(s: &str) -> Cow<'_, str> {
    match s.strip_prefix('"').and_then(|rest| rest.strip_suffix('"')) {
        Some(inner) => Cow::Owned(inner.replace("\"\"", "\"")),
        None => Cow::Borrowed(s),
    }
}

/// Why a JSV list or object could not be split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JsvError {
    /// A quoted element has no closing quote.
    #[error("unterminated quoted element starting at byte {at}")]
    UnterminatedQuote {
        /// Byte offset of the opening quote.
        at: usize,
    },
    /// A nested `[..]` or `{..}` element is not closed.
    #[error("unbalanced brackets in the element starting at byte {at}")]
    UnbalancedBracket {
        /// Byte offset of the opening bracket.
        at: usize,
    },
    /// Text follows a quoted or bracketed element without a `,` between.
    #[error("expected `,` at byte {at}")]
    ExpectedSeparator {
        /// Byte offset where the separator was expected.
        at: usize,
    },
    /// An object key without a `:` after it.
    #[error("expected `:` at byte {at}")]
    ExpectedColon {
        /// Byte offset where the colon was expected.
        at: usize,
    },
    /// Text that is not a JSV object: it does not start with `{` and end with `}`.
    #[error("not an object: expected `{{...}}`")]
    NotAnObject,
}

/// Splits a JSV list into its elements, as ServiceStack's list parser does.
///
/// Accepts `a,b` and `[a,b]`; a quoted element is unquoted (`"a,b"` is one element `a,b`); a
/// nested list or map element (`[x,y]`, `{k:v}`) is kept whole, brackets included, for the
/// caller to parse as the element type needs. The empty string and `[]` are the empty list; a
/// trailing comma adds an empty element, as in ServiceStack.
///
/// ```
/// use ssdto::jsv::split_list;
/// assert_eq!(split_list("a,b").unwrap(), ["a", "b"]);
/// assert_eq!(split_list(r#"[x,"a,b",[1,2]]"#).unwrap(), ["x", "a,b", "[1,2]"]);
/// assert!(split_list("[]").unwrap().is_empty());
/// ```
pub fn split_list(value: &str) -> Result<Vec<String>, JsvError> {
    let (body, base) = match value
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
    {
        Some(inner) => (inner, 1),
        None => (value, 0),
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let (element, end) = value_at(body, i, b',', base)?;
        out.push(element);
        match body.as_bytes().get(end) {
            None => return Ok(out),
            Some(b',') => {
                i = end + 1;
                // `a,` ends in an empty element, as ServiceStack adds a default one.
                if i == body.len() {
                    out.push(String::new());
                }
            }
            Some(_) => return Err(JsvError::ExpectedSeparator { at: base + end }),
        }
    }
    Ok(out)
}

/// Splits a JSV object `{key:value,...}` into its entries, as ServiceStack reads a map or
/// struct from a query value.
///
/// Keys and values are read like list elements: quoted ones are unquoted, nested lists and
/// objects are kept whole for the caller to parse as the member type needs, and plain ones run
/// to the next delimiter (a plain value keeps inner spaces; whitespace before a key is skipped).
///
/// ```
/// use ssdto::jsv::split_object;
/// assert_eq!(
///     split_object(r#"{a:1, "b,c":[x,y]}"#).unwrap(),
///     [("a".to_owned(), "1".to_owned()), ("b,c".to_owned(), "[x,y]".to_owned())]
/// );
/// assert!(split_object("a:1").is_err());
/// ```
pub fn split_object(text: &str) -> Result<Vec<(String, String)>, JsvError> {
    let body = text
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
        .ok_or(JsvError::NotAnObject)?;
    let bytes = body.as_bytes();
    let skip_space = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        i
    };
    let mut out = Vec::new();
    let mut i = skip_space(0);
    while i < bytes.len() {
        let (key, end) = value_at(body, i, b':', 1)?;
        if bytes.get(end) != Some(&b':') {
            return Err(JsvError::ExpectedColon { at: 1 + end });
        }
        let (value, end) = value_at(body, end + 1, b',', 1)?;
        out.push((key, value));
        i = match bytes.get(end) {
            Some(b',') => skip_space(end + 1),
            _ if body[end..].trim().is_empty() => bytes.len(),
            _ => return Err(JsvError::ExpectedSeparator { at: 1 + end }),
        };
    }
    Ok(out)
}

/// Reads the one JSV value that starts at byte `at` of `text`: a quoted value (unquoted), a
/// `[..]` or `{..}` value (kept whole, brackets included), or plain text up to `stop`. Returns
/// the value and the byte offset just past it; `base` is added to offsets in errors.
fn value_at(text: &str, at: usize, stop: u8, base: usize) -> Result<(String, usize), JsvError> {
    let bytes = text.as_bytes();
    Ok(match bytes.get(at) {
        Some(b'"') => {
            let end = quoted_end(bytes, at).ok_or(JsvError::UnterminatedQuote { at: base + at })?;
            (unescape(&text[at..end]).into_owned(), end)
        }
        Some(b'[' | b'{') => {
            let end =
                bracketed_end(bytes, at).ok_or(JsvError::UnbalancedBracket { at: base + at })?;
            (text[at..end].to_owned(), end)
        }
        _ => {
            let end = bytes[at..]
                .iter()
                .position(|&b| b == stop)
                .map_or(bytes.len(), |n| at + n);
            (text[at..end].to_owned(), end)
        }
    })
}

/// The byte offset just past the quoted value opening at `start`.
fn quoted_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            if bytes.get(i + 1) == Some(&b'"') {
                i += 2;
                continue;
            }
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// The byte offset just past the `[..]` or `{..}` value opening at `start`; brackets inside
/// quoted strings do not count.
fn bracketed_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i = quoted_end(bytes, i)?;
                continue;
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_quotes_only_when_needed() {
        assert_eq!(escape("abc"), "abc");
        assert!(matches!(escape("abc"), Cow::Borrowed(_)));
        for s in [
            "a,b",
            "{x",
            "x}",
            "[",
            "]",
            "k:v",
            "line\nbreak",
            " lead",
            "trail ",
        ] {
            let e = escape(s);
            assert!(e.starts_with('"') && e.ends_with('"'), "{s:?} -> {e}");
            assert_eq!(unescape(&e), s);
        }
        assert_eq!(escape("\"q\""), "\"\"\"q\"\"\"");
        assert_eq!(unescape("\"\"\"q\"\"\""), "\"q\"");
    }

    #[test]
    fn split_accepts_bare_and_bracketed_lists() {
        assert_eq!(split_list("a,b").unwrap(), ["a", "b"]);
        assert_eq!(split_list("[a,b]").unwrap(), ["a", "b"]);
        assert_eq!(split_list("a").unwrap(), ["a"]);
        assert!(split_list("").unwrap().is_empty());
        assert!(split_list("[]").unwrap().is_empty());
        assert_eq!(split_list("a,").unwrap(), ["a", ""]);
        assert_eq!(split_list(",").unwrap(), ["", ""]);
    }

    #[test]
    fn split_honours_quotes_and_nesting() {
        assert_eq!(
            split_list(r#""a,b",c,"say ""hi""""#).unwrap(),
            ["a,b", "c", r#"say "hi""#]
        );
        assert_eq!(split_list(r#""""#).unwrap(), [""]);
        assert_eq!(
            split_list(r#"[[a,"]"],{k:"v,w"}]"#).unwrap(),
            [r#"[a,"]"]"#, r#"{k:"v,w"}"#]
        );
    }

    #[test]
    fn objects_split_into_entries() {
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        assert_eq!(split_object("{}").unwrap(), pairs(&[]));
        assert_eq!(split_object("{ }").unwrap(), pairs(&[]));
        assert_eq!(
            split_object(r#"{k:"x,""y""", ]:a\\b,"":0}"#).unwrap(),
            pairs(&[("k", r#"x,"y""#), ("]", r"a\\b"), ("", "0")])
        );
        assert_eq!(
            split_object("{a:[1,{b:2}], c:{d:e}}").unwrap(),
            pairs(&[("a", "[1,{b:2}]"), ("c", "{d:e}")])
        );
        assert_eq!(split_object("{a:x y }").unwrap(), pairs(&[("a", "x y ")]));
        assert_eq!(split_object("{a:1,}").unwrap(), pairs(&[("a", "1")]));
        assert_eq!(split_object("[a]"), Err(JsvError::NotAnObject));
        assert_eq!(split_object("{a}"), Err(JsvError::ExpectedColon { at: 2 }));
        assert_eq!(
            split_object(r#"{"a"b:1}"#),
            Err(JsvError::ExpectedColon { at: 4 })
        );
        assert_eq!(
            split_object(r#"{a:"1"x}"#),
            Err(JsvError::ExpectedSeparator { at: 6 })
        );
        assert_eq!(
            split_object(r#"{a:"1}"#),
            Err(JsvError::UnterminatedQuote { at: 3 })
        );
    }

    #[test]
    fn split_reports_malformed_lists() {
        assert_eq!(
            split_list(r#"a,"open"#),
            Err(JsvError::UnterminatedQuote { at: 2 })
        );
        assert_eq!(
            split_list("[x,[y]"),
            Err(JsvError::UnbalancedBracket { at: 3 })
        );
        assert_eq!(
            split_list(r#""a"b"#),
            Err(JsvError::ExpectedSeparator { at: 3 })
        );
        assert_eq!(
            split_list("{a}b"),
            Err(JsvError::ExpectedSeparator { at: 3 })
        );
    }
}
