#!/usr/bin/env bash
# Requests per second of the generated router against hand-written axum handlers, driven by
# wrk from a second process (issue 15 §2; results in BENCHMARKS.md). Not a test: it times.
#
#   benches/load.sh [SECONDS] [--auth]
#
# Starts both servers (examples/loopback_server.rs, release) on loopback and runs wrk (1 thread,
# 32 connections, --latency) against each route of each server in turn, alternating servers
# for every route so load from other processes falls on both, twice. Prints wrk's requests/s and
# p99 per run and the servers' RSS (VmRSS) after each run. Needs wrk (`apt-get install wrk`).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-10}"
auth="${2:-}"
cd "$root"
cargo build --quiet --release -p ssdto-benches --example loopback_server
bin="$root/target/release/examples/loopback_server"
work="$root/target/load"
mkdir -p "$work"
auth_header=""
if [ "$auth" = --auth ]; then auth_header='wrk.headers["Authorization"] = "Basic ZGVtbzpkZW1v"'; fi
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
$auth_header
wrk.body = '{"displayName":"String","channel":"Voice","toAddress":"String","startSession":false}'
LUA
cat > "$work/get.lua" <<LUA
wrk.headers["Accept"] = "application/json"
$auth_header
LUA

declare -A base pid input
stop() {
  # Closing a server's standard input stops it.
  for side in "${!input[@]}"; do eval "exec ${input[$side]}>&-"; done
  wait
}
trap stop EXIT
for side in generated handwritten; do
  rm -f "$work/in-$side"; mkfifo "$work/in-$side"
  "$bin" "$side" $auth < "$work/in-$side" > "$work/out-$side" &
  pid[$side]=$!
  exec {fd}> "$work/in-$side"
  input[$side]=$fd
  until grep -q '^listening on ' "$work/out-$side"; do sleep 0.1; done
  line=$(head -n1 "$work/out-$side")
  base[$side]="${line#listening on }"
done

rss() { awk '/VmRSS/ {print $2 " KiB"}' "/proc/$1/status" 2>/dev/null || echo "?"; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); auth: ${auth:-off}; ${seconds}s per run"
printf '| route | server | requests/s | p99 | RSS after |\n| --- | --- | ---: | ---: | ---: |\n'
for round in 1 2; do
  for route in "GET /api/GetSession?sessionId=s1" "GET /api/ListSessions?page=0&countPerPage=30" "POST /api/NewSession"; do
    verb="${route%% *}"; path="${route#* }"
    script="$work/get.lua"; [ "$verb" = POST ] && script="$work/post.lua"
    for side in generated handwritten; do
      out=$(wrk -t1 -c32 -d"${seconds}s" --latency -s "$script" "${base[$side]}$path")
      rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
      p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
      non2xx=$(awk '/Non-2xx/ {print $4}' <<<"$out")
      printf '| %s (round %s) | %s | %s | %s | %s |%s\n' "$route" "$round" "$side" "$rps" "$p99" "$(rss "${pid[$side]}")" "${non2xx:+ non-2xx: $non2xx}"
    done
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
