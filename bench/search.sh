#!/usr/bin/env bash
# The search benchmark, every figure in one run on one machine:
#   1. `cargo bench --bench search`: synthetic data (100k postings + 100k graduates by
#      default), full reindex docs/s, in-process top-10 latency over fixed Chinese and
#      English queries against SQLite FTS5 (trigram) on the same rows, hit counts against
#      the true substring counts, index and FTS5 sizes;
#   2. the release server on that database and index, under wrk at 16 connections with
#      every request a search nobody asked before (so the page cache cannot answer):
#      - listing search, `bench/search_postings.lua` (one of 20 common words, a random
#        salary floor, random page/sort/filters, facets on some first pages);
#      - graduate search as a coordinator, `bench/search_graduates.lua` (bearer token);
#      req/s, p50, p99, and the server's resident memory (now and at its peak).
#
#   bench/search.sh [seconds]          (HTTP load per search kind, default 10 s; needs wrk)
#   XIAOQI_BENCH_POSTINGS=… XIAOQI_BENCH_GRADUATES=… bench/search.sh
#   XIAOQI_BENCH_SKIP_BUILD=1 bench/search.sh     (reuse the data and index of the last run)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/xiaoqi-target}"
export XIAOQI_BENCH_DIR="${XIAOQI_BENCH_DIR:-$CARGO_TARGET_DIR/bench-search}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

if [ -z "${XIAOQI_BENCH_SKIP_BUILD:-}" ]; then
  cargo bench --locked --bench search
fi
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

rss() { awk '/VmRSS|VmHWM/ { printf "%s %d MB  ", $1, $2 / 1024 }' "/proc/$server/status"; echo; }

# One wrk run: its throughput and latency percentiles as a table row.
load() {
  local name=$1 script=$2 out
  out=$(XIAOQI_BENCH_TOKEN="$token" wrk -t2 -c16 -d"${duration}s" --latency -s "$script" "http://127.0.0.1:$port")
  echo "$out" >"$XIAOQI_BENCH_DIR/wrk-$name.txt"
  local rps p50 p99 errors
  rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  p50=$(echo "$out" | awk '$1 == "50%" { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
  errors=$(echo "$out" | awk '/Non-2xx/ { print $NF }')
  echo "| $name | $rps | $p50 | $p99 | ${errors:-0} |"
}

postings=$(curl -s "http://127.0.0.1:$port/api/v1/postings?per_page=1" | sed -E 's/.*"total":([0-9]+).*/\1/')
echo
echo "## HTTP, distinct searches: 16 connections, 2 wrk threads, ${duration}s each ($postings open postings)"
echo
echo "server memory at start: $(rss)"
echo
echo "| search | req/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|"
load "postings (anonymous)" bench/search_postings.lua
load "graduates (coordinator)" bench/search_graduates.lua
echo
echo "server memory after the load: $(rss)"
