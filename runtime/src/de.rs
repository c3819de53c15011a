//! Reading generated structs and the runtime's own DTOs: ServiceStack's rules for JSON
//! members, in one impl shared by every struct.
//!
//! ServiceStack binds members to properties case-insensitively (`sessionId`, `SessionId` and
//! `SESSIONID` all fill `SessionId`), any member may be left out, and members it does not
//! know are ignored. A generated struct lists its fields' wire names with
//! [`deserialize_fields!`](crate::deserialize_fields) and implements [`Fields`]; its
//! `Deserialize` impl is [`deserialize`], which reads a map (JSON, XML through the server,
//! query pairs) or a sequence (formats that write a struct as its fields in order, such as
//! bincode) into [`Default::default`] field by field.
//!
//! The runtime's DTOs that generated code holds read the same way, so a response reads alike
//! at every depth: ServiceStack's own ([`QueryBase`](crate::QueryBase),
//! [`QueryDb`](crate::QueryDb) (as a `QueryBase`), [`QueryResponse`](crate::QueryResponse),
//! [`Authenticate`](crate::Authenticate), [`AuthenticateResponse`](crate::AuthenticateResponse),
//! [`GetAccessToken`](crate::GetAccessToken),
//! [`GetAccessTokenResponse`](crate::GetAccessTokenResponse), [`IdResponse`](crate::IdResponse),
//! [`EmptyResponse`](crate::EmptyResponse)), its errors ([`ResponseStatus`](crate::ResponseStatus),
//! [`ResponseError`](crate::ResponseError), [`ErrorResponse`](crate::ErrorResponse), with
//! snake_case names too) and .NET's [`KeyValuePair`](crate::KeyValuePair) and
//! [`Tuple1`](crate::Tuple1)..[`Tuple7`](crate::Tuple7).
//!
//! Doing this once here, rather than with serde's derive and an alias per field, keeps the
//! generated code small: each struct costs one `match` over its fields, so a contract of a
//! thousand types checks and builds in less than half the time (BENCHMARKS.md, issue 15 §4).
//!
//! ```
//! #[derive(Debug, Default, PartialEq, serde::Serialize)]
//! #[serde(rename_all = "camelCase")]
//! pub struct Session {
//!     pub session_id: String,
//!     pub calls: Option<i32>,
//! }
//!
//! ssdto::deserialize_fields! {
//!     Session {
//!         0: session_id = "sessionId",
//!         1: calls = "calls",
//!     }
//! }
//!
//! let s: Session = serde_json::from_str(r#"{"SessionId":"a","calls":2,"other":[1]}"#).unwrap();
//! assert_eq!(s, Session { session_id: "a".into(), calls: Some(2) });
//! let s: Session = serde_json::from_str("{}").unwrap();
//! assert_eq!(s, Session::default());
//! ```

use core::fmt;
use core::marker::PhantomData;

use serde::de::{
    self, Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};

use crate::protocol::eq_ignore_case;

/// A struct read field by field: what [`deserialize_fields!`](crate::deserialize_fields)
/// implements for a generated struct.
pub trait Fields<'de>: Default {
    /// The struct's name, for error messages and formats that want it.
    const NAME: &'static str;
    /// The fields' wire names, in declaration order; a field's index is its place here.
    const FIELDS: &'static [&'static str];
    /// Other names that fields are read by, each with its field's index: matched in any case,
    /// after every name of [`Self::FIELDS`]. A sequence holds only [`Self::FIELDS`].
    const ALIASES: &'static [(&'static str, usize)] = &[];

    /// Reads field `index` (an index of [`Self::FIELDS`]) from `value` into `self`. Any other
    /// index leaves `self` as it is.
    fn read<V: FieldValue<'de>>(&mut self, index: usize, value: V) -> Result<(), V::Error>;
}

/// The value of one field, as a map entry or a sequence element.
pub trait FieldValue<'de> {
    /// The format's error.
    type Error: de::Error;

    /// Reads the value as a `T`.
    fn read<T: Deserialize<'de>>(self) -> Result<T, Self::Error>;
}

