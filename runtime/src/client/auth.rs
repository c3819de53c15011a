//! Credentials the client sends, and the session cookies ServiceStack answers with.
//!
//! ServiceStack authenticates a request by any of: an `Authorization: Basic` header (when the
//! server has the Basic auth provider), an `Authorization: Bearer` header (a JWT, or an API
//! key: ServiceStack's API key provider reads keys from the bearer token), or the session
//! cookies `ss-id` / `ss-pid` (and `ss-opt`, which says whether `ss-pid` is permanent) set by
//! `POST /auth/credentials`, or the JWT cookies `ss-tok` (the access token) and `ss-reftok`
//! (the refresh token) that a JWT auth provider with `UseTokenCookie` sets.
//!
//! A JWT expires; the refresh token gets a new one from `GetAccessToken`. This module holds
//! the state of that (the current credentials, the refresh token, and a generation count
//! that tells a request which got 401 whether someone refreshed since it was sent); the
//! refresh itself runs in the client's pipeline.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use base64::Engine as _;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::{ConfigError, Error, JsonServiceClient};
use crate::keywords::REFRESH_TOKEN_COOKIE;
use crate::{Authenticate, GetAccessToken};

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

/// The body of `POST /auth/credentials`: `{"userName":"..","password":"..","rememberMe":true}`
/// (the provider is in the path).
pub(crate) fn credentials(user_name: &str, password: &str) -> Authenticate {
    Authenticate {
        user_name: Some(user_name.to_owned()),
        password: Some(password.to_owned()),
        remember_me: Some(true),
        ..Authenticate::default()
    }
}

/// ServiceStack's `GetAccessToken` as the TypeScript client sends it:
/// `{"refreshToken":"...","useTokenCookie":false}`, or `{"useTokenCookie":true}` when the
/// refresh token is the `ss-reftok` cookie. (Its route, `/access-token`, is what
/// `RouteStrategy::Declared` posts to, as ServiceStack's C# client does; the others post to
/// `/api/GetAccessToken` as the TypeScript and Python clients do.)
pub(crate) fn access_token_request(
    refresh_token: Option<String>,
    cookie_mode: bool,
) -> GetAccessToken {
    GetAccessToken {
        refresh_token,
        use_token_cookie: Some(cookie_mode),
        meta: None,
    }
}

/// What the hook given to `on_authentication_required` returns.
pub(crate) type HookFuture = Pin<Box<dyn Future<Output = Result<(), Error>> + Send>>;

/// The authentication-required hook, as the pipeline calls it (the blocking client wraps its
/// blocking hook into one of these).
#[derive(Clone)]
pub(crate) struct AuthHook(pub Arc<dyn Fn(JsonServiceClient) -> HookFuture + Send + Sync>);

impl fmt::Debug for AuthHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthHook")
    }
}

/// ServiceStack's `X-Cookies` header ([`crate::keywords::X_COOKIES`]), as a header name so
/// looking it up in every reply parses nothing.
pub(crate) const X_COOKIES: HeaderName = HeaderName::from_static("x-cookies");

/// The credentials of a client and its clones, and the token refresh's bookkeeping.
///
/// Every request reads the credentials and the generation; both can be read without the lock
/// (`has_auth`, `generation`), so a client without credentials never takes it. Writers change
/// them while holding the lock, so what the lock guards and the atomics agree.
#[derive(Debug)]
pub(crate) struct Session {
    state: Mutex<State>,
    /// Whether `State::auth` is set.
    has_auth: AtomicBool,
    /// Counts recoveries from a 401 (refreshes and hook runs, whether they worked): a request
    /// that got 401 at an older generation takes the latest one's outcome instead of
    /// starting another.
    generation: AtomicU64,
    /// Held while a refresh (or the authentication-required hook) runs, so only one runs at a
    /// time however many requests got 401 together.
    pub(crate) refreshing: tokio::sync::Mutex<()>,
}

#[derive(Debug)]
struct State {
    auth: Option<Auth>,
    refresh_token: Option<String>,
    use_token_cookie: bool,
    /// The error of the latest recovery, when it failed.
    failure: Option<Arc<Error>>,
}

