"""Screening by canonical entity against screening by record, on one resolved store.

`python -m bench.screen_entities STORE [memory|stored|cold]` prints one JSON line. Run it
with the reckon under test first on PYTHONPATH (the code before a change and after, on
the same store): the measures read only what both versions give, a hit's records
(`Hit.records` where it exists, else the hit's own id). Queries are the first 1,000
query entities of bench/pairs/reckon_pairs.jsonl, as bench/screening.py takes them.

- memory: the in-memory index of `reckon screen --input`: latency, queries per second
  (wall and CPU), the right record among the hits (positive pairs), the labelled
  non-match among the hits (negative pairs), hits per query and the share of hits that
  stand for an entity another hit of the same query stands for too (by the store's
  resolution: duplicates).
- stored: the one-query path of `reckon screen NAME` (stored keys), in one process.
- cold: a new `reckon screen` process to its first answer.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT / "bench" / "pairs" / "reckon_pairs.jsonl"


def _records(hit: Any) -> tuple[str, ...]:
    return tuple(getattr(hit, "records", ())) or (hit.entity.id,)


def _pairs() -> list[dict[str, Any]]:
    with PAIRS.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def memory(store: str) -> dict[str, object]:
    import duckdb

    from reckon.screening import load_index

    con = duckdb.connect(store, read_only=True)
    t = time.perf_counter()
    index = load_index(con)
    build = time.perf_counter() - t
    canonical = dict(con.execute("SELECT record, canonical_id FROM resolve_records").fetchall())
    con.close()
    pairs = _pairs()
    queries = [p["query"] for p in pairs[:1000]]
    for q in queries[:50]:  # warm the caches as a running batch has them
        index.search(q, limit=10)
    lat = []
    hits_n = dup = 0
    cpu = time.process_time()
    answers = []
    for q in queries:
        t = time.perf_counter()
        hits = index.search(q, limit=10)
        lat.append(time.perf_counter() - t)
        answers.append(hits)
    cpu = time.process_time() - cpu
    for hits in answers:
        entities = [frozenset(canonical.get(r, r) for r in _records(h)) for h in hits]
        hits_n += len(hits)
        seen: set[str] = set()
        for e in entities:
            dup += bool(e & seen)
            seen |= e
    lat.sort()
    current = {e.id for e in index.entities}
    found = positives = false_hits = negatives = 0
    for p in pairs:
        cid = p["candidate"].get("id")
        if cid not in current:
            continue
        got = {r for h in index.search(p["query"], limit=10) for r in _records(h)}
        if p["match"]:
            positives += 1
            found += cid in got
        else:
            negatives += 1
            false_hits += cid in got
    return {
        "mode": "memory",
        "entities_in_index": len(index),
        "build_seconds": round(build, 2),
        "p50_ms": round(lat[len(lat) // 2] * 1000, 2),
        "p99_ms": round(lat[int(len(lat) * 0.99)] * 1000, 2),
        "queries_per_second": round(len(lat) / sum(lat), 1),
        "queries_per_cpu_second": round(len(lat) / cpu, 1),
        "hits_per_query": round(hits_n / len(queries), 3),
        "duplicate_hits_share": round(dup / hits_n, 4) if hits_n else 0.0,
        "recall_at_10": round(found / positives, 4) if positives else None,
        "positives": positives,
        "negative_candidate_hit_rate": round(false_hits / negatives, 4) if negatives else None,
        "negatives": negatives,
    }


def stored(store: str) -> dict[str, object]:
    import duckdb

    from reckon.screening import Query, screen_store

    con = duckdb.connect(store, read_only=True, config={"threads": 1})
    names = []
    for p in _pairs()[:300]:
        props = p["query"].get("properties", {})
        if props.get("name"):
            names.append(Query(props["name"][0], schema=p["query"].get("schema", "LegalEntity")))
    for q in names[:20]:
        screen_store(con, q)
    lat = []
    for q in names:
        t = time.perf_counter()
        screen_store(con, q)
        lat.append(time.perf_counter() - t)
    con.close()
    lat.sort()
    return {
        "mode": "stored",
        "queries": len(lat),
        "p50_ms": round(lat[len(lat) // 2] * 1000, 2),
        "p99_ms": round(lat[int(len(lat) * 0.99)] * 1000, 2),
    }


def cold(store: str) -> dict[str, object]:
    cmd = [sys.executable, "-m", "reckon.cli", "screen", "Абрамович Роман", "--db", store, "--json"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    times = []
    for _ in range(5):
        t = time.perf_counter()
        proc = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
        times.append(time.perf_counter() - t)
    hits = json.loads(proc.stdout)
    return {
        "mode": "cold",
        "seconds_median_of_5": round(sorted(times)[2], 3),
        "hits": len(hits),
        "top_records": list(hits[0].get("members") or [hits[0]["id"]]) if hits else [],
    }


if __name__ == "__main__":
    store, mode = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "memory")
    print(json.dumps({"memory": memory, "stored": stored, "cold": cold}[mode](store), ensure_ascii=False))
