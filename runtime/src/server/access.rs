//! Who may call an operation: the caller ([`Principal`]), what the contract requires of it
//! ([`Access`]), and how a request proves who sent it ([`Authenticator`]).
//!
//! ServiceStack declares access with attributes on the request type (`[Authenticate]`,
//! `[RequiredRole]`, `[RequiresAnyRole]`, `[RequiredPermission]`, `[RequiresAnyPermission]`) and
//! publishes them in the contract (`requiresAuth`, `requiredRoles`, ...). Code generated with
//! the `server` option carries them as an [`Access`] per operation, so the router enforces them
//! itself: a request without a principal gets 401, one without the role or permission 403.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use axum::http::request::Parts;
use axum::http::{header, StatusCode};

use super::error::HttpError;

/// The role that passes every role and permission check, as in ServiceStack.
pub const ADMIN_ROLE: &str = "Admin";

/// An authenticated caller: who they are and what they may do.
///
/// ```
/// use ssdto::server::Principal;
///
/// let user = Principal::new("42", "demo").with_roles(["User"]).with_permissions(["sessions.read"]);
/// assert!(user.has_role("User"));
/// assert!(!user.has_role("Manager"));
/// assert!(Principal::new("1", "root").with_roles(["Admin"]).has_permission("anything"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Principal {
    /// The user's id (ServiceStack's `UserAuthId`, a JWT's `sub`).
    pub user_id: String,
    /// The name the user signs in with.
    pub user_name: String,
    /// A name to show, where it differs from `user_name`.
    pub display_name: Option<String>,
    /// The user's email address.
    pub email: Option<String>,
    /// The user's roles.
    pub roles: Vec<String>,
    /// The user's permissions.
    pub permissions: Vec<String>,
}

impl Principal {
    /// A principal with no roles or permissions.
    pub fn new(user_id: impl Into<String>, user_name: impl Into<String>) -> Self {
        Principal {
            user_id: user_id.into(),
            user_name: user_name.into(),
            ..Principal::default()
        }
    }

    /// Sets the roles.
    pub fn with_roles<I: IntoIterator<Item = S>, S: Into<String>>(mut self, roles: I) -> Self {
        self.roles = roles.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the permissions.
    pub fn with_permissions<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        permissions: I,
    ) -> Self {
        self.permissions = permissions.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the display name.
    pub fn with_display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Sets the email address.
    pub fn with_email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    fn is_admin(&self) -> bool {
        self.roles.iter().any(|r| r == ADMIN_ROLE)
    }

    /// Whether the user has `role`; [`ADMIN_ROLE`] has every role.
    pub fn has_role(&self, role: &str) -> bool {
        self.is_admin() || self.roles.iter().any(|r| r == role)
    }

    /// Whether the user has `permission`; [`ADMIN_ROLE`] has every permission.
    pub fn has_permission(&self, permission: &str) -> bool {
        self.is_admin() || self.permissions.iter().any(|p| p == permission)
    }
}

/// What an operation requires of its caller, as the contract declares it.
///
/// The lists compare exactly (role names are case-sensitive in ServiceStack), and a caller with
/// the [`ADMIN_ROLE`] passes every role and permission check. Any requirement implies
/// authentication.
///
/// ```
/// use ssdto::server::{Access, Principal};
///
/// const NEW_SESSION: Access = Access {
///     requires_auth: true,
///     required_roles: &["User"],
///     ..Access::PUBLIC
/// };
/// assert_eq!(NEW_SESSION.check(None).unwrap_err().as_u16(), 401);
/// assert_eq!(NEW_SESSION.check(Some(&Principal::new("2", "guest"))).unwrap_err().as_u16(), 403);
/// assert!(NEW_SESSION.check(Some(&Principal::new("1", "demo").with_roles(["User"]))).is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Access {
    /// `requiresAuth`: the caller must be authenticated.
    pub requires_auth: bool,
    /// `requiredRoles`: the caller must have all of them.
    pub required_roles: &'static [&'static str],
    /// `requiresAnyRole`: the caller must have at least one of them.
    pub requires_any_role: &'static [&'static str],
    /// `requiredPermissions`: the caller must have all of them.
    pub required_permissions: &'static [&'static str],
    /// `requiresAnyPermission`: the caller must have at least one of them.
    pub requires_any_permission: &'static [&'static str],
}

