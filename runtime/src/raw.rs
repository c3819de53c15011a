//! Raw response bodies: the text of a `string` result and the bytes of a `byte[]`, `Stream` or
//! `HttpWebResponse` result, which ServiceStack writes as they are rather than serialized (see
//! [`ResponseFormat`](crate::ResponseFormat)).
//!
//! A client and a server handle every request type alike, through its `Response` type's serde
//! impls: these functions move a value between that type and the raw body. A text response
//! type reads from and writes to a string (`String`); a bytes response type from and to bytes
//! ([`Bytes`](crate::Bytes), whose serde impls use raw bytes here and base64 in JSON).
//!
//! ```
//! use ssdto::{raw, Bytes};
//!
//! assert_eq!(raw::to_text(&"hello".to_owned()).unwrap(), "hello");
//! let text: String = raw::from_text("hello".into()).unwrap();
//! assert_eq!(text, "hello");
//!
//! let bytes = Bytes(vec![0, 255]);
//! assert_eq!(raw::to_bytes(&bytes).unwrap(), [0, 255]);
//! assert_eq!(raw::from_bytes::<Bytes>(vec![0, 255]).unwrap(), bytes);
//! ```

use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::ser::{self, Impossible, Serialize, Serializer};

/// Why a value could not be moved to or from a raw body: its type is not text (or bytes).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RawError(String);

impl ser::Error for RawError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        RawError(msg.to_string())
    }
}

impl de::Error for RawError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        RawError(msg.to_string())
    }
}

/// The text of a text response value.
pub fn to_text<T: Serialize + ?Sized>(value: &T) -> Result<String, RawError> {
    match value.serialize(Extract(Want::Text))? {
        Extracted::Text(text) => Ok(text),
        Extracted::Bytes(_) => Err(RawError("expected text, found bytes".into())),
    }
}

/// The bytes of a bytes response value. Text is accepted too, as its UTF-8 bytes.
pub fn to_bytes<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, RawError> {
    match value.serialize(Extract(Want::Bytes))? {
        Extracted::Text(text) => Ok(text.into_bytes()),
        Extracted::Bytes(bytes) => Ok(bytes),
    }
}

/// A text response value from the body's text.
pub fn from_text<T: DeserializeOwned>(text: String) -> Result<T, RawError> {
    T::deserialize(Body::Text(text))
}

/// A bytes response value from the body's bytes.
pub fn from_bytes<T: DeserializeOwned>(bytes: Vec<u8>) -> Result<T, RawError> {
    T::deserialize(Body::Bytes(bytes))
}

#[derive(Clone, Copy)]
enum Want {
    Text,
    Bytes,
}

enum Extracted {
    Text(String),
    Bytes(Vec<u8>),
}

/// A serializer that accepts exactly one string or byte string. Not human-readable, so types
/// such as [`Bytes`](crate::Bytes) hand over their bytes rather than base64 text.
struct Extract(Want);

impl Extract {
    fn refuse(self, found: &str) -> RawError {
        let wanted = match self.0 {
            Want::Text => "text",
            Want::Bytes => "bytes",
        };
        RawError(format!(
            "a raw {wanted} response must be {wanted}, not {found}"
        ))
    }
}

macro_rules! refuse_scalars {
    ($($method:ident($ty:ty) => $what:literal),* $(,)?) => {
        $(fn $method(self, _: $ty) -> Result<Extracted, RawError> {
            Err(self.refuse($what))
        })*
    };
}

