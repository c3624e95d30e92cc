#!/usr/bin/env python3
"""The abuse checks of bench/hardening.sh, standard library only.

    python3 bench/hardening/abuse.py expensive PORT SERVER_PID N
        deep pages and long queries, N of each, one after another on one kept-alive
        connection: status, p50/p99/max latency, and the server's memory before and after.
    python3 bench/hardening/abuse.py lockout PORT N_WRONG
        30 correct sign-ins at once from one client, then N_WRONG wrong passwords from an
        attacker (8 at a time), then another client's sign-ins. With XIAOQI_HARDENING_XFF=1
        every client sends its own X-Forwarded-For (the server must trust loopback as a
        proxy: XIAOQI_TRUSTED_PROXIES); without it they all look like 127.0.0.1.
"""
import http.client
import json
import os
import statistics
import sys
import threading
import time
import urllib.parse

PASSWORD = "xiaoqi-demo-2026"
XFF = os.environ.get("XIAOQI_HARDENING_XFF") == "1"


def request(conn, method, path, body=None, headers=None):
    headers = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["content-type"] = "application/json"
    started = time.perf_counter()
    conn.request(method, path, body=data, headers=headers)
    reply = conn.getresponse()
    payload = reply.read()
    return reply.status, (time.perf_counter() - started) * 1000, payload, reply.getheader("retry-after")


def memory(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "VmSize", "VmPeak"):
                fields[key] = int(value.split()[0]) // 1024
    return fields


def token(port, email, forwarded=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"x-forwarded-for": forwarded} if forwarded and XFF else {}
    status, _, payload, _ = request(conn, "POST", "/api/v1/auth/token", {"email": email, "password": PASSWORD}, headers)
    conn.close()
    return json.loads(payload)["token"] if status == 200 else None


def expensive(port, pid, n):
    school = token(port, "jiuye@zqjsxy.demo", "192.0.2.10")
    long_text = "数控" * 5000
    # 90 KB once percent-encoded: beyond the 64 KB an HTTP/1 request target may have in
    # hyper, which answers 414 before any handler runs; 1,000 characters reach the q cap.
    longish_text = "数控" * 500
    many_words = " ".join(["焊工", "SMT", "宿舍", "数控"] * 500)
    cases = [
        ("deep page, sort=salary", "/api/v1/postings?page=1000000&per_page=100&sort=salary", {}),
        ("deep page, relevance", "/api/v1/postings?q=%E6%93%8D%E4%BD%9C%E5%B7%A5&page=1000000&per_page=100", {}),
        ("deep page, graduates (signed in)", "/api/v1/graduates?page=1000000&per_page=100",
         {"authorization": f"Bearer {school}"} if school else {}),
        ("q of 1,000 characters", "/api/v1/postings?q=" + urllib.parse.quote(longish_text), {}),
        ("q of 10,000 characters (URI 90 KB)", "/api/v1/postings?q=" + urllib.parse.quote(long_text), {}),
        ("q of 2,000 words", "/api/v1/postings?q=" + urllib.parse.quote(many_words), {}),
    ]
    print(f"### Abuse · expensive requests · {n} of each, one after another")
    print()
    print("| request | statuses | p50 ms | p99 ms | max ms | RSS before → after (MB) | peak RSS (MB) | peak virtual (MB) |")
    print("|---|---|---|---|---|---|---|---|")
    verdict = True
    for name, path, headers in cases:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        before = memory(pid)
        statuses, times = {}, []
        for _ in range(n):
            try:
                status, ms, _, _ = request(conn, "GET", path, headers=headers)
            except (ConnectionError, http.client.HTTPException, OSError):
                status, ms = 0, float("nan")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            statuses[status] = statuses.get(status, 0) + 1
            times.append(ms)
        conn.close()
        try:
            after = memory(pid)
        except FileNotFoundError:
            after = {"VmRSS": -1, "VmHWM": -1, "VmPeak": -1}
            print("| (the server process is gone: it died on these requests) |||||||")
        times.sort()
        p99 = times[max(0, int(len(times) * 0.99 + 0.5) - 1)]
        refused = {422, 414} if "URI 90 KB" in name else {422}
        ok = set(statuses) <= refused and p99 <= 5 and after["VmRSS"] - before["VmRSS"] <= 20
        verdict &= ok
        listed = " ".join(f"{s or 'none'}×{c}" for s, c in sorted(statuses.items()))
        print(f"| {name} | {listed} | {statistics.median(times):.1f} | {p99:.1f} | {times[-1]:.1f} | "
              f"{before['VmRSS']} → {after['VmRSS']} | {after['VmHWM']} | {after['VmPeak']} |")
    print()
    print("verdict (each: only 422 (414 for a request target over 64 KB), p99 ≤ 5 ms, RSS growth ≤ 20 MB): " + ("PASS" if verdict else "FAIL"))


def lockout(port, n_wrong):
    print(f"### Abuse · sign-in limits · X-Forwarded-For {'sent (loopback trusted)' if XFF else 'not sent: every client is 127.0.0.1'}")
    print()
    print("| step | statuses | Retry-After seen |")
    print("|---|---|---|")

    def burst(email, password, count, parallel, forwarded):
        statuses, retry = {}, set()
        lock = threading.Lock()
        todo = list(range(count))

        def run():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            headers = {"x-forwarded-for": forwarded} if XFF else {}
            while True:
                with lock:
                    if not todo:
                        break
                    todo.pop()
                try:
                    status, _, _, after = request(conn, "POST", "/api/v1/auth/token",
                                                  {"email": email, "password": password}, headers)
                except (ConnectionError, http.client.HTTPException, OSError):
                    status, after = 0, None
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1
                    if after:
                        retry.add(after)
            conn.close()

        threads = [threading.Thread(target=run) for _ in range(parallel)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return statuses, retry, time.perf_counter() - started

    def row(step, result):
        statuses, retry, seconds = result
        listed = " ".join(f"{s or 'none'}×{c}" for s, c in sorted(statuses.items()))
        shown = ", ".join(sorted(retry)[:3]) + (" …" if len(retry) > 3 else "")
        print(f"| {step} ({seconds:.1f} s) | {listed} | {shown or '-'} |")
        return statuses

    fair = row("30 correct sign-ins at once, one client, one account (hr@weizhenni.demo)",
               burst("hr@weizhenni.demo", PASSWORD, 30, 30, "203.0.113.30"))
    row(f"{n_wrong} wrong passwords for hr@aoshikang.demo from the attacker (8 at a time)",
        burst("hr@aoshikang.demo", "not-the-password", n_wrong, 8, "203.0.113.66"))
    victim = row("then another client signs in to hr@aoshikang.demo, right password",
                 burst("hr@aoshikang.demo", PASSWORD, 1, 1, "198.51.100.23"))
    other = row("then another client signs in to jiuye@zqjsxy.demo, right password",
                burst("jiuye@zqjsxy.demo", PASSWORD, 1, 1, "198.51.100.24"))
    attacker = row("then the attacker, right password for hr@aoshikang.demo (a limit may apply)",
                   burst("hr@aoshikang.demo", PASSWORD, 1, 1, "203.0.113.66"))
    ok = fair.get(200) == 30 and victim.get(200) == 1 and other.get(200) == 1
    print()
    print("verdict (all 30 fair sign-ins 200; the other client's sign-ins 200): " + ("PASS" if ok else "FAIL"))


if __name__ == "__main__":
    if sys.argv[1] == "expensive":
        expensive(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    elif sys.argv[1] == "lockout":
        lockout(int(sys.argv[2]), int(sys.argv[3]))
    else:
        sys.exit(__doc__)
