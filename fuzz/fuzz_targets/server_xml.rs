//! The server's XML path on hostile requests: any body (XML or not), content type, `Accept`,
//! `?format=` and predefined path, sent through a router of the Evo Voice operations
//! registered with `xml_operation`, is answered (never a panic, never a 500), and whatever it
//! answers in XML reads back: the response DTO on success, an `ErrorResponse` otherwise.
//!
//! ```text
//! RUSTC_BOOTSTRAP=1 cargo fuzz run server_xml fuzz/corpus/server_xml tests/payloads/evovoice \
//!     -- -dict=fuzz/xml.dict -max_total_time=120
//! ```
#![no_main]

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use ssdto::server::axum::{self, body::Body, http};
use ssdto::server::{Access, ServiceRouter};
use ssdto::xml;
use ssdto_generated::evovoice_xml::{GetSession, ListSessions, NewSession, SessionInfo};
use tower::ServiceExt as _;

#[derive(Debug, Arbitrary)]
struct Input {
    path: u8,
    query: Option<String>,
    accept: u8,
    content_type: u8,
    post: bool,
    body: Vec<u8>,
}

struct Stub;

/// The operations echo what they bound, so a bound request is written back as XML too.
fn router() -> axum::Router {
    ServiceRouter::new(Arc::new(Stub))
        .body_limit(64 * 1024)
        .xml_operation(Access::PUBLIC, |_: Arc<Stub>, req: NewSession, _| async move {
            Ok(SessionInfo {
                display_name: req.display_name,
                to_address: req.to_address,
                ..SessionInfo::default()
            })
        })
        .xml_operation(Access::PUBLIC, |_: Arc<Stub>, req: GetSession, _| async move {
            Ok(SessionInfo {
                id: Some(req.session_id),
                ..SessionInfo::default()
            })
        })
        .xml_operation(Access::PUBLIC, |_: Arc<Stub>, req: ListSessions, _| async move {
            Ok(ssdto_generated::evovoice_xml::ListResponse {
                items: Some(vec![SessionInfo {
                    from_address: req.from,
                    ..SessionInfo::default()
                }]),
                ..Default::default()
            })
        })
        .into_router()
}

fn runtime() -> &'static (tokio::runtime::Runtime, axum::Router) {
    static STATE: OnceLock<(tokio::runtime::Runtime, axum::Router)> = OnceLock::new();
    STATE.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        (rt, router())
    })
}

fuzz_target!(|input: Input| {
    let path = [
        "/api/NewSession",
        "/xml/reply/NewSession",
        "/xml/oneway/GetSession",
        "/json/reply/ListSessions",
        "/sessions",
        "/sessions/s1",
        "/api/NewSession[]",
        "/xml/reply/Nothing",
    ][usize::from(input.path % 8)];
    let uri = match &input.query {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    };
    let Ok(uri) = uri.parse::<http::Uri>() else {
        return;
    };
    let mut request = http::Request::builder()
        .method(if input.post { "POST" } else { "GET" })
        .uri(uri);
    let accept = ["application/xml", "*/*", "text/xml, application/json", "", "application/xml;q=0.5"];
    let accept = accept[usize::from(input.accept) % accept.len()];
    if !accept.is_empty() {
        request = request.header("accept", accept);
    }
    let types = ["application/xml", "text/xml; charset=utf-8", "application/json", ""];
    let content_type = types[usize::from(input.content_type) % types.len()];
    if !content_type.is_empty() {
        request = request.header("content-type", content_type);
    }
    let Ok(request) = request.body(Body::from(input.body)) else {
        return;
    };
    let (rt, router) = runtime();
    let (status, is_xml, body) = rt.block_on(async {
        let response = router.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let is_xml = response
            .headers()
            .get("content-type")
            .is_some_and(|v| v.as_bytes() == xml::MEDIA_TYPE.as_bytes());
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        (status, is_xml, body)
    });
    assert_ne!(status, http::StatusCode::INTERNAL_SERVER_ERROR, "{body:?}");
    if is_xml {
        let readable = if status.is_success() {
            xml::from_slice::<SessionInfo>(&body).is_ok()
                || xml::from_slice::<ssdto_generated::evovoice_xml::ListResponse<SessionInfo>>(&body)
                    .is_ok()
        } else {
            xml::from_slice::<ssdto::ErrorResponse>(&body).is_ok()
        };
        assert!(readable, "{status}: {}", String::from_utf8_lossy(&body));
    }
});
