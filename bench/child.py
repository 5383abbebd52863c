"""One measurement, in its own process pinned to one core; prints one JSON line."""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def _pin() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse(arg: str) -> dict[str, object]:
    from reckon.sources.detect import detect
    from reckon.sources.registry import parse_file

    path = Path(arg)
    fmt, source = detect(path)
    t = time.perf_counter()
    version = parse_file(path, fmt, source)
    seconds = time.perf_counter() - t
    return {"format": fmt, "source": version.source, "records": len(version.records), "seconds": seconds}


def xlsx_reckon(arg: str) -> dict[str, object]:
    from reckon.sources.common import read_bytes
    from reckon.sources.spreadsheet import read_xlsx

    t = time.perf_counter()
    _, rows = read_xlsx(Path(arg), read_bytes(arg), "Data")
    n = sum(1 for _ in rows)
    return {"rows": n, "seconds": time.perf_counter() - t}


def xlsx_openpyxl(arg: str) -> dict[str, object]:
    import openpyxl  # bench-only peer

    t = time.perf_counter()
    wb = openpyxl.load_workbook(arg, read_only=True, data_only=True)
    n = sum(1 for _ in wb["Data"].iter_rows(values_only=True))
    return {"rows": n, "seconds": time.perf_counter() - t}


def import_bundled(arg: str) -> dict[str, object]:
    """`no-history`: every bundled snapshot from an empty store (SDN as its newest
    snapshot). `history-only`: the 308-version SDN replay alone."""
    from reckon.ingest import REPO_DATA, bundled_jobs, ingest_archive, ingest_bundled
    from reckon.store import connect

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        con = connect(db)
        t = time.perf_counter()
        if arg == "history-only":
            (job,) = [j for j in bundled_jobs(REPO_DATA) if j.history]
            results = ingest_archive(con, job.path, source=job.source)
        else:
            results = ingest_bundled(con, history=False)
        seconds = time.perf_counter() - t
        con.execute("CHECKPOINT")
        con.close()
        size = db.stat().st_size + sum(p.stat().st_size for p in Path(tmp).glob("bench.duckdb*") if p != db)
        return {
            "versions": len(results),
            "records": sum(r.records for r in results if not r.skipped),
            "seconds": seconds,
            "db_mb": size / 1e6,
        }


def _match(matcher: str, arg: str) -> dict[str, object]:
    from bench.peer_nomenklatura import score_file

    return score_file(matcher, Path(arg))


def match_reckon(arg: str) -> dict[str, object]:
    """reckon's `score()` over one labelled pair file (quality per category and speed)."""
    return _match("reckon", arg)


def match_logic_v2(arg: str) -> dict[str, object]:
    """nomenklatura logic-v2 (yente's default) over the same pairs (bench-only peer)."""
    return _match("logic-v2", arg)


def match_logic_v1(arg: str) -> dict[str, object]:
    """nomenklatura logic-v1 over the same pairs (bench-only peer)."""
    return _match("logic-v1", arg)


def match_compare(arg: str) -> dict[str, object]:
    """Pairs reckon gets wrong and logic-v2 right, from this run's per-pair scores."""
    from bench.peer_nomenklatura import compare_files

    return compare_files(Path(arg))


def match_frozen(arg: str) -> dict[str, object]:
    """Live logic-v2 against OpenSanctions' frozen logic-v2 run on the name bench."""
    from bench.peer_nomenklatura import frozen_check

    return frozen_check(Path(arg))


def screen_memory(arg: str) -> dict[str, object]:
    from bench.screening import memory_index

    return memory_index(arg)


def screen_prepare(arg: str) -> dict[str, object]:
    from bench.screening import prepare_all

    return prepare_all(arg)


def screen_batch(arg: str) -> dict[str, object]:
    from bench.screening import batch_file

    return batch_file(arg)


def screen_entities(arg: str) -> dict[str, object]:
    """Hits as canonical entities (bench/screen_entities.py) on the resolved bundle."""
    from bench.screen_entities import memory
    from bench.screening import loaded_index_store

    return memory(str(loaded_index_store()))


def screen_cold(arg: str) -> dict[str, object]:
    from bench.screening import cold_query

    return cold_query(arg)


def resolve_gold(arg: str) -> dict[str, object]:
    """The resolution gold standard from a store of every bundled snapshot (bench/resolve/gold.py);
    written to bench/results/resolve_gold.jsonl."""
    from bench.resolve import gold

    db = gold.ensure_store()
    t = time.perf_counter()
    g = gold.gold_from_store(db)
    seconds = time.perf_counter() - t
    gold.write(g, gold.GOLD)
    stats = dict(g.stats)
    stats["contradictions"] = [{"members": d["members"], "why": d["why"]} for d in stats["contradictions"]]
    return {**stats, "seconds": seconds, "gold_file": str(gold.GOLD.relative_to(gold.ROOT))}


def _resolve_run(which: str) -> dict[str, object]:
    from bench.resolve import gold, runs
    from bench.resolve.evaluate import evaluate

    db = gold.ensure_store()
    g = gold.gold_from_store(db)
    with runs.tempdir() as tmp:
        try:
            if which == "splink":
                clusters, stats = runs.run_splink(db, Path(tmp))
            else:
                clusters, stats = runs.run_reckon(db, Path(tmp))
        except runs.Skip as why:
            return {"skipped": str(why)}
    sweep = stats.pop("sweep", {})
    result: dict[str, object] = {"resolver": which, **evaluate(clusters, g)}
    # The resolver's own process, not this one (main() records this one as peak_rss_mb).
    result["resolver_peak_rss_mb"] = stats.pop("peak_rss_mb", None)
    result["run"] = stats
    if sweep:
        result["sweep"] = {
            p: {k: v for k, v in evaluate(c, g).items() if k != "examples"} for p, c in sweep.items()
        }
    return result


def resolve_splink(arg: str) -> dict[str, object]:
    """splink 4 (DuckDB backend) in .venv-peer on the same records, scored against the gold."""
    return _resolve_run("splink")


def resolve_reckon(arg: str) -> dict[str, object]:
    """`reckon resolve --full` + `reckon clusters --json`, scored against the gold; skipped (with
    the reason) while those commands fail."""
    return _resolve_run("reckon")


def resolve_incremental(arg: str) -> dict[str, object]:
    """`reckon resolve` after ingesting the next SDN snapshot (bench/resolve/runs.py)."""
    from bench.resolve import runs

    with runs.tempdir() as tmp:
        try:
            return runs.run_incremental(Path(tmp))
        except runs.Skip as why:
            return {"skipped": str(why)}


def main() -> None:
    _pin()
    name, arg = sys.argv[1], sys.argv[2]
    result = globals()[name](arg)
    result.update({"case": name, "arg": arg, "peak_rss_mb": round(_peak_mb(), 1)})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
