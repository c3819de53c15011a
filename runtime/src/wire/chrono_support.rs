//! `chrono` conversions and serde `with`-modules (feature `chrono`).

use chrono::{FixedOffset, TimeDelta};

use super::{DateTime, TimeSpan, WireError};

fn out_of_range(what: &'static str, component: &'static str) -> WireError {
    WireError::OutOfRange { what, component }
}

impl TryFrom<DateTime> for chrono::DateTime<FixedOffset> {
    type Error = WireError;

    /// The same instant at the same offset; a value written without offset gets `+00:00`.
    fn try_from(value: DateTime) -> Result<Self, Self::Error> {
        let offset_secs = i32::from(value.offset_minutes().unwrap_or(0)) * 60;
        let offset =
            FixedOffset::east_opt(offset_secs).ok_or_else(|| out_of_range("date", "offset"))?;
        let utc = chrono::DateTime::from_timestamp(value.unix_seconds(), value.subsec_nanos())
            .ok_or_else(|| out_of_range("date", "year"))?;
        Ok(utc.with_timezone(&offset))
    }
}

impl TryFrom<chrono::DateTime<FixedOffset>> for DateTime {
    type Error = WireError;

    /// Fails outside years 1 to 9999, on a leap second, or on an offset with seconds.
    fn try_from(value: chrono::DateTime<FixedOffset>) -> Result<Self, Self::Error> {
        let offset_secs = value.offset().local_minus_utc();
        if offset_secs % 60 != 0 {
            return Err(out_of_range("date", "offset"));
        }
        let offset = i16::try_from(offset_secs / 60).map_err(|_| out_of_range("date", "offset"))?;
        DateTime::from_unix(
            value.timestamp(),
            value.timestamp_subsec_nanos(),
            Some(offset),
        )
    }
}

impl TryFrom<TimeSpan> for TimeDelta {
    type Error = WireError;

    /// Always succeeds in practice: .NET's range is far inside chrono's.
    fn try_from(value: TimeSpan) -> Result<Self, Self::Error> {
        let range = || out_of_range("TimeSpan", "duration");
        let nanos = value.as_nanos();
        let secs = i64::try_from(nanos.div_euclid(1_000_000_000)).map_err(|_| range())?;
        let sub = u32::try_from(nanos.rem_euclid(1_000_000_000)).map_err(|_| range())?;
        TimeDelta::new(secs, sub).ok_or_else(range)
    }
}

impl TryFrom<TimeDelta> for TimeSpan {
    type Error = WireError;

    /// Fails beyond .NET's `TimeSpan` range (about ±29 000 years).
    fn try_from(value: TimeDelta) -> Result<Self, Self::Error> {
        let nanos =
            i128::from(value.num_seconds()) * 1_000_000_000 + i128::from(value.subsec_nanos());
        TimeSpan::from_nanos(nanos)
    }
}

/// Serde `with`-module for `chrono::DateTime<FixedOffset>` fields: reads every form
/// [`DateTime`] reads, writes ISO 8601.
///
/// ```
/// # #[derive(serde::Serialize, serde::Deserialize)]
/// struct Event {
///     #[serde(with = "ssdto::wire::chrono_datetime")]
///     at: chrono::DateTime<chrono::FixedOffset>,
///     #[serde(with = "ssdto::wire::chrono_datetime::option", default)]
///     ended: Option<chrono::DateTime<chrono::FixedOffset>>,
/// }
/// let e: Event = serde_json::from_str(r#"{"at":"/Date(1609459200000+0100)/"}"#).unwrap();
/// assert_eq!(serde_json::to_string(&e).unwrap(), r#"{"at":"2021-01-01T01:00:00+01:00","ended":null}"#);
/// ```
pub mod chrono_datetime {
    use chrono::FixedOffset;
    use serde::{de, ser, Deserialize, Deserializer, Serialize, Serializer};

    use crate::wire::DateTime;

    /// Writes ISO 8601.
    pub fn serialize<S: Serializer>(
        value: &chrono::DateTime<FixedOffset>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        DateTime::try_from(*value)
            .map_err(ser::Error::custom)?
            .serialize(serializer)
    }

    /// Reads `/Date(..)/` or ISO 8601.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<chrono::DateTime<FixedOffset>, D::Error> {
        DateTime::deserialize(deserializer)?
            .try_into()
            .map_err(de::Error::custom)
    }

    read_type!(chrono::DateTime<FixedOffset>);

    /// The same for `Option<chrono::DateTime<FixedOffset>>`; `null` is `None`.
    pub mod option {
        use super::*;

        /// Writes ISO 8601, or `null`.
        pub fn serialize<S: Serializer>(
            value: &Option<chrono::DateTime<FixedOffset>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            value
                .map(DateTime::try_from)
                .transpose()
                .map_err(ser::Error::custom)?
                .serialize(serializer)
        }

        /// Reads `/Date(..)/`, ISO 8601 or `null`.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<chrono::DateTime<FixedOffset>>, D::Error> {
            Option::<DateTime>::deserialize(deserializer)?
                .map(TryInto::try_into)
                .transpose()
                .map_err(de::Error::custom)
        }

        read_type!(Option<chrono::DateTime<FixedOffset>>);
    }
}

