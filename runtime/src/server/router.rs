//! [`ServiceRouter`]: one axum handler that routes every request to its operation.
//!
//! Routing is done here rather than by axum's router because ServiceStack's rules differ from
//! it: literals match case-insensitively, `/sessions/active` and `/sessions/{id}` coexist with
//! the literal preferred, a route may answer any verb, a path that exists under other verbs
//! answers 405 with `Allow` rather than 404, and `/api/{Name}[]` is a batch of `Name`.

use std::borrow::Cow;
use std::convert::Infallible;
use std::fmt;
use std::future::{poll_fn, Future};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context as TaskContext, Poll};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes, HttpBody as _};
use axum::extract::Request as HttpRequest;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt as _;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::access::{Access, Anonymous, Authenticator, BoxFuture};
use super::context::Context;
use super::cors::Cors;
use super::decode::{decode, decode_value, RawRequest};
use super::error::HttpError;
#[cfg(feature = "xml")]
use super::format::{negotiate, within, Format};
use super::multipart;
use super::SizeHint;
use crate::keywords::{AUTO_BATCH_COMPLETED, AUTO_BATCH_INDEX};
use crate::request::{Method, Request, ResponseFormat};
use crate::route::RouteTemplate;
use ssdto_protocol::{eq_ignore_case, Predefined, BATCH_SUFFIX};

/// The largest non-upload body [`ServiceRouter`] reads unless told otherwise: 2 MiB, as axum's
/// default.
pub const DEFAULT_BODY_LIMIT: usize = 2 * 1024 * 1024;

/// The largest `multipart/form-data` body (files and fields together) read unless told
/// otherwise: 32 MiB, about ASP.NET Core's default request limit.
pub const DEFAULT_UPLOAD_LIMIT: usize = 32 * 1024 * 1024;

/// The largest uploaded file kept in memory unless told otherwise: 64 KiB, ASP.NET Core's
/// `MemoryBufferThreshold`. Larger files are spooled to temporary files.
pub const DEFAULT_UPLOAD_MEMORY_THRESHOLD: usize = 64 * 1024;

/// How long a request may take, from its head arriving to its answer, unless told otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// What an operation's handler is given once the request is routed, authorized and read.
/// The query string and content type are read from the context's URI and headers.
pub(crate) struct Call {
    /// The body, unless it was multipart (then see `form` and the context's files).
    pub body: Bytes,
    pub path: Vec<(String, String)>,
    pub form: Vec<(String, String)>,
    pub context: Context,
    /// `/api/{Name}[]`: the body is a JSON array of requests.
    pub batch: bool,
}

impl Call {
    pub(crate) fn raw(&self) -> RawRequest<'_> {
        RawRequest {
            body: &self.body,
            content_type: content_type(self.context.headers()),
            query: self.context.uri().query(),
            path: &self.path,
            form: &self.form,
            files: self.context.files(),
        }
    }
}

pub(crate) type Handler = Arc<dyn Fn(Call) -> BoxFuture<'static, Response> + Send + Sync>;

pub(crate) struct Operation {
    pub name: &'static str,
    pub routes: Vec<(RouteTemplate, &'static [Method])>,
    pub access: Access,
    pub handler: Handler,
}

impl Operation {
    pub(crate) fn new(
        name: &'static str,
        routes: &'static [crate::Route],
        access: Access,
        handler: Handler,
    ) -> Self {
        Operation {
            name,
            routes: routes
                .iter()
                .filter_map(|route| Some((RouteTemplate::parse(route.path).ok()?, route.verbs)))
                .collect(),
            access,
            handler,
        }
    }
}

/// Builds an [`axum::Router`] that serves ServiceStack operations, each with a function of the
/// service, the request DTO and its [`Context`].
///
/// Generated `router` functions register every operation with the [`Access`] the contract
/// declares and, when any is protected, take an [`Authenticator`]. A router with protected
/// operations and no authenticator answers them 401: it fails closed. See the
/// [module docs](super) for what it serves and how it answers errors.
pub struct ServiceRouter<S> {
    service: Arc<S>,
    operations: Vec<Operation>,
    authenticator: Option<Box<dyn Install>>,
    body_limit: usize,
    upload_limit: usize,
    upload_memory_threshold: usize,
    upload_dir: Option<PathBuf>,
    timeout: Option<Duration>,
    metadata: Option<&'static str>,
    cors: Option<Cors>,
}

impl<S> fmt::Debug for ServiceRouter<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceRouter")
            .field(
                "operations",
                &self.operations.iter().map(|o| o.name).collect::<Vec<_>>(),
            )
            .field("authenticator", &self.authenticator.is_some())
            .field("body_limit", &self.body_limit)
            .field("upload_limit", &self.upload_limit)
            .field("upload_memory_threshold", &self.upload_memory_threshold)
            .field("upload_dir", &self.upload_dir)
            .field("timeout", &self.timeout)
            .field("metadata", &self.metadata.is_some())
            .field("cors", &self.cors)
            .finish()
    }
}

