//! Route templates: filling a declared [`Route`] from a request, and matching a path against
//! one.
//!
//! The template rules live in `ssdto-protocol` and are re-exported here ([`RouteTemplate`]): a
//! template is a path of `/`-separated literals, variables `{Name}`, wildcards `{Name*}` (or
//! `{**Name}`) and compounds such as `{Name}.{Ext}`; variables bind request fields by wire
//! name, case-insensitively as ServiceStack does, and values are percent-encoded so they cannot
//! change the path's shape. This module adds what needs serde: [`select`] picks and fills the
//! route for a request value.
//!
//! ```
//! use ssdto::{Method, Route};
//! use ssdto::route::select;
//!
//! #[derive(serde::Serialize)]
//! #[serde(rename_all = "camelCase")]
//! struct GetFile { account_id: String, path: String, version: Option<i32> }
//!
//! const ROUTES: &[Route] = &[
//!     Route { path: "/files", verbs: &[] },
//!     Route { path: "/accounts/{AccountId}/files/{Path*}", verbs: &[Method::Get] },
//! ];
//! let req = GetFile { account_id: "a b".into(), path: "docs/q?.txt".into(), version: Some(3) };
//! let chosen = select(&req, ROUTES, Method::Get).unwrap().unwrap();
//! assert_eq!(chosen.filled.path, "/accounts/a%20b/files/docs/q%3F.txt");
//! assert_eq!(chosen.filled.consumed, ["accountId", "path"]);
//! ```

use serde::Serialize;

pub use ssdto_protocol::route::{
    FillError, FilledRoute, Part, RouteParseError, RouteTemplate, Segment,
};

use crate::query::{self, QueryError};
use crate::request::{Method, Request, Route};

/// The route [`select`] picked for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChosenRoute {
    /// The declared route.
    pub route: Route,
    /// Its template filled from the request.
    pub filled: FilledRoute,
}

/// Picks the route for `request` among `routes` and fills it.
///
/// Eligible routes allow `method`, parse, and have every variable set (non-null, non-empty,
/// not a dot segment). Among those, as ServiceStack's client does, the route with the most
/// variables wins; a tie goes to the shorter template (ServiceStack prefers
/// `/product-lines/{id}/{line}` over `/products/{id}/product-lines/{line}`), then to the one
/// declared first. `Ok(None)` means no route fits and the caller falls back to the operation's
/// predefined route (`/api/{Operation}`).
pub fn select<T: Serialize + ?Sized>(
    request: &T,
    routes: &[Route],
    method: Method,
) -> Result<Option<ChosenRoute>, QueryError> {
    let fields = query::fields(request)?;
    Ok(select_with_fields(&fields, routes, method))
}

/// [`select`] over the routes and verb a generated request declares.
pub fn select_for<R: Request>(request: &R) -> Result<Option<ChosenRoute>, QueryError> {
    select(request, R::ROUTES, R::METHOD)
}

/// [`select`] for fields already rendered with [`query::fields`].
pub fn select_with_fields(
    fields: &[(String, String)],
    routes: &[Route],
    method: Method,
) -> Option<ChosenRoute> {
    let mut best: Option<(usize, ChosenRoute)> = None;
    for route in routes.iter().filter(|r| r.allows(method)) {
        let Ok(template) = RouteTemplate::parse(route.path) else {
            continue;
        };
        let Ok(filled) = template.fill(fields) else {
            continue;
        };
        let count = filled.consumed.len();
        let better = best.as_ref().is_none_or(|(best_count, chosen)| {
            count > *best_count
                || (count == *best_count && route.path.len() < chosen.route.path.len())
        });
        if better {
            best = Some((
                count,
                ChosenRoute {
                    route: *route,
                    filled,
                },
            ));
        }
    }
    best.map(|(_, chosen)| chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct GetSession {
        account_id: Option<String>,
        session_id: Option<String>,
        page: Option<i32>,
    }

    const ROUTES: &[Route] = &[
        Route {
            path: "/sessions",
            verbs: &[Method::Get],
        },
        Route {
            path: "/sessions/{sessionId}",
            verbs: &[Method::Get, Method::Delete],
        },
        Route {
            path: "/accounts/{accountId}/sessions/{sessionId}",
            verbs: &[Method::Post],
        },
        Route {
            path: "/{accountId}/s/{sessionId}",
            verbs: &[],
        },
        Route {
            path: "/{sessionId}/a/{accountId}",
            verbs: &[],
        },
    ];

    fn chosen(req: &GetSession, method: Method) -> Option<(&'static str, String)> {
        select(req, ROUTES, method)
            .unwrap()
            .map(|c| (c.route.path, c.filled.path))
    }

    #[test]
    fn select_prefers_most_variables_then_shortest_then_first() {
        let mut req = GetSession {
            account_id: None,
            session_id: None,
            page: Some(1),
        };
        assert_eq!(
            chosen(&req, Method::Get),
            Some(("/sessions", "/sessions".into()))
        );
        assert_eq!(chosen(&req, Method::Post), None);

        req.session_id = Some("s1".into());
        assert_eq!(
            chosen(&req, Method::Get),
            Some(("/sessions/{sessionId}", "/sessions/s1".into()))
        );
        assert_eq!(chosen(&req, Method::Put), None);

        // Two variables beat one; among the two-variable routes POST may use, the shorter
        // templates win, and of those two equally long the first declared.
        req.account_id = Some("a1".into());
        assert_eq!(
            chosen(&req, Method::Get),
            Some(("/{accountId}/s/{sessionId}", "/a1/s/s1".into()))
        );
        assert_eq!(
            chosen(&req, Method::Post),
            Some(("/{accountId}/s/{sessionId}", "/a1/s/s1".into()))
        );

        // A value that cannot go in a path makes its routes ineligible.
        req.account_id = Some("..".into());
        assert_eq!(
            chosen(&req, Method::Get),
            Some(("/sessions/{sessionId}", "/sessions/s1".into()))
        );
        req.session_id = Some(String::new());
        assert_eq!(
            chosen(&req, Method::Get),
            Some(("/sessions", "/sessions".into()))
        );
    }

    impl Request for GetSession {
        type Response = crate::Void;
        const OPERATION: &'static str = "GetSession";
        const METHOD: Method = Method::Delete;
        const ROUTES: &'static [Route] = ROUTES;
    }

    #[test]
    fn select_for_uses_the_declared_routes_and_verb() {
        let req = GetSession {
            account_id: None,
            session_id: Some("s 1".into()),
            page: Some(3),
        };
        let chosen = select_for(&req).unwrap().unwrap();
        assert_eq!(chosen.filled.path, "/sessions/s%201");
        let skip: Vec<&str> = chosen.filled.consumed.iter().map(String::as_str).collect();
        assert_eq!(query::to_query_string(&req, &skip).unwrap(), "page=3");
        // Broken templates are skipped rather than failing the request.
        let broken = [Route {
            path: "/{oops",
            verbs: &[],
        }];
        assert_eq!(select(&req, &broken, Method::Get).unwrap(), None);
        assert!(select(&7, ROUTES, Method::Get).is_err());
    }
}
