//! ServiceStack's auth endpoints as an opt-in [`AuthFeature`]: sign-in with
//! `/auth/credentials` (session cookies `ss-id`/`ss-pid`), `/auth/logout`, HTTP Basic, API keys,
//! and JWTs with refresh through `/access-token` (`GetAccessToken`).
//!
//! The application provides the users ([`UserStore`]); the feature is the [`Authenticator`] of
//! the generated router and adds the endpoints the official clients call:
//!
//! | request | answer |
//! | --- | --- |
//! | `POST /auth/credentials` (or `/auth/login`, `/api/Authenticate` with `provider`) `{userName, password, rememberMe}` | `AuthenticateResponse`; `ss-id` and `ss-pid` cookies (`ss-opt=perm` with `rememberMe`), or with [`Jwt`] the tokens |
//! | `POST /auth/basic` with `Authorization: Basic` | the same, for those credentials |
//! | `GET`/`POST /auth` | the signed-in user, or 401 |
//! | `POST /auth/logout` | ends the session and clears the cookies |
//! | `POST /access-token` (`/api/GetAccessToken`) `{refreshToken}` or the `ss-reftok` cookie | `{accessToken}` from a server without token cookies ([`Jwt::use_token_cookie`]`(false)`) to a request without the refresh cookie; otherwise an `ss-tok` cookie and `{}`, as ServiceStack |
//!
//! Requests are identified, in this order, by `Authorization: Bearer` (a JWT, else an API key),
//! `Authorization: Basic`, the `ss-tok` cookie, and the session cookie (or the `X-ss-id` /
//! `X-ss-pid` headers). A token that has expired answers 401, which is what makes the official
//! clients refresh it.

mod jwt;
mod sessions;

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;

pub use jwt::Jwt;

use self::jwt::TokenError;
use self::sessions::{Cookie, Sessions};
use super::access::{Access, Authenticator, BoxFuture, Principal};
use super::decode::decode;
use super::error::HttpError;
use super::router::{Call, Handler, Operation, ServiceRouter};
use crate::keywords::{
    PERMANENT_SESSION_ID, REFRESH_TOKEN_COOKIE, SESSION_ID, SESSION_OPTIONS, TOKEN_COOKIE,
    X_COOKIES,
};
use crate::{Authenticate, AuthenticateResponse, GetAccessToken, GetAccessTokenResponse, Request};

/// The users an [`AuthFeature`] signs in.
///
/// ```
/// use ssdto::server::auth::UserStore;
/// use ssdto::server::{HttpError, Principal};
///
/// struct Users;
///
/// impl UserStore for Users {
///     async fn verify(&self, user_name: &str, password: &str) -> Result<Option<Principal>, HttpError> {
///         // Compare a password hash here; this example has one fixed user.
///         Ok((user_name == "demo" && password == "demo")
///             .then(|| Principal::new("1", "demo").with_roles(["User"])))
///     }
///
///     async fn by_id(&self, user_id: &str) -> Result<Option<Principal>, HttpError> {
///         Ok((user_id == "1").then(|| Principal::new("1", "demo").with_roles(["User"])))
///     }
/// }
/// ```
pub trait UserStore: Send + Sync + 'static {
    /// The user with these credentials, or `None` when they are wrong.
    fn verify(
        &self,
        user_name: &str,
        password: &str,
    ) -> impl Future<Output = Result<Option<Principal>, HttpError>> + Send;

    /// The user with this id, as it is now (a refresh token re-reads roles and permissions
    /// from here); `None` when the user no longer exists or may not sign in.
    fn by_id(
        &self,
        user_id: &str,
    ) -> impl Future<Output = Result<Option<Principal>, HttpError>> + Send;

    /// The user an API key (sent as `Authorization: Bearer KEY`) belongs to. None by default.
    fn by_api_key(
        &self,
        key: &str,
    ) -> impl Future<Output = Result<Option<Principal>, HttpError>> + Send {
        let _ = key;
        async { Ok(None) }
    }
}

/// [`UserStore`] as a trait object.
trait DynUserStore: Send + Sync {
    fn verify<'a>(
        &'a self,
        user_name: &'a str,
        password: &'a str,
    ) -> BoxFuture<'a, Result<Option<Principal>, HttpError>>;
    fn by_id<'a>(&'a self, user_id: &'a str)
        -> BoxFuture<'a, Result<Option<Principal>, HttpError>>;
    fn by_api_key<'a>(
        &'a self,
        key: &'a str,
    ) -> BoxFuture<'a, Result<Option<Principal>, HttpError>>;
}