impl<S: Send + Sync + 'static> ServiceRouter<S> {
    /// A router with no operations yet, calling into `service`.
    pub fn new(service: Arc<S>) -> Self {
        ServiceRouter {
            service,
            operations: Vec::new(),
            authenticator: None,
            body_limit: DEFAULT_BODY_LIMIT,
            upload_limit: DEFAULT_UPLOAD_LIMIT,
            upload_memory_threshold: DEFAULT_UPLOAD_MEMORY_THRESHOLD,
            upload_dir: None,
            timeout: Some(DEFAULT_TIMEOUT),
            metadata: None,
            cors: None,
        }
    }

    /// Sets how callers are identified (replacing any earlier one). The router that
    /// [`into_router`](Self::into_router) builds is made for `authenticator`'s type, and awaits
    /// its future inside each request's own rather than through a box.
    pub fn authenticator(mut self, authenticator: impl Authenticator) -> Self {
        self.authenticator = Some(Box::new(authenticator));
        self
    }

    /// Sets the largest request body read, in bytes, except for uploads; larger ones answer 413.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Sets the largest `multipart/form-data` body read, in bytes; larger ones answer 413.
    /// The body is counted as it arrives, so an upload is refused as soon as it passes the
    /// limit. Its text fields together are held to the [body limit](Self::body_limit).
    pub fn upload_limit(mut self, bytes: usize) -> Self {
        self.upload_limit = bytes;
        self
    }

    /// Sets the largest uploaded file kept in memory, in bytes (default
    /// [`DEFAULT_UPLOAD_MEMORY_THRESHOLD`]); a larger file is written to a temporary file as it
    /// arrives, which the [`HttpFile`](crate::HttpFile) deletes when dropped.
    pub fn upload_memory_threshold(mut self, bytes: usize) -> Self {
        self.upload_memory_threshold = bytes;
        self
    }

    /// Sets the directory of uploads' temporary files (default [`std::env::temp_dir`]).
    pub fn upload_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.upload_dir = Some(dir.into());
        self
    }

    /// Sets how long a request may take from its head arriving to its answer; past it the
    /// request answers 503 and its service call is dropped. Default [`DEFAULT_TIMEOUT`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Lets requests take as long as they take.
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// Serves `contract` (MetadataTypes JSON) at `/types/metadata`, and as `{"api": contract}`
    /// at `/metadata/app.json`, so that clients and generators can read it from the server.
    pub fn metadata(mut self, contract: &'static str) -> Self {
        self.metadata = Some(contract);
        self
    }

    /// Answers cross-origin requests as `cors` allows (see [`Cors`]).
    pub fn cors(mut self, cors: Cors) -> Self {
        self.cors = Some(cors);
        self
    }

    /// Serves the operation `R` with `call`, on `R::ROUTES` (each with its verbs), on
    /// `/api/{R::OPERATION}`, `/json/reply/{R::OPERATION}` and `/json/oneway/{R::OPERATION}`
    /// (any verb), and as AutoBatches on those paths with `[]` appended. Callers must pass
    /// `access`.
    ///
    /// A route template that does not parse is left out; the operation stays reachable on its
    /// predefined paths.
    pub fn operation<R, F, Fut>(mut self, access: Access, call: F) -> Self
    where
        R: Request + DeserializeOwned + Send + 'static,
        R::Response: Serialize + Send,
        F: Fn(Arc<S>, R, Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<R::Response, HttpError>> + Send + 'static,
    {
        let service = Arc::clone(&self.service);
        let call = Arc::new(call);
        let hint = Arc::new(SizeHint::default());
        let handler: Handler = Arc::new(move |input: Call| -> BoxFuture<'static, Response> {
            if input.batch {
                return batch::<S, R, F, Fut>(&service, &call, input);
            }
            match decode::<R>(&input.raw()) {
                Ok(request) => {
                    let future = call(Arc::clone(&service), request, input.context);
                    let hint = Arc::clone(&hint);
                    // `map` rather than an async block, which would hold the service's future
                    // twice (as captured and as awaited): it is boxed for every request.
                    Box::pin(future.map(move |result| respond::<R>(result, &hint)))
                }
                Err(err) => {
                    let response = HttpError::from(err).into_response();
                    Box::pin(async move { response })
                }
            }
        });
        self.operations
            .push(Operation::new(R::OPERATION, R::ROUTES, access, handler));
        self
    }

    pub(crate) fn push(mut self, operation: Operation) -> Self {
        self.operations.push(operation);
        self
    }

    #[cfg(feature = "xml")]
    pub(crate) fn service(&self) -> &Arc<S> {
        &self.service
    }

    /// The axum router. It answers every path (as its fallback), so routes added to it with
    /// `.route(..)` take precedence and layers apply to all operations.
    pub fn into_router(self) -> axum::Router {
        let Built {
            authenticator,
            table,
            timeout,
            cors,
        } = self.build();
        let router = authenticator.router(table, timeout);
        match cors {
            Some(cors) => router.layer(cors.layer()),
            None => router,
        }
    }

    /// The router as a tower service of its own, for a server that serves nothing else: it
    /// answers every request as [`into_router`](Self::into_router)'s router does, without an
    /// [`axum::Router`] around it, whose two path lookups per request (its routes', then its
    /// fallback's) cost small requests 4% to 7% of their requests per second (BENCHMARKS.md,
    /// issue 15 §2). Serve it with `axum::serve(listener, service.into_make_service())`; wrap
    /// it in tower layers with `tower::ServiceBuilder`. Routes cannot be added to it: use
    /// `into_router` to serve other routes beside the operations.
    pub fn into_service(self) -> RouterService {
        let Built {
            authenticator,
            table,
            timeout,
            cors,
        } = self.build();
        authenticator.service(table, timeout, cors.as_ref())
    }

    /// What both ways of serving are built from.
    fn build(self) -> Built {
        let documents = match self.metadata {
            Some(contract) => vec![
                (TYPES_METADATA, Bytes::from_static(contract.as_bytes())),
                (APP_JSON, Bytes::from(format!("{{\"api\":{contract}}}"))),
            ],
            None => Vec::new(),
        };
        let table = Table {
            operations: self.operations,
            body_limit: self.body_limit,
            uploads: multipart::Uploads {
                limit: self.upload_limit,
                fields: self.body_limit,
                memory: self.upload_memory_threshold,
                dir: self.upload_dir.unwrap_or_else(std::env::temp_dir),
            },
            // The paths every operation answers on, with any verb.
            predefined: served_predefined()
                .filter_map(|p| RouteTemplate::parse(&format!("{}{{name}}", p.prefix())).ok())
                .collect(),
            documents,
        };
        Built {
            authenticator: self.authenticator.unwrap_or_else(|| Box::new(Anonymous)),
            table,
            timeout: self.timeout,
            cors: self.cors,
        }
    }
}

