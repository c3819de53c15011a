//! The Evo Voice Sessions contract through each entry point, with default options, so tests
//! can prove they produce the same types: the same fields, the same wire format, the same
//! request constants.

/// The CLI's output, committed as `generated/src/evovoice_sessions.rs`.
pub mod cli {
    pub use ssdto_generated::evovoice_sessions::*;
}

/// The build.rs output (see `build.rs`), included from `OUT_DIR`.
pub mod build_script {
    include!(concat!(env!("OUT_DIR"), "/sessions.rs"));
}

/// The `include_contract!` expansion.
pub mod macro_expanded {
    ssdto::include_contract!("../../contracts/evovoice/sessions.json");
}

/// `GetSession` written by hand with `#[derive(Request)]`, as it would be without a contract.
pub mod derived {
    use serde::Serialize;
    use ssdto::Request;

    /// Get the specified session.
    #[derive(Debug, Clone, PartialEq, Default, Serialize, Request)]
    #[serde(rename_all = "camelCase")]
    #[ssdto(route("GET", "/sessions/{sessionId}"), returns = crate::cli::SessionInfo)]
    pub struct GetSession {
        /// The ID of the session to retrieve.
        pub session_id: String,
    }
}
