//! Building a request DTO from an HTTP request, as ServiceStack's request binder does.
//!
//! The DTO's fields come from three places, later ones winning: the body (JSON whatever the
//! `Content-Type` says, form fields when it says `application/x-www-form-urlencoded`, or the
//! fields and files of a `multipart/form-data` body), the query string, and the route's path
//! variables. Names match the DTO's wire names
//! case-insensitively, an exact match winning, at every level of a JSON body.
//!
//! Query and path values are text; they are read by what the target field expects, through a
//! serde `Deserializer` over the text: numbers and booleans are parsed, lists are JSV lists
//! (`a,b` or `[a,b]`, see [`split_list`]), structs and maps are JSON or JSV objects
//! (`{k:v}`), enums their member name. A bare key (`?x`) is null: `None` for an optional
//! field and the type's empty value (`0`, `false`, `""`, an empty list) otherwise, as if the
//! field were absent; an empty value (`?x=`) is `None` for an optional field too. A JSON body
//! may send numbers and booleans as strings (`"page":"2"`), as ServiceStack's serializer
//! accepts them.
//!
//! An uploaded file binds to the field named like its form part: to an
//! [`HttpFile`](crate::HttpFile) as it is (its content stays where the server put it, in
//! memory or in a temporary file), as its bytes to a bytes field ([`Bytes`](crate::Bytes), what
//! a .NET `Stream` or `byte[]` becomes; a spooled file is read into memory), as
//! `{name, fileName, contentType, contentLength, content}` to another struct, and every file of
//! that name to a list.

use std::borrow::Cow;
use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use serde::forward_to_deserialize_any;
use serde_json::Value;

use super::{caseless, pairs};
use crate::de::field_named;
use crate::jsv::{split_list, split_object};
use crate::query::decode_component;
use crate::HttpFile;
use ssdto_protocol::eq_ignore_case;

/// The parts of an HTTP request a DTO is built from.
#[derive(Debug, Clone, Copy, Default)]
pub struct RawRequest<'a> {
    /// The body as received; empty for none.
    pub body: &'a [u8],
    /// The `Content-Type` header, if any.
    pub content_type: Option<&'a str>,
    /// The query string, without the `?`.
    pub query: Option<&'a str>,
    /// Path variables a route template bound, decoded, by template name.
    pub path: &'a [(String, String)],
    /// The text fields of a `multipart/form-data` body (`body` is then empty).
    pub form: &'a [(String, String)],
    /// The files of a `multipart/form-data` body.
    pub files: &'a [HttpFile],
}

/// Why a request could not be bound to its DTO.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The body is not JSON, or not a JSON object.
    #[error("the request body is not a JSON object: {message}")]
    Body {
        /// What is wrong with it.
        message: String,
    },
    /// A value does not fit the DTO.
    #[error("{}", field_message(field.as_deref(), message))]
    Field {
        /// The field as a dotted path of wire names (`filter.ids[1]`), where known.
        field: Option<String>,
        /// What is wrong with the value.
        message: String,
    },
}

fn field_message(field: Option<&str>, message: &str) -> String {
    match field {
        Some(field) => format!("{field}: {message}"),
        None => message.to_owned(),
    }
}

/// Builds `R` from `raw`: body fields, then query fields, then path variables, later ones
/// winning. Names match case-insensitively; query and path text is parsed as each field
/// expects (see the [`server`](super) module docs).
///
/// ```
/// use ssdto::server::{decode, RawRequest};
///
/// #[derive(serde::Deserialize, Default)]
/// #[serde(rename_all = "camelCase", default)]
/// struct ListSessions { page: i32, account_ids: Option<Vec<String>>, include_ended: bool }
///
/// let raw = RawRequest {
///     query: Some("Page=2&accountIds=[a,b]&includeEnded=true"),
///     ..RawRequest::default()
/// };
/// let req: ListSessions = decode(&raw).unwrap();
/// assert_eq!(req.page, 2);
/// assert_eq!(req.account_ids.unwrap(), ["a", "b"]);
/// assert!(req.include_ended);
/// ```
pub fn decode<R: DeserializeOwned>(raw: &RawRequest<'_>) -> Result<R, DecodeError> {
    match decode_fast(raw) {
        Some(request) => Ok(request),
        None => decode_tree(raw),
    }
}