/// A [`ServiceRouter`] ready to serve, before it becomes a router or a service.
struct Built {
    authenticator: Box<dyn Install>,
    table: Table,
    timeout: Option<Duration>,
    cors: Option<Cors>,
}

/// A successful result in the operation's format, or 204 for void operations, or the error.
/// `hint` sizes a JSON answer's buffer (one per operation).
pub(crate) fn respond<R: Request>(
    result: Result<R::Response, HttpError>,
    hint: &SizeHint,
) -> Response
where
    R::Response: Serialize,
{
    let response = match result {
        Ok(response) => response,
        Err(err) => return err.into_response(),
    };
    if R::RETURNS_VOID {
        return StatusCode::NO_CONTENT.into_response();
    }
    match R::RESPONSE_FORMAT {
        ResponseFormat::Text => match crate::raw::to_text(&response) {
            Ok(text) => raw_response(text.into_bytes(), super::TEXT),
            Err(e) => unwritable(e),
        },
        ResponseFormat::Bytes => match crate::raw::to_bytes(&response) {
            Ok(bytes) => raw_response(bytes, super::OCTET_STREAM),
            Err(e) => unwritable(e),
        },
        _ => super::json_response_sized(StatusCode::OK, &response, hint),
    }
}

fn raw_response(body: Vec<u8>, content_type: &'static str) -> Response {
    super::typed_response(StatusCode::OK, body, content_type)
}

fn unwritable(err: crate::raw::RawError) -> Response {
    HttpError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "SerializationException",
        format!("the response could not be written: {err}"),
    )
    .into_response()
}

/// The answer to an AutoBatch call of an operation served by `call`.
pub(crate) fn batch<S, R, F, Fut>(
    service: &Arc<S>,
    call: &Arc<F>,
    input: Call,
) -> BoxFuture<'static, Response>
where
    S: Send + Sync + 'static,
    R: Request + DeserializeOwned + Send + 'static,
    R::Response: Serialize + Send,
    F: Fn(Arc<S>, R, Context) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<R::Response, HttpError>> + Send + 'static,
{
    let service = Arc::clone(service);
    let call = Arc::clone(call);
    Box::pin(async move {
        run_batch::<R, _, _>(input, |request, context| {
            call(Arc::clone(&service), request, context)
        })
        .await
    })
}

/// Runs the requests of an AutoBatch in order, as ServiceStack does: an array of responses,
/// or the first error, with `X-AutoBatch-Completed` counting the requests that completed and
/// the error's `meta.AutoBatchIndex` naming the one that failed.
async fn run_batch<R, F, Fut>(input: Call, call: F) -> Response
where
    R: Request + DeserializeOwned,
    R::Response: Serialize,
    F: Fn(R, Context) -> Fut,
    Fut: Future<Output = Result<R::Response, HttpError>>,
{
    let items = match serde_json::from_slice::<Value>(&input.body) {
        Ok(Value::Array(items)) => items,
        Ok(other) => {
            return HttpError::bad_request(format!(
                "an AutoBatch request body must be a JSON array of {} requests, not {}",
                R::OPERATION,
                super::decode::json_kind(&other)
            ))
            .into_response()
        }
        Err(e) => {
            return HttpError::bad_request(format!(
                "an AutoBatch request body must be a JSON array: {e}"
            ))
            .into_response()
        }
    };
    let mut responses = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let result = match decode_value::<R>(item) {
            Ok(request) => call(request, input.context.clone()).await,
            Err(err) => Err(HttpError::from(err)),
        };
        match result {
            Ok(response) => responses.push(response),
            Err(err) => {
                let mut response = err
                    .with_meta(AUTO_BATCH_INDEX, index.to_string())
                    .into_response();
                completed(&mut response, index);
                return response;
            }
        }
    }
    let mut response = if R::RETURNS_VOID {
        StatusCode::NO_CONTENT.into_response()
    } else {
        super::json_response(StatusCode::OK, &responses)
    };
    completed(&mut response, responses.len());
    response
}

fn completed(response: &mut Response, count: usize) {
    response
        .headers_mut()
        .insert(AUTO_BATCH_COMPLETED, HeaderValue::from(count));
}

/// Where [`ServiceRouter::metadata`] serves the contract. ASCII, which
/// [`Table::document_at`] relies on.
const TYPES_METADATA: &str = "/types/metadata";
const APP_JSON: &str = "/metadata/app.json";

