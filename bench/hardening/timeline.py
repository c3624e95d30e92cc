#!/usr/bin/env python3
"""The PostgreSQL-restart timeline for bench/hardening.sh: reads the load generator's
per-request log (`unix_ms kind status latency_ms`) and the /readyz probe log
(`unix_ms status`), splits them at the moments PostgreSQL went down and came back, and
prints a markdown table plus the recovery time (first 2xx of a request that needs the
database, and first ready /readyz, after PostgreSQL's return).

    python3 bench/hardening/timeline.py LOAD_LOG READYZ_LOG DOWN_MS UP_MS
"""
import sys
from collections import Counter

load_log, ready_log, down, up = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
# Searches answer from the index; these kinds need the database.
DB_KINDS = {"read", "write", "signin"}


def phase(t):
    return "before" if t < down else ("down" if t < up else "after")


rows = []
with open(load_log) as f:
    for line in f:
        t, kind, status, _ = line.split()
        rows.append((int(t), kind, int(status)))
probes = []
with open(ready_log) as f:
    for line in f:
        parts = line.split()
        if len(parts) == 2:
            probes.append((int(parts[0]), int(parts[1])))

print(f"PostgreSQL down for {(up - down) / 1000:.1f} s")
print()
print("| phase | requests needing the DB | 2xx | 503 | other 5xx | no answer | 429 | other 4xx | searches (2xx/all) | /readyz answers |")
print("|---|---|---|---|---|---|---|---|---|---|")
for name in ("before", "down", "after"):
    db = Counter(s for t, k, s in rows if k in DB_KINDS and phase(t) == name)
    searches = [s for t, k, s in rows if k == "search" and phase(t) == name]
    ready = Counter(s for t, s in probes if phase(t) == name)
    total = sum(db.values())
    ok = sum(n for s, n in db.items() if 200 <= s < 300)
    other5 = sum(n for s, n in db.items() if s >= 500 and s != 503)
    other4 = sum(n for s, n in db.items() if 400 <= s < 500 and s != 429)
    ready_text = " ".join(f"{s or 'none'}×{n}" for s, n in sorted(ready.items()))
    print(f"| {name} | {total} | {ok} | {db[503]} | {other5} | {db[0]} | {db[429]} | {other4} | "
          f"{sum(1 for s in searches if 200 <= s < 300)}/{len(searches)} | {ready_text} |")

first_ok = min((t for t, k, s in rows if k in DB_KINDS and t >= up and 200 <= s < 300), default=None)
first_ready = min((t for t, s in probes if t >= up and s == 200), default=None)
# Recovered for good: from this moment on, no request needing the DB got a 5xx or no answer.
last_bad = max((t for t, k, s in rows if k in DB_KINDS and t >= up and (s >= 500 or s == 0)), default=None)
secs = lambda t: "never" if t is None else f"{(t - up) / 1000:.1f} s"
print()
print("| after PostgreSQL's return | seconds |")
print("|---|---|")
print(f"| first 2xx of a request needing the DB | {secs(first_ok)} |")
print(f"| first /readyz 200 | {secs(first_ready)} |")
print(f"| last 5xx / no answer of a request needing the DB | {'none' if last_bad is None else secs(last_bad)} |")
down_db = [s for t, k, s in rows if k in DB_KINDS and phase(t) == "down"]
only_503 = all(s in (503, 429) or 200 <= s < 500 for s in down_db)
recovered = first_ok is not None and first_ok - up <= 10_000 and (last_bad is None or last_bad - up <= 10_000)
print()
print(f"verdict: while down {'only 503 (or 4xx)' if only_503 else 'NOT only 503'}; "
      f"recovery {'within' if recovered else 'NOT within'} 10 s → {'PASS' if only_503 and recovered else 'FAIL'}")
