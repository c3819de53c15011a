//! Shared helpers for the workspace integration tests.

use std::path::PathBuf;

/// A sample payload of the Evo Voice seed pages (`tests/payloads/evovoice/{name}`).
pub fn evovoice_payload(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("payloads/evovoice")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Drops whitespace-only text between tags (the seed pages indent their XML samples, or put a
/// space between tags), leaving everything else byte for byte.
pub fn normalize_xml(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml.trim();
    while let Some(close) = rest.find('>') {
        out.push_str(&rest[..=close]);
        rest = &rest[close + 1..];
        let gap = rest.len() - rest.trim_start().len();
        if rest[gap..].starts_with('<') {
            rest = &rest[gap..];
        }
    }
    out.push_str(rest);
    out
}
