//! ServiceStack's own DTOs that real contracts reference: AutoQuery's `QueryBase`,
//! `QueryDb<T>` and `QueryResponse<T>`, `Authenticate` / `AuthenticateResponse`,
//! `GetAccessToken` / `GetAccessTokenResponse`, `IdResponse` and `EmptyResponse`.
//!
//! Generated code refers to these (`ssdto::QueryResponse<Booking>`) instead of emitting a copy
//! in every file. They follow the generated code's conventions: camelCase on the wire,
//! optional members skipped when `None`, and read as generated structs are
//! ([`crate::de`]): member names in any case (`results`, `Results`, `RESULTS`), missing
//! members as their default, unknown members ignored.
//!
//! ```
//! use ssdto::{QueryResponse, Request};
//!
//! #[derive(Debug, Default, PartialEq, serde::Deserialize)]
//! struct Booking { id: i32 }
//!
//! let page: QueryResponse<Booking> = serde_json::from_str(
//!     r#"{"Offset":0,"Total":2,"Results":[{"id":1},{"id":2}]}"#,
//! ).unwrap();
//! assert_eq!(page.total, 2);
//! assert_eq!(page.results[1], Booking { id: 2 });
//!
//! assert_eq!(ssdto::Authenticate::ROUTES[1].path, "/auth/{provider}");
//! ```

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, Serialize};

use crate::request::{Method, Request, Route};
use crate::status::ResponseStatus;
use crate::wire;

/// The paging, ordering and field-selection members every AutoQuery request has
/// (ServiceStack's `QueryBase`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryBase {
    /// How many results to skip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip: Option<i32>,
    /// How many results to return at most.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub take: Option<i32>,
    /// Comma-separated fields to order by; a leading `-` sorts that field descending.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_by: Option<String>,
    /// Comma-separated fields to order by, descending.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_by_desc: Option<String>,
    /// Aggregates to include, e.g. `Total` or `COUNT(*)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include: Option<String>,
    /// Comma-separated fields to return (all when unset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<String>,
    /// Extra data for the service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<HashMap<String, String>>,
}

crate::deserialize_fields! {
    QueryBase {
        0: skip = "skip",
        1: take = "take",
        2: order_by = "orderBy",
        3: order_by_desc = "orderByDesc",
        4: include = "include",
        5: fields = "fields",
        6: meta = "meta",
    }
}

/// An AutoQuery request over the table of `T` (ServiceStack's `QueryDb<T>`): the
/// [`QueryBase`] members, typed by what it queries.
///
/// Generated requests that inherit `QueryDb<T>` get these members inlined, with their own;
/// this type is for code that builds a query generically. `T` is only a marker: it needs no
/// trait at all (no `Default`, `Clone`, `Serialize`, ...), and the marker is
/// `PhantomData<fn() -> T>` so the request is `Send`, `Sync` and `'static`-friendly whatever
/// `T` is. (Rust rejects a type parameter that no field uses, so a marker field there must
/// be; it is skipped by serde and filled by `..Default::default()`.)
///
/// ```
/// struct Booking; // no derives needed
/// let q = ssdto::QueryDb::<Booking> { take: Some(10), ..Default::default() };
/// assert_eq!(serde_json::to_string(&q).unwrap(), r#"{"take":10}"#);
/// let back: ssdto::QueryDb<Booking> = serde_json::from_str(r#"{"Take":10}"#).unwrap();
/// assert_eq!(back, q);
/// ```
#[derive(Serialize)]
#[serde(rename_all = "camelCase", bound = "")]
pub struct QueryDb<T> {
    /// How many results to skip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip: Option<i32>,
    /// How many results to return at most.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub take: Option<i32>,
    /// Comma-separated fields to order by; a leading `-` sorts that field descending.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_by: Option<String>,
    /// Comma-separated fields to order by, descending.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_by_desc: Option<String>,
    /// Aggregates to include, e.g. `Total` or `COUNT(*)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include: Option<String>,
    /// Comma-separated fields to return (all when unset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<String>,
    /// Extra data for the service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<HashMap<String, String>>,
    /// The queried type; never on the wire.
    #[serde(skip)]
    pub of: PhantomData<fn() -> T>,
}

