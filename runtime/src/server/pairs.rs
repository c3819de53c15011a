//! The fast path of [`decode`](super::decode) for requests without a body: a request DTO read
//! straight from the query string's and the path's name/value pairs, borrowed where they need
//! no decoding.
//!
//! [`from_pairs`] hands a struct's visitor one entry per pair, query pairs first and then path
//! variables, as the tree path in `decode.rs` orders them: each name as the field it names
//! case-insensitively (an exact match winning, see [`crate::de::field_named_from`]), each value through
//! [`Text`], the reader the tree's text values go through. It only ever answers `Some` where the
//! tree gives the same DTO; on anything else it answers `None` and the caller takes the tree,
//! which also writes every error:
//! - a name that is not ASCII or needs percent-decoding (`%`, `+`), so that comparing names
//!   needs neither Unicode case folding nor a decoded copy;
//! - two names equal case-insensitively: the tree joins a repeated query key's values with `,`
//!   and lets a path variable override a query field, which one pass cannot do;
//! - a target that is not a struct (a map or `serde_json::Value` keeps every name as sent);
//! - any error.

use std::borrow::Cow;

use serde::de::{self, value::BorrowedStrDeserializer, DeserializeOwned, MapAccess, Visitor};
use serde::forward_to_deserialize_any;

use super::decode::{Error, Text};
use crate::de::field_named_next;
use crate::query::decode_component;

/// `R` from the query string and path variables, or `None` where the tree path must decide.
pub(super) fn from_pairs<R: DeserializeOwned>(
    query: Option<&str>,
    path: &[(String, String)],
) -> Option<R> {
    let query = query.unwrap_or_default();
    if !plain_and_distinct(query, path) {
        return None;
    }
    R::deserialize(Pairs { query, path }).ok()
}

/// The query's pairs in order (a leading `?` skipped, empty pieces between `&`s left out), each
/// split at its first `=` into its name and its value (`None` for a bare key), still encoded.
/// Both the fast path and the tree read the query through it. One scan of the bytes:
/// `str::split` with a `char` costs a searcher per piece, and this runs for every request.
pub(super) fn query_pairs(query: &str) -> QueryPairs<'_> {
    QueryPairs {
        rest: Some(query.strip_prefix('?').unwrap_or(query)),
    }
}

/// [`query_pairs`]' iterator.
#[derive(Clone)]
pub(super) struct QueryPairs<'a> {
    /// What is left after the last pair's `&`; `None` once the last pair has been read.
    rest: Option<&'a str>,
}

impl<'a> Iterator for QueryPairs<'a> {
    type Item = (&'a str, Option<&'a str>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let rest = self.rest?;
            let mut eq = None;
            let mut end = rest.len();
            for (i, &b) in rest.as_bytes().iter().enumerate() {
                if b == b'&' {
                    end = i;
                    break;
                }
                if b == b'=' && eq.is_none() {
                    eq = Some(i);
                }
            }
            // `&` and `=` are ASCII, so each index is a character boundary.
            self.rest = rest.get(end + 1..);
            let pair = &rest[..end];
            if pair.is_empty() {
                continue;
            }
            return Some(match eq {
                Some(i) => (&pair[..i], Some(&pair[i + 1..])),
                None => (pair, None),
            });
        }
    }
}

/// Whether `text` has a `%` or a `+`, which decoding would change.
fn escaped(text: &str) -> bool {
    text.bytes().any(|b| b == b'%' || b == b'+')
}

