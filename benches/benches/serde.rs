//! Serde of the generated types against hand-written ones (`cargo bench -p ssdto-benches
//! --bench serde`; issue 15 §5): a `ListResponse<SessionInfo>` of 10 000 fully populated
//! sessions (20 MB of JSON, `generated/benches/support/payload.rs`) read and written with
//! serde_json by the generated types (`ssdto_generated::evovoice_sessions`), by hand-written
//! plain structs and by the same types in ServiceStack's Rust style (both in
//! `generated/benches/support/`).
//!
//! The sides alternate in blocks within one run (`ssdto_benches::stats::paired`), so load from
//! other processes falls on both alike; the divan bench of the same payload
//! (`cargo bench -p ssdto-generated --bench serde`) runs each set after the other, and there
//! the load falls unevenly. Printed as ratios of generated to the other set: median, p99,
//! allocations and bytes allocated per call (each call reads or writes the whole payload).
//!
//! Wall time on a loaded machine scatters; instructions do not. `SSDTO_BENCH_READ_ONCE=<set>`
//! (`generated`, `plain` or `servicestack`) reads the payload once with that set inside
//! `read_once`, for an instruction count of that call alone:
//! `valgrind --tool=callgrind --toggle-collect='*read_once*' target/release/deps/serde-<hash>`.

#[path = "../../generated/benches/support/derived_enums.rs"]
mod derived_enums;
#[path = "../../generated/benches/support/payload.rs"]
mod payload;
#[path = "../../generated/benches/support/plain.rs"]
mod plain;
#[path = "../../generated/benches/support/servicestack_style.rs"]
mod servicestack_style;

use ssdto_benches::alloc::Counting;
use ssdto_benches::stats::{self, paired};
use ssdto_generated::evovoice_sessions as generated;

#[global_allocator]
static ALLOC: Counting = Counting;

/// 100 rounds of one call: the sides alternate call by call (each call is long, 40 ms or more),
/// 100 calls per side and row, about 5 s per side on an idle machine.
const ROUNDS: usize = 100;
const BLOCK: usize = 1;

type Generated = generated::ListResponse<generated::SessionInfo>;
type Plain = plain::ListResponse<plain::SessionInfo>;
type ServiceStack = servicestack_style::ListResponse<servicestack_style::SessionInfo>;

fn read<T: serde::de::DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).expect("every set reads the payload")
}

fn write<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("every set writes its value")
}

/// One read, not inlined, so callgrind can count its instructions alone.
#[inline(never)]
fn read_once<T: serde::de::DeserializeOwned>(json: &str) -> T {
    read(json)
}

/// Prints one row: `candidate` against `baseline`, paired.
fn compare<T, U>(name: &str, candidate: impl FnMut() -> T, baseline: impl FnMut() -> U) {
    let (mut a, mut b) = paired(ROUNDS, BLOCK, candidate, baseline);
    println!("{}", stats::row(name, &mut a, &mut b));
}

fn main() {
    let json = payload::payload();
    if let Some(set) = std::env::var_os("SSDTO_BENCH_READ_ONCE") {
        match set.to_str() {
            Some("generated") => drop(read_once::<Generated>(&json)),
            Some("plain") => drop(read_once::<Plain>(&json)),
            Some("servicestack") => drop(read_once::<ServiceStack>(&json)),
            _ => eprintln!("SSDTO_BENCH_READ_ONCE: generated, plain or servicestack"),
        }
        return;
    }
    let (ours, plain, theirs) = (
        read::<Generated>(&json),
        read::<Plain>(&json),
        read::<ServiceStack>(&json),
    );
    println!(
        "generated / hand-written, {} sessions ({} bytes of JSON), one run",
        payload::SESSIONS,
        json.len()
    );
    println!("load average before: {}", stats::load());
    println!("{}", stats::HEADER);
    compare(
        "deserialize, / plain",
        || read::<Generated>(&json),
        || read::<Plain>(&json),
    );
    compare(
        "deserialize, / ServiceStack style",
        || read::<Generated>(&json),
        || read::<ServiceStack>(&json),
    );
    compare("serialize, / plain", || write(&ours), || write(&plain));
    compare(
        "serialize, / ServiceStack style",
        || write(&ours),
        || write(&theirs),
    );
    // The noise floor: plain against itself, paired the same way.
    compare(
        "deserialize, plain / plain",
        || read::<Plain>(&json),
        || read::<Plain>(&json),
    );
    println!("load average after: {}", stats::load());
}
