//! HS256 JSON Web Tokens as ServiceStack's `JwtAuthProvider` issues them: access tokens
//! (`typ: JWT`) carrying the user's name, roles and permissions, and refresh tokens
//! (`typ: JWTR`) carrying only the user's id.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::{json, Map, Value};
use sha2::Sha256;

use crate::server::access::Principal;

type HmacSha256 = Hmac<Sha256>;

/// How JWTs are signed and how long they live (ServiceStack's `JwtAuthProvider` settings).
///
/// ```
/// use std::time::Duration;
/// use ssdto::server::auth::Jwt;
///
/// let jwt = Jwt::hs256(Jwt::generate_key())
///     .expire_tokens_in(Duration::from_secs(15 * 60))
///     .use_token_cookie(false);
/// ```
#[derive(Clone)]
pub struct Jwt {
    key: Vec<u8>,
    issuer: String,
    audience: Option<String>,
    pub(crate) expire_tokens_in: Duration,
    pub(crate) expire_refresh_tokens_in: Duration,
    pub(crate) use_token_cookie: bool,
}

impl std::fmt::Debug for Jwt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        f.debug_struct("Jwt")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("expire_tokens_in", &self.expire_tokens_in)
            .field("expire_refresh_tokens_in", &self.expire_refresh_tokens_in)
            .field("use_token_cookie", &self.use_token_cookie)
            .finish()
    }
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenError {
    /// Not a token of ours: malformed, another algorithm, a bad signature, the wrong kind.
    Invalid,
    /// Ours, but past its `exp` (or before its `nbf`).
    Expired,
}

impl TokenError {
    pub(crate) fn message(self) -> &'static str {
        match self {
            TokenError::Invalid => "Token is invalid",
            TokenError::Expired => "Token has expired",
        }
    }
}

const ACCESS: &str = "JWT";
const REFRESH: &str = "JWTR";

impl Jwt {
    /// Signs with HMAC-SHA256 and `key`, which should be 32 random bytes kept secret (see
    /// [`Jwt::generate_key`]). ServiceStack's defaults otherwise: issuer `ssjwt`, access tokens
    /// for 14 days, refresh tokens for 365 days, tokens in `ss-tok`/`ss-reftok` cookies.
    pub fn hs256(key: impl AsRef<[u8]>) -> Self {
        Jwt {
            key: key.as_ref().to_vec(),
            issuer: "ssjwt".to_owned(),
            audience: None,
            expire_tokens_in: Duration::from_secs(14 * 24 * 3600),
            expire_refresh_tokens_in: Duration::from_secs(365 * 24 * 3600),
            use_token_cookie: true,
        }
    }

    /// 32 bytes from the operating system's secure random source, for [`Jwt::hs256`]. Tokens
    /// signed with a generated key stop working when the process restarts.
    pub fn generate_key() -> [u8; 32] {
        let mut key = [0u8; 32];
        super::random_bytes(&mut key);
        key
    }

