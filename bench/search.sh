#!/usr/bin/env bash
# The search benchmark: every figure of issue 14's search half in one run on one machine,
# printed as one table with the issue's targets beside them.
#   1. `cargo bench --bench search`: synthetic data (100k postings + 100k graduates by
#      default), full reindex docs/s, in-process top-10 latency over fixed Chinese and
#      English queries against SQLite FTS5 (trigram) on the same rows, hit counts against
#      the true substring counts, index and FTS5 sizes;
#   2. the release server on that database and index, under wrk (16 connections, 2 threads,
#      on the same machine), every request a search nobody asked before (so the page cache
#      cannot answer), each load with its req/s, p50, p99, non-2xx answers and the server's
#      resident memory after it and at its peak during it:
#      - the issue's own loads: `bench/search_issue.lua` (postings, anonymous: a term from
#        20 common words and a random salary floor, 1,000–900,000 as the issue's script drew
#        it: most pages empty) and `bench/search_graduates_issue.lua` (graduates as a
#        coordinator: a term from 20 common majors and skills, a random page size and now
#        and then a graduation year);
#      - the postings load again with floors where salaries are (3,000–9,000: most
#        searches match thousands of postings);
#      - richer mixes, beyond the issue: `bench/search_postings.lua` and
#        `bench/search_graduates.lua` (pages, sorts, filters, facets on some first pages).
#   The generators share their words and encoder in `bench/search_common.lua`.
#
#   bench/search.sh [seconds]          (HTTP load per generator, default 10 s; needs wrk)
#   XIAOQI_BENCH_POSTINGS=… XIAOQI_BENCH_GRADUATES=… bench/search.sh
#   XIAOQI_BENCH_SKIP_BUILD=1 bench/search.sh     (reuse the data and index of the last run,
#                                                  and the reindex figure it printed)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/xiaoqi-target}"
export XIAOQI_BENCH_DIR="${XIAOQI_BENCH_DIR:-$CARGO_TARGET_DIR/bench-search}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

if [ -z "${XIAOQI_BENCH_SKIP_BUILD:-}" ]; then
  # The bench starts its directory afresh: keep its report apart until it is done.
  report=$(mktemp)
  cargo bench --locked --bench search | tee "$report"
  mv "$report" "$XIAOQI_BENCH_DIR/cargo-bench.txt"
fi
# "| full reindex | 21000 docs/s (200000 docs, 9.5 s) |" → "21000 docs/s (200000 docs, 9.5 s)"
reindex=$(awk -F'|' '/\| full reindex \|/ { gsub(/^ +| +$/, "", $3); print $3 }' "$XIAOQI_BENCH_DIR/cargo-bench.txt" 2>/dev/null || true)
merged=$(awk -F'|' '/\| then its segments merged/ { gsub(/^ +| +$/, "", $3); print $3 }' "$XIAOQI_BENCH_DIR/cargo-bench.txt" 2>/dev/null || true)
cargo build --release --locked -q
bin="$CARGO_TARGET_DIR/release/xiaoqi"
export DATABASE_URL="sqlite://$XIAOQI_BENCH_DIR/xiaoqi.db" XIAOQI_INDEX_DIR="$XIAOQI_BENCH_DIR/index" \
  XIAOQI_MAIL=stdout RUST_LOG=warn
echo 'bench-password-2026' | "$bin" user add --email bench@xiaoqi.example --role coordinator --password-stdin \
  >/dev/null 2>&1 || true

port=18083 metrics=18086
XIAOQI_LISTEN="127.0.0.1:$port" XIAOQI_METRICS_LISTEN="127.0.0.1:$metrics" XIAOQI_SEARCH_RATE=off "$bin" serve \
  >"$XIAOQI_BENCH_DIR/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$port/readyz" >/dev/null
token=$(curl -s -H 'Content-Type: application/json' \
  -d '{"email":"bench@xiaoqi.example","password":"bench-password-2026"}' \
  "http://127.0.0.1:$port/api/v1/auth/token" | sed -E 's/.*"token":"([^"]+)".*/\1/')

