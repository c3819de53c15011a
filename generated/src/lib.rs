//! The committed output of `ssdto` for the contracts in `contracts/`, regenerated and compared
//! by a test so it never drifts from the generator.

// Generated files are written by prettyplease; rustfmt must not restyle them, or they would
// differ from what the generator writes and fail the drift check.
pub mod cases;
#[rustfmt::skip]
pub mod evovoice_sessions;
/// The Evo Voice contract generated with `Xml: true` and `Server: true`: the same types plus
/// `ssdto::xml::XmlValue`, and a router that serves JSON and XML (the example `sessions_server`).
#[rustfmt::skip]
pub mod evovoice_xml;
pub mod fixtures;
#[rustfmt::skip]
pub mod kitchen_sink;
pub mod wire_types;
/// `contracts/testdata/xml_rules.json` with `Xml: true`: DataContract names and namespaces,
/// member order, inheritance across namespaces and generic names, for tests/xml.rs.
#[rustfmt::skip]
pub mod xml_rules;
