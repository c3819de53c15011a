#!/usr/bin/env bash
# The Evo Voice example server under load from a second process on loopback (BENCHMARKS.md,
# "Server under load").
#
#   scripts/load-test.sh [SECONDS]          (default 30 s per route)
#
# Builds `sessions_server` in release, starts it on a free loopback port, and runs wrk against
#   1. GET  /sessions/s1                               (GetSession)
#   2. GET  /api/ListSessions?page=0&countPerPage=10   (ListSessions)
#   3. POST /api/NewSession                            (scripts/load-test-new-session.lua)
# in that order: the read-only routes first, while the store holds only its seed, then the POST,
# which grows the in-memory store by design (about 1.7 KiB per session: unbounded, 30 s of POSTs
# would add gigabytes), so the POST rate is bounded by a pause per connection (POST_DELAY_MS).
# The read routes get a short warm-up before the measured run (the POST does not: the store's
# growth is the point there); the server's RSS (VmRSS in /proc/PID/status) is sampled every
# second throughout.
# Printed per route: requests/s, p50/p99 latency (wrk --latency), non-2xx responses, socket
# errors, and RSS at the start, the end and the maximum of the measured run. For the POST the
# store's session count before and after is printed too.
#
# Knobs (environment): CONNECTIONS (default 32), THREADS (wrk threads, default 1: the server
# gets the other core of a 2-core machine), WARMUP (seconds, default 5), POST_DELAY_MS (pause
# before each POST on a connection, default 10: at most ~3 200 POSTs/s with 32 connections; 0
# for no bound, with a short SECONDS only), VERBOSE (set: print wrk's own output too).
# Needs wrk (Debian/Ubuntu: `apt-get install wrk`; macOS: `brew install wrk`) and curl. Linux
# only, for /proc.
set -euo pipefail

duration="${1:-30}"
connections="${CONNECTIONS:-32}"
threads="${THREADS:-1}"
warmup="${WARMUP:-5}"
auth="Authorization: Basic ZGVtbzpkZW1v" # demo:demo, see generated/examples/sessions_server/app.rs

root="$(cd "$(dirname "$0")/.." && pwd)"
for tool in wrk curl; do
    if ! command -v "$tool" > /dev/null; then
        echo "error: $tool is not installed (Debian/Ubuntu: sudo apt-get install $tool; macOS: brew install $tool)" >&2
        exit 2
    fi
done
if [[ ! -r /proc/self/status ]]; then
    echo "error: RSS sampling needs Linux /proc" >&2
    exit 2
fi

cargo build --quiet --release -p ssdto-generated --example sessions_server
bin="$root/target/release/examples/sessions_server"

