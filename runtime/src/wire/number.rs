//! Numbers that ServiceStack.Text writes as strings.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A number kept as its text: .NET's `BigInteger`, `Int128`, `UInt128` and `Half`.
///
/// ServiceStack.Text has no writer of its own for these value types, so it writes them through
/// `IFormattable` as JSON strings (`"170141183460469231731687303715884105727"`,
/// `JsWriter.GetValueTypeToStringMethod`), while `System.Text.Json` writes `Int128` and `Half`
/// as numbers. This type reads both and writes the string form, which ServiceStack.Text
/// parses back; the text is kept as received, so no digit is lost. Parse it with
/// [`NumberText::parse`] into the Rust type that fits (`i128`, `u128`, `f32`, a bignum).
///
/// ```
/// use ssdto::wire::NumberText;
///
/// let big: NumberText = serde_json::from_str(r#""-170141183460469231731687303715884105728""#).unwrap();
/// assert_eq!(big.parse::<i128>().unwrap(), i128::MIN);
/// let small: NumberText = serde_json::from_str("42").unwrap();
/// assert_eq!(serde_json::to_string(&small).unwrap(), r#""42""#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NumberText(String);

impl NumberText {
    /// The number's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Parses the text into a Rust number.
    pub fn parse<T: std::str::FromStr>(&self) -> Result<T, T::Err> {
        self.0.trim().parse()
    }
}

impl Default for NumberText {
    fn default() -> Self {
        NumberText("0".to_owned())
    }
}

impl fmt::Display for NumberText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! from_number {
    ($($ty:ty),*) => {
        $(impl From<$ty> for NumberText {
            fn from(n: $ty) -> Self {
                NumberText(n.to_string())
            }
        })*
    };
}

from_number!(i8, i16, i32, i64, i128, u8, u16, u32, u64, u128, f32, f64);

impl Serialize for NumberText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for NumberText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NumberVisitor;

        impl Visitor<'_> for NumberVisitor {
            type Value = NumberText;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a number in a string")
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<NumberText, E> {
                Ok(v.into())
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<NumberText, E> {
                Ok(v.into())
            }

            fn visit_i128<E: de::Error>(self, v: i128) -> Result<NumberText, E> {
                Ok(v.into())
            }

            fn visit_u128<E: de::Error>(self, v: u128) -> Result<NumberText, E> {
                Ok(v.into())
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<NumberText, E> {
                Ok(v.into())
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<NumberText, E> {
                Ok(NumberText(v.trim().to_owned()))
            }
        }

        deserializer.deserialize_any(NumberVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_strings_and_numbers_writes_strings() {
        let n: NumberText =
            serde_json::from_str(r#"" 340282366920938463463374607431768211455 ""#).unwrap();
        assert_eq!(n.parse::<u128>().unwrap(), u128::MAX);
        assert_eq!(
            serde_json::to_string(&n).unwrap(),
            r#""340282366920938463463374607431768211455""#
        );
        let half: NumberText = serde_json::from_str("1.5").unwrap();
        assert_eq!(half.parse::<f32>().unwrap(), 1.5);
        let neg: NumberText = serde_json::from_str("-7").unwrap();
        assert_eq!(neg.as_str(), "-7");
        assert!(serde_json::from_str::<NumberText>("true").is_err());
        assert_eq!(NumberText::default().parse::<i32>().unwrap(), 0);
    }
}
