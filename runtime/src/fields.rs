//! A request's top-level fields as the text ServiceStack expects in a URL.
//!
//! Both the route filler and the query string need every top-level field rendered the way
//! ServiceStack's own client renders it (`RestRoute.FormatQueryParameterValue`): a string as
//! it is, anything else as JSV with the outer list brackets dropped. Serializing straight to
//! that text, rather than through `serde_json::Value`, keeps field order and skips a tree.

use base64::Engine as _;
use serde::ser::{self, Impossible, Serialize};

use crate::jsv;
use crate::query::QueryError;

/// Renders each top-level field of `request` as `(wire name, text)`, in serialization order.
///
/// Null fields (`None`, unit) are left out. Text is not percent-encoded yet. See
/// [`crate::query`] for how each kind of value is written.
pub fn collect<T: Serialize + ?Sized>(request: &T) -> Result<Vec<(String, String)>, QueryError> {
    request.serialize(Collector)
}

/// Renders one field's value as [`collect`] does; `None` for null, which is left out.
pub fn render<V: Serialize + ?Sized>(value: &V) -> Result<Option<String>, QueryError> {
    value.serialize(Render { top: true })
}

/// The serializer for the request itself: a struct or map whose entries become fields.
struct Collector;

/// Entries collected from a top-level struct or map.
struct Entries {
    out: Vec<(String, String)>,
    key: Option<String>,
}

impl Entries {
    fn push<V: Serialize + ?Sized>(&mut self, name: String, value: &V) -> Result<(), QueryError> {
        if let Some(text) = render(value)? {
            self.out.push((name, text));
        }
        Ok(())
    }
}

fn not_a_struct<T>(found: &'static str) -> Result<T, QueryError> {
    Err(QueryError::NotAStruct { found })
}

impl ser::Serializer for Collector {
    type Ok = Vec<(String, String)>;
    type Error = QueryError;
    type SerializeSeq = Impossible<Self::Ok, QueryError>;
    type SerializeTuple = Impossible<Self::Ok, QueryError>;
    type SerializeTupleStruct = Impossible<Self::Ok, QueryError>;
    type SerializeTupleVariant = Impossible<Self::Ok, QueryError>;
    type SerializeMap = Entries;
    type SerializeStruct = Entries;
    type SerializeStructVariant = Impossible<Self::Ok, QueryError>;

