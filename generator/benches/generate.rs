//! Generation speed: the Evo Voice contract, the real fixtures, and synthetic contracts of 1k,
//! 10k and 50k types (`cargo bench -p ssdto-gen --bench generate`). Target: 10k types under 1 s,
//! growing linearly.

#[path = "support/synthetic.rs"]
mod synthetic;

use ssdto_gen::{generate, Options};

fn main() {
    divan::main();
}

fn fixture(name: &str) -> String {
    let path = format!("{}/../contracts/real/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[divan::bench]
fn evovoice(bencher: divan::Bencher) {
    let options = Options::default();
    bencher.bench(|| generate(ssdto_gen::EVOVOICE_SESSIONS, &options).expect("generate"));
}

#[divan::bench(args = ["admin-ui.metadata.json", "blazor-gallery-6.61.app.json", "blazor-gallery-8.91.app.json"])]
fn fixtures(bencher: divan::Bencher, name: &str) {
    let text = fixture(name);
    let options = Options::default();
    bencher.bench(|| generate(&text, &options).expect("generate"));
}

#[divan::bench(args = [1_000, 10_000, 50_000], sample_count = 5, sample_size = 1)]
fn synthetic(bencher: divan::Bencher, types: usize) {
    let text = synthetic::contract(types, 42);
    let options = Options::default();
    bencher.bench(|| generate(&text, &options).expect("generate"));
}

/// The stages on their own for the 10k contract, to see which one dominates.
mod stages_10k {
    use super::*;

    #[divan::bench(sample_count = 5, sample_size = 1)]
    fn parse(bencher: divan::Bencher) {
        let text = synthetic::contract(10_000, 42);
        bencher.bench(|| ssdto_gen::stages::parse(&text).expect("parse"));
    }

    #[divan::bench(sample_count = 5, sample_size = 1)]
    fn resolve(bencher: divan::Bencher) {
        let text = synthetic::contract(10_000, 42);
        let contract = ssdto_gen::stages::parse(&text).expect("parse");
        let options = Options::default();
        bencher.bench(|| ssdto_gen::stages::resolve(&contract, &options).expect("resolve"));
    }
}