/// [`decode`]'s fast paths alone: `None` where they leave the request (and every error) to
/// [`decode_tree`]. Public for the differential tests only.
#[doc(hidden)]
pub fn decode_fast<R: DeserializeOwned>(raw: &RawRequest<'_>) -> Option<R> {
    if !raw.form.is_empty() || !raw.files.is_empty() {
        return None;
    }
    let body = raw.body.trim_ascii();
    if body.is_empty() {
        // Only the URL's text: read straight from its pairs.
        return pairs::from_pairs(raw.query, raw.path);
    }
    // Nothing to merge into a JSON object body: read it straight from the bytes.
    if body.starts_with(b"{")
        && raw.path.is_empty()
        && raw
            .query
            .is_none_or(|q| pairs::query_pairs(q).next().is_none())
    {
        return caseless::from_body(body);
    }
    None
}

/// [`decode`] through a tree of every source's named values, for any request. Public for the
/// differential tests only.
#[doc(hidden)]
pub fn decode_tree<R: DeserializeOwned>(raw: &RawRequest<'_>) -> Result<R, DecodeError> {
    let body = raw.body.trim_ascii();
    let mut entries: Vec<(String, Node)> = Vec::new();
    let form = raw.content_type.is_some_and(|ct| {
        ct.trim_start()
            .to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
    });
    if form && !body.starts_with(b"{") {
        entries.extend(query_entries(&String::from_utf8_lossy(body)));
    } else if !body.is_empty() {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => {
                entries.extend(map.into_iter().map(|(k, v)| (k, Node::Json(v))))
            }
            Ok(Value::Null) => {}
            Ok(other) => {
                return Err(DecodeError::Body {
                    message: format!("found {}", json_kind(&other)),
                })
            }
            Err(e) => {
                return Err(DecodeError::Body {
                    message: e.to_string(),
                })
            }
        }
    }
    entries.extend(
        raw.form
            .iter()
            .map(|(name, value)| (name.clone(), Node::Text(value.clone()))),
    );
    for file in raw.files {
        match entries
            .iter_mut()
            .find(|(n, _)| eq_ignore_case(n, &file.name))
        {
            Some((_, Node::Files(files))) => files.push(file.clone()),
            _ => entries.push((file.name.clone(), Node::Files(vec![file.clone()]))),
        }
    }
    if let Some(query) = raw.query {
        entries.extend(query_entries(query));
    }
    entries.extend(
        raw.path
            .iter()
            .map(|(name, value)| (name.clone(), Node::Text(value.clone()))),
    );
    from_entries(entries)
}

/// Builds `R` from one JSON value, as an element of an AutoBatch array: an object's fields, or
/// nothing for `null`.
pub(crate) fn decode_value<R: DeserializeOwned>(value: Value) -> Result<R, DecodeError> {
    match value {
        Value::Object(map) => {
            from_entries(map.into_iter().map(|(k, v)| (k, Node::Json(v))).collect())
        }
        Value::Null => from_entries(Vec::new()),
        other => Err(DecodeError::Body {
            message: format!("found {}", json_kind(&other)),
        }),
    }
}

fn from_entries<R: DeserializeOwned>(entries: Vec<(String, Node)>) -> Result<R, DecodeError> {
    R::deserialize(Fields(entries)).map_err(|e| DecodeError::Field {
        field: e.field(),
        message: e.message,
    })
}

/// Query pairs in order; a bare key is null, and a repeated key (compared case-insensitively)
/// has its values joined with `,`, as ASP.NET joins them, so `?id=a&id=b` is the list `a,b`.
fn query_entries(query: &str) -> Vec<(String, Node)> {
    let mut out: Vec<(String, Node)> = Vec::new();
    for (name, value) in pairs::query_pairs(query) {
        let name = decode_component(name);
        let value = value.map_or(Node::Null, |value| Node::Text(decode_component(value)));
        match out.iter_mut().find(|(n, _)| eq_ignore_case(n, &name)) {
            Some((_, existing)) => match (existing, value) {
                (Node::Text(old), Node::Text(new)) => {
                    old.push(',');
                    old.push_str(&new);
                }
                (slot @ Node::Null, value) => *slot = value,
                (_, _) => {}
            },
            None => out.push((name, value)),
        }
    }
    out
}

pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One value on its way into the DTO.
#[derive(Debug, Clone)]
enum Node {
    /// From a JSON body.
    Json(Value),
    /// From the query string, a form body or the path: parsed as the target expects.
    Text(String),
    /// A bare query key.
    Null,
    /// The uploaded files of one form part name (at least one).
    Files(Vec<HttpFile>),
}

/// Where in the DTO an error happened.
#[derive(Debug, Clone)]
enum PathPart {
    Key(String),
    Index(usize),
}

/// The serde error of decoding, with the path to the failing value, innermost part first.
#[derive(Debug)]
pub(super) struct Error {
    path: Vec<PathPart>,
    message: String,
}

impl Error {
    fn at(mut self, part: PathPart) -> Self {
        self.path.push(part);
        self
    }

    fn field(&self) -> Option<String> {
        if self.path.is_empty() {
            return None;
        }
        let mut out = String::new();
        for part in self.path.iter().rev() {
            match part {
                PathPart::Key(key) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                PathPart::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        Some(out)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error {
            path: Vec::new(),
            message: msg.to_string(),
        }
    }

    // Name the field itself, so the 400 carries it as `fieldName`.
    fn missing_field(field: &'static str) -> Self {
        Error {
            path: vec![PathPart::Key(field.to_owned())],
            message: format!("missing field `{field}`"),
        }
    }
}

/// The name `key` takes in a struct with `fields`: the field it names, else `key` as it is
/// (for serde to ignore or reject).
fn canonical(key: String, fields: &'static [&'static str]) -> String {
    match field_named(&key, fields) {
        Some(i) if fields[i] != key => fields[i].to_owned(),
        _ => key,
    }
}

/// Renames entries to the struct's field names and keeps the last value of each name.
fn merge(
    entries: Vec<(String, Node)>,
    fields: Option<&'static [&'static str]>,
) -> Vec<(String, Node)> {
    let mut out: Vec<(String, Node)> = Vec::with_capacity(entries.len());
    for (key, node) in entries {
        let key = match fields {
            Some(fields) => canonical(key, fields),
            None => key,
        };
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = node,
            None => out.push((key, node)),
        }
    }
    out
}

/// The top level: named entries from every source.
struct Fields(Vec<(String, Node)>);

