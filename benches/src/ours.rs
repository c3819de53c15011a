//! The generated side of the server comparisons: the generated `router` over [`Store`].

use std::sync::Arc;

use ssdto::server::{Access, Authenticator, Context, HttpError, Principal, ServiceRouter};
use ssdto_generated::evovoice_sessions::{self as evo, Service as _};

use crate::handwritten::basic_user;
use crate::Store;

/// HTTP Basic for [`crate::handwritten::USER`], through [`basic_user`] like the handlers.
#[derive(Debug)]
pub struct Basic;

impl Authenticator for Basic {
    async fn authenticate(
        &self,
        request: &axum::http::request::Parts,
    ) -> Result<Option<Principal>, HttpError> {
        Ok(
            basic_user(&request.headers)
                .map(|user| Principal::new(user, user).with_roles(["User"])),
        )
    }
}

/// The generated router; with `auth` off its operations are registered as the generated
/// `router` registers them, but public and without an authenticator ([`public`]).
pub fn generated(store: Arc<Store>, auth: bool) -> axum::Router {
    generated_with(store, auth, true)
}

/// [`generated`], with or without the router's default request timeout.
pub fn generated_with(store: Arc<Store>, auth: bool, timeout: bool) -> axum::Router {
    let router = routes(store, auth);
    if timeout {
        router.into_router()
    } else {
        router.no_timeout().into_router()
    }
}

/// [`generated`] served as a service of its own ([`ServiceRouter::into_service`]), without an
/// axum router around it.
pub fn generated_service(store: Arc<Store>, auth: bool) -> ssdto::server::RouterService {
    routes(store, auth).into_service()
}

fn routes(store: Arc<Store>, auth: bool) -> ServiceRouter<Store> {
    if auth {
        evo::router(store, Basic)
    } else {
        public(store)
    }
}

pub fn public(store: Arc<Store>) -> ServiceRouter<Store> {
    ServiceRouter::new(store)
        .operation(Access::PUBLIC, |s: Arc<Store>, r: evo::ListSessions, c: Context| async move {
            s.list_sessions(r, c).await
        })
        .operation(Access::PUBLIC, |s: Arc<Store>, r: evo::GetSession, c: Context| async move {
            s.get_session(r, c).await
        })
        .operation(Access::PUBLIC, |s: Arc<Store>, r: evo::NewSession, c: Context| async move {
            s.new_session(r, c).await
        })
}