/// Why [`Access::check`] refused a caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Denied {
    /// No caller is known: 401.
    NotAuthenticated,
    /// The caller lacks a role: 403.
    InvalidRole,
    /// The caller lacks a permission: 403.
    InvalidPermission,
}

impl Denied {
    /// The HTTP status of the refusal.
    pub fn as_u16(self) -> u16 {
        self.status().as_u16()
    }

    fn status(self) -> StatusCode {
        match self {
            Denied::NotAuthenticated => StatusCode::UNAUTHORIZED,
            Denied::InvalidRole | Denied::InvalidPermission => StatusCode::FORBIDDEN,
        }
    }

    /// The error ServiceStack answers with: 401 `Not Authenticated` (with `challenge` as
    /// `WWW-Authenticate`), or 403 `Invalid Role` / `Invalid Permission`.
    pub fn into_error(self, challenge: &str) -> HttpError {
        match self {
            Denied::NotAuthenticated => HttpError::unauthorized("Not Authenticated")
                .with_header(header::WWW_AUTHENTICATE, challenge),
            Denied::InvalidRole => HttpError::forbidden("Invalid Role"),
            Denied::InvalidPermission => HttpError::forbidden("Invalid Permission"),
        }
    }
}

impl fmt::Display for Denied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Denied::NotAuthenticated => "Not Authenticated",
            Denied::InvalidRole => "Invalid Role",
            Denied::InvalidPermission => "Invalid Permission",
        })
    }
}

impl std::error::Error for Denied {}

impl Access {
    /// Anyone may call.
    pub const PUBLIC: Access = Access {
        requires_auth: false,
        required_roles: &[],
        requires_any_role: &[],
        required_permissions: &[],
        requires_any_permission: &[],
    };

    /// Any authenticated caller may call.
    pub const AUTHENTICATED: Access = Access {
        requires_auth: true,
        ..Access::PUBLIC
    };

    /// Whether a caller must be authenticated at all.
    pub const fn is_protected(&self) -> bool {
        self.requires_auth
            || !self.required_roles.is_empty()
            || !self.requires_any_role.is_empty()
            || !self.required_permissions.is_empty()
            || !self.requires_any_permission.is_empty()
    }

    /// Checks `principal` (`None`: nobody authenticated) against the requirements, in
    /// ServiceStack's order: authentication, then roles, then permissions.
    pub fn check(&self, principal: Option<&Principal>) -> Result<(), Denied> {
        if !self.is_protected() {
            return Ok(());
        }
        let Some(user) = principal else {
            return Err(Denied::NotAuthenticated);
        };
        let roles_ok = self.required_roles.iter().all(|r| user.has_role(r))
            && (self.requires_any_role.is_empty()
                || self.requires_any_role.iter().any(|r| user.has_role(r)));
        if !roles_ok {
            return Err(Denied::InvalidRole);
        }
        let permissions_ok = self
            .required_permissions
            .iter()
            .all(|p| user.has_permission(p))
            && (self.requires_any_permission.is_empty()
                || self
                    .requires_any_permission
                    .iter()
                    .any(|p| user.has_permission(p)));
        if !permissions_ok {
            return Err(Denied::InvalidPermission);
        }
        Ok(())
    }
}

/// Turns a request into its caller: the one part of authentication an application writes.
///
/// The router calls it for every operation request before reading the body. Answer
/// `Ok(Some(principal))` for a known caller, `Ok(None)` when the request carries no
/// credentials, and `Err(..)` for credentials that are present but wrong or expired (the router
/// answers that error on protected operations, and treats the caller as anonymous on public
/// ones, as ServiceStack only checks credentials where an operation asks for them).
///
/// Its future runs inside the request's own: the router is built for the authenticator's type
/// (see [`ServiceRouter::authenticator`](super::ServiceRouter::authenticator)), so calling it
/// costs no allocation or dynamic call of its own, and one that answers from the headers
/// alone (an `async fn` that never waits) costs only what its body does.
///
/// ```
/// use ssdto::server::axum::http::{header, request::Parts};
/// use ssdto::server::{Authenticator, HttpError, Principal};
///
/// /// Bearer API keys from a fixed table.
/// struct ApiKeys;
///
/// impl Authenticator for ApiKeys {
///     async fn authenticate(&self, request: &Parts) -> Result<Option<Principal>, HttpError> {
///         let Some(value) = request.headers.get(header::AUTHORIZATION) else {
///             return Ok(None);
///         };
///         match value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")) {
///             Some("secret-key") => Ok(Some(Principal::new("1", "ci").with_roles(["User"]))),
///             _ => Err(HttpError::unauthorized("Invalid API key")),
///         }
///     }
/// }
/// ```
pub trait Authenticator: Send + Sync + 'static {
    /// The caller of `request`, from its headers (`Authorization`, cookies, ...).
    fn authenticate(
        &self,
        request: &Parts,
    ) -> impl Future<Output = Result<Option<Principal>, HttpError>> + Send;

    /// The `WWW-Authenticate` value of a 401 for a request without credentials; ServiceStack
    /// names its first auth provider there (`credentials realm="/auth/credentials"`).
    fn challenge(&self) -> String {
        "Bearer".to_owned()
    }
}

pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The authenticator of a router given none: nobody is authenticated, so protected operations
/// answer 401 (with the default challenge) and public ones see no principal.
pub(crate) struct Anonymous;

impl Authenticator for Anonymous {
    async fn authenticate(&self, _request: &Parts) -> Result<Option<Principal>, HttpError> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: Access = Access {
        requires_auth: true,
        required_roles: &["A", "B"],
        requires_any_role: &["C", "D"],
        required_permissions: &["p"],
        requires_any_permission: &["q", "r"],
    };

    #[test]
    fn public_needs_nothing_and_any_list_implies_auth() {
        assert_eq!(Access::PUBLIC.check(None), Ok(()));
        assert!(!Access::PUBLIC.is_protected());
        let roles_only = Access {
            required_roles: &["X"],
            ..Access::PUBLIC
        };
        assert!(roles_only.is_protected());
        assert_eq!(roles_only.check(None), Err(Denied::NotAuthenticated));
        assert_eq!(
            Access::AUTHENTICATED.check(Some(&Principal::default())),
            Ok(())
        );
    }

    #[test]
    fn every_list_is_checked_in_order() {
        let full = Principal::new("1", "u")
            .with_roles(["A", "B", "D"])
            .with_permissions(["p", "r"]);
        assert_eq!(ALL.check(Some(&full)), Ok(()));
        let missing_all = full.clone().with_roles(["A", "D"]);
        assert_eq!(ALL.check(Some(&missing_all)), Err(Denied::InvalidRole));
        let missing_any = full.clone().with_roles(["A", "B"]);
        assert_eq!(ALL.check(Some(&missing_any)), Err(Denied::InvalidRole));
        let no_perm = full.clone().with_permissions(["r"]);
        assert_eq!(ALL.check(Some(&no_perm)), Err(Denied::InvalidPermission));
        let no_any_perm = full.clone().with_permissions(["p"]);
        assert_eq!(
            ALL.check(Some(&no_any_perm)),
            Err(Denied::InvalidPermission)
        );
        // Role names are case-sensitive, as in ServiceStack.
        let lower = full.with_roles(["a", "b", "d"]);
        assert_eq!(ALL.check(Some(&lower)), Err(Denied::InvalidRole));
    }

    #[test]
    fn admin_passes_every_role_and_permission() {
        let admin = Principal::new("0", "root").with_roles([ADMIN_ROLE]);
        assert_eq!(ALL.check(Some(&admin)), Ok(()));
    }

    #[test]
    fn refusals_are_servicestack_errors() {
        let e = Denied::NotAuthenticated.into_error("basic realm=\"/auth/basic\"");
        assert_eq!(e.status, StatusCode::UNAUTHORIZED);
        assert_eq!(
            e.response_status.error_code.as_deref(),
            Some("Unauthorized")
        );
        assert_eq!(
            e.response_status.message.as_deref(),
            Some("Not Authenticated")
        );
        assert_eq!(
            e.headers[header::WWW_AUTHENTICATE],
            "basic realm=\"/auth/basic\""
        );
        let e = Denied::InvalidRole.into_error("x");
        assert_eq!(e.status, StatusCode::FORBIDDEN);
        assert_eq!(e.response_status.message.as_deref(), Some("Invalid Role"));
        assert!(e.headers.is_empty());
        let e = Denied::InvalidPermission.into_error("x");
        assert_eq!(
            e.response_status.message.as_deref(),
            Some("Invalid Permission")
        );
    }
}
