//! Query strings for requests sent with GET and DELETE, written as ServiceStack's own client
//! writes them and read back as its server reads them.
//!
//! Each top-level field becomes one `name=value` pair, in field order:
//!
//! - `None` and unit fields are left out;
//! - strings go as they are (ServiceStack does not JSV-decode string properties);
//! - booleans are `true`/`false`, numbers use `Display` (`NaN`, `Infinity`, `-Infinity` as .NET
//!   spells them), enums their wire string or number;
//! - lists are JSV without the outer brackets (`accountIds=a,b`), an element holding a JSV
//!   delimiter (`,` `:` `"` `{` `}` `[` `]`, a line break, surrounding whitespace, or nothing at
//!   all) in double quotes with inner quotes doubled (`"a,b"`), an empty list `[]`, and a list
//!   whose first element is itself a list keeps its brackets (`[[1,2],[3]]`) because the server
//!   strips one pair only when the value starts with `[`;
//! - structs and maps are JSV objects, `{key:value,...}`, with null members left out.
//!
//! Names and values are then percent-encoded: everything but `A-Z a-z 0-9 - . _ ~` and the
//! `,` that separates list elements is escaped, so no value can start a new pair or end the
//! query. [`parse_query`] and [`split_list`] undo all of this.
//!
//! ```
//! #[derive(serde::Serialize)]
//! #[serde(rename_all = "camelCase")]
//! struct ListSessions {
//!     page: Option<i32>,
//!     account_ids: Option<Vec<String>>,
//!     include_ended: bool,
//! }
//!
//! let req = ListSessions {
//!     page: Some(2),
//!     account_ids: Some(vec!["a".into(), "b,c".into()]),
//!     include_ended: false,
//! };
//! let query = ssdto::query::to_query_string(&req, &[]).unwrap();
//! assert_eq!(query, "page=2&accountIds=a,%22b,c%22&includeEnded=false");
//!
//! let pairs = ssdto::query::parse_query(&query);
//! assert_eq!(pairs[1].1, r#"a,"b,c""#);
//! assert_eq!(ssdto::query::split_list(&pairs[1].1).unwrap(), ["a", "b,c"]);
//! ```

use std::borrow::Cow;

use serde::Serialize;
use ssdto_protocol::percent;

pub use crate::jsv::{split_list, JsvError};

/// What a query name or value keeps besides letters and digits: RFC 3986's unreserved
/// characters, and the list separator, which is legal in a query and keeps lists readable.
const QUERY_KEEPS: &[u8] = b"-._~,";

/// Why a request could not be turned into URL fields.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// The request did not serialize as a struct or map, so it has no named fields.
    #[error("a request must serialize as a struct or map, not {found}")]
    NotAStruct {
        /// What it serialized as instead.
        found: &'static str,
    },
    /// A map key had no text form.
    #[error("a map key in a request must have a text form, not {found}")]
    UnsupportedKey {
        /// What the key serialized as.
        found: &'static str,
    },
    /// A `Serialize` implementation reported an error.
    #[error("{0}")]
    Custom(String),
}

impl serde::ser::Error for QueryError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        QueryError::Custom(msg.to_string())
    }
}

/// Each top-level field of `request` as `(wire name, text)`, in field order, nulls left out and
/// nothing percent-encoded yet. The route filler binds variables from these.
pub fn fields<T: Serialize + ?Sized>(request: &T) -> Result<Vec<(String, String)>, QueryError> {
    crate::fields::collect(request)
}

