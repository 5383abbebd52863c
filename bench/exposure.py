"""Exposure of one entity (2 hops) over the control graph (issue 22): the target is ≤ 50 ms.

`python -m bench.exposure [STORE] [--n 200] [--hops 2] [--json]` (STORE defaults to the
resolved bundle bench/screening.py builds once into bench/results/; it is copied to a
temporary file and read from the copy, never written). It measures:

- the graph load (`reckon.control.load_graph`): seconds and peak memory, in a fresh child
  process (so that the figures are the load's own, not this process's);
- `exposure()` of N real listed entities that state or receive relations (every k-th of
  them by id, so the set is fixed), graph loaded once: p50, p95 and max, (a) with the
  graph's own listings and (b) with each entity's status read as the surfaces read it
  (`status_lookup`, a fresh lookup per entity: no status is remembered between entities);
- the machine's load average with the figures, since the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import json, resource, sys, time
import duckdb
from reckon.control import load_graph
con = duckdb.connect(sys.argv[1], read_only=True)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
graph = load_graph(con)
seconds = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024, "added_mb": (peak - before) / 1024,
                  "edges": len(graph.edges), "entities": len(graph.adjacent), "problems": len(graph.problems),
                  "unresolved": len(graph.unresolved)}))
"""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary(ms: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(_percentile(ms, 0.95), 2),
        "max_ms": round(max(ms), 2),
    }


def run(store: Path, n: int, hops: int) -> dict[str, Any]:
    import duckdb

    from reckon.control import exposure, load_graph, status_lookup

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "store.duckdb"
        shutil.copyfile(store, copy)
        load = json.loads(
            subprocess.run(
                [sys.executable, "-c", _CHILD, str(copy)],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
            ).stdout.splitlines()[-1]
        )
        con = duckdb.connect(str(copy), read_only=True)
        graph = load_graph(con)
        candidates = sorted(e for e in graph.adjacent if graph.listed.get(e))
        step = max(1, len(candidates) // n)
        chosen = candidates[::step][:n]
        plain: list[float] = []
        with_status: list[float] = []
        paths: list[int] = []
        for entity in chosen:
            t = time.perf_counter()
            result = exposure(graph, entity, hops=hops)
            plain.append((time.perf_counter() - t) * 1000)
            paths.append(len(result.paths))
            lookup = status_lookup(con)
            t = time.perf_counter()
            exposure(graph, entity, hops=hops, status=lookup)
            with_status.append((time.perf_counter() - t) * 1000)
        con.close()
    return {
        "store": str(store),
        "hops": hops,
        "entities": len(chosen),
        "of_listed_with_relations": len(candidates),
        "graph_load": load,
        "exposure_graph_listings": _summary(plain),
        "exposure_with_status": _summary(with_status),
        "paths_per_entity": {"median": statistics.median(paths), "max": max(paths)},
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("store", nargs="?", type=Path)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--hops", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.store is None:
        from bench.screening import bundled_store

        args.store = bundled_store()
    report = run(args.store, args.n, args.hops)
    if args.json:
        print(json.dumps(report, indent=2))
        return
    load = report["graph_load"]
    print(
        f"graph: {load['edges']} edges, {load['entities']} entities, loaded in {load['seconds']:.2f} s, "
        f"peak {load['peak_mb']:.0f} MB (+{load['added_mb']:.0f} MB for the graph)"
    )
    for key, label in (
        ("exposure_graph_listings", "graph's listings"),
        ("exposure_with_status", "with status"),
    ):
        s = report[key]
        print(
            f"exposure ({label}), {report['entities']} entities, {report['hops']} hops: "
            f"p50 {s['p50_ms']} ms, p95 {s['p95_ms']} ms, max {s['max_ms']} ms"
        )
    print(f"load average: {report['load_average']}")


if __name__ == "__main__":
    main()