/// Whether every name is ASCII without escapes, and no two are equal case-insensitively.
/// The query's names are checked in one scan of its bytes, which also counts its pairs: a
/// lone name (a request like `GetSession?sessionId=s1`) has nothing to be compared with.
/// Several are compared pairwise, over the few names of a URL, so that nothing is allocated.
fn plain_and_distinct(query: &str, path: &[(String, String)]) -> bool {
    let plain = |b: u8| b.is_ascii() && b != b'%' && b != b'+';
    let mut pairs = 0;
    let mut pair_len = 0;
    let mut in_name = true;
    for &b in query.strip_prefix('?').unwrap_or(query).as_bytes() {
        match b {
            b'&' => {
                pairs += usize::from(pair_len > 0);
                pair_len = 0;
                in_name = true;
                continue;
            }
            b'=' => in_name = false,
            _ if in_name && !plain(b) => return false,
            _ => {}
        }
        pair_len += 1;
    }
    pairs += usize::from(pair_len > 0);
    if !path.iter().all(|(name, _)| name.bytes().all(plain)) {
        return false;
    }
    if pairs + path.len() < 2 {
        return true;
    }
    let names = || {
        query_pairs(query)
            .map(|(name, _)| name)
            .chain(path.iter().map(|(name, _)| name.as_str()))
    };
    names().enumerate().all(|(i, name)| {
        !names()
            .take(i)
            .any(|earlier| earlier.eq_ignore_ascii_case(name))
    })
}

/// A query value as the tree decodes it, borrowed when there is nothing to decode.
fn decoded(value: &str) -> Cow<'_, str> {
    if escaped(value) {
        Cow::Owned(decode_component(value))
    } else {
        Cow::Borrowed(value)
    }
}

/// The top level: a struct, as the tree's `Fields` reads one.
struct Pairs<'de> {
    query: &'de str,
    path: &'de [(String, String)],
}

impl<'de> de::Deserializer<'de> for Pairs<'de> {
    type Error = Error;

    // A map or an untyped value keeps every name as sent: the tree's.
    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Error> {
        Err(de::Error::custom(
            "only a struct is read from the pairs directly",
        ))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_map(Entries {
            query: query_pairs(self.query),
            path: self.path.iter(),
            fields,
            next: 0,
            value: None,
        })
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

/// A struct's entries: the query pairs, then the path variables.
struct Entries<'de, Q> {
    query: Q,
    path: std::slice::Iter<'de, (String, String)>,
    fields: &'static [&'static str],
    /// Where to look for the next name first: after the field of the last.
    next: usize,
    value: Option<Text<'de>>,
}