impl<U: UserStore> DynUserStore for U {
    fn verify<'a>(
        &'a self,
        user_name: &'a str,
        password: &'a str,
    ) -> BoxFuture<'a, Result<Option<Principal>, HttpError>> {
        Box::pin(UserStore::verify(self, user_name, password))
    }

    fn by_id<'a>(
        &'a self,
        user_id: &'a str,
    ) -> BoxFuture<'a, Result<Option<Principal>, HttpError>> {
        Box::pin(UserStore::by_id(self, user_id))
    }

    fn by_api_key<'a>(
        &'a self,
        key: &'a str,
    ) -> BoxFuture<'a, Result<Option<Principal>, HttpError>> {
        Box::pin(UserStore::by_api_key(self, key))
    }
}

/// ServiceStack's `AuthFeature`: sessions, sign-in endpoints, Basic auth, API keys and JWTs
/// over a [`UserStore`]. Clones share the users and the sessions.
///
/// Pass it to the generated `router` as the authenticator, and to
/// [`ServiceRouter::auth_endpoints`] for the endpoints:
///
/// ```ignore
/// let auth = AuthFeature::new(Users).jwt(Jwt::hs256(key));
/// let app = router(Arc::new(MyService), auth.clone()).auth_endpoints(auth).into_router();
/// ```
#[derive(Clone)]
pub struct AuthFeature {
    users: Arc<dyn DynUserStore>,
    sessions: Arc<Sessions>,
    basic: bool,
    api_keys: bool,
    jwt: Option<Jwt>,
    secure_cookies: bool,
}

impl fmt::Debug for AuthFeature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthFeature")
            .field("basic", &self.basic)
            .field("api_keys", &self.api_keys)
            .field("jwt", &self.jwt)
            .field("secure_cookies", &self.secure_cookies)
            .finish_non_exhaustive()
    }
}

/// How long a session lives unless told otherwise: 14 days, as ServiceStack's.
pub const DEFAULT_SESSION_EXPIRY: Duration = Duration::from_secs(14 * 24 * 3600);

impl AuthFeature {
    /// Credentials sign-in, sessions (kept in memory for [`DEFAULT_SESSION_EXPIRY`]), HTTP
    /// Basic and API keys, over `users`.
    pub fn new(users: impl UserStore) -> Self {
        AuthFeature {
            users: Arc::new(users),
            sessions: Arc::new(Sessions::new(DEFAULT_SESSION_EXPIRY)),
            basic: true,
            api_keys: true,
            jwt: None,
            secure_cookies: false,
        }
    }

    /// Whether `Authorization: Basic` identifies callers (default on).
    pub fn basic(mut self, on: bool) -> Self {
        self.basic = on;
        self
    }

    /// Whether `Authorization: Bearer` values that are not JWTs are looked up as API keys with
    /// [`UserStore::by_api_key`] (default on).
    pub fn api_keys(mut self, on: bool) -> Self {
        self.api_keys = on;
        self
    }

    /// Issues and accepts JWTs: sign-in answers them, `/access-token` refreshes them.
    pub fn jwt(mut self, jwt: Jwt) -> Self {
        self.jwt = Some(jwt);
        self
    }

    /// Sets how long a session lives (starting a new, empty session store).
    pub fn session_expiry(mut self, expiry: Duration) -> Self {
        self.sessions = Arc::new(Sessions::new(expiry));
        self
    }

    /// Marks cookies `Secure`, for a server reached over HTTPS (default off).
    pub fn secure_cookies(mut self, on: bool) -> Self {
        self.secure_cookies = on;
        self
    }
}

fn token_error(err: TokenError) -> HttpError {
    HttpError::new(StatusCode::UNAUTHORIZED, "TokenException", err.message())
}

fn invalid_credentials() -> HttpError {
    HttpError::unauthorized("Invalid Username or Password")
}

