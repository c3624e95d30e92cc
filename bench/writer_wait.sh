#!/usr/bin/env bash
# How long sign-ins wait for SQLite's one writer while a large round's results are saved:
# the same round saved XIAOQI_ROUND_SAVE_ROWS rows per transaction (default 2000) and then
# in one transaction (as before issue 13), with sign-ins one after another meanwhile.
#
#   bench/writer_wait.sh [postings] [graduates]    (default 400 / 20 000;
#                                                   XIAOQI_BENCH_BIN=path uses a built binary)
#
# Prints per setting: the round's saving time (stats.timings_ms.saving) and the sign-ins
# answered while it saved: how many, their p50 and slowest latency, and any non-2xx.
set -euo pipefail
cd "$(dirname "$0")/.."
postings="${1:-400}"
graduates="${2:-20000}"
if [ -n "${XIAOQI_BENCH_BIN:-}" ]; then
  bin="$XIAOQI_BENCH_BIN"
else
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/xiaoqi-target}"
  cargo build --release --locked -q
  bin="$CARGO_TARGET_DIR/release/xiaoqi"
fi
work=$(mktemp -d)
cleanup() {
  [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export DATABASE_URL="sqlite://$work/bench.db" XIAOQI_INDEX_DIR="$work/index" XIAOQI_MAIL="file:$work/mail" RUST_LOG=warn
"$bin" demo --postings "$postings" --graduates "$graduates" --seed 4 | tail -1
echo 'wait-bench-password' | "$bin" user add --email bench@xiaoqi.bench --role coordinator --password-stdin >/dev/null

for rows in 2000 100000000; do
  XIAOQI_ROUND_SAVE_ROWS=$rows XIAOQI_LISTEN=127.0.0.1:18093 "$bin" serve >"$work/serve.log" 2>&1 &
  server=$!
  until curl -sf http://127.0.0.1:18093/readyz >/dev/null; do sleep 0.5; done
  echo "== XIAOQI_ROUND_SAVE_ROWS=$rows"
  python3 - <<'EOF'
import json, threading, time, urllib.request, urllib.error, statistics

base = "http://127.0.0.1:18093/api/v1"

def call(method, path, body=None, token=None):
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body is not None else None)
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, {}

credentials = {"email": "bench@xiaoqi.bench", "password": "wait-bench-password"}
token = call("POST", "/auth/token", credentials)[1]["token"]
round_id = call("POST", "/rounds", {"name": "wait bench", "seed": 1}, token)[1]["id"]
phase = {"now": None}
done = threading.Event()
answers = []  # (phase when sent, latency s, status)

def sign_ins():
    while not done.is_set():
        sent_in = phase["now"]
        started = time.monotonic()
        status, _ = call("POST", "/auth/token", credentials)
        answers.append((sent_in, phase["now"], time.monotonic() - started, status))

call("POST", f"/rounds/{round_id}/run", {}, token)
worker = threading.Thread(target=sign_ins)
worker.start()
while True:
    status, body = call("GET", f"/rounds/{round_id}", None, token)
    phase["now"] = (body.get("progress") or {}).get("phase")
    if body.get("status") in ("done", "failed"):
        break
    time.sleep(0.05)
done.set()
worker.join()
saving = [a for a in answers if a[0] == "saving" or a[1] == "saving"]
latencies = sorted(a[2] for a in saving)
print(f"   round {body['status']}, saving took {body['stats']['timings_ms']['saving']} ms "
      f"({body['stats']['graduates']} graduates)")
if latencies:
    print(f"   sign-ins during saving: {len(latencies)}, p50 {statistics.median(latencies) * 1000:.0f} ms, "
          f"slowest {latencies[-1] * 1000:.0f} ms, non-2xx {sum(1 for a in saving if a[3] >= 300)}")
else:
    print("   no sign-in was answered during saving")
EOF
  kill "$server"; wait "$server" 2>/dev/null || true; server=
done
