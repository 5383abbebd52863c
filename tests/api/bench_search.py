"""Load on a running `reckon serve`: single-word GET /search for a fixed time from a few
threads of the standard library's HTTP client (keep-alive), reporting requests/s,
p50/p99 latency and errors. Not a test (pytest does not collect it):

    .venv/bin/python -m tests.api.bench_search http://127.0.0.1:8000 --seconds 10 --threads 4
"""

from __future__ import annotations

import argparse
import json
from urllib.parse import quote

from tests.api.bench_match import load

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
    base: str,
    seconds: float,
    threads: int,
    dataset: str = "default",
    words: list[str] | None = None,
    once: bool = False,
) -> dict[str, float]:
    paths = [f"/search/{dataset}?q={quote(w)}" for w in words or WORDS]
    return load(base, seconds, threads, [("GET", path, None, {}) for path in paths], spread=once)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--dataset", default="default")
    ap.add_argument(
        "--words", help="A file of words, one a line, each asked once in turn (the server has not kept them)"
    )
    ap.add_argument(
        "--once",
        action="store_true",
        help="Each word asked once over all threads (without it, the threads ask the same words a "
        "step apart, and a worker answers the second asker from what it keeps)",
    )
    args = ap.parse_args()
    words = None
    if args.words:
        with open(args.words, encoding="utf-8") as fh:
            words = [w.strip() for w in fh if w.strip()]
    print(json.dumps(run(args.base, args.seconds, args.threads, args.dataset, words, args.once)))


if __name__ == "__main__":
    main()
