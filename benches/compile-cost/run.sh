#!/usr/bin/env bash
# Compile cost of generated code, per type, against the same types in ServiceStack's Rust
# generator style (issue 15 §4; results in BENCHMARKS.md). Not a test: it times builds.
#
#   [WARMUP=1] benches/compile-cost/run.sh [RUNS]
#
# For the synthetic 1k-type contract (seed 42) and the largest real contract
# (contracts/real/blazor-gallery-6.61.app.json) it writes two crates each under
# target/compile-cost/: `ours-*` holds `ssdto generate`'s output with default options, `ss-*`
# the same contract written by servicestack_style.py (flattened bases, all-Option fields,
# #[repr(i32)] enums). Dependencies are built once first; then hyperfine times `cargo check`
# and `cargo build` (debug) of each crate after touching its source, all in one run, so the
# ratios between rows share the machine's load. Needs hyperfine (`apt-get install hyperfine`).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$root/target/compile-cost"
runs="${1:-5}"
warmup="${WARMUP:-1}"
mkdir -p "$work"
cd "$root"
cargo build --quiet --release -p ssdto-gen --bin ssdto --example synthetic
gen="$root/target/release/ssdto"
"$root/target/release/examples/synthetic" 1000 42 > "$work/synthetic-1k.json"
cp contracts/real/blazor-gallery-6.61.app.json "$work/blazor.json"

members=()
for input in synthetic-1k blazor; do
  for side in ours ss; do
    crate="$work/$side-$input"
    mkdir -p "$crate/src"
    if [ "$side" = ours ]; then
      "$gen" generate "$work/$input.json" -o "$crate/src/lib.rs" 2>/dev/null
    else
      python3 "$root/benches/compile-cost/servicestack_style.py" "$work/$input.json" > "$crate/src/lib.rs"
    fi
    cat > "$crate/Cargo.toml" <<TOML
[package]
name = "$side-$input"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
ssdto = { path = "$root/runtime" }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
TOML
    members+=("\"$side-$input\"")
  done
done
(IFS=,; printf '[workspace]\nresolver = "2"\nmembers = [%s]\n' "${members[*]}") > "$work/Cargo.toml"
cp "$root/Cargo.lock" "$work/Cargo.lock"

cd "$work"
export CARGO_TARGET_DIR="$root/target"
for crate in ours-synthetic-1k ss-synthetic-1k ours-blazor ss-blazor; do
  types=$(grep -cE '^pub (struct|enum|type) ' "$crate/src/lib.rs" || true)
  echo "$crate: $(wc -l < "$crate/src/lib.rs") lines, $types types"
  cargo build --quiet -p "$crate" 2>/dev/null || cargo build -p "$crate"
done
uptime
commands=()
for crate in ours-synthetic-1k ss-synthetic-1k ours-blazor ss-blazor; do
  commands+=("cargo check --quiet -p $crate" "cargo build --quiet -p $crate")
done
hyperfine --warmup "$warmup" --runs "$runs" --prepare 'touch */src/lib.rs' --export-markdown "$work/results.md" "${commands[@]}"
uptime