/// Serde `with`-module for `chrono::TimeDelta` fields holding a .NET `TimeSpan`: reads XSD
/// durations (and .NET's `hh:mm:ss`), writes the XSD duration ServiceStack writes.
///
/// ```
/// # #[derive(serde::Serialize, serde::Deserialize)]
/// struct Call {
///     #[serde(with = "ssdto::wire::chrono_timespan")]
///     length: chrono::TimeDelta,
///     #[serde(with = "ssdto::wire::chrono_timespan::option", default)]
///     hold: Option<chrono::TimeDelta>,
/// }
/// let c: Call = serde_json::from_str(r#"{"length":"PT1M30S","hold":"-PT0.5S"}"#).unwrap();
/// assert_eq!(c.length, chrono::TimeDelta::seconds(90));
/// assert_eq!(serde_json::to_string(&c).unwrap(), r#"{"length":"PT1M30S","hold":"-PT0.5S"}"#);
/// ```
pub mod chrono_timespan {
    use chrono::TimeDelta;
    use serde::{de, ser, Deserialize, Deserializer, Serialize, Serializer};

    use crate::wire::TimeSpan;

    /// Writes an XSD duration.
    pub fn serialize<S: Serializer>(value: &TimeDelta, serializer: S) -> Result<S::Ok, S::Error> {
        TimeSpan::try_from(*value)
            .map_err(ser::Error::custom)?
            .serialize(serializer)
    }

    /// Reads an XSD duration or `[-][d.]hh:mm:ss[.f]`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<TimeDelta, D::Error> {
        TimeSpan::deserialize(deserializer)?
            .try_into()
            .map_err(de::Error::custom)
    }

    read_type!(TimeDelta);

    /// The same for `Option<chrono::TimeDelta>`; `null` is `None`.
    pub mod option {
        use super::*;

        /// Writes an XSD duration, or `null`.
        pub fn serialize<S: Serializer>(
            value: &Option<TimeDelta>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            value
                .map(TimeSpan::try_from)
                .transpose()
                .map_err(ser::Error::custom)?
                .serialize(serializer)
        }

        /// Reads an XSD duration, `[-][d.]hh:mm:ss[.f]` or `null`.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<TimeDelta>, D::Error> {
            Option::<TimeSpan>::deserialize(deserializer)?
                .map(TryInto::try_into)
                .transpose()
                .map_err(de::Error::custom)
        }

        read_type!(Option<TimeDelta>);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_converts_both_ways() {
        let wire = DateTime::parse("/Date(1609459200123-0130)/").unwrap();
        let c: chrono::DateTime<FixedOffset> = wire.try_into().unwrap();
        assert_eq!(c.to_rfc3339(), "2020-12-31T22:30:00.123-01:30");
        assert_eq!(DateTime::try_from(c).unwrap(), wire);
        let unspecified = DateTime::parse("2021-01-01T10:00:00").unwrap();
        let c: chrono::DateTime<FixedOffset> = unspecified.try_into().unwrap();
        assert_eq!(c.to_rfc3339(), "2021-01-01T10:00:00+00:00");
        for text in [
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999+23:59",
        ] {
            let wire = DateTime::parse(text).unwrap();
            let c: chrono::DateTime<FixedOffset> = wire.try_into().unwrap();
            assert_eq!(DateTime::try_from(c).unwrap(), wire, "{text}");
        }
    }

    #[test]
    fn chrono_values_outside_dotnet_range_are_errors() {
        let far = chrono::DateTime::parse_from_rfc3339("+10000-01-01T00:00:00Z");
        if let Ok(far) = far {
            assert!(DateTime::try_from(far).is_err());
        }
        let odd_offset = FixedOffset::east_opt(30).unwrap();
        let c = chrono::DateTime::from_timestamp(0, 0)
            .unwrap()
            .with_timezone(&odd_offset);
        assert!(DateTime::try_from(c).is_err());
        assert!(TimeSpan::try_from(TimeDelta::MAX).is_err());
        assert!(TimeSpan::try_from(TimeDelta::MIN).is_err());
    }

    #[test]
    fn timespan_converts_both_ways() {
        for nanos in [
            0i128,
            1,
            -1,
            -500_000_000,
            93_600_000_000_123,
            i128::from(i64::MAX) * 100,
            i128::from(i64::MIN) * 100,
        ] {
            let wire = TimeSpan::from_nanos(nanos).unwrap();
            let delta = TimeDelta::try_from(wire).unwrap();
            assert_eq!(
                i128::from(delta.num_seconds()) * 1_000_000_000 + i128::from(delta.subsec_nanos()),
                nanos
            );
            assert_eq!(TimeSpan::try_from(delta).unwrap(), wire);
        }
    }

    #[test]
    fn with_modules_read_every_form() {
        #[derive(serde::Serialize, serde::Deserialize)]
        struct T {
            #[serde(with = "crate::wire::chrono_datetime")]
            at: chrono::DateTime<FixedOffset>,
            #[serde(with = "crate::wire::chrono_datetime::option", default)]
            maybe: Option<chrono::DateTime<FixedOffset>>,
            #[serde(with = "crate::wire::chrono_timespan::option", default)]
            span: Option<TimeDelta>,
        }
        let t: T = serde_json::from_str(r#"{"at":"2021-01-01","maybe":"\/Date(0)\/"}"#).unwrap();
        assert_eq!(t.at.timestamp(), 1_609_459_200);
        assert_eq!(t.maybe.map(|m| m.timestamp()), Some(0));
        assert_eq!(t.span, None);
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"at":"2021-01-01T00:00:00Z","maybe":"1970-01-01T00:00:00Z","span":null}"#
        );
        let err = serde_json::from_str::<T>(r#"{"at":"2021-01-01","span":"P1Y"}"#)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("the unit `Y` has no fixed length"), "{err}");
    }
}
