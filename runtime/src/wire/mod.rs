//! ServiceStack's wire forms of .NET `DateTime`, `Guid` and `TimeSpan`, without extra crates.
//!
//! Generated code keeps these as `String` by default, since their wire form depends on the
//! server's serializer. This module reads every form ServiceStack writes and writes the one every
//! ServiceStack server reads:
//!
//! | .NET | read | written |
//! | --- | --- | --- |
//! | `DateTime`, `DateTimeOffset` | `/Date(1609459200000)/`, `/Date(1609459200000+0100)/`, ISO 8601 (`2021-01-01T00:00:00Z`, `+01:00`, up to 9 fraction digits, date only) | ISO 8601 |
//! | `Guid` | with or without dashes, in braces or not, any case | `0f8fad5b-d9cb-469f-a165-70867728950e` |
//! | `TimeSpan` | XSD duration (`PT1H30M`, `P1DT2H`, `-PT0.5S`) or .NET's `[-][d.]hh:mm:ss[.f]` | XSD duration, as ServiceStack writes it |
//!
//! [`DateTime`], [`Guid`] and [`TimeSpan`] implement `Serialize` and `Deserialize` in these forms,
//! so they can be used as field types directly. With the `chrono` and `uuid` features, the
//! `with`-modules `chrono_datetime`, `chrono_timespan` and `uuid_guid` (each with an
//! `option` submodule) do the same for `chrono::DateTime<FixedOffset>`, `chrono::TimeDelta`
//! and `uuid::Uuid`.
//!
//! ```
//! use ssdto::wire::{DateTime, Guid, TimeSpan};
//!
//! let d: DateTime = "/Date(1609459200000+0100)/".parse().unwrap();
//! assert_eq!(d.unix_millis(), 1_609_459_200_000);
//! assert_eq!(d.to_string(), "2021-01-01T01:00:00+01:00");
//!
//! let g: Guid = "{0F8FAD5B-D9CB-469F-A165-70867728950E}".parse().unwrap();
//! assert_eq!(g.to_string(), "0f8fad5b-d9cb-469f-a165-70867728950e");
//!
//! let t: TimeSpan = "-PT1H30M".parse().unwrap();
//! assert_eq!(t.as_nanos(), -5_400_000_000_000);
//! assert_eq!(t.to_string(), "-PT1H30M");
//! ```

/// The `Read` type of a `with`-module whose `deserialize` returns `$ty`: the value
/// [`crate::deserialize_fields!`] reads for a field declared `with` the module.
#[cfg(any(feature = "chrono", feature = "uuid"))]
macro_rules! read_type {
    ($ty:ty) => {
        /// The value read by [`deserialize`], for [`crate::deserialize_fields!`]'s `with`.
        #[derive(Debug)]
        pub struct Read(pub $ty);

        impl<'de> serde::Deserialize<'de> for Read {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserialize(deserializer).map(Read)
            }
        }
    };
}

mod date;
mod guid;
mod number;
mod scan;
mod timespan;

#[cfg(feature = "chrono")]
mod chrono_support;
#[cfg(feature = "uuid")]
mod uuid_support;

pub use date::DateTime;
pub use guid::Guid;
pub use number::NumberText;
pub use timespan::TimeSpan;

#[cfg(feature = "chrono")]
pub use chrono_support::{chrono_datetime, chrono_timespan};
#[cfg(feature = "uuid")]
pub use uuid_support::uuid_guid;

/// Why a wire value could not be read or converted.
///
/// Each variant names the kind of value (`date`, `Guid`, `TimeSpan`) and what was wrong with
/// it; positions are byte offsets into the (trimmed) input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WireError {
    /// The text is empty or only whitespace.
    #[error("invalid {what}: empty")]
    Empty {
        /// The kind of value.
        what: &'static str,
    },
    /// Something other than what the format allows at this point.
    #[error("invalid {what}: expected {expected} at byte {position}")]
    Syntax {
        /// The kind of value.
        what: &'static str,
        /// What the format needs here.
        expected: &'static str,
        /// Byte offset into the input.
        position: usize,
    },
    /// Text after a complete value.
    #[error("invalid {what}: unexpected text at byte {position}")]
    Trailing {
        /// The kind of value.
        what: &'static str,
        /// Byte offset of the first extra byte.
        position: usize,
    },
    /// A component is outside its range (month 13, minute 60, a year after 9999, a number
    /// that overflows, a duration longer than .NET's `TimeSpan.MaxValue`).
    #[error("invalid {what}: {component} out of range")]
    OutOfRange {
        /// The kind of value.
        what: &'static str,
        /// The component: `month`, `day`, `offset`, `milliseconds`, ...
        component: &'static str,
    },
    /// A Guid whose hex digits (dashes and braces aside) do not number 32.
    #[error("invalid Guid: expected 32 hex digits with or without dashes, got {length} bytes")]
    GuidLength {
        /// The length of the text without braces.
        length: usize,
    },
    /// A duration in years, months or weeks, which have no fixed length (.NET's `TimeSpan`
    /// has none either).
    #[error("invalid TimeSpan: the unit `{unit}` has no fixed length")]
    UnsupportedUnit {
        /// `Y`, `M` (before `T`) or `W`.
        unit: char,
    },
}

/// Deserializes a string through a type's `FromStr`, keeping the parse error's message.
struct ParseVisitor<T> {
    expecting: &'static str,
    // `fn() -> T` rather than `T`: the visitor owns no T, so it stays Send/Sync regardless.
    marker: std::marker::PhantomData<fn() -> T>,
}

impl<T> ParseVisitor<T> {
    fn new(expecting: &'static str) -> Self {
        Self {
            expecting,
            marker: std::marker::PhantomData,
        }
    }
}

impl<T: std::str::FromStr<Err = WireError>> serde::de::Visitor<'_> for ParseVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        v.parse().map_err(E::custom)
    }
}
