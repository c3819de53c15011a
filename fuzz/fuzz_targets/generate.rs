//! The generator on hostile contracts: any bytes, read as contract JSON, go through parse,
//! resolve and emit without a panic or a stack overflow, and whatever it accepts comes out as
//! Rust that `syn` parses.
//!
//! The last byte also picks the options (server trait, map, date and Guid types, a global
//! namespace), so the fuzzer explores them with the contract. Seed it with the real contracts:
//!
//! ```text
//! RUSTC_BOOTSTRAP=1 cargo fuzz run generate fuzz/corpus/generate contracts/evovoice \
//!     contracts/testdata -- -dict=fuzz/generate.dict -max_total_time=180
//! ```
#![no_main]

use libfuzzer_sys::fuzz_target;
use ssdto_gen::{DateType, GuidType, MapType, Options};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let flags = data.last().copied().unwrap_or(0);
    let mut options = Options::default()
        .with_server(flags & 1 != 0)
        .with_map_type(if flags & 2 != 0 {
            MapType::BTreeMap
        } else {
            MapType::HashMap
        })
        .with_date_type(match flags >> 2 & 3 {
            1 => DateType::Ssdto,
            2 => DateType::Chrono,
            _ => DateType::String,
        })
        .with_guid_type(match flags >> 4 & 3 {
            1 => GuidType::Ssdto,
            2 => GuidType::Uuid,
            _ => GuidType::String,
        })
        .with_descriptions(flags & 128 == 0);
    if flags & 64 != 0 {
        options = options.with_global_namespace("Fuzz.Api");
    }
    if let Ok(ssdto_gen::Generated { code, .. }) = ssdto_gen::generate(text, &options) {
        if let Err(e) = syn::parse_file(&code) {
            panic!("generated code does not parse: {e}\n--- contract\n{text}\n--- code\n{code}");
        }
    }
});