work="$(mktemp -d)"
server_pid=""
sampler_pid=""
cleanup() {
    [[ -n "$sampler_pid" ]] && kill "$sampler_pid" 2> /dev/null || true
    # Closing the server's stdin ends it; the kill is the fallback.
    exec 3>&- 2> /dev/null || true
    [[ -n "$server_pid" ]] && kill "$server_pid" 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The server exits when its standard input closes: feed it from a FIFO this shell holds open,
# so it cannot outlive the script however the script ends.
mkfifo "$work/stdin"
"$bin" --listen 127.0.0.1:0 < "$work/stdin" > "$work/server.out" 2> "$work/server.err" &
server_pid=$!
exec 3> "$work/stdin"

base=""
for _ in $(seq 1 100); do
    if line="$(grep -m1 '^listening on ' "$work/server.out" 2> /dev/null)"; then
        base="${line#listening on }"
        break
    fi
    if ! kill -0 "$server_pid" 2> /dev/null; then
        echo "error: the server exited:" >&2
        cat "$work/server.err" >&2
        exit 1
    fi
    sleep 0.1
done
if [[ -z "$base" ]]; then
    echo "error: the server did not report its address within 10 s" >&2
    exit 1
fi

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status"; }

# Appends "SECONDS_SINCE_START RSS_KIB" to $1 every second until killed.
start_sampler() {
    local out="$1"
    : > "$out"
    (
        local t=0
        while true; do
            echo "$t $(rss_kib)" >> "$out"
            sleep 1
            t=$((t + 1))
        done
    ) &
    sampler_pid=$!
}
stop_sampler() {
    kill "$sampler_pid" 2> /dev/null || true
    wait "$sampler_pid" 2> /dev/null || true
    sampler_pid=""
}

session_count() {
    curl -fsS -H "$auth" "$base/api/ListSessions?page=0&countPerPage=1" |
        sed -n 's/.*"totalCount":\([0-9]*\).*/\1/p'
}

# Prints the summary of one wrk output ($2) with the RSS samples ($3) of the measured run.
summarize() {
    local name="$1" out="$2" samples="$3"
    local rps p50 p99 non2xx socket total
    rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
    p50="$(awk '$1 == "50%" { print $2 }' "$out")"
    p99="$(awk '$1 == "99%" { print $2 }' "$out")"
    total="$(awk '/requests in/ { print $1 }' "$out")"
    non2xx="$(awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }' "$out")"
    socket="$(sed -n 's/^ *Socket errors: *//p' "$out")"
    local rss_start rss_end rss_max
    rss_start="$(awk 'NR == 1 { print $2 }' "$samples")"
    rss_end="$(awk 'END { print $2 }' "$samples")"
    rss_max="$(awk 'BEGIN { m = 0 } $2 > m { m = $2 } END { print m }' "$samples")"
    printf '%-34s %10s req/s  p50 %8s  p99 %8s  requests %9s  non-2xx %s  socket errors %s\n' \
        "$name" "$rps" "$p50" "$p99" "$total" "${non2xx:-0}" "${socket:-none}"
    printf '%-34s RSS start %s KiB, end %s KiB, max %s KiB (%s samples); every 10 s: %s\n' \
        "" "$rss_start" "$rss_end" "$rss_max" "$(wc -l < "$samples")" \
        "$(awk '$1 % 10 == 0 { printf "%s ", $2 }' "$samples")"
}

# run NAME PATH WARMUP [wrk options...]: warm-up (when WARMUP > 0), then the measured run with
# RSS sampling. Arguments for a wrk script go in the array script_args (wrk wants them last).
script_args=()
run() {
    local name="$1" path="$2" warm="$3"
    shift 3
    local slug="${name//[^A-Za-z]/}"
    if [[ "$warm" -gt 0 ]]; then
        wrk -t"$threads" -c"$connections" -d"${warm}s" "$@" "$base$path" ${script_args[@]+"${script_args[@]}"} > /dev/null
    fi
    start_sampler "$work/$slug.rss"
    wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$@" "$base$path" ${script_args[@]+"${script_args[@]}"} \
        > "$work/$slug.wrk"
    # One more sample after the run, so "end" is the state wrk left behind.
    echo "end $(rss_kib)" >> "$work/$slug.rss"
    stop_sampler
    summarize "$name" "$work/$slug.wrk" "$work/$slug.rss"
    if [[ -n "${VERBOSE:-}" ]]; then cat "$work/$slug.wrk"; fi
}

echo "server: $bin at $base (pid $server_pid), RSS idle $(rss_kib) KiB"
echo "wrk: $threads thread(s), $connections connections, ${warmup} s warm-up + ${duration} s per route, POST pause ${POST_DELAY_MS:-10} ms; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
run "GET /sessions/{id}" "/sessions/s1" "$warmup" -H "$auth"
run "GET /api/ListSessions (page of 10)" "/api/ListSessions?page=0&countPerPage=10" "$warmup" -H "$auth"
before="$(session_count)"
rss_before="$(rss_kib)"
script_args=(-- "${POST_DELAY_MS:-10}")
run "POST /api/NewSession" "/api/NewSession" 0 -s "$root/scripts/load-test-new-session.lua"
# RSS first: listing clones the matching sessions, which would add a transient copy of the store.
rss_after="$(rss_kib)"
after="$(session_count)"
echo "store: $before sessions before the POST phase, $after after; RSS $rss_before -> $rss_after KiB"
if [[ "$after" -gt "$before" ]]; then
    echo "store growth: $(((rss_after - rss_before) * 1024 / (after - before))) bytes of RSS per stored session"
fi
