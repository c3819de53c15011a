//! ServiceStack's predefined routes: every operation answers on `/api/{Name}` (what the
//! official clients call on ServiceStack 6 and later), `/json/reply/{Name}` and
//! `/json/oneway/{Name}`, with any verb, whatever routes it declares, and a server that speaks
//! XML on `/xml/reply/{Name}` and `/xml/oneway/{Name}` too (which answer in XML); `{Name}[]` on
//! each of them is an AutoBatch of the operation (an array of requests).
//!
//! ```
//! use ssdto_protocol::{Predefined, BATCH_SUFFIX};
//!
//! let batch = format!("{}GetSession{BATCH_SUFFIX}", Predefined::JsonOneWay.prefix());
//! assert_eq!(batch, "/json/oneway/GetSession[]");
//! ```

/// A predefined route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Predefined {
    /// `/api/{Name}`, for replies and one-way requests alike.
    Api,
    /// `/json/reply/{Name}`: the reply route of servers older than ServiceStack 6.
    JsonReply,
    /// `/json/oneway/{Name}`: runs the request; clients ignore the reply.
    JsonOneWay,
    /// `/xml/reply/{Name}`: as `/json/reply/`, answered in XML (the route of ServiceStack's
    /// C# `XmlServiceClient`).
    XmlReply,
    /// `/xml/oneway/{Name}`: as `/json/oneway/`, answered in XML.
    XmlOneWay,
}

/// What follows the operation's name in a predefined path for an AutoBatch.
pub const BATCH_SUFFIX: &str = "[]";

impl Predefined {
    /// The XML routes, which only a server that speaks XML serves.
    pub const XML: [Predefined; 2] = [Predefined::XmlReply, Predefined::XmlOneWay];

    /// Every predefined route of JSON (and format-neutral `/api`).
    pub const ALL: [Predefined; 3] = [
        Predefined::Api,
        Predefined::JsonReply,
        Predefined::JsonOneWay,
    ];

    /// The path before the operation's name: `/api/`, `/json/reply/`, `/json/oneway/`,
    /// `/xml/reply/`, `/xml/oneway/`.
    pub const fn prefix(self) -> &'static str {
        match self {
            Predefined::Api => "/api/",
            Predefined::JsonReply => "/json/reply/",
            Predefined::JsonOneWay => "/json/oneway/",
            Predefined::XmlReply => "/xml/reply/",
            Predefined::XmlOneWay => "/xml/oneway/",
        }
    }
}
