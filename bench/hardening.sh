#!/usr/bin/env bash
# Hardening under load, faults and abuse (issue 13, "Measured"). Each part prints markdown
# tables that can go straight into a note, and a PASS/FAIL verdict line.
#
#   bench/hardening.sh load [seconds=60] [connections=64]   mix of searches, reads, writes and
#                                                            sign-ins on SQLite, then PostgreSQL;
#                                                            every acknowledged write read back
#   bench/hardening.sh pg-restart [seconds=60] [down=10]     PostgreSQL stopped for `down` s during
#                                                            the load: 503s while down, recovery ≤ 10 s
#   bench/hardening.sh kill [roster rows=20000]              kill -9 during a roster import, a round's
#                                                            save and a reindex, on both backends
#   bench/hardening.sh smtp [down=60]                        the SMTP server down under notices:
#                                                            each delivered exactly once after
#   bench/hardening.sh disk                                  the index directory's disk full
#   bench/hardening.sh abuse [n=200] [wrong passwords=1000]  deep pages / long queries; lockout
#   bench/hardening.sh all [seconds]                         everything above, in that order
#
# Quick validation: bench/hardening.sh load 10 16; bench/hardening.sh pg-restart 20 5;
# bench/hardening.sh kill 5000; bench/hardening.sh smtp 10; bench/hardening.sh abuse 20 100
#
# Needs: root (the private PostgreSQL cluster runs as the `postgres` OS user; `disk` mounts a
# tmpfs), PostgreSQL 15 binaries, python3 (standard library), curl, sqlite3.
#
# PostgreSQL: every part runs against a PRIVATE cluster this script creates (initdb, port
# XIAOQI_HARDENING_PG_PORT, default 5499) and removes, never the shared server on 5432 (the
# restart would break others' tests). `load` may use another server instead:
# XIAOQI_HARDENING_PG_ADMIN=postgres://postgres@127.0.0.1:5432/postgres (a database is
# created for the run and dropped after).
#
# Other knobs: XIAOQI_HARDENING_MIX (search=45,read=30,write=20,signin=5), XIAOQI_HARDENING_POSTINGS /
# _GRADUATES (extra synthetic rows beside the demo data: 0/0 for load, 3000/20000 for kill),
# XIAOQI_HARDENING_NO_BUILD=1 (use the binaries already built), XIAOQI_HARDENING_BACKENDS
# ("sqlite postgres"), XIAOQI_HARDENING_XFF=1 (abuse: send X-Forwarded-For, trust loopback).
set -euo pipefail
cd "$(dirname "$0")/.."
part="${1:-all}"
shift || true
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/xiaoqi-target}"

# ---- Limits (findings 2 and 3; README's configuration table).
# The proxies whose X-Forwarded-For the server believes (abuse with XIAOQI_HARDENING_XFF=1).
TRUSTED_PROXIES_SETTING="XIAOQI_TRUSTED_PROXIES=127.0.0.1/32,::1/128"
# Extra settings for the servers under load: every load connection comes from 127.0.0.1, so
# the anonymous search limit (XIAOQI_SEARCH_RATE) is off and the load measures the server
# rather than the limiter (429s are reported apart either way). Space-separated NAME=value.
LOAD_SERVER_SETTINGS="${XIAOQI_HARDENING_SERVER_ENV:-XIAOQI_SEARCH_RATE=off}"
# ----

bin="$CARGO_TARGET_DIR/release/xiaoqi"
loadgen="$CARGO_TARGET_DIR/release/examples/hardening_load"
if [ "${XIAOQI_HARDENING_NO_BUILD:-0}" != 1 ]; then
  cargo build --release --locked -q --bin xiaoqi --example hardening_load
fi
case $part in load | pg-restart | all) needed=("$bin" "$loadgen") ;; *) needed=("$bin") ;; esac
for file in "${needed[@]}"; do
  [ -x "$file" ] || { echo "build first: cargo build --release --bin xiaoqi --example hardening_load" >&2; exit 1; }
done