impl Serializer for Extract {
    type Ok = Extracted;
    type Error = RawError;
    type SerializeSeq = Impossible<Extracted, RawError>;
    type SerializeTuple = Impossible<Extracted, RawError>;
    type SerializeTupleStruct = Impossible<Extracted, RawError>;
    type SerializeTupleVariant = Impossible<Extracted, RawError>;
    type SerializeMap = Impossible<Extracted, RawError>;
    type SerializeStruct = Impossible<Extracted, RawError>;
    type SerializeStructVariant = Impossible<Extracted, RawError>;

    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_str(self, v: &str) -> Result<Extracted, RawError> {
        Ok(Extracted::Text(v.to_owned()))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<Extracted, RawError> {
        match self.0 {
            Want::Bytes => Ok(Extracted::Bytes(v.to_vec())),
            Want::Text => Err(self.refuse("bytes")),
        }
    }

    fn serialize_char(self, v: char) -> Result<Extracted, RawError> {
        Ok(Extracted::Text(v.to_string()))
    }

    refuse_scalars! {
        serialize_bool(bool) => "a boolean",
        serialize_i8(i8) => "a number",
        serialize_i16(i16) => "a number",
        serialize_i32(i32) => "a number",
        serialize_i64(i64) => "a number",
        serialize_u8(u8) => "a number",
        serialize_u16(u16) => "a number",
        serialize_u32(u32) => "a number",
        serialize_u64(u64) => "a number",
        serialize_f32(f32) => "a number",
        serialize_f64(f64) => "a number",
    }

    fn serialize_none(self) -> Result<Extracted, RawError> {
        // A null string result: ServiceStack writes an empty body.
        Ok(match self.0 {
            Want::Text => Extracted::Text(String::new()),
            Want::Bytes => Extracted::Bytes(Vec::new()),
        })
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Extracted, RawError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Extracted, RawError> {
        Err(self.refuse("a unit"))
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<Extracted, RawError> {
        Err(self.refuse("a unit struct"))
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Extracted, RawError> {
        Ok(Extracted::Text(variant.to_owned()))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Extracted, RawError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Extracted, RawError> {
        Err(self.refuse("an enum variant with data"))
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, RawError> {
        Err(self.refuse("a sequence"))
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, RawError> {
        Err(self.refuse("a tuple"))
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, RawError> {
        Err(self.refuse("a tuple struct"))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, RawError> {
        Err(self.refuse("an enum variant with data"))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, RawError> {
        Err(self.refuse("a map"))
    }

    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, RawError> {
        Err(self.refuse("a struct"))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, RawError> {
        Err(self.refuse("an enum variant with data"))
    }
}

/// A raw body as a deserializer: it offers its text or bytes to whatever the type asks for.
/// Not human-readable, so [`Bytes`](crate::Bytes) takes bytes as they are.
enum Body {
    Text(String),
    Bytes(Vec<u8>),
}

impl<'de> Deserializer<'de> for Body {
    type Error = RawError;

    fn is_human_readable(&self) -> bool {
        false
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RawError> {
        match self {
            Body::Text(text) => visitor.visit_string(text),
            Body::Bytes(bytes) => visitor.visit_byte_buf(bytes),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RawError> {
        match self {
            Body::Text(text) => visitor.visit_string(text),
            Body::Bytes(bytes) => match String::from_utf8(bytes) {
                Ok(text) => visitor.visit_string(text),
                Err(e) => Err(RawError(format!("the response is not UTF-8 text: {e}"))),
            },
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RawError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RawError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, RawError> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Bytes;

    #[test]
    fn text_round_trips_and_other_shapes_are_refused() {
        assert_eq!(to_text("a\"b\n").unwrap(), "a\"b\n");
        assert_eq!(from_text::<String>("a\"b\n".into()).unwrap(), "a\"b\n");
        assert_eq!(to_text(&None::<String>).unwrap(), "");
        assert_eq!(
            from_text::<Option<String>>("x".into()).unwrap(),
            Some("x".into())
        );
        let err = to_text(&5).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a raw text response must be text, not a number"
        );
        assert!(to_text(&Bytes(vec![1])).is_err());
        assert!(from_text::<i32>("5".into()).is_err());
    }

    #[test]
    fn bytes_are_raw_not_base64() {
        let bytes = Bytes(vec![0, 159, 146, 150]);
        assert_eq!(to_bytes(&bytes).unwrap(), [0, 159, 146, 150]);
        assert_eq!(from_bytes::<Bytes>(vec![0, 159, 146, 150]).unwrap(), bytes);
        // Text is its UTF-8 bytes; bytes read as text must be UTF-8.
        assert_eq!(to_bytes("hé").unwrap(), "hé".as_bytes());
        assert_eq!(from_bytes::<String>(b"ok".to_vec()).unwrap(), "ok");
        assert!(from_bytes::<String>(vec![0xff]).is_err());
        // JSON still carries Bytes as base64.
        assert_eq!(serde_json::to_string(&bytes).unwrap(), r#""AJ+Slg==""#);
    }
}
