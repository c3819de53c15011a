//! .NET `DateTime` / `DateTimeOffset` on the wire: `/Date(ms±hhmm)/` and ISO 8601.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::scan::{write_fraction, Scanner};
use super::WireError;

const WHAT: &str = "date";
const SECS_PER_DAY: i64 = 86_400;
/// 0001-01-01T00:00:00, .NET's `DateTime.MinValue`, in Unix seconds.
const MIN_LOCAL_SECS: i64 = -62_135_596_800;
/// 9999-12-31T23:59:59, the last whole second of .NET's `DateTime.MaxValue`.
const MAX_LOCAL_SECS: i64 = 253_402_300_799;
/// Offsets stay within a day, as ISO 8601's `±hh:mm` (hh <= 23) allows.
const MAX_OFFSET_MINUTES: i16 = 23 * 60 + 59;

/// A point in time as ServiceStack sends it: an instant, and the UTC offset it was written
/// with, if any.
///
/// * `/Date(ms)/` is UTC (offset `Some(0)`); `/Date(ms+hhmm)/` is the instant `ms` shown at
///   that offset; `/Date(ms-0000)/` is ServiceStack's mark for a `DateTime` of unspecified kind
///   (offset `None`).
/// * ISO 8601 with `Z` or `±hh:mm` has that offset; without one (`2021-01-01T10:00:00`, or a
///   date alone) the offset is `None` and the wall-clock time is kept as if it were UTC.
///
/// The wall-clock time (the instant plus the offset) is always within .NET's range, years
/// 1 to 9999. Equality compares instant and offset, so the same instant written with two
/// offsets gives two unequal values; compare [`unix_seconds`](Self::unix_seconds) and
/// [`subsec_nanos`](Self::subsec_nanos) for the instant alone.
///
/// ```
/// use ssdto::wire::DateTime;
///
/// let utc: DateTime = "/Date(1609459200000)/".parse().unwrap();
/// let iso: DateTime = "2021-01-01T00:00:00Z".parse().unwrap();
/// assert_eq!(utc, iso);
/// assert_eq!(iso.to_wcf_json(), "/Date(1609459200000)/");
///
/// let local: DateTime = "2021-01-01T10:30:00.1234567".parse().unwrap();
/// assert_eq!(local.offset_minutes(), None);
/// assert_eq!(local.to_string(), "2021-01-01T10:30:00.1234567");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime {
    /// The instant, in seconds since 1970-01-01T00:00:00Z.
    secs: i64,
    nanos: u32,
    offset: Option<i16>,
}

impl DateTime {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: DateTime = DateTime {
        secs: 0,
        nanos: 0,
        offset: Some(0),
    };

    /// An instant (seconds and nanoseconds since the Unix epoch, UTC) and the offset to show
    /// it at (`None`: no offset on the wire, the wall-clock time is the UTC time).
    ///
    /// Fails if `nanos` is a second or more, the offset is a day or more, or the wall-clock
    /// time falls outside years 1 to 9999.
    pub fn from_unix(
        secs: i64,
        nanos: u32,
        offset_minutes: Option<i16>,
    ) -> Result<Self, WireError> {
        let range = |component| WireError::OutOfRange {
            what: WHAT,
            component,
        };
        if nanos >= 1_000_000_000 {
            return Err(range("nanoseconds"));
        }
        let offset = offset_minutes.unwrap_or(0);
        if offset.unsigned_abs() > MAX_OFFSET_MINUTES.unsigned_abs() {
            return Err(range("offset"));
        }
        let local = secs
            .checked_add(i64::from(offset) * 60)
            .ok_or_else(|| range("seconds"))?;
        if !(MIN_LOCAL_SECS..=MAX_LOCAL_SECS).contains(&local) {
            return Err(range("year"));
        }
        Ok(Self {
            secs,
            nanos,
            offset: offset_minutes,
        })
    }

    /// Milliseconds since the Unix epoch, as `/Date(ms)/` carries them.
    pub fn from_unix_millis(millis: i64, offset_minutes: Option<i16>) -> Result<Self, WireError> {
        let secs = millis.div_euclid(1000);
        // rem_euclid is in 0..1000, so the product fits in u32.
        let nanos = u32::try_from(millis.rem_euclid(1000) * 1_000_000).map_err(|_| {
            WireError::OutOfRange {
                what: WHAT,
                component: "milliseconds",
            }
        })?;
        Self::from_unix(secs, nanos, offset_minutes)
    }