# Resident memory in MB: now (VmRSS) and the peak since the last reset (VmHWM).
rss_now() { awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$server/status"; }
rss_peak() { awk '/^VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$server/status"; }
# Linux resets VmHWM to the current RSS on `5 > clear_refs`, so each load gets its own peak.
reset_peak() { echo 5 >"/proc/$server/clear_refs" 2>/dev/null || true; }
whole_peak=0

# wrk's latency ("850.00us", "12.34ms", "1.02s") in milliseconds.
in_ms() { awk -v t="$1" 'BEGIN { v = t + 0; if (t ~ /us$/) v /= 1000; else if (t ~ /[0-9]s$/ && t !~ /ms$/) v *= 1000; printf "%.2f", v }'; }
# "yes" when the load met the issue's targets: ≥ 2,500 req/s, p99 ≤ 25 ms, peak RSS ≤ 350 MB.
met() { awk -v r="$1" -v p="$2" -v m="$3" 'BEGIN { print (r >= 2500 && p <= 25 && m <= 350) ? "yes" : "no" }'; }

# One wrk run as a table row.
rows=()
load() {
  local name=$1 script=$2 issue=$3 floors=${4:-1000-900000} out
  reset_peak
  out=$(XIAOQI_BENCH_FLOOR_LOW="${floors%-*}" XIAOQI_BENCH_FLOOR_HIGH="${floors#*-}" XIAOQI_BENCH_TOKEN="$token" wrk -t2 -c16 -d"${duration}s" --latency -s "$script" "http://127.0.0.1:$port")
  echo "$out" >"$XIAOQI_BENCH_DIR/wrk-$(basename "$script" .lua)-$floors.txt"
  local rps p50 p99 errors after peak target
  rps=$(echo "$out" | awk '/Requests\/sec/ { printf "%.0f", $2 }')
  p50=$(in_ms "$(echo "$out" | awk '$1 == "50%" { print $2 }')")
  p99=$(in_ms "$(echo "$out" | awk '$1 == "99%" { print $2 }')")
  errors=$(echo "$out" | awk '/Non-2xx/ { print $NF }')
  after=$(rss_now) peak=$(rss_peak)
  [ "$peak" -gt "$whole_peak" ] && whole_peak=$peak
  if [ "$issue" = issue ]; then target="≥ 2,500 req/s, p99 ≤ 25 ms, ≤ 350 MB: $(met "$rps" "$p99" "$peak")"; else target="(beyond the issue's load)"; fi
  rows+=("| $name | \`$(basename "$script")\` | $rps | $p50 | $p99 | ${errors:-0} | $after | $peak | $target |")
  echo "${rows[-1]}" >&2
}

postings=$(curl -s "http://127.0.0.1:$port/api/v1/postings?per_page=1" | sed -E 's/.*"total":([0-9]+).*/\1/')
start_rss=$(rss_now)
echo "loading: ${duration}s per generator …" >&2
load "postings, anonymous" bench/search_issue.lua issue
load "graduates, coordinator" bench/search_graduates_issue.lua issue
load "postings, anonymous, floors 3,000–9,000" bench/search_issue.lua richer 3000-9000
load "postings, anonymous" bench/search_postings.lua richer
load "graduates, coordinator" bench/search_graduates.lua richer

echo
echo "## Issue 14, search: every figure of one run"
echo
echo "$postings open postings; the server's resident memory was $start_rss MB before the loads."
echo
echo "| measure | value | target |"
echo "|---|---|---|"
echo "| full reindex (searchable) | ${reindex:-?} | ≥ 20,000 docs/s |"
echo "| then segments merged (in the background; searches answer meanwhile) | ${merged:-?} | |"
echo
echo "HTTP, distinct searches: wrk 16 connections, 2 threads, ${duration}s each, on the server's machine;"
echo "latency in ms; memory in MB (after the load, and its peak during it)."
echo
echo "| search | generator | req/s | p50 | p99 | non-2xx | RSS after | RSS peak | issue's target, met |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "Peak resident memory over every load: $whole_peak MB (target ≤ 350 MB)."
