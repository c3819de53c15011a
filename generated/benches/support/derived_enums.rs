//! The Evo Voice enums with plain serde derives (no unknown-value variant), shared by the
//! serde benchmark's ServiceStack-style and plain type sets.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SessionDialState {
    #[default]
    None,
    Active,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SessionCallState {
    #[default]
    Disconnected,
    Ringing,
    Connected,
    Hold,
    Passive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SessionQueueStates {
    #[default]
    None,
    Queued,
    Ringing,
    Connected,
    Hold,
    Disconnected,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum FlowChannels {
    #[default]
    Voice,
    Chat,
    Fax,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SessionHoldReasons {
    #[default]
    None,
    Transferring,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SessionMemberCallState {
    #[default]
    None,
    Ringing,
    Connected,
    Hold,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SessionMemberRoles {
    #[default]
    None,
    Caller,
    Agent,
    Transfer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum SessionDirections {
    #[default]
    Incoming,
    Outgoing,
}