impl<'de> de::Deserializer<'de> for Fields {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_map(Entries::new(merge(self.0, None)))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_map(Entries::new(merge(self.0, Some(fields))))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

/// Map access over named nodes; errors get the key they happened under.
struct Entries {
    iter: std::vec::IntoIter<(String, Node)>,
    value: Option<(String, Node)>,
}

impl Entries {
    fn new(entries: Vec<(String, Node)>) -> Self {
        Entries {
            iter: entries.into_iter(),
            value: None,
        }
    }
}

impl<'de> MapAccess<'de> for Entries {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.iter.next() {
            Some((key, node)) => {
                let k = seed
                    .deserialize(key.clone().into_deserializer())
                    .map_err(|e: Error| e.at(PathPart::Key(key.clone())))?;
                self.value = Some((key, node));
                Ok(Some(k))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        let (key, node) = self
            .value
            .take()
            .ok_or_else(|| <Error as de::Error>::custom("a value was asked for before its key"))?;
        seed.deserialize(node).map_err(|e| e.at(PathPart::Key(key)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// Sequence access over nodes; errors get the element's index.
struct Elements {
    iter: std::iter::Enumerate<std::vec::IntoIter<Node>>,
}

impl<'de> SeqAccess<'de> for Elements {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.iter.next() {
            Some((i, node)) => seed
                .deserialize(node)
                .map(Some)
                .map_err(|e| e.at(PathPart::Index(i))),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

fn elements(nodes: Vec<Node>) -> Elements {
    Elements {
        iter: nodes.into_iter().enumerate(),
    }
}

fn json_error(e: serde_json::Error) -> Error {
    <Error as de::Error>::custom(e)
}

/// A value from the query string, a form body or the path: text read as its target expects,
/// or null for a bare key (`?x`). The tree's `Node::Text` and `Node::Null` (and a JSON string
/// or null where a number, boolean, list or object is expected) are read through it, and so are
/// the values of the fast path for requests without a body (`pairs.rs`), so both read every
/// value alike.
pub(super) enum Text<'a> {
    Null,
    Str(Cow<'a, str>),
}

impl<'a> Text<'a> {
    fn visit_text<'de, V: Visitor<'de>>(
        text: Cow<'de, str>,
        visitor: V,
    ) -> Result<V::Value, Error> {
        match text {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_string(s),
        }
    }

    /// A struct or map: text holding a JSV or JSON object; null is an empty one.
    fn object<'de, V: Visitor<'de>>(
        self,
        fields: Option<&'static [&'static str]>,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let entries = match self {
            Text::Null => Vec::new(),
            Text::Str(s) => text_object(&s)
                .ok_or_else(|| de::Error::invalid_value(de::Unexpected::Str(&s), &visitor))?,
        };
        visitor.visit_map(Entries::new(merge(entries, fields)))
    }
}

/// Parses integers and floats from text; `""` and null are the empty value, 0.
macro_rules! parse_number {
    ($($method:ident => $visit:ident: $ty:ty,)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                let Text::Str(s) = self else {
                    return visitor.$visit(<$ty>::default());
                };
                let t = s.trim();
                if t.is_empty() {
                    return visitor.$visit(<$ty>::default());
                }
                match t.parse::<$ty>() {
                    Ok(n) => visitor.$visit(n),
                    Err(_) => Err(de::Error::invalid_value(de::Unexpected::Str(&s), &visitor)),
                }
            }
        )*
    };
}

/// The `Deserializer` methods [`Text`] and [`Node`] answer alike: characters, strings and
/// identifiers as `deserialize_str`, bytes as `deserialize_any`, tuples as sequences, maps and
/// structs through their `object`, ignored values as unit.
macro_rules! forward_like_text {
    () => {
        fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.deserialize_str(visitor)
        }

        fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.deserialize_str(visitor)
        }

        fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.deserialize_str(visitor)
        }

        fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.deserialize_any(visitor)
        }

        fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.deserialize_any(visitor)
        }

        fn deserialize_tuple<V: Visitor<'de>>(
            self,
            _len: usize,
            visitor: V,
        ) -> Result<V::Value, Error> {
            self.deserialize_seq(visitor)
        }

        fn deserialize_tuple_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            _len: usize,
            visitor: V,
        ) -> Result<V::Value, Error> {
            self.deserialize_seq(visitor)
        }

        fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.object(None, visitor)
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, Error> {
            self.object(Some(fields), visitor)
        }

        fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            visitor.visit_unit()
        }
    };
}

impl<'de> de::Deserializer<'de> for Text<'de> {
    type Error = Error;

    forward_like_text!();

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Text::Null => visitor.visit_unit(),
            Text::Str(s) => Text::visit_text(s, visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let Text::Str(s) = self else {
            return visitor.visit_bool(false);
        };
        match s.trim() {
            "" => visitor.visit_bool(false),
            t if t.eq_ignore_ascii_case("true") || t == "1" => visitor.visit_bool(true),
            t if t.eq_ignore_ascii_case("false") || t == "0" => visitor.visit_bool(false),
            _ => Err(de::Error::invalid_value(de::Unexpected::Str(&s), &visitor)),
        }
    }

    parse_number! {
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_i128 => visit_i128: i128,
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
        deserialize_u128 => visit_u128: u128,
        deserialize_f32 => visit_f32: f32,
        deserialize_f64 => visit_f64: f64,
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Text::Null => visitor.visit_str(""),
            Text::Str(s) => Text::visit_text(s, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Text::Null => visitor.visit_none(),
            Text::Str(s) if s.is_empty() => visitor.visit_none(),
            text => visitor.visit_some(text),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Text::Null => visitor.visit_seq(elements(Vec::new())),
            Text::Str(s) => {
                let items = split_list(&s).map_err(de::Error::custom)?;
                visitor.visit_seq(elements(items.into_iter().map(Node::Text).collect()))
            }
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Text::Str(Cow::Owned(s)) => visitor.visit_enum(s.into_deserializer()),
            Text::Str(Cow::Borrowed(s)) => {
                visitor.visit_enum(de::value::BorrowedStrDeserializer::new(s))
            }
            Text::Null => Err(de::Error::invalid_type(de::Unexpected::Unit, &visitor)),
        }
    }
}