impl<'de, Q: Iterator<Item = (&'de str, Option<&'de str>)>> MapAccess<'de> for Entries<'de, Q> {
    type Error = Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let (name, value) = match self.query.next() {
            Some((name, value)) => {
                let value = match value {
                    Some(value) => Text::Str(decoded(value)),
                    None => Text::Null,
                };
                (name, value)
            }
            None => match self.path.next() {
                Some((name, value)) => (name.as_str(), Text::Str(Cow::Borrowed(value.as_str()))),
                None => return Ok(None),
            },
        };
        self.value = Some(value);
        let name = match field_named_next(name, self.fields, self.next) {
            Some(i) => {
                self.next = i + 1;
                self.fields[i]
            }
            None => name,
        };
        seed.deserialize(BorrowedStrDeserializer::new(name))
            .map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self
            .value
            .take()
            .ok_or_else(|| <Error as de::Error>::custom("a value was asked for before its key"))?;
        seed.deserialize(value)
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
    struct Dto {
        session_id: String,
        page: i32,
        ids: Option<Vec<String>>,
        from: Option<String>,
    }

    fn both(query: &str, path: &[(&str, &str)]) -> (Option<Dto>, Dto) {
        let path: Vec<(String, String)> = path
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        let tree = decode_tree(&RawRequest {
            query: Some(query),
            path: &path,
            ..RawRequest::default()
        })
        .expect("the tree reads it");
        (from_pairs(Some(query), &path), tree)
    }

    #[test]
    fn names_bind_case_insensitively_and_values_read_as_the_tree_reads_them() {
        let (fast, tree) = both(
            "PAGE=%202%20&Ids=[a,b]&from&unknown=x",
            &[("SESSIONID", "s 1")],
        );
        let fast = fast.expect("read straight from the pairs");
        assert_eq!(fast.session_id, "s 1");
        assert_eq!(fast.page, 2);
        assert_eq!(
            fast.ids.as_deref(),
            Some(&["a".to_owned(), "b".to_owned()][..])
        );
        assert_eq!(fast.from, None);
        assert_eq!(fast, tree);
    }

    /// Every string of four of `pieces` one after the other.
    fn queries_of(pieces: &[&str]) -> Vec<String> {
        let mut queries = vec![String::new()];
        for _ in 0..4 {
            queries = queries
                .iter()
                .flat_map(|q| pieces.iter().map(move |p| format!("{q}{p}")))
                .collect();
        }
        queries
    }

    /// The one-pass scan gives the pairs that splitting the text at each `&` (empty pieces left
    /// out, after a leading `?`) and each piece at its first `=` gives.
    #[test]
    fn query_pairs_are_scanned_as_the_text_splits() {
        let pieces = [
            "",
            "a",
            "A",
            "=",
            "&",
            "?",
            "%",
            "+",
            "\u{e4}",
            "\u{1f600}",
            "b=1",
        ];
        let mut queries = queries_of(&pieces);
        queries.extend(["?a=1&&b==2&?c", "??a", "a=&=b&&", "a=1=2&b"].map(String::from));
        for query in &queries {
            let tree: Vec<_> = query
                .strip_prefix('?')
                .unwrap_or(query)
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| match pair.split_once('=') {
                    Some((name, value)) => (name, Some(value)),
                    None => (pair, None),
                })
                .collect();
            let scanned: Vec<_> = query_pairs(query).collect();
            assert_eq!(scanned, tree, "{query:?}");
        }
    }

    /// The check before the fast path answers as it did when it split every name out first.
    #[test]
    fn names_are_checked_as_when_split_one_by_one() {
        fn split_first(query: &str, path: &[(String, String)]) -> bool {
            let names = || {
                query_pairs(query)
                    .map(|(name, _)| name)
                    .chain(path.iter().map(|(name, _)| name.as_str()))
            };
            names().enumerate().all(|(i, name)| {
                name.is_ascii()
                    && !name.contains(['%', '+'])
                    && !names()
                        .take(i)
                        .any(|earlier| earlier.eq_ignore_ascii_case(name))
            })
        }
        let pieces = ["", "a", "A", "b", "=", "&", "?", "%", "+", "\u{e4}"];
        let queries = queries_of(&pieces);
        let paths: Vec<Vec<(String, String)>> = [&[][..], &["a"], &["B"], &["%"], &["a", "b"]]
            .iter()
            .map(|names| {
                names
                    .iter()
                    .map(|n| ((*n).to_owned(), "v".to_owned()))
                    .collect()
            })
            .collect();
        for query in &queries {
            for path in &paths {
                assert_eq!(
                    plain_and_distinct(query, path),
                    split_first(query, path),
                    "{query:?} {path:?}"
                );
            }
        }
    }

    /// Each of these the tree reads its own way (joined, overridden, decoded names): refused.
    #[test]
    fn what_the_tree_reads_its_own_way_is_left_to_it() {
        for (query, path) in [
            ("ids=a&IDS=b", &[][..]),
            ("sessionId=q", &[("SessionId", "p")][..]),
            ("%70age=1", &[]),
            ("pag%65=1", &[]),
            ("se+ssionId=1", &[]),
            ("p\u{e4}ge=1", &[]),
            ("unknown=1&UNKNOWN=2", &[]),
        ] {
            let (fast, _) = both(query, path);
            assert_eq!(fast, None, "{query} {path:?}");
        }
        // Where the tree keeps every name as sent, and on errors.
        assert_eq!(
            from_pairs::<BTreeMap<String, String>>(Some("a=1"), &[]),
            None
        );
        assert_eq!(from_pairs::<Dto>(Some("page=x"), &[]), None);
    }
}