work=$(mktemp -d /tmp/xiaoqi-hardening.XXXXXX)
chmod 755 "$work"
pg_port="${XIAOQI_HARDENING_PG_PORT:-5499}"
pg_dir="$work/pg"
pg_admin_private="postgres://postgres@127.0.0.1:$pg_port/postgres"
PASSWORD=xiaoqi-demo-2026
server=
sink=
mounted=

cleanup() {
  set +e
  [ -n "$server" ] && kill -9 "$server" 2>/dev/null
  [ -n "$sink" ] && kill "$sink" 2>/dev/null
  [ -n "$mounted" ] && umount "$mounted" 2>/dev/null
  if [ -n "${XIAOQI_HARDENING_PG_ADMIN:-}" ]; then
    psql "$XIAOQI_HARDENING_PG_ADMIN" -qc "DROP DATABASE IF EXISTS xiaoqi_bench_hardening_$$ WITH (FORCE)" >/dev/null 2>&1
  fi
  [ -f "$pg_dir/PG_VERSION" ] && pg_ctl_as_postgres -m immediate -w stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

# ---------- helpers ----------
pgbin=/usr/lib/postgresql/15/bin
pg_ctl_as_postgres() { runuser -u postgres -- "$pgbin/pg_ctl" -D "$pg_dir" "$@"; }
pg_up() {
  if [ ! -f "$pg_dir/PG_VERSION" ]; then
    mkdir -p "$pg_dir" && chown postgres "$pg_dir"
    runuser -u postgres -- "$pgbin/initdb" -D "$pg_dir" -U postgres --auth=trust >/dev/null
  fi
  pg_ctl_as_postgres -o "-p $pg_port -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200" \
    -l "$pg_dir/server.log" -w start >/dev/null
}
pg_down() { pg_ctl_as_postgres -m fast -w stop >/dev/null; }
# A fresh database on the private cluster (started if needed); prints its URL.
pg_database() {
  pg_up
  psql "$pg_admin_private" -qc "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1
  psql "$pg_admin_private" -qc "CREATE DATABASE $1" >/dev/null
  echo "postgres://postgres@127.0.0.1:$pg_port/$1"
}
sql() { # sql URL QUERY → one value
  case $1 in
    sqlite:*) sqlite3 "${1#sqlite://}" "$2" ;;
    *) psql "$1" -Atqc "$2" ;;
  esac
}
now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {'d': d}))" "$1"; }

# start_server NAME DATABASE_URL INDEX_DIR PORT [NAME=value …]: serve --demo, wait until ready.
start_server() {
  local name=$1 url=$2 index=$3 port=$4
  shift 4
  env DATABASE_URL="$url" XIAOQI_LISTEN="127.0.0.1:$port" XIAOQI_METRICS_LISTEN="127.0.0.1:$((port + 1000))" \
    XIAOQI_INDEX_DIR="$index" XIAOQI_MAIL="${MAIL_URL:-file:$work/mail}" XIAOQI_BASE_URL="http://127.0.0.1:$port" \
    RUST_LOG="${RUST_LOG:-warn}" "$@" "$bin" serve --demo >>"$work/$name.log" 2>&1 &
  server=$!
  wait_ready "$port" "${READY_TIMEOUT:-300}" || { echo "server $name not ready; log:" >&2; tail -20 "$work/$name.log" >&2; return 1; }
}
wait_ready() { # PORT SECONDS
  local t0=$SECONDS
  until curl -sf "http://127.0.0.1:$1/readyz" >/dev/null; do
    sleep 0.2
    [ $((SECONDS - t0)) -lt "$2" ] || return 1
    [ -z "$server" ] || kill -0 "$server" 2>/dev/null || return 1
  done
}
stop_server() { [ -n "$server" ] && { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; }; server=; }
kill9_server() { kill -9 "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; server=; }
token() { # PORT EMAIL
  curl -sf "http://127.0.0.1:$1/api/v1/auth/token" -H 'content-type: application/json' \
    -d "{\"email\":\"$2\",\"password\":\"$PASSWORD\"}" | json "d['token']"
}
total() { # PORT PATH [TOKEN] → the page's total
  curl -sf "http://127.0.0.1:$1$2" ${3:+-H "authorization: Bearer $3"} | json "d['total']"
}
rss_mb() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$server/status"; }
add_rows() { # DATABASE_URL POSTINGS GRADUATES: synthetic rows beside the demo data
  [ "$2" -gt 0 ] || [ "$3" -gt 0 ] || return 0
  DATABASE_URL="$1" "$bin" demo --postings "$2" --graduates "$3" --seed 13 | tail -1
}
backend_url() { # BACKEND NAME → a fresh database's URL
  case $1 in
    sqlite) echo "sqlite://$work/$2.db" ;;
    postgres) pg_database "$2" ;;
  esac
}
header() { echo; echo "_$(date -u +%FT%TZ) · $(nproc) cores · $(git rev-parse --short HEAD 2>/dev/null) · release build_"; echo; }