    /// Sets the `iss` claim written and required.
    pub fn issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = issuer.into();
        self
    }

    /// Sets an `aud` claim, written and required.
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = Some(audience.into());
        self
    }

    /// Sets how long access tokens live.
    pub fn expire_tokens_in(mut self, lifetime: Duration) -> Self {
        self.expire_tokens_in = lifetime;
        self
    }

    /// Sets how long refresh tokens live.
    pub fn expire_refresh_tokens_in(mut self, lifetime: Duration) -> Self {
        self.expire_refresh_tokens_in = lifetime;
        self
    }

    /// Whether signing in puts the tokens in `ss-tok`/`ss-reftok` cookies (ServiceStack's
    /// default, `true`) rather than in the response's `bearerToken`/`refreshToken`.
    pub fn use_token_cookie(mut self, on: bool) -> Self {
        self.use_token_cookie = on;
        self
    }

    /// An access token for `user`, issued at `now`.
    pub fn access_token(&self, user: &Principal, now: SystemTime) -> String {
        let mut claims = self.base_claims(&user.user_id, now, self.expire_tokens_in);
        if !user.user_name.is_empty() {
            claims.insert("preferred_username".into(), json!(user.user_name));
        }
        if let Some(name) = &user.display_name {
            claims.insert("name".into(), json!(name));
        }
        if let Some(email) = &user.email {
            claims.insert("email".into(), json!(email));
        }
        if !user.roles.is_empty() {
            claims.insert("roles".into(), json!(user.roles));
        }
        if !user.permissions.is_empty() {
            claims.insert("perms".into(), json!(user.permissions));
        }
        self.sign(ACCESS, claims)
    }

    /// A refresh token for the user with `user_id`, issued at `now`.
    pub fn refresh_token(&self, user_id: &str, now: SystemTime) -> String {
        let claims = self.base_claims(user_id, now, self.expire_refresh_tokens_in);
        self.sign(REFRESH, claims)
    }

    fn base_claims(
        &self,
        subject: &str,
        now: SystemTime,
        lifetime: Duration,
    ) -> Map<String, Value> {
        let iat = unix(now);
        let mut claims = Map::new();
        claims.insert("iss".into(), json!(self.issuer));
        claims.insert("sub".into(), json!(subject));
        claims.insert("iat".into(), json!(iat));
        claims.insert("exp".into(), json!(iat.saturating_add(lifetime.as_secs())));
        if let Some(audience) = &self.audience {
            claims.insert("aud".into(), json!(audience));
        }
        claims
    }

    fn sign(&self, typ: &str, claims: Map<String, Value>) -> String {
        let header = json!({"typ": typ, "alg": "HS256"});
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(Value::Object(claims).to_string())
        );
        let signature = URL_SAFE_NO_PAD.encode(self.mac(signing_input.as_bytes()));
        format!("{signing_input}.{signature}")
    }

    fn mac(&self, data: &[u8]) -> Vec<u8> {
        // HMAC takes keys of any length; an error is impossible, and an empty MAC would
        // verify nothing.
        match HmacSha256::new_from_slice(&self.key) {
            Ok(mut mac) => {
                mac.update(data);
                mac.finalize().into_bytes().to_vec()
            }
            Err(_) => Vec::new(),
        }
    }

    /// The principal of a valid access token.
    pub(crate) fn verify_access(
        &self,
        token: &str,
        now: SystemTime,
    ) -> Result<Principal, TokenError> {
        let claims = self.verify(token, ACCESS, now)?;
        let text = |key: &str| claims.get(key).and_then(Value::as_str).map(str::to_owned);
        let user_id = text("sub").ok_or(TokenError::Invalid)?;
        let user_name = text("preferred_username")
            .or_else(|| text("name"))
            .unwrap_or_else(|| user_id.clone());
        Ok(Principal {
            user_id,
            user_name,
            display_name: text("name"),
            email: text("email"),
            roles: string_list(claims.get("roles")),
            permissions: string_list(claims.get("perms")),
        })
    }

    /// The user id of a valid refresh token.
    pub(crate) fn verify_refresh(
        &self,
        token: &str,
        now: SystemTime,
    ) -> Result<String, TokenError> {
        let claims = self.verify(token, REFRESH, now)?;
        claims
            .get("sub")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or(TokenError::Invalid)
    }

    fn verify(
        &self,
        token: &str,
        typ: &str,
        now: SystemTime,
    ) -> Result<Map<String, Value>, TokenError> {
        let mut parts = token.trim().split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Invalid);
        };
        let decode = |part: &str| {
            URL_SAFE_NO_PAD
                .decode(part)
                .map_err(|_| TokenError::Invalid)
        };
        let signature = decode(signature)?;
        let mut mac = HmacSha256::new_from_slice(&self.key).map_err(|_| TokenError::Invalid)?;
        mac.update(header.as_bytes());
        mac.update(b".");
        mac.update(payload.as_bytes());
        // Constant-time comparison.
        mac.verify_slice(&signature)
            .map_err(|_| TokenError::Invalid)?;
        let header: Value =
            serde_json::from_slice(&decode(header)?).map_err(|_| TokenError::Invalid)?;
        if header.get("alg").and_then(Value::as_str) != Some("HS256")
            || header.get("typ").and_then(Value::as_str).unwrap_or(ACCESS) != typ
        {
            return Err(TokenError::Invalid);
        }
        let Ok(Value::Object(claims)) = serde_json::from_slice::<Value>(&decode(payload)?) else {
            return Err(TokenError::Invalid);
        };
        if claims.get("iss").and_then(Value::as_str) != Some(self.issuer.as_str()) {
            return Err(TokenError::Invalid);
        }
        if let Some(audience) = &self.audience {
            let ok = match claims.get("aud") {
                Some(Value::String(a)) => a == audience,
                Some(Value::Array(list)) => list.iter().any(|a| a.as_str() == Some(audience)),
                _ => false,
            };
            if !ok {
                return Err(TokenError::Invalid);
            }
        }
        let now = unix(now);
        let exp = claims
            .get("exp")
            .and_then(numeric)
            .ok_or(TokenError::Invalid)?;
        if now >= exp {
            return Err(TokenError::Expired);
        }
        if claims
            .get("nbf")
            .and_then(numeric)
            .is_some_and(|nbf| now < nbf)
        {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }
}