    /// Reads any form ServiceStack writes (see the type's docs); surrounding whitespace is
    /// ignored.
    pub fn parse(text: &str) -> Result<Self, WireError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(WireError::Empty { what: WHAT });
        }
        if text.starts_with("/Date(") || text.starts_with("\\/Date(") {
            parse_wcf(text)
        } else {
            parse_iso(text)
        }
    }

    /// Whole seconds since 1970-01-01T00:00:00Z (floored, so negative for earlier instants).
    pub fn unix_seconds(&self) -> i64 {
        self.secs
    }

    /// The nanoseconds past [`unix_seconds`](Self::unix_seconds), below 1 000 000 000.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Milliseconds since the Unix epoch, floored, as `/Date(ms)/` carries them.
    pub fn unix_millis(&self) -> i64 {
        // In range by construction: |secs| < 2.6e11, so secs * 1000 cannot overflow.
        self.secs * 1000 + i64::from(self.nanos / 1_000_000)
    }

    /// The UTC offset in minutes the value was written with; `None` when the wire gave none.
    pub fn offset_minutes(&self) -> Option<i16> {
        self.offset
    }

    /// The same instant at another offset (or, with `None`, as a wall-clock time in UTC).
    pub fn with_offset(&self, offset_minutes: Option<i16>) -> Result<Self, WireError> {
        Self::from_unix(self.secs, self.nanos, offset_minutes)
    }

    /// The classic ServiceStack form `/Date(ms)/`, `/Date(ms+hhmm)/`, or `/Date(ms-0000)/`
    /// for a value without offset. It carries milliseconds: finer digits are dropped.
    pub fn to_wcf_json(&self) -> String {
        let millis = self.unix_millis();
        match self.offset {
            Some(0) => format!("/Date({millis})/"),
            None => format!("/Date({millis}-0000)/"),
            Some(offset) => {
                let sign = if offset < 0 { '-' } else { '+' };
                let abs = offset.unsigned_abs();
                format!("/Date({millis}{sign}{:02}{:02})/", abs / 60, abs % 60)
            }
        }
    }

    /// The wall-clock time: Unix seconds of the local time, as if it were UTC.
    fn local_secs(&self) -> i64 {
        self.secs + i64::from(self.offset.unwrap_or(0)) * 60
    }
}

impl Default for DateTime {
    /// .NET's `default(DateTime)`: `0001-01-01T00:00:00` without offset, what ServiceStack
    /// sends for a date that was never set.
    fn default() -> Self {
        Self {
            secs: MIN_LOCAL_SECS,
            nanos: 0,
            offset: None,
        }
    }
}

impl fmt::Display for DateTime {
    /// ISO 8601 as System.Text.Json writes it: `2021-01-01T10:00:00.5+01:00`, `Z` for UTC,
    /// nothing for a value without offset; fraction digits only as many as needed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let local = self.local_secs();
        let days = local.div_euclid(SECS_PER_DAY);
        let secs_of_day = local.rem_euclid(SECS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
            secs_of_day / 3600,
            secs_of_day / 60 % 60,
            secs_of_day % 60
        )?;
        write_fraction(f, self.nanos)?;
        match self.offset {
            None => Ok(()),
            Some(0) => f.write_str("Z"),
            Some(offset) => {
                let sign = if offset < 0 { '-' } else { '+' };
                let abs = offset.unsigned_abs();
                write!(f, "{sign}{:02}:{:02}", abs / 60, abs % 60)
            }
        }
    }
}

impl FromStr for DateTime {
    type Err = WireError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(super::ParseVisitor::<Self>::new("a date"))
    }
}