# ---------- load ----------
load() {
  local seconds=${1:-60} connections=${2:-64} port=18610
  local p=${XIAOQI_HARDENING_POSTINGS:-0} g=${XIAOQI_HARDENING_GRADUATES:-0}
  header
  for backend in ${XIAOQI_HARDENING_BACKENDS:-sqlite postgres}; do
    local url
    if [ "$backend" = postgres ] && [ -n "${XIAOQI_HARDENING_PG_ADMIN:-}" ]; then
      url="${XIAOQI_HARDENING_PG_ADMIN%/*}/xiaoqi_bench_hardening_$$"
      psql "$XIAOQI_HARDENING_PG_ADMIN" -qc "CREATE DATABASE xiaoqi_bench_hardening_$$" >/dev/null
    else
      url=$(backend_url "$backend" "load_$backend")
    fi
    DATABASE_URL="$url" "$bin" migrate >/dev/null
    add_rows "$url" "$p" "$g" >/dev/null
    # shellcheck disable=SC2086
    start_server "load-$backend" "$url" "$work/index-load-$backend" "$port" $LOAD_SERVER_SETTINGS
    "$loadgen" --base "http://127.0.0.1:$port" --seconds "$seconds" --connections "$connections" \
      --label "$backend (demo data + ${p} postings, ${g} graduates)"
    echo
    echo "server RSS after: $(rss_mb) MB; log lines at WARN or above: $(grep -cE 'WARN|ERROR' "$work/load-$backend.log" || true)"
    grep -E 'ERROR' "$work/load-$backend.log" | sed -E 's/\x1b\[[0-9;]*m//g' | cut -c1-240 | sort | uniq -c | sort -rn | head -5 | sed 's/^/    /' || true
    stop_server
    if [ "$backend" = postgres ] && [ -n "${XIAOQI_HARDENING_PG_ADMIN:-}" ]; then
      psql "$XIAOQI_HARDENING_PG_ADMIN" -qc "DROP DATABASE IF EXISTS xiaoqi_bench_hardening_$$ WITH (FORCE)" >/dev/null
    fi
  done
}

# ---------- PostgreSQL restarted under load ----------
pg_restart() {
  local seconds=${1:-60} down=${2:-10} port=18620
  local url
  url=$(pg_database pgfault)
  DATABASE_URL="$url" "$bin" migrate >/dev/null
  start_server pgfault "$url" "$work/index-pgfault" "$port" $LOAD_SERVER_SETTINGS
  header
  echo "### Fault · PostgreSQL (private cluster, port $pg_port) stopped (fast) for ${down} s during ${seconds} s of load at ${XIAOQI_HARDENING_CONNECTIONS:-64} connections"
  echo
  "$loadgen" --base "http://127.0.0.1:$port" --seconds "$seconds" --connections "${XIAOQI_HARDENING_CONNECTIONS:-64}" \
    --label "postgres, restarted during the run" --log "$work/pgfault-requests.log" >"$work/pgfault-load.md" &
  local gen=$!
  ( while kill -0 "$gen" 2>/dev/null; do
      echo "$(now_ms) $(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$port/readyz")"
      sleep 0.2
    done ) >"$work/pgfault-readyz.log" &
  local prober=$!
  sleep $((seconds / 4))
  local down_at up_at
  down_at=$(now_ms)
  pg_down
  sleep "$down"
  pg_up
  up_at=$(now_ms)
  wait "$gen" || true
  wait "$prober" || true
  python3 bench/hardening/timeline.py "$work/pgfault-requests.log" "$work/pgfault-readyz.log" "$down_at" "$up_at"
  echo
  cat "$work/pgfault-load.md"
  echo
  echo "server log, distinct errors while down:"
  grep -E 'ERROR|WARN' "$work/pgfault.log" | sed -E 's/\x1b\[[0-9;]*m//g; s/^[0-9TZ:.-]+ +//; s/[0-9.]+s?$//' | cut -c1-200 | sort | uniq -c | sort -rn | head -6 | sed 's/^/    /' || true
  stop_server
}

