//! One side of the load comparison (`benches/load.sh`), as its own process:
//!
//! ```text
//! cargo run --release -p ssdto-benches --example loopback_server -- generated|handwritten [--auth]
//! ```
//!
//! Serves ListSessions, GetSession and NewSession on `/api/{Name}` from the same [`Store`] as
//! the in-process bench, on a free loopback port; prints `listening on http://ADDR` and exits
//! when its standard input closes.

use std::io::{Read as _, Write as _};

use ssdto_benches::{handwritten, ours, Store};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let auth = args.iter().any(|a| a == "--auth");
    let router = match args.first().map(String::as_str) {
        Some("generated") => ours::generated(Store::new(), auth),
        Some("handwritten") => handwritten::router(Store::new(), auth),
        _ => {
            eprintln!("usage: loopback_server generated|handwritten [--auth]");
            std::process::exit(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("a loopback port");
    let address = listener.local_addr().expect("an address");
    println!("listening on http://{address}");
    let _ = std::io::stdout().flush();
    runtime.spawn(async move { axum::serve(listener, router).await });
    // Until the harness closes our standard input.
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    runtime.shutdown_background();
}
