//! .NET framework types that contracts reference without defining them, and that need a Rust
//! type of their own: `KeyValuePair<K, V>`, `Tuple<..>`, `DayOfWeek` and `HttpStatusCode`
//! (uploaded files are [`HttpFile`](crate::HttpFile)).
//!
//! ServiceStack leaves framework types out of a contract's `types` on purpose, so the
//! generator maps them (its .NET type table says which Rust type each becomes and why). Each
//! type here reads and writes what ServiceStack's serializers put on the wire: camelCase
//! written, member names read in any case (the PascalCase .NET writes by default included), as
//! generated structs read them ([`crate::de`]).
//!
//! ```
//! use ssdto::{DayOfWeek, HttpStatusCode, KeyValuePair};
//!
//! let pair: KeyValuePair<String, i32> = serde_json::from_str(r#"{"Key":"a","Value":1}"#).unwrap();
//! assert_eq!(serde_json::to_string(&pair).unwrap(), r#"{"key":"a","value":1}"#);
//!
//! let day: DayOfWeek = serde_json::from_str(r#""monday""#).unwrap();
//! assert_eq!(day, DayOfWeek::Monday);
//! assert_eq!(serde_json::to_string(&day).unwrap(), r#""Monday""#);
//!
//! let status: HttpStatusCode = serde_json::from_str(r#""NotFound""#).unwrap();
//! assert_eq!(status, HttpStatusCode(404));
//! ```

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// .NET's `KeyValuePair<TKey, TValue>`.
///
/// ServiceStack.Text treats it as a reference type (`JsConfig.TreatValueAsRefTypes` holds
/// `KeyValuePair<,>`), so it is written as an object of its `Key` and `Value` properties,
/// camelCase in ServiceStack apps, and read back by `DeserializeKeyValuePair`, which matches
/// `key` and `value` case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord, Serialize)]
pub struct KeyValuePair<K, V> {
    /// The key.
    pub key: K,
    /// The value.
    pub value: V,
}

crate::deserialize_fields! {
    KeyValuePair<K, V> {
        0: key = "key",
        1: value = "value",
    }
}

impl<K, V> From<(K, V)> for KeyValuePair<K, V> {
    fn from((key, value): (K, V)) -> Self {
        KeyValuePair { key, value }
    }
}

impl<K, V> From<KeyValuePair<K, V>> for (K, V) {
    fn from(pair: KeyValuePair<K, V>) -> Self {
        (pair.key, pair.value)
    }
}