/// The `user:password` of an `Authorization: Basic` value.
fn basic_credentials(value: &str) -> Option<(String, String)> {
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

fn authorization<'a>(headers: &'a HeaderMap, scheme: &str) -> Option<&'a str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (name, rest) = value.split_once(' ')?;
    name.eq_ignore_ascii_case(scheme).then_some(rest.trim())
}

impl AuthFeature {
    async fn identify(&self, headers: &HeaderMap) -> Result<Option<Principal>, HttpError> {
        let now = SystemTime::now();
        if let Some(token) = authorization(headers, "Bearer") {
            if let Some(jwt) = self.jwt.as_ref().filter(|_| token.split('.').count() == 3) {
                return jwt.verify_access(token, now).map(Some).map_err(token_error);
            }
            if self.api_keys {
                return match self.users.by_api_key(token).await? {
                    Some(user) => Ok(Some(user)),
                    None => Err(HttpError::unauthorized("Invalid API Key")),
                };
            }
            return Err(token_error(TokenError::Invalid));
        }
        if let Some(value) = authorization(headers, "Basic").filter(|_| self.basic) {
            let (user, password) = basic_credentials(value).ok_or_else(invalid_credentials)?;
            return match self.users.verify(&user, &password).await? {
                Some(principal) => Ok(Some(principal)),
                None => Err(invalid_credentials()),
            };
        }
        if let (Some(jwt), Some(token)) = (&self.jwt, sessions::cookie(headers, TOKEN_COOKIE)) {
            return jwt
                .verify_access(&token, now)
                .map(Some)
                .map_err(token_error);
        }
        Ok(sessions::session_id(headers).and_then(|id| self.sessions.get(&id)))
    }

    fn cookie(&self, name: &'static str, value: String, max_age: Option<Duration>) -> Cookie {
        Cookie {
            name,
            value,
            max_age,
            secure: self.secure_cookies,
        }
    }

    /// Signs `user` in: a new session (and its cookies) or, with JWT token cookies, the tokens.
    fn sign_in(&self, user: Principal, remember_me: bool) -> Response {
        let now = SystemTime::now();
        let mut body = user_response(&user);
        let mut cookies = Vec::new();
        match &self.jwt {
            Some(jwt) if jwt.use_token_cookie => {
                cookies.push(self.cookie(
                    TOKEN_COOKIE,
                    jwt.access_token(&user, now),
                    Some(jwt.expire_tokens_in),
                ));
                cookies.push(self.cookie(
                    REFRESH_TOKEN_COOKIE,
                    jwt.refresh_token(&user.user_id, now),
                    Some(jwt.expire_refresh_tokens_in),
                ));
            }
            jwt => {
                if let Some(jwt) = jwt {
                    body.bearer_token = Some(jwt.access_token(&user, now));
                    body.refresh_token = Some(jwt.refresh_token(&user.user_id, now));
                }
                // New ids on every sign-in, so a session id planted before it is worthless.
                let temporary = sessions::new_id();
                let permanent = sessions::new_id();
                let active = if remember_me { &permanent } else { &temporary };
                self.sessions.insert(active.clone(), user);
                body.session_id = Some(active.clone());
                cookies.push(self.cookie(SESSION_ID, temporary, None));
                cookies.push(self.cookie(
                    PERMANENT_SESSION_ID,
                    permanent,
                    Some(sessions::PERMANENT),
                ));
                cookies.push(self.cookie(
                    SESSION_OPTIONS,
                    if remember_me { "perm" } else { "temp" }.to_owned(),
                    Some(sessions::PERMANENT),
                ));
            }
        }
        with_cookies(super::json_response(StatusCode::OK, &body), &cookies)
    }

