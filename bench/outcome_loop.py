"""Drives the outcome loop against a running server (see bench/outcome_loop.sh).

Environment: BASE (the API's base URL), BIN (the xiaoqi binary, to add company accounts),
ANSWERING (how many companies confirm their offers).
"""
import json
import os
import subprocess
import time
import urllib.error
import urllib.request

BASE = os.environ["BASE"]
BIN = os.environ["BIN"]
ANSWERING = int(os.environ.get("ANSWERING", "20"))
PASSWORD = "loop-bench-password"


def call(method, path, token=None, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def log_in(email):
    status, body = call("POST", "/auth/token", body={"email": email, "password": PASSWORD})
    assert status == 200, body
    return body["token"]


def timed(f):
    start = time.perf_counter()
    result = f()
    return result, (time.perf_counter() - start) * 1000


def fill_totals(token):
    (status, report), ms = timed(lambda: call("GET", "/reports/fill", token))
    assert status == 200, report
    rows = report["rows"]
    return {
        "projects": len(rows),
        "shortage": sum(r["shortage"] for r in rows),
        "seats": sum(r["seats"] for r in rows),
        "offers": sum(r["offers"] for r in rows),
        "placed": sum(r["placed"] for r in rows),
        "open_shortage": sum(r["open_shortage"] for r in rows),
    }, ms


def main():
    coordinator = log_in("bench@xiaoqi.bench")
    before, ms = fill_totals(coordinator)
    print(f"   fill report before: {before} ({ms:.0f} ms)")

    status, round_ = call("POST", "/rounds", coordinator, {"name": "outcome loop", "seed": 1})
    assert status == 201, round_
    rid = round_["id"]
    _, run_ms = timed(lambda: call("POST", f"/rounds/{rid}/run", coordinator))
    start = time.perf_counter()
    while True:
        _, r = call("GET", f"/rounds/{rid}", coordinator)
        if r["status"] != "running":
            break
        time.sleep(0.5)
    print(f"   round {r['status']} in {time.perf_counter() - start:.1f} s: matched {r['stats']['matched']} "
          f"of {r['stats']['graduates']} graduates, {r['stats']['seats']} seats")

    (status, published), publish_ms = timed(lambda: call("POST", f"/rounds/{rid}/publish", coordinator, {}))
    assert status == 200, published
    _, offers = call("GET", f"/offers?round_id={rid}&per_page=1", coordinator)
    print(f"   published in {publish_ms:.0f} ms: {offers['total']} offers made (one transaction, notices queued)")

    # The first approved companies confirm every offer they got; a coordinator accepts
    # each for the graduate.
    companies = []
    for page in range(1, 6):
        _, orgs = call("GET", f"/organizations?kind=company&status=approved&per_page=100&page={page}", coordinator)
        companies += [o["id"] for o in orgs["items"]]
        if len(orgs["items"]) < 100:
            break
    answered = 0
    answer_ms = []
    for company in companies[:ANSWERING]:
        email = f"hr{company}@bench.xiaoqi"
        subprocess.run([BIN, "user", "add", "--email", email, "--role", "company", "--org", str(company),
                        "--password-stdin"], input=PASSWORD.encode(), check=True, capture_output=True)
        token = log_in(email)
        _, mine = call("GET", f"/offers?round_id={rid}&status=pending&per_page=100", token)
        for offer in mine["items"]:
            for who in (token, coordinator):
                (status, body), ms = timed(lambda: call("POST", f"/offers/{offer['id']}/answer", who,
                                                        {"answer": "accept"}))
                assert status == 200, body
                answer_ms.append(ms)
            answered += 1
    answer_ms.sort()
    if answer_ms:
        p50 = answer_ms[len(answer_ms) // 2]
        p99 = answer_ms[min(len(answer_ms) - 1, int(len(answer_ms) * 0.99))]
        print(f"   {answered} offers accepted by both sides ({len(answer_ms)} answers): "
              f"p50 {p50:.1f} ms, p99 {p99:.1f} ms")

    after, ms = fill_totals(coordinator)
    print(f"   fill report after:  {after} ({ms:.0f} ms)")
    print(f"   open shortage fell by {before['open_shortage'] - after['open_shortage']}, "
          f"placed rose by {after['placed'] - before['placed']}")
    (status, dest), ms = timed(lambda: call("GET", "/reports/destinations", coordinator))
    assert status == 200, dest
    recorded = sum(sum(r["by_destination"].values()) for r in dest["rows"])
    print(f"   destinations report: {len(dest['rows'])} schools, {recorded} destinations recorded ({ms:.0f} ms)")


main()
