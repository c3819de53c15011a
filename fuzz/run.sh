#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 120) and prints each one's executions.
# A target with a dictionary (fuzz/<target>.dict) runs with it.
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). On a stable toolchain RUSTC_BOOTSTRAP=1 lets
# cargo-fuzz use the nightly flags it needs. Logs go to fuzz/logs/, corpora to fuzz/corpus/,
# and crash inputs to fuzz/artifacts/<target>/ (reproduce with `cargo fuzz run <target> <file>`).
set -euo pipefail

cd "$(dirname "$0")/.."
seconds="${1:-120}"
shift || true
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list)
fi
export RUSTC_BOOTSTRAP=1
# The runtime forbids unsafe code, so AddressSanitizer adds little but time; debug assertions
# (overflow checks) stay on, as cargo-fuzz builds with them by default.
sanitizer="${FUZZ_SANITIZER:-none}"
mkdir -p fuzz/logs
status=0
for target in "${targets[@]}"; do
    log="fuzz/logs/$target.log"
    echo "== $target ($seconds s)"
    # A target's dictionary, when it has one (fuzz/<target>.dict).
    dict=()
    if [ -f "fuzz/$target.dict" ]; then
        dict=("-dict=fuzz/$target.dict")
    fi
    if cargo fuzz run --sanitizer "$sanitizer" "$target" -- "${dict[@]}" \
        -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1; then
        result=ok
    else
        result=FAILED
        status=1
    fi
    execs=$(grep -aEo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1)
    echo "$target: $result, ${execs:-?} executions (log: $log)"
    if [ "$result" = FAILED ]; then
        grep -aE 'panicked|Test unit written|SUMMARY' "$log" | head -5 || true
    fi
done
exit "$status"
