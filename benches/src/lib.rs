//! Support for the ratio benchmarks in `benches/`: a counting allocator, paired timing, the
//! Evo Voice payloads, and the servers both sides of a comparison talk to.
//!
//! - `cargo bench -p ssdto-benches --bench client`: the typed client against hand-written
//!   reqwest code, over loopback, on the same server.
//! - `cargo bench -p ssdto-benches --bench server`: the generated router against hand-written
//!   axum handlers, in process (`tower::ServiceExt::oneshot`), with and without auth.
//! - `cargo bench -p ssdto-benches --bench serde`: the generated types against hand-written
//!   plain and ServiceStack-style ones, reading and writing 10 000 sessions with serde_json.

pub mod alloc;
pub mod handwritten;
pub mod ours;
pub mod stats;

use std::sync::Arc;

use ssdto_generated::evovoice_sessions as evo;

/// The session of the contract's sample reply (`tests/payloads`), with the id `id`.
pub fn session(id: &str) -> evo::SessionInfo {
    let sample = include_str!("../../tests/payloads/evovoice/GetSession.response.json");
    let mut session: evo::SessionInfo = serde_json::from_str(sample).expect("the sample parses");
    session.id = Some(id.to_owned());
    session
}

/// Sessions `s0`, `s1`, ...: a ListSessions page of 30 is about 32 KB of JSON.
pub fn sessions(count: usize) -> Vec<evo::SessionInfo> {
    (0..count).map(|i| session(&format!("s{i}"))).collect()
}

/// How many sessions a ListSessions page holds in the benches.
pub const PAGE: usize = 30;

/// The NewSession request both sides send.
pub fn new_session() -> evo::NewSession {
    let sample = include_str!("../../tests/payloads/evovoice/NewSession.request.json");
    serde_json::from_str(sample).expect("the sample parses")
}

/// The in-memory service behind the generated router; the hand-written handlers
/// ([`handwritten`]) do the same work on the same data.
#[derive(Debug)]
pub struct Store {
    pub sessions: Vec<evo::SessionInfo>,
}

impl Store {
    pub fn new() -> Arc<Store> {
        Arc::new(Store {
            sessions: sessions(PAGE),
        })
    }

    pub fn list(&self, page: i32, count: i32) -> evo::ListResponse<evo::SessionInfo> {
        let count = usize::try_from(count).unwrap_or(0).min(self.sessions.len());
        let start = usize::try_from(page).unwrap_or(0) * count;
        let items: Vec<_> = self
            .sessions
            .iter()
            .skip(start)
            .take(count)
            .cloned()
            .collect();
        evo::ListResponse {
            total_count: self.sessions.len() as i32,
            total_pages: 1,
            has_more_pages: false,
            items: Some(items),
        }
    }

    pub fn get(&self, id: &str) -> Option<evo::SessionInfo> {
        self.sessions
            .iter()
            .find(|s| s.id.as_deref() == Some(id))
            .cloned()
    }

    pub fn create(&self, request: evo::NewSession) -> evo::SessionInfo {
        let mut session = self.sessions[0].clone();
        session.display_name = request.display_name;
        session.to_address = request.to_address;
        session.channel = request.channel;
        session
    }
}

impl evo::Service for Store {
    async fn list_sessions(
        &self,
        request: evo::ListSessions,
        _: ssdto::server::Context,
    ) -> Result<evo::ListResponse<evo::SessionInfo>, ssdto::server::HttpError> {
        Ok(self.list(request.page, request.count_per_page))
    }

    async fn get_active_sessions(
        &self,
        _: evo::GetActiveSessions,
        _: ssdto::server::Context,
    ) -> Result<evo::GetActiveSessionsResponse, ssdto::server::HttpError> {
        Ok(evo::GetActiveSessionsResponse::default())
    }

    async fn get_session(
        &self,
        request: evo::GetSession,
        _: ssdto::server::Context,
    ) -> Result<evo::SessionInfo, ssdto::server::HttpError> {
        self.get(&request.session_id)
            .ok_or_else(|| ssdto::server::HttpError::not_found("no such session"))
    }

    async fn new_session(
        &self,
        request: evo::NewSession,
        _: ssdto::server::Context,
    ) -> Result<evo::SessionInfo, ssdto::server::HttpError> {
        Ok(self.create(request))
    }
}

/// A server on a loopback port, on its own runtime (one worker thread), so the client under
/// test has the bench thread to itself. Stops when dropped.
#[derive(Debug)]
pub struct Loopback {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Loopback {
    pub fn serve(router: axum::Router) -> Loopback {
        Self::start(|listener| async move { axum::serve(listener, router).await })
    }

    /// A router served without an axum router around it ([`ServiceRouter::into_service`]).
    ///
    /// [`ServiceRouter::into_service`]: ssdto::server::ServiceRouter::into_service
    pub fn serve_service(service: ssdto::server::RouterService) -> Loopback {
        Self::start(
            |listener| async move { axum::serve(listener, service.into_make_service()).await },
        )
    }

    fn start<F>(serve: impl FnOnce(tokio::net::TcpListener) -> F) -> Loopback
    where
        F: std::future::Future<Output = std::io::Result<()>> + Send + 'static,
    {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("a loopback port");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        runtime.spawn(serve(listener));
        Loopback {
            base,
            runtime: Some(runtime),
        }
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