// Read as a [`QueryBase`], by the same rules and with no bound on `T`, which
// `deserialize_fields!` would ask to be `Deserialize + Default`.
impl<'de, T> Deserialize<'de> for QueryDb<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        QueryBase::deserialize(deserializer).map(Self::from)
    }
}

// Written by hand rather than derived: derives would demand `T: Default` (and `Clone`,
// `Debug`, ...) although no `T` is ever stored.
impl<T> Default for QueryDb<T> {
    fn default() -> Self {
        QueryBase::default().into()
    }
}

impl<T> Clone for QueryDb<T> {
    fn clone(&self) -> Self {
        QueryBase::from(self).into()
    }
}

impl<T> PartialEq for QueryDb<T> {
    fn eq(&self, other: &Self) -> bool {
        QueryBase::from(self) == QueryBase::from(other)
    }
}

impl<T> Eq for QueryDb<T> {}

impl<T> fmt::Debug for QueryDb<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueryDb")
            .field("of", &std::any::type_name::<T>())
            .field("skip", &self.skip)
            .field("take", &self.take)
            .field("order_by", &self.order_by)
            .field("order_by_desc", &self.order_by_desc)
            .field("include", &self.include)
            .field("fields", &self.fields)
            .field("meta", &self.meta)
            .finish()
    }
}

impl<T> From<QueryBase> for QueryDb<T> {
    fn from(base: QueryBase) -> Self {
        Self {
            skip: base.skip,
            take: base.take,
            order_by: base.order_by,
            order_by_desc: base.order_by_desc,
            include: base.include,
            fields: base.fields,
            meta: base.meta,
            of: PhantomData,
        }
    }
}

impl<T> From<QueryDb<T>> for QueryBase {
    fn from(query: QueryDb<T>) -> Self {
        Self {
            skip: query.skip,
            take: query.take,
            order_by: query.order_by,
            order_by_desc: query.order_by_desc,
            include: query.include,
            fields: query.fields,
            meta: query.meta,
        }
    }
}

impl<T> From<&QueryDb<T>> for QueryBase {
    fn from(query: &QueryDb<T>) -> Self {
        Self {
            skip: query.skip,
            take: query.take,
            order_by: query.order_by.clone(),
            order_by_desc: query.order_by_desc.clone(),
            include: query.include.clone(),
            fields: query.fields.clone(),
            meta: query.meta.clone(),
        }
    }
}

/// A page of AutoQuery results (ServiceStack's `QueryResponse<T>`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryResponse<T> {
    /// How many results were skipped.
    pub offset: i32,
    /// How many results match in all (when the query asked for the total).
    pub total: i32,
    /// This page of results; `null` reads as empty.
    pub results: Vec<T>,
    /// Extra data from the service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<HashMap<String, String>>,
    /// What went wrong, on failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_status: Option<ResponseStatus>,
}

// By hand so that `T` need not be `Default`.
impl<T> Default for QueryResponse<T> {
    fn default() -> Self {
        Self {
            offset: 0,
            total: 0,
            results: Vec::new(),
            meta: None,
            response_status: None,
        }
    }
}

crate::deserialize_fields! {
    QueryResponse<T> {
        0: offset = "offset",
        1: total = "total",
        2: results = "results" or default,
        3: meta = "meta",
        4: response_status = "responseStatus",
    }
}

