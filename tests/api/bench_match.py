"""Load on a running `reckon serve`: single-query POST /match for a fixed time from a few
threads of the standard library's HTTP client (keep-alive), reporting requests/s,
p50/p99 latency and errors. Not a test (pytest does not collect it):

    .venv/bin/python -m tests.api.bench_match http://127.0.0.1:8000 --seconds 10 --threads 4
"""

from __future__ import annotations

import argparse
import http.client
import json
import threading
import time
from urllib.parse import urlsplit

# Names as a compliance team screens them: listed people and companies in both scripts,
# a vessel by IMO, and names listed nowhere (most screening queries find nothing).
QUERIES = [
    {"schema": "Person", "properties": {"name": ["Абрамович Роман Аркадьевич"]}},
    {"schema": "Person", "properties": {"name": ["Roman Abramovich"], "birthDate": ["1966-10-24"]}},
    {"schema": "Person", "properties": {"name": ["Vladimir Putin"]}},
    {"schema": "Person", "properties": {"name": ["Шойгу Сергей"]}},
    {"schema": "Company", "properties": {"name": ["Sberbank"]}},
    {"schema": "Vessel", "properties": {"name": ["GASRET ALIEV"], "imoNumber": ["9083330"]}},
    {"schema": "Person", "properties": {"name": ["Maria Schmidt"], "birthDate": ["1980-02-01"]}},
    {"schema": "Company", "properties": {"name": ["Acme Trading GmbH"]}},
    {"schema": "Person", "properties": {"name": ["Иван Петрович Сидоров"]}},
    {"schema": "LegalEntity", "properties": {"name": ["Rosneft"]}},
]


# One request as the load client sends it: method, path, body, headers.
Request = tuple[str, str, bytes | None, dict[str, str]]


def run(base: str, seconds: float, threads: int) -> dict[str, float]:
    bodies = [json.dumps({"queries": {"q": q}}).encode() for q in QUERIES]
    headers = {"Content-Type": "application/json"}
    return load(base, seconds, threads, [("POST", "/match/default", b, headers) for b in bodies])


def load(
    base: str, seconds: float, threads: int, requests: list[Request], spread: bool = False
) -> dict[str, float]:
    """`threads` keep-alive clients sending `requests` in turn for `seconds`: requests/s,
    p50/p99/max latency of the answered ones, and errors (a non-200 or a failed request).
    Each client goes through all of `requests` from its own offset (its neighbours ask the
    same ones a step apart); with `spread`, client k sends requests k, k+threads, … each
    once, so that no request is sent twice (a client stops when its share is done)."""
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=10)
        mine: list[float] = []
        bad = 0
        share = requests[offset::threads] if spread else requests
        i = 0 if spread else offset
        while time.perf_counter() < stop and (not spread or i < len(share)):
            method, path, body, headers = share[i % len(share)]
            i += 1
            t0 = time.perf_counter()
            try:
                conn.request(method, path, body, headers)
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=10)
                continue
            mine.append(time.perf_counter() - t0)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")
        )

    return {
        "requests": len(latencies),
        "errors": errors[0],
        "seconds": round(elapsed, 2),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(pct(0.50), 2),
        "p99_ms": round(pct(0.99), 2),
        "max_ms": round(latencies[-1] * 1000, 2) if latencies else float("nan"),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--threads", type=int, default=4)
    args = ap.parse_args()
    print(json.dumps(run(args.base, args.seconds, args.threads)))


if __name__ == "__main__":
    main()