/// Reads a `T` from `deserializer`: the body of every generated `Deserialize` impl.
///
/// A member is bound to the field of [`Fields::FIELDS`] with its exact name, else to the first
/// whose name equals it ignoring case, else to the field of an alias in
/// [`Fields::ALIASES`] equal to it ignoring case; a member named twice keeps its last value,
/// as ServiceStack does; unknown members are skipped. A sequence must hold every field of
/// [`Fields::FIELDS`], in order.
pub fn deserialize<'de, T: Fields<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, StructVisitor(PhantomData))
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: Fields<'de>> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        let mut next = 0;
        // A static (the consts are promoted): a key of two words travels in registers.
        let names = &Names {
            fields: T::FIELDS,
            aliases: T::ALIASES,
        };
        while let Some(key) = map.next_key_seed(Key { names, next })? {
            match key {
                Some(index) => {
                    out.read(index, MapValue(&mut map))?;
                    next = index + 1;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        let mut out = T::default();
        for index in 0..T::FIELDS.len() {
            out.read(index, SeqValue(&mut seq, index, &self))?;
        }
        Ok(out)
    }
}

/// A map entry's value.
struct MapValue<'a, A>(&'a mut A);

impl<'de, A: MapAccess<'de>> FieldValue<'de> for MapValue<'_, A> {
    type Error = A::Error;

    #[inline]
    fn read<T: Deserialize<'de>>(self) -> Result<T, A::Error> {
        self.0.next_value()
    }
}

/// The element at an index of a sequence, and what was expected of it, for the error.
struct SeqValue<'a, A, V>(&'a mut A, usize, &'a V);

impl<'de, A: SeqAccess<'de>, V: Visitor<'de>> FieldValue<'de> for SeqValue<'_, A, V> {
    type Error = A::Error;

    fn read<T: Deserialize<'de>>(self) -> Result<T, A::Error> {
        self.0
            .next_element()?
            .ok_or_else(|| de::Error::invalid_length(self.1, self.2))
    }
}

/// A struct's [`Fields::FIELDS`] and [`Fields::ALIASES`].
struct Names {
    fields: &'static [&'static str],
    aliases: &'static [(&'static str, usize)],
}

/// A member name, read as the index of the field it names (`None`: not a field).
struct Key {
    names: &'static Names,
    /// Where to look first: the field after the last one read.
    next: usize,
}

impl Key {
    /// The field `key` names: the next one compared in line, else [`Key::looked_up`].
    #[inline]
    fn named(&self, key: &str) -> Option<usize> {
        if is_next(key, self.names.fields, self.next) {
            Some(self.next)
        } else {
            self.looked_up(key)
        }
    }

    /// The field `key` names, out of line: by [`field_named_from`]'s rules, else by an alias
    /// equal to it ignoring case.
    fn looked_up(&self, key: &str) -> Option<usize> {
        field_named_from(key, self.names.fields, self.next).or_else(|| {
            self.names
                .aliases
                .iter()
                .find(|(alias, _)| eq_ignore_case(alias, key))
                .map(|&(_, index)| index)
        })
    }
}

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<usize>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Key {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    #[inline]
    fn visit_str<E>(self, key: &str) -> Result<Option<usize>, E> {
        Ok(self.named(key))
    }

    fn visit_bytes<E>(self, key: &[u8]) -> Result<Option<usize>, E> {
        Ok(core::str::from_utf8(key)
            .ok()
            .and_then(|key| self.named(key)))
    }

    // Formats that write a struct's fields by index.
    fn visit_u64<E>(self, index: u64) -> Result<Option<usize>, E> {
        Ok(usize::try_from(index)
            .ok()
            .filter(|&i| i < self.names.fields.len()))
    }
}

/// The field of `fields` that `key` names: the exact name, else the first that matches
/// case-insensitively.
#[cfg(feature = "server")]
pub(crate) fn field_named(key: &str, fields: &[&str]) -> Option<usize> {
    field_named_from(key, fields, 0)
}

/// The field of `fields` that `key` names, looking for the exact name from `start` on first
/// (then from the top), else the first that matches case-insensitively: keys mostly come in the
/// order of the fields, so a caller reading them in turn passes the one after the last it found
/// and compares about one name per key instead of half of them.
pub(crate) fn field_named_from(key: &str, fields: &[&str], start: usize) -> Option<usize> {
    // Length first, then without a `memcmp` call: this runs for every key of every payload
    // against short names, where a call per candidate costs more than the comparison.
    let exact = |f: &&str| f.len() == key.len() && same_bytes(f.as_bytes(), key.as_bytes());
    let (before, after) = fields.split_at(start.min(fields.len()));
    after
        .iter()
        .position(exact)
        .map(|i| i + before.len())
        .or_else(|| before.iter().position(exact))
        .or_else(|| fields.iter().position(|f| eq_ignore_case(f, key)))
}