/// A JSON number or boolean read as JSON reads it; JSON text and null as [`Text`] reads them.
macro_rules! lenient_scalar {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                match self.text() {
                    Ok(text) => text.$method(visitor),
                    Err(NotText::Json(v)) => v.$method(visitor).map_err(json_error),
                    Err(NotText::Files(_)) => Err(not_a_file(&visitor)),
                }
            }
        )*
    };
}

/// A node that does not read as [`Text`].
enum NotText {
    /// Neither a string nor null.
    Json(Value),
    Files(Vec<HttpFile>),
}

impl Node {
    /// The node as [`Text`] where it reads as text does: query, form and path values, and a
    /// JSON string or null where the target expects a number, boolean, list or object.
    fn text(self) -> Result<Text<'static>, NotText> {
        match self {
            Node::Null | Node::Json(Value::Null) => Ok(Text::Null),
            Node::Text(s) | Node::Json(Value::String(s)) => Ok(Text::Str(Cow::Owned(s))),
            Node::Json(v) => Err(NotText::Json(v)),
            Node::Files(files) => Err(NotText::Files(files)),
        }
    }
}

impl<'de> de::Deserializer<'de> for Node {
    type Error = Error;

    forward_like_text!();

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Null => Text::Null.deserialize_any(visitor),
            Node::Text(s) => Text::Str(Cow::Owned(s)).deserialize_any(visitor),
            Node::Json(Value::Array(items)) => {
                visitor.visit_seq(elements(items.into_iter().map(Node::Json).collect()))
            }
            Node::Json(Value::Object(map)) => visitor.visit_map(Entries::new(
                map.into_iter().map(|(k, v)| (k, Node::Json(v))).collect(),
            )),
            Node::Json(v) => v.deserialize_any(visitor).map_err(json_error),
            Node::Files(files) if files.len() == 1 => {
                let content = files[0].bytes().map_err(|e| {
                    de::Error::custom(format_args!("the uploaded file cannot be read: {e}"))
                })?;
                visitor.visit_byte_buf(content.into_owned())
            }
            Node::Files(files) => visitor.visit_seq(elements(single_files(files))),
        }
    }

    lenient_scalar! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Null => Text::Null.deserialize_str(visitor),
            Node::Text(s) => Text::Str(Cow::Owned(s)).deserialize_str(visitor),
            Node::Json(v) => v.deserialize_str(visitor).map_err(json_error),
            Node::Files(_) => Err(not_a_file(&visitor)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Null | Node::Json(Value::Null) => visitor.visit_none(),
            Node::Text(s) if s.is_empty() => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Json(v) => v.deserialize_unit(visitor).map_err(json_error),
            _ => visitor.visit_unit(),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            // An `HttpFile`'s content goes over as it is, spooled or not (see `file::hand_over`).
            Node::Files(mut files) if name == crate::file::HANDOVER && files.len() == 1 => {
                crate::file::hand_over(files.remove(0).content, || visitor.visit_unit())
            }
            node => visitor.visit_newtype_struct(node),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.text() {
            Ok(text) => text.deserialize_seq(visitor),
            Err(NotText::Json(Value::Array(items))) => {
                visitor.visit_seq(elements(items.into_iter().map(Node::Json).collect()))
            }
            Err(NotText::Files(files)) => visitor.visit_seq(elements(single_files(files))),
            Err(NotText::Json(v)) => v.deserialize_seq(visitor).map_err(json_error),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Node::Text(s) => Text::Str(Cow::Owned(s)).deserialize_enum(name, variants, visitor),
            Node::Null => Text::Null.deserialize_enum(name, variants, visitor),
            Node::Files(_) => Err(not_a_file(&visitor)),
            Node::Json(v) => v
                .deserialize_enum(name, variants, visitor)
                .map_err(json_error),
        }
    }
}

