#!/usr/bin/env bash
# The search benchmark, in one run on one machine:
#   1. `cargo bench --bench search`: synthetic data (100k postings + 100k graduates by
#      default), full reindex docs/s, in-process top-10 latency over fixed Chinese and
#      English queries against SQLite FTS5 (trigram) on the same rows, hit counts against
#      the true substring counts, index and FTS5 sizes;
#   2. the release server on that database and index: HTTP throughput and latency of
#      GET /api/v1/postings?q=… at 16 connections (wrk, queries rotating), and the
#      server's resident memory.
#
#   bench/search.sh [seconds]         (default 20 s of HTTP load; needs wrk)
#   XIAOQI_BENCH_POSTINGS=… XIAOQI_BENCH_GRADUATES=… bench/search.sh
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-20}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/xiaoqi-target}"
export XIAOQI_BENCH_DIR="${XIAOQI_BENCH_DIR:-$CARGO_TARGET_DIR/bench-search}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

cargo bench --locked --bench search
cargo build --release --locked -q
bin="$CARGO_TARGET_DIR/release/xiaoqi"

port=18083
DATABASE_URL="sqlite://$XIAOQI_BENCH_DIR/xiaoqi.db" XIAOQI_LISTEN="127.0.0.1:$port" \
  XIAOQI_INDEX_DIR="$XIAOQI_BENCH_DIR/index" XIAOQI_MAIL=stdout XIAOQI_SEARCH_RATE=off RUST_LOG=warn "$bin" serve >"$XIAOQI_BENCH_DIR/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$port/readyz" >/dev/null

cat >"$XIAOQI_BENCH_DIR/queries.lua" <<'LUA'
local queries = {"操作工", "数控", "电工证", "仓管", "电子信息", "焊工", "宿舍", "技术员", "质检", "叉车",
  "工程师", "肇庆新区", "机电一体化", "设备维修", "五险一金", "两班倒", "物流", "半导体", "缝纫", "电镀",
  "SMT", "PLC", "CNC", "ERP", "SMT 操作工"}
local function encode(s)
  return (s:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/postings?q=" .. encode(queries[(i % #queries) + 1]))
end
LUA
echo
echo "## HTTP: GET /api/v1/postings?q=… (25 queries rotating, 10 hits, facets and snippets), 16 connections, ${duration}s"
echo "(pages are cached per index generation: after the first round these are cache hits;"
echo " the uncached cost of each query is the in-process figure above plus facets and snippets)"
wrk -t2 -c16 -d"${duration}s" --latency -s "$XIAOQI_BENCH_DIR/queries.lua" "http://127.0.0.1:$port" \
  | grep -E "Latency|50%|99%|Requests/sec|requests in|Non-2xx"
echo
echo "## Server memory ($(curl -s "http://127.0.0.1:$port/api/v1/postings?per_page=1" | sed -E 's/.*"total":([0-9]+).*/\1/') open postings searchable)"
grep -E "VmRSS|VmHWM" "/proc/$server/status"
