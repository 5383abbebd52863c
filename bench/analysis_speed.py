"""Speed and memory of the analysis surfaces against the targets of issue #6, on one core:

    python -m bench.analysis_speed STORE [--json]

STORE is a resolved store of every bundled list (and, for the candidates question, a
dataset of allegations such as ACF's). Measured in this process, pinned to one core with
DuckDB on one thread: status of one entity (p50/p95 over a fixed sample of entities,
several-record ones and single records alike), the full `gaps` and `coverage`, one
dossier in HTML, and the peak memory (max RSS) of the whole run. Targets: status ≤ 20 ms,
gaps and coverage ≤ 1 s, dossier HTML ≤ 0.5 s, peak ≤ 500 MB.
"""

from __future__ import annotations

import json
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

TARGETS = {"status_p50_ms": 20.0, "gaps_s": 1.0, "coverage_s": 1.0, "dossier_html_s": 0.5, "peak_mb": 500.0}


def _best(f: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - started)
    return best, out


def measure(store: str) -> dict[str, Any]:
    import duckdb

    from reckon.analysis.gaps import GapQuery, gaps
    from reckon.analysis.status import all_statuses, entity_status

    con = duckdb.connect(store, read_only=True, config={"threads": 1})
    res: dict[str, Any] = {"store": store}
    rng = random.Random(6)
    several = [
        str(r[0])
        for r in con.execute(
            "SELECT canonical_id FROM resolve_records GROUP BY 1 HAVING count(*) > 1 ORDER BY 1"
        ).fetchall()
    ]
    single = [
        f"{s}:{r}"
        for s, r in con.execute(
            "SELECT source, record_id FROM records WHERE removed_version IS NULL ORDER BY 1, 2"
        ).fetchall()
    ]
    sample = rng.sample(several, min(100, len(several))) + rng.sample(single, min(100, len(single)))
    entity_status(con, sample[0])  # imports, registry, taxonomy: once per process
    times = []
    for entity in sample:
        started = time.perf_counter()
        entity_status(con, entity)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    res["status_entities"] = len(times)
    res["status_p50_ms"] = round(statistics.median(times), 2)
    res["status_p95_ms"] = round(times[int(len(times) * 0.95) - 1], 2)
    res["status_max_ms"] = round(times[-1], 2)

    query = GapQuery(("gb", "au"), ("us",), "Person", "russia_ukraine", "targeted")
    seconds, report = _best(lambda: gaps(con, query))
    res["gaps_s"], res["gaps_rows"] = round(seconds, 3), len(report.gaps)
    candidates = [
        str(r[0])
        for r in con.execute(
            "SELECT DISTINCT source FROM versions WHERE source IN ('acf_war_enablers', 'ua_war_sanctions') "
            "ORDER BY source"
        ).fetchall()
    ]
    if candidates:
        # "Documented by ACF, not sanctioned by the US" (the EU list is only a sample: unknown).
        query = GapQuery((), ("us",), "Person", candidates=candidates[0])
        seconds, report = _best(lambda: gaps(con, query))
        res["gaps_candidates_s"], res["gaps_candidates_rows"] = round(seconds, 3), len(report.gaps)
        res["gaps_candidates_dataset"] = candidates[0]
    seconds, everything = _best(lambda: all_statuses(con), runs=1)
    res["all_statuses_s"], res["entities"] = round(seconds, 3), len(everything)
    del everything

    try:
        from reckon.analysis.coverage import coverage
    except ImportError:
        res["coverage_s"] = None
    else:
        seconds, _ = _best(lambda: coverage(con))
        res["coverage_s"] = round(seconds, 3)
    try:
        from reckon.analysis.dossier import entity_dossier, render_html
    except ImportError:
        res["dossier_html_s"] = None
    else:
        target = sample[0]
        seconds, _ = _best(lambda: render_html(entity_dossier(con, target)))
        res["dossier_html_s"] = round(seconds, 3)
    res["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    res["targets"] = TARGETS
    return res


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    res = measure(sys.argv[1])
    if "--json" in sys.argv:
        print(json.dumps(res))
        return
    for key, value in res.items():
        if key == "targets":
            continue
        target = TARGETS.get(key)
        mark = "" if target is None or value is None else (" ok" if value <= target else f" > {target}")
        print(f"{key:26} {value}{mark}")


if __name__ == "__main__":
    main()