# ---------- kill -9 during an import, a round and a reindex ----------
kill_tests() {
  local rows=${1:-20000} port=18630
  local p=${XIAOQI_HARDENING_POSTINGS:-3000} g=${XIAOQI_HARDENING_GRADUATES:-20000}
  python3 bench/roster_gen.py "$rows" "$work/roster.csv" >/dev/null
  header
  echo "### Fault · kill -9 of the server (demo data + $p postings, $g graduates; roster of $rows rows)"
  echo
  echo "| backend | work | killed during | before | after restart | half written? | run again | after the rerun | verdict |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for backend in ${XIAOQI_HARDENING_BACKENDS:-sqlite postgres}; do
    local url index="$work/index-kill-$backend"
    url=$(backend_url "$backend" "kill_$backend")
    DATABASE_URL="$url" "$bin" migrate >/dev/null
    add_rows "$url" "$p" "$g" >/dev/null
    start_server "kill-$backend" "$url" "$index" "$port"
    kill_import "$backend" "$url" "$index" "$port"
    kill_round "$backend" "$url" "$index" "$port"
    kill_reindex "$backend" "$url" "$index" "$port"
    stop_server
  done
}

kill_import() {
  local backend=$1 url=$2 index=$3 port=$4 school before t0 dry after rerun_status final during
  school=$(token "$port" jiuye@zqgm.demo)
  # Counted in the database: the listing follows the search index, which may lag.
  local count="SELECT count(*) FROM graduates WHERE organization_id = (SELECT organization_id FROM users WHERE email = 'jiuye@zqgm.demo')"
  before=$(sql "$url" "$count")
  t0=$EPOCHREALTIME
  curl -sf -o /dev/null -H "authorization: Bearer $school" -F "file=@$work/roster.csv" \
    "http://127.0.0.1:$port/api/v1/graduates/import?dry_run=true"
  dry=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
  # The dry run reads and checks as the import does: killing a little after that time lands
  # in the writing phase.
  curl -s -o "$work/import-answer.json" -w '%{http_code}' -H "authorization: Bearer $school" -F "file=@$work/roster.csv" \
    "http://127.0.0.1:$port/api/v1/graduates/import" >"$work/import-status" 2>/dev/null &
  local upload=$!
  sleep "$(awk -v d="$dry" 'BEGIN { print d * 1.15 + 0.1 }')"
  if kill -0 "$upload" 2>/dev/null; then during="the import request ($(awk -v d="$dry" 'BEGIN { printf "%.1f", d * 1.15 + 0.1 }') s in)"; else during="nothing: it had finished (use more rows)"; fi
  kill9_server
  wait "$upload" 2>/dev/null || true
  start_server "kill-$backend" "$url" "$index" "$port"
  school=$(token "$port" jiuye@zqgm.demo)
  after=$(sql "$url" "$count")
  rerun_status=$(curl -s -o "$work/import-rerun.json" -w '%{http_code}' -H "authorization: Bearer $school" \
    -F "file=@$work/roster.csv" "http://127.0.0.1:$port/api/v1/graduates/import")
  final=$(sql "$url" "$count")
  local half=no verdict=PASS
  [ "$after" = "$before" ] || [ "$after" = $((before + rows)) ] || { half="YES ($((after - before)) of $rows rows)"; verdict=FAIL; }
  [ "$rerun_status" = 200 ] && [ "$final" = $((before + rows)) ] || verdict=FAIL
  [[ $during != nothing* ]] || verdict="not tested (finished before the kill)"
  echo "| $backend | roster import | $during | $before graduates | $after | $half | $rerun_status $(json "'new %s, unchanged %s' % (d.get('new'), d.get('unchanged'))" <"$work/import-rerun.json" 2>/dev/null) | $final | $verdict |"
}