// Each field's Rust name is its wire name (`item1`); `Item1` is its .NET name.
macro_rules! tuple {
    ($(#[$doc:meta])* $name:ident { $($index:literal: $field:ident: $ty:ident = $wire:literal / $pascal:literal),+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord, Serialize)]
        pub struct $name<$($ty),+> {
            $(
                #[doc = concat!("`", $pascal, "`.")]
                pub $field: $ty,
            )+
        }

        crate::deserialize_fields! {
            $name<$($ty),+> {
                $($index: $field = $wire),+
            }
        }
    };
}

tuple! {
    /// .NET's `Tuple<T1>` (and `ValueTuple<T1>`): an object with an `Item1` member, as
    /// ServiceStack.Text writes a class's properties and reads tuples back by `Item{n}`
    /// (`DeserializeCustomGenericType.ParseTuple`).
    Tuple1 { 0: item1: T1 = "item1" / "Item1" }
}
tuple! {
    /// .NET's `Tuple<T1, T2>` (and `ValueTuple`): `{"item1":..,"item2":..}`.
    Tuple2 { 0: item1: T1 = "item1" / "Item1", 1: item2: T2 = "item2" / "Item2" }
}
tuple! {
    /// .NET's `Tuple<T1, T2, T3>` (and `ValueTuple`).
    Tuple3 {
        0: item1: T1 = "item1" / "Item1", 1: item2: T2 = "item2" / "Item2",
        2: item3: T3 = "item3" / "Item3"
    }
}
tuple! {
    /// .NET's `Tuple<T1, .., T4>` (and `ValueTuple`).
    Tuple4 {
        0: item1: T1 = "item1" / "Item1", 1: item2: T2 = "item2" / "Item2",
        2: item3: T3 = "item3" / "Item3", 3: item4: T4 = "item4" / "Item4"
    }
}
tuple! {
    /// .NET's `Tuple<T1, .., T5>` (and `ValueTuple`).
    Tuple5 {
        0: item1: T1 = "item1" / "Item1", 1: item2: T2 = "item2" / "Item2",
        2: item3: T3 = "item3" / "Item3", 3: item4: T4 = "item4" / "Item4",
        4: item5: T5 = "item5" / "Item5"
    }
}
tuple! {
    /// .NET's `Tuple<T1, .., T6>` (and `ValueTuple`).
    Tuple6 {
        0: item1: T1 = "item1" / "Item1", 1: item2: T2 = "item2" / "Item2",
        2: item3: T3 = "item3" / "Item3", 3: item4: T4 = "item4" / "Item4",
        4: item5: T5 = "item5" / "Item5", 5: item6: T6 = "item6" / "Item6"
    }
}
tuple! {
    /// .NET's `Tuple<T1, .., T7>` (and `ValueTuple`).
    Tuple7 {
        0: item1: T1 = "item1" / "Item1", 1: item2: T2 = "item2" / "Item2",
        2: item3: T3 = "item3" / "Item3", 3: item4: T4 = "item4" / "Item4",
        4: item5: T5 = "item5" / "Item5", 5: item6: T6 = "item6" / "Item6",
        6: item7: T7 = "item7" / "Item7"
    }
}

/// Reads a BCL enum by name (case-insensitive, as `Enum.Parse` with `ignoreCase`) or by number,
/// the two forms .NET serializers write (ServiceStack.Text names, `System.Text.Json` numbers
/// unless configured otherwise).
fn deserialize_named<'de, D, T>(
    deserializer: D,
    by_name: fn(&str) -> Option<T>,
    by_number: fn(i64) -> Option<T>,
    what: &'static str,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct NamedVisitor<T> {
        by_name: fn(&str) -> Option<T>,
        by_number: fn(i64) -> Option<T>,
        what: &'static str,
    }

    impl<T> Visitor<'_> for NamedVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a {} as a name or a number", self.what)
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            (self.by_number)(v).ok_or_else(|| E::invalid_value(de::Unexpected::Signed(v), &self))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            i64::try_from(v)
                .ok()
                .and_then(self.by_number)
                .ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(v), &self))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            let text = v.trim();
            let found = match text.parse::<i64>() {
                Ok(n) => (self.by_number)(n),
                Err(_) => (self.by_name)(text),
            };
            found.ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }

    deserializer.deserialize_any(NamedVisitor {
        by_name,
        by_number,
        what,
    })
}

/// .NET's `System.DayOfWeek`, written by name (`"Monday"`) and read by name or number
/// (`Sunday` is 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum DayOfWeek {
    /// 0.
    #[default]
    Sunday,
    /// 1.
    Monday,
    /// 2.
    Tuesday,
    /// 3.
    Wednesday,
    /// 4.
    Thursday,
    /// 5.
    Friday,
    /// 6.
    Saturday,
}

impl DayOfWeek {
    /// Every day, in .NET's order (`Sunday` first).
    pub const ALL: [DayOfWeek; 7] = [
        DayOfWeek::Sunday,
        DayOfWeek::Monday,
        DayOfWeek::Tuesday,
        DayOfWeek::Wednesday,
        DayOfWeek::Thursday,
        DayOfWeek::Friday,
        DayOfWeek::Saturday,
    ];

    /// The .NET member name.
    pub const fn name(self) -> &'static str {
        match self {
            DayOfWeek::Sunday => "Sunday",
            DayOfWeek::Monday => "Monday",
            DayOfWeek::Tuesday => "Tuesday",
            DayOfWeek::Wednesday => "Wednesday",
            DayOfWeek::Thursday => "Thursday",
            DayOfWeek::Friday => "Friday",
            DayOfWeek::Saturday => "Saturday",
        }
    }

    /// The .NET value, 0 (`Sunday`) to 6.
    pub const fn value(self) -> i64 {
        self as i64
    }

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|d| d.name().eq_ignore_ascii_case(name))
    }

    fn from_value(value: i64) -> Option<Self> {
        usize::try_from(value)
            .ok()
            .and_then(|i| Self::ALL.get(i).copied())
    }
}

impl fmt::Display for DayOfWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for DayOfWeek {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for DayOfWeek {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_named(
            deserializer,
            DayOfWeek::from_name,
            DayOfWeek::from_value,
            "day of the week",
        )
    }
}

/// .NET's `System.Net.HttpStatusCode`: any status code, written by its .NET member name when
/// it has one (`"NotFound"`), as ServiceStack.Text writes enums, else as the number; read by
/// any .NET name (aliases such as `Redirect` for 302 included, case-insensitive) or number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HttpStatusCode(pub u16);