/// [`field_named_from`], with the field at `next` compared in line first (the rest out of
/// line): readers that go through a struct's keys in turn mostly find the next one there.
#[cfg(feature = "server")]
#[inline]
pub(crate) fn field_named_next(key: &str, fields: &[&str], next: usize) -> Option<usize> {
    if is_next(key, fields, next) {
        Some(next)
    } else {
        field_named_from(key, fields, next)
    }
}

/// Whether `key` is exactly the name of the field at `next`.
#[inline]
fn is_next(key: &str, fields: &[&str], next: usize) -> bool {
    fields
        .get(next)
        .is_some_and(|field| same_bytes(field.as_bytes(), key.as_bytes()))
}

/// Whether `a` and `b`, of the same length, are equal: eight bytes at a time (the last eight
/// overlapping the ones before), four for a shorter name, then byte by byte for a very short
/// one. A byte loop costs five instructions per byte of a name compared whole.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    fn word<const N: usize>(s: &[u8], at: usize) -> Option<&[u8; N]> {
        s.get(at..)?.first_chunk::<N>()
    }
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        let mut at = 0;
        while at + 8 < n {
            if word::<8>(a, at) != word::<8>(b, at) {
                return false;
            }
            at += 8;
        }
        word::<8>(a, n - 8) == word::<8>(b, n - 8)
    } else if n >= 4 {
        word::<4>(a, 0) == word::<4>(b, 0) && word::<4>(a, n - 4) == word::<4>(b, n - 4)
    } else {
        a.iter().zip(b).all(|(x, y)| x == y)
    }
}

/// Implements [`Fields`] and `serde::Deserialize` for a struct that implements `Default`,
/// from its fields' indices, names and wire names (see the [module docs](crate::de)).
///
/// A field read through a serde `with`-module of [`crate::wire`] names it after `with`; the
/// module's `Read` type does the reading. A generic struct lists its type parameters, which
/// must implement `Deserialize`, and the struct `Default`. A field that is not listed keeps its
/// default.
///
/// ```
/// #[derive(Default)]
/// pub struct Page<T> {
///     pub results: Option<Vec<T>>,
///     pub total: i32,
/// }
///
/// ssdto::deserialize_fields! {
///     Page<T> {
///         0: results = "results",
///         1: total = "total",
///     }
/// }
///
/// let p: Page<i32> = serde_json::from_str(r#"{"Results":[1],"TOTAL":1}"#).unwrap();
/// assert_eq!((p.results, p.total), (Some(vec![1]), 1));
/// ```
///
/// With the `chrono` feature, a field of type `Option<chrono::DateTime<FixedOffset>>` is listed
/// as `1: started = "started" with ::ssdto::wire::chrono_datetime::option,` (the generated
/// `wire_types::as_chrono` module in `generated/` has such fields; tests/wire_types.rs reads
/// them).
///
/// Two forms serve the runtime's own DTOs (ServiceStack's `ResponseStatus`, ...), whose
/// servers write more than one name or `null` where a value is expected:
/// - `"errorCode" | "error_code"`: the field is also read by the names after `|` (in any
///   case, after every listed wire name: [`Fields::ALIASES`]);
/// - `or default` after the wire name: a `null` reads as the field's default, like a missing
///   member (the field's type must implement `Default`). It does not go with `with`.
///
/// ```
/// #[derive(Debug, Default, PartialEq)]
/// pub struct Status {
///     pub error_code: Option<String>,
///     pub errors: Vec<String>,
/// }
///
/// ssdto::deserialize_fields! {
///     Status {
///         0: error_code = "errorCode" | "error_code",
///         1: errors = "errors" or default,
///     }
/// }
///
/// let s: Status = serde_json::from_str(r#"{"ERROR_CODE":"E","Errors":null}"#).unwrap();
/// assert_eq!(s, Status { error_code: Some("E".into()), errors: vec![] });
/// ```
#[macro_export]
macro_rules! deserialize_fields {
    (
        $name:ident $(< $($param:ident),+ >)? {
            $($index:literal : $field:ident = $wire:literal $(| $alias:literal)*
                $(with $(:: $with:ident)+)? $(or $default:ident)?),* $(,)?
        }
    ) => {
        // `Self: Default` rather than `Default` on each parameter: a struct whose `Default`
        // is written by hand (`QueryResponse<T>`) then needs nothing more of `T`.
        impl<'de $($(, $param: ::serde::Deserialize<'de>)+)?>
            $crate::de::Fields<'de> for $name $(<$($param),+>)?
        where
            Self: ::core::default::Default,
        {
            const NAME: &'static str = ::core::stringify!($name);
            const FIELDS: &'static [&'static str] = &[$($wire),*];
            const ALIASES: &'static [(&'static str, usize)] = &[$($(($alias, $index),)*)*];

            // A struct without fields reads nothing. The method's type parameter is named so
            // as not to clash with the struct's (`KeyValuePair<K, V>`).
            #[allow(unused_variables)]
            #[inline]
            fn read<__V: $crate::de::FieldValue<'de>>(
                &mut self,
                index: usize,
                value: __V,
            ) -> ::core::result::Result<(), __V::Error> {
                match index {
                    $($index => $crate::deserialize_fields!(
                        @read self.$field, value $(, $(:: $with)+)? $(, or $default)?
                    ),)*
                    _ => {}
                }
                ::core::result::Result::Ok(())
            }
        }

        impl<'de $($(, $param: ::serde::Deserialize<'de>)+)?>
            ::serde::Deserialize<'de> for $name $(<$($param),+>)?
        where
            Self: ::core::default::Default,
        {
            fn deserialize<__D: ::serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> ::core::result::Result<Self, __D::Error> {
                $crate::de::deserialize(deserializer)
            }
        }
    };
    (@read $place:expr, $value:ident) => {
        $place = $value.read()?
    };
    (@read $place:expr, $value:ident, $(:: $with:ident)+) => {
        $place = $value.read::<$(:: $with)+::Read>()?.0
    };
    (@read $place:expr, $value:ident, or default) => {
        $place = $value
            .read::<::core::option::Option<_>>()?
            .unwrap_or_default()
    };
}