struct Table {
    operations: Vec<Operation>,
    body_limit: usize,
    uploads: multipart::Uploads,
    predefined: Vec<RouteTemplate>,
    documents: Vec<(&'static str, Bytes)>,
}

/// How well a route fits: literal segments, no wildcard, explicit verbs; higher wins.
type Score = (usize, bool, bool);

/// How a path and verb resolved.
enum Found {
    Operation {
        /// Its index in [`Table::operations`].
        op: usize,
        variables: Vec<(String, String)>,
        batch: bool,
    },
    WrongVerb(Vec<Method>),
    Nothing,
}

/// Where routing took a request.
enum Routing {
    /// To an operation (its index in [`Table::operations`]); its body is not read yet.
    Operation {
        op: usize,
        variables: Vec<(String, String)>,
        batch: bool,
    },
    /// Answered without an operation: not found, a wrong verb, OPTIONS, a contract document.
    Answered(Response),
}

/// An [`Authenticator`] whose type [`ServiceRouter`] forgets until it is served: each way of
/// serving then builds a [`Dispatcher`] of the authenticator's own type, so that a request
/// waits on the authenticator's future inside its own, without a box or a virtual call of its
/// own.
trait Install: Send + Sync {
    fn router(self: Box<Self>, table: Table, timeout: Option<Duration>) -> axum::Router;
    fn service(
        self: Box<Self>,
        table: Table,
        timeout: Option<Duration>,
        cors: Option<&Cors>,
    ) -> RouterService;
}

impl<A: Authenticator> Install for A {
    fn router(self: Box<Self>, table: Table, timeout: Option<Duration>) -> axum::Router {
        axum::Router::new().fallback_service(Dispatcher::new(table, *self, timeout))
    }

    fn service(
        self: Box<Self>,
        table: Table,
        timeout: Option<Duration>,
        cors: Option<&Cors>,
    ) -> RouterService {
        let dispatcher = Dispatcher::new(table, *self, timeout);
        RouterService(match cors {
            Some(cors) => Arc::new(Layered(tower_layer::Layer::layer(
                &cors.layer(),
                dispatcher,
            ))),
            None => Arc::new(dispatcher),
        })
    }
}

/// [`ServiceRouter::into_service`]: every operation of a router as one tower service, cheap to
/// clone (a pointer).
#[derive(Clone)]
pub struct RouterService(Arc<dyn Serve>);

impl fmt::Debug for RouterService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RouterService").finish_non_exhaustive()
    }
}

impl RouterService {
    /// The service for `axum::serve`, which makes one per connection (each a clone).
    pub fn into_make_service(self) -> axum::routing::IntoMakeService<Self> {
        axum::ServiceExt::<HttpRequest>::into_make_service(self)
    }
}

/// The answer of a [`RouterService`].
type ServiceFuture = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

impl tower_service::Service<HttpRequest> for RouterService {
    type Response = Response;
    type Error = Infallible;
    type Future = ServiceFuture;

    fn poll_ready(&mut self, _cx: &mut TaskContext<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: HttpRequest) -> ServiceFuture {
        self.0.serve(request)
    }
}

/// A dispatcher, layered or not, whose authenticator's type is forgotten.
trait Serve: Send + Sync {
    fn serve(&self, request: HttpRequest) -> ServiceFuture;
}

impl<A: Authenticator> Serve for Dispatcher<A> {
    fn serve(&self, request: HttpRequest) -> ServiceFuture {
        Box::pin(self.answer(request))
    }
}

/// A dispatcher inside tower layers (CORS). A tower service is called through `&mut`, so each
/// request calls a clone. Neither the dispatcher nor tower-http's CORS ever waits to be ready,
/// which is why `poll_ready` is not awaited first.
struct Layered<T>(T);

impl<T> Serve for Layered<T>
where
    T: tower_service::Service<HttpRequest, Response = Response, Error = Infallible>
        + Clone
        + Send
        + Sync
        + 'static,
    T::Future: Send + 'static,
{
    fn serve(&self, request: HttpRequest) -> ServiceFuture {
        let mut service = self.0.clone();
        Box::pin(service.call(request))
    }
}

/// What every request of a router reads.
struct Shared<A> {
    table: Table,
    authenticator: A,
}

/// The service behind [`ServiceRouter::into_router`]'s fallback and
/// [`ServiceRouter::into_service`]. A service rather than an axum handler: axum converts a
/// stateless router's handler into a service again for every request.
struct Dispatcher<A> {
    shared: Arc<Shared<A>>,
    timeout: Option<Duration>,
}

impl<A: Authenticator> Dispatcher<A> {
    fn new(table: Table, authenticator: A, timeout: Option<Duration>) -> Self {
        Dispatcher {
            shared: Arc::new(Shared {
                table,
                authenticator,
            }),
            timeout,
        }
    }
}

impl<A> Clone for Dispatcher<A> {
    fn clone(&self) -> Self {
        Dispatcher {
            shared: Arc::clone(&self.shared),
            timeout: self.timeout,
        }
    }
}

impl<A: Authenticator> tower_service::Service<HttpRequest> for Dispatcher<A> {
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn poll_ready(&mut self, _cx: &mut TaskContext<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: HttpRequest) -> Answer {
        self.answer(request)
    }
}

