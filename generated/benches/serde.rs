//! Serde throughput on a `ListResponse<SessionInfo>` of 10k fully populated sessions
//! (`cargo bench -p ssdto-generated --bench serde`): the generated types against the same types in
//! ServiceStack's Rust style (flattened base, all-`Option`) and a hand-written plain struct.
//! Target: generated >= 1.5x faster than the ServiceStack style on deserialize, within 10% of plain.
//! The `xml` benches read and write the same value as DataContractSerializer XML (`ssdto::xml`,
//! types generated with `Xml: true`), for a ratio against the JSON ones in the same run.

#[path = "support/derived_enums.rs"]
mod derived_enums;
#[path = "support/plain.rs"]
mod plain;
#[path = "support/servicestack_style.rs"]
mod servicestack_style;

use std::collections::HashMap;

use divan::counter::BytesCount;
use ssdto_generated::evovoice_sessions as generated;

const SESSIONS: usize = 10_000;

fn main() {
    divan::main();
}

fn text(i: usize, field: &str) -> Option<String> {
    Some(format!("{field}-{i:05}"))
}

/// One session with every field set, nested lists included, so no serde path is skipped.
fn session(i: usize) -> generated::SessionInfo {
    use generated::*;
    let member = |m: usize| SessionMemberInfo {
        identity: text(i * 10 + m, "identity"),
        endpoint_id: text(i, "endpoint"),
        display_name: text(m, "Agent Smith"),
        is_original_member: m == 0,
        avatar_url: Some(format!("https://cdn.example.com/avatars/{m}.png")),
        application_data: Some(HashMap::from([
            ("queue".to_owned(), "support".to_owned()),
            ("tier".to_owned(), "gold".to_owned()),
        ])),
        call_state: SessionMemberCallState::Connected,
        role: if m == 0 {
            SessionMemberRoles::Caller
        } else {
            SessionMemberRoles::Agent
        },
        call_sid: text(i * 10 + m, "CA"),
        muted: m == 1,
    };
    SessionInfo {
        id: text(i, "session"),
        date_created: Some("2024-03-01T10:15:00Z".into()),
        date_last_modified: Some("2024-03-01T10:20:00Z".into()),
        created_by: text(i % 7, "user"),
        last_modified_by: text(i % 5, "user"),
        dial_state: SessionDialState::Active,
        call_state: SessionCallState::Connected,
        queue_state: SessionQueueStates::Connected,
        account_id: text(i % 3, "account"),
        account_name: Some("Evo Voice Demo Account".into()),
        customer_id: text(i % 11, "customer"),
        customer_breadcrumb: Some(vec![
            CustomerBreadcrumb {
                id: text(1, "customer"),
                name: Some("Parent Co".into()),
            },
            CustomerBreadcrumb {
                id: text(i % 11, "customer"),
                name: Some("Child Co".into()),
            },
        ]),
        customer_name: Some("Child Co".into()),
        endpoint_id: text(i % 13, "endpoint"),
        endpoint_name: Some("Front Desk".into()),
        date_completed: Some("2024-03-01T10:25:00Z".into()),
        destination: Some("+15555550100".into()),
        to_address: Some("+15555550100".into()),
        from_address: Some("+15555550199".into()),
        from_name: Some("Jane Caller".into()),
        answered_by_name: Some("Agent Smith".into()),
        queue_member_id: text(i % 17, "member"),
        channel: FlowChannels::Voice,
        ended: i & 1 == 0,
        outcome: Some("Answered".into()),
        call_sid: text(i, "CA"),
        console_data: Some(r#"{"note":"vip"}"#.into()),
        hold_queue_name: Some("Hold Queue".into()),
        held_by_user_id: text(i % 19, "user"),
        hold_reason: SessionHoldReasons::Transferring,
        conference_sid: text(i, "CF"),
        display_name: Some("Jane Caller".into()),
        log: Some(
            (0..3)
                .map(|l| SessionLogInfo {
                    date: Some(format!("2024-03-01T10:1{l}:00Z")),
                    message: Some(format!("step {l}: routed to queue")),
                })
                .collect(),
        ),
        members: Some((0..2).map(member).collect()),
        callback_number: Some("+15555550199".into()),
        answered_by_id: text(i % 23, "user"),
        direction: SessionDirections::Incoming,
        from_phone_number: Some("+15555550199".into()),
        most_recent_participant_call_sid: text(i, "CA"),
        was_missed: false,
        ring_queue_id: text(i % 29, "queue"),
    }
}

fn payload() -> String {
    let response = generated::ListResponse {
        items: Some((0..SESSIONS).map(session).collect()),
        total_count: SESSIONS as i32,
        total_pages: 1,
        has_more_pages: false,
    };
    let json = serde_json::to_string(&response).expect("serialize");
    // Every style must read the payload, or the comparison means nothing.
    let _: servicestack_style::ListResponse<servicestack_style::SessionInfo> =
        serde_json::from_str(&json).expect("servicestack style reads the payload");
    let _: plain::ListResponse<plain::SessionInfo> =
        serde_json::from_str(&json).expect("plain reads the payload");
    json
}

mod deserialize {
    use super::*;

    #[divan::bench(sample_count = 20)]
    fn generated(bencher: divan::Bencher) {
        let json = payload();
        bencher.counter(BytesCount::of_str(&json)).bench(|| {
            serde_json::from_str::<generated::ListResponse<generated::SessionInfo>>(&json)
                .expect("deserialize")
        });
    }

    #[divan::bench(sample_count = 20)]
    fn servicestack_style(bencher: divan::Bencher) {
        let json = payload();
        bencher.counter(BytesCount::of_str(&json)).bench(|| {
            serde_json::from_str::<
                servicestack_style::ListResponse<servicestack_style::SessionInfo>,
            >(&json)
            .expect("deserialize")
        });
    }

    #[divan::bench(sample_count = 20)]
    fn plain(bencher: divan::Bencher) {
        let json = payload();
        bencher.counter(BytesCount::of_str(&json)).bench(|| {
            serde_json::from_str::<plain::ListResponse<plain::SessionInfo>>(&json)
                .expect("deserialize")
        });
    }
}

mod serialize {
    use super::*;

    #[divan::bench(sample_count = 20)]
    fn generated(bencher: divan::Bencher) {
        let json = payload();
        let value: generated::ListResponse<generated::SessionInfo> =
            serde_json::from_str(&json).expect("deserialize");
        bencher
            .counter(BytesCount::of_str(&json))
            .bench(|| serde_json::to_vec(&value).expect("serialize"));
    }

    #[divan::bench(sample_count = 20)]
    fn servicestack_style(bencher: divan::Bencher) {
        let json = payload();
        let value: servicestack_style::ListResponse<servicestack_style::SessionInfo> =
            serde_json::from_str(&json).expect("deserialize");
        bencher
            .counter(BytesCount::of_str(&json))
            .bench(|| serde_json::to_vec(&value).expect("serialize"));
    }

    #[divan::bench(sample_count = 20)]
    fn plain(bencher: divan::Bencher) {
        let json = payload();
        let value: plain::ListResponse<plain::SessionInfo> =
            serde_json::from_str(&json).expect("deserialize");
        bencher
            .counter(BytesCount::of_str(&json))
            .bench(|| serde_json::to_vec(&value).expect("serialize"));
    }
}

mod xml {
    use super::*;
    use ssdto_generated::evovoice_xml as typed;

    type Response = typed::ListResponse<typed::SessionInfo>;

    /// The same 10k sessions, in the types generated with `Xml: true`, and their XML.
    fn payload() -> (Response, String) {
        let value: Response = serde_json::from_str(&super::payload()).expect("deserialize");
        let xml = ssdto::xml::to_string(&value).expect("serialize");
        (value, xml)
    }

    #[divan::bench(sample_count = 20)]
    fn deserialize(bencher: divan::Bencher) {
        let (_, xml) = payload();
        // The document is larger than the default 32 MiB limit.
        let limits = ssdto::xml::Limits {
            max_bytes: usize::MAX,
            ..ssdto::xml::Limits::default()
        };
        bencher.counter(BytesCount::of_str(&xml)).bench(|| {
            ssdto::xml::from_slice_with::<Response>(xml.as_bytes(), limits).expect("deserialize")
        });
    }

    #[divan::bench(sample_count = 20)]
    fn serialize(bencher: divan::Bencher) {
        let (value, xml) = payload();
        bencher
            .counter(BytesCount::of_str(&xml))
            .bench(|| ssdto::xml::to_string(&value).expect("serialize"));
    }
}
