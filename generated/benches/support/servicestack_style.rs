//! The Evo Voice types as ServiceStack's own Rust generator shapes DTOs: a base class embedded with
//! `#[serde(flatten)]`, every field `Option` with `#[serde(default)]`, derived enums. Written from
//! contracts/evovoice/sessions.json for the serde benchmark; not used anywhere else.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

pub use super::derived_enums::*;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EntityInfo {
    #[serde(rename = "id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(
        rename = "dateCreated",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub date_created: Option<String>,
    #[serde(
        rename = "dateLastModified",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub date_last_modified: Option<String>,
    #[serde(rename = "createdBy", default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(
        rename = "lastModifiedBy",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_modified_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CustomerBreadcrumb {
    #[serde(rename = "id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SessionLogInfo {
    #[serde(rename = "date", default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(rename = "message", default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SessionMemberInfo {
    #[serde(rename = "identity", default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    #[serde(
        rename = "endpointId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub endpoint_id: Option<String>,
    #[serde(
        rename = "displayName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub display_name: Option<String>,
    #[serde(
        rename = "isOriginalMember",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub is_original_member: Option<bool>,
    #[serde(rename = "avatarUrl", default, skip_serializing_if = "Option::is_none")]
    pub avatar_url: Option<String>,
    #[serde(
        rename = "applicationData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub application_data: Option<HashMap<String, String>>,
    #[serde(rename = "callState", default, skip_serializing_if = "Option::is_none")]
    pub call_state: Option<SessionMemberCallState>,
    #[serde(rename = "role", default, skip_serializing_if = "Option::is_none")]
    pub role: Option<SessionMemberRoles>,
    #[serde(rename = "callSid", default, skip_serializing_if = "Option::is_none")]
    pub call_sid: Option<String>,
    #[serde(rename = "muted", default, skip_serializing_if = "Option::is_none")]
    pub muted: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SessionInfo {
    #[serde(flatten)]
    pub base: EntityInfo,
    #[serde(rename = "dialState", default, skip_serializing_if = "Option::is_none")]
    pub dial_state: Option<SessionDialState>,
    #[serde(rename = "callState", default, skip_serializing_if = "Option::is_none")]
    pub call_state: Option<SessionCallState>,
    #[serde(
        rename = "queueState",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub queue_state: Option<SessionQueueStates>,
    #[serde(rename = "accountId", default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    #[serde(
        rename = "accountName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub account_name: Option<String>,
    #[serde(
        rename = "customerId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub customer_id: Option<String>,
    #[serde(
        rename = "customerBreadcrumb",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub customer_breadcrumb: Option<Vec<CustomerBreadcrumb>>,
    #[serde(
        rename = "customerName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub customer_name: Option<String>,
    #[serde(
        rename = "endpointId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub endpoint_id: Option<String>,
    #[serde(
        rename = "endpointName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub endpoint_name: Option<String>,
    #[serde(
        rename = "dateCompleted",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub date_completed: Option<String>,
    #[serde(
        rename = "destination",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub destination: Option<String>,
    #[serde(rename = "toAddress", default, skip_serializing_if = "Option::is_none")]
    pub to_address: Option<String>,
    #[serde(
        rename = "fromAddress",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub from_address: Option<String>,
    #[serde(rename = "fromName", default, skip_serializing_if = "Option::is_none")]
    pub from_name: Option<String>,
    #[serde(
        rename = "answeredByName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub answered_by_name: Option<String>,
    #[serde(
        rename = "queueMemberId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub queue_member_id: Option<String>,
    #[serde(rename = "channel", default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<FlowChannels>,
    #[serde(rename = "ended", default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<bool>,
    #[serde(rename = "outcome", default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    #[serde(rename = "callSid", default, skip_serializing_if = "Option::is_none")]
    pub call_sid: Option<String>,
    #[serde(
        rename = "consoleData",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub console_data: Option<String>,
    #[serde(
        rename = "holdQueueName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub hold_queue_name: Option<String>,
    #[serde(
        rename = "heldByUserId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub held_by_user_id: Option<String>,
    #[serde(
        rename = "holdReason",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub hold_reason: Option<SessionHoldReasons>,
    #[serde(
        rename = "conferenceSid",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub conference_sid: Option<String>,
    #[serde(
        rename = "displayName",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub display_name: Option<String>,
    #[serde(rename = "log", default, skip_serializing_if = "Option::is_none")]
    pub log: Option<Vec<SessionLogInfo>>,
    #[serde(rename = "members", default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<SessionMemberInfo>>,
    #[serde(
        rename = "callbackNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub callback_number: Option<String>,
    #[serde(
        rename = "answeredById",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub answered_by_id: Option<String>,
    #[serde(rename = "direction", default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<SessionDirections>,
    #[serde(
        rename = "fromPhoneNumber",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub from_phone_number: Option<String>,
    #[serde(
        rename = "mostRecentParticipantCallSid",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub most_recent_participant_call_sid: Option<String>,
    #[serde(rename = "wasMissed", default, skip_serializing_if = "Option::is_none")]
    pub was_missed: Option<bool>,
    #[serde(
        rename = "ringQueueId",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ring_queue_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ListResponse<T> {
    #[serde(rename = "items", default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<T>>,
    #[serde(
        rename = "totalCount",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub total_count: Option<i32>,
    #[serde(
        rename = "totalPages",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub total_pages: Option<i32>,
    #[serde(
        rename = "hasMorePages",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub has_more_pages: Option<bool>,
}
