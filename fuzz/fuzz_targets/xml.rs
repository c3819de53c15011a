//! The XML reader (`ssdto::xml`) on hostile documents: any bytes read into the generated Evo
//! Voice types, ServiceStack's error body, nested lists and dictionaries, or any `object`
//! value, give a value or an `Error`; never a panic or a stack overflow. A DTO that was read
//! writes back to XML that reads as the same value.
//!
//! Seed it with the seed pages' samples and use the dictionary:
//!
//! ```text
//! RUSTC_BOOTSTRAP=1 cargo fuzz run xml fuzz/corpus/xml tests/payloads/evovoice \
//!     -- -dict=fuzz/xml.dict -max_total_time=180
//! ```
#![no_main]

use std::collections::HashMap;
use std::fmt::Debug;

use libfuzzer_sys::fuzz_target;
use ssdto::xml::{self, Limits, XmlValue};
use ssdto::ErrorResponse;
use ssdto_generated::evovoice_xml::{
    GetActiveSessionsResponse, ListResponse, NewSession, SessionInfo,
};

/// Reads `data` as `T`; whatever reads must write, and read back equal.
fn round_trip<T: XmlValue + PartialEq + Debug>(data: &[u8], limits: Limits) {
    let Ok(value) = xml::from_slice_with::<T>(data, limits) else {
        return;
    };
    let text = match xml::to_string(&value) {
        Ok(text) => text,
        Err(e) => panic!("read {value:?} but cannot write it: {e}"),
    };
    match xml::from_str::<T>(&text) {
        Ok(back) => assert_eq!(back, value, "{text}"),
        Err(e) => panic!("cannot read what was written: {e}\n{text}"),
    }
}

fuzz_target!(|data: &[u8]| {
    // Small limits too, so the fuzzer reaches them.
    let limits = match data.first() {
        Some(b) if b % 4 == 0 => Limits {
            max_depth: usize::from(b % 16),
            max_bytes: 4096,
        },
        _ => Limits::default(),
    };
    round_trip::<SessionInfo>(data, limits);
    round_trip::<ListResponse<SessionInfo>>(data, limits);
    round_trip::<GetActiveSessionsResponse>(data, limits);
    round_trip::<NewSession>(data, limits);
    round_trip::<ErrorResponse>(data, limits);
    round_trip::<Vec<HashMap<String, Option<Vec<i64>>>>>(data, limits);
    // An `object` keeps what it can, not always its exact shape: it must only not panic.
    let _ = xml::from_slice_with::<serde_json::Value>(data, limits);
});