    fn serialize_bool(self, _: bool) -> Result<Self::Ok, QueryError> {
        not_a_struct("a boolean")
    }
    fn serialize_i64(self, _: i64) -> Result<Self::Ok, QueryError> {
        not_a_struct("a number")
    }
    fn serialize_i8(self, v: i8) -> Result<Self::Ok, QueryError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<Self::Ok, QueryError> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<Self::Ok, QueryError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u8(self, v: u8) -> Result<Self::Ok, QueryError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<Self::Ok, QueryError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<Self::Ok, QueryError> {
        self.serialize_i64(v.into())
    }
    fn serialize_u64(self, _: u64) -> Result<Self::Ok, QueryError> {
        not_a_struct("a number")
    }
    fn serialize_f64(self, _: f64) -> Result<Self::Ok, QueryError> {
        not_a_struct("a number")
    }
    fn serialize_f32(self, v: f32) -> Result<Self::Ok, QueryError> {
        self.serialize_f64(v.into())
    }
    fn serialize_char(self, _: char) -> Result<Self::Ok, QueryError> {
        not_a_struct("a string")
    }
    fn serialize_str(self, _: &str) -> Result<Self::Ok, QueryError> {
        not_a_struct("a string")
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Self::Ok, QueryError> {
        not_a_struct("bytes")
    }
    // A request with nothing to send has no fields, whatever shape it takes.
    fn serialize_none(self) -> Result<Self::Ok, QueryError> {
        Ok(Vec::new())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok, QueryError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Self::Ok, QueryError> {
        Ok(Vec::new())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Self::Ok, QueryError> {
        Ok(Vec::new())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<Self::Ok, QueryError> {
        not_a_struct("an enum value")
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Self::Ok, QueryError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Self::Ok, QueryError> {
        not_a_struct("an enum value")
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, QueryError> {
        not_a_struct("a sequence")
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, QueryError> {
        not_a_struct("a tuple")
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, QueryError> {
        not_a_struct("a tuple struct")
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, QueryError> {
        not_a_struct("an enum value")
    }
    // `#[serde(flatten)]` turns a struct into a map, so maps are requests too.
    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, QueryError> {
        Ok(Entries {
            out: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }
    fn serialize_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, QueryError> {
        Ok(Entries {
            out: Vec::with_capacity(len),
            key: None,
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, QueryError> {
        not_a_struct("an enum value")
    }
}

impl ser::SerializeStruct for Entries {
    type Ok = Vec<(String, String)>;
    type Error = QueryError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), QueryError> {
        self.push(key.to_owned(), value)
    }

    fn end(self) -> Result<Self::Ok, QueryError> {
        Ok(self.out)
    }
}

impl ser::SerializeMap for Entries {
    type Ok = Vec<(String, String)>;
    type Error = QueryError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), QueryError> {
        let name = key
            .serialize(Render { top: true })?
            .ok_or(QueryError::UnsupportedKey { found: "null" })?;
        self.key = Some(name);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        let name = self
            .key
            .take()
            .ok_or_else(|| QueryError::Custom("map value without a key".into()))?;
        self.push(name, value)
    }

    fn end(self) -> Result<Self::Ok, QueryError> {
        Ok(self.out)
    }
}

/// Renders one value as URL text; `None` means null, which the caller leaves out.
///
/// `top` is set for a field's own value: a string is then written raw (ServiceStack does not
/// JSV-decode string properties) and a list loses its outer brackets. Values nested inside
/// lists and maps are written as JSV.
#[derive(Clone, Copy)]
struct Render {
    top: bool,
}

impl Render {
    fn text(self, s: &str) -> Option<String> {
        Some(if self.top {
            s.to_owned()
        } else {
            jsv::escape(s).into_owned()
        })
    }
}

/// .NET spells non-finite doubles `NaN`, `Infinity` and `-Infinity`.
fn float_text(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_owned()
    } else if v.is_infinite() {
        if v > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else {
        v.to_string()
    }
}

impl ser::Serializer for Render {
    type Ok = Option<String>;
    type Error = QueryError;
    type SerializeSeq = List;
    type SerializeTuple = List;
    type SerializeTupleStruct = List;
    type SerializeTupleVariant = List;
    type SerializeMap = Map;
    type SerializeStruct = Map;
    type SerializeStructVariant = Map;

    fn serialize_bool(self, v: bool) -> Result<Self::Ok, QueryError> {
        Ok(Some(if v { "true" } else { "false" }.to_owned()))
    }
    fn serialize_i8(self, v: i8) -> Result<Self::Ok, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_i16(self, v: i16) -> Result<Self::Ok, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_i32(self, v: i32) -> Result<Self::Ok, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_i64(self, v: i64) -> Result<Self::Ok, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_i128(self, v: i128) -> Result<Self::Ok, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_u8(self, v: u8) -> Result<Self::Ok, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_u16(self, v: u16) -> Result<Self::Ok, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_u32(self, v: u32) -> Result<Self::Ok, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_u64(self, v: u64) -> Result<Self::Ok, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_u128(self, v: u128) -> Result<Self::Ok, QueryError> {
        Ok(Some(v.to_string()))
    }
    fn serialize_f32(self, v: f32) -> Result<Self::Ok, QueryError> {
        // Through f64 an f32 would print its binary expansion (0.1 -> 0.10000000149011612).
        Ok(Some(if v.is_finite() {
            v.to_string()
        } else {
            float_text(v.into())
        }))
    }
    fn serialize_f64(self, v: f64) -> Result<Self::Ok, QueryError> {
        Ok(Some(float_text(v)))
    }
    fn serialize_char(self, v: char) -> Result<Self::Ok, QueryError> {
        Ok(self.text(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_str(self, v: &str) -> Result<Self::Ok, QueryError> {
        Ok(self.text(v))
    }
    // .NET `byte[]` travels as base64, whose alphabet needs no JSV quoting.
    fn serialize_bytes(self, v: &[u8]) -> Result<Self::Ok, QueryError> {
        Ok(Some(base64::engine::general_purpose::STANDARD.encode(v)))
    }
    fn serialize_none(self) -> Result<Self::Ok, QueryError> {
        Ok(None)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok, QueryError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Self::Ok, QueryError> {
        Ok(None)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Self::Ok, QueryError> {
        Ok(None)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Self::Ok, QueryError> {
        Ok(self.text(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Self::Ok, QueryError> {
        value.serialize(self)
    }
    // Serde's externally tagged form `{Variant:value}`; .NET has no such type, so this only
    // has to be unambiguous.
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Self::Ok, QueryError> {
        let inner = value.serialize(Render { top: false })?.unwrap_or_default();
        Ok(Some(format!("{{{}:{inner}}}", jsv::escape(variant))))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, QueryError> {
        Ok(List {
            top: self.top,
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, QueryError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, QueryError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, QueryError> {
        Ok(List {
            top: false,
            items: Vec::with_capacity(len),
            variant: Some(variant),
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, QueryError> {
        Ok(Map {
            entries: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, QueryError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, QueryError> {
        Ok(Map {
            entries: Vec::with_capacity(len),
            key: None,
            variant: Some(variant),
        })
    }
}

/// A list being rendered; see [`Render`] for `top`.
struct List {
    top: bool,
    items: Vec<String>,
    variant: Option<&'static str>,
}

impl List {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        // A null element keeps its place as an empty one, as JSV writes it.
        let item = value.serialize(Render { top: false })?.unwrap_or_default();
        self.items.push(item);
        Ok(())
    }

    fn finish(self) -> Option<String> {
        let body = self.items.join(",");
        // ServiceStack's client drops a field's outer brackets (`a,b`), and its parser accepts
        // that, except when the first element is itself a list: the parser strips one
        // bracket pair only when the value starts with `[`, so `[a],[b]` would lose the
        // wrong pair. An empty list stays `[]` so it is not mistaken for a missing value.
        let text = if self.top && !self.items.is_empty() && !body.starts_with('[') {
            body
        } else {
            format!("[{body}]")
        };
        Some(match self.variant {
            Some(variant) => format!("{{{}:{text}}}", jsv::escape(variant)),
            None => text,
        })
    }
}

impl ser::SerializeSeq for List {
    type Ok = Option<String>;
    type Error = QueryError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        self.push(value)
    }

    fn end(self) -> Result<Self::Ok, QueryError> {
        Ok(self.finish())
    }
}

impl ser::SerializeTuple for List {
    type Ok = Option<String>;
    type Error = QueryError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        self.push(value)
    }

    fn end(self) -> Result<Self::Ok, QueryError> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleStruct for List {
    type Ok = Option<String>;
    type Error = QueryError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        self.push(value)
    }

    fn end(self) -> Result<Self::Ok, QueryError> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleVariant for List {
    type Ok = Option<String>;
    type Error = QueryError;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        self.push(value)
    }

    fn end(self) -> Result<Self::Ok, QueryError> {
        Ok(self.finish())
    }
}

/// A JSV map or object being rendered: `{key:value,...}`.
struct Map {
    entries: Vec<(String, String)>,
    key: Option<String>,
    variant: Option<&'static str>,
}

impl Map {
    fn entry<T: Serialize + ?Sized>(&mut self, key: String, value: &T) -> Result<(), QueryError> {
        // JSV leaves null members out rather than writing an empty value.
        if let Some(text) = value.serialize(Render { top: false })? {
            self.entries.push((key, text));
        }
        Ok(())
    }

    fn finish(self) -> Option<String> {
        let mut out = String::from("{");
        for (i, (k, v)) in self.entries.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(k);
            out.push(':');
            out.push_str(v);
        }
        out.push('}');
        Some(match self.variant {
            Some(variant) => format!("{{{}:{out}}}", jsv::escape(variant)),
            None => out,
        })
    }
}

impl ser::SerializeMap for Map {
    type Ok = Option<String>;
    type Error = QueryError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), QueryError> {
        let text = key
            .serialize(Render { top: false })?
            .ok_or(QueryError::UnsupportedKey { found: "null" })?;
        self.key = Some(text);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), QueryError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| QueryError::Custom("map value without a key".into()))?;
        self.entry(key, value)
    }

    fn end(self) -> Result<Self::Ok, QueryError> {
        Ok(self.finish())
    }
}

impl ser::SerializeStruct for Map {
    type Ok = Option<String>;
    type Error = QueryError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), QueryError> {
        self.entry(jsv::escape(key).into_owned(), value)
    }

    fn end(self) -> Result<Self::Ok, QueryError> {
        Ok(self.finish())
    }
}

impl ser::SerializeStructVariant for Map {
    type Ok = Option<String>;
    type Error = QueryError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), QueryError> {
        self.entry(jsv::escape(key).into_owned(), value)
    }

    fn end(self) -> Result<Self::Ok, QueryError> {
        Ok(self.finish())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Inner {
        name: String,
        tags: Vec<String>,
        gone: Option<i32>,
    }

    #[derive(Serialize)]
    enum Shape {
        Circle(f64),
        Pair(i32, i32),
        Box { w: u8 },
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Everything {
        text: String,
        ch: char,
        flag: bool,
        small: f32,
        big: u128,
        nan: f64,
        missing: Option<String>,
        unit: (),
        bytes: serde_bytes_like::Bytes,
        inner: Inner,
        nested_lists: Vec<Vec<i32>>,
        empty: Vec<String>,
        optional_items: Vec<Option<i32>>,
        shapes: Vec<Shape>,
    }

    // A stand-in for a type that serializes through `serialize_bytes`.
    mod serde_bytes_like {
        pub struct Bytes(pub Vec<u8>);
        impl serde::Serialize for Bytes {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(&self.0)
            }
        }
    }

    fn get<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn renders_every_kind_of_value() {
        let fields = collect(&Everything {
            text: "a,b \"c\"".into(),
            ch: ',',
            flag: false,
            small: 0.1,
            big: u128::MAX,
            nan: f64::NEG_INFINITY,
            missing: None,
            unit: (),
            bytes: serde_bytes_like::Bytes(b"hi".to_vec()),
            inner: Inner {
                name: "x:y".into(),
                tags: vec!["p".into(), "q r".into()],
                gone: None,
            },
            nested_lists: vec![vec![1, 2], vec![]],
            empty: vec![],
            optional_items: vec![Some(1), None, Some(3)],
            shapes: vec![Shape::Circle(1.5), Shape::Pair(1, 2), Shape::Box { w: 3 }],
        })
        .unwrap();
        let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "text",
                "ch",
                "flag",
                "small",
                "big",
                "nan",
                "bytes",
                "inner",
                "nestedLists",
                "empty",
                "optionalItems",
                "shapes"
            ]
        );
        // Top-level strings are raw: ServiceStack does not JSV-decode string properties.
        assert_eq!(get(&fields, "text"), Some("a,b \"c\""));
        assert_eq!(get(&fields, "ch"), Some(","));
        assert_eq!(get(&fields, "flag"), Some("false"));
        assert_eq!(get(&fields, "small"), Some("0.1"));
        assert_eq!(get(&fields, "big"), Some(u128::MAX.to_string().as_str()));
        assert_eq!(get(&fields, "nan"), Some("-Infinity"));
        assert_eq!(get(&fields, "bytes"), Some("aGk="));
        assert_eq!(get(&fields, "inner"), Some(r#"{name:"x:y",tags:[p,q r]}"#));
        assert_eq!(get(&fields, "nestedLists"), Some("[[1,2],[]]"));
        assert_eq!(get(&fields, "empty"), Some("[]"));
        assert_eq!(get(&fields, "optionalItems"), Some("1,,3"));
        assert_eq!(
            get(&fields, "shapes"),
            Some("{Circle:1.5},{Pair:[1,2]},{Box:{w:3}}")
        );
    }

    #[test]
    fn maps_are_requests_too() {
        let mut map = BTreeMap::new();
        map.insert("b", Some(2));
        map.insert("a", None);
        map.insert("c", Some(3));
        let fields = collect(&map).unwrap();
        assert_eq!(
            fields,
            [("b".to_owned(), "2".to_owned()), ("c".into(), "3".into())]
        );

        let mut bad = BTreeMap::new();
        bad.insert(None::<i32>, 1);
        assert_eq!(
            collect(&bad),
            Err(QueryError::UnsupportedKey { found: "null" })
        );
    }

    #[test]
    fn only_structs_and_maps_have_fields() {
        assert!(collect(&()).unwrap().is_empty());
        assert!(collect(&None::<Inner>).unwrap().is_empty());
        assert_eq!(
            collect("text"),
            Err(QueryError::NotAStruct { found: "a string" })
        );
        assert_eq!(
            collect(&[1, 2]),
            Err(QueryError::NotAStruct { found: "a tuple" })
        );
        assert_eq!(
            collect(&vec![1]),
            Err(QueryError::NotAStruct {
                found: "a sequence"
            })
        );
    }

    #[test]
    fn serialize_errors_propagate() {
        struct Failing;
        impl Serialize for Failing {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(ser::Error::custom("nope"))
            }
        }
        #[derive(Serialize)]
        struct Holder {
            f: Failing,
        }
        assert_eq!(
            collect(&Holder { f: Failing }),
            Err(QueryError::Custom("nope".into()))
        );
    }
}