fn unix(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// A NumericDate: a number, or the string of one as ServiceStack writes them.
fn numeric(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| n.as_f64().map(|f| f as u64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A list of strings: a JSON array, or the JSON text of one as ServiceStack writes them.
fn string_list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(text)) => serde_json::from_str::<Vec<String>>(text).unwrap_or_default(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt() -> Jwt {
        Jwt::hs256([7u8; 32])
    }

    fn user() -> Principal {
        Principal::new("42", "demo")
            .with_display_name("Demo User")
            .with_email("demo@example.com")
            .with_roles(["User"])
            .with_permissions(["read"])
    }

    #[test]
    fn access_tokens_round_trip_until_they_expire() {
        let now = SystemTime::now();
        let token = jwt().access_token(&user(), now);
        assert_eq!(token.split('.').count(), 3);
        assert_eq!(jwt().verify_access(&token, now), Ok(user()));
        let later = now + jwt().expire_tokens_in + Duration::from_secs(1);
        assert_eq!(jwt().verify_access(&token, later), Err(TokenError::Expired));
    }

    #[test]
    fn refresh_and_access_tokens_are_not_interchangeable() {
        let now = SystemTime::now();
        let refresh = jwt().refresh_token("42", now);
        assert_eq!(jwt().verify_refresh(&refresh, now), Ok("42".to_owned()));
        assert_eq!(jwt().verify_access(&refresh, now), Err(TokenError::Invalid));
        let access = jwt().access_token(&user(), now);
        assert_eq!(jwt().verify_refresh(&access, now), Err(TokenError::Invalid));
    }

    #[test]
    fn forged_or_foreign_tokens_are_invalid() {
        let now = SystemTime::now();
        let token = jwt().access_token(&user(), now);
        let other_key = Jwt::hs256([8u8; 32]);
        assert_eq!(
            other_key.verify_access(&token, now),
            Err(TokenError::Invalid)
        );
        assert_eq!(
            jwt().issuer("other").verify_access(&token, now),
            Err(TokenError::Invalid)
        );
        assert_eq!(
            jwt().audience("api").verify_access(&token, now),
            Err(TokenError::Invalid)
        );
        // A changed payload breaks the signature.
        let mut parts: Vec<&str> = token.split('.').collect();
        let admin = URL_SAFE_NO_PAD
            .encode(json!({"iss":"ssjwt","sub":"42","exp":u64::MAX,"roles":["Admin"]}).to_string());
        parts[1] = &admin;
        assert_eq!(
            jwt().verify_access(&parts.join("."), now),
            Err(TokenError::Invalid)
        );
        // `alg: none` is never accepted.
        let none = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"typ":"JWT","alg":"none"}"#),
            admin
        );
        assert_eq!(jwt().verify_access(&none, now), Err(TokenError::Invalid));
        for junk in ["", "a.b", "a.b.c.d", "!!.??.**", "e30.e30.e30"] {
            assert_eq!(
                jwt().verify_access(junk, now),
                Err(TokenError::Invalid),
                "{junk}"
            );
        }
    }

    #[test]
    fn reads_servicestack_style_claims() {
        // ServiceStack writes iat/exp as strings and roles as JSON text.
        let now = SystemTime::now();
        let mut claims = Map::new();
        claims.insert("iss".into(), json!("ssjwt"));
        claims.insert("sub".into(), json!("7"));
        claims.insert("exp".into(), json!((unix(now) + 60).to_string()));
        claims.insert("roles".into(), json!("[\"Admin\",\"User\"]"));
        let token = jwt().sign(ACCESS, claims);
        let principal = jwt().verify_access(&token, now).unwrap();
        assert_eq!(principal.user_id, "7");
        assert_eq!(principal.user_name, "7");
        assert_eq!(principal.roles, ["Admin", "User"]);
    }

    #[test]
    fn debug_hides_the_key() {
        assert!(!format!("{:?}", jwt()).contains('7'));
    }
}