    async fn authenticate(&self, call: Call) -> Response {
        let request: Authenticate = match decode(&call.raw()) {
            Ok(request) => request,
            Err(err) => return HttpError::from(err).into_response(),
        };
        let headers = call.context.headers();
        let provider = call
            .path
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("provider"))
            .map(|(_, v)| v.clone())
            .or(request.provider.clone())
            .filter(|p| !p.is_empty());
        let remember_me = request.remember_me.unwrap_or(false);
        match provider.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None => match call.context.principal() {
                Some(user) => self.sign_in_response(user),
                None => HttpError::unauthorized("Not Authenticated").into_response(),
            },
            Some("logout") => self.logout(headers),
            Some("credentials" | "login") => {
                let mut errors = Vec::new();
                let user_name = request.user_name.unwrap_or_default();
                let password = request.password.unwrap_or_default();
                for (field, label, value) in [
                    ("UserName", "User Name", &user_name),
                    ("Password", "Password", &password),
                ] {
                    if value.trim().is_empty() {
                        errors.push(crate::ResponseError {
                            error_code: Some("NotEmpty".into()),
                            field_name: Some(field.into()),
                            message: Some(format!("'{label}' must not be empty.")),
                            meta: None,
                        });
                    }
                }
                if !errors.is_empty() {
                    return HttpError::validation_errors(errors).into_response();
                }
                match self.users.verify(&user_name, &password).await {
                    Ok(Some(user)) => self.sign_in(user, remember_me),
                    Ok(None) => invalid_credentials().into_response(),
                    Err(err) => err.into_response(),
                }
            }
            Some("basic") if self.basic => {
                let Some((user_name, password)) =
                    authorization(headers, "Basic").and_then(basic_credentials)
                else {
                    return HttpError::unauthorized("Not Authenticated")
                        .with_header(header::WWW_AUTHENTICATE, "basic realm=\"/auth/basic\"")
                        .into_response();
                };
                match self.users.verify(&user_name, &password).await {
                    Ok(Some(user)) => self.sign_in(user, remember_me),
                    Ok(None) => invalid_credentials().into_response(),
                    Err(err) => err.into_response(),
                }
            }
            Some(_) => HttpError::not_found(format!(
                "No configuration was added for OAuth provider '{}'",
                provider.unwrap_or_default()
            ))
            .into_response(),
        }
    }

    /// `GET /auth` for a signed-in caller: who they are.
    fn sign_in_response(&self, user: &Principal) -> Response {
        let body = user_response(user);
        super::json_response(StatusCode::OK, &body)
    }

    fn logout(&self, headers: &HeaderMap) -> Response {
        for name in [SESSION_ID, PERMANENT_SESSION_ID] {
            if let Some(id) = sessions::cookie(headers, name) {
                self.sessions.remove(&id);
            }
        }
        for name in [SESSION_ID, PERMANENT_SESSION_ID] {
            if let Some(value) = headers
                .get(format!("x-{name}"))
                .and_then(|v| v.to_str().ok())
            {
                self.sessions.remove(value);
            }
        }
        let cleared: Vec<Cookie> = [
            SESSION_ID,
            PERMANENT_SESSION_ID,
            SESSION_OPTIONS,
            TOKEN_COOKIE,
            REFRESH_TOKEN_COOKIE,
        ]
        .into_iter()
        .map(|name| self.cookie(name, String::new(), Some(Duration::ZERO)))
        .collect();
        with_cookies(
            super::json_response(StatusCode::OK, &AuthenticateResponse::default()),
            &cleared,
        )
    }

    async fn access_token(&self, call: Call) -> Response {
        let Some(jwt) = &self.jwt else {
            return HttpError::not_found("JWT is not enabled on this server").into_response();
        };
        let request: GetAccessToken = match decode(&call.raw()) {
            Ok(request) => request,
            Err(err) => return HttpError::from(err).into_response(),
        };
        let from_cookie = sessions::cookie(call.context.headers(), REFRESH_TOKEN_COOKIE);
        // As ServiceStack's GetAccessTokenService: the token goes in the body only to a client
        // that holds its tokens (no refresh cookie) of a server that does not use token
        // cookies; otherwise it is the `ss-tok` cookie, out of scripts' reach, and the body is
        // empty. The request's `useTokenCookie` does not change that.
        let in_cookie = from_cookie.is_some() || jwt.use_token_cookie;
        let Some(refresh_token) = request
            .refresh_token
            .filter(|t| !t.is_empty())
            .or(from_cookie)
        else {
            return HttpError::new(
                StatusCode::BAD_REQUEST,
                "ArgumentNullException",
                "refreshToken is required",
            )
            .with_field_error(
                "RefreshToken",
                "NotEmpty",
                "'Refresh Token' must not be empty.",
            )
            .into_response();
        };
        let now = SystemTime::now();
        let user_id = match jwt.verify_refresh(&refresh_token, now) {
            Ok(id) => id,
            Err(TokenError::Expired) => return token_error(TokenError::Expired).into_response(),
            Err(TokenError::Invalid) => {
                return HttpError::new(
                    StatusCode::BAD_REQUEST,
                    "ArgumentException",
                    "RefreshToken is Invalid",
                )
                .into_response()
            }
        };
        let user = match self.users.by_id(&user_id).await {
            Ok(Some(user)) => user,
            Ok(None) => {
                return HttpError::new(
                    StatusCode::UNAUTHORIZED,
                    "TokenException",
                    "RefreshToken is Invalid",
                )
                .into_response()
            }
            Err(err) => return err.into_response(),
        };
        let access_token = jwt.access_token(&user, now);
        if !in_cookie {
            let body = GetAccessTokenResponse {
                access_token: Some(access_token),
                ..GetAccessTokenResponse::default()
            };
            return super::json_response(StatusCode::OK, &body);
        }
        let response = super::json_response(StatusCode::OK, &GetAccessTokenResponse::default());
        let cookie = self.cookie(TOKEN_COOKIE, access_token, Some(jwt.expire_tokens_in));
        with_cookies(response, &[cookie])
    }
}