/// `/Date(ms)/`, `/Date(ms+hhmm)/`, `/Date(ms-hhmm)/`, with `\/` for `/` as JSON may escape it.
fn parse_wcf(text: &str) -> Result<DateTime, WireError> {
    let mut s = Scanner::new(text, WHAT);
    s.eat(b'\\');
    for &b in b"/Date(" {
        s.expect(b, "`/Date(`")?;
    }
    let negative = s.eat(b'-');
    let magnitude = s.number("milliseconds", "milliseconds")?;
    let magnitude = i64::try_from(magnitude).map_err(|_| s.out_of_range("milliseconds"))?;
    let millis = if negative { -magnitude } else { magnitude };
    let offset = match s.eat_any(b"+-") {
        Some(sign) => {
            let hours = s.fixed_digits(2, "a four-digit offset `hhmm`")?;
            let minutes = s.fixed_digits(2, "a four-digit offset `hhmm`")?;
            if hours > 23 || minutes > 59 {
                return Err(s.out_of_range("offset"));
            }
            // Both are tiny, so the cast cannot truncate.
            let total = (hours * 60 + minutes) as i16;
            match (sign, total) {
                // ServiceStack writes `-0000` for a DateTime of unspecified kind.
                (b'-', 0) => None,
                (b'-', t) => Some(-t),
                (_, t) => Some(t),
            }
        }
        None => Some(0),
    };
    s.expect(b')', "`)`")?;
    s.eat(b'\\');
    s.expect(b'/', "`/` after `)`")?;
    s.finish()?;
    DateTime::from_unix_millis(millis, offset)
}

/// `YYYY-MM-DD`, optionally followed by `THH:MM[:SS[.f]]` (`t` or a space also separate) and
/// `Z`, `±HH:MM`, `±HHMM` or `±HH`.
fn parse_iso(text: &str) -> Result<DateTime, WireError> {
    let mut s = Scanner::new(text, WHAT);
    let year = s.fixed_digits(4, "a four-digit year")?;
    s.expect(b'-', "`-` after the year")?;
    let month = s.fixed_digits(2, "a two-digit month")?;
    s.expect(b'-', "`-` after the month")?;
    let day = s.fixed_digits(2, "a two-digit day")?;
    if year == 0 {
        return Err(s.out_of_range("year"));
    }
    if !(1..=12).contains(&month) {
        return Err(s.out_of_range("month"));
    }
    if day == 0 || day > days_in_month(year, month) {
        return Err(s.out_of_range("day"));
    }
    let days = days_from_civil(i64::from(year), month, day);
    let mut secs_of_day = 0i64;
    let mut nanos = 0u32;
    let mut offset = None;
    if s.eat_any(b"Tt ").is_some() {
        let hour = s.fixed_digits(2, "a two-digit hour")?;
        s.expect(b':', "`:` after the hour")?;
        let minute = s.fixed_digits(2, "two-digit minutes")?;
        let mut second = 0;
        if s.eat(b':') {
            second = s.fixed_digits(2, "two-digit seconds")?;
            if s.eat_any(b".,").is_some() {
                nanos = s.fraction_nanos()?;
            }
        }
        if hour > 23 {
            return Err(s.out_of_range("hour"));
        }
        if minute > 59 {
            return Err(s.out_of_range("minute"));
        }
        if second > 59 {
            return Err(s.out_of_range("second"));
        }
        secs_of_day = i64::from(hour * 3600 + minute * 60 + second);
        offset = parse_iso_offset(&mut s)?;
    }
    s.finish()?;
    let local = days * SECS_PER_DAY + secs_of_day;
    let utc = local - i64::from(offset.unwrap_or(0)) * 60;
    DateTime::from_unix(utc, nanos, offset)
}

fn parse_iso_offset(s: &mut Scanner<'_>) -> Result<Option<i16>, WireError> {
    if s.eat_any(b"Zz").is_some() {
        return Ok(Some(0));
    }
    let Some(sign) = s.eat_any(b"+-") else {
        return Ok(None);
    };
    let hours = s.fixed_digits(2, "a two-digit offset hour")?;
    // Minutes are optional (`+01`), with or without a colon (`+01:00`, `+0100`).
    let colon = s.eat(b':');
    let minutes = if colon || s.peek().is_some_and(|b| b.is_ascii_digit()) {
        s.fixed_digits(2, "two-digit offset minutes")?
    } else {
        0
    };
    if hours > 23 || minutes > 59 {
        return Err(s.out_of_range("offset"));
    }
    // At most 23 * 60 + 59, so the cast cannot truncate.
    let total = (hours * 60 + minutes) as i16;
    Ok(Some(if sign == b'-' { -total } else { total }))
}

