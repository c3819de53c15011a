//! .NET `TimeSpan` on the wire: an XSD duration such as `PT1H30M`, as ServiceStack writes it.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::scan::{write_fraction, Scanner};
use super::WireError;

const WHAT: &str = "TimeSpan";
const NANOS_PER_SEC: u128 = 1_000_000_000;
/// .NET's `TimeSpan.MaxValue` (`i64::MAX` ticks of 100 ns) in nanoseconds.
const MAX_POSITIVE_NANOS: u128 = i64::MAX as u128 * 100;
/// The magnitude of `TimeSpan.MinValue`, one tick more than the maximum.
const MAX_NEGATIVE_NANOS: u128 = MAX_POSITIVE_NANOS + 100;

/// A signed span of time with nanosecond precision, within .NET's `TimeSpan` range
/// (±10 675 199 days), since `std::time::Duration` cannot be negative.
///
/// Reads XSD durations (`P1DT2H`, `PT1H30M`, `-PT0.5S`, `PT0S`; days, hours, minutes and
/// seconds in that order, a fraction on seconds only) and .NET's own `[-][d.]hh:mm:ss[.f]`
/// form, which plain System.Text.Json writes. Writes the XSD form exactly as ServiceStack's
/// `TimeSpanConverter` does: whole days, then `T` and the non-zero hours, minutes and
/// seconds, `PT0S` for zero.
///
/// ```
/// use ssdto::wire::TimeSpan;
/// use std::time::Duration;
///
/// let t: TimeSpan = "P1DT2H0.25S".parse().unwrap();
/// assert_eq!(t.magnitude(), Duration::from_millis(93_600_250));
/// assert_eq!(t.to_string(), "P1DT2H0.25S");
/// assert_eq!("1.02:00:00.25".parse::<TimeSpan>().unwrap(), t);
/// assert_eq!(TimeSpan::ZERO.to_string(), "PT0S");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct TimeSpan {
    /// Never set for zero, so that equality is plain field equality.
    negative: bool,
    secs: u64,
    nanos: u32,
}

impl TimeSpan {
    /// No time at all.
    pub const ZERO: TimeSpan = TimeSpan {
        negative: false,
        secs: 0,
        nanos: 0,
    };

    /// A span of `magnitude`, backwards in time if `negative`. Fails beyond .NET's range.
    pub fn new(negative: bool, magnitude: Duration) -> Result<Self, WireError> {
        Self::from_magnitude_nanos(negative, magnitude.as_nanos())
    }

    /// A span of `nanos` nanoseconds, negative for backwards. Fails beyond .NET's range.
    pub fn from_nanos(nanos: i128) -> Result<Self, WireError> {
        Self::from_magnitude_nanos(nanos < 0, nanos.unsigned_abs())
    }

    fn from_magnitude_nanos(negative: bool, nanos: u128) -> Result<Self, WireError> {
        let max = if negative {
            MAX_NEGATIVE_NANOS
        } else {
            MAX_POSITIVE_NANOS
        };
        if nanos > max {
            return Err(WireError::OutOfRange {
                what: WHAT,
                component: "duration",
            });
        }
        // Both fit: nanos <= ~9.2e20, so nanos / 1e9 < 2^40, and the remainder < 1e9.
        let secs = (nanos / NANOS_PER_SEC) as u64;
        let sub = (nanos % NANOS_PER_SEC) as u32;
        Ok(Self {
            negative: negative && nanos != 0,
            secs,
            nanos: sub,
        })
    }

    /// Whether the span goes backwards in time.
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The length of the span, without its sign.
    pub fn magnitude(&self) -> Duration {
        Duration::new(self.secs, self.nanos)
    }

    /// The span in nanoseconds, negative for backwards.
    pub fn as_nanos(&self) -> i128 {
        // secs < 2^40, so this cannot overflow an i128.
        let magnitude = i128::from(self.secs) * 1_000_000_000 + i128::from(self.nanos);
        if self.negative {
            -magnitude
        } else {
            magnitude
        }
    }