kill_round() {
  local backend=$1 url=$2 index=$3 port=$4 coordinator round phase="" body after_status after_assignments rerun final
  coordinator=$(token "$port" coordinator@xiaoqi.demo)
  local auth=(-H "authorization: Bearer $coordinator")
  round=$(curl -sf "http://127.0.0.1:$port/api/v1/rounds" "${auth[@]}" -H 'content-type: application/json' \
    -d '{"name":"kill -9 test","seed":13}' | json "d['id']")
  curl -sf -X POST "http://127.0.0.1:$port/api/v1/rounds/$round/run" "${auth[@]}" >/dev/null
  # Kill while the results are being saved (finding 9's long transaction); if the round is
  # too quick to be seen saving, at the last running phase seen.
  local t0=$SECONDS status=running
  while [ $((SECONDS - t0)) -lt 600 ]; do
    body=$(curl -sf "http://127.0.0.1:$port/api/v1/rounds/$round" "${auth[@]}")
    status=$(grep -oE '"status":"[a-z]+"' <<<"$body" | head -1 | cut -d'"' -f4)
    [ "$status" = running ] || break
    phase=$(grep -oE '"phase":"[a-z]+"' <<<"$body" | head -1 | cut -d'"' -f4)
    [ "$phase" = saving ] && break
    sleep 0.02
  done
  local during="the round, phase $phase"
  [ "$status" = running ] || during="nothing: the round was $status first (use more rows)"
  kill9_server
  start_server "kill-$backend" "$url" "$index" "$port"
  coordinator=$(token "$port" coordinator@xiaoqi.demo)
  auth=(-H "authorization: Bearer $coordinator")
  after_status=$(curl -sf "http://127.0.0.1:$port/api/v1/rounds/$round" "${auth[@]}" | json "d['status']")
  after_assignments=$(curl -s "http://127.0.0.1:$port/api/v1/rounds/$round/assignments?per_page=1" "${auth[@]}" |
    json "d.get('total', d.get('status'))" 2>/dev/null || echo "?")
  local stored
  stored=$(sql "$url" "SELECT count(*) FROM round_graduates WHERE round_id = $round")
  # An interrupted round may show `running` until its heartbeat is seen stale: wait for that.
  t0=$SECONDS
  local settled=$after_status
  while [ "$settled" = running ] && [ $((SECONDS - t0)) -lt 180 ]; do
    sleep 1
    settled=$(curl -sf "http://127.0.0.1:$port/api/v1/rounds/$round" "${auth[@]}" | json "d['status']")
  done
  local settle_time="$((SECONDS - t0)) s later: $settled"
  rerun=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/v1/rounds/$round/run" "${auth[@]}")
  t0=$SECONDS
  while [ $((SECONDS - t0)) -lt 600 ]; do
    final=$(curl -sf "http://127.0.0.1:$port/api/v1/rounds/$round" "${auth[@]}" | json "d['status']")
    [ "$final" = running ] || break
    sleep 0.5
  done
  local final_assignments
  final_assignments=$(curl -s "http://127.0.0.1:$port/api/v1/rounds/$round/assignments?per_page=1" "${auth[@]}" | json "d.get('total')" 2>/dev/null || echo "?")
  local half=no verdict=PASS
  if [ "$settled" != failed ] && [ "$settled" != draft ]; then half="status $settled"; verdict=FAIL; fi
  case $after_assignments in 0 | 409 | 404 | 422) ;; *) half="$half, $after_assignments assignments shown"; verdict=FAIL ;; esac
  [ "$final" = done ] || verdict=FAIL
  [[ $during != nothing* ]] || verdict="not tested (finished before the kill)"
  echo "| $backend | matching round | $during | status running | status $after_status ($settle_time), API assignments: $after_assignments ($stored rows stored) | $half | POST /run → $rerun | status $final, $final_assignments assignments | $verdict |"
}