/// Asserts that `value` writes a member for each of `fields` and no other, and reads back
/// equal to itself with its member names (at any depth) as written, in PascalCase and in
/// capitals, with an unknown member first and last; and that `{}` reads as the default. Map
/// keys are renamed too, so the maps of `value` should have keys that no case changes (`"1"`).
#[cfg(test)]
pub(crate) fn assert_reads_names_in_any_case<T>(value: &T, fields: &[&str])
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + fmt::Debug + Default,
{
    use serde_json::Value;

    fn renamed(value: &Value, name: fn(&str) -> String) -> Value {
        match value {
            Value::Object(members) => members
                .iter()
                .map(|(k, v)| (name(k), renamed(v, name)))
                .collect(),
            Value::Array(items) => items.iter().map(|v| renamed(v, name)).collect(),
            other => other.clone(),
        }
    }
    fn pascal(name: &str) -> String {
        let mut chars = name.chars();
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }

    let written = serde_json::to_value(value).unwrap();
    let mut names: Vec<&str> = written
        .as_object()
        .into_iter()
        .flat_map(|o| o.keys().map(String::as_str))
        .collect();
    names.sort_unstable();
    let mut expected = fields.to_vec();
    expected.sort_unstable();
    assert_eq!(names, expected, "the members {written} should have");
    let cases: [fn(&str) -> String; 3] = [str::to_owned, pascal, str::to_uppercase];
    for name in cases {
        // Text, so that the order of members is the one written here.
        let mut members = vec![r#""unknownMember":{"x":[1,null]}"#.to_owned()];
        let Value::Object(named) = renamed(&written, name) else {
            panic!("{written} is not an object");
        };
        members.extend(
            named
                .iter()
                .map(|(k, v)| format!("{}:{v}", Value::from(k.as_str()))),
        );
        members.push(r#""lastUnknown":[{}]"#.to_owned());
        let json = format!("{{{}}}", members.join(","));
        let read: T = serde_json::from_str(&json).unwrap();
        assert_eq!(&read, value, "{json}");
    }
    assert_eq!(serde_json::from_str::<T>("{}").unwrap(), T::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Session {
        id: i64,
        display_name: Option<String>,
        tags: Vec<String>,
        page: Option<Page<u8>>,
    }

    crate::deserialize_fields! {
        Session {
            0: id = "id",
            1: display_name = "displayName",
            2: tags = "tags",
            3: page = "page",
        }
    }

    #[derive(Debug, Default, PartialEq)]
    struct Page<T> {
        results: Vec<T>,
    }

    crate::deserialize_fields! {
        Page<T> {
            0: results = "results",
        }
    }

    /// Type parameters named like the macro's own.
    #[derive(Debug, Default, PartialEq)]
    struct Pair<V, D> {
        value: V,
        deserializer: D,
    }

    crate::deserialize_fields! {
        Pair<V, D> {
            0: value = "value",
            1: deserializer = "deserializer",
        }
    }

    #[derive(Debug, Default, PartialEq)]
    struct Empty {}

    crate::deserialize_fields! {
        Empty {}
    }

    /// The forms the runtime's own DTOs use: a second name, and `null` as the default.
    #[derive(Debug, Default, PartialEq)]
    struct Status {
        error_code: Option<String>,
        errors: Vec<u8>,
        page: Page<u8>,
    }

    crate::deserialize_fields! {
        Status {
            0: error_code = "errorCode" | "error_code" | "code",
            1: errors = "errors" or default,
            2: page = "page" | "p" or default,
        }
    }

    fn read(json: &str) -> Result<Session, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn members_bind_to_fields_in_any_case_and_order() {
        let expected = Session {
            id: 7,
            display_name: Some("a".into()),
            tags: vec!["x".into()],
            page: Some(Page { results: vec![1] }),
        };
        for json in [
            r#"{"id":7,"displayName":"a","tags":["x"],"page":{"results":[1]}}"#,
            r#"{"Id":7,"DisplayName":"a","Tags":["x"],"Page":{"Results":[1]}}"#,
            r#"{"page":{"RESULTS":[1]},"TAGS":["x"],"displayname":"a","ID":7}"#,
        ] {
            assert_eq!(read(json).unwrap(), expected, "{json}");
        }
    }

    #[test]
    fn missing_members_are_defaults_and_unknown_ones_are_skipped() {
        assert_eq!(read("{}").unwrap(), Session::default());
        let s = read(r#"{"other":{"deep":[1,{"x":null}]},"id":3,"displayName":null}"#).unwrap();
        assert_eq!(
            s,
            Session {
                id: 3,
                ..Session::default()
            }
        );
    }

    #[test]
    fn type_parameters_may_have_any_name() {
        let pair: Pair<u8, bool> =
            serde_json::from_str(r#"{"Value":1,"deserializer":true}"#).unwrap();
        assert_eq!(
            pair,
            Pair {
                value: 1,
                deserializer: true
            }
        );
    }

    #[test]
    fn a_struct_without_fields_skips_every_member() {
        let empty: Empty = serde_json::from_str(r#"{"id":1,"x":{"y":[]}}"#).unwrap();
        assert_eq!(empty, Empty {});
    }

    #[test]
    fn aliases_name_fields_in_any_case_after_the_wire_names() {
        let expected = Status {
            error_code: Some("E".into()),
            errors: vec![1],
            page: Page { results: vec![2] },
        };
        for json in [
            r#"{"errorCode":"E","errors":[1],"page":{"results":[2]}}"#,
            r#"{"error_code":"E","Errors":[1],"P":{"Results":[2]}}"#,
            r#"{"ERROR_CODE":"E","ERRORS":[1],"p":{"RESULTS":[2]}}"#,
            r#"{"Code":"E","errors":[1],"p":{"results":[2]}}"#,
        ] {
            let s: Status = serde_json::from_str(json).unwrap();
            assert_eq!(s, expected, "{json}");
        }
        // An alias is one more name for its field: the last one read wins.
        let s: Status = serde_json::from_str(r#"{"code":"a","errorCode":"b"}"#).unwrap();
        assert_eq!(s.error_code.as_deref(), Some("b"));
        assert_eq!(Status::ALIASES, [("error_code", 0), ("code", 0), ("p", 2)]);
        assert_eq!(Session::ALIASES, []);
        // A sequence holds the wire names' fields only.
        let s: Status = serde_json::from_str(r#"["E",[1],{"results":[2]}]"#).unwrap();
        assert_eq!(s, expected);
    }

    #[test]
    fn or_default_reads_null_as_the_default() {
        let s: Status = serde_json::from_str(r#"{"errors":null,"page":null}"#).unwrap();
        assert_eq!(s, Status::default());
        let err = serde_json::from_str::<Status>(r#"{"errors":{}}"#).unwrap_err();
        assert!(err.to_string().contains("expected a sequence"), "{err}");
        // Without `or default` a null is still a wrong value.
        assert!(serde_json::from_str::<Session>(r#"{"tags":null}"#).is_err());
    }

    #[test]
    fn a_member_named_twice_keeps_its_last_value() {
        assert_eq!(read(r#"{"id":1,"ID":2}"#).unwrap().id, 2);
    }

    #[test]
    fn a_wrong_value_names_what_was_expected() {
        let err = read(r#"{"id":"seven"}"#).unwrap_err().to_string();
        assert!(
            err.contains("invalid type: string \"seven\", expected i64"),
            "{err}"
        );
        let err = read("[1]").unwrap_err().to_string();
        assert!(
            err.contains("invalid length 1, expected struct Session"),
            "{err}"
        );
        let err = read("3").unwrap_err().to_string();
        assert!(err.contains("expected struct Session"), "{err}");
    }

    #[test]
    fn a_sequence_holds_the_fields_in_order() {
        let s = read(r#"[5,"b",["t"],null]"#).unwrap();
        assert_eq!(
            s,
            Session {
                id: 5,
                display_name: Some("b".into()),
                tags: vec!["t".into()],
                page: None,
            }
        );
    }

    #[test]
    fn members_named_by_index_or_bytes_bind_too() {
        use serde::de::value::{BorrowedBytesDeserializer, Error, MapDeserializer};
        let entries = vec![(0u64, 9i64)];
        let s = Session::deserialize(MapDeserializer::<_, Error>::new(entries.into_iter()));
        assert_eq!(s.unwrap().id, 9);
        let key = Key {
            names: &Names {
                fields: &["id", "displayName"],
                aliases: &[],
            },
            next: 0,
        };
        let found = key.deserialize(BorrowedBytesDeserializer::<Error>::new(b"DISPLAYNAME"));
        assert_eq!(found.unwrap(), Some(1));
        let key = Key {
            names: &Names {
                fields: &["id"],
                aliases: &[("ident", 0)],
            },
            next: 0,
        };
        let alias = key.deserialize(BorrowedBytesDeserializer::<Error>::new(b"IDENT"));
        assert_eq!(alias.unwrap(), Some(0));
        let key = Key {
            names: &Names {
                fields: &["id"],
                aliases: &[],
            },
            next: 0,
        };
        let invalid = key.deserialize(BorrowedBytesDeserializer::<Error>::new(b"\xff"));
        assert_eq!(invalid.unwrap(), None);
    }

    #[test]
    fn same_bytes_answers_as_slice_equality() {
        let alphabet = [b'a', b'b', b'A'];
        for n in 0..=20 {
            let base: Vec<u8> = (0..n).map(|i| b"abcdefghijklmnopqrstu"[i]).collect();
            assert!(same_bytes(&base, &base), "{n}");
            for at in 0..n {
                for &c in &alphabet {
                    let mut other = base.clone();
                    other[at] = c;
                    assert_eq!(same_bytes(&base, &other), base == other, "{n} {at} {c}");
                }
            }
            assert!(!same_bytes(&base, &base[..n.saturating_sub(1)]) || n == 0);
        }
    }

    #[test]
    fn field_named_from_any_start_names_the_same_field() {
        // Names that differ only in case, and one twice, so that a repeat changes nothing.
        let fields = [
            "DisplayName",
            "displayName",
            "Channel",
            "channel",
            "ID",
            "Id",
            "id",
            "x",
            "x",
        ];
        for key in [
            "displayName",
            "DisplayName",
            "DISPLAYNAME",
            "channel",
            "CHANNEL",
            "Id",
            "iD",
            "x",
            "X",
            "",
            "missing",
            "\u{212A}ey",
        ] {
            let named = field_named_from(key, &fields, 0).map(|i| fields[i]);
            for start in 0..=fields.len() + 1 {
                let found = field_named_from(key, &fields, start).map(|i| fields[i]);
                assert_eq!(found, named, "{key:?} from {start}");
            }
        }
        assert_eq!(field_named_from("iD", &fields, 0), Some(4));
        assert_eq!(field_named_from("id", &fields, 7), Some(6));
        assert_eq!(field_named_from("KEY", &["\u{212A}ey"], 0), Some(0));
    }

    #[cfg(feature = "server")]
    #[test]
    fn field_named_next_answers_as_field_named_from() {
        let fields = [
            "id",
            "ID",
            "name",
            "displayName",
            "x",
            "x",
            "longerThanEight",
        ];
        for key in [
            "id",
            "ID",
            "Id",
            "name",
            "NAME",
            "displayname",
            "displayName",
            "x",
            "X",
            "longerThanEight",
            "LONGERTHANEIGHT",
            "",
            "missing",
        ] {
            for next in 0..=fields.len() + 1 {
                assert_eq!(
                    field_named_next(key, &fields, next),
                    field_named_from(key, &fields, next),
                    "{key:?} at {next}"
                );
            }
        }
    }
}
