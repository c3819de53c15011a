//! Serde support for generated enums, which keep values the contract does not know yet.
//!
//! ServiceStack services add enum members over time. A generated enum therefore has an
//! `Unknown` variant holding the value as received, and writes it back unchanged, so one new
//! value never fails a whole response.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// Deserializes a string enum through its `From<&str>` conversion.
///
/// Generated `Deserialize` impls call this so they accept borrowed and owned strings alike
/// without allocating for known values.
pub fn deserialize_str<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct StrVisitor<T>(std::marker::PhantomData<T>);

    impl<T> Visitor<'_> for StrVisitor<T>
    where
        T: for<'a> From<&'a str>,
    {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an enum value as a string")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            Ok(T::from(v))
        }

        // Some servers write enums as their numeric value even when the contract says string.
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            Ok(T::from(v.to_string().as_str()))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            Ok(T::from(v.to_string().as_str()))
        }
    }

    deserializer.deserialize_any(StrVisitor(std::marker::PhantomData))
}

/// Deserializes an integer enum (`isEnumInt`) through its `From<i64>` conversion.
///
/// A string holding a number is accepted too, as ServiceStack's own serializer does; any
/// other string is looked up with `by_name`, so a member name still maps to its value. A name
/// the contract does not know has no number to keep, so it is an error.
pub fn deserialize_int<'de, D, T>(
    deserializer: D,
    by_name: fn(&str) -> Option<T>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: From<i64>,
{
    struct IntVisitor<T> {
        by_name: fn(&str) -> Option<T>,
    }

    impl<T: From<i64>> Visitor<'_> for IntVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an enum value as an integer or a member name")
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            Ok(T::from(v))
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            i64::try_from(v)
                .map(T::from)
                .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            if let Ok(n) = v.trim().parse::<i64>() {
                return Ok(T::from(n));
            }
            (self.by_name)(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
        }
    }

    deserializer.deserialize_any(IntVisitor { by_name })
}