/// The `Serializer` methods both direct writers leave to [`crate::fields`]: each answers
/// [`Direct::Other`].
macro_rules! other_kinds {
    // The scalars, for the request itself: what is not a struct or map is no request.
    (scalars) => {
        other_kinds!(scalar serialize_bool(bool), serialize_i8(i8), serialize_i16(i16),
            serialize_i32(i32), serialize_i64(i64), serialize_u8(u8), serialize_u16(u16),
            serialize_u32(u32), serialize_u64(u64), serialize_f32(f32), serialize_f64(f64),
            serialize_char(char), serialize_str(&str));
        fn serialize_unit_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
        ) -> Result<(), Direct> {
            Err(Direct::Other)
        }
    };
    (scalar $($method:ident($ty:ty)),*) => {
        $(fn $method(self, _: $ty) -> Result<(), Direct> {
            Err(Direct::Other)
        })*
    };
    ($ok:ty) => {
        fn serialize_bytes(self, _: &[u8]) -> Result<$ok, Direct> {
            Err(Direct::Other)
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<$ok, Direct> {
            Err(Direct::Other)
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Direct> {
            Err(Direct::Other)
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Direct> {
            Err(Direct::Other)
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, Direct> {
            Err(Direct::Other)
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Direct> {
            Err(Direct::Other)
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Direct> {
            Err(Direct::Other)
        }
    };
}

/// Writes `request` as a query string (without the leading `?`), leaving out the fields named
/// in `skip` (compared ASCII case-insensitively), which are normally those a route consumed.
///
/// See the [module docs](self) for how each value is written.
pub fn to_query_string<T: Serialize + ?Sized>(
    request: &T,
    skip: &[&str],
) -> Result<String, QueryError> {
    let mut out = String::new();
    append_query(&mut out, request, skip, None)?;
    Ok(out)
}

/// Percent-encodes `(name, value)` pairs into `name=value&...`.
pub fn encode_pairs<'a, I>(pairs: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut out = String::new();
    append_pairs(&mut out, pairs, None);
    out
}

/// Appends percent-encoded `name=value` pairs to `out`, the first after `lead` (`?` or `&`
/// after a path, nothing for a bare query string) and the others after `&`.
pub(crate) fn append_pairs<'a, I>(out: &mut String, pairs: I, lead: Option<char>)
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut pairs_out = Pairs::new(out, lead);
    for (name, value) in pairs {
        pairs_out.name(name);
        percent::encode_into(pairs_out.out, value, QUERY_KEEPS);
    }
}

/// Appends `request`'s query pairs to `out` as [`to_query_string`] writes them, the first
/// after `lead` (see [`append_pairs`]), leaving out the fields named in `skip`.
///
/// This is the client's hot path, so the fields of a struct go straight into `out`: a string,
/// number, boolean or enum value without any buffer of its own, other values (lists, maps,
/// floats) through [`crate::fields::render`]. A request that is not a struct goes through
/// [`fields`] whole. Either way the bytes are those of [`fields`] then [`encode_pairs`].
pub(crate) fn append_query<T: Serialize + ?Sized>(
    out: &mut String,
    request: &T,
    skip: &[&str],
    lead: Option<char>,
) -> Result<(), QueryError> {
    let start = out.len();
    let mut writer = Writer {
        pairs: Pairs::new(out, lead),
        skip,
    };
    let written = request.serialize(&mut writer);
    if written.is_ok() {
        return Ok(());
    }
    // Nothing half-written stays behind, whether `fields` takes over or this fails.
    out.truncate(start);
    if let Err(Direct::Query(e)) = written {
        return Err(e);
    }
    let fields = fields(request)?;
    append_pairs(
        out,
        fields.iter().filter_map(|(name, value)| {
            let skipped = skip.iter().any(|s| s.eq_ignore_ascii_case(name));
            (!skipped).then_some((name.as_str(), value.as_str()))
        }),
        lead,
    );
    Ok(())
}

/// Pairs being appended to a query string.
struct Pairs<'a> {
    out: &'a mut String,
    lead: Option<char>,
    written: bool,
}

impl<'a> Pairs<'a> {
    fn new(out: &'a mut String, lead: Option<char>) -> Self {
        Pairs {
            out,
            lead,
            written: false,
        }
    }

    /// Starts a pair: the separator, the encoded name and `=`; the caller appends the value.
    fn name(&mut self, name: &str) {
        match (self.written, self.lead) {
            (true, _) => self.out.push('&'),
            (false, Some(lead)) => self.out.push(lead),
            (false, None) => {}
        }
        percent::encode_into(self.out, name, QUERY_KEEPS);
        self.out.push('=');
        self.written = true;
    }
}

/// Why a value was not written straight into the query string.
#[derive(Debug)]
enum Direct {
    /// It is a kind of value only [`crate::fields`] renders; the caller falls back to it.
    Other,
    /// The value's `Serialize` implementation failed.
    Query(QueryError),
}

impl std::fmt::Display for Direct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Direct::Other => f.write_str("not a scalar"),
            Direct::Query(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Direct {}

impl serde::ser::Error for Direct {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Direct::Query(QueryError::Custom(msg.to_string()))
    }
}

/// Writes a struct request's fields as pairs; anything else is [`Direct::Other`].
struct Writer<'a, 's> {
    pairs: Pairs<'a>,
    skip: &'s [&'s str],
}

impl Writer<'_, '_> {
    fn field<V: Serialize + ?Sized>(&mut self, name: &str, value: &V) -> Result<(), Direct> {
        if self.skip.iter().any(|s| s.eq_ignore_ascii_case(name)) {
            return Ok(());
        }
        // What to go back to when the value turns out to be null or not a scalar.
        let (mark, written) = (self.pairs.out.len(), self.pairs.written);
        self.pairs.name(name);
        let rendered = match value.serialize(Scalar {
            out: &mut *self.pairs.out,
        }) {
            Ok(true) => return Ok(()),
            Ok(false) => None,
            Err(Direct::Other) => crate::fields::render(value).map_err(Direct::Query)?,
            Err(e @ Direct::Query(_)) => return Err(e),
        };
        self.pairs.out.truncate(mark);
        self.pairs.written = written;
        if let Some(text) = rendered {
            self.pairs.name(name);
            percent::encode_into(self.pairs.out, &text, QUERY_KEEPS);
        }
        Ok(())
    }
}

type NotHere = serde::ser::Impossible<(), Direct>;

impl serde::Serializer for &mut Writer<'_, '_> {
    type Ok = ();
    type Error = Direct;
    type SerializeSeq = NotHere;
    type SerializeTuple = NotHere;
    type SerializeTupleStruct = NotHere;
    type SerializeTupleVariant = NotHere;
    type SerializeMap = NotHere;
    type SerializeStruct = Self;
    type SerializeStructVariant = NotHere;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Direct> {
        Ok(self)
    }
    // As [`fields`]: a request with nothing to send has no fields, whatever shape it takes.
    fn serialize_none(self) -> Result<(), Direct> {
        Ok(())
    }
    fn serialize_unit(self) -> Result<(), Direct> {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Direct> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Direct> {
        value.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Direct> {
        value.serialize(self)
    }
    // Maps (`#[serde(flatten)]`) and what is not a request at all (an error there) are
    // left to `fields`.
    fn serialize_map(self, _: Option<usize>) -> Result<NotHere, Direct> {
        Err(Direct::Other)
    }
    other_kinds!(());
    other_kinds!(scalars);
}

impl serde::ser::SerializeStruct for &mut Writer<'_, '_> {
    type Ok = ();
    type Error = Direct;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Direct> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), Direct> {
        Ok(())
    }
}

/// Writes one field's value if it is a string, number (not a float, whose .NET spellings
/// [`crate::fields`] keeps), boolean or enum value: `Ok(true)` when written, `Ok(false)` for
/// null.
struct Scalar<'a> {
    out: &'a mut String,
}

impl Scalar<'_> {
    fn text(self, text: &str) -> Result<bool, Direct> {
        // A field's own string goes as it is (ServiceStack does not JSV-decode strings).
        percent::encode_into(self.out, text, QUERY_KEEPS);
        Ok(true)
    }

    fn number(self, n: impl std::fmt::Display) -> Result<bool, Direct> {
        use std::fmt::Write as _;
        // Digits and `-` need no escaping; writing to a String cannot fail.
        let _ = write!(self.out, "{n}");
        Ok(true)
    }
}

