#!/usr/bin/env bash
# The outcome loop at demo scale, through the API: `xiaoqi demo --postings P --graduates G`
# (default 10 000 / 100 000), a round over everything, publishing (offers made), companies
# confirming and schools accepting, then the reports — on SQLite, then PostgreSQL.
#
#   bench/outcome_loop.sh [postings] [graduates] [companies answering]   (default 20)
#     PostgreSQL: XIAOQI_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres);
#     XIAOQI_BENCH_BACKENDS=sqlite to skip it.
#
# Prints: the round's run time and placements, publish time and offers made, answer
# throughput (each offer answered by its company, then by a coordinator for the graduate's
# school), and the fill report's totals before and after (placed, open shortage) with its
# response time; the destinations report's time.
set -euo pipefail
cd "$(dirname "$0")/.."
postings="${1:-10000}"
graduates="${2:-100000}"
answering="${3:-20}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/xiaoqi-target}"
cargo build --release --locked -q
bin="$CARGO_TARGET_DIR/release/xiaoqi"
work=$(mktemp -d)
pg_admin="${XIAOQI_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_db="xiaoqi_loop_bench_$$"
backends="${XIAOQI_BENCH_BACKENDS:-sqlite postgres}"
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

run_one() {
  local name=$1 url=$2 port=$3
  export DATABASE_URL="$url" XIAOQI_INDEX_DIR="$work/index-$name" XIAOQI_MAIL="file:$work/mail-$name" RUST_LOG=warn
  echo "== $name: demo data, $postings postings and $graduates graduates"
  "$bin" demo --postings "$postings" --graduates "$graduates" --seed 4 | tail -1
  echo 'loop-bench-password' | "$bin" user add --email bench@xiaoqi.bench --role coordinator --password-stdin >/dev/null
  XIAOQI_LISTEN="127.0.0.1:$port" XIAOQI_METRICS_LISTEN="127.0.0.1:$((port + 100))" "$bin" serve >"$work/$name.log" 2>&1 &
  server=$!
  local t0=$SECONDS
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.5; [ $((SECONDS - t0)) -lt 600 ] || exit 1; done
  BASE="http://127.0.0.1:$port/api/v1" BIN="$bin" ANSWERING="$answering" python3 bench/outcome_loop.py
  kill "$server"; wait "$server" 2>/dev/null || true; server=
}

for backend in $backends; do
  case $backend in
    sqlite) run_one sqlite "sqlite://$work/bench.db" 18191 ;;
    postgres)
      psql "$pg_admin" -qc "CREATE DATABASE $pg_db" >/dev/null
      run_one postgres "${pg_admin%/*}/$pg_db" 18192 ;;
  esac
done