impl Node {
    /// A struct or map: a JSON object, or text holding a JSON or JSV object.
    fn object<'de, V: Visitor<'de>>(
        self,
        fields: Option<&'static [&'static str]>,
        visitor: V,
    ) -> Result<V::Value, Error> {
        let entries = match self.text() {
            Ok(text) => return text.object(fields, visitor),
            Err(NotText::Json(Value::Object(map))) => {
                map.into_iter().map(|(k, v)| (k, Node::Json(v))).collect()
            }
            Err(NotText::Files(mut files)) => file_entries(files.remove(0)),
            Err(NotText::Json(other)) => {
                return Err(de::Error::invalid_type(unexpected(&other), &visitor));
            }
        };
        visitor.visit_map(Entries::new(merge(entries, fields)))
    }
}

fn not_a_file(expected: &dyn de::Expected) -> Error {
    de::Error::invalid_type(de::Unexpected::Other("an uploaded file"), expected)
}

fn single_files(files: Vec<HttpFile>) -> Vec<Node> {
    files.into_iter().map(|f| Node::Files(vec![f])).collect()
}

/// A file as a struct: the members of .NET's `IHttpFile` (`InputStream` as `content`).
fn file_entries(file: HttpFile) -> Vec<(String, Node)> {
    let mut out = vec![
        ("name".to_owned(), Node::Text(file.name.clone())),
        ("fileName".to_owned(), Node::Text(file.file_name.clone())),
        (
            "contentLength".to_owned(),
            Node::Text(file.content_length.to_string()),
        ),
    ];
    if let Some(content_type) = &file.content_type {
        out.push(("contentType".to_owned(), Node::Text(content_type.clone())));
    }
    out.push(("content".to_owned(), Node::Files(vec![file])));
    out
}

fn unexpected(value: &Value) -> de::Unexpected<'_> {
    match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(_) => de::Unexpected::Other("a number"),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

/// The entries of an object written as text: JSV (`{k:v,k2:"a,b"}`), as ServiceStack reads
/// query values and as clients write them, else JSON (`{"k":"v\n"}`).
///
/// JSV goes first because much JSV is also valid JSON with another meaning: `{"":0}` (a string
/// `0`) or `"]\\"` (two backslashes, JSV has no escapes) would change value if read as JSON.
fn text_object(text: &str) -> Option<Vec<(String, Node)>> {
    let trimmed = text.trim();
    jsv_object(trimmed).or_else(|| match serde_json::from_str::<Value>(trimmed) {
        Ok(Value::Object(map)) => Some(map.into_iter().map(|(k, v)| (k, Node::Json(v))).collect()),
        _ => None,
    })
}

