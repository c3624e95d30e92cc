#!/usr/bin/env bash
# End-to-end matching round through the API on `xiaoqi demo --postings P --graduates G`
# (default 10 000 / 100 000), by phase, on SQLite and then PostgreSQL.
#
#   bench/round.sh [postings] [graduates]      (PostgreSQL: XIAOQI_BENCH_POSTGRES_URL, or
#                                               postgres://postgres@127.0.0.1:5432/postgres;
#                                               set XIAOQI_BENCH_BACKENDS=sqlite to skip it;
#                                               XIAOQI_BENCH_ROUND='{"name":"b","seed":1,…}' sets
#                                               the round's settings;
#                                               XIAOQI_BENCH_PLACEMENT="10 20 50" then runs
#                                               bench/placement.py: fill rate, own-choice share,
#                                               supplementary placements, moves and time for
#                                               each candidates_per_graduate, pass off and on)
#
# Prints the progress the API reports while the round runs (phase and percent, every
# half second), the wall time from `POST /rounds/{id}/run` to `status: done`, and the
# round's own per-phase timings (`stats.timings_ms`).
set -euo pipefail
cd "$(dirname "$0")/.."
postings="${1:-10000}"
graduates="${2:-100000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/xiaoqi-target}"
cargo build --release --locked -q
bin="$CARGO_TARGET_DIR/release/xiaoqi"
work=$(mktemp -d)
pg_admin="${XIAOQI_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_db="xiaoqi_round_bench_$$"
backends="${XIAOQI_BENCH_BACKENDS:-sqlite postgres}"
round_settings="${XIAOQI_BENCH_ROUND:-}"
[ -n "$round_settings" ] || round_settings='{"name":"bench","seed":1}'
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {'d': d}))" "$1"; }

run_one() {
  local name=$1 url=$2 port=$3
  local base="http://127.0.0.1:$port/api/v1"
  export DATABASE_URL="$url" XIAOQI_INDEX_DIR="$work/index-$name" XIAOQI_MAIL="file:$work/mail" RUST_LOG=warn
  echo "== $name: demo data, $postings postings and $graduates graduates"
  /usr/bin/time -f "   demo load: %e s, peak RSS %M KB" "$bin" demo --postings "$postings" --graduates "$graduates" --seed 4 | tail -1
  echo 'round-bench-password' | "$bin" user add --email bench@xiaoqi.bench --role coordinator --password-stdin >/dev/null
  XIAOQI_LISTEN="127.0.0.1:$port" "$bin" serve >"$work/$name.log" 2>&1 &
  server=$!
  local t0=$SECONDS
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.5; [ $((SECONDS - t0)) -lt 600 ] || exit 1; done
  echo "   server ready (search index built) after $((SECONDS - t0)) s"
  local token round
  token=$(curl -sf "$base/auth/token" -H 'content-type: application/json' \
    -d '{"email":"bench@xiaoqi.bench","password":"round-bench-password"}' | json "d['token']")
  round=$(curl -sf "$base/rounds" -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d "$round_settings" | json "d['id']")
  local start status
  start=$(date +%s.%N)
  curl -sf -X POST "$base/rounds/$round/run" -H "authorization: Bearer $token" >/dev/null
  while :; do
    body=$(curl -sf "$base/rounds/$round" -H "authorization: Bearer $token")
    status=$(echo "$body" | json "d['status']")
    if [ "$status" = running ]; then
      echo "   $(echo "$body" | json "'%s %s%%' % (d.get('progress', {}).get('phase'), d.get('progress', {}).get('percent'))")"
    else
      break
    fi
    sleep 0.5
  done
  local end
  end=$(date +%s.%N)
  echo "   status $status after $(python3 -c "print(round($end - $start, 2))") s (POST /run → done, polled every 0.5 s)"
  echo "$body" | json "'   phases (ms): %s' % d.get('stats', {}).get('timings_ms')"
  echo "$body" | json "'   graduates %(graduates)s, postings %(postings)s, seats %(seats)s, matched %(matched)s, fill rate %(fill_rate)s' % d['stats']"
  if [ -n "${XIAOQI_BENCH_PLACEMENT:-}" ]; then
    echo "   placement by candidates per graduate, supplementary pass off and on:"
    BASE="$base" EMAIL=bench@xiaoqi.bench PASSWORD=round-bench-password CANDIDATES="$XIAOQI_BENCH_PLACEMENT" \
      python3 bench/placement.py
  fi
  kill "$server"; wait "$server" 2>/dev/null || true; server=
}

for backend in $backends; do
  case $backend in
    sqlite) run_one sqlite "sqlite://$work/bench.db" 18091 ;;
    postgres)
      psql "$pg_admin" -qc "CREATE DATABASE $pg_db" >/dev/null
      run_one postgres "${pg_admin%/*}/$pg_db" 18092 ;;
  esac
done