impl<A: Authenticator> Dispatcher<A> {
    /// Routes `request` now (nothing in routing waits), and leaves reading the body and
    /// calling the operation to the answer's future.
    fn answer(&self, request: HttpRequest) -> Answer {
        let (parts, body) = request.into_parts();
        let format = negotiate(parts.uri.path(), parts.uri.query(), &parts.headers);
        // Errors anywhere below are written in the format the request asked for.
        let table = &self.shared.table;
        let step = match within(format, || table.route(&parts)) {
            Routing::Operation {
                op,
                variables,
                batch,
            } => {
                let started = Instant::now();
                let span = tracing::info_span!(
                    "operation",
                    operation = table.operations.get(op).map_or("", |op| op.name),
                    method = %parts.method,
                    path = %parts.uri.path(),
                    batch = batch,
                );
                let future =
                    Arc::clone(&self.shared).serve(op, Context::new(parts), body, variables, batch);
                Step::Serving {
                    future: Box::pin(future),
                    span,
                    started,
                    deadline: self.timeout.map(|limit| Deadline { limit, sleep: None }),
                }
            }
            Routing::Answered(response) => Step::Answered(Some(response)),
        };
        Answer { step, format }
    }
}

/// What [`Dispatcher`] answers a request with: its response, or the operation serving it.
/// Kept small, since axum allocates it for every request; what waits is in the boxed future.
struct Answer {
    step: Step,
    format: Format,
}

enum Step {
    /// Answered while routing; taken by the first poll.
    Answered(Option<Response>),
    Serving {
        future: BoxFuture<'static, Response>,
        span: tracing::Span,
        started: Instant,
        deadline: Option<Deadline>,
    },
}

/// The router's request timeout, counted from `started`. Its timer is only set once the
/// request waits: most requests are answered in their first poll and never need one.
struct Deadline {
    limit: Duration,
    sleep: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Future for Answer {
    type Output = Result<Response, Infallible>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let (future, span, started, deadline) = match &mut this.step {
            Step::Answered(response) => {
                return Poll::Ready(Ok(response.take().unwrap_or_else(|| {
                    HttpError::internal("the answer was polled after it was given").into_response()
                })))
            }
            Step::Serving {
                future,
                span,
                started,
                deadline,
            } => (future, span, *started, deadline),
        };
        let poll = || {
            let _entered = span.enter();
            if let Poll::Ready(response) = future.as_mut().poll(cx) {
                return Poll::Ready(response);
            }
            let Some(deadline) = deadline else {
                return Poll::Pending;
            };
            let limit = deadline.limit;
            let sleep = deadline.sleep.get_or_insert_with(|| {
                Box::pin(tokio::time::sleep_until((started + limit).into()))
            });
            match sleep.as_mut().poll(cx) {
                // The service call is dropped with the answer.
                Poll::Ready(()) => Poll::Ready(timed_out(limit)),
                Poll::Pending => Poll::Pending,
            }
        };
        let poll = within(this.format, poll);
        if let Poll::Ready(response) = &poll {
            span.in_scope(|| {
                tracing::debug!(
                    status = response.status().as_u16(),
                    elapsed_us = started.elapsed().as_micros() as u64,
                    "answered"
                )
            });
        }
        poll.map(Ok)
    }
}

impl Table {
    /// The operation the request is for, or the answer when it is for none (or for the
    /// contract's documents, or OPTIONS).
    fn route(&self, parts: &Parts) -> Routing {
        let verb = parts.method.as_str();
        let path = parts.uri.path();
        if let Some(response) = self.document(parts, path) {
            return Routing::Answered(response);
        }
        let is_options = parts.method == axum::http::Method::OPTIONS;
        // HEAD runs what GET would, and hyper leaves the body out.
        let method = match verb_of(&parts.method) {
            Some(Method::Head) => Some(Method::Get),
            other => other,
        };
        let (op, variables, batch) = match self.find(method, path, is_options) {
            Found::Operation {
                op,
                variables,
                batch,
            } => (op, variables, batch),
            Found::WrongVerb(allowed) if is_options => {
                return Routing::Answered(options_response(&allowed))
            }
            Found::WrongVerb(allowed) => {
                return Routing::Answered(
                    HttpError::method_not_allowed(verb, path, &allowed).into_response(),
                )
            }
            Found::Nothing => {
                return Routing::Answered(
                    HttpError::not_found(format!(
                        "Handler for Request not found (404): {verb} {path}"
                    ))
                    .into_response(),
                )
            }
        };
        if is_options {
            return Routing::Answered(options_response(&Method::ALL));
        }
        Routing::Operation {
            op,
            variables,
            batch,
        }
    }
}

impl<A: Authenticator> Shared<A> {
    // The request's parts come in the context they end up in, moved there once: the
    // future holds a pointer to them rather than the parts themselves, through every step.
    async fn serve(
        self: Arc<Self>,
        op: usize,
        context: Context,
        body: Body,
        variables: Vec<(String, String)>,
        batch: bool,
    ) -> Response {
        let table = &self.table;
        let Some(op) = table.operations.get(op) else {
            return HttpError::internal("the request was routed to no operation").into_response();
        };
        let parts = context.parts();
        let principal = match self.authenticator.authenticate(parts).await {
            Ok(principal) => principal,
            // Credentials are only checked where an operation asks for them.
            Err(err) if op.access.is_protected() => return err.into_response(),
            Err(_) => None,
        };
        if let Err(denied) = op.access.check(principal.as_ref()) {
            tracing::debug!(%denied, "access denied");
            return denied
                .into_error(&self.authenticator.challenge())
                .into_response();
        }
        let upload =
            content_type(&parts.headers).filter(|ct| !batch && multipart::is_multipart(ct));
        let (body, form, files) = match upload {
            // Boxed: the upload state is large and rare, and would otherwise grow every
            // request's future (one allocation per request, several KiB bigger).
            Some(ct) => match Box::pin(multipart::read(ct, body, &table.uploads)).await {
                Ok(form) => (Bytes::new(), form.fields, form.files),
                Err(response) => return response,
            },
            // A request without a body (a GET's: hyper's body is at its end when the head
            // declares none, or a length of 0) is read as `read_body` reads it, without
            // looking up its length or polling it. (Only a head that declares more than the
            // limit over no body, which hyper never hands over, would have answered 413.)
            None if body.is_end_stream() => (Bytes::new(), Vec::new(), Vec::new()),
            None => match read_body(parts, body, table.body_limit).await {
                Ok(body) => (body, Vec::new(), Vec::new()),
                Err(response) => return response,
            },
        };
        let Some(context) = context.complete(principal, files) else {
            return HttpError::internal("the request's context was shared before it was complete")
                .into_response();
        };
        let call = Call {
            body,
            path: variables,
            form,
            context,
            batch,
        };
        let handler = &op.handler;
        // A service that panics answers 500 like an unhandled exception in ServiceStack,
        // instead of dropping the connection.
        match catch_unwind(AssertUnwindSafe(move || handler(call))) {
            Ok(future) => CatchUnwind(future).await,
            Err(panic) => panicked(panic.as_ref()),
        }
    }
}