impl Default for HttpStatusCode {
    fn default() -> Self {
        HttpStatusCode(200)
    }
}

/// .NET's member names, the one `ToString()` gives first for codes that have aliases.
const STATUS_NAMES: &[(u16, &str)] = &[
    (100, "Continue"),
    (101, "SwitchingProtocols"),
    (102, "Processing"),
    (103, "EarlyHints"),
    (200, "OK"),
    (201, "Created"),
    (202, "Accepted"),
    (203, "NonAuthoritativeInformation"),
    (204, "NoContent"),
    (205, "ResetContent"),
    (206, "PartialContent"),
    (207, "MultiStatus"),
    (208, "AlreadyReported"),
    (226, "IMUsed"),
    (300, "MultipleChoices"),
    (300, "Ambiguous"),
    (301, "MovedPermanently"),
    (301, "Moved"),
    (302, "Found"),
    (302, "Redirect"),
    (303, "SeeOther"),
    (303, "RedirectMethod"),
    (304, "NotModified"),
    (305, "UseProxy"),
    (306, "Unused"),
    (307, "TemporaryRedirect"),
    (307, "RedirectKeepVerb"),
    (308, "PermanentRedirect"),
    (400, "BadRequest"),
    (401, "Unauthorized"),
    (402, "PaymentRequired"),
    (403, "Forbidden"),
    (404, "NotFound"),
    (405, "MethodNotAllowed"),
    (406, "NotAcceptable"),
    (407, "ProxyAuthenticationRequired"),
    (408, "RequestTimeout"),
    (409, "Conflict"),
    (410, "Gone"),
    (411, "LengthRequired"),
    (412, "PreconditionFailed"),
    (413, "RequestEntityTooLarge"),
    (414, "RequestUriTooLong"),
    (415, "UnsupportedMediaType"),
    (416, "RequestedRangeNotSatisfiable"),
    (417, "ExpectationFailed"),
    (421, "MisdirectedRequest"),
    (422, "UnprocessableEntity"),
    (422, "UnprocessableContent"),
    (423, "Locked"),
    (424, "FailedDependency"),
    (426, "UpgradeRequired"),
    (428, "PreconditionRequired"),
    (429, "TooManyRequests"),
    (431, "RequestHeaderFieldsTooLarge"),
    (451, "UnavailableForLegalReasons"),
    (500, "InternalServerError"),
    (501, "NotImplemented"),
    (502, "BadGateway"),
    (503, "ServiceUnavailable"),
    (504, "GatewayTimeout"),
    (505, "HttpVersionNotSupported"),
    (506, "VariantAlsoNegotiates"),
    (507, "InsufficientStorage"),
    (508, "LoopDetected"),
    (510, "NotExtended"),
    (511, "NetworkAuthenticationRequired"),
];

impl HttpStatusCode {
    /// The .NET member name, if the code has one.
    pub fn name(self) -> Option<&'static str> {
        STATUS_NAMES
            .iter()
            .find(|(code, _)| *code == self.0)
            .map(|(_, name)| *name)
    }

    fn from_name(name: &str) -> Option<Self> {
        STATUS_NAMES
            .iter()
            .find(|(_, n)| n.eq_ignore_ascii_case(name))
            .map(|(code, _)| HttpStatusCode(*code))
    }

    fn from_value(value: i64) -> Option<Self> {
        u16::try_from(value).ok().map(HttpStatusCode)
    }
}

impl fmt::Display for HttpStatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "{}", self.0),
        }
    }
}

impl Serialize for HttpStatusCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.name() {
            Some(name) => serializer.serialize_str(name),
            None => serializer.serialize_u16(self.0),
        }
    }
}

