"""Load on a running `reckon serve`: single-word GET /search for a fixed time from a few
threads of the standard library's HTTP client (keep-alive), reporting requests/s,
p50/p99 latency and errors. Not a test (pytest does not collect it):

    .venv/bin/python -m tests.api.bench_search http://127.0.0.1:8000 --seconds 10 --threads 4
"""

from __future__ import annotations

import argparse
import http.client
import json
import threading
import time
from urllib.parse import quote, urlsplit

# Single words as people type them into a search box, in both scripts; some find nothing.
WORDS = [
    "Abramovich",
    "Абрамович",
    "Sberbank",
    "Aliev",
    "bank",
    "Rosneft",
    "Putin",
    "Шойгу",
    "Schmidt",
    "trading",
]


def run(
    base: str, seconds: float, threads: int, dataset: str = "default", words: list[str] | None = None
) -> dict[str, float]:
    parts = urlsplit(base)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    paths = [f"/search/{dataset}?q={quote(w)}" for w in words or WORDS]
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(offset: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=10)
        mine: list[float] = []
        bad = 0
        i = offset
        while time.perf_counter() < stop:
            path = paths[i % len(paths)]
            i += 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", path)
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
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--dataset", default="default")
    ap.add_argument(
        "--words", help="A file of words, one a line, each asked once in turn (the server has not kept them)"
    )
    args = ap.parse_args()
    words = None
    if args.words:
        with open(args.words, encoding="utf-8") as fh:
            words = [w.strip() for w in fh if w.strip()]
    print(json.dumps(run(args.base, args.seconds, args.threads, args.dataset, words)))


if __name__ == "__main__":
    main()