/// The `AuthenticateResponse` fields that describe `user`.
fn user_response(user: &Principal) -> AuthenticateResponse {
    AuthenticateResponse {
        user_id: Some(user.user_id.clone()),
        user_name: Some(user.user_name.clone()),
        display_name: Some(
            user.display_name
                .clone()
                .unwrap_or_else(|| user.user_name.clone()),
        ),
        roles: Some(user.roles.clone()),
        permissions: Some(user.permissions.clone()),
        ..AuthenticateResponse::default()
    }
}

/// Adds `Set-Cookie` headers, and `X-Cookies` naming the token cookies, which tells the
/// official clients that tokens travel in cookies they cannot read.
fn with_cookies(mut response: Response, cookies: &[Cookie]) -> Response {
    let headers = response.headers_mut();
    for cookie in cookies {
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    let tokens: Vec<&str> = cookies
        .iter()
        .filter(|c| !c.value.is_empty() && [TOKEN_COOKIE, REFRESH_TOKEN_COOKIE].contains(&c.name))
        .map(|c| c.name)
        .collect();
    if !tokens.is_empty() {
        if let Ok(value) = HeaderValue::from_str(&tokens.join(",")) {
            headers.insert(X_COOKIES, value);
        }
    }
    response
}

impl Authenticator for AuthFeature {
    fn authenticate(
        &self,
        request: &Parts,
    ) -> impl Future<Output = Result<Option<Principal>, HttpError>> + Send {
        self.identify(&request.headers)
    }

    fn challenge(&self) -> String {
        "credentials realm=\"/auth/credentials\"".to_owned()
    }
}

impl<S: Send + Sync + 'static> ServiceRouter<S> {
    /// Adds the endpoints of `feature` (see [`AuthFeature`]): `Authenticate` on `/auth`,
    /// `/auth/{provider}` and `/api/Authenticate`, and, with JWTs, `GetAccessToken` on
    /// `/access-token` and `/api/GetAccessToken`. Pass the same feature (a clone) as the
    /// router's authenticator, so that the sessions it starts are recognised.
    pub fn auth_endpoints(self, feature: AuthFeature) -> Self {
        let auth = feature.clone();
        let authenticate: Handler = Arc::new(move |call: Call| {
            let auth = auth.clone();
            Box::pin(async move { auth.authenticate(call).await })
        });
        let router = self.push(Operation::new(
            Authenticate::OPERATION,
            Authenticate::ROUTES,
            Access::PUBLIC,
            authenticate,
        ));
        if feature.jwt.is_none() {
            return router;
        }
        let access_token: Handler = Arc::new(move |call: Call| {
            let auth = feature.clone();
            Box::pin(async move { auth.access_token(call).await })
        });
        router.push(Operation::new(
            GetAccessToken::OPERATION,
            GetAccessToken::ROUTES,
            Access::PUBLIC,
            access_token,
        ))
    }
}

/// Fills `buf` from the operating system's secure random source.
fn random_bytes(buf: &mut [u8]) {
    if getrandom::getrandom(buf).is_err() {
        // No secure source: refuse to go on with guessable ids or keys rather than carry on.
        // getrandom fails only where the OS offers no entropy at all.
        std::process::abort();
    }
}