impl Table {
    /// `/types/metadata` and `/metadata/app.json`, when the router serves its contract.
    fn document(&self, parts: &Parts, path: &str) -> Option<Response> {
        let body = self.document_at(path)?;
        let method = &parts.method;
        if method == axum::http::Method::GET || method == axum::http::Method::HEAD {
            let mut response = (StatusCode::OK, body.clone()).into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(super::JSON));
            Some(response)
        } else if method == axum::http::Method::OPTIONS {
            Some(options_response(&[Method::Get, Method::Head]))
        } else {
            Some(
                HttpError::method_not_allowed(method.as_str(), path, &[Method::Get, Method::Head])
                    .into_response(),
            )
        }
    }

    /// The document served on `path` (one trailing `/` or more allowed), its path compared as
    /// [`eq_ignore_case`] compares. Every request asks, and almost every answer is no: the
    /// documents' paths are ASCII ([`TYPES_METADATA`], [`APP_JSON`]), so an ASCII path is
    /// answered by the ASCII comparison alone (which stops at the first differing byte),
    /// without checking both names for ASCII per document.
    fn document_at(&self, path: &str) -> Option<&Bytes> {
        if self.documents.is_empty() {
            return None;
        }
        let path = path.trim_end_matches('/');
        let ascii = path.is_ascii();
        self.documents
            .iter()
            .find(|(p, _)| {
                if ascii {
                    p.eq_ignore_ascii_case(path)
                } else {
                    eq_ignore_case(p, path)
                }
            })
            .map(|(_, body)| body)
    }

    /// The operation for `method` on `path`: `/api/{Name}` and the other predefined paths
    /// first (`{Name}[]` a batch), then the declared route with the most literal segments (no
    /// wildcard beating a wildcard, an explicit verb beating "any"), the first declared on a
    /// tie. With `any_verb`, a route matches whatever its verbs (for OPTIONS).
    fn find(&self, method: Option<Method>, path: &str, any_verb: bool) -> Found {
        if let Some(name) = self.predefined_name(path) {
            let name: &str = &name;
            let (name, batch) = match name.strip_suffix(BATCH_SUFFIX) {
                Some(single) => (single, true),
                None => (name, false),
            };
            if let Some(op) = self
                .operations
                .iter()
                .position(|op| op.name == name)
                .or_else(|| {
                    self.operations
                        .iter()
                        .position(|op| eq_ignore_case(op.name, name))
                })
            {
                return Found::Operation {
                    op,
                    variables: Vec::new(),
                    batch,
                };
            }
        }
        let mut best: Option<(Score, Found)> = None;
        let mut allowed: Vec<Method> = Vec::new();
        for (op, operation) in self.operations.iter().enumerate() {
            for (template, verbs) in &operation.routes {
                let Some(vars) = template.matches(path) else {
                    continue;
                };
                let verb_ok = verbs.is_empty() || method.is_some_and(|m| verbs.contains(&m));
                if !verb_ok || any_verb {
                    allowed.extend_from_slice(if verbs.is_empty() {
                        &Method::ALL
                    } else {
                        verbs
                    });
                }
                if !verb_ok || any_verb {
                    continue;
                }
                let score = (
                    template.literal_count(),
                    !template.has_wildcard(),
                    !verbs.is_empty(),
                );
                if best.as_ref().is_none_or(|(b, _)| score > *b) {
                    best = Some((
                        score,
                        Found::Operation {
                            op,
                            variables: vars,
                            batch: false,
                        },
                    ));
                }
            }
        }
        match best {
            Some((_, found)) => found,
            None if !allowed.is_empty() => {
                // GET routes answer HEAD too.
                if allowed.contains(&Method::Get) {
                    allowed.push(Method::Head);
                }
                Found::WrongVerb(allowed)
            }
            None => Found::Nothing,
        }
    }
}

impl Table {
    /// The `{Name}` of a predefined path (`/api/{Name}`, `/json/reply/{Name}`, ...), as its
    /// template would match it. Plain ASCII paths, which is what clients send, are matched in
    /// place without copying; others go through the templates, which decode every segment.
    fn predefined_name<'p>(&self, path: &'p str) -> Option<Cow<'p, str>> {
        if !path.is_ascii() || path.contains('%') {
            return self.predefined.iter().find_map(|template| {
                let (_, name) = template.matches(path)?.into_iter().next()?;
                Some(Cow::Owned(name))
            });
        }
        served_predefined().find_map(|predefined| {
            let prefix = predefined.prefix();
            let head = path.get(..prefix.len())?;
            if !head.eq_ignore_ascii_case(prefix) {
                return None;
            }
            let rest = &path[prefix.len()..];
            // One trailing `/` is allowed; the name is one non-empty segment.
            let name = rest.strip_suffix('/').unwrap_or(rest);
            (!name.is_empty() && !name.contains('/')).then_some(Cow::Borrowed(name))
        })
    }
}

