//! `Byte[]` fields, which ServiceStack writes as base64 strings in JSON, and raw byte bodies.

use std::fmt;
use std::ops::{Deref, DerefMut};

use base64::Engine as _;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Bytes that travel as a base64 string in JSON, as .NET `byte[]` does, and as themselves in
/// formats that are not human-readable (such as a raw response body, see [`crate::raw`]).
///
/// ```
/// let b: ssdto::Bytes = serde_json::from_str(r#""aGk=""#).unwrap();
/// assert_eq!(&*b, b"hi");
/// assert_eq!(serde_json::to_string(&b).unwrap(), r#""aGk=""#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Bytes(pub Vec<u8>);

impl Deref for Bytes {
    type Target = Vec<u8>;

    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl DerefMut for Bytes {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(v: Vec<u8>) -> Self {
        Bytes(v)
    }
}

impl From<Bytes> for Vec<u8> {
    fn from(b: Bytes) -> Self {
        b.0
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize(&self.0, serializer)
    }
}

/// Writes `bytes` as [`Bytes`] does: base64 in human-readable formats, bytes otherwise.
pub(crate) fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
    if !serializer.is_human_readable() {
        return serializer.serialize_bytes(bytes);
    }
    serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(bytes))
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BytesVisitor;

        impl<'de> Visitor<'de> for BytesVisitor {
            type Value = Bytes;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string, bytes or an array of bytes")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Bytes, E> {
                base64::engine::general_purpose::STANDARD
                    .decode(v.trim())
                    .map(Bytes)
                    .map_err(|e| E::custom(format_args!("invalid base64: {e}")))
            }

            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Bytes, E> {
                Ok(Bytes(v.to_vec()))
            }

            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Bytes, E> {
                Ok(Bytes(v))
            }

            // Some serializers write byte arrays as JSON arrays of numbers.
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Bytes, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(b) = seq.next_element::<u8>()? {
                    out.push(b);
                }
                Ok(Bytes(out))
            }
        }

        deserializer.deserialize_any(BytesVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip_and_array_form() {
        let b = Bytes(vec![0, 255, 7]);
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(json, r#""AP8H""#);
        assert_eq!(serde_json::from_str::<Bytes>(&json).unwrap(), b);
        assert_eq!(serde_json::from_str::<Bytes>("[0,255,7]").unwrap(), b);
        assert!(serde_json::from_str::<Bytes>(r#""not base64!""#).is_err());
        assert!(serde_json::from_str::<Bytes>("[256]").is_err());
    }
}
