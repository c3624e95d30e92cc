#!/usr/bin/env bash
# What the change-log triggers cost a bulk write: N graduates inserted in one transaction,
# each with a consent record (as a roster import writes them), on SQLite (sqlite3 CLI) and
# PostgreSQL (psql), before the triggers (the `changes` rows written by one INSERT … SELECT,
# as the bulk loader did) and with them (the triggers write them). Database time only;
# bench/import.sh measures the whole import through the API.
#
#   bench/change_log_triggers.sh [N]   (default 50,000; PostgreSQL: XIAOQI_BENCH_POSTGRES_URL,
#                                       default postgres://postgres@127.0.0.1:5432/postgres)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-50000}"
pg_admin="${XIAOQI_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
work=$(mktemp -d)
pg_db="xiaoqi_bench_triggers_$$"
cleanup() {
  psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
triggers=$(ls migrations/sqlite/*_change_log_triggers.sql | xargs -n1 basename)

# The writes, in SQL both backends read; $manual_log is the explicit log of the old way.
writes() {
  local series=$1 manual_log=$2
  cat <<SQL
BEGIN;
INSERT INTO graduates (organization_id, name, major, education, education_rank, graduation_year, skills,
  certificates, preferred_locations, consent, status, created_at, updated_at)
SELECT 1, '李明' || g, '机电一体化', 'associate', 3, 2026, '["PLC"]', '["电工证"]', '["肇庆新区"]', TRUE,
  'seeking', '2026-12-01T00:00:00+00:00', '2026-12-01T00:00:00+00:00' FROM $series;
$manual_log
INSERT INTO consent_records (graduate_id, given, purpose, text_version, method, at)
SELECT id, TRUE, '向园区企业推荐就业', 'v1', 'import', '2026-12-01T00:00:00+00:00' FROM graduates;
COMMIT;
SQL
}
sqlite_series="(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < $n) SELECT g FROM s)"
pg_series="generate_series(1, $n) AS g"
log_sql="INSERT INTO changes (entity, entity_id, operation, changed_at) SELECT 'graduate', id, 'create', '2026-12-01T00:00:00+00:00' FROM graduates ORDER BY id;"
org="INSERT INTO organizations (kind, name, created_at, updated_at) VALUES ('school', '肇庆技师学院', '2026-12-01T00:00:00+00:00', '2026-12-01T00:00:00+00:00');"

seconds() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'; }

echo "| backend | change log | $n graduates + consent records, seconds | changes rows |"
echo "|---|---|---|---|"
for variant in before after; do
  db="$work/$variant.db"
  for f in migrations/sqlite/*.sql; do
    [ "$variant" = before ] && [ "$(basename "$f")" = "$triggers" ] && continue
    sqlite3 "$db" < "$f"
  done
  sqlite3 "$db" "PRAGMA journal_mode = WAL;" >/dev/null
  sqlite3 "$db" "$org"
  manual=$([ "$variant" = before ] && echo "$log_sql" || true)
  start=$EPOCHREALTIME
  writes "$sqlite_series" "$manual" | sqlite3 "$db"
  echo "| SQLite | $variant | $(seconds "$start") | $(sqlite3 "$db" 'SELECT COUNT(*) FROM changes') |"
done

if psql "$pg_admin" -qc "SELECT 1" >/dev/null 2>&1; then
  for variant in before after; do
    psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1
    psql "$pg_admin" -qc "CREATE DATABASE $pg_db" >/dev/null
    url="${pg_admin%/*}/$pg_db"
    for f in migrations/postgres/*.sql; do
      [ "$variant" = before ] && [ "$(basename "$f")" = "$triggers" ] && continue
      psql -v ON_ERROR_STOP=1 -q "$url" -f "$f" >/dev/null
    done
    psql -q "$url" -c "$org" >/dev/null
    manual=$([ "$variant" = before ] && echo "$log_sql" || true)
    start=$EPOCHREALTIME
    writes "$pg_series" "$manual" | psql -v ON_ERROR_STOP=1 -q "$url" >/dev/null
    echo "| PostgreSQL | $variant | $(seconds "$start") | $(psql -Atq "$url" -c 'SELECT COUNT(*) FROM changes') |"
  done
fi