kill_reindex() {
  local backend=$1 url=$2 index=$3 port=$4 baseline t0 full after after_again log
  baseline=$(total "$port" "/api/v1/postings?per_page=1")
  stop_server
  log="$work/reindex-$backend.log"
  t0=$EPOCHREALTIME
  DATABASE_URL="$url" XIAOQI_INDEX_DIR="$index" "$bin" reindex >"$log" 2>&1
  full=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
  DATABASE_URL="$url" XIAOQI_INDEX_DIR="$index" "$bin" reindex >>"$log" 2>&1 &
  local job=$!
  sleep "$(awk -v f="$full" 'BEGIN { print f / 2 }')"
  local during="the reindex ($(awk -v f="$full" 'BEGIN { printf "%.1f of %.1f s", f / 2, f }'))"
  kill -0 "$job" 2>/dev/null || during="nothing: the reindex had finished"
  kill -9 "$job" 2>/dev/null; wait "$job" 2>/dev/null || true
  local ready=yes
  READY_TIMEOUT=120 start_server "kill-$backend" "$url" "$index" "$port" || ready="NOT READY"
  after=$( [ "$ready" = yes ] && total "$port" "/api/v1/postings?per_page=1" || echo "-")
  stop_server
  local rerun=0
  DATABASE_URL="$url" XIAOQI_INDEX_DIR="$index" "$bin" reindex >>"$log" 2>&1 || rerun=$?
  start_server "kill-$backend" "$url" "$index" "$port"
  after_again=$(total "$port" "/api/v1/postings?per_page=1")
  local half=no verdict=PASS
  [ "$after" = "$baseline" ] || { half="search total $after ≠ $baseline"; verdict=FAIL; }
  [ "$rerun" = 0 ] && [ "$after_again" = "$baseline" ] || verdict=FAIL
  [[ $during != nothing* ]] || verdict="not tested (finished before the kill)"
  echo "| $backend | xiaoqi reindex | $during | $baseline open postings searchable | server ready: $ready, $after searchable | $half | exit $rerun | $after_again searchable | $verdict |"
}

# ---------- SMTP down under notices ----------
smtp_down() {
  local down=${1:-60} port=18640 smtp_port=${XIAOQI_HARDENING_SMTP_PORT:-2599} events=${XIAOQI_HARDENING_EVENTS:-5}
  local url="sqlite://$work/smtp.db" sinkdir="$work/sink"
  start_sink() { python3 bench/hardening/smtp_sink.py "$smtp_port" "$sinkdir" & sink=$!; sleep 0.5; }
  start_sink
  MAIL_URL="smtp://127.0.0.1:$smtp_port?tls=none" start_server smtp "$url" "$work/index-smtp" "$port"
  local coordinator orgs
  coordinator=$(token "$port" coordinator@xiaoqi.demo)
  local auth=(-H "authorization: Bearer $coordinator")
  orgs=$(curl -sf "http://127.0.0.1:$port/api/v1/organizations?per_page=100&status=approved" "${auth[@]}" | json "[o['id'] for o in d['items'] if o['kind'] != 'coordinator']")
  local ids=() queued=0 day
  day=$(date -u -d '+20 days' +%F)
  for i in $(seq 1 "$events"); do
    local id
    id=$(curl -sf "http://127.0.0.1:$port/api/v1/events" "${auth[@]}" -H 'content-type: application/json' -d "{
      \"kind\":\"job_fair\",\"title\":\"压测双选会 $i\",\"venue\":\"肇庆新区体育中心\",\"starts_at\":\"${day}T09:00\",
      \"ends_at\":\"${day}T12:00\",\"booth_capacity\":10,\"seat_capacity\":100,\"invited_organization_ids\":$orgs}" | json "d['id']")
    ids+=("$id")
  done
  queue() {
    queued=$((queued + $(curl -sf "http://127.0.0.1:$port/api/v1/events/$1/notices" "${auth[@]}" \
      -H 'content-type: application/json' -d '{"kind":"invitation"}' | json "d['queued']")))
  }
  # The first event's notices start going out; the mail server goes down (killed: some
  # sends are cut off mid-way); the other events' notices are queued while it is down.
  queue "${ids[0]}"
  local t0=$SECONDS
  until [ -s "$sinkdir/ids.txt" ] || [ $((SECONDS - t0)) -gt 10 ]; do sleep 0.01; done
  kill -9 "$sink"; wait "$sink" 2>/dev/null || true; sink=
  local before_down
  before_down=$(wc -l <"$sinkdir/ids.txt" 2>/dev/null || echo 0)
  for id in "${ids[@]:1}"; do queue "$id"; done
  sleep "$down"
  start_sink
  local back=$SECONDS waited=0 states
  # The outbox retries with backoff (30 s, 1 min, 2 min …): allow it time after the return.
  while :; do
    states=$(for id in "${ids[@]}"; do curl -sf "http://127.0.0.1:$port/api/v1/events/$id/notices?per_page=100" "${auth[@]}"; echo; done |
      python3 -c "
import json, sys, collections
c = collections.Counter(n['status'] for line in sys.stdin if line.strip() for n in json.loads(line)['items'])
print(' '.join(f'{k}×{v}' for k, v in sorted(c.items())))")
    waited=$((SECONDS - back))
    case " $states " in *" sent×$queued "*) break ;; esac
    [ "$waited" -lt $((${XIAOQI_HARDENING_SMTP_WAIT:-300})) ] || break
    sleep 1
  done
  local received unique
  received=$(wc -l <"$sinkdir/ids.txt")
  unique=$(sort -u "$sinkdir/ids.txt" | wc -l)
  header
  echo "### Fault · the SMTP server down for ${down} s under $queued queued notices ($events events × invited organisations)"
  echo
  echo "| queued | received before the outage | notice states at the end | messages received | distinct Message-IDs | duplicates | missing | last delivery after the return |"
  echo "|---|---|---|---|---|---|---|---|"
  echo "| $queued | $before_down | $states | $received | $unique | $((received - unique)) | $((queued - unique)) | ≤ ${waited} s |"
  echo
  if [ "$unique" = "$queued" ] && [ "$received" = "$queued" ]; then echo "verdict: every notice delivered exactly once → PASS"
  elif [ "$unique" = "$queued" ]; then echo "verdict: all delivered, $((received - unique)) twice (same Message-ID: deduplicable) → FAIL (exactly once)"
  else echo "verdict: $((queued - unique)) notices not delivered within ${waited} s of the return → FAIL"; fi
  stop_server
  kill "$sink" 2>/dev/null; sink=
}

