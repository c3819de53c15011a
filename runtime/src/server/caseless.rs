//! The fast path of [`decode`](super::decode): a request DTO read straight from a JSON body.
//!
//! [`from_body`] runs `serde_json` over the body bytes through [`Caseless`], a deserializer
//! adapter that gives each key of an object read as a struct the name of the struct's field it
//! matches case-insensitively (an exact match winning), at every level, as the tree path in
//! `decode.rs` does. It only ever answers `Some` where the tree path gives the same DTO; on
//! anything it does not read the same way it answers `None` and the caller takes the tree
//! path, which also writes the error:
//! - lenient values (`"page":"2"`, `null` for a number or a list, JSV text for a struct or a
//!   list) are errors here, because `serde_json` rejects them;
//! - two keys naming the same field are an error here, where the tree keeps the last one;
//! - enums read through `deserialize_enum` (derived ones; generated enums read any value) and
//!   `serde_json`'s `RawValue` are errors here;
//! - a JSON array for a struct is an error here, as it is in the tree;
//! - ignored values are still parsed whole, so a body the tree cannot parse is refused here too.
//!
//! Generated structs (read through [`crate::de`]) bind names in any case themselves, and keep
//! the last value of a member named twice; the renaming is still done here for every struct,
//! because finding the field a key names is also what refuses a field named twice in two
//! spellings, which the tree reads in `serde_json`'s map order (not the body's), and without
//! the adapter `serde_json` would also take an array for a struct and skip values the tree
//! refuses. A key in the fields' order and spelling, the common case, costs one comparison
//! here; renamed to the field's own name, it costs the struct's visitor one more.

use std::fmt;

use serde::de::{
    self, value::BorrowedStrDeserializer, DeserializeOwned, DeserializeSeed, IgnoredAny,
    IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use serde::forward_to_deserialize_any;

use crate::de::field_named_next;

/// `R` from a JSON object body, or `None` where the tree path must decide.
pub(super) fn from_body<R: DeserializeOwned>(body: &[u8]) -> Option<R> {
    let mut json = serde_json::Deserializer::from_slice(body);
    let value = R::deserialize(Caseless(&mut json)).ok()?;
    json.end().ok()?;
    Some(value)
}

fn refuse<E: de::Error>(what: &str) -> E {
    E::custom(format_args!("{what} is left to the tree decoder"))
}

/// serde_json's marker for `RawValue`, which reads the input text itself (with serde_json's
/// `raw_value` feature, which another crate of the application may turn on).
const RAW_VALUE: &str = "$serde_json::private::RawValue";

/// A value deserializer whose objects bind to struct fields case-insensitively.
struct Caseless<D>(D);

/// What a visitor is wrapped for: the struct whose fields an object's keys are renamed to.
struct Wrap<V> {
    visitor: V,
    fields: Option<&'static [&'static str]>,
}

/// Deserializer methods handed to the inner deserializer as they are, visitor unwrapped.
macro_rules! passthrough {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
                self.0.$method(visitor)
            }
        )*
    };
}

