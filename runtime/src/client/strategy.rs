//! Where a request goes: its path, query string and JSON body under each [`RouteStrategy`].
//!
//! This is the part of the client that decides what goes on the wire, kept apart from the
//! HTTP library so it can be tested without a server.

use crate::protocol::Predefined;
use crate::{query, route, Method, Request};

use super::Error;

/// How the client turns a request type into a URL path.
///
/// ```
/// use ssdto::client::RouteStrategy;
/// assert_eq!(RouteStrategy::default(), RouteStrategy::Api);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum RouteStrategy {
    /// `/api/{Operation}`: ServiceStack's predefined route, which every operation has on
    /// ServiceStack v6 and later, and what the official clients send to.
    #[default]
    Api,
    /// `/json/reply/{Operation}`: the predefined route of older servers, which the official
    /// clients used before `/api` existed.
    JsonReply,
    /// The route the contract declares (`/sessions/{sessionId}`), filled from the request, as
    /// ServiceStack's C# client does with `[Route]` attributes: among the routes that allow the
    /// verb and whose variables are all set, the one with the most variables wins. Fields used
    /// in the path are left out of the query string. A request no declared route fits goes to
    /// `/api/{Operation}`.
    Declared,
}

/// A request ready to be sent: verb, URL and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Prepared {
    /// The verb to send with.
    pub method: Method,
    /// The absolute URL: the base URL, the path and the query string.
    pub url: String,
    /// The JSON body, for verbs that send one.
    pub body: Option<Vec<u8>>,
}

/// Room for a query string, so a typical GET's URL is written without growing its buffer.
const QUERY_ROOM: usize = 128;

/// Works out the URL and body for `request` sent with `method` to the server at `base` (a
/// base URL without a trailing `/`).
///
/// Verbs for which [`Method::sends_query`] holds (GET, DELETE, HEAD, OPTIONS) put every field
/// a route did not consume in the query string and send no body; the others send the whole
/// request as a JSON body, as the official clients do (the body also carries the fields the
/// route path holds, which the server binds either way).
pub(crate) fn prepare<R: Request>(
    request: &R,
    method: Method,
    strategy: RouteStrategy,
    base: &str,
) -> Result<Prepared, Error> {
    let sends_query = method.sends_query();
    let url = if strategy == RouteStrategy::Declared {
        // Filling a declared route needs every field rendered first.
        let fields = query::fields(request)?;
        let (url, consumed) = route_for(base, strategy, &fields, R::OPERATION, R::ROUTES, method);
        if sends_query {
            return Ok(with_query(method, url, &fields, &consumed));
        }
        url
    } else {
        // The usual case: one buffer for the whole URL, the query written straight into it.
        let room = if sends_query { QUERY_ROOM } else { 0 };
        let mut url = predefined_url(base, predefined(strategy, Reply::Sync), R::OPERATION, room);
        if sends_query {
            query::append_query(&mut url, request, &[], Some('?'))?;
            return Ok(Prepared {
                method,
                url,
                body: None,
            });
        }
        url
    };
    Ok(Prepared {
        method,
        url,
        body: Some(serde_json::to_vec(request).map_err(Error::Encode)?),
    })
}

/// The URL a request with `fields` takes under `strategy`, and the fields its route
/// consumed: the best declared route for [`RouteStrategy::Declared`], else (and when none
/// fits) the predefined route.
pub(crate) fn route_for(
    base: &str,
    strategy: RouteStrategy,
    fields: &[(String, String)],
    operation: &str,
    routes: &[crate::Route],
    method: Method,
) -> (String, Vec<String>) {
    let declared = match strategy {
        RouteStrategy::Declared => route::select_with_fields(fields, routes, method),
        RouteStrategy::Api | RouteStrategy::JsonReply => None,
    };
    match declared {
        Some(chosen) => (join(base, &chosen.filled.path), chosen.filled.consumed),
        None => (
            predefined_url(base, predefined(strategy, Reply::Sync), operation, 0),
            Vec::new(),
        ),
    }
}

/// A body-less request to `url` with every field a route did not consume in the query.
pub(crate) fn with_query(
    method: Method,
    mut url: String,
    fields: &[(String, String)],
    consumed: &[String],
) -> Prepared {
    query::append_pairs(
        &mut url,
        fields
            .iter()
            .filter(|(name, _)| !consumed.iter().any(|c| c.eq_ignore_ascii_case(name)))
            .map(|(name, value)| (name.as_str(), value.as_str())),
        Some('?'),
    );
    Prepared {
        method,
        url,
        body: None,
    }
}

/// Whether a predefined route waits for the response (`reply`) or not (`oneway`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reply {
    Sync,
    OneWay,
}

/// The predefined route a request takes: `/api/{Operation}` (for replies and one-way
/// requests alike, as the official clients' `useBasePath("/api")` sets both), or
/// `/json/reply/{Operation}` and `/json/oneway/{Operation}` under
/// [`RouteStrategy::JsonReply`]. [`RouteStrategy::Declared`] falls back to `/api`. Batches
/// and one-way sends use these whatever the strategy, as the official clients do.
pub(crate) fn predefined(strategy: RouteStrategy, reply: Reply) -> Predefined {
    match (strategy, reply) {
        (RouteStrategy::JsonReply, Reply::Sync) => Predefined::JsonReply,
        (RouteStrategy::JsonReply, Reply::OneWay) => Predefined::JsonOneWay,
        (RouteStrategy::Api | RouteStrategy::Declared, _) => Predefined::Api,
    }
}

