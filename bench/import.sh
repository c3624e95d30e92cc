#!/usr/bin/env bash
# Roster import through the HTTP API: a generated roster of N graduates (default 50,000,
# every column filled: 学号, ID numbers with valid check characters, …) uploaded to
# POST /api/v1/graduates/import on the release build, on SQLite and then PostgreSQL.
#
#   bench/import.sh [N]       (PostgreSQL: XIAOQI_BENCH_POSTGRES_URL, default
#                              postgres://postgres@127.0.0.1:5432/postgres; skipped if it does not answer)
#
# For each backend, one server (run under GNU time -v) takes, in turn:
#   dry run (xlsx) · import (xlsx, N new) · the same file again (N unchanged) ·
#   the CSV (UTF-8 with BOM) into a second school (N new)
# and the script prints, for each, the wall time of the request (curl, end to end: upload,
# read, check, write, commit) and the server's peak RSS so far (VmHWM), then the time until
# the search index holds the first school's N graduates, and the server's peak RSS over the
# whole run (GNU time's "Maximum resident set size"). Targets: ≤ 10 s and ≤ 300 MB for
# 50,000 rows on 2 cores. Figures also go to ${XIAOQI_BENCH_DIR:-$CARGO_TARGET_DIR/bench-import}/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-50000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/xiaoqi-target}"
dir="${XIAOQI_BENCH_DIR:-$CARGO_TARGET_DIR/bench-import}"
pg_admin="${XIAOQI_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_db="xiaoqi_bench_import_$$"
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install time" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed (standard library only)" >&2; exit 1; }
mkdir -p "$dir"
work=$(mktemp -d)
results="$dir/results.md"

cargo build --release --locked -q --bin xiaoqi
bin="$CARGO_TARGET_DIR/release/xiaoqi"
python3 bench/roster_gen.py "$n" "$dir/roster-$n.xlsx"
python3 bench/roster_gen.py "$n" "$dir/roster-$n.csv" 2027

cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }
peak_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status"; }
rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status"; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

{
  echo "# Roster import benchmark: $n rows"
  echo
  echo "$(date -u +%FT%TZ) · $(nproc) cores · $(uname -r) · release build · ${n} rows ($(du -h "$dir/roster-$n.xlsx" | cut -f1) xlsx, $(du -h "$dir/roster-$n.csv" | cut -f1) csv)"
  echo
  echo "| backend | step | answer | seconds | server peak RSS so far (MB) | RSS after (MB) |"
  echo "|---|---|---|---|---|---|"
} | tee "$results"

run_one() {
  local name=$1 url=$2 port=$3
  local base="http://127.0.0.1:$port"
  DATABASE_URL="$url" "$bin" migrate >/dev/null
  echo 'bench-password-123' | DATABASE_URL="$url" "$bin" user add --email bench@xinqu.gov.cn --role coordinator --password-stdin >/dev/null
  DATABASE_URL="$url" XIAOQI_LISTEN="127.0.0.1:$port" XIAOQI_METRICS_LISTEN="127.0.0.1:0" \
    XIAOQI_INDEX_DIR="$work/index-$name" XIAOQI_MAIL="file:$work/mail" RUST_LOG=warn \
    /usr/bin/time -v -o "$work/$name.time" "$bin" serve >"$work/$name.log" 2>&1 &
  local timer=$!
  for _ in $(seq 1 100); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.2; done
  server=$(pgrep -P "$timer" xiaoqi)
  local token
  token=$(curl -sf "$base/api/v1/auth/token" -H 'content-type: application/json' \
    -d '{"email":"bench@xinqu.gov.cn","password":"bench-password-123"}' | field 'd["token"]')
  school() {
    curl -sf "$base/api/v1/organizations" -H "authorization: Bearer $token" -H 'content-type: application/json' \
      -d "{\"kind\":\"school\",\"name\":\"$1\",\"district\":\"端州区\"}" | field 'd["id"]'
  }
  local first second
  first=$(school "肇庆技师学院")
  second=$(school "肇庆工贸学校")
  echo "| $name | idle server | | | $(peak_mb) | $(rss_mb) |" | tee -a "$results"

  step() {
    local label=$1 file=$2 org=$3 query=$4 started answer
    started=$(now)
    answer=$(curl -s -w ' %{http_code}' "$base/api/v1/graduates/import?$query" -H "authorization: Bearer $token" \
      -F "file=@$file" -F "organization_id=$org")
    local seconds
    seconds=$(since "$started")
    local code=${answer##* } body=${answer% *}
    local summary
    summary=$(echo "$body" | field '"%s new, %s updated, %s unchanged, %s invalid" % (d["new"], d["updated"], d["unchanged"], d["invalid"])' 2>/dev/null || echo "$body" | head -c 200)
    echo "| $name | $label | $code: $summary | $seconds | $(peak_mb) | $(rss_mb) |" | tee -a "$results"
  }
  step "dry run (xlsx)" "$dir/roster-$n.xlsx" "$first" "dry_run=true"
  local imported
  imported=$(now)
  step "import (xlsx)" "$dir/roster-$n.xlsx" "$first" ""
  # The search index follows the change log; wait until it holds the first school's roster.
  local total=0
  for _ in $(seq 1 600); do
    total=$(curl -sf "$base/api/v1/graduates?organization_id=$first&per_page=1" -H "authorization: Bearer $token" | field 'd["total"]')
    [ "$total" -ge "$n" ] && break
    sleep 0.1
  done
  echo "| $name | searchable (from the import's start) | $total found | $(since "$imported") | $(peak_mb) | $(rss_mb) |" | tee -a "$results"
  step "same file again (xlsx)" "$dir/roster-$n.xlsx" "$first" ""
  step "import (csv, UTF-8 BOM)" "$dir/roster-$n.csv" "$second" ""
  sleep 2
  kill "$server"; wait "$timer" 2>/dev/null || true; server=
  local peak
  peak=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$work/$name.time")
  echo "| $name | whole run (GNU time) | | | $peak | |" | tee -a "$results"
}

run_one sqlite "sqlite://$work/bench.db" 18091
if psql "$pg_admin" -qc "CREATE DATABASE $pg_db" >/dev/null 2>&1; then
  run_one postgres "${pg_admin%/*}/$pg_db" 18092
else
  echo "PostgreSQL at $pg_admin does not answer: skipped" | tee -a "$results"
fi
echo
echo "Results in $results"
