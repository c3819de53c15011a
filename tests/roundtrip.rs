//! Every JSON payload in `tests/payloads/evovoice` (the seed pages' samples and hand-written
//! variants) read into the generated Evo Voice types and written back, compared as JSON values.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use ssdto_generated::evovoice_sessions::*;

fn payload(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("payloads/evovoice")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn round_trip<T: DeserializeOwned + Serialize>(input: &Value) -> (T, Value) {
    let typed: T = serde_json::from_value(input.clone()).expect("deserialize");
    let back = serde_json::to_value(&typed).expect("serialize");
    (typed, back)
}

/// Object keys in `a` that `b` lacks, as dotted paths (array indexes elided).
fn missing_keys(a: &Value, b: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                match b.get(k) {
                    Some(w) => missing_keys(v, w, &path, out),
                    None => {
                        out.insert(path);
                    }
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (v, w) in a.iter().zip(b) {
                missing_keys(v, w, prefix, out);
            }
        }
        _ => {}
    }
}

fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// PascalCase keys to ServiceStack camelCase, leaving dictionary contents alone.
fn camel_keys(v: &Value, in_dictionary: bool) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let key = if in_dictionary {
                        k.clone()
                    } else {
                        ssdto::protocol::wire_name(k)
                    };
                    (key, camel_keys(v, k == "ApplicationData"))
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| camel_keys(v, false)).collect()),
        other => other.clone(),
    }
}

#[test]
fn seed_samples_round_trip_unchanged() {
    let samples = [
        "ListSessions.response.json",
        "GetActiveSessions.response.json",
        "GetSession.response.json",
        "NewSession.request.json",
        "NewSession.response.json",
    ];
    for name in samples {
        let input = payload(name);
        let back = match name.split('.').next() {
            Some("ListSessions") => round_trip::<ListResponse<SessionInfo>>(&input).1,
            Some("GetActiveSessions") => round_trip::<GetActiveSessionsResponse>(&input).1,
            Some("NewSession") if name.contains("request") => round_trip::<NewSession>(&input).1,
            _ => round_trip::<SessionInfo>(&input).1,
        };
        assert_eq!(back, input, "{name}");
    }
}

#[test]
fn list_sessions_sample_reads_into_typed_values() {
    let (list, _) = round_trip::<ListResponse<SessionInfo>>(&payload("ListSessions.response.json"));
    let items = list.items.expect("items");
    let s = &items[0];
    assert_eq!(s.dial_state, SessionDialState::None);
    assert_eq!(s.call_state, SessionCallState::Disconnected);
    assert_eq!(s.channel, FlowChannels::Voice);
    assert_eq!(s.direction, SessionDirections::Incoming);
    assert_eq!(s.customer_breadcrumb.as_ref().map(Vec::len), Some(1));
    let member = &s.members.as_ref().expect("members")[0];
    assert_eq!(
        member
            .application_data
            .as_ref()
            .and_then(|d| d.get("String"))
            .map(String::as_str),
        Some("String")
    );
    assert_eq!(member.role, SessionMemberRoles::None);
    assert!(!list.has_more_pages);
}

#[test]
fn unknown_fields_are_ignored_at_every_level() {
    let input = payload("ListSessions.response.unknown-fields.json");
    let (_, back) = round_trip::<ListResponse<SessionInfo>>(&input);
    let mut dropped = BTreeSet::new();
    missing_keys(&input, &back, "", &mut dropped);
    let expected: BTreeSet<String> = [
        "pageSize",
        "meta",
        "items.recordingUrl",
        "items.durationSeconds",
        "items.tags",
        "items.sentiment",
        "items.transcript",
        "items.customerBreadcrumb.type",
        "items.log.level",
        "items.members.presence",
        "items.members.sipUri",
        "items.members.carrier",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(dropped, expected, "exactly the unknown fields are dropped");
    let mut added = BTreeSet::new();
    missing_keys(&back, &input, "", &mut added);
    assert!(added.is_empty(), "nothing invented: {added:?}");
}

#[test]
fn unknown_enum_values_are_kept_and_written_back() {
    let input = payload("ListSessions.response.unknown-enum.json");
    let (list, back) = round_trip::<ListResponse<SessionInfo>>(&input);
    assert_eq!(back, input);
    let s = &list.items.expect("items")[0];
    assert_eq!(
        s.call_state,
        SessionCallState::Unknown("Transferring".into())
    );
    assert_eq!(s.channel, FlowChannels::Unknown("Video".into()));
    assert_eq!(s.channel.as_str(), "Video");
}

#[test]
fn pascal_case_keys_are_read() {
    let input = payload("GetSession.response.pascal-case.json");
    let (session, back) = round_trip::<SessionInfo>(&input);
    assert!(session.id.is_some(), "Id read through its PascalCase alias");
    assert_eq!(back, camel_keys(&input, false));
}

#[test]
fn explicit_nulls_read_as_none() {
    let input = payload("GetSession.response.nulls.json");
    let (session, back) = round_trip::<SessionInfo>(&input);
    assert_eq!(session.account_name, None);
    assert_eq!(session.customer_breadcrumb, None);
    assert_eq!(back, without_nulls(&input));
}

#[test]
fn requests_serialize_camel_case_and_skip_unset_fields() {
    let req = NewSession {
        display_name: Some("Front desk".into()),
        channel: FlowChannels::Chat,
        member_email_addresses: Some(vec!["a@example.org".into()]),
        direction: Some(SessionDirections::Outgoing),
        ..Default::default()
    };
    let json = serde_json::to_value(&req).expect("serialize");
    assert_eq!(json["displayName"], "Front desk");
    assert_eq!(json["channel"], "Chat");
    assert_eq!(json["direction"], "Outgoing");
    assert!(
        json.get("callState").is_none(),
        "a None Nullable is left out"
    );
    let get = GetSession {
        session_id: "s1".into(),
    };
    assert_eq!(
        serde_json::to_value(&get).expect("serialize"),
        serde_json::json!({"sessionId": "s1"})
    );
}

/// The README's "Using the generated types" example, kept honest.
#[test]
fn readme_example_holds() {
    use ssdto::{Method, Request};
    assert_eq!(GetSession::OPERATION, "GetSession");
    assert_eq!(GetSession::METHOD, Method::Get);
    assert_eq!(GetSession::ROUTES[0].path, "/sessions/{sessionId}");

    let session: SessionInfo =
        serde_json::from_str(r#"{"Id":"s1","callState":"Transferring"}"#).expect("read");
    assert_eq!(session.id.as_deref(), Some("s1"));
    assert_eq!(session.call_state.as_str(), "Transferring");

    let list = ListSessions {
        page: 2,
        account_ids: Some(vec!["acc1".into()]),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_string(&list).expect("serialize"),
        r#"{"page":2,"all":false,"countPerPage":0,"sortOrder":"Ascend","simplifiedPaging":false,"accountIds":["acc1"],"searchArchive":false}"#
    );
}
