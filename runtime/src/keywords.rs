//! The names ServiceStack gives the cookies and headers of its auth and batch features (its
//! `Keywords` and `HttpHeaders`), in one place so that the client, the server and their users
//! agree on them by construction.
//!
//! ```
//! use ssdto::keywords::{AUTO_BATCH_COMPLETED, REFRESH_TOKEN_COOKIE};
//! assert_eq!(REFRESH_TOKEN_COOKIE, "ss-reftok");
//! assert_eq!(AUTO_BATCH_COMPLETED, "X-AutoBatch-Completed");
//! ```

/// The cookie holding a temporary session's id.
pub const SESSION_ID: &str = "ss-id";
/// The cookie holding a permanent session's id (after a sign-in with `rememberMe`).
pub const PERMANENT_SESSION_ID: &str = "ss-pid";
/// The cookie of session options: `perm` when [`PERMANENT_SESSION_ID`] names the session.
pub const SESSION_OPTIONS: &str = "ss-opt";
/// The cookie holding the JWT access token, when the server uses token cookies.
pub const TOKEN_COOKIE: &str = "ss-tok";
/// The cookie holding the JWT refresh token, when the server uses token cookies.
pub const REFRESH_TOKEN_COOKIE: &str = "ss-reftok";
/// The response header naming the cookies the server set that scripts cannot read:
/// [`REFRESH_TOKEN_COOKIE`] among them tells a client that its refresh token is a cookie.
pub const X_COOKIES: &str = "X-Cookies";
/// The response header of an AutoBatch: how many of its requests completed (before the one
/// that failed, when one did).
pub const AUTO_BATCH_COMPLETED: &str = "X-AutoBatch-Completed";
/// The `meta` key of a failed AutoBatch's `ResponseStatus`: the index of the failed request.
pub const AUTO_BATCH_INDEX: &str = "AutoBatchIndex";