/// Sign in (ServiceStack's `Authenticate`): `POST /auth/{provider}` with, for the
/// `credentials` provider, a user name and password; answers an [`AuthenticateResponse`]
/// and sets the `ss-id` / `ss-pid` session cookies.
///
/// ```
/// use ssdto::{Authenticate, Method, Request};
///
/// let req = Authenticate {
///     provider: Some("credentials".into()),
///     user_name: Some("admin@email.com".into()),
///     password: Some("p@55wOrd".into()),
///     remember_me: Some(true),
///     ..Default::default()
/// };
/// assert_eq!(Authenticate::METHOD, Method::Post);
/// assert_eq!(
///     serde_json::to_string(&req).unwrap(),
///     r#"{"provider":"credentials","userName":"admin@email.com","password":"p@55wOrd","rememberMe":true}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Authenticate {
    /// The auth provider: `credentials`, `apikey`, `jwt`, an OAuth provider's name, or
    /// `logout`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// The user name or email, for `credentials`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// The password, for `credentials`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Whether the session outlives the browser session (the `ss-pid` cookie).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remember_me: Option<bool>,
    /// An access token, for token-based providers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// An access token secret, for OAuth 1 providers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token_secret: Option<String>,
    /// Where to redirect after signing in (web flows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
    /// The view to show on failure (web flows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_view: Option<String>,
    /// Extra data for the auth provider.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<HashMap<String, String>>,
}

crate::deserialize_fields! {
    Authenticate {
        0: provider = "provider",
        1: user_name = "userName",
        2: password = "password",
        3: remember_me = "rememberMe",
        4: access_token = "accessToken",
        5: access_token_secret = "accessTokenSecret",
        6: return_url = "returnUrl",
        7: error_view = "errorView",
        8: meta = "meta",
    }
}

impl Request for Authenticate {
    type Response = AuthenticateResponse;
    const OPERATION: &'static str = "Authenticate";
    const METHOD: Method = Method::Post;
    // As AuthFeature registers them (its `ServiceRoutesVerbs`).
    const ROUTES: &'static [Route] = &[
        Route {
            path: "/auth",
            verbs: &[Method::Get, Method::Post],
        },
        Route {
            path: "/auth/{provider}",
            verbs: &[Method::Get, Method::Post],
        },
    ];
}

/// The answer to [`Authenticate`] (ServiceStack's `AuthenticateResponse`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticateResponse {
    /// The user's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The session id, also set as the `ss-id` (or `ss-pid`) cookie.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// The user name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// The name to show for the user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Where the sign-in came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referrer_url: Option<String>,
    /// A JWT to send as `Authorization: Bearer`, when the server issues them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bearer_token: Option<String>,
    /// A token to get a new bearer token with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// When the refresh token expires, in either of ServiceStack's date forms.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token_expiry: Option<wire::DateTime>,
    /// The user's avatar.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_url: Option<String>,
    /// The user's roles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    /// The user's permissions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<String>>,
    /// The provider that authenticated the user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_provider: Option<String>,
    /// What went wrong, on failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_status: Option<ResponseStatus>,
    /// Extra data from the auth provider.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<HashMap<String, String>>,
}

crate::deserialize_fields! {
    AuthenticateResponse {
        0: user_id = "userId",
        1: session_id = "sessionId",
        2: user_name = "userName",
        3: display_name = "displayName",
        4: referrer_url = "referrerUrl",
        5: bearer_token = "bearerToken",
        6: refresh_token = "refreshToken",
        7: refresh_token_expiry = "refreshTokenExpiry",
        8: profile_url = "profileUrl",
        9: roles = "roles",
        10: permissions = "permissions",
        11: auth_provider = "authProvider",
        12: response_status = "responseStatus",
        13: meta = "meta",
    }
}

/// A new JWT access token for a refresh token (ServiceStack's `GetAccessToken`, served by its
/// JWT auth provider at `/access-token`): the refresh token in the body, or, when it is
/// `None`, the `ss-reftok` cookie.
///
/// ```
/// let request = ssdto::GetAccessToken {
///     refresh_token: Some("r1".into()),
///     use_token_cookie: Some(false),
///     ..Default::default()
/// };
/// assert_eq!(
///     serde_json::to_string(&request).unwrap(),
///     r#"{"refreshToken":"r1","useTokenCookie":false}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetAccessToken {
    /// The refresh token, from the sign-in's `refreshToken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Whether the client keeps its tokens in cookies; the TypeScript client sends it.
    /// ServiceStack's service does not read it: the answer is a cookie whenever the request
    /// has the refresh cookie or the server uses token cookies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_token_cookie: Option<bool>,
    /// Extra data for the service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<HashMap<String, String>>,
}

