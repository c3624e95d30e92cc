#!/usr/bin/env bash
# Latency (p50/p99) and throughput of GET /api/v1/postings/{id} at 16 connections, on
# SQLite and on PostgreSQL, one after the other in the same run on the same machine.
#
#   bench/get_posting.sh [seconds]        (default 20 s per backend; needs wrk and PostgreSQL)
#
# The server runs the release build with demo data; wrk runs on the same host.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-20}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/xiaoqi-target}"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
cargo build --release --locked -q
bin="$CARGO_TARGET_DIR/release/xiaoqi"
work=$(mktemp -d)
pg_admin="${XIAOQI_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_db="xiaoqi_bench_$$"
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

run_one() {
  local name=$1 url=$2 port=$3
  DATABASE_URL="$url" XIAOQI_LISTEN="127.0.0.1:$port" XIAOQI_INDEX_DIR="$work/index-$name" \
    XIAOQI_MAIL="file:$work/mail" RUST_LOG=warn "$bin" serve --demo >"$work/$name.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
  local id
  id=$(curl -sf "http://127.0.0.1:$port/api/v1/postings?per_page=1" | sed -E 's/.*"items":\[\{"id":([0-9]+).*/\1/')
  echo "== $name: GET /api/v1/postings/$id, 16 connections, ${duration}s"
  wrk -t2 -c16 -d"${duration}s" --latency "http://127.0.0.1:$port/api/v1/postings/$id" \
    | grep -E "Latency|50%|99%|Requests/sec|requests in|Non-2xx"
  kill "$server"; wait "$server" 2>/dev/null || true; server=
}

run_one sqlite "sqlite://$work/bench.db" 18081
psql "$pg_admin" -qc "CREATE DATABASE $pg_db" >/dev/null
run_one postgres "${pg_admin%/*}/$pg_db" 18082
