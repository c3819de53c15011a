//! The client's cookie store: RFC 6265 rules (Domain, Path, Secure, HttpOnly, Expires and
//! Max-Age) from the `cookie_store` crate, which reqwest's own `cookies` feature uses, plugged
//! into reqwest so every request and redirect carries the matching cookies and every reply's
//! `Set-Cookie` headers are kept.
//!
//! It wraps the store rather than using `reqwest::cookie::Jar` because the client also reads
//! cookies by name (`ss-tok`, `ss-reftok`, a saved `ss-pid`) and removes the `ss-tok` token
//! cookie before a refresh, which `Jar` cannot do, and because the `Cookie` header it writes
//! lists cookies in a fixed order (longest path first, then by name) rather than hash order.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};

use cookie_store::{CookieStore, RawCookie};
use reqwest::header::HeaderValue;
use reqwest::Url;

/// The cookies of one client and its clones.
#[derive(Debug, Default)]
pub(crate) struct Cookies {
    store: Mutex<CookieStore>,
    /// Whether a cookie was ever stored: until then every request's lookup answers "none"
    /// without taking the lock (most clients of token-authenticated APIs never get a cookie).
    stored: AtomicBool,
}

impl Cookies {
    fn store(&self) -> MutexGuard<'_, CookieStore> {
        // Each change to the store is one insert or remove, so a panic elsewhere while the lock
        // was held cannot have left it half-written.
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sets a cookie for `url`'s host and every path, as if the server had set it (without
    /// an expiry, so it lasts as long as the client).
    pub fn set(&self, name: &str, value: &str, url: &Url) -> bool {
        let cookie = RawCookie::build((name.to_owned(), value.to_owned()))
            .path("/")
            .build();
        let mut store = self.store();
        self.stored.store(true, Ordering::Release);
        store.insert_raw(&cookie, url).is_ok()
    }

    /// The value of the cookie `name` that a request to `url` would carry.
    pub fn get(&self, name: &str, url: &Url) -> Option<String> {
        self.store()
            .matches(url)
            .into_iter()
            .find(|c| c.name() == name)
            .map(|c| c.value().to_owned())
    }

    /// Removes every cookie named `name` that a request to `url` would carry.
    pub fn remove(&self, name: &str, url: &Url) {
        let mut store = self.store();
        let found: Vec<(String, String)> = store
            .matches(url)
            .into_iter()
            .filter(|c| c.name() == name)
            .filter_map(|c| Some((c.domain.as_cow()?.into_owned(), String::from(&c.path))))
            .collect();
        for (domain, path) in found {
            store.remove(&domain, &path, name);
        }
    }
}

impl reqwest::cookie::CookieStore for Cookies {
    fn set_cookies(&self, headers: &mut dyn Iterator<Item = &HeaderValue>, url: &Url) {
        let cookies = headers.filter_map(|value| {
            let text = std::str::from_utf8(value.as_bytes()).ok()?;
            RawCookie::parse(text).ok().map(RawCookie::into_owned)
        });
        let mut store = self.store();
        self.stored.store(true, Ordering::Release);
        store.store_response_cookies(cookies, url);
    }

    fn cookies(&self, url: &Url) -> Option<HeaderValue> {
        if !self.stored.load(Ordering::Acquire) {
            return None;
        }
        let store = self.store();
        let mut matches = store.matches(url);
        if matches.is_empty() {
            return None;
        }
        // RFC 6265 5.4: longer paths first; then by name, so the header is the same each time.
        matches.sort_by(|a, b| {
            let (pa, pb) = (String::from(&a.path), String::from(&b.path));
            pb.len().cmp(&pa.len()).then_with(|| a.name().cmp(b.name()))
        });
        let header = matches
            .iter()
            .map(|c| format!("{}={}", c.name(), c.value()))
            .collect::<Vec<_>>()
            .join("; ");
        HeaderValue::from_str(&header).ok()
    }
}

#[cfg(test)]
mod tests {
    use reqwest::cookie::CookieStore as _;

    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    fn receive(cookies: &Cookies, at: &str, set_cookies: &[&str]) {
        let values: Vec<HeaderValue> = set_cookies.iter().map(|v| v.parse().unwrap()).collect();
        cookies.set_cookies(&mut values.iter(), &url(at));
    }

    fn header(cookies: &Cookies, at: &str) -> Option<String> {
        cookies
            .cookies(&url(at))
            .map(|v| v.to_str().unwrap().to_owned())
    }

    #[test]
    fn keeps_replaces_and_expires_cookies() {
        let cookies = Cookies::default();
        let site = "http://api.example.com/";
        receive(
            &cookies,
            site,
            &[
                "ss-id=abc; path=/; samesite=lax; httponly",
                "ss-pid=def; expires=Fri, 01 Jan 2100 00:00:00 GMT; path=/; httponly",
                "ss-opt=perm; Max-Age=31536000",
            ],
        );
        receive(&cookies, site, &["ss-id=xyz; path=/"]);
        assert_eq!(
            header(&cookies, site).as_deref(),
            Some("ss-id=xyz; ss-opt=perm; ss-pid=def")
        );
        assert_eq!(cookies.get("ss-pid", &url(site)).as_deref(), Some("def"));
        // A server ends a session with an expired cookie.
        receive(
            &cookies,
            site,
            &[
                "ss-id=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/",
                "ss-opt=x; Max-Age=0",
            ],
        );
        assert_eq!(header(&cookies, site).as_deref(), Some("ss-pid=def"));
        cookies.remove("ss-pid", &url(site));
        assert_eq!(header(&cookies, site), None);
    }

    #[test]
    fn domain_path_and_secure_are_honoured() {
        let cookies = Cookies::default();
        receive(
            &cookies,
            "https://api.example.com/auth/login",
            &[
                "a=1; Path=/",
                "b=2; Path=/auth",
                "c=3; Domain=example.com; Path=/",
                "d=4; Secure; Path=/",
                "e=5; Domain=other.org",
            ],
        );
        assert_eq!(
            header(&cookies, "https://api.example.com/auth/x").as_deref(),
            Some("b=2; a=1; c=3; d=4")
        );
        assert_eq!(
            header(&cookies, "http://api.example.com/api/X").as_deref(),
            Some("a=1; c=3")
        );
        assert_eq!(
            header(&cookies, "https://www.example.com/").as_deref(),
            Some("c=3")
        );
        assert_eq!(header(&cookies, "https://other.org/"), None);
    }

    #[test]
    fn set_cookies_are_for_the_host_and_every_path() {
        let cookies = Cookies::default();
        assert!(cookies.set("ss-pid", "p1", &url("http://127.0.0.1:8080/v1")));
        assert_eq!(
            header(&cookies, "http://127.0.0.1:8080/json/reply/X").as_deref(),
            Some("ss-pid=p1")
        );
        assert_eq!(header(&cookies, "http://127.0.0.2:8080/"), None);
    }
}
