//! The Evo Voice types as a hand-written plain struct: base fields written out, `Option` only where
//! the contract allows null, derived enums, no aliases. The serde benchmark's lower bound.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

pub use super::derived_enums::*;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerBreadcrumb {
    pub id: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionLogInfo {
    pub date: Option<String>,
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionMemberInfo {
    pub identity: Option<String>,
    pub endpoint_id: Option<String>,
    pub display_name: Option<String>,
    pub is_original_member: bool,
    pub avatar_url: Option<String>,
    pub application_data: Option<HashMap<String, String>>,
    pub call_state: SessionMemberCallState,
    pub role: SessionMemberRoles,
    pub call_sid: Option<String>,
    pub muted: bool,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub id: Option<String>,
    pub date_created: Option<String>,
    pub date_last_modified: Option<String>,
    pub created_by: Option<String>,
    pub last_modified_by: Option<String>,
    pub dial_state: SessionDialState,
    pub call_state: SessionCallState,
    pub queue_state: SessionQueueStates,
    pub account_id: Option<String>,
    pub account_name: Option<String>,
    pub customer_id: Option<String>,
    pub customer_breadcrumb: Option<Vec<CustomerBreadcrumb>>,
    pub customer_name: Option<String>,
    pub endpoint_id: Option<String>,
    pub endpoint_name: Option<String>,
    pub date_completed: Option<String>,
    pub destination: Option<String>,
    pub to_address: Option<String>,
    pub from_address: Option<String>,
    pub from_name: Option<String>,
    pub answered_by_name: Option<String>,
    pub queue_member_id: Option<String>,
    pub channel: FlowChannels,
    pub ended: bool,
    pub outcome: Option<String>,
    pub call_sid: Option<String>,
    pub console_data: Option<String>,
    pub hold_queue_name: Option<String>,
    pub held_by_user_id: Option<String>,
    pub hold_reason: SessionHoldReasons,
    pub conference_sid: Option<String>,
    pub display_name: Option<String>,
    pub log: Option<Vec<SessionLogInfo>>,
    pub members: Option<Vec<SessionMemberInfo>>,
    pub callback_number: Option<String>,
    pub answered_by_id: Option<String>,
    pub direction: SessionDirections,
    pub from_phone_number: Option<String>,
    pub most_recent_participant_call_sid: Option<String>,
    pub was_missed: bool,
    pub ring_queue_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListResponse<T> {
    pub items: Option<Vec<T>>,
    pub total_count: i32,
    pub total_pages: i32,
    pub has_more_pages: bool,
}
