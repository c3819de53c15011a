//! The committed output of `ssdto` for the contracts in `contracts/`, regenerated and compared
//! by a test so it never drifts from the generator.

// Generated files are written by prettyplease; rustfmt must not restyle them, or they would
// differ from what the generator writes and fail the drift check.
pub mod cases;
#[rustfmt::skip]
pub mod evovoice_sessions;
pub mod fixtures;
#[rustfmt::skip]
pub mod kitchen_sink;
pub mod wire_types;