# ---------- the index directory's disk full ----------
disk_full() {
  local port=18650 size=${XIAOQI_HARDENING_TMPFS_MB:-64} mnt="$work/index-fs" url="sqlite://$work/disk.db"
  mkdir -p "$mnt"
  mount -t tmpfs -o "size=${size}m" tmpfs "$mnt" || { echo "cannot mount a tmpfs here (needs root): skipping the disk-full test"; return 0; }
  mounted=$mnt
  start_server disk "$url" "$mnt/index" "$port"
  local company baseline
  company=$(token "$port" hr@aoshikang.demo)
  baseline=$(total "$port" "/api/v1/postings?per_page=1")
  dd if=/dev/zero of="$mnt/filler" bs=1M status=none 2>/dev/null || true
  local writes=() t_full=$SECONDS
  for i in $(seq 1 20); do
    writes+=("$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/postings" -H "authorization: Bearer $company" \
      -H 'content-type: application/json' -d "{\"title\":\"磁盘满测试岗位$i\",\"category\":\"operator\",\"majors\":[],
      \"education_min\":\"secondary_vocational\",\"headcount\":1,\"salary_min\":4000,\"salary_max\":5000,\"location\":\"肇庆新区\",
      \"benefits\":[],\"status\":\"open\"}")")
  done
  local write_statuses
  write_statuses=$(printf '%s\n' "${writes[@]}" | sort | uniq -c | awk '{ printf "%s×%s ", $2, $1 }')
  # Readiness should turn 503 while the index cannot follow the database.
  local ready_full="200 throughout" t0=$SECONDS code
  while [ $((SECONDS - t0)) -lt 45 ]; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")
    [ "$code" = 200 ] || { ready_full="$code after $((SECONDS - t_full)) s"; break; }
    sleep 0.5
  done
  local alive=yes
  kill -0 "$server" 2>/dev/null || alive="NO (the process exited)"
  local errors
  errors=$(grep -iE 'space|ENOSPC|error' "$work/disk.log" | sed -E 's/\x1b\[[0-9;]*m//g; s/^[0-9TZ:.-]+ +//' | cut -c1-110 | sort -u | head -2 | tr '\n' ' ' | sed 's/|/\\|/g' || true)
  rm -f "$mnt/filler"
  local ready_back="never (60 s)" searchable=-
  t0=$SECONDS
  if [ "$alive" = yes ]; then
    while [ $((SECONDS - t0)) -lt 60 ]; do
      code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")
      [ "$code" = 200 ] && { ready_back="$((SECONDS - t0)) s"; break; }
      sleep 0.5
    done
    # The follower retries on its own: wait for it to index the 20 postings.
    t0=$SECONDS
    while :; do
      searchable=$(( $(total "$port" "/api/v1/postings?per_page=1" || echo "$baseline") - baseline ))
      [ "$searchable" -ge 20 ] || [ $((SECONDS - t0)) -ge 60 ] && break
      sleep 0.5
    done
    searchable="$searchable of 20 after $((SECONDS - t0)) s"
  fi
  stop_server
  kill9_server 2>/dev/null || true
  # A restart on the same index directory: it must open (no corruption) and agree with the database.
  local reopened total_after
  if start_server disk "$url" "$mnt/index" "$port"; then reopened=yes; else reopened="NO"; fi
  total_after=$( [ "$reopened" = yes ] && total "$port" "/api/v1/postings?per_page=1" || echo "-")
  local corrupt
  corrupt=$(grep -ciE 'corrupt|checksum|rebuild' "$work/disk.log" || true)
  stop_server
  umount "$mnt" && mounted=
  header
  echo "### Fault · the index directory's file system (tmpfs, ${size} MB) full"
  echo
  echo "| writes while full (20 postings) | /readyz while full | server alive | errors logged | /readyz after space returns | new postings searchable once space returns | restart on the same index | open postings searchable: before → after restart | log lines naming corruption/rebuild |"
  echo "|---|---|---|---|---|---|---|---|---|"
  echo "| $write_statuses | $ready_full | $alive | ${errors:-none} | $ready_back | $searchable | opens: $reopened | $baseline → $total_after (expect $((baseline + 20))) | $corrupt |"
  echo
  local verdict=PASS
  [[ $ready_full == 503* ]] || verdict=FAIL
  [ "$alive" = yes ] && [[ $searchable == "20 of 20"* ]] && [ "$reopened" = yes ] && [ "$total_after" = $((baseline + 20)) ] || verdict=FAIL
  echo "verdict (readiness 503 while full, recovers, nothing lost or corrupted): $verdict"
}