crate::deserialize_fields! {
    GetAccessToken {
        0: refresh_token = "refreshToken",
        1: use_token_cookie = "useTokenCookie",
        2: meta = "meta",
    }
}

impl Request for GetAccessToken {
    type Response = GetAccessTokenResponse;
    const OPERATION: &'static str = "GetAccessToken";
    const METHOD: Method = Method::Post;
    // As the JWT auth provider registers it, for any verb.
    const ROUTES: &'static [Route] = &[Route {
        path: "/access-token",
        verbs: &[],
    }];
}

/// The answer to [`GetAccessToken`]: the new token, or nothing when it came as the `ss-tok`
/// cookie.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GetAccessTokenResponse {
    /// The new JWT access token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// Extra data from the service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<HashMap<String, String>>,
    /// What went wrong, on failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_status: Option<ResponseStatus>,
}

crate::deserialize_fields! {
    GetAccessTokenResponse {
        0: access_token = "accessToken",
        1: meta = "meta",
        2: response_status = "responseStatus",
    }
}

/// The id of a created or changed record (ServiceStack's `IdResponse`, AutoQuery CRUD's
/// usual answer).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IdResponse {
    /// The record's id, as text whatever its .NET type.
    pub id: String,
    /// What went wrong, on failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_status: Option<ResponseStatus>,
    /// Extra data from the service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<HashMap<String, String>>,
}

crate::deserialize_fields! {
    IdResponse {
        0: id = "id",
        1: response_status = "responseStatus",
        2: meta = "meta",
    }
}

/// A response with nothing but a status (ServiceStack's `EmptyResponse`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EmptyResponse {
    /// What went wrong, on failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_status: Option<ResponseStatus>,
}

