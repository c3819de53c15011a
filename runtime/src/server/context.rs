//! [`Context`]: what a service sees of the request besides its DTO.

use std::sync::Arc;

use axum::http::{HeaderMap, Method, Uri};

use super::access::Principal;
use super::error::HttpError;
use crate::HttpFile;

/// The request an operation is serving, beside its DTO: the caller, the headers and the
/// uploaded files. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Context {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    principal: Option<Principal>,
    files: Vec<HttpFile>,
}

impl Context {
    pub(crate) fn new(
        method: Method,
        uri: Uri,
        headers: HeaderMap,
        principal: Option<Principal>,
        files: Vec<HttpFile>,
    ) -> Self {
        Context {
            inner: Arc::new(Inner {
                method,
                uri,
                headers,
                principal,
                files,
            }),
        }
    }

    /// A context for calling a service directly, as in tests: no headers, no files.
    pub fn for_principal(principal: Option<Principal>) -> Self {
        Self::new(
            Method::POST,
            Uri::from_static("/"),
            HeaderMap::new(),
            principal,
            Vec::new(),
        )
    }

    /// The authenticated caller, if any.
    pub fn principal(&self) -> Option<&Principal> {
        self.inner.principal.as_ref()
    }

    /// The authenticated caller, or the 401 ServiceStack answers without one.
    pub fn require_principal(&self) -> Result<&Principal, HttpError> {
        self.principal()
            .ok_or_else(|| HttpError::unauthorized("Not Authenticated"))
    }

    /// The HTTP verb the request came with.
    pub fn method(&self) -> &Method {
        &self.inner.method
    }

    /// The request URI.
    pub fn uri(&self) -> &Uri {
        &self.inner.uri
    }

    /// The request headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.headers
    }

    /// Every file of a `multipart/form-data` request, in the order sent, whether or not the
    /// DTO has a field of its name.
    pub fn files(&self) -> &[HttpFile] {
        &self.inner.files
    }
}