impl<'de, D: de::Deserializer<'de>> de::Deserializer<'de> for Caseless<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(Wrap {
            visitor,
            fields: None,
        })
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_option(Wrap {
            visitor,
            fields: None,
        })
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        if name == RAW_VALUE {
            return Err(refuse("a raw JSON value"));
        }
        self.0.deserialize_newtype_struct(
            name,
            Wrap {
                visitor,
                fields: None,
            },
        )
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_seq(Wrap {
            visitor,
            fields: None,
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Wrap {
            visitor,
            fields: None,
        })
    }

    // Read as a map: serde_json would also take an array for a struct, the tree does not.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Wrap {
            visitor,
            fields: Some(fields),
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, D::Error> {
        Err(refuse("an enum"))
    }

    // Parsed whole, so that what the tree's `Value` refuses (a number out of range, a lone
    // surrogate) is refused here too; serde_json's own skipping does not check it.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.deserialize_any(IgnoredAny)?;
        visitor.visit_unit()
    }

    // Scalars: serde_json reads them as the tree's `Value` does.
    passthrough! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_str(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_str(visitor)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit(visitor)
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<V::Value, E> {
        self.visitor.visit_bool(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        self.visitor.visit_i64(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        self.visitor.visit_u64(v)
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<V::Value, E> {
        self.visitor.visit_i128(v)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<V::Value, E> {
        self.visitor.visit_u128(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<V::Value, E> {
        self.visitor.visit_f64(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.visitor.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.visitor.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.visitor.visit_string(v)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<V::Value, E> {
        self.visitor.visit_bytes(v)
    }

    fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        self.visitor.visit_borrowed_bytes(v)
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<V::Value, E> {
        self.visitor.visit_byte_buf(v)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(Caseless(d))
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    fn visit_newtype_struct<D: de::Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_newtype_struct(Caseless(d))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_seq(Elements(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        match self.fields {
            Some(fields) => self.visitor.visit_map(StructEntries {
                map,
                fields,
                seen: Seen::new(fields.len()),
                next: 0,
            }),
            None => self.visitor.visit_map(MapEntries(map)),
        }
    }
}

/// A seed whose value is read through [`Caseless`].
struct Value<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Value<S> {
    type Value = S::Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Caseless(d))
    }
}

struct Elements<A>(A);

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Elements<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Value(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// A map's entries: keys read as text, as the tree reads its `String` keys.
struct MapEntries<A>(A);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for MapEntries<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(TextKey(seed))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Value(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// A map key as the tree gives it, a `String` whatever type is asked for: serde_json would
/// also parse `"1"` as a number key, the tree does not.
struct TextKey<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for TextKey<S> {
    type Value = S::Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(TextKey(d))
    }
}

impl<'de, D: de::Deserializer<'de>> de::Deserializer<'de> for TextKey<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, D::Error> {
        Err(refuse("an enum key"))
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

/// The fields of a struct already bound, to refuse a second key for one of them.
enum Seen {
    Few(u64),
    Many(Vec<bool>),
}

impl Seen {
    fn new(fields: usize) -> Self {
        if fields <= 64 {
            Seen::Few(0)
        } else {
            Seen::Many(vec![false; fields])
        }
    }

    /// Marks field `i`; false if it was marked already.
    fn mark(&mut self, i: usize) -> bool {
        match self {
            Seen::Few(bits) => {
                let bit = 1u64 << i;
                let fresh = *bits & bit == 0;
                *bits |= bit;
                fresh
            }
            Seen::Many(seen) => !std::mem::replace(&mut seen[i], true),
        }
    }
}

/// A struct's entries: each key renamed to the field it names.
struct StructEntries<A> {
    map: A,
    fields: &'static [&'static str],
    seen: Seen,
    /// Where to look for the next key first: after the field of the last.
    next: usize,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for StructEntries<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.map.next_key_seed(FieldKey {
            seed,
            fields: self.fields,
            seen: &mut self.seen,
            next: &mut self.next,
        })
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.map.next_value_seed(Value(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

struct FieldKey<'s, S> {
    seed: S,
    fields: &'static [&'static str],
    seen: &'s mut Seen,
    next: &'s mut usize,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for FieldKey<'_, S> {
    type Value = S::Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for FieldKey<'_, S> {
    type Value = S::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    #[inline]
    fn visit_str<E: de::Error>(self, key: &str) -> Result<S::Value, E> {
        let Some(i) = field_named_next(key, self.fields, *self.next) else {
            return self.seed.deserialize(key.into_deserializer());
        };
        *self.next = i + 1;
        if !self.seen.mark(i) {
            return Err(refuse("a field named twice"));
        }
        self.seed
            .deserialize(BorrowedStrDeserializer::<E>::new(self.fields[i]))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::super::decode::{decode_tree, RawRequest};
    use super::*;

    #[derive(Debug, Default, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase", default)]
    struct Inner {
        name: Option<String>,
        count: i32,
    }

    #[derive(Debug, Default, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase", default)]
    struct Dto {
        session_id: String,
        page: i32,
        ids: Option<Vec<String>>,
        inner: Option<Inner>,
        inners: Vec<Inner>,
        map: BTreeMap<String, Inner>,
        keyed: BTreeMap<i32, String>,
    }

    fn tree(body: &str) -> Result<Dto, super::super::DecodeError> {
        decode_tree(&RawRequest {
            body: body.as_bytes(),
            ..RawRequest::default()
        })
    }

    #[test]
    fn keys_bind_case_insensitively_at_every_level_but_in_maps() {
        let body = r#"{"SESSIONID":"s","Page":2,"iDs":["a"],"INNER":{"NAME":"n","Count":3},
            "inners":[{"name":"m"}],"map":{"Key":{"COUNT":1}}}"#;
        let fast = from_body::<Dto>(body.as_bytes()).expect("read straight from the body");
        assert_eq!(fast.session_id, "s");
        assert_eq!(
            fast.inner.as_ref().and_then(|i| i.name.as_deref()),
            Some("n")
        );
        assert_eq!(fast.map["Key"].count, 1);
        assert_eq!(Ok(fast), tree(body));
    }

    /// Each of these is read differently, or refused, by serde_json alone: the tree decides.
    #[test]
    fn what_the_tree_reads_its_own_way_is_left_to_it() {
        for body in [
            r#"{"page":"2"}"#,
            r#"{"page":null}"#,
            r#"{"ids":"a,b"}"#,
            r#"{"inners":null}"#,
            r#"{"inner":"{name:x}"}"#,
            r#"{"inner":null,"inners":[null]}"#,
            r#"{"inner":["n",1]}"#,
            r#"{"keyed":{"1":"one"}}"#,
            r#"{"page":1,"PAGE":2}"#,
            r#"{"inner":{"count":1,"Count":2}}"#,
            r#"{"unknown":1e400}"#,
            r#"{"unknown":"\ud800"}"#,
            "{}\x0c",
        ] {
            assert!(from_body::<Dto>(body.as_bytes()).is_none(), "{body}");
        }
    }

    /// Structs as the generator writes them: read through `ssdto::de`, which binds names in
    /// any case itself.
    mod generated {
        use std::collections::BTreeMap;

        #[derive(Debug, Default, PartialEq)]
        pub struct Part {
            pub name: Option<String>,
            pub count: i32,
        }

        crate::deserialize_fields! {
            Part {
                0: name = "name",
                1: count = "count",
            }
        }

        #[derive(Debug, Default, PartialEq)]
        pub struct Order {
            pub order_id: String,
            pub page: i32,
            pub part: Option<Part>,
            pub parts: Vec<Part>,
            pub by_name: BTreeMap<String, Part>,
            pub extra: Option<serde_json::Value>,
        }

        crate::deserialize_fields! {
            Order {
                0: order_id = "orderId",
                1: page = "page",
                2: part = "part",
                3: parts = "parts",
                4: by_name = "byName",
                5: extra = "extra",
            }
        }
    }

    fn tree_of<R: DeserializeOwned>(body: &str) -> Result<R, super::super::DecodeError> {
        decode_tree(&RawRequest {
            body: body.as_bytes(),
            ..RawRequest::default()
        })
    }

    /// Names in any case, in any order, with unknown members at every level: read straight
    /// from the body, as the tree reads them.
    #[test]
    fn generated_structs_are_read_straight_as_through_the_tree() {
        use generated::Order;
        for body in [
            r#"{"orderId":"o","page":2,"part":{"name":"n","count":3},"parts":[{"count":1}],
                "byName":{"Key":{"COUNT":4}},"extra":{"Page":1,"page":[2]}}"#,
            r#"{"ORDERID":"o","Page":2,"PART":{"Count":3,"NAME":"n"},"parts":[{"cOuNt":1}],
                "BYNAME":{"key":{"Name":null}},"Extra":null}"#,
            r#"{"extra":[],"parts":[],"page":-1,"orderid":"o","part":null}"#,
            r#"{"unknown":{"orderId":"x","deep":[1,{"a":null}]},"orderId":"o","Other":[],
                "part":{"other":"x","name":"n","Count":1,"more":{"count":9}}}"#,
            r#"{"page":2,"part":{}}"#,
            "{}",
        ] {
            let fast = from_body::<Order>(body.as_bytes());
            assert!(fast.is_some(), "{body}");
            assert_eq!(
                fast.ok_or(()),
                tree_of::<Order>(body).map_err(drop),
                "{body}"
            );
        }
    }

    /// A field named twice in different cases keeps whichever value comes last in
    /// `serde_json`'s map in the tree (key order, or the body's with its `preserve_order`
    /// feature), the last in the body in `ssdto::de`: the tree decides. A value `serde_json`
    /// would read into a generated struct without the adapter, but the tree refuses, is left
    /// to the tree too: an array for a struct (`ssdto::de` reads a sequence as the fields in
    /// order), ignored values the tree's `Value` cannot hold.
    #[test]
    fn generated_structs_leave_to_the_tree_what_it_reads_its_own_way() {
        use generated::Order;
        for body in [
            r#"{"page":1,"PAGE":2}"#,
            r#"{"PAGE":1,"page":2}"#,
            r#"{"page":1,"page":2}"#,
            r#"{"part":{"count":1,"Count":2}}"#,
            r#"{"parts":[{"NAME":"a","name":"b"}]}"#,
            r#"{"page":"2"}"#,
            r#"{"parts":null}"#,
        ] {
            assert!(from_body::<Order>(body.as_bytes()).is_none(), "{body}");
            assert!(tree_of::<Order>(body).is_ok(), "{body}");
        }
        for body in [
            r#"{"part":["n",1]}"#,
            r#"{"unknown":1e400}"#,
            r#"{"part":{"unknown":"\ud800"}}"#,
        ] {
            assert!(serde_json::from_str::<Order>(body).is_ok(), "{body}");
            assert!(from_body::<Order>(body.as_bytes()).is_none(), "{body}");
            assert!(tree_of::<Order>(body).is_err(), "{body}");
        }
    }

    #[test]
    fn derived_enums_are_left_to_the_tree() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        enum Kind {
            A,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct WithEnum {
            kind: Kind,
        }
        assert!(from_body::<WithEnum>(br#"{"kind":"A"}"#).is_none());
    }
}
