#!/usr/bin/env python3
"""The peer solver for bench/match.sh: PyPI's `matching` package (HospitalResident) on a
`xiaoqi match solve` instance file, writing the same output format:
{"assignment": {graduate: posting, ...}, "unmatched": [graduate, ...]}, graduates in file order.

    match_peer.py INSTANCE.json OUTPUT.json [graduates|postings]

The last argument says whose optimum to find, like `xiaoqi match solve --proposing`: graduates
(residents, the default) or postings (hospitals).

The package assumes a clean game: residents rank only hospitals that rank them back, hospitals
rank exactly the residents who rank them, every capacity is at least 1 and every resident ranks
someone. Its own check of that (`check_inputs`, run by the constructor) compares every resident
with every hospital, which takes hours at 100k residents, so this script makes the game clean
itself in linear time (keeping only mutually acceptable pairs, which changes no stable matching)
and skips the package's check. The constructor also deep-copies the players, recursing along
preference lists as deep as the game is large, so this runs with a high recursion limit on a
thread with a large stack.
"""

import json
import sys
import threading
import traceback

from matching.games import HospitalResident


def clean(instance):
    """Preference dictionaries restricted to mutually acceptable pairs with seats."""
    capacities = {str(p): int(c) for p, c in instance["capacities"].items()}
    listed_by = {
        str(p): set(map(str, graduates)) for p, graduates in instance["postings"].items() if capacities.get(str(p), 0) > 0
    }
    residents = {}
    for graduate, postings in instance["graduates"].items():
        acceptable = [p for p in map(str, postings) if graduate in listed_by.get(p, ())]
        if acceptable:
            residents[graduate] = acceptable
    ranked_back = {}
    for graduate, postings in residents.items():
        for posting in postings:
            ranked_back.setdefault(posting, set()).add(graduate)
    hospitals = {
        p: [g for g in map(str, instance["postings"][p]) if g in ranked_back.get(p, ())]
        for p in listed_by
        if p in ranked_back
    }
    return residents, hospitals, {p: capacities[p] for p in hospitals}


def main():
    source, target = sys.argv[1:3]
    optimal = {"graduates": "resident", "postings": "hospital"}[sys.argv[3] if len(sys.argv) > 3 else "graduates"]
    with open(source, encoding="utf-8") as f:
        instance = json.load(f)
    residents, hospitals, capacities = clean(instance)
    HospitalResident.check_inputs = lambda self: None
    game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities, clean=False)
    matching = game.solve(optimal=optimal)
    posting_of = {}
    for hospital, matched in matching.items():
        for resident in matched:
            posting_of[resident.name] = hospital.name
    graduates = list(instance["graduates"])
    output = {
        "assignment": {g: posting_of[g] for g in graduates if g in posting_of},
        "unmatched": [g for g in graduates if g not in posting_of],
    }
    with open(target, "w", encoding="utf-8") as f:
        f.write(json.dumps(output, ensure_ascii=False) + "\n")


def run_with_deep_stack():
    failed = []

    def guarded():
        try:
            main()
        except BaseException:  # reported here: a thread's exception would not fail the process
            traceback.print_exc()
            failed.append(True)

    sys.setrecursionlimit(10_000_000)
    threading.stack_size(2**30)
    worker = threading.Thread(target=guarded)
    worker.start()
    worker.join()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    run_with_deep_stack()
