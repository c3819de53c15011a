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