# ---------- abuse ----------
abuse() {
  local n=${1:-200} wrong=${2:-1000} port=18660
  local extra=()
  [ "${XIAOQI_HARDENING_XFF:-0}" = 1 ] && extra+=("$TRUSTED_PROXIES_SETTING")
  header
  start_server abuse "sqlite://$work/abuse.db" "$work/index-abuse" "$port" "${extra[@]}"
  python3 bench/hardening/abuse.py expensive "$port" "$server" "$n"
  echo
  if ! kill -0 "$server" 2>/dev/null; then
    echo "(the server died; restarting it for the sign-in checks)"
    start_server abuse "sqlite://$work/abuse.db" "$work/index-abuse" "$port" "${extra[@]}"
  fi
  # A fresh process: the sign-in limiter's memory starts empty.
  stop_server
  start_server abuse "sqlite://$work/abuse.db" "$work/index-abuse" "$port" "${extra[@]}"
  python3 bench/hardening/abuse.py lockout "$port" "$wrong"
  stop_server
}

case $part in
  load) load "$@" ;;
  pg-restart) pg_restart "$@" ;;
  kill) kill_tests "$@" ;;
  smtp) smtp_down "$@" ;;
  disk) disk_full ;;
  abuse) abuse "$@" ;;
  all)
    load "${1:-60}"
    pg_restart "${1:-60}"
    kill_tests
    smtp_down
    disk_full
    abuse
    ;;
  *) sed -n '2,30p' "$0"; exit 2 ;;
esac
