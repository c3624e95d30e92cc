#!/usr/bin/env bash
# The matching benchmark: `xiaoqi match solve` against a peer, the Python package `matching`
# from PyPI (bench/match_peer.py: HospitalResident, resident-optimal by default), on the same
# instances.
#
# For each size (graduates/postings; 1k/100, 10k/1k and 100k/10k by default) it writes a random
# instance with `xiaoqi match gen` (20 choices per graduate, fixed seed), then measures the
# whole-process wall time and peak resident memory (GNU time) of
#   xiaoqi match solve --input F --output OUT       (release build; best of 3 runs)
#   python bench/match_peer.py F OUT                 (best of 3 below 100k graduates, else 1 run)
# checks that both wrote the same assignment (MATCH / DIFFER), runs `xiaoqi match solve --check`
# (no blocking pair, no infeasibility), and prints a markdown table.
#
#   bench/match.sh
#   XIAOQI_BENCH_SIZES="1000/100 10000/1000" bench/match.sh
#   XIAOQI_BENCH_PROPOSING=postings bench/match.sh     (both solvers find the postings' optimum)
#
# Needs python3 (with venv) and GNU time at /usr/bin/time; installs `matching` into a venv at
# ${XIAOQI_BENCH_VENV:-${XDG_CACHE_HOME:-~/.cache}/xiaoqi-bench-venv}. Files go to
# ${XIAOQI_BENCH_DIR:-$CARGO_TARGET_DIR/bench-match}. The peer takes about half a minute and
# half a gigabyte on 100k/10k.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/xiaoqi-target}"
dir="${XIAOQI_BENCH_DIR:-$CARGO_TARGET_DIR/bench-match}"
venv="${XIAOQI_BENCH_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/xiaoqi-bench-venv}"
sizes="${XIAOQI_BENCH_SIZES:-1000/100 10000/1000 100000/10000}"
proposing="${XIAOQI_BENCH_PROPOSING:-graduates}"
choices=20
seed=2026
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install time" >&2; exit 1; }
mkdir -p "$dir"

cargo build --release --locked -q --bin xiaoqi
bin="$CARGO_TARGET_DIR/release/xiaoqi"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import matching' 2>/dev/null || "$venv/bin/pip" install -q 'matching==1.4.3'

# best RUNS CMD...: runs CMD RUNS times, prints the lowest wall time (s) and peak RSS (KB).
# GNU time gives the RSS; its wall time has only 10 ms resolution, so the clock is read here.
best() {
  local runs=$1 start time rss best_time="" best_rss=""
  shift
  for _ in $(seq "$runs"); do
    start=$EPOCHREALTIME
    /usr/bin/time -f '%M' -o "$dir/time" "$@" >/dev/null
    time=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
    read -r rss <"$dir/time"
    if [ -z "$best_time" ] || awk "BEGIN { exit !($time < $best_time) }"; then best_time=$time; fi
    if [ -z "$best_rss" ] || [ "$rss" -lt "$best_rss" ]; then best_rss=$rss; fi
  done
  echo "$best_time $best_rss"
}

same_assignment() {
  "$venv/bin/python" - "$1" "$2" <<'PY'
import json, sys
a, b = (json.load(open(path, encoding="utf-8")) for path in sys.argv[1:3])
print("MATCH" if a == b else "DIFFER")
PY
}

rows=()
for size in $sizes; do
  graduates=${size%/*} postings=${size#*/}
  instance="$dir/instance-$graduates-$postings.json"
  ours="$dir/xiaoqi-$graduates-$postings.json" theirs="$dir/peer-$graduates-$postings.json"
  [ -s "$instance" ] || "$bin" match gen --graduates "$graduates" --postings "$postings" \
    --choices "$choices" --seed "$seed" --output "$instance"
  echo "== $size ($(du -h "$instance" | cut -f1) instance)" >&2
  read -r our_time our_rss < <(best 3 "$bin" match solve --input "$instance" --output "$ours" --proposing "$proposing")
  check=ok
  "$bin" match solve --input "$instance" --output /dev/null --proposing "$proposing" --check 2>"$dir/check.txt" ||
    check=FAILED
  cat "$dir/check.txt" >&2
  peer_runs=3
  [ "$graduates" -lt 100000 ] || peer_runs=1
  read -r peer_time peer_rss < <(best "$peer_runs" "$venv/bin/python" bench/match_peer.py "$instance" "$theirs" "$proposing")
  verdict=$(same_assignment "$ours" "$theirs")
  rows+=("$(awk -v s="$size" -v ot="$our_time" -v om="$our_rss" -v pt="$peer_time" -v pm="$peer_rss" \
    -v v="$verdict" -v c="$check" 'BEGIN {
      printf "| %s | %.3f s | %.1f MB | %.2f s | %.1f MB | %.0fx | %.1fx | %s | %s |",
        s, ot, om / 1024, pt, pm / 1024, pt / ot, pm / om, v, c }')")
done

echo
echo "proposing: $proposing; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| graduates/postings | xiaoqi time | xiaoqi RSS | peer time | peer RSS | peer/xiaoqi time | peer/xiaoqi RSS | assignments | --check |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