// Without the `xml` feature every answer is JSON: there is no format to negotiate or scope.
#[cfg(not(feature = "xml"))]
#[derive(Clone, Copy)]
struct Format;

#[cfg(not(feature = "xml"))]
fn negotiate(_path: &str, _query: Option<&str>, _headers: &axum::http::HeaderMap) -> Format {
    Format
}

#[cfg(not(feature = "xml"))]
fn within<R>(_format: Format, f: impl FnOnce() -> R) -> R {
    f()
}

/// The verb `method` names, as `Method`'s case-insensitive parse reads it. http's own verbs are
/// mapped without comparing text (this runs for every request); others are parsed.
fn verb_of(method: &axum::http::Method) -> Option<Method> {
    use axum::http::Method as Http;
    Some(match *method {
        Http::GET => Method::Get,
        Http::POST => Method::Post,
        Http::PUT => Method::Put,
        Http::PATCH => Method::Patch,
        Http::DELETE => Method::Delete,
        Http::HEAD => Method::Head,
        Http::OPTIONS => Method::Options,
        _ => return method.as_str().parse().ok(),
    })
}

/// The predefined paths this router serves: XML's only with the `xml` feature.
fn served_predefined() -> impl Iterator<Item = &'static Predefined> {
    let xml: &'static [Predefined] = if cfg!(feature = "xml") {
        &Predefined::XML
    } else {
        &[]
    };
    Predefined::ALL.iter().chain(xml)
}

/// The request's `Content-Type`, when it is text.
fn content_type(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
}

/// The body, read up to `limit` bytes; past it, 413.
///
/// A refused body is drained first (see [`drain`]): a client still sending it then reads the
/// 413 instead of failing on a connection closed under it.
async fn read_body(parts: &Parts, mut body: Body, limit: usize) -> Result<Bytes, Response> {
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    // Draining is boxed: it is rare, and its timer would make every request's future larger.
    if declared.is_some_and(|n| n > limit as u64) {
        Box::pin(drain(body)).await;
        return Err(too_large(limit));
    }
    // Most bodies arrive in one chunk, kept as it is; a list is only made for more.
    let mut first: Option<Bytes> = None;
    let mut rest: Vec<Bytes> = Vec::new();
    let mut length = 0;
    while let Some(frame) = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
        let data = match frame.map(|f| f.into_data()) {
            Ok(Ok(data)) => data,
            // Trailers carry nothing a DTO is built from.
            Ok(Err(_)) => continue,
            // A client that broke off: the request cannot be served as sent.
            Err(err) => {
                return Err(HttpError::bad_request(format!(
                    "the request body could not be read: {err}"
                ))
                .into_response())
            }
        };
        length += data.len();
        if length > limit {
            Box::pin(drain(body)).await;
            return Err(too_large(limit));
        }
        match &first {
            None => first = Some(data),
            Some(_) => rest.push(data),
        }
    }
    Ok(match first {
        None => Bytes::new(),
        Some(first) if rest.is_empty() => first,
        Some(first) => {
            let mut all = Vec::with_capacity(length);
            for chunk in std::iter::once(&first).chain(&rest) {
                all.extend_from_slice(chunk);
            }
            Bytes::from(all)
        }
    })
}

/// How much of a refused body [`drain`] reads at most, and for how long: like Kestrel, which
/// drains an unread request body for up to 5 seconds before closing the connection.
const DRAIN_BYTES: usize = 64 * 1024 * 1024;
const DRAIN_TIME: Duration = Duration::from_secs(5);

/// Reads and drops the rest of a body the server refused. Closing the connection under a
/// client that is still sending makes its write fail (a broken pipe) before it reads the
/// answer, so an upload over the limit would surface as a transport error rather than 413.
pub(super) async fn drain(mut body: Body) {
    let drained = async {
        let mut left = DRAIN_BYTES;
        while let Some(Ok(frame)) = poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
            let read = frame.data_ref().map_or(0, Bytes::len);
            match left.checked_sub(read) {
                Some(rest) if rest > 0 => left = rest,
                _ => return,
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIME, drained).await;
}

/// 204 with the verbs a path answers in `Allow`, as an OPTIONS answer.
fn options_response(allowed: &[Method]) -> Response {
    let mut verbs: Vec<&str> = allowed.iter().map(|m| m.as_str()).collect();
    verbs.sort_unstable();
    verbs.dedup();
    let mut response = StatusCode::NO_CONTENT.into_response();
    if let Ok(value) = HeaderValue::from_str(&verbs.join(", ")) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}

pub(super) fn too_large(limit: usize) -> Response {
    HttpError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "RequestEntityTooLarge",
        format!("the request body is larger than {limit} bytes"),
    )
    .into_response()
}

fn timed_out(limit: Duration) -> Response {
    HttpError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "TimeoutException",
        format!("the request took longer than {} ms", limit.as_millis()),
    )
    .into_response()
}

fn panicked(payload: &(dyn std::any::Any + Send)) -> Response {
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "the service panicked".to_owned());
    tracing::error!(panic = %detail, "a service panicked");
    HttpError::internal(detail).into_response()
}