    /// Reads an XSD duration or .NET's `[-][d.]hh:mm:ss[.f]`; surrounding whitespace is
    /// ignored.
    pub fn parse(text: &str) -> Result<Self, WireError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(WireError::Empty { what: WHAT });
        }
        let mut s = Scanner::new(text, WHAT);
        let negative = s.eat(b'-');
        if !negative {
            s.eat(b'+');
        }
        let nanos = if s.eat_any(b"Pp").is_some() {
            parse_xsd(&mut s)?
        } else if s.peek().is_some_and(|b| b.is_ascii_digit()) {
            parse_clock(&mut s)?
        } else {
            return Err(s.syntax("`P` or a number"));
        };
        s.finish()?;
        Self::from_magnitude_nanos(negative, nanos)
    }
}

/// The part after `P`: `[nD][T[nH][nM][n[.f]S]]`, at least one component.
fn parse_xsd(s: &mut Scanner<'_>) -> Result<u128, WireError> {
    let mut total: u128 = 0;
    let mut in_time = false;
    let mut time_components = 0;
    let mut components = 0;
    // Units must come in order: D (1), H (2), M (3), S (4).
    let mut last_rank = 0;
    while !s.at_end() {
        if !in_time && s.eat_any(b"Tt").is_some() {
            in_time = true;
            continue;
        }
        let value = s.number("a number", "duration")?;
        let fraction = if s.eat_any(b".,").is_some() {
            Some(s.fraction_nanos()?)
        } else {
            None
        };
        let unit_pos = s.pos();
        let unit = s.peek().map(|b| b.to_ascii_uppercase());
        let (rank, secs_per_unit) = match (in_time, unit) {
            (false, Some(b'D')) => (1, 86_400u128),
            (false, Some(u @ (b'Y' | b'M' | b'W'))) => {
                return Err(WireError::UnsupportedUnit {
                    unit: char::from(u),
                })
            }
            (true, Some(b'H')) => (2, 3_600),
            (true, Some(b'M')) => (3, 60),
            (true, Some(b'S')) => (4, 1),
            (false, _) => return Err(s.syntax("`D` or `T`")),
            (true, _) => return Err(s.syntax("`H`, `M` or `S`")),
        };
        if fraction.is_some() && rank != 4 {
            return Err(WireError::Syntax {
                what: WHAT,
                expected: "a whole number (only seconds take a fraction)",
                position: unit_pos,
            });
        }
        if rank <= last_rank {
            return Err(s.syntax("units in the order D, H, M, S"));
        }
        s.eat_any(b"DdHhMmSs");
        last_rank = rank;
        components += 1;
        if in_time {
            time_components += 1;
        }
        let nanos = u128::from(value)
            .checked_mul(secs_per_unit * NANOS_PER_SEC)
            .and_then(|n| n.checked_add(u128::from(fraction.unwrap_or(0))))
            .and_then(|n| total.checked_add(n))
            .ok_or_else(|| s.out_of_range("duration"))?;
        total = nanos;
    }
    if components == 0 || (in_time && time_components == 0) {
        return Err(s.syntax(if in_time {
            "a component after `T`"
        } else {
            "a component after `P`"
        }));
    }
    Ok(total)
}

/// .NET's constant format: `[d.]hh:mm:ss[.f]`, hours below 24, minutes and seconds below 60.
fn parse_clock(s: &mut Scanner<'_>) -> Result<u128, WireError> {
    let first = s.number("a number", "duration")?;
    let (days, hours) = if s.eat(b'.') {
        (first, s.number("hours", "hours")?)
    } else {
        (0, first)
    };
    s.expect(b':', "`:` after the hours")?;
    let minutes = s.fixed_digits(2, "two-digit minutes")?;
    s.expect(b':', "`:` after the minutes")?;
    let seconds = s.fixed_digits(2, "two-digit seconds")?;
    let nanos = if s.eat(b'.') { s.fraction_nanos()? } else { 0 };
    if hours > 23 {
        return Err(s.out_of_range("hours"));
    }
    if minutes > 59 {
        return Err(s.out_of_range("minutes"));
    }
    if seconds > 59 {
        return Err(s.out_of_range("seconds"));
    }
    let secs = u128::from(days) * 86_400
        + u128::from(hours) * 3_600
        + u128::from(minutes) * 60
        + u128::from(seconds);
    // days < 2^64, so secs < 2^81 and the product < 2^111: no overflow in u128.
    Ok(secs * NANOS_PER_SEC + u128::from(nanos))
}