impl Session {
    pub fn new(auth: Option<Auth>, refresh_token: Option<String>, use_token_cookie: bool) -> Self {
        Session {
            has_auth: AtomicBool::new(auth.is_some()),
            generation: AtomicU64::new(0),
            state: Mutex::new(State {
                auth,
                refresh_token,
                use_token_cookie,
                failure: None,
            }),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // Every change is a single assignment, so a poisoned lock holds consistent data.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sets the credentials; the caller holds the lock.
    fn put_auth(&self, state: &mut State, auth: Option<Auth>) {
        self.has_auth.store(auth.is_some(), Ordering::Release);
        state.auth = auth;
    }

    /// Counts a recovery and records its failure, if any; the caller holds the lock.
    fn recovered(&self, state: &mut State, failure: Option<Arc<Error>>) {
        state.failure = failure;
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// The `Authorization` header for the next request, if any.
    pub fn authorization(&self) -> Result<Option<HeaderValue>, ConfigError> {
        if !self.has_auth.load(Ordering::Acquire) {
            return Ok(None);
        }
        self.state()
            .auth
            .as_ref()
            .map(Auth::header_value)
            .transpose()
    }

    /// The current credentials.
    pub fn auth(&self) -> Option<Auth> {
        self.state().auth.clone()
    }

    /// Replaces the credentials.
    pub fn set_auth(&self, auth: Option<Auth>) {
        self.put_auth(&mut self.state(), auth);
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The outcome of the latest recovery, when one ran since generation `seen`.
    pub fn recovered_since(&self, seen: u64) -> Option<Result<(), Arc<Error>>> {
        // Under the lock, so the generation and the failure are those of the same recovery.
        let state = self.state();
        (self.generation() != seen).then(|| state.failure.clone().map_or(Ok(()), Err))
    }

    /// The refresh token, and whether the refresh uses the token cookies; `None` when there
    /// is nothing to refresh with: no refresh token and no `ss-reftok` cookie (after a logout
    /// expired it, say), as the C# client decides. (The TypeScript client, which cannot see
    /// HttpOnly cookies, posts a refresh in cookie mode regardless, and gets a 400.)
    pub fn refresh_params(&self, has_refresh_cookie: bool) -> Option<(Option<String>, bool)> {
        let state = self.state();
        if state.refresh_token.is_none() && !has_refresh_cookie {
            return None;
        }
        let cookie_mode = state.use_token_cookie || has_refresh_cookie;
        Some((state.refresh_token.clone(), cookie_mode))
    }

    /// Forgets the bearer token the server refused, before a refresh, as the C# client does:
    /// whatever comes next (the refreshed token, the `ss-tok` cookie, or what the
    /// authentication-required hook signs in with after a failed refresh) must not be shadowed
    /// by it, since servers read a bearer token before any cookie. Basic credentials stay.
    pub fn drop_bearer(&self) {
        let mut state = self.state();
        if matches!(state.auth, Some(Auth::Bearer(_))) {
            self.put_auth(&mut state, None);
        }
    }

    /// Records a successful refresh: the new bearer token, or `None` in cookie mode, where
    /// the token travels as the `ss-tok` cookie.
    pub fn refreshed(&self, bearer: Option<String>) {
        let mut state = self.state();
        if let Some(token) = bearer {
            self.put_auth(&mut state, Some(Auth::Bearer(token)));
        }
        self.recovered(&mut state, None);
    }

    /// Records that the authentication-required hook ran: requests that failed before it
    /// are sent again without running it again.
    pub fn reauthenticated(&self) {
        self.recovered(&mut self.state(), None);
    }

    /// Records a recovery that failed; requests that got 401 before it fail with the same
    /// error rather than each trying again (one GetAccessToken or sign-in for all of them).
    pub fn recovery_failed(&self, error: Error) -> Arc<Error> {
        let error = Arc::new(error);
        self.recovered(&mut self.state(), Some(error.clone()));
        error
    }

    /// Notes what a reply says about token cookies: ServiceStack lists the cookies it set in
    /// `X-Cookies`, and `ss-reftok` among them means the refresh token is a cookie (as the
    /// TypeScript client reads it).
    pub fn note_reply(&self, headers: &HeaderMap) {
        let token_cookies = headers
            .get_all(X_COOKIES)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|name| name.trim() == REFRESH_TOKEN_COOKIE);
        if token_cookies {
            self.state().use_token_cookie = true;
        }
    }
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
    fn credentials_body_is_camel_case() {
        assert_eq!(
            serde_json::to_string(&credentials("u", "p")).unwrap(),
            r#"{"userName":"u","password":"p","rememberMe":true}"#
        );
    }

    #[test]
    fn get_access_token_bodies_are_what_the_typescript_client_sends() {
        // `JSON.stringify(new GetAccessToken({ refreshToken, useTokenCookie: !!useTokenCookie }))`
        assert_eq!(
            serde_json::to_string(&access_token_request(Some("rt-1".into()), false)).unwrap(),
            r#"{"refreshToken":"rt-1","useTokenCookie":false}"#
        );
        assert_eq!(
            serde_json::to_string(&access_token_request(None, true)).unwrap(),
            r#"{"useTokenCookie":true}"#
        );
    }

    #[test]
    fn sessions_track_tokens_and_token_cookies() {
        let session = Session::new(Some(Auth::Bearer("old".into())), None, false);
        assert_eq!(session.refresh_params(false), None);
        assert_eq!(session.refresh_params(true), Some((None, true)));
        let mut headers = HeaderMap::new();
        headers.insert("X-Cookies", HeaderValue::from_static("ss-tok, ss-reftok"));
        session.note_reply(&headers);
        // Token cookies, but the refresh cookie is gone: nothing to refresh with.
        assert_eq!(session.refresh_params(false), None);
        let with_token = Session::new(None, Some("rt".into()), false);
        with_token.note_reply(&headers);
        assert_eq!(
            with_token.refresh_params(false),
            Some((Some("rt".into()), true))
        );
        assert_eq!(session.generation(), 0);
        session.refreshed(Some("new".into()));
        assert_eq!(session.generation(), 1);
        assert_eq!(session.authorization().unwrap().unwrap(), "Bearer new");
        // In cookie mode the refreshed token is a cookie: no bearer token is left.
        session.drop_bearer();
        session.refreshed(None);
        assert_eq!(session.authorization().unwrap(), None);
        assert_eq!(session.generation(), 2);
        // Basic credentials are not a token a refresh replaces.
        let basic = Auth::Basic {
            username: "u".into(),
            password: "p".into(),
        };
        let session = Session::new(Some(basic.clone()), None, true);
        session.drop_bearer();
        session.refreshed(None);
        assert_eq!(session.auth(), Some(basic));

        let session = Session::new(None, Some("rt".into()), false);
        assert_eq!(
            session.refresh_params(false),
            Some((Some("rt".into()), false))
        );
        // Requests sent before a recovery take its outcome; later ones start their own.
        assert!(session.recovered_since(0).is_none());
        session.recovery_failed(Error::Config(ConfigError::Refresh("x")));
        let failed = session.recovered_since(0).unwrap().unwrap_err();
        assert!(matches!(*failed, Error::Config(_)), "{failed:?}");
        assert!(session.recovered_since(1).is_none());
        session.reauthenticated();
        assert!(matches!(session.recovered_since(1), Some(Ok(()))));
    }

    #[test]
    fn credentials_set_later_are_sent() {
        // A client built without credentials skips the lock until some are set.
        let session = Session::new(None, None, false);
        assert_eq!(session.authorization().unwrap(), None);
        session.set_auth(Some(Auth::Bearer("t".into())));
        assert_eq!(session.authorization().unwrap().unwrap(), "Bearer t");
        session.set_auth(None);
        assert_eq!(session.authorization().unwrap(), None);
        assert!(X_COOKIES
            .as_str()
            .eq_ignore_ascii_case(crate::keywords::X_COOKIES));
    }
}
