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

/// Writes `request` as a query string (without the leading `?`), leaving out the fields named
/// in `skip` (compared ASCII case-insensitively), which are normally those a route consumed.
///
/// See the [module docs](self) for how each value is written.
pub fn to_query_string<T: Serialize + ?Sized>(
    request: &T,
    skip: &[&str],
) -> Result<String, QueryError> {
    let fields = fields(request)?;
    Ok(encode_pairs(fields.iter().filter_map(|(name, value)| {
        let skipped = skip.iter().any(|s| s.eq_ignore_ascii_case(name));
        (!skipped).then_some((name.as_str(), value.as_str()))
    })))
}

/// Percent-encodes `(name, value)` pairs into `name=value&...`.
pub fn encode_pairs<'a, I>(pairs: I) -> String
where
    I: IntoIterator<Item = (&'a str, &'a str)>,
{
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        percent::encode_into(&mut out, name, QUERY_KEEPS);
        out.push('=');
        percent::encode_into(&mut out, value, QUERY_KEEPS);
    }
    out
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

    proptest! {
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
