//! Sessions kept in memory, their ids, and the cookies that carry them.

use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{header, HeaderMap};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::keywords::{PERMANENT_SESSION_ID, SESSION_ID, SESSION_OPTIONS};
use crate::server::access::Principal;

/// How long permanent cookies (`ss-pid`, `ss-opt`) live: 20 years, as ServiceStack's.
pub(super) const PERMANENT: Duration = Duration::from_secs(20 * 365 * 24 * 3600);

/// Signed-in users by session id.
pub(super) struct Sessions {
    expiry: Duration,
    entries: Mutex<HashMap<String, (Principal, Instant)>>,
}

impl Sessions {
    pub(super) fn new(expiry: Duration) -> Self {
        Sessions {
            expiry,
            entries: Mutex::new(HashMap::new()),
        }
    }

    pub(super) fn insert(&self, id: String, user: Principal) {
        let now = Instant::now();
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        // Expired sessions go when new ones come, so the map holds only live ones.
        entries.retain(|_, (_, expires)| *expires > now);
        entries.insert(id, (user, now + self.expiry));
    }

    pub(super) fn get(&self, id: &str) -> Option<Principal> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(id)
            .filter(|(_, expires)| *expires > Instant::now())
            .map(|(user, _)| user.clone())
    }

    pub(super) fn remove(&self, id: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.remove(id);
    }
}

/// A new session id: 15 random bytes as 20 URL-safe characters, as ServiceStack's.
pub(super) fn new_id() -> String {
    let mut bytes = [0u8; 15];
    super::random_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub(super) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| n.trim() == name)
        .map(|(_, v)| crate::query::decode_component(v.trim().trim_matches('"')))
        .filter(|v| !v.is_empty())
}

/// The request's session id, as ServiceStack finds it: the permanent id when the session
/// options say `perm`, else the temporary one; from an `X-ss-*` header, else a cookie.
pub(super) fn session_id(headers: &HeaderMap) -> Option<String> {
    let param = |name: &str| {
        headers
            .get(format!("x-{name}"))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .filter(|v| !v.is_empty())
            .or_else(|| cookie(headers, name))
    };
    let permanent =
        param(SESSION_OPTIONS).is_some_and(|opts| opts.split(',').any(|o| o.trim() == "perm"));
    if permanent {
        param(PERMANENT_SESSION_ID)
    } else {
        param(SESSION_ID)
    }
}

/// A `Set-Cookie` value: for the whole site, HTTP only, `SameSite=Lax`; a session cookie
/// without `max_age`, removed with a zero one. `Max-Age` rather than `Expires`, whose comma
/// the TypeScript client's cookie parsing splits on.
pub(super) struct Cookie {
    pub name: &'static str,
    pub value: String,
    pub max_age: Option<Duration>,
    pub secure: bool,
}

impl fmt::Display for Cookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}; Path=/", self.name, self.value)?;
        if let Some(max_age) = self.max_age {
            write!(f, "; Max-Age={}", max_age.as_secs())?;
        }
        if self.secure {
            f.write_str("; Secure")?;
        }
        f.write_str("; HttpOnly; SameSite=Lax")
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn ids_are_random_and_url_safe() {
        let a = new_id();
        assert_eq!(a.len(), 20);
        assert!(a
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(a, new_id());
    }

    #[test]
    fn sessions_expire_and_can_be_removed() {
        let live = Sessions::new(Duration::from_secs(60));
        live.insert("a".into(), Principal::new("1", "u"));
        assert_eq!(live.get("a").unwrap().user_id, "1");
        live.remove("a");
        assert_eq!(live.get("a"), None);
        let dead = Sessions::new(Duration::ZERO);
        dead.insert("b".into(), Principal::new("1", "u"));
        assert_eq!(dead.get("b"), None);
    }

    #[test]
    fn session_id_follows_the_session_options() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("ss-id=temp1; ss-pid=perm1"),
        );
        assert_eq!(session_id(&headers).as_deref(), Some("temp1"));
        headers.append(header::COOKIE, HeaderValue::from_static("ss-opt=perm"));
        assert_eq!(session_id(&headers).as_deref(), Some("perm1"));
        headers.insert("x-ss-pid", HeaderValue::from_static("hdr"));
        assert_eq!(session_id(&headers).as_deref(), Some("hdr"));
        assert_eq!(cookie(&headers, "missing"), None);
    }

    #[test]
    fn cookies_are_written_without_commas() {
        let c = Cookie {
            name: "ss-pid",
            value: "abc".into(),
            max_age: Some(PERMANENT),
            secure: true,
        };
        assert_eq!(
            c.to_string(),
            "ss-pid=abc; Path=/; Max-Age=630720000; Secure; HttpOnly; SameSite=Lax"
        );
        assert!(!c.to_string().contains(','));
    }
}