impl<'de> Deserialize<'de> for HttpStatusCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_named(
            deserializer,
            HttpStatusCode::from_name,
            HttpStatusCode::from_value,
            "HTTP status code",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::de::{assert_reads_names_in_any_case, Fields};

    #[test]
    fn pairs_and_tuples_read_member_names_in_any_case() {
        let pair = KeyValuePair {
            key: "k".to_owned(),
            value: Tuple1 { item1: 1 },
        };
        assert_reads_names_in_any_case(&pair, KeyValuePair::<u8, u8>::FIELDS);
        let t2 = Tuple2 {
            item1: 1,
            item2: "b".to_owned(),
        };
        assert_reads_names_in_any_case(&t2, Tuple2::<u8, u8>::FIELDS);
        let t3 = Tuple3 {
            item1: 1,
            item2: 2,
            item3: 3,
        };
        assert_reads_names_in_any_case(&t3, Tuple3::<u8, u8, u8>::FIELDS);
        let t4 = Tuple4 {
            item1: 1,
            item2: 2,
            item3: 3,
            item4: 4,
        };
        assert_reads_names_in_any_case(&t4, Tuple4::<u8, u8, u8, u8>::FIELDS);
        let t5 = Tuple5 {
            item1: 1,
            item2: 2,
            item3: 3,
            item4: 4,
            item5: 5,
        };
        assert_reads_names_in_any_case(&t5, Tuple5::<u8, u8, u8, u8, u8>::FIELDS);
        let t6 = Tuple6 {
            item1: 1,
            item2: 2,
            item3: 3,
            item4: 4,
            item5: 5,
            item6: 6,
        };
        assert_reads_names_in_any_case(&t6, Tuple6::<u8, u8, u8, u8, u8, u8>::FIELDS);
        let t7 = Tuple7 {
            item1: 1,
            item2: 2,
            item3: 3,
            item4: 4,
            item5: 5,
            item6: 6,
            item7: DayOfWeek::Friday,
        };
        assert_reads_names_in_any_case(&t7, Tuple7::<u8, u8, u8, u8, u8, u8, u8>::FIELDS);
        let t3: Tuple3<u8, u8, u8> = serde_json::from_str(r#"{"ITEM3":3,"item3":4}"#).unwrap();
        assert_eq!((t3.item1, t3.item3), (0, 4));
    }

    #[test]
    fn key_value_pairs_read_both_cases() {
        let pair: KeyValuePair<String, Vec<i32>> =
            serde_json::from_str(r#"{"key":"a","value":[1,2]}"#).unwrap();
        assert_eq!(pair, ("a".to_owned(), vec![1, 2]).into());
        let pascal: KeyValuePair<i32, bool> =
            serde_json::from_str(r#"{"Key":3,"Value":true}"#).unwrap();
        assert_eq!(<(i32, bool)>::from(pascal), (3, true));
        assert_eq!(
            serde_json::to_string(&KeyValuePair { key: 1, value: "x" }).unwrap(),
            r#"{"key":1,"value":"x"}"#
        );
    }

    #[test]
    fn tuples_are_objects_of_items() {
        let t: Tuple3<i32, String, bool> =
            serde_json::from_str(r#"{"Item1":1,"item2":"b","Item3":true}"#).unwrap();
        assert_eq!((t.item1, t.item2.as_str(), t.item3), (1, "b", true));
        let json = serde_json::to_string(&Tuple2 {
            item1: 1,
            item2: "x",
        })
        .unwrap();
        assert_eq!(json, r#"{"item1":1,"item2":"x"}"#);
        let t7: Tuple7<u8, u8, u8, u8, u8, u8, u8> =
            serde_json::from_str(r#"{"item7":7}"#).unwrap();
        assert_eq!(t7.item7, 7);
    }

    #[test]
    fn day_of_week_by_name_or_number() {
        for text in [r#""Saturday""#, r#""saturday""#, "6", r#""6""#] {
            assert_eq!(
                serde_json::from_str::<DayOfWeek>(text).unwrap(),
                DayOfWeek::Saturday
            );
        }
        assert!(serde_json::from_str::<DayOfWeek>("7").is_err());
        assert!(serde_json::from_str::<DayOfWeek>(r#""Caturday""#).is_err());
        assert_eq!(
            serde_json::to_string(&DayOfWeek::Sunday).unwrap(),
            r#""Sunday""#
        );
        assert_eq!(DayOfWeek::Friday.value(), 5);
    }

    #[test]
    fn status_codes_by_name_alias_or_number() {
        for (text, code) in [
            (r#""OK""#, 200),
            (r#""redirect""#, 302),
            (r#""Found""#, 302),
            ("418", 418),
            (r#""503""#, 503),
        ] {
            assert_eq!(
                serde_json::from_str::<HttpStatusCode>(text).unwrap(),
                HttpStatusCode(code),
                "{text}"
            );
        }
        assert_eq!(
            serde_json::to_string(&HttpStatusCode(302)).unwrap(),
            r#""Found""#
        );
        assert_eq!(serde_json::to_string(&HttpStatusCode(418)).unwrap(), "418");
        assert!(serde_json::from_str::<HttpStatusCode>(r#""Teapot""#).is_err());
        assert!(serde_json::from_str::<HttpStatusCode>("70000").is_err());
        assert_eq!(HttpStatusCode(404).to_string(), "NotFound");
    }
}
