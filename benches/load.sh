#!/usr/bin/env bash
# Requests per second of the generated router against hand-written axum handlers, driven by
# wrk from a second process (issue 15 §2; results in BENCHMARKS.md). Not a test: it times.
#
#   benches/load.sh [SECONDS] [--auth] [--rounds N] [--callgrind] [--service] [--against BIN] [--mimalloc]
#
# Starts both servers (examples/loopback_server.rs, release) on loopback and runs wrk (1 thread,
# 32 connections, --latency) against each route of each server in turn, alternating servers
# for every route so load from other processes falls on both, and which server goes first
# every round (3 rounds unless --rounds says otherwise). Where there are two CPUs or more, wrk
# runs on the first and the servers on the last (taskset), so that the server under test and
# wrk do not take turns on one core. Each run prints wrk's requests/s and p99, the server's CPU
# time per request (user + system, from /proc) and its RSS (VmRSS); the summary gives, per
# route, the median over rounds of generated / hand-written for each. Needs wrk
# (`apt-get install wrk`).
#
# --callgrind runs both servers under valgrind's callgrind instead (with its cache simulation)
# and counts, per request, the instructions each executes in user space (hyper, axum, the
# router or the handlers, serde, the allocator) and its first-level cache misses (instruction
# reads, data reads and writes) while wrk drives it for SECONDS: ratios that do not move with
# the machine's load, to compare changes with. Needs valgrind. Requests/s under callgrind mean
# nothing, and the kernel's share (the sockets) is not counted.
#
# --service also serves the generated router without an axum router around it
# (`ServiceRouter::into_service`), as a third server in the same run; the summary adds
# service / hand-written and service / generated.
#
# --mimalloc builds the servers with mimalloc as their allocator (both sides; the crate's
# `mimalloc` feature) instead of the system's. LOAD_BIN's binary is used as it was built.
#
# LOAD_BIN=path runs that loopback_server binary instead of building one (a copy kept from
# another commit, for a before/after comparison in one session).
#
# --against BIN also serves the generated router from BIN (a loopback_server built from another
# commit, or the same binary copied, as a null test) in the same run: the three servers take
# turns in every round (each round starts with a different one), and the summary adds BIN's
# generated / this one's hand-written and BIN / this generated. Two builds of the same router
# can differ by a few percent through code and heap layout alone (BENCHMARKS.md §2), so a
# change is judged by its ratio in one such run, never by two separate runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds=10
auth=""
rounds=3
callgrind=""
against=""
service=""
features=()
while [ $# -gt 0 ]; do
  case "$1" in
    --auth) auth=--auth ;;
    --rounds) rounds="$2"; shift ;;
    --callgrind) callgrind=1 ;;
    --against) against="$2"; shift ;;
    --service) service=1 ;;
    --mimalloc) features=(--features mimalloc) ;;
    [0-9]*) seconds="$1" ;;
    *) echo "usage: benches/load.sh [SECONDS] [--auth] [--rounds N] [--callgrind] [--service] [--against BIN] [--mimalloc]" >&2; exit 2 ;;
  esac
  shift
done
cd "$root"
bin="${LOAD_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --quiet --release -p ssdto-benches --example loopback_server "${features[@]}"
  bin="$root/target/release/examples/loopback_server"
fi
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

# wrk on the first CPU, the servers on the last, when there are two or more.
cpus=$(nproc)
client=() server=()
if [ "$cpus" -ge 2 ] && command -v taskset > /dev/null; then
  client=(taskset -c 0) server=(taskset -c "$((cpus - 1))")
fi
under=()
if [ -n "$callgrind" ]; then
  rm -f "$work"/cg-*.out*
  under=(valgrind --tool=callgrind --instr-atstart=no --cache-sim=yes)
fi

declare -A base pid input
stop() {
  # Closing a server's standard input stops it (and callgrind with it).
  for side in "${!input[@]}"; do eval "exec ${input[$side]}>&-"; done
  wait
}
trap stop EXIT
sides=(generated handwritten)
[ -n "$service" ] && sides+=(service)
[ -n "$against" ] && sides+=(against)
for side in "${sides[@]}"; do
  rm -f "$work/in-$side"; mkfifo "$work/in-$side"
  out=()
  [ -n "$callgrind" ] && out=(--callgrind-out-file="$work/cg-$side.out")
  # `exec` keeps the server's own pid in $! (valgrind's wrapper execs too).
  side_bin="$bin" mode="$side"
  [ "$side" = against ] && side_bin="$against" mode=generated
  "${server[@]}" "${under[@]}" "${out[@]}" "$side_bin" "$mode" $auth < "$work/in-$side" > "$work/out-$side" 2> "$work/err-$side" &
  pid[$side]=$!
  exec {fd}> "$work/in-$side"
  input[$side]=$fd
  until grep -q '^listening on ' "$work/out-$side"; do sleep 0.1; done
  line=$(head -n1 "$work/out-$side")
  base[$side]="${line#listening on }"
done

rss() { awk '/VmRSS/ {print $2 " KiB"}' "/proc/$1/status" 2>/dev/null || echo "?"; }
# The process's user + system CPU time, in clock ticks.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
# Instructions and first-level cache misses since the last zeroing, from the newest dump of
# `side`'s callgrind (events: Ir Dr Dw I1mr D1mr D1mw ...).
counts() {
  local newest
  newest=$(ls -t "$work/cg-$1.out."* | head -n1)
  awk '/^totals:/ {print $2, $5 + $6 + $7; exit}' "$newest"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); auth: ${auth:-off}; ${seconds}s per run; $rounds rounds; ${client[*]:-unpinned} wrk, ${server[*]:-unpinned} servers${callgrind:+; under callgrind}${features[*]:+; mimalloc}"
