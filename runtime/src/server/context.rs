//! [`Context`]: what a service sees of the request besides its DTO.

use std::sync::Arc;

use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, Request, Uri};

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
    parts: Parts,
    principal: Option<Principal>,
    files: Vec<HttpFile>,
}

impl Context {
    /// The context of a request with these parts, before its caller and files are known
    /// ([`complete`](Self::complete)). The router makes it as soon as a request is routed, so
    /// that the request's parts are moved once, not again at each step of serving it.
    pub(crate) fn new(parts: Parts) -> Self {
        Context {
            inner: Arc::new(Inner {
                parts,
                principal: None,
                files: Vec::new(),
            }),
        }
    }

    /// The request's parts, for the steps before the service (authentication, the body).
    pub(crate) fn parts(&self) -> &Parts {
        &self.inner.parts
    }

    /// Sets the caller and the uploaded files; `None` if the context was cloned first (the
    /// router completes it before it hands it on).
    pub(crate) fn complete(
        mut self,
        principal: Option<Principal>,
        files: Vec<HttpFile>,
    ) -> Option<Self> {
        let inner = Arc::get_mut(&mut self.inner)?;
        inner.principal = principal;
        inner.files = files;
        Some(self)
    }

    /// A context for calling a service directly, as in tests: no headers, no files.
    pub fn for_principal(principal: Option<Principal>) -> Self {
        let (mut parts, ()) = Request::new(()).into_parts();
        parts.method = Method::POST;
        Context {
            inner: Arc::new(Inner {
                parts,
                principal,
                files: Vec::new(),
            }),
        }
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
        &self.inner.parts.method
    }

    /// The request URI.
    pub fn uri(&self) -> &Uri {
        &self.inner.parts.uri
    }

    /// The request headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.inner.parts.headers
    }

    /// Every file of a `multipart/form-data` request, in the order sent, whether or not the
    /// DTO has a field of its name.
    pub fn files(&self) -> &[HttpFile] {
        &self.inner.files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts() -> Parts {
        let request = Request::builder()
            .method(Method::GET)
            .uri("/api/GetSession?sessionId=s1")
            .header("Accept", "application/json")
            .body(())
            .expect("a request");
        request.into_parts().0
    }

    #[test]
    fn a_context_reads_the_parts_it_was_made_from_and_the_caller_it_was_completed_with() {
        let context = Context::new(parts())
            .complete(Some(Principal::new("1", "demo")), Vec::new())
            .expect("a context nobody shares");
        assert_eq!(context.method(), Method::GET);
        assert_eq!(context.uri().query(), Some("sessionId=s1"));
        assert_eq!(context.headers()["accept"], "application/json");
        assert_eq!(
            context.principal().map(|p| p.user_name.as_str()),
            Some("demo")
        );
        assert!(context.files().is_empty());
    }

    #[test]
    fn a_context_shared_before_it_is_complete_is_not_changed_under_its_clones() {
        let context = Context::new(parts());
        let clone = context.clone();
        assert!(context
            .complete(Some(Principal::new("1", "demo")), Vec::new())
            .is_none());
        assert!(clone.principal().is_none());
    }

    #[test]
    fn a_context_for_a_principal_is_a_post_to_the_root() {
        let context = Context::for_principal(None);
        assert_eq!(context.method(), Method::POST);
        assert_eq!(context.uri(), "/");
        assert!(context.headers().is_empty());
        assert!(context.require_principal().is_err());
    }
}