/// Polls a handler's future, turning a panic into a 500 response.
struct CatchUnwind(BoxFuture<'static, Response>);

impl Future for CatchUnwind {
    type Output = Response;

    fn poll(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Response> {
        let future = &mut self.0;
        match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(poll) => poll,
            Err(panic) => Poll::Ready(panicked(panic.as_ref())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn predefined_templates() -> Vec<RouteTemplate> {
        served_predefined()
            .filter_map(|p| RouteTemplate::parse(&format!("{}{{name}}", p.prefix())).ok())
            .collect()
    }

    #[tokio::test]
    async fn a_body_at_its_end_reads_as_empty_as_the_shortcut_answers() {
        let heads = [
            None,
            Some("0"),
            Some("5"),
            Some(" 3 "),
            Some("x"),
            Some("18446744073709551616"),
        ];
        for length in heads {
            for limit in [0, 4, DEFAULT_BODY_LIMIT] {
                for empty in [Body::empty, || Body::from(""), || Body::from(Vec::new())] {
                    let mut request = axum::http::Request::builder();
                    if let Some(length) = length {
                        request = request.header(header::CONTENT_LENGTH, length);
                    }
                    let (parts, ()) = request.body(()).unwrap().into_parts();
                    assert!(empty().is_end_stream());
                    // `Shared::serve` reads such a body as empty without calling this.
                    match read_body(&parts, empty(), limit).await {
                        Ok(general) => assert!(general.is_empty()),
                        // Only a head that declares more than the limit, with no body
                        // behind it (which hyper never hands over), is answered differently.
                        Err(general) => {
                            assert_eq!(general.status(), StatusCode::PAYLOAD_TOO_LARGE);
                            let declared: u64 = length.unwrap().trim().parse().unwrap();
                            assert!(declared > limit as u64, "{length:?} {limit}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn verbs_are_mapped_as_they_parse() {
        for verb in [
            "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE", "get",
            "Post", "PROPFIND", "GETX",
        ] {
            let method = axum::http::Method::from_bytes(verb.as_bytes()).unwrap();
            assert_eq!(verb_of(&method), verb.parse().ok(), "{verb}");
        }
    }

    fn test_table(documents: Vec<(&'static str, Bytes)>) -> Table {
        Table {
            operations: Vec::new(),
            body_limit: DEFAULT_BODY_LIMIT,
            uploads: multipart::Uploads {
                limit: DEFAULT_UPLOAD_LIMIT,
                fields: DEFAULT_BODY_LIMIT,
                memory: DEFAULT_UPLOAD_MEMORY_THRESHOLD,
                dir: std::env::temp_dir(),
            },
            predefined: predefined_templates(),
            documents,
        }
    }

    #[test]
    fn documents_are_found_as_the_case_insensitive_comparison_finds_them() {
        // A third path with a `k`, which the KELVIN SIGN lower-cases to: a non-ASCII path
        // that names a document.
        let documents: Vec<(&'static str, Bytes)> = [TYPES_METADATA, APP_JSON, "/kinds"]
            .into_iter()
            .map(|p| (p, Bytes::from_static(p.as_bytes())))
            .collect();
        assert!(documents.iter().all(|(p, _)| p.is_ascii()));
        let table = test_table(documents);
        for path in [
            "/types/metadata",
            "/TYPES/Metadata",
            "/types/metadata/",
            "/types/metadata//",
            "/metadata/app.json",
            "/Metadata/App.JSON/",
            "/api/GetSession",
            "/types/metadat",
            "/types/metadatas",
            "/types/metadat\u{e4}",
            "/types/met\u{c4}data",
            "/\u{212a}ypes/metadata",
            "/types/metadata\u{212a}",
            "/\u{212a}inds/",
            "/kinds",
            "",
            "/",
        ] {
            let general = table
                .documents
                .iter()
                .find(|(p, _)| eq_ignore_case(p, path.trim_end_matches('/')))
                .map(|(_, body)| body);
            assert_eq!(table.document_at(path), general, "{path}");
        }
        assert!(table.document_at("/Types/MetaData/").is_some());
        assert!(table.document_at("/\u{212a}INDS").is_some());
        assert!(test_table(Vec::new())
            .document_at("/types/metadata")
            .is_none());
    }

    #[test]
    fn predefined_names_are_matched_in_place_as_the_templates_match_them() {
        let table = test_table(Vec::new());
        for path in [
            "/api/GetSession",
            "/API/GetSession/",
            "/Json/Reply/GetSession[]",
            "/json/oneway/Ping",
            "/XML/reply/GetSession",
            "/api/",
            "/api//GetSession",
            "/api/GetSession//",
            "/api/a/b",
            "/apix/GetSession",
            "/api",
            "/sessions/s1",
            "/api/Get%53ession",
            "/%61pi/GetSession",
            "/api/Sessi\u{f6}n",
        ] {
            let by_templates = table
                .predefined
                .iter()
                .find_map(|t| t.matches(path))
                .and_then(|vars| vars.into_iter().next())
                .map(|(_, name)| name);
            let fast = table.predefined_name(path).map(Cow::into_owned);
            assert_eq!(fast, by_templates, "{path}");
            let borrowed = matches!(table.predefined_name(path), Some(Cow::Borrowed(_)));
            assert_eq!(
                borrowed,
                fast.is_some() && path.is_ascii() && !path.contains('%'),
                "{path}"
            );
        }
    }
}