crate::deserialize_fields! {
    EmptyResponse {
        0: response_status = "responseStatus",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::de::{assert_reads_names_in_any_case, Fields};

    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct Row {
        id: i32,
    }

    /// No derives at all: QueryDb must not require any.
    struct Opaque;

    fn meta() -> Option<HashMap<String, String>> {
        Some([("1".to_owned(), "v".to_owned())].into())
    }

    fn status() -> Option<ResponseStatus> {
        Some(ResponseStatus::new("E", "m"))
    }

    fn text(s: &str) -> Option<String> {
        Some(s.to_owned())
    }

    #[test]
    fn every_dto_reads_member_names_in_any_case() {
        let base = QueryBase {
            skip: Some(1),
            take: Some(2),
            order_by: text("a"),
            order_by_desc: text("b"),
            include: text("Total"),
            fields: text("id"),
            meta: meta(),
        };
        assert_reads_names_in_any_case(&base, QueryBase::FIELDS);
        assert_reads_names_in_any_case(&QueryDb::<Opaque>::from(base), QueryBase::FIELDS);
        let page = QueryResponse {
            offset: 1,
            total: 2,
            results: vec![crate::KeyValuePair { key: 3, value: 4 }],
            meta: meta(),
            response_status: status(),
        };
        assert_reads_names_in_any_case(&page, QueryResponse::<u8>::FIELDS);
        let auth = Authenticate {
            provider: text("credentials"),
            user_name: text("u"),
            password: text("p"),
            remember_me: Some(true),
            access_token: text("at"),
            access_token_secret: text("ats"),
            return_url: text("/r"),
            error_view: text("e"),
            meta: meta(),
        };
        assert_reads_names_in_any_case(&auth, Authenticate::FIELDS);
        let roles = Some(vec!["Admin".to_owned()]);
        let signed_in = AuthenticateResponse {
            user_id: text("1"),
            session_id: text("s"),
            user_name: text("u"),
            display_name: text("U"),
            referrer_url: text("/"),
            bearer_token: text("jwt"),
            refresh_token: text("r"),
            refresh_token_expiry: "2021-01-01T00:00:00Z".parse().ok(),
            profile_url: text("/p.png"),
            roles: roles.clone(),
            permissions: roles,
            auth_provider: text("credentials"),
            response_status: status(),
            meta: meta(),
        };
        assert_reads_names_in_any_case(&signed_in, AuthenticateResponse::FIELDS);
        let get_token = GetAccessToken {
            refresh_token: text("r"),
            use_token_cookie: Some(false),
            meta: meta(),
        };
        assert_reads_names_in_any_case(&get_token, GetAccessToken::FIELDS);
        let token = GetAccessTokenResponse {
            access_token: text("jwt"),
            meta: meta(),
            response_status: status(),
        };
        assert_reads_names_in_any_case(&token, GetAccessTokenResponse::FIELDS);
        let id = IdResponse {
            id: "7".into(),
            response_status: status(),
            meta: meta(),
        };
        assert_reads_names_in_any_case(&id, IdResponse::FIELDS);
        let empty = EmptyResponse {
            response_status: status(),
        };
        assert_reads_names_in_any_case(&empty, EmptyResponse::FIELDS);
    }

    #[test]
    fn a_wrong_value_names_the_dto() {
        let err = serde_json::from_str::<QueryResponse<Row>>(r#"{"TOTAL":"x"}"#).unwrap_err();
        assert!(err.to_string().contains("expected i32"), "{err}");
        let err = serde_json::from_str::<QueryResponse<Row>>("[]").unwrap_err();
        assert!(err.to_string().contains("struct QueryResponse"), "{err}");
        let err = serde_json::from_str::<QueryDb<Opaque>>("1").unwrap_err();
        assert!(err.to_string().contains("struct QueryBase"), "{err}");
    }

    #[test]
    fn query_response_reads_both_cases_and_null_results() {
        let page: QueryResponse<Row> = serde_json::from_str(
            r#"{"Offset":10,"Total":11,"Results":[{"id":7}],"Meta":{"k":"v"},
                "ResponseStatus":{"ErrorCode":"E"},"unknown":1}"#,
        )
        .unwrap();
        assert_eq!((page.offset, page.total), (10, 11));
        assert_eq!(page.results, [Row { id: 7 }]);
        assert_eq!(page.meta.as_ref().unwrap()["k"], "v");
        assert_eq!(
            page.response_status.as_ref().unwrap().error_code.as_deref(),
            Some("E")
        );
        let json = serde_json::to_value(&page).unwrap();
        assert_eq!(json["results"][0]["id"], 7);
        assert_eq!(json["responseStatus"]["errorCode"], "E");

        let empty: QueryResponse<Row> = serde_json::from_str(r#"{"results":null}"#).unwrap();
        assert_eq!(empty, QueryResponse::default());
        assert_eq!(
            serde_json::to_string(&empty).unwrap(),
            r#"{"offset":0,"total":0,"results":[]}"#
        );
    }

    #[test]
    fn query_db_needs_nothing_of_its_marker() {
        let q = QueryDb::<Opaque> {
            skip: Some(5),
            order_by: Some("-id".into()),
            ..Default::default()
        };
        let copy = q.clone();
        assert_eq!(copy, q);
        assert!(format!("{q:?}").contains("Opaque"));
        let json = serde_json::to_string(&q).unwrap();
        assert_eq!(json, r#"{"skip":5,"orderBy":"-id"}"#);
        let back: QueryDb<Opaque> = serde_json::from_str(r#"{"Skip":5,"OrderBy":"-id"}"#).unwrap();
        assert_eq!(back, q);
        let base = QueryBase::from(q);
        assert_eq!(serde_json::to_string(&base).unwrap(), json);
        fn send_sync<X: Send + Sync>() {}
        send_sync::<QueryDb<std::rc::Rc<Opaque>>>();
    }

    #[test]
    fn query_string_of_a_query_db_has_only_set_members() {
        let q = QueryDb::<Opaque> {
            take: Some(20),
            fields: Some("id,name".into()),
            ..Default::default()
        };
        assert_eq!(
            crate::query::to_query_string(&q, &[]).unwrap(),
            "take=20&fields=id,name"
        );
    }

    #[test]
    fn authenticate_is_a_request_with_auth_routes() {
        let req = Authenticate {
            provider: Some("credentials".into()),
            user_name: Some("u".into()),
            ..Default::default()
        };
        let chosen = crate::route::select(&req, Authenticate::ROUTES, Authenticate::METHOD)
            .unwrap()
            .unwrap();
        assert_eq!(chosen.filled.path, "/auth/credentials");
        let back: Authenticate =
            serde_json::from_str(r#"{"provider":"credentials","UserName":"u"}"#).unwrap();
        assert_eq!(back, req);
    }

    #[test]
    fn authenticate_response_reads_pascal_case_and_both_date_forms() {
        let pascal: AuthenticateResponse = serde_json::from_str(
            r#"{"UserId":"1","SessionId":"s","BearerToken":"jwt","Roles":["Admin"],
                "RefreshTokenExpiry":"\/Date(1609459200000)\/","AuthProvider":"credentials"}"#,
        )
        .unwrap();
        assert_eq!(pascal.session_id.as_deref(), Some("s"));
        assert_eq!(pascal.roles.as_deref(), Some(&["Admin".to_owned()][..]));
        let expiry = pascal.refresh_token_expiry.unwrap();
        assert_eq!(expiry.unix_millis(), 1_609_459_200_000);
        let camel: AuthenticateResponse = serde_json::from_str(
            r#"{"userId":"1","sessionId":"s","bearerToken":"jwt","roles":["Admin"],
                "refreshTokenExpiry":"2021-01-01T00:00:00Z","authProvider":"credentials"}"#,
        )
        .unwrap();
        assert_eq!(camel, pascal);
        let json = serde_json::to_value(&camel).unwrap();
        assert_eq!(json["refreshTokenExpiry"], "2021-01-01T00:00:00Z");
        assert!(json.get("profileUrl").is_none());
    }

    #[test]
    fn get_access_token_as_servicestack_declares_it() {
        assert_eq!(GetAccessToken::OPERATION, "GetAccessToken");
        assert_eq!(GetAccessToken::METHOD, Method::Post);
        assert!(GetAccessToken::ROUTES[0].allows(Method::Get));
        // From the `ss-reftok` cookie: nothing in the body.
        assert_eq!(
            serde_json::to_string(&GetAccessToken::default()).unwrap(),
            "{}"
        );
        let back: GetAccessToken =
            serde_json::from_str(r#"{"RefreshToken":"r","UseTokenCookie":true}"#).unwrap();
        assert_eq!(back.refresh_token.as_deref(), Some("r"));
        assert_eq!(back.use_token_cookie, Some(true));
        let response: GetAccessTokenResponse =
            serde_json::from_str(r#"{"AccessToken":"jwt-2","ResponseStatus":null}"#).unwrap();
        assert_eq!(response.access_token.as_deref(), Some("jwt-2"));
        assert_eq!(
            serde_json::to_string(&GetAccessTokenResponse::default()).unwrap(),
            "{}"
        );
    }

    #[test]
    fn id_and_empty_responses() {
        let id: IdResponse = serde_json::from_str(r#"{"Id":"42","ResponseStatus":null}"#).unwrap();
        assert_eq!(id.id, "42");
        assert_eq!(serde_json::to_string(&id).unwrap(), r#"{"id":"42"}"#);
        let empty: EmptyResponse =
            serde_json::from_str(r#"{"ResponseStatus":{"Message":"m"}}"#).unwrap();
        assert_eq!(
            empty.response_status.and_then(|s| s.message).as_deref(),
            Some("m")
        );
        assert_eq!(
            serde_json::to_string(&EmptyResponse::default()).unwrap(),
            "{}"
        );
    }
}