fn is_leap(year: u32) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`]: (year, month, day).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> DateTime {
        DateTime::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn wcf_forms() {
        let d = parse("/Date(1609459200000)/");
        assert_eq!(
            (d.unix_seconds(), d.offset_minutes()),
            (1_609_459_200, Some(0))
        );
        let d = parse("/Date(1609459200123+0130)/");
        assert_eq!(d.unix_millis(), 1_609_459_200_123);
        assert_eq!(d.subsec_nanos(), 123_000_000);
        assert_eq!(d.offset_minutes(), Some(90));
        assert_eq!(d.to_string(), "2021-01-01T01:30:00.123+01:30");
        let d = parse("/Date(1609459200000-0500)/");
        assert_eq!(d.offset_minutes(), Some(-300));
        assert_eq!(d.to_string(), "2020-12-31T19:00:00-05:00");
        let unspecified = parse("/Date(1609459200000-0000)/");
        assert_eq!(unspecified.offset_minutes(), None);
        assert_eq!(unspecified.to_string(), "2021-01-01T00:00:00");
        assert_eq!(parse("\\/Date(0)\\/"), DateTime::UNIX_EPOCH);
        assert_eq!(parse("  /Date(0+0000)/ "), DateTime::UNIX_EPOCH);
    }

    #[test]
    fn dotnet_min_and_max_values() {
        let min = parse("/Date(-62135596800000)/");
        assert_eq!(min.to_string(), "0001-01-01T00:00:00Z");
        assert_eq!(min, parse("0001-01-01T00:00:00Z"));
        assert_eq!(min.to_wcf_json(), "/Date(-62135596800000)/");
        let max = parse("9999-12-31T23:59:59.9999999");
        assert_eq!(max.to_string(), "9999-12-31T23:59:59.9999999");
        assert_eq!(max.unix_seconds(), MAX_LOCAL_SECS);
        assert_eq!(max.to_wcf_json(), "/Date(253402300799999-0000)/");
        // One millisecond before .NET's DateTime.MinValue.
        assert!(matches!(
            DateTime::parse("/Date(-62135596800001)/"),
            Err(WireError::OutOfRange {
                component: "year",
                ..
            })
        ));
        // The wall-clock time, not the instant, is bounded: 0001-01-01T00:00Z at -01:00 is
        // year 0 locally.
        assert!(DateTime::parse("/Date(-62135596800000-0100)/").is_err());
        assert!(DateTime::parse("/Date(-62135596800000+0100)/").is_ok());
    }

    #[test]
    fn default_is_dotnet_default() {
        let d = DateTime::default();
        assert_eq!(d.to_string(), "0001-01-01T00:00:00");
        assert_eq!(parse("0001-01-01T00:00:00"), d);
        assert_eq!(d.to_wcf_json(), "/Date(-62135596800000-0000)/");
    }

    #[test]
    fn extreme_numbers_are_errors_not_panics() {
        for text in [
            "/Date(9223372036854775807)/",
            "/Date(-9223372036854775808)/",
            "/Date(9223372036854775808)/",
            "/Date(99999999999999999999999999)/",
            "/Date(-99999999999999999999999999+2359)/",
        ] {
            assert!(
                matches!(DateTime::parse(text), Err(WireError::OutOfRange { .. })),
                "{text}"
            );
        }
        assert!(DateTime::from_unix(i64::MAX, 0, Some(MAX_OFFSET_MINUTES)).is_err());
        assert!(DateTime::from_unix(i64::MIN, 0, Some(-MAX_OFFSET_MINUTES)).is_err());
        assert!(DateTime::from_unix_millis(i64::MIN, None).is_err());
        assert!(DateTime::from_unix(0, 1_000_000_000, None).is_err());
        assert!(DateTime::from_unix(0, 0, Some(i16::MIN)).is_err());
        assert!(DateTime::from_unix(0, 0, Some(24 * 60)).is_err());
    }

    #[test]
    fn iso_forms() {
        let utc = parse("2021-01-01T00:00:00Z");
        assert_eq!(utc.unix_seconds(), 1_609_459_200);
        assert_eq!(parse("2021-01-01t00:00:00z"), utc);
        assert_eq!(parse("2021-01-01T00:00:00.0000000Z"), utc);
        assert_eq!(parse("2021-01-01T00:00Z"), utc);
        assert_eq!(
            parse("2021-01-01T01:00:00+01:00").unix_seconds(),
            1_609_459_200
        );
        assert_eq!(
            parse("2021-01-01T01:00:00+0100").unix_seconds(),
            1_609_459_200
        );
        assert_eq!(
            parse("2021-01-01T01:00:00+01").unix_seconds(),
            1_609_459_200
        );
        assert_eq!(
            parse("2020-12-31T23:00:00-01:00").offset_minutes(),
            Some(-60)
        );
        let d = parse("2021-01-01");
        assert_eq!(
            (d.unix_seconds(), d.offset_minutes()),
            (1_609_459_200, None)
        );
        assert_eq!(d.to_string(), "2021-01-01T00:00:00");
        assert_eq!(
            parse("2021-01-01 10:00:00").to_string(),
            "2021-01-01T10:00:00"
        );
        let d = parse("2025-11-08T19:08:02.2410172Z");
        assert_eq!(d.subsec_nanos(), 241_017_200);
        assert_eq!(d.to_string(), "2025-11-08T19:08:02.2410172Z");
        assert_eq!(parse("2021-01-01T00:00:00,5Z").subsec_nanos(), 500_000_000);
        // Digits past nanoseconds are dropped, not rounded.
        assert_eq!(
            parse("2021-01-01T00:00:00.1234567899Z").subsec_nanos(),
            123_456_789
        );
        assert_eq!(
            parse("2024-02-29T00:00:00Z").to_string(),
            "2024-02-29T00:00:00Z"
        );
        assert_eq!(parse("1969-12-31T23:59:59.5Z").unix_millis(), -500);
    }

    #[test]
    fn errors_name_the_problem() {
        let err = |s: &str| DateTime::parse(s).unwrap_err().to_string();
        assert_eq!(err(""), "invalid date: empty");
        assert_eq!(err("2021-13-01"), "invalid date: month out of range");
        assert_eq!(err("2023-02-29"), "invalid date: day out of range");
        assert_eq!(
            err("2021-01-01T24:00:00"),
            "invalid date: hour out of range"
        );
        assert_eq!(
            err("2021-01-01T00:00:60"),
            "invalid date: second out of range"
        );
        assert_eq!(err("0000-01-01"), "invalid date: year out of range");
        assert_eq!(
            err("2021-01-01T00:00:00+24:00"),
            "invalid date: offset out of range"
        );
        assert_eq!(
            err("2021-1-01"),
            "invalid date: expected a two-digit month at byte 5"
        );
        assert_eq!(
            err("2021-01-01T00:00:00Zjunk"),
            "invalid date: unexpected text at byte 20"
        );
        assert_eq!(
            err("2021-01-01T00:00:00."),
            "invalid date: expected a digit after the decimal point at byte 20"
        );
        assert_eq!(
            err("/Date(12)"),
            "invalid date: expected `/` after `)` at byte 9"
        );
        assert_eq!(
            err("/Date(12+1)/"),
            "invalid date: expected a four-digit offset `hhmm` at byte 9"
        );
        assert_eq!(
            err("/Date()/"),
            "invalid date: expected milliseconds at byte 6"
        );
        assert_eq!(
            err("yesterday"),
            "invalid date: expected a four-digit year at byte 0"
        );
        assert!(DateTime::parse("2021-01-01T00:00:00Zé").is_err());
    }

    #[test]
    fn civil_conversions_agree_over_the_whole_range() {
        // Every 97th day from 0001-01-01 to 9999-12-31, both directions.
        let first = days_from_civil(1, 1, 1);
        let last = days_from_civil(9999, 12, 31);
        assert_eq!(first * SECS_PER_DAY, MIN_LOCAL_SECS);
        assert_eq!(last * SECS_PER_DAY + SECS_PER_DAY - 1, MAX_LOCAL_SECS);
        let mut day = first;
        while day <= last {
            let (y, m, d) = civil_from_days(day);
            let (y32, m32, d32) = (y as u32, m as u32, d as u32);
            assert!(d32 <= days_in_month(y32, m32));
            assert_eq!(days_from_civil(y, m32, d32), day);
            day += 97;
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn serde_reads_every_form_and_writes_iso() {
        let d: DateTime = serde_json::from_str(r#""\/Date(1609459200000+0100)\/""#).unwrap();
        assert_eq!(
            serde_json::to_string(&d).unwrap(),
            r#""2021-01-01T01:00:00+01:00""#
        );
        let err = serde_json::from_str::<DateTime>(r#""2021-02-30""#).unwrap_err();
        assert!(err.to_string().contains("day out of range"), "{err}");
        assert!(serde_json::from_str::<DateTime>("12").is_err());
        let opt: Option<DateTime> = serde_json::from_str("null").unwrap();
        assert_eq!(opt, None);
    }
}
