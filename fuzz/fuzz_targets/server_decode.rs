//! The server's request binding (`ssdto::server::decode`) on hostile requests: any query
//! string, body, content type and path variables bind to the Evo Voice request types, or to a
//! local struct with every kind of field, or fail with a `DecodeError`; never a panic. And a
//! request the client encodes (query string or JSON body) binds back to the same request.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use serde::{Deserialize, Serialize};
use ssdto::query::to_query_string;
use ssdto::server::{decode, RawRequest};
use ssdto_generated::evovoice_sessions::{GetSession, ListSessions, NewSession};

#[derive(Debug, Arbitrary)]
struct Input {
    query: Option<String>,
    body: Vec<u8>,
    content_type: u8,
    path: Vec<(String, String)>,
    local: Local,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Arbitrary, Serialize, Deserialize, Default)]
enum Kind {
    #[default]
    Voice,
    Chat,
}

#[derive(Debug, Clone, PartialEq, Eq, Arbitrary, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Inner {
    id: i64,
    tags: Vec<String>,
}

/// Every shape of field a generated DTO has.
#[derive(Debug, Clone, PartialEq, Eq, Arbitrary, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Local {
    page: i32,
    count: u8,
    all: bool,
    name: String,
    maybe: Option<i64>,
    ids: Vec<u32>,
    names: Option<Vec<String>>,
    kind: Kind,
    kinds: Vec<Kind>,
    inner: Option<Inner>,
    map: BTreeMap<String, String>,
}

fuzz_target!(|input: Input| {
    let content_type = match input.content_type % 4 {
        0 => None,
        1 => Some("application/json"),
        2 => Some("application/x-www-form-urlencoded"),
        _ => Some("text/plain; charset=utf-8"),
    };
    let raw = RawRequest {
        body: &input.body,
        content_type,
        query: input.query.as_deref(),
        path: &input.path,
        ..RawRequest::default()
    };
    let _ = decode::<ListSessions>(&raw);
    let _ = decode::<NewSession>(&raw);
    let _ = decode::<GetSession>(&raw);
    let _ = decode::<Local>(&raw);

    // What the client sends binds back to what it sent: as a query string (GET)...
    let local = input.local;
    if let Ok(query) = to_query_string(&local, &[]) {
        let raw = RawRequest {
            query: Some(&query),
            ..RawRequest::default()
        };
        match decode::<Local>(&raw) {
            Ok(back) => assert_eq!(normalize(back), normalize(local.clone()), "{query:?}"),
            Err(e) => panic!("{e}: {query:?}"),
        }
    }
    // ...and as a JSON body (POST), whatever the content type says.
    let body = serde_json::to_vec(&local).unwrap_or_default();
    let raw = RawRequest {
        body: &body,
        content_type,
        query: None,
        path: &[],
    };
    if content_type != Some("application/x-www-form-urlencoded") {
        match decode::<Local>(&raw) {
            Ok(back) => assert_eq!(back, local),
            Err(e) => panic!("{e}: {}", String::from_utf8_lossy(&body)),
        }
    }
});

/// What a query string cannot tell apart, by design (see the `server` module docs): an
/// empty value is `None` for an optional field.
fn normalize(mut local: Local) -> Local {
    if local.names.as_ref().is_some_and(Vec::is_empty) {
        local.names = None;
    }
    local
}
