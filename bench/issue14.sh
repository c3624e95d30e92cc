#!/usr/bin/env bash
# Every figure issue 14 asks for, in one run (on a quiet machine: nothing else on its cores):
#   1. placement and round time: `bench/round.sh 10000 100000` on SQLite and PostgreSQL, the
#      default round's wall time and phases, then `bench/placement.py` for
#      candidates_per_graduate 10, 20 and 50 with the supplementary pass off and on (fill
#      rate, share placed in an own choice, placed by the pass, moves, passes, time);
#   2. search: `bench/search.sh` (full reindex docs/s, then wrk with distinct searches: the
#      issue's own generators for postings and for graduates as a coordinator, and the richer
#      mixes), one table with the targets beside the figures.
#
#   bench/issue14.sh [seconds per search load, default 10]
#   XIAOQI_BENCH_BACKENDS=sqlite bench/issue14.sh     (placement on SQLite only)
# Takes about 25 minutes on 2 cores (most of it loading 100,000 demo graduates per backend).
set -euo pipefail
cd "$(dirname "$0")/.."
XIAOQI_BENCH_PLACEMENT="${XIAOQI_BENCH_PLACEMENT:-10 20 50}" bench/round.sh 10000 100000
bench/search.sh "${1:-10}"
