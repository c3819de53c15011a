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

/// Why a JSV list could not be split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ListError {
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
pub fn split_list(value: &str) -> Result<Vec<String>, ListError> {
    let (body, base) = match value
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
    {
        Some(inner) => (inner, 1),
        None => (value, 0),
    };
    let bytes = body.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let (element, end) = match bytes[i] {
            b'"' => {
                let end =
                    quoted_end(bytes, i).ok_or(ListError::UnterminatedQuote { at: base + i })?;
                (unescape(&body[i..end]).into_owned(), end)
            }
            b'[' | b'{' => {
                let end =
                    bracketed_end(bytes, i).ok_or(ListError::UnbalancedBracket { at: base + i })?;
                (body[i..end].to_owned(), end)
            }
            _ => {
                let end = body[i..].find(',').map_or(bytes.len(), |n| i + n);
                (body[i..end].to_owned(), end)
            }
        };
        out.push(element);
        match bytes.get(end) {
            None => return Ok(out),
            Some(b',') => {
                i = end + 1;
                // `a,` ends in an empty element, as ServiceStack adds a default one.
                if i == bytes.len() {
                    out.push(String::new());
                }
            }
            Some(_) => return Err(ListError::ExpectedSeparator { at: base + end }),
        }
    }
    Ok(out)
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
    fn split_reports_malformed_lists() {
        assert_eq!(
            split_list(r#"a,"open"#),
            Err(ListError::UnterminatedQuote { at: 2 })
        );
        assert_eq!(
            split_list("[x,[y]"),
            Err(ListError::UnbalancedBracket { at: 3 })
        );
        assert_eq!(
            split_list(r#""a"b"#),
            Err(ListError::ExpectedSeparator { at: 3 })
        );
        assert_eq!(
            split_list("{a}b"),
            Err(ListError::ExpectedSeparator { at: 3 })
        );
    }
}
