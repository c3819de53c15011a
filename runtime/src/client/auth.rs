//! Credentials the client sends, and the session cookies ServiceStack answers with.
//!
//! ServiceStack authenticates a request by any of: an `Authorization: Basic` header (when the
//! server has the Basic auth provider), an `Authorization: Bearer` header (a JWT, or an API
//! key: ServiceStack's API key provider reads keys from the bearer token), or the session
//! cookies `ss-id` / `ss-pid` (and `ss-opt`, which says whether `ss-pid` is permanent) set by
//! `POST /auth/credentials`. The cookie jar here is deliberately small: one client talks to
//! one server, so it keeps every cookie that server sets, by name, and sends them all back.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use serde::Serialize;

use super::ConfigError;

/// How the client authenticates every request.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Auth {
    /// HTTP Basic: `Authorization: Basic base64(user:password)`.
    Basic {
        /// The user name (must not contain `:`, which Basic auth uses as separator).
        username: String,
        /// The password.
        password: String,
    },
    /// `Authorization: Bearer <token>`: a JWT or a ServiceStack API key.
    Bearer(String),
}

impl Auth {
    /// The `Authorization` header value.
    pub(crate) fn header_value(&self) -> Result<reqwest::header::HeaderValue, ConfigError> {
        let (text, what) = match self {
            Auth::Basic { username, password } => {
                if username.contains(':') {
                    return Err(ConfigError::Credential {
                        what: "user name (it contains `:`)",
                    });
                }
                let raw = format!("{username}:{password}");
                let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
                (format!("Basic {encoded}"), "user name or password")
            }
            Auth::Bearer(token) => (format!("Bearer {token}"), "bearer token"),
        };
        let mut value = reqwest::header::HeaderValue::from_str(&text)
            .map_err(|_| ConfigError::Credential { what })?;
        // Keeps the header out of reqwest's debug output.
        value.set_sensitive(true);
        Ok(value)
    }
}

impl fmt::Debug for Auth {
    /// Never prints secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &"<redacted>")
                .finish(),
            Auth::Bearer(_) => f.debug_tuple("Bearer").field(&"<redacted>").finish(),
        }
    }
}

/// The body of `POST /auth/credentials`, as ServiceStack's `Authenticate` DTO names it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Credentials<'a> {
    pub user_name: &'a str,
    pub password: &'a str,
    pub remember_me: bool,
}

/// The cookies a server set, in the order it first set them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CookieJar {
    cookies: Vec<(String, String)>,
}

impl CookieJar {
    /// Stores or removes a cookie from one `Set-Cookie` header value. A cookie that expires
    /// now or in the past (`Max-Age=0`, an `Expires` date gone by) is removed, which is how
    /// servers log a session out.
    pub fn store(&mut self, set_cookie: &str) {
        self.store_at(set_cookie, now());
    }

    fn store_at(&mut self, set_cookie: &str, now: u64) {
        let mut parts = set_cookie.split(';');
        let Some((name, value)) = parts.next().and_then(|p| p.split_once('=')) else {
            return;
        };
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        let mut expired = false;
        for attribute in parts {
            let (key, arg) = attribute.split_once('=').unwrap_or((attribute, ""));
            let (key, arg) = (key.trim(), arg.trim());
            if key.eq_ignore_ascii_case("max-age") {
                // Max-Age wins over Expires (RFC 6265 5.3), and is decided when seen.
                if let Ok(seconds) = arg.parse::<i64>() {
                    expired = seconds <= 0;
                    break;
                }
            } else if key.eq_ignore_ascii_case("expires") {
                if let Some(at) = parse_http_date(arg) {
                    expired = at <= now;
                }
            }
        }
        self.cookies.retain(|(n, _)| n != name);
        if !expired {
            self.cookies.push((name.to_owned(), value.to_owned()));
        }
    }

    /// Sets a cookie directly, e.g. a saved `ss-pid`.
    pub fn set(&mut self, name: &str, value: &str) {
        self.cookies.retain(|(n, _)| n != name);
        self.cookies.push((name.to_owned(), value.to_owned()));
    }

