//! [`Cors`]: cross-origin requests, with ServiceStack's `CorsFeature` defaults.

use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Which cross-origin requests a browser may make, as ServiceStack's `CorsFeature` sets it up.
///
/// [`Cors::new`] has `CorsFeature`'s defaults: any origin, the verbs
/// `GET, POST, PUT, DELETE, PATCH, OPTIONS, HEAD`, the request header `Content-Type`, no
/// credentials, and preflight answers cached for 600 seconds. Preflight `OPTIONS` requests are
/// answered before they reach an operation.
///
/// ```
/// use ssdto::server::Cors;
///
/// // Only this origin, with cookies and the Authorization header, as a browser app signed in
/// // with `/auth/credentials` needs.
/// let cors = Cors::new()
///     .allow_origins(["https://app.example.com"])
///     .allow_headers(["Content-Type", "Authorization"])
///     .allow_credentials(true);
/// ```
#[derive(Debug, Clone)]
pub struct Cors {
    origins: Option<Vec<String>>,
    methods: Vec<Method>,
    headers: Vec<String>,
    expose_headers: Vec<String>,
    credentials: bool,
    max_age: Option<Duration>,
}

impl Default for Cors {
    fn default() -> Self {
        Self::new()
    }
}

impl Cors {
    /// ServiceStack's defaults (see the type's docs).
    pub fn new() -> Self {
        Cors {
            origins: None,
            methods: vec![
                Method::GET,
                Method::POST,
                Method::PUT,
                Method::DELETE,
                Method::PATCH,
                Method::OPTIONS,
                Method::HEAD,
            ],
            headers: vec!["Content-Type".to_owned()],
            expose_headers: Vec::new(),
            credentials: false,
            max_age: Some(Duration::from_secs(600)),
        }
    }

    /// Allows only these origins (`CorsFeature`'s `allowOriginWhitelist`).
    pub fn allow_origins<I: IntoIterator<Item = S>, S: Into<String>>(mut self, origins: I) -> Self {
        self.origins = Some(origins.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the request headers a cross-origin request may send.
    pub fn allow_headers<I: IntoIterator<Item = S>, S: Into<String>>(mut self, headers: I) -> Self {
        self.headers = headers.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the response headers a browser lets scripts read (such as `X-AutoBatch-Completed`).
    pub fn expose_headers<I: IntoIterator<Item = S>, S: Into<String>>(
        mut self,
        headers: I,
    ) -> Self {
        self.expose_headers = headers.into_iter().map(Into::into).collect();
        self
    }

    /// Lets cross-origin requests carry cookies and credentials. With any origin allowed, the
    /// request's own origin is echoed, since browsers refuse `*` with credentials.
    pub fn allow_credentials(mut self, allow: bool) -> Self {
        self.credentials = allow;
        self
    }

    /// Sets how long browsers may cache a preflight answer; `None` leaves it to them.
    pub fn max_age(mut self, max_age: Option<Duration>) -> Self {
        self.max_age = max_age;
        self
    }

    /// The tower-http layer. Names that are not valid header names are left out rather than
    /// failing, and the combinations tower-http refuses cannot be built.
    pub(crate) fn layer(&self) -> CorsLayer {
        let names = |list: &[String]| -> Vec<HeaderName> {
            list.iter()
                .filter_map(|h| HeaderName::from_bytes(h.trim().as_bytes()).ok())
                .collect()
        };
        let origin = match &self.origins {
            Some(list) => AllowOrigin::list(
                list.iter()
                    .filter_map(|o| HeaderValue::from_str(o.trim()).ok()),
            ),
            None if self.credentials => AllowOrigin::mirror_request(),
            None => AllowOrigin::any(),
        };
        let mut layer = CorsLayer::new()
            .allow_origin(origin)
            .allow_methods(self.methods.clone())
            .allow_headers(names(&self.headers))
            .expose_headers(names(&self.expose_headers))
            .allow_credentials(self.credentials);
        if let Some(max_age) = self.max_age {
            layer = layer.max_age(max_age);
        }
        layer
    }
}