if [ -n "$callgrind" ]; then
  printf '| route | server | requests | instructions/request | L1 misses/request |\n| --- | --- | ---: | ---: | ---: |\n'
else
  printf '| route | server | requests/s | p99 | CPU µs/request | RSS after |\n| --- | --- | ---: | ---: | ---: | ---: |\n'
fi
results="$work/results"
: > "$results"
routes=("GET /api/GetSession?sessionId=s1" "GET /api/ListSessions?page=0&countPerPage=30" "POST /api/NewSession")
for round in $(seq "$rounds"); do
  # Each round starts with the next server.
  order=()
  for i in "${!sides[@]}"; do order+=("${sides[$(( (i + round - 1) % ${#sides[@]} ))]}"); done
  for route in "${routes[@]}"; do
    verb="${route%% *}"; path="${route#* }"
    script="$work/get.lua"; [ "$verb" = POST ] && script="$work/post.lua"
    for side in "${order[@]}"; do
      p=${pid[$side]}
      if [ -n "$callgrind" ]; then
        # A second of warm-up, then count only the measured run.
        "${client[@]}" wrk -t1 -c32 -d1s -s "$script" "${base[$side]}$path" > /dev/null
        callgrind_control -z "$p" > /dev/null 2>&1
        callgrind_control -i on "$p" > /dev/null 2>&1
      fi
      before=$(ticks "$p")
      out=$("${client[@]}" wrk -t1 -c32 -d"${seconds}s" --latency -s "$script" "${base[$side]}$path")
      after=$(ticks "$p")
      requests=$(awk '/requests in/ {print $1}' <<<"$out")
      non2xx=$(awk '/Non-2xx/ {print $4}' <<<"$out")
      if [ -n "$callgrind" ]; then
        callgrind_control -i off "$p" > /dev/null 2>&1
        callgrind_control -d "$p" > /dev/null 2>&1
        read -r ir misses < <(counts "$side")
        printf '| %s (round %s) | %s | %s | %s | %s |%s\n' "$route" "$round" "$side" "$requests" "$((ir / requests))" "$((misses / requests))" "${non2xx:+ non-2xx: $non2xx}"
        echo "$route|$round|$side|$((ir / requests))|$((misses / requests))|" >> "$results"
      else
        rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
        p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
        cpu=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN {printf "%.2f", t * 1e6 / hz / n}')
        printf '| %s (round %s) | %s | %s | %s | %s | %s |%s\n' "$route" "$round" "$side" "$rps" "$p99" "$cpu" "$(rss "$p")" "${non2xx:+ non-2xx: $non2xx}"
        # p99 in µs, whatever unit wrk printed it in.
        p99us=$(awk -v v="$p99" 'BEGIN {n = v + 0; if (v ~ /ms$/) n *= 1000; else if (v ~ /[0-9]s$/) n *= 1e6; print n}')
        echo "$route|$round|$side|$rps|$p99us|$cpu" >> "$results"
      fi
    done
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# Per route: generated / hand-written of each figure in each round, and the median over rounds
# (with --service or --against, also that server / hand-written and that server / generated).
echo
if [ -n "$callgrind" ]; then
  printf '| route | instructions/request: median (per round) | L1 misses/request |\n| --- | --- | --- |\n'
else
  printf '| route | requests/s: median (per round) | p99 | CPU per request |\n| --- | --- | --- | --- |\n'
fi
awk -F'|' -v callgrind="$callgrind" -v extra="${sides[*]:2}" '
  { key = $1 SUBSEP $2; v[key, $3, 1] = $4; v[key, $3, 2] = $5; v[key, $3, 3] = $6
    if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
    if ($2 > rounds) rounds = $2 }
  function summary(route, f, a, b,    r, k, ratios, i, j, t, text) {
    k = 0; text = ""
    for (r = 1; r <= rounds; r++) {
      ratios[++k] = v[route SUBSEP r, a, f] / v[route SUBSEP r, b, f]
      text = text (r > 1 ? ", " : "") sprintf("%.2fx", ratios[k])
    }
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (ratios[j] < ratios[i]) { t = ratios[i]; ratios[i] = ratios[j]; ratios[j] = t }
    return sprintf("%.2fx (%s)", k % 2 ? ratios[(k + 1) / 2] : (ratios[k / 2] + ratios[k / 2 + 1]) / 2, text)
  }
  function row(label, route, a, b) {
    if (callgrind) printf "| %s | %s | %s |\n", label, summary(route, 1, a, b), summary(route, 2, a, b)
    else printf "| %s | %s | %s | %s |\n", label, summary(route, 1, a, b), summary(route, 2, a, b), summary(route, 3, a, b)
  }
  END {
    for (i = 1; i <= n; i++) {
      row(order[i], order[i], "generated", "handwritten")
      m = split(extra, others, " ")
      for (j = 1; j <= m; j++) {
        row(order[i] " (" others[j] " / hand-written)", order[i], others[j], "handwritten")
        row(order[i] " (" others[j] " / generated)", order[i], others[j], "generated")
      }
    }
  }' "$results"