    /// The value of the cookie `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The `Cookie` request header, or `None` when the jar is empty.
    pub fn header(&self) -> Option<String> {
        if self.cookies.is_empty() {
            return None;
        }
        let pairs: Vec<String> = self
            .cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        Some(pairs.join("; "))
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Parses an HTTP date in the form servers send in `Expires`
/// (`Thu, 01 Jan 1970 00:00:00 GMT`, also with dashes as in `01-Jan-1970`) to Unix seconds.
fn parse_http_date(text: &str) -> Option<u64> {
    // Drop the weekday, then read day, month, year and time whatever the separators.
    let rest = text.split_once(',').map_or(text, |(_, r)| r);
    let mut fields = rest.split([' ', '-']).filter(|f| !f.is_empty());
    let day: u64 = fields.next()?.parse().ok()?;
    let month = fields.next()?;
    let mut year: u64 = fields.next()?.parse().ok()?;
    if year < 100 {
        // Two-digit years as RFC 6265 reads them.
        year += if year < 70 { 2000 } else { 1900 };
    }
    let mut clock = fields.next()?.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, s) = (clock.next()??, clock.next()??, clock.next()??);
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let month_index = MONTHS
        .iter()
        .position(|m| month.get(..3).is_some_and(|p| p.eq_ignore_ascii_case(m)))?;
    if !(1..=31).contains(&day) || year < 1970 || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(year, month_index as u64 + 1, day)?;
    Some(days * 86_400 + h * 3_600 + m * 60 + s)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: u64, month: u64, day: u64) -> Option<u64> {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe).checked_sub(719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_and_bearer_headers() {
        let basic = Auth::Basic {
            username: "admin".into(),
            password: "p@ss:word".into(),
        };
        // base64("admin:p@ss:word")
        assert_eq!(basic.header_value().unwrap(), "Basic YWRtaW46cEBzczp3b3Jk");
        assert!(basic.header_value().unwrap().is_sensitive());
        assert_eq!(
            Auth::Bearer("ak-1".into()).header_value().unwrap(),
            "Bearer ak-1"
        );
        assert!(Auth::Bearer("a\nb".into()).header_value().is_err());
        let colon = Auth::Basic {
            username: "a:b".into(),
            password: String::new(),
        };
        assert!(matches!(
            colon.header_value(),
            Err(ConfigError::Credential { .. })
        ));
        let debug = format!("{basic:?} {:?}", Auth::Bearer("secret".into()));
        assert!(
            !debug.contains("p@ss") && !debug.contains("secret"),
            "{debug}"
        );
    }

    #[test]
    fn jar_keeps_and_replaces_cookies() {
        let mut jar = CookieJar::default();
        assert_eq!(jar.header(), None);
        jar.store("ss-id=abc; path=/; samesite=lax; httponly");
        jar.store("ss-pid=\"def\"; expires=Fri, 01 Jan 2100 00:00:00 GMT; path=/; httponly");
        jar.store("ss-opt=perm; Max-Age=31536000");
        jar.store("ss-id=xyz; path=/");
        assert_eq!(jar.get("ss-pid"), Some("def"));
        assert_eq!(
            jar.header().as_deref(),
            Some("ss-pid=def; ss-opt=perm; ss-id=xyz")
        );
        jar.set("ss-opt", "temp");
        assert_eq!(jar.get("ss-opt"), Some("temp"));
    }

    #[test]
    fn jar_removes_expired_cookies_and_ignores_junk() {
        let mut jar = CookieJar::default();
        jar.store("a=1");
        jar.store("b=2");
        jar.store("c=3");
        jar.store("a=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/");
        jar.store("b=x; Max-Age=0");
        // Max-Age decides over an Expires in the past.
        jar.store("c=4; Expires=Thu, 01-Jan-70 00:00:01 GMT; Max-Age=60");
        for junk in ["", "novalue", "=v", " ; a", "d=5; expires=garbage"] {
            jar.store(junk);
        }
        assert_eq!(jar.header().as_deref(), Some("c=4; d=5"));
    }

    #[test]
    fn http_dates() {
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(
            parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(
            parse_http_date("Tue, 29 Feb 2000 12:00:00 GMT"),
            Some(951_825_600)
        );
        for bad in [
            "",
            "Thu, 01 Foo 1970 00:00:00 GMT",
            "01 Jan 1970",
            "Thu, 99 Jan 2000 00:00:00 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
        let mut jar = CookieJar::default();
        jar.store_at("a=1; Expires=Sun, 06 Nov 1994 08:49:37 GMT", 784_111_776);
        assert_eq!(jar.get("a"), Some("1"));
        jar.store_at("a=1; Expires=Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777);
        assert_eq!(jar.get("a"), None);
    }

    #[test]
    fn credentials_body_is_camel_case() {
        let body = Credentials {
            user_name: "u",
            password: "p",
            remember_me: true,
        };
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"userName":"u","password":"p","rememberMe":true}"#
        );
    }
}