fn jsv_object(trimmed: &str) -> Option<Vec<(String, Node)>> {
    let entries = split_object(trimmed).ok()?;
    Some(
        entries
            .into_iter()
            .map(|(key, value)| (key, Node::Text(value)))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
    enum Order {
        #[default]
        Ascend,
        Descend,
    }

    #[derive(Debug, Default, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase", default)]
    struct Inner {
        name: Option<String>,
        count: i32,
    }

    #[derive(Debug, Default, PartialEq, Deserialize)]
    #[serde(rename_all = "camelCase", default)]
    struct List {
        session_id: String,
        page: i32,
        count_per_page: Option<u16>,
        include_ended: bool,
        account_ids: Option<Vec<String>>,
        numbers: Vec<i64>,
        ratio: f64,
        sort_order: Order,
        from: Option<String>,
        inner: Option<Inner>,
        filter: Option<BTreeMap<String, String>>,
        nested: Vec<Vec<i32>>,
    }

    fn query(q: &str) -> Result<List, DecodeError> {
        decode(&RawRequest {
            query: Some(q),
            ..RawRequest::default()
        })
    }

    /// Found by the `server_decode` fuzz target: JSV map text that is also valid JSON was read
    /// with JSON's rules, so `{"":0}` failed (a number for a string) and `"]\\"` lost a
    /// backslash. The client's own encoding must always decode back.
    #[test]
    fn jsv_objects_that_look_like_json_keep_their_jsv_meaning() {
        #[derive(Debug, PartialEq, serde::Serialize, Deserialize, Default)]
        #[serde(default)]
        struct Maps {
            map: BTreeMap<String, String>,
        }
        let sent = Maps {
            map: BTreeMap::from([
                (String::new(), "0".to_owned()),
                ("]".to_owned(), "a\\\\b".to_owned()),
                ("k".to_owned(), "x,\"y\"".to_owned()),
            ]),
        };
        let query = crate::query::to_query_string(&sent, &[]).unwrap();
        let back: Maps = decode(&RawRequest {
            query: Some(&query),
            ..RawRequest::default()
        })
        .unwrap_or_else(|e| panic!("{query}: {e}"));
        assert_eq!(back, sent, "{query}");
        // JSV has no escapes: a backslash is text, as ServiceStack reads it.
        let jsv: Maps = decode(&RawRequest {
            query: Some(r#"map={"a":"line\nbreak"}"#),
            ..RawRequest::default()
        })
        .unwrap();
        assert_eq!(jsv.map["a"], "line\\nbreak");
        // JSON that is not JSV (an escaped quote) is still read as JSON.
        let json: Maps = decode(&RawRequest {
            query: Some(r#"map={"a":"say \"hi\""}"#),
            ..RawRequest::default()
        })
        .unwrap();
        assert_eq!(json.map["a"], "say \"hi\"");
    }

    #[test]
    fn query_text_becomes_typed_fields() {
        let req = query(
            "page=2&countPerPage=50&accountIds=a,b&includeEnded=true&numbers=[1,-2]&ratio=0.5\
             &sortOrder=Descend&nested=[[1,2],[3]]",
        )
        .unwrap();
        assert_eq!(req.page, 2);
        assert_eq!(req.count_per_page, Some(50));
        assert_eq!(
            req.account_ids.as_deref(),
            Some(&["a".to_owned(), "b".into()][..])
        );
        assert!(req.include_ended);
        assert_eq!(req.numbers, [1, -2]);
        assert_eq!(req.ratio, 0.5);
        assert_eq!(req.sort_order, Order::Descend);
        assert_eq!(req.nested, [vec![1, 2], vec![3]]);
    }

    #[test]
    fn keys_match_case_insensitively_and_repeats_join() {
        let req = query("PAGE=3&AccountIDs=%22x,y%22&accountids=z&IncludeEnded=1").unwrap();
        assert_eq!(req.page, 3);
        assert_eq!(req.account_ids.unwrap(), ["x,y", "z"]);
        assert!(req.include_ended);
    }

    #[test]
    fn bare_key_is_null_and_empty_value_is_none() {
        let req = query("from&accountIds&page&includeEnded&inner").unwrap();
        assert_eq!(req.from, None);
        assert_eq!(req.account_ids, None);
        assert_eq!(req.page, 0);
        assert!(!req.include_ended);
        assert_eq!(req.inner, None);
        let req = query("from=&countPerPage=&page=").unwrap();
        assert_eq!(req.from, None);
        assert_eq!(req.count_per_page, None);
        assert_eq!(req.page, 0);
    }

    #[test]
    fn objects_in_text_as_jsv_or_json() {
        let req = query("inner={name:%22a,b%22,count:4}&filter={k:v,k2:[1,2]}").unwrap();
        assert_eq!(
            req.inner,
            Some(Inner {
                name: Some("a,b".into()),
                count: 4
            })
        );
        let filter = req.filter.unwrap();
        assert_eq!(filter["k2"], "[1,2]");
        let req = query("inner=%7B%22Name%22%3A%22j%22%7D").unwrap();
        assert_eq!(req.inner.unwrap().name.as_deref(), Some("j"));
        assert!(query("inner={name:%22open}").is_err());
        assert!(query("inner=plain").is_err());
    }

    #[test]
    fn body_then_query_then_path() {
        let path = [("SessionId".to_owned(), "from-path".to_owned())];
        let req: List = decode(&RawRequest {
            body: br#"{"sessionId":"from-body","Page":1,"from":"body","INNER":{"NAME":"n","count":"7"}}"#,
            content_type: Some("text/plain"),
            query: Some("page=9&sessionid=from-query"),
            path: &path,
            ..RawRequest::default()
        })
        .unwrap();
        assert_eq!(req.session_id, "from-path");
        assert_eq!(req.page, 9);
        assert_eq!(req.from.as_deref(), Some("body"));
        assert_eq!(
            req.inner,
            Some(Inner {
                name: Some("n".into()),
                count: 7
            })
        );
    }

    #[test]
    fn form_bodies_are_read_as_fields() {
        let req: List = decode(&RawRequest {
            body: b"page=4&accountIds=a,b",
            content_type: Some("application/x-www-form-urlencoded; charset=utf-8"),
            ..RawRequest::default()
        })
        .unwrap();
        assert_eq!(req.page, 4);
        assert_eq!(req.account_ids.unwrap().len(), 2);
    }

    #[test]
    fn errors_name_the_field() {
        let err = query("page=abc").unwrap_err();
        match &err {
            DecodeError::Field { field, message } => {
                assert_eq!(field.as_deref(), Some("page"));
                assert!(message.contains("abc"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let err = query("numbers=1,x").unwrap_err();
        assert!(matches!(err, DecodeError::Field { field: Some(f), .. } if f == "numbers[1]"));
        let err = query("includeEnded=maybe").unwrap_err();
        assert!(matches!(err, DecodeError::Field { field: Some(f), .. } if f == "includeEnded"));
        let err = query("accountIds=%22open").unwrap_err();
        assert!(matches!(err, DecodeError::Field { field: Some(f), .. } if f == "accountIds"));
        let err = query("countPerPage=70000").unwrap_err();
        assert!(matches!(err, DecodeError::Field { field: Some(f), .. } if f == "countPerPage"));
        let err: DecodeError = decode::<List>(&RawRequest {
            body: br#"{"inner":{"count":true}}"#,
            ..RawRequest::default()
        })
        .unwrap_err();
        assert!(matches!(err, DecodeError::Field { field: Some(f), .. } if f == "inner.count"));
    }

    #[test]
    fn missing_required_field_is_named() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Strict {
            id: String,
        }
        let err = decode::<Strict>(&RawRequest::default()).unwrap_err();
        assert_eq!(
            err,
            DecodeError::Field {
                field: Some("id".into()),
                message: "missing field `id`".into()
            }
        );
    }

    #[test]
    fn malformed_bodies_are_errors_not_panics() {
        for body in [&b"{"[..], b"[1,2]", b"\"x\"", b"\xff\xfe", b"{\"page\":}"] {
            let err = decode::<List>(&RawRequest {
                body,
                ..RawRequest::default()
            })
            .unwrap_err();
            assert!(matches!(err, DecodeError::Body { .. }), "{body:?}: {err:?}");
        }
        for body in [&b""[..], b"  \n", b"null", b"{}"] {
            assert_eq!(
                decode::<List>(&RawRequest {
                    body,
                    ..RawRequest::default()
                })
                .unwrap(),
                List::default()
            );
        }
    }

    #[test]
    fn json_values_and_untyped_targets() {
        let value: Value = decode(&RawRequest {
            body: br#"{"a":[1,{"b":null}]}"#,
            query: Some("q=text&bare"),
            ..RawRequest::default()
        })
        .unwrap();
        assert_eq!(
            value,
            serde_json::json!({"a":[1,{"b":null}],"q":"text","bare":null})
        );
    }
}