/// `base` followed by the path of `operation` on a predefined route
/// (`http://host/api/GetSession`), with room for `extra` more bytes.
pub(crate) fn predefined_url(
    base: &str,
    route: Predefined,
    operation: &str,
    extra: usize,
) -> String {
    let prefix = route.prefix();
    let mut url = String::with_capacity(base.len() + prefix.len() + operation.len() + extra);
    url.push_str(base);
    url.push_str(prefix);
    // Operation names are .NET type names, but escape them anyway: a name is data from a
    // contract and must not be able to add path segments or a query.
    url.push_str(&query::encode_component(operation));
    url
}

/// Joins a base URL (without trailing `/`) and a path starting with `/`.
pub(crate) fn join(base: &str, path_and_query: &str) -> String {
    let mut url = String::with_capacity(base.len() + path_and_query.len());
    url.push_str(base);
    url.push_str(path_and_query);
    url
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Route;

    #[derive(serde::Serialize, Default)]
    #[serde(rename_all = "camelCase")]
    struct GetThing {
        #[serde(skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        tags: Option<Vec<String>>,
        all: bool,
    }

    impl Request for GetThing {
        type Response = serde_json::Value;
        const OPERATION: &'static str = "GetThing";
        const METHOD: Method = Method::Get;
        const ROUTES: &'static [Route] = &[
            Route {
                path: "/things",
                verbs: &[Method::Get, Method::Post],
            },
            Route {
                path: "/things/{Id}",
                verbs: &[Method::Get, Method::Put],
            },
        ];
    }

    fn thing(id: Option<&str>) -> GetThing {
        GetThing {
            id: id.map(Into::into),
            tags: Some(vec!["a".into(), "b,c".into()]),
            all: true,
        }
    }

    fn path(req: &GetThing, method: Method, strategy: RouteStrategy) -> (String, Option<String>) {
        // Without a base URL, the URL is the path and query.
        let p = prepare(req, method, strategy, "").unwrap();
        assert_eq!(p.method, method);
        (p.url, p.body.map(|b| String::from_utf8(b).unwrap()))
    }

    #[test]
    fn predefined_routes_put_every_field_in_the_query() {
        let req = thing(Some("x/y"));
        assert_eq!(
            path(&req, Method::Get, RouteStrategy::Api),
            (
                "/api/GetThing?id=x%2Fy&tags=a,%22b,c%22&all=true".into(),
                None
            )
        );
        assert_eq!(
            path(&req, Method::Delete, RouteStrategy::JsonReply).0,
            "/json/reply/GetThing?id=x%2Fy&tags=a,%22b,c%22&all=true"
        );
    }

    #[test]
    fn body_verbs_send_json_and_no_query() {
        let req = thing(Some("1"));
        assert_eq!(
            path(&req, Method::Post, RouteStrategy::Api),
            (
                "/api/GetThing".into(),
                Some(r#"{"id":"1","tags":["a","b,c"],"all":true}"#.into())
            )
        );
    }

    #[test]
    fn declared_routes_fill_variables_and_skip_them_in_the_query() {
        let req = thing(Some("a b"));
        assert_eq!(
            path(&req, Method::Get, RouteStrategy::Declared).0,
            "/things/a%20b?tags=a,%22b,c%22&all=true"
        );
        // Without an id only the route without variables fits.
        assert_eq!(
            path(&thing(None), Method::Get, RouteStrategy::Declared).0,
            "/things?tags=a,%22b,c%22&all=true"
        );
        // PUT is only allowed on the route with the id; the body keeps every field.
        assert_eq!(
            path(&req, Method::Put, RouteStrategy::Declared),
            (
                "/things/a%20b".into(),
                Some(r#"{"id":"a b","tags":["a","b,c"],"all":true}"#.into())
            )
        );
    }

    #[test]
    fn declared_falls_back_to_api_when_no_route_fits() {
        // No route allows DELETE, and a path value of `..` can never be sent in a path.
        assert_eq!(
            path(&thing(Some("1")), Method::Delete, RouteStrategy::Declared).0,
            "/api/GetThing?id=1&tags=a,%22b,c%22&all=true"
        );
        assert_eq!(
            path(&thing(Some("..")), Method::Put, RouteStrategy::Declared).0,
            "/api/GetThing"
        );
    }

    #[test]
    fn empty_query_has_no_question_mark() {
        #[derive(serde::Serialize)]
        struct Ping {}
        impl Request for Ping {
            type Response = crate::Void;
            const OPERATION: &'static str = "Ping";
            const METHOD: Method = Method::Get;
        }
        for strategy in [RouteStrategy::Declared, RouteStrategy::Api] {
            let p = prepare(&Ping {}, Method::Get, strategy, "http://h:1/base").unwrap();
            assert_eq!(p.url, "http://h:1/base/api/Ping");
        }
    }

    #[test]
    fn a_request_that_is_not_a_struct_is_a_query_error() {
        #[derive(serde::Serialize)]
        struct Bare(u32);
        impl Request for Bare {
            type Response = crate::Void;
            const OPERATION: &'static str = "Bare";
            const METHOD: Method = Method::Get;
        }
        let err = prepare(&Bare(1), Method::Get, RouteStrategy::Api, "").unwrap_err();
        assert!(matches!(err, Error::Query(_)), "{err:?}");
        // A body verb does not need fields, so the same request goes out as JSON.
        let p = prepare(&Bare(1), Method::Post, RouteStrategy::Api, "").unwrap();
        assert_eq!(p.body.as_deref(), Some(&b"1"[..]));
    }

    #[test]
    fn operation_names_cannot_change_the_path() {
        assert_eq!(
            predefined_url("http://h", Predefined::Api, "../x?y", 0),
            "http://h/api/..%2Fx%3Fy"
        );
    }
}
