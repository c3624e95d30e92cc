#!/usr/bin/env bash
# E-mail throughput: N queued invitations (HTML + text + .ics each) sent by the outbox
# worker (batches of 50, the default 16 pooled SMTP connections or
# XIAOQI_BENCH_MAIL_CONNECTIONS) over SMTP into an SMTP server in the same process, on
# SQLite and then PostgreSQL.
#
#   bench/mail.sh [N]          (default 2000; PostgreSQL: XIAOQI_TEST_POSTGRES_URL, or
#                               postgres://postgres@127.0.0.1:5432/postgres if it answers)
#
# Prints e-mails per second from the worker's start until the server has them all.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/xiaoqi-target}"
export XIAOQI_BENCH_MAIL_N="${1:-2000}"
if [ -z "${XIAOQI_TEST_POSTGRES_URL:-}" ] && command -v pg_isready >/dev/null && pg_isready -h 127.0.0.1 -p 5432 -q; then
  export XIAOQI_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres
fi
RUST_LOG=warn cargo test --release --locked -q --test mail -- --ignored --nocapture --exact bench::throughput 2>&1 |
  grep -E 'e-mails/s|skipping|panicked|error'
