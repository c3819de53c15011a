//! The serde benches' payload: sessions with every field set, as the generated types write them.
//! Shared by `generated/benches/serde.rs` (divan) and `benches/benches/serde.rs` (paired).

use std::collections::HashMap;

use ssdto_generated::evovoice_sessions as generated;

use super::{plain, servicestack_style};

/// How many sessions the benches read and write: 20 MB of JSON.
pub const SESSIONS: usize = 10_000;

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

/// [`SESSIONS`] sessions as a `ListResponse` in JSON, checked to be readable by every type set.
pub fn payload() -> String {
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
