#!/usr/bin/env bash
# Build cost of generated code (BENCHMARKS.md): `cargo check` of a crate holding only the largest
# fixture's generated module, timed by hyperfine after touching it, so only that crate recompiles.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/target/build-cost"
fixture="${1:-$root/generated/src/fixtures/blazor_gallery_6_61.rs}"
mkdir -p "$work/src"
cat > "$work/Cargo.toml" <<TOML
[package]
name = "build-cost"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
ssdto = { path = "$root/runtime" }
serde = { version = "1", features = ["derive"] }
serde_json = "1"

[workspace]
TOML
printf '#[path = "%s"]\npub mod api;\n' "$fixture" > "$work/src/lib.rs"
echo "$(wc -l < "$fixture") lines: $fixture"
cd "$work"
cargo check --quiet
hyperfine --warmup 1 --runs "${RUNS:-5}" --prepare 'touch src/lib.rs' 'cargo check --quiet' 'cargo build --quiet'
