//! [`ServiceRouter`]: one axum handler that routes every request to its operation.
//!
//! Routing is done here rather than by axum's router because ServiceStack's rules differ from
//! it: literals match case-insensitively, `/sessions/active` and `/sessions/{id}` coexist with
//! the literal preferred, a route may answer any verb, and a path that exists under other verbs
//! answers 405 with `Allow` rather than 404.

use std::fmt;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Bytes;
use axum::extract::Request as HttpRequest;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::decode::{decode, RawRequest};
use super::error::HttpError;
use crate::names::eq_ignore_case;
use crate::request::{Method, Request};
use crate::route::RouteTemplate;

/// The largest body [`ServiceRouter`] reads unless told otherwise: 2 MiB, as axum's default.
pub const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

type BoxFuture = Pin<Box<dyn Future<Output = Response> + Send>>;
type Handler = Arc<dyn Fn(Call) -> BoxFuture + Send + Sync>;

/// What a handler needs of the HTTP request once it is routed.
struct Call {
    body: Bytes,
    content_type: Option<String>,
    query: Option<String>,
    path: Vec<(String, String)>,
}

struct Operation {
    name: &'static str,
    routes: Vec<(RouteTemplate, &'static [Method])>,
    handler: Handler,
}

/// Builds an [`axum::Router`] that serves ServiceStack operations, each with a function of the
/// service and the request DTO.
///
/// Generated `router` functions call it once per operation; see the [module docs](super) for
/// what it serves and how it answers errors.
pub struct ServiceRouter<S> {
    service: Arc<S>,
    operations: Vec<Operation>,
    body_limit: usize,
}

impl<S> fmt::Debug for ServiceRouter<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceRouter")
            .field(
                "operations",
                &self.operations.iter().map(|o| o.name).collect::<Vec<_>>(),
            )
            .field("body_limit", &self.body_limit)
            .finish()
    }
}

impl<S: Send + Sync + 'static> ServiceRouter<S> {
    /// A router with no operations yet, calling into `service`.
    pub fn new(service: Arc<S>) -> Self {
        ServiceRouter {
            service,
            operations: Vec::new(),
            body_limit: DEFAULT_BODY_LIMIT,
        }
    }

    /// Sets the largest request body read, in bytes; larger ones answer 413.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Serves the operation `R` with `call`, on `R::ROUTES` (each with its verbs) and on
    /// `/api/{R::OPERATION}` and `/json/reply/{R::OPERATION}` (any verb).
    ///
    /// A route template that does not parse is left out; the operation stays reachable on its
    /// `/api` and `/json/reply` paths.
    pub fn operation<R, F, Fut>(mut self, call: F) -> Self
    where
        R: Request + DeserializeOwned + Send + 'static,
        R::Response: Serialize,
        F: Fn(Arc<S>, R) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R::Response, HttpError>> + Send + 'static,
    {
        let service = Arc::clone(&self.service);
        let handler: Handler = Arc::new(move |input: Call| -> BoxFuture {
            let raw = RawRequest {
                body: &input.body,
                content_type: input.content_type.as_deref(),
                query: input.query.as_deref(),
                path: &input.path,
            };
            match decode::<R>(&raw) {
                Ok(request) => {
                    let future = call(Arc::clone(&service), request);
                    Box::pin(async move { respond::<R>(future.await) })
                }
                Err(err) => {
                    let response = HttpError::from(err).into_response();
                    Box::pin(async move { response })
                }
            }
        });
        let routes = R::ROUTES
            .iter()
            .filter_map(|route| Some((RouteTemplate::parse(route.path).ok()?, route.verbs)))
            .collect();
        self.operations.push(Operation {
            name: R::OPERATION,
            routes,
            handler,
        });
        self
    }

    /// The axum router. It answers every path (as its fallback), so routes added to it with
    /// `.route(..)` take precedence and layers apply to all operations.
    pub fn into_router(self) -> axum::Router {
        let table = Arc::new(Table {
            operations: self.operations,
            body_limit: self.body_limit,
            predefined: PREDEFINED
                .iter()
                .filter_map(|t| RouteTemplate::parse(t).ok())
                .collect(),
        });
        axum::Router::new().fallback(move |request: HttpRequest| {
            let table = Arc::clone(&table);
            async move { table.dispatch(request).await }
        })
    }
}

/// The paths every operation answers on, with any verb.
const PREDEFINED: [&str; 2] = ["/api/{name}", "/json/reply/{name}"];

/// A successful result as JSON, or 204 for void operations, or the error.
fn respond<R: Request>(result: Result<R::Response, HttpError>) -> Response
where
    R::Response: Serialize,
{
    match result {
        Ok(_) if R::RETURNS_VOID => StatusCode::NO_CONTENT.into_response(),
        Ok(response) => super::json_response(StatusCode::OK, &response),
        Err(err) => err.into_response(),
    }
}

