//! The contracts of `contracts/cases`, written to exercise the .NET type table and the shapes
//! real contracts have; `tests/cases.rs` checks their wire behaviour through these.

#[rustfmt::skip]
pub mod dotnet_types;
#[rustfmt::skip]
pub mod flags_server;
#[rustfmt::skip]
pub mod shapes;
