//! The committed output of `ssdto` for the contracts in `contracts/`, regenerated and compared
//! by a test so it never drifts from the generator.

pub mod evovoice_sessions;
pub mod fixtures;