/// Defines a generated string enum: the enum with a variant that keeps unknown values, its
/// `VALUES` and `as_str`, `From<&str>` (exact wire value first, then ServiceStack's
/// case-insensitive match, else the unknown variant), `Display`, and serde as the wire string
/// (numbers accepted too, see [`deserialize_str`]).
///
/// ```
/// ssdto::string_enum! {
///     /// How a call ended.
///     #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
///     pub enum Outcome {
///         #[default]
///         Answered = "Answered",
///         /// Nobody picked up.
///         NoAnswer = "no-answer",
///         ..Unknown
///     }
/// }
///
/// assert_eq!(Outcome::from("NO-ANSWER"), Outcome::NoAnswer);
/// assert_eq!(Outcome::from("Busy"), Outcome::Unknown("Busy".into()));
/// assert_eq!(Outcome::NoAnswer.to_string(), "no-answer");
/// ```
///
/// The name after `..` is the variant that holds a value the contract does not define.
#[macro_export]
macro_rules! string_enum {
    (
        $(#$attr:tt)*
        $vis:vis enum $name:ident {
            $( $(#$vattr:tt)* $variant:ident = $wire:literal, )*
            .. $unknown:ident $(,)?
        }
    ) => {
        $(#$attr)*
        $vis enum $name {
            $( $(#$vattr)* $variant, )*
            /// A value this version of the contract does not define, kept as received.
            $unknown(::std::string::String),
        }

        impl $name {
            /// Every value the contract defines.
            pub const VALUES: &'static [Self] = &[$(Self::$variant),*];

            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::$unknown(value) => value,
                }
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match $crate::enums::position(&[$($wire),*], value) {
                    ::core::option::Option::Some(i) => ::core::clone::Clone::clone(&Self::VALUES[i]),
                    ::core::option::Option::None => {
                        Self::$unknown(::std::borrow::ToOwned::to_owned(value))
                    }
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::enums::deserialize_str(deserializer)
            }
        }
    };
}

/// Defines a generated integer enum (`isEnumInt`), each member with its value and .NET name:
/// the enum with a variant that keeps unknown values, `VALUES`, `value`, `name`, `from_name` (case-insensitive), `From<i64>`, and serde
/// as the integer (numeric strings and member names accepted, see [`deserialize_int`]).
///
/// ```
/// ssdto::int_enum! {
///     #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
///     pub enum Priority {
///         #[default]
///         Low = (1, "Low"),
///         High = (10, "High"),
///         ..Unknown
///     }
/// }
///
/// assert_eq!(Priority::from(10), Priority::High);
/// assert_eq!(Priority::from_name("high"), Some(Priority::High));
/// assert_eq!(Priority::from(7).value(), 7);
/// ```
#[macro_export]
macro_rules! int_enum {
    (
        $(#$attr:tt)*
        $vis:vis enum $name:ident {
            $( $(#$vattr:tt)* $variant:ident = ($value:literal, $wire:literal), )*
            .. $unknown:ident $(,)?
        }
    ) => {
        $(#$attr)*
        $vis enum $name {
            $( $(#$vattr)* $variant, )*
            /// A value this version of the contract does not define, kept as received.
            $unknown(i64),
        }

        impl $name {
            /// Every value the contract defines.
            pub const VALUES: &'static [Self] = &[$(Self::$variant),*];

            /// The integer value written on the wire.
            pub fn value(self) -> i64 {
                match self {
                    $( Self::$variant => $value, )*
                    Self::$unknown(value) => value,
                }
            }

            /// The member name, if the contract defines this value.
            pub fn name(self) -> ::core::option::Option<&'static str> {
                match self {
                    $( Self::$variant => ::core::option::Option::Some($wire), )*
                    Self::$unknown(_) => ::core::option::Option::None,
                }
            }

            /// The member with this name (case-insensitive), if the contract defines one.
            pub fn from_name(name: &str) -> ::core::option::Option<Self> {
                $crate::enums::position_ignore_case(&[$($wire),*], name).map(|i| Self::VALUES[i])
            }
        }

        impl ::core::convert::From<i64> for $name {
            fn from(value: i64) -> Self {
                match value {
                    $( $value => Self::$variant, )*
                    other => Self::$unknown(other),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::enums::deserialize_int(deserializer, Self::from_name)
            }
        }
    };
}

/// The position of `text` in `names`, else of the first name that matches it
/// case-insensitively (as ServiceStack reads enum names). Not generic, so it is compiled once
/// rather than once per enum; `#[inline]` so a release build of the generated crate can fold it
/// into each enum's `From<&str>` (every enum value read goes through it).
#[doc(hidden)]
#[inline]
pub fn position(names: &[&str], text: &str) -> Option<usize> {
    names
        .iter()
        .position(|name| *name == text)
        .or_else(|| position_ignore_case(names, text))
}

/// The position of the name in `names` that matches `text` case-insensitively, as ServiceStack
/// reads enum names. Shared by [`string_enum!`] and [`int_enum!`], and not generic, so it is
/// compiled once rather than once per enum.
#[doc(hidden)]
pub fn position_ignore_case(names: &[&str], text: &str) -> Option<usize> {
    names
        .iter()
        .position(|name| ssdto_protocol::eq_ignore_case(name, text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Color {
        Red,
        Unknown(String),
    }

    impl From<&str> for Color {
        fn from(s: &str) -> Self {
            match s {
                "Red" => Color::Red,
                other => Color::Unknown(other.to_owned()),
            }
        }
    }

    #[derive(Debug, PartialEq)]
    enum Level {
        Low,
        Unknown(i64),
    }

    impl From<i64> for Level {
        fn from(n: i64) -> Self {
            match n {
                1 => Level::Low,
                other => Level::Unknown(other),
            }
        }
    }

    fn level_by_name(s: &str) -> Option<Level> {
        s.eq_ignore_ascii_case("Low").then_some(Level::Low)
    }

    crate::string_enum! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
        enum Shade {
            #[default]
            Light = "light",
            DarkBlue = "Dark Blue",
            ..Other
        }
    }

    crate::int_enum! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        enum Size {
            #[default]
            Small = (1, "Small"),
            Minus = (-2, "Minus"),
            ..Other
        }
    }

    #[test]
    fn string_enum_macro_reads_writes_and_keeps_unknown_values() {
        assert_eq!(Shade::VALUES, [Shade::Light, Shade::DarkBlue]);
        assert_eq!(Shade::default(), Shade::Light);
        let read: Vec<Shade> =
            serde_json::from_str(r#"["light", "DARK BLUE", "teal", 3]"#).unwrap();
        assert_eq!(
            read,
            [
                Shade::Light,
                Shade::DarkBlue,
                Shade::Other("teal".into()),
                Shade::Other("3".into())
            ]
        );
        assert_eq!(
            serde_json::to_string(&read).unwrap(),
            r#"["light","Dark Blue","teal","3"]"#
        );
        assert_eq!(Shade::DarkBlue.to_string(), "Dark Blue");
    }

    #[test]
    fn int_enum_macro_reads_writes_and_keeps_unknown_values() {
        assert_eq!(Size::VALUES, [Size::Small, Size::Minus]);
        let read: Vec<Size> = serde_json::from_str(r#"[1, -2, "minus", "1", 9]"#).unwrap();
        assert_eq!(
            read,
            [
                Size::Small,
                Size::Minus,
                Size::Minus,
                Size::Small,
                Size::Other(9)
            ]
        );
        assert_eq!(serde_json::to_string(&read).unwrap(), "[1,-2,-2,1,9]");
        assert_eq!(Size::Other(9).name(), None);
        assert_eq!(Size::Minus.name(), Some("Minus"));
        assert_eq!(Size::from_name("SMALL"), Some(Size::Small));
        assert!(serde_json::from_str::<Size>(r#""Huge""#).is_err());
    }

    #[test]
    fn string_enum_keeps_unknown_values() {
        let mut de = serde_json::Deserializer::from_str(r#""Red""#);
        assert_eq!(deserialize_str::<_, Color>(&mut de).unwrap(), Color::Red);
        let mut de = serde_json::Deserializer::from_str(r#""Teal""#);
        assert_eq!(
            deserialize_str::<_, Color>(&mut de).unwrap(),
            Color::Unknown("Teal".into())
        );
        let mut de = serde_json::Deserializer::from_str("7");
        assert_eq!(
            deserialize_str::<_, Color>(&mut de).unwrap(),
            Color::Unknown("7".into())
        );
    }

    #[test]
    fn int_enum_accepts_numbers_and_names() {
        let mut de = serde_json::Deserializer::from_str("1");
        assert_eq!(
            deserialize_int::<_, Level>(&mut de, level_by_name).unwrap(),
            Level::Low
        );
        let mut de = serde_json::Deserializer::from_str(r#""1""#);
        assert_eq!(
            deserialize_int::<_, Level>(&mut de, level_by_name).unwrap(),
            Level::Low
        );
        let mut de = serde_json::Deserializer::from_str(r#""Low""#);
        assert_eq!(
            deserialize_int::<_, Level>(&mut de, level_by_name).unwrap(),
            Level::Low
        );
        let mut de = serde_json::Deserializer::from_str("42");
        assert_eq!(
            deserialize_int::<_, Level>(&mut de, level_by_name).unwrap(),
            Level::Unknown(42)
        );
        let mut de = serde_json::Deserializer::from_str(r#""High""#);
        assert!(deserialize_int::<_, Level>(&mut de, level_by_name).is_err());
        let mut de = serde_json::Deserializer::from_str("true");
        assert!(deserialize_int::<_, Level>(&mut de, level_by_name).is_err());
    }
}