impl serde::Serializer for Scalar<'_> {
    type Ok = bool;
    type Error = Direct;
    type SerializeSeq = serde::ser::Impossible<bool, Direct>;
    type SerializeTuple = serde::ser::Impossible<bool, Direct>;
    type SerializeTupleStruct = serde::ser::Impossible<bool, Direct>;
    type SerializeTupleVariant = serde::ser::Impossible<bool, Direct>;
    type SerializeMap = serde::ser::Impossible<bool, Direct>;
    type SerializeStruct = serde::ser::Impossible<bool, Direct>;
    type SerializeStructVariant = serde::ser::Impossible<bool, Direct>;

    fn serialize_bool(self, v: bool) -> Result<bool, Direct> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(true)
    }
    fn serialize_i8(self, v: i8) -> Result<bool, Direct> {
        self.number(v)
    }
    fn serialize_i16(self, v: i16) -> Result<bool, Direct> {
        self.number(v)
    }
    fn serialize_i32(self, v: i32) -> Result<bool, Direct> {
        self.number(v)
    }
    fn serialize_i64(self, v: i64) -> Result<bool, Direct> {
        self.number(v)
    }
    fn serialize_i128(self, v: i128) -> Result<bool, Direct> {
        self.number(v)
    }
    fn serialize_u8(self, v: u8) -> Result<bool, Direct> {
        self.number(v)
    }
    fn serialize_u16(self, v: u16) -> Result<bool, Direct> {
        self.number(v)
    }
    fn serialize_u32(self, v: u32) -> Result<bool, Direct> {
        self.number(v)
    }
    fn serialize_u64(self, v: u64) -> Result<bool, Direct> {
        self.number(v)
    }
    fn serialize_u128(self, v: u128) -> Result<bool, Direct> {
        self.number(v)
    }
    fn serialize_char(self, v: char) -> Result<bool, Direct> {
        self.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<bool, Direct> {
        self.text(v)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<bool, Direct> {
        self.text(variant)
    }
    fn serialize_none(self) -> Result<bool, Direct> {
        Ok(false)
    }
    fn serialize_unit(self) -> Result<bool, Direct> {
        Ok(false)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<bool, Direct> {
        Ok(false)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<bool, Direct> {
        value.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<bool, Direct> {
        value.serialize(self)
    }
    fn serialize_f32(self, _: f32) -> Result<bool, Direct> {
        Err(Direct::Other)
    }
    fn serialize_f64(self, _: f64) -> Result<bool, Direct> {
        Err(Direct::Other)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Direct> {
        Err(Direct::Other)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Direct> {
        Err(Direct::Other)
    }
    other_kinds!(bool);
}

/// Percent-encodes one query name or value as [`to_query_string`] does.
pub fn encode_component(text: &str) -> Cow<'_, str> {
    if text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || QUERY_KEEPS.contains(&b))
    {
        return Cow::Borrowed(text);
    }
    Cow::Owned(percent::encode(text, QUERY_KEEPS))
}

/// Splits a query string (with or without its leading `?`) into decoded `(name, value)` pairs,
/// in order, keeping repeated names.
///
/// `+` decodes to a space, as in HTML forms; a pair without `=` has an empty value; bytes that
/// are not UTF-8 after decoding become U+FFFD rather than failing the whole query.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    let query = query.strip_prefix('?').unwrap_or(query);
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_component(name), decode_component(value))
        })
        .collect()
}

