#!/usr/bin/env bash
# Wall time and peak memory (max RSS) of the release `ssdto` binary on the Evo Voice contract, the
# real fixtures and seeded synthetic contracts of 1k, 10k and 50k types (BENCHMARKS.md).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/target/generation-cost"
mkdir -p "$out"
cargo build --quiet --release -p ssdto-gen --bin ssdto --example synthetic
bin="$root/target/release/ssdto"
run() {
    /usr/bin/time -f "$1: %e s, max RSS %M KiB" "$bin" generate "$2" -o "$out/out.rs"
}
run "evovoice (embedded)" "$root/contracts/evovoice/sessions.json"
for f in "$root"/contracts/real/*.json; do run "$(basename "$f")" "$f"; done
for n in 1000 10000 50000; do
    "$root/target/release/examples/synthetic" "$n" 42 > "$out/synthetic-$n.json"
    run "synthetic $n types" "$out/synthetic-$n.json"
done
