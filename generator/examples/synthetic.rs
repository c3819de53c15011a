//! Writes a seeded synthetic contract to stdout, to time or profile the `ssdto` binary on it
//! (`cargo run -p ssdto-gen --example synthetic -- 10000 42 > /tmp/10k.json`).

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let types = args.next().and_then(|a| a.parse().ok());
    let seed = args.next().map_or(Some(42), |a| a.parse().ok());
    let (Some(types), Some(seed)) = (types, seed) else {
        eprintln!("usage: synthetic TYPES [SEED]");
        return ExitCode::FAILURE;
    };
    println!("{}", synthetic::contract(types, seed));
    ExitCode::SUCCESS
}