/// Decodes one query name or value: `+` is a space, then `%XX` escapes.
pub fn decode_component(text: &str) -> String {
    let spaced: Cow<'_, str> = if text.contains('+') {
        Cow::Owned(text.replace('+', " "))
    } else {
        Cow::Borrowed(text)
    };
    String::from_utf8_lossy(&percent::decode(&spaced)).into_owned()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde::Serialize;

    use super::*;

    #[derive(Serialize, Clone, Copy)]
    enum SortField {
        #[serde(rename = "startDate")]
        StartDate,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct ListSessions {
        session_id: Option<String>,
        page: Option<i32>,
        count_per_page: Option<i32>,
        account_ids: Option<Vec<String>>,
        sort_field: Option<SortField>,
        sort_descending: bool,
        priority: Option<i64>,
        filter: Option<BTreeMap<String, String>>,
    }

    fn list_sessions() -> ListSessions {
        ListSessions {
            session_id: Some("s1".into()),
            page: Some(2),
            count_per_page: Some(10),
            account_ids: Some(vec!["a".into(), "b".into()]),
            sort_field: Some(SortField::StartDate),
            sort_descending: true,
            priority: None,
            filter: None,
        }
    }

    #[test]
    fn list_sessions_query() {
        assert_eq!(
            to_query_string(&list_sessions(), &["sessionId"]).unwrap(),
            "page=2&countPerPage=10&accountIds=a,b&sortField=startDate&sortDescending=true"
        );
    }

    #[test]
    fn skip_is_case_insensitive_and_nulls_are_left_out() {
        let mut req = list_sessions();
        req.page = None;
        req.account_ids = None;
        assert_eq!(
            to_query_string(&req, &["SESSIONID", "sortfield"]).unwrap(),
            "countPerPage=10&sortDescending=true"
        );
        assert_eq!(
            to_query_string(&req, &[]).unwrap(),
            "sessionId=s1&countPerPage=10&sortField=startDate&sortDescending=true"
        );
    }

    #[test]
    fn comma_in_element_is_quoted_and_round_trips() {
        let mut req = list_sessions();
        req.account_ids = Some(vec!["a,b".into(), "c".into(), "say \"hi\"".into()]);
        let query = to_query_string(&req, &["sessionId", "page", "countPerPage"]).unwrap();
        assert!(
            query.starts_with("accountIds=%22a,b%22,c,%22say%20%22%22hi%22%22%22&"),
            "{query}"
        );
        let pairs = parse_query(&query);
        assert_eq!(pairs[0].0, "accountIds");
        assert_eq!(split_list(&pairs[0].1).unwrap(), ["a,b", "c", "say \"hi\""]);
    }

    #[test]
    fn values_cannot_break_out_of_their_pair() {
        let mut req = list_sessions();
        req.session_id = Some("x&page=9#frag?y=1+2%".into());
        let query = to_query_string(&req, &[]).unwrap();
        assert!(query.starts_with("sessionId=x%26page%3D9%23frag%3Fy%3D1%2B2%25&page=2"));
        assert_eq!(parse_query(&query)[0].1, "x&page=9#frag?y=1+2%");
    }

    #[test]
    fn nested_maps_are_jsv_objects() {
        let mut req = list_sessions();
        req.filter = Some(BTreeMap::from([
            ("k".to_owned(), "v".to_owned()),
            ("a b".to_owned(), "c,d".to_owned()),
        ]));
        let query = to_query_string(&req, &[]).unwrap();
        let filter = parse_query(&query)
            .into_iter()
            .find(|(n, _)| n == "filter")
            .map(|(_, v)| v);
        assert_eq!(filter.as_deref(), Some(r#"{a b:"c,d",k:v}"#));
    }

    #[test]
    fn empty_request_and_empty_list() {
        #[derive(Serialize)]
        struct Empty {}
        assert_eq!(to_query_string(&Empty {}, &[]).unwrap(), "");
        #[derive(Serialize)]
        struct Ids {
            ids: Vec<i32>,
        }
        assert_eq!(
            to_query_string(&Ids { ids: vec![] }, &[]).unwrap(),
            "ids=%5B%5D"
        );
    }

    #[test]
    fn parse_query_handles_odd_input() {
        assert_eq!(
            parse_query("?a=1&&b&c=x%20y+z&d=%ZZ&e=%FF&a=2"),
            [
                ("a".to_owned(), "1".to_owned()),
                ("b".into(), "".into()),
                ("c".into(), "x y z".into()),
                ("d".into(), "%ZZ".into()),
                ("e".into(), "\u{FFFD}".into()),
                ("a".into(), "2".into()),
            ]
        );
        assert!(parse_query("").is_empty());
        assert!(parse_query("?").is_empty());
    }

    #[test]
    fn non_struct_request_is_an_error() {
        assert_eq!(
            to_query_string(&5, &[]),
            Err(QueryError::NotAStruct { found: "a number" })
        );
    }

    #[derive(Serialize)]
    struct Lists {
        items: Vec<String>,
        text: String,
    }

    /// Every kind of field value the direct writer handles itself or leaves to `fields`.
    #[derive(Serialize, Debug, Clone)]
    #[serde(rename_all = "camelCase")]
    struct Mixed {
        text: Option<String>,
        #[serde(rename = "Sp ace&")]
        renamed: char,
        small: i8,
        count: Option<u64>,
        big: i128,
        on: bool,
        ratio: f64,
        narrow: Option<f32>,
        sort: SortKind,
        wrapped: Wrapped,
        nothing: (),
        ids: Option<Vec<i32>>,
        tags: BTreeMap<String, String>,
        #[serde(with = "serde_bytes_as_seq")]
        raw: Vec<u8>,
    }

    #[derive(Serialize, Debug, Clone, Copy)]
    enum SortKind {
        #[serde(rename = "start Date")]
        Start,
        End,
    }

    #[derive(Serialize, Debug, Clone)]
    struct Wrapped(Option<String>);

    /// `Vec<u8>` as serde bytes, which `fields` writes as base64.
    mod serde_bytes_as_seq {
        pub fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(v)
        }
    }

    /// What the query string was before the direct writer: `fields`, then `encode_pairs`.
    fn through_fields<T: Serialize>(request: &T, skip: &[&str]) -> String {
        let fields = fields(request).unwrap();
        encode_pairs(
            fields
                .iter()
                .filter(|(n, _)| !skip.iter().any(|s| s.eq_ignore_ascii_case(n)))
                .map(|(n, v)| (n.as_str(), v.as_str())),
        )
    }

    #[test]
    fn a_url_gets_a_question_mark_only_before_pairs() {
        let mut url = "http://h/api/X".to_owned();
        append_query(&mut url, &Empty {}, &[], Some('?')).unwrap();
        assert_eq!(url, "http://h/api/X");
        let req = list_sessions();
        append_query(&mut url, &req, &["page"], Some('?')).unwrap();
        assert!(
            url.starts_with("http://h/api/X?sessionId=s1&countPerPage=10&"),
            "{url}"
        );
        append_pairs(&mut url, [("a b", "1")], Some('&'));
        assert!(url.ends_with("&sortDescending=true&a%20b=1"), "{url}");
        // A request that is not a struct is still an error, and writes nothing; nor does a
        // field that fails to serialize after another was written.
        let mut url = "http://h/api/X".to_owned();
        assert!(append_query(&mut url, &5, &[], Some('?')).is_err());
        assert_eq!(url, "http://h/api/X");
        struct Fails;
        impl Serialize for Fails {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("no"))
            }
        }
        #[derive(Serialize)]
        struct Half {
            a: i32,
            b: Fails,
        }
        let err = append_query(&mut url, &Half { a: 1, b: Fails }, &[], Some('?')).unwrap_err();
        assert_eq!(err, QueryError::Custom("no".into()));
        assert_eq!(url, "http://h/api/X");
    }

    #[derive(Serialize)]
    struct Empty {}

    fn mixed() -> impl Strategy<Value = Mixed> {
        let sort = prop_oneof![Just(SortKind::Start), Just(SortKind::End)];
        (
            (
                proptest::option::of(".*"),
                any::<char>(),
                any::<i8>(),
                proptest::option::of(any::<u64>()),
                any::<i128>(),
                any::<bool>(),
                any::<f64>(),
            ),
            (
                proptest::option::of(any::<f32>()),
                sort,
                proptest::option::of(".{0,3}"),
                proptest::option::of(proptest::collection::vec(any::<i32>(), 0..3)),
                proptest::collection::btree_map(".{0,3}", ".{0,3}", 0..3),
                proptest::collection::vec(any::<u8>(), 0..4),
            ),
        )
            .prop_map(
                |(
                    (text, renamed, small, count, big, on, ratio),
                    (narrow, sort, w, ids, tags, raw),
                )| {
                    Mixed {
                        text,
                        renamed,
                        small,
                        count,
                        big,
                        on,
                        ratio,
                        narrow,
                        sort,
                        wrapped: Wrapped(w),
                        nothing: (),
                        ids,
                        tags,
                        raw,
                    }
                },
            )
    }

    proptest! {
        /// The direct writer writes exactly the bytes `fields` + `encode_pairs` wrote, for
        /// every kind of value, with and without skipped fields, and for a map request.
        #[test]
        fn writing_directly_changes_no_byte(req in mixed(), skip_text in any::<bool>()) {
            let skip: &[&str] = if skip_text { &["TEXT", "ids"] } else { &[] };
            prop_assert_eq!(to_query_string(&req, skip).unwrap(), through_fields(&req, skip));
            let map = BTreeMap::from([("b", req.text.clone()), ("a", Some("x".into()))]);
            prop_assert_eq!(to_query_string(&map, skip).unwrap(), through_fields(&map, skip));
        }

        #[test]
        fn string_lists_round_trip(items in proptest::collection::vec(".*", 0..6), text in ".*") {
            let query = to_query_string(&Lists { items: items.clone(), text: text.clone() }, &[]).unwrap();
            let pairs = parse_query(&query);
            prop_assert_eq!(pairs.len(), 2);
            prop_assert_eq!(&pairs[0].0, "items");
            prop_assert_eq!(split_list(&pairs[0].1).unwrap(), items);
            prop_assert_eq!(&pairs[1].1, &text);
        }

        #[test]
        fn nested_lists_round_trip(items in proptest::collection::vec(proptest::collection::vec("[a-z,\\[\\]\" ]*", 0..3), 1..4)) {
            #[derive(Serialize)]
            struct Nested { items: Vec<Vec<String>> }
            let query = to_query_string(&Nested { items: items.clone() }, &[]).unwrap();
            let pairs = parse_query(&query);
            let outer = split_list(&pairs[0].1).unwrap();
            let decoded: Vec<Vec<String>> = outer.iter().map(|e| split_list(e).unwrap()).collect();
            prop_assert_eq!(decoded, items);
        }
    }
}
