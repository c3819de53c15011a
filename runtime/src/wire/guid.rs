//! .NET `Guid` on the wire: 32 hex digits, with or without dashes or braces.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::scan::Scanner;
use super::WireError;

const WHAT: &str = "Guid";

/// A .NET `Guid`, its 16 bytes in the order its text shows them (the order `uuid::Uuid`
/// uses, not the mixed-endian order of .NET's `Guid.ToByteArray`).
///
/// Reads `0f8fad5b-d9cb-469f-a165-70867728950e`, `0F8FAD5BD9CB469FA16570867728950E` (as
/// ServiceStack's own serializer writes it) and either in braces, in any case; writes the
/// dashed lower-case form that every ServiceStack server reads.
///
/// ```
/// use ssdto::wire::Guid;
///
/// let a: Guid = "0F8FAD5BD9CB469FA16570867728950E".parse().unwrap();
/// let b: Guid = "{0f8fad5b-d9cb-469f-a165-70867728950e}".parse().unwrap();
/// assert_eq!(a, b);
/// assert_eq!(a.to_string(), "0f8fad5b-d9cb-469f-a165-70867728950e");
/// assert_eq!(a.as_bytes()[0], 0x0f);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Guid([u8; 16]);

impl Guid {
    /// The all-zero Guid, .NET's `Guid.Empty`.
    pub const NIL: Guid = Guid([0; 16]);

    /// A Guid from its bytes in text order.
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }

    /// The bytes in text order.
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Whether this is the all-zero Guid.
    pub fn is_nil(&self) -> bool {
        self.0 == [0; 16]
    }

    /// Reads a Guid; surrounding whitespace is ignored.
    pub fn parse(text: &str) -> Result<Self, WireError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(WireError::Empty { what: WHAT });
        }
        let inner = match text.strip_prefix('{') {
            Some(rest) => rest.strip_suffix('}').ok_or(WireError::Syntax {
                what: WHAT,
                expected: "`}` to close `{`",
                position: text.len(),
            })?,
            None => text,
        };
        // Where `inner` starts in `text`, for error positions.
        let offset = usize::from(text.starts_with('{'));
        let dashed = match inner.len() {
            36 => true,
            32 => false,
            length => return Err(WireError::GuidLength { length }),
        };
        let mut s = Scanner::new(inner, WHAT);
        let mut bytes = [0u8; 16];
        for (i, byte) in bytes.iter_mut().enumerate() {
            if dashed && matches!(i, 4 | 6 | 8 | 10) {
                s.expect(b'-', "`-` in 8-4-4-4-12 grouping")
                    .map_err(|e| shift(e, offset))?;
            }
            let hi = hex(&mut s).map_err(|e| shift(e, offset))?;
            let lo = hex(&mut s).map_err(|e| shift(e, offset))?;
            *byte = hi << 4 | lo;
        }
        s.finish().map_err(|e| shift(e, offset))?;
        Ok(Self(bytes))
    }
}

/// Reports positions relative to the whole input rather than the part inside braces.
fn shift(error: WireError, by: usize) -> WireError {
    match error {
        WireError::Syntax {
            what,
            expected,
            position,
        } => WireError::Syntax {
            what,
            expected,
            position: position + by,
        },
        WireError::Trailing { what, position } => WireError::Trailing {
            what,
            position: position + by,
        },
        other => other,
    }
}

fn hex(s: &mut Scanner<'_>) -> Result<u8, WireError> {
    let value = match s.peek() {
        Some(b @ b'0'..=b'9') => b - b'0',
        Some(b @ b'a'..=b'f') => b - b'a' + 10,
        Some(b @ b'A'..=b'F') => b - b'A' + 10,
        _ => return Err(s.syntax("a hex digit")),
    };
    s.eat_any(b"0123456789abcdefABCDEF");
    Ok(value)
}

impl fmt::Display for Guid {
    /// The dashed lower-case form, `0f8fad5b-d9cb-469f-a165-70867728950e`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, byte) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl FromStr for Guid {
    type Err = WireError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl From<[u8; 16]> for Guid {
    fn from(bytes: [u8; 16]) -> Self {
        Self(bytes)
    }
}

impl From<Guid> for [u8; 16] {
    fn from(guid: Guid) -> Self {
        guid.0
    }
}

impl Serialize for Guid {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Guid {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(super::ParseVisitor::<Self>::new("a Guid"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    #[test]
    fn reads_every_spelling() {
        let expected = Guid::from_bytes([
            0x0f, 0x8f, 0xad, 0x5b, 0xd9, 0xcb, 0x46, 0x9f, 0xa1, 0x65, 0x70, 0x86, 0x77, 0x28,
            0x95, 0x0e,
        ]);
        for text in [
            TEXT,
            "0F8FAD5B-D9CB-469F-A165-70867728950E",
            "0f8fad5bd9cb469fa16570867728950e",
            "{0f8fad5b-d9cb-469f-a165-70867728950e}",
            "{0F8FAD5BD9CB469FA16570867728950E}",
            " 0f8fad5b-d9cb-469f-a165-70867728950e\n",
        ] {
            assert_eq!(Guid::parse(text), Ok(expected), "{text}");
        }
        assert_eq!(expected.to_string(), TEXT);
        assert!(Guid::parse("00000000-0000-0000-0000-000000000000")
            .unwrap()
            .is_nil());
    }

    #[test]
    fn errors_name_the_problem() {
        let err = |s: &str| Guid::parse(s).unwrap_err().to_string();
        assert_eq!(err(""), "invalid Guid: empty");
        assert_eq!(
            err("0f8fad5b-d9cb-469f-a165-70867728950"),
            "invalid Guid: expected 32 hex digits with or without dashes, got 35 bytes"
        );
        assert_eq!(
            err("0f8fad5b-d9cb-469f-a165-70867728950g"),
            "invalid Guid: expected a hex digit at byte 35"
        );
        assert_eq!(
            err("{0f8fad5b-d9cb-469f-a165-70867728950g}"),
            "invalid Guid: expected a hex digit at byte 36"
        );
        assert_eq!(
            err("0f8fad5bd-9cb-469f-a165-70867728950e"),
            "invalid Guid: expected `-` in 8-4-4-4-12 grouping at byte 8"
        );
        assert_eq!(
            err("{0f8fad5b-d9cb-469f-a165-70867728950e"),
            "invalid Guid: expected `}` to close `{` at byte 37"
        );
        // 36 bytes of which some are multi-byte characters.
        assert!(Guid::parse("0f8fad5b-d9cb-469f-a165-7086772895é").is_err());
        assert!(Guid::parse("0f8fad5b+d9cb+469f+a165+70867728950e").is_err());
        // A closing brace without an opening one is just a bad character.
        assert!(Guid::parse("0f8fad5bd9cb469fa16570867728950}").is_err());
        assert!(Guid::parse("}").is_err());
        assert!(Guid::parse("{}").is_err());
    }

    #[test]
    fn serde_round_trip() {
        let g: Guid = serde_json::from_str(r#""0F8FAD5BD9CB469FA16570867728950E""#).unwrap();
        assert_eq!(serde_json::to_string(&g).unwrap(), format!("\"{TEXT}\""));
        assert!(serde_json::from_str::<Guid>(r#""nope""#).is_err());
    }
}