struct Table {
    operations: Vec<Operation>,
    body_limit: usize,
    predefined: Vec<RouteTemplate>,
}

/// How well a route fits: literal segments, no wildcard, explicit verbs; higher wins.
type Score = (usize, bool, bool);

/// How a path and verb resolved.
enum Found<'a> {
    Operation(&'a Operation, Vec<(String, String)>),
    WrongVerb(Vec<Method>),
    Nothing,
}

impl Table {
    async fn dispatch(&self, request: HttpRequest) -> Response {
        let verb = request.method().as_str().to_owned();
        let path = request.uri().path().to_owned();
        let method = verb.parse::<Method>().ok();
        let (operation, variables) = match self.find(method, &path) {
            Found::Operation(op, variables) => (op, variables),
            Found::WrongVerb(allowed) => {
                return HttpError::method_not_allowed(&verb, &path, &allowed).into_response()
            }
            Found::Nothing => {
                return HttpError::not_found(format!(
                    "Handler for Request not found (404): {verb} {path}"
                ))
                .into_response()
            }
        };
        let (parts, body) = request.into_parts();
        let declared = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > self.body_limit as u64) {
            return too_large(self.body_limit);
        }
        let body = match axum::body::to_bytes(body, self.body_limit).await {
            Ok(bytes) => bytes,
            // A chunked body over the limit, or one the client broke off: either way the
            // request cannot be served as sent.
            Err(err) if err.to_string().contains("length limit") => {
                return too_large(self.body_limit)
            }
            Err(err) => {
                return HttpError::bad_request(format!("the request body could not be read: {err}"))
                    .into_response()
            }
        };
        let call = Call {
            body,
            content_type: parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            query: parts.uri.query().map(str::to_owned),
            path: variables,
        };
        let handler = Arc::clone(&operation.handler);
        // A service that panics answers 500 like an unhandled exception in ServiceStack,
        // instead of dropping the connection.
        match catch_unwind(AssertUnwindSafe(move || handler(call))) {
            Ok(future) => CatchUnwind(future).await,
            Err(panic) => panicked(panic.as_ref()),
        }
    }

    /// The operation for `method` on `path`: `/api/{Name}` and `/json/reply/{Name}` first, then
    /// the declared route with the most literal segments (no wildcard beating a wildcard, an
    /// explicit verb beating "any"), the first declared on a tie.
    fn find(&self, method: Option<Method>, path: &str) -> Found<'_> {
        for template in &self.predefined {
            let Some(vars) = template.matches(path) else {
                continue;
            };
            let name = vars.first().map(|(_, v)| v.as_str()).unwrap_or_default();
            if let Some(op) = self
                .operations
                .iter()
                .find(|op| op.name == name)
                .or_else(|| {
                    self.operations
                        .iter()
                        .find(|op| eq_ignore_case(op.name, name))
                })
            {
                return Found::Operation(op, Vec::new());
            }
        }
        let mut best: Option<(Score, Found<'_>)> = None;
        let mut allowed: Vec<Method> = Vec::new();
        for op in &self.operations {
            for (template, verbs) in &op.routes {
                let Some(vars) = template.matches(path) else {
                    continue;
                };
                let verb_ok = verbs.is_empty() || method.is_some_and(|m| verbs.contains(&m));
                if !verb_ok {
                    allowed.extend_from_slice(verbs);
                    continue;
                }
                let score = (
                    template.literal_count(),
                    !template.has_wildcard(),
                    !verbs.is_empty(),
                );
                if best.as_ref().is_none_or(|(b, _)| score > *b) {
                    best = Some((score, Found::Operation(op, vars)));
                }
            }
        }
        match best {
            Some((_, found)) => found,
            None if !allowed.is_empty() => Found::WrongVerb(allowed),
            None => Found::Nothing,
        }
    }
}

fn too_large(limit: usize) -> Response {
    HttpError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "RequestEntityTooLarge",
        format!("the request body is larger than {limit} bytes"),
    )
    .into_response()
}

fn panicked(payload: &(dyn std::any::Any + Send)) -> Response {
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "the service panicked".to_owned());
    HttpError::internal(detail).into_response()
}

/// Polls a handler's future, turning a panic into a 500 response.
struct CatchUnwind(BoxFuture);

impl Future for CatchUnwind {
    type Output = Response;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response> {
        let future = &mut self.0;
        match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(poll) => poll,
            Err(panic) => Poll::Ready(panicked(panic.as_ref())),
        }
    }
}
