"""Placement figures of default rounds against a running server (see bench/round.sh).

Environment: BASE (the API's base URL), EMAIL and PASSWORD (a coordinator), CANDIDATES
(candidates_per_graduate values, default "10 20 50"), SEED (the rounds' seed, default 1).

For each candidates_per_graduate, with and without the supplementary pass, runs a round
over everything and prints one row: fill rate (placed / min(placeable, seats)), the share
of placed graduates placed at one of their own choices, how many the supplementary pass
placed, moves, passes, the wall time from POST /run to done and the round's own phases.
"""
import json
import os
import time
import urllib.request

BASE = os.environ["BASE"]


def call(method, path, token=None, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=600) as response:
        return json.loads(response.read() or b"null")


def main():
    token = call("POST", "/auth/token", body={"email": os.environ["EMAIL"], "password": os.environ["PASSWORD"]})["token"]
    seed = int(os.environ.get("SEED", "1"))
    print("   | k  | pass | placeable | seats  | placed | fill rate | own choice | by pass | moves | passes | wall s | phases (ms)")
    print("   |----|------|-----------|--------|--------|-----------|------------|---------|-------|--------|--------|------------")
    for k in [int(k) for k in os.environ.get("CANDIDATES", "10 20 50").split()]:
        for supplementary in (False, True):
            settings = {"name": f"placement k={k} pass={supplementary}", "seed": seed,
                        "candidates_per_graduate": k, "supplementary": supplementary}
            rid = call("POST", "/rounds", token, settings)["id"]
            start = time.perf_counter()
            call("POST", f"/rounds/{rid}/run", token)
            while True:
                r = call("GET", f"/rounds/{rid}", token)
                if r["status"] != "running":
                    break
                time.sleep(0.25)
            wall = time.perf_counter() - start
            assert r["status"] == "done", r
            s = r["stats"]
            own = s["placed_in_own_choice"] / s["matched"] if s["matched"] else 0.0
            print(f"   | {k:<2} | {'on' if supplementary else 'off':<4} | {s['placeable']:>9} | {s['seats']:>6} | "
                  f"{s['matched']:>6} | {s['fill_rate'] * 100:>8.1f}% | {own * 100:>9.2f}% | "
                  f"{s['placed_by_supplementary']:>7} | {s['moved']:>5} | {s['supplementary_passes']:>6} | "
                  f"{wall:>6.1f} | {json.dumps(s['timings_ms'])}")
            print(f"   |    |      | unplaced by reason: {json.dumps(s['unmatched_by_reason'])}")


main()
