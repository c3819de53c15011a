//! One side of the load comparison (`benches/load.sh`), as its own process:
//!
//! ```text
//! cargo run --release -p ssdto-benches --example loopback_server -- generated|service|handwritten [--auth]
//! ```
//!
//! Serves ListSessions, GetSession and NewSession on `/api/{Name}` from the same [`Store`] as
//! the in-process bench, on a free loopback port ([`Loopback`]: one runtime worker thread):
//! the generated router (`generated`: `into_router`, an axum router; `service`:
//! `into_service`) or the hand-written handlers. Prints `listening on http://ADDR` and exits
//! when its standard input closes.

use std::io::{Read as _, Write as _};

use ssdto_benches::{handwritten, ours, Loopback, Store};

/// Both sides' allocator, when built with `--features mimalloc`: with glibc's, where a small
/// answer's memory lands moves the ratio by one to two points (BENCHMARKS.md §2).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let auth = args.iter().any(|a| a == "--auth");
    let server = match args.first().map(String::as_str) {
        Some("generated") => Loopback::serve(ours::generated(Store::new(), auth)),
        Some("service") => Loopback::serve_service(ours::generated_service(Store::new(), auth)),
        Some("handwritten") => Loopback::serve(handwritten::router(Store::new(), auth)),
        _ => {
            eprintln!("usage: loopback_server generated|service|handwritten [--auth]");
            std::process::exit(2);
        }
    };
    println!("listening on {}", server.base);
    let _ = std::io::stdout().flush();
    // Until the harness closes our standard input.
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    drop(server);
}