impl fmt::Display for TimeSpan {
    /// The XSD duration ServiceStack writes: `P1D`, `PT1H30M`, `-PT0.5S`, `PT0S`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.negative { "-P" } else { "P" })?;
        let days = self.secs / 86_400;
        let rest = self.secs % 86_400;
        let (hours, minutes, seconds) = (rest / 3_600, rest / 60 % 60, rest % 60);
        if days > 0 {
            write!(f, "{days}D")?;
        }
        if days == 0 || rest > 0 || self.nanos > 0 {
            f.write_str("T")?;
            if hours > 0 {
                write!(f, "{hours}H")?;
            }
            if minutes > 0 {
                write!(f, "{minutes}M")?;
            }
            if seconds > 0 || self.nanos > 0 {
                write!(f, "{seconds}")?;
                write_fraction(f, self.nanos)?;
                f.write_str("S")?;
            } else if hours == 0 && minutes == 0 {
                f.write_str("0S")?;
            }
        }
        Ok(())
    }
}

impl Ord for TimeSpan {
    /// Shorter (more negative) spans first, as on a number line.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_nanos().cmp(&other.as_nanos())
    }
}

impl PartialOrd for TimeSpan {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl FromStr for TimeSpan {
    type Err = WireError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<Duration> for TimeSpan {
    type Error = WireError;

    fn try_from(duration: Duration) -> Result<Self, Self::Error> {
        Self::new(false, duration)
    }
}

impl Serialize for TimeSpan {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeSpan {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(super::ParseVisitor::<Self>::new("a TimeSpan"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nanos(s: &str) -> i128 {
        TimeSpan::parse(s)
            .unwrap_or_else(|e| panic!("{s}: {e}"))
            .as_nanos()
    }

    const SEC: i128 = 1_000_000_000;

    #[test]
    fn reads_xsd_durations() {
        assert_eq!(nanos("PT1H30M"), 5_400 * SEC);
        assert_eq!(nanos("P1DT2H"), 93_600 * SEC);
        assert_eq!(nanos("-PT0.5S"), -SEC / 2);
        assert_eq!(nanos("PT0S"), 0);
        assert_eq!(nanos("P0D"), 0);
        assert_eq!(nanos("P2D"), 2 * 86_400 * SEC);
        assert_eq!(nanos("PT36H"), 36 * 3_600 * SEC);
        assert_eq!(nanos("PT90M"), 5_400 * SEC);
        assert_eq!(nanos("pt1m1.0000001s"), 61 * SEC + 100);
        assert_eq!(nanos("+PT1S"), SEC);
        assert_eq!(nanos("PT0,25S"), SEC / 4);
        assert!(!TimeSpan::parse("-PT0S").unwrap().is_negative());
    }

    #[test]
    fn reads_dotnet_clock_form() {
        assert_eq!(nanos("01:30:00"), 5_400 * SEC);
        assert_eq!(nanos("-1.02:00:00.5"), -(93_600 * SEC + SEC / 2));
        assert_eq!(nanos("00:00:00"), 0);
        assert_eq!(
            nanos("10675199.02:48:05.4775807"),
            i128::from(i64::MAX) * 100
        );
    }

    #[test]
    fn writes_like_servicestack() {
        let write = |n: i128| TimeSpan::from_nanos(n).unwrap().to_string();
        assert_eq!(write(86_400 * SEC), "P1D");
        assert_eq!(write(3_600 * SEC), "PT1H");
        assert_eq!(write(60 * SEC), "PT1M");
        assert_eq!(write(SEC), "PT1S");
        assert_eq!(write(0), "PT0S");
        assert_eq!(write(93_600 * SEC), "P1DT2H");
        assert_eq!(write(86_400 * SEC + 1), "P1DT0.000000001S");
        assert_eq!(write(-SEC / 2), "-PT0.5S");
        assert_eq!(write(5_400 * SEC + 100), "PT1H30M0.0000001S");
        // .NET's TimeSpan.MinValue and MaxValue, as ServiceStack spells them.
        assert_eq!(
            write(i128::from(i64::MAX) * 100),
            "P10675199DT2H48M5.4775807S"
        );
        assert_eq!(
            write(i128::from(i64::MIN) * 100),
            "-P10675199DT2H48M5.4775808S"
        );
    }

    #[test]
    fn extreme_numbers_are_errors_not_panics() {
        let max = i128::from(i64::MAX) * 100;
        assert!(TimeSpan::from_nanos(max + 1).is_err());
        assert!(TimeSpan::from_nanos(-max - 100).is_ok());
        assert!(TimeSpan::from_nanos(-max - 101).is_err());
        assert!(TimeSpan::from_nanos(i128::MIN).is_err());
        assert!(TimeSpan::from_nanos(i128::MAX).is_err());
        assert!(TimeSpan::new(false, Duration::MAX).is_err());
        for text in [
            "P18446744073709551615D",
            "P18446744073709551616D",
            "PT18446744073709551615H18446744073709551615M18446744073709551615.999999999S",
            "P10675199DT2H48M5.4775808S",
            "18446744073709551615.23:59:59.9999999",
        ] {
            assert!(
                matches!(TimeSpan::parse(text), Err(WireError::OutOfRange { .. })),
                "{text}"
            );
        }
        assert!(TimeSpan::parse("-P10675199DT2H48M5.4775808S").is_ok());
    }

    #[test]
    fn errors_name_the_problem() {
        let err = |s: &str| TimeSpan::parse(s).unwrap_err().to_string();
        assert_eq!(err(" "), "invalid TimeSpan: empty");
        assert_eq!(
            err("P1Y"),
            "invalid TimeSpan: the unit `Y` has no fixed length"
        );
        assert_eq!(
            err("P1M"),
            "invalid TimeSpan: the unit `M` has no fixed length"
        );
        assert_eq!(
            err("P1W"),
            "invalid TimeSpan: the unit `W` has no fixed length"
        );
        assert_eq!(
            err("P"),
            "invalid TimeSpan: expected a component after `P` at byte 1"
        );
        assert_eq!(
            err("PT"),
            "invalid TimeSpan: expected a component after `T` at byte 2"
        );
        assert_eq!(
            err("P1DT"),
            "invalid TimeSpan: expected a component after `T` at byte 4"
        );
        assert_eq!(
            err("PT1S1M"),
            "invalid TimeSpan: expected units in the order D, H, M, S at byte 5"
        );
        assert_eq!(
            err("PT1.5H"),
            "invalid TimeSpan: expected a whole number (only seconds take a fraction) at byte 5"
        );
        assert_eq!(
            err("PT1"),
            "invalid TimeSpan: expected `H`, `M` or `S` at byte 3"
        );
        assert_eq!(
            err("P1H"),
            "invalid TimeSpan: expected `D` or `T` at byte 2"
        );
        assert_eq!(
            err("1H"),
            "invalid TimeSpan: expected `:` after the hours at byte 1"
        );
        assert_eq!(err("24:00:00"), "invalid TimeSpan: hours out of range");
        assert_eq!(err("00:60:00"), "invalid TimeSpan: minutes out of range");
        assert_eq!(
            err("PT1HX"),
            "invalid TimeSpan: expected a number at byte 4"
        );
        assert_eq!(
            err("--PT1S"),
            "invalid TimeSpan: expected `P` or a number at byte 1"
        );
    }

    #[test]
    fn orders_as_signed_durations() {
        let mut spans: Vec<TimeSpan> = ["PT1S", "-PT2S", "PT0S", "-PT1S", "P1D"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        spans.sort();
        let text: Vec<String> = spans.iter().map(ToString::to_string).collect();
        assert_eq!(text, ["-PT2S", "-PT1S", "PT0S", "PT1S", "P1D"]);
    }

    #[test]
    fn serde_round_trip() {
        let t: TimeSpan = serde_json::from_str(r#""PT1H30M""#).unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), r#""PT1H30M""#);
        assert!(serde_json::from_str::<TimeSpan>(r#""1 hour""#).is_err());
    }
}
