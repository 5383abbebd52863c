"""The companies report (issue 22) on the bundled lists with the Yale CELI dataset.

`python -m bench.companies [STORE] [--json]` (STORE defaults to the resolved bundle that
bench/screening.py builds once into bench/results/). On a temporary copy of the store (the
store itself is never written) it measures, in this process:

- import: `reckon.ingest.import_mapped` of ../shared/data/companies/yale_celi_with_inn.csv
  through the shipped mapping (its graded twin joined), as `reckon candidates import` runs
  it, without the screening index's refresh that the command adds;
- resolution added: the incremental `reckon.resolve.resolve` after that import, and the
  review pairs it leaves on the dataset's records;
- the control graph's load (`reckon.control.load_graph`), once;
- the whole report (`companies_report`, every company, every jurisdiction) with the graph
  loaded once: the best of REPEAT runs (target: 5 s), and the same with the graph loaded
  inside (as `reckon companies` runs it).

The Yale files are not bundled (licence): without them the benchmark says so and stops.
The load average is printed with every figure: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("RECKON_SHARED_DATA", ROOT.parent / "shared" / "data"))
YALE = SHARED / "companies" / "yale_celi_with_inn.csv"
MAPPING = ROOT / "src" / "reckon" / "data" / "mappings" / "yale_celi.toml"
REPEAT = 3


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} / {five:.2f}"


def run(store: Path) -> dict[str, Any]:
    import duckdb

    from reckon.analysis.companies import companies_report
    from reckon.control import load_graph
    from reckon.ingest import import_mapped
    from reckon.resolve import resolve
    from reckon.store import connect

    out: dict[str, Any] = {"store": str(store), "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="bench-companies-") as tmp:
        copy = Path(tmp) / "store.duckdb"
        shutil.copy(store, copy)
        con = connect(copy)
        try:
            t = time.perf_counter()
            result = import_mapped(con, YALE, MAPPING, date="2023-06-02")
            out["import_s"] = round(time.perf_counter() - t, 2)
            out["import_records"] = result.records
            out["import_load"] = _load()
            t = time.perf_counter()
            resolved = resolve(con)
            out["resolve_s"] = round(time.perf_counter() - t, 2)
            out["resolve_load"] = _load()
            row = con.execute(
                "SELECT count(*) FILTER (WHERE decision = 'review'), count(*) FILTER (WHERE decision = 'merged') "
                "FROM resolve_pairs WHERE left_key LIKE 'yale_celi:%' OR right_key LIKE 'yale_celi:%'"
            ).fetchone()
            out["resolve_review_pairs"], out["resolve_merged_pairs"] = (
                (int(row[0]), int(row[1])) if row else (0, 0)
            )
            out["resolve_paired"] = resolved.repaired
        finally:
            con.close()
        ro = duckdb.connect(str(copy), read_only=True)
        try:
            t = time.perf_counter()
            graph = load_graph(ro)
            out["graph_load_s"] = round(time.perf_counter() - t, 2)
            out["graph_edges"] = len(graph.edges)
            runs = []
            for _ in range(REPEAT):
                t = time.perf_counter()
                report = companies_report(ro, graph=graph)
                runs.append(time.perf_counter() - t)
            out["report_s"] = round(min(runs), 2)
            out["report_runs_s"] = [round(r, 2) for r in runs]
            out["report_load"] = _load()
            t = time.perf_counter()
            companies_report(ro)
            out["report_with_graph_load_s"] = round(time.perf_counter() - t, 2)
            out["companies"] = len(report.companies)
            out["listed_or_russian_entity_listed"] = sum(1 for c in report.companies if c.listed_in)
            out["exposed_within_two_hops"] = sum(1 for c in report.companies if c.exposed_in)
        finally:
            ro.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", nargs="?", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not YALE.exists():
        print(f"the Yale CELI files are not available: {YALE.parent} (not bundled: licence)", file=sys.stderr)
        return 2
    store = args.store
    if store is None:
        from bench.screening import bundled_store

        store = bundled_store()
    out = run(store)
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        for k, v in out.items():
            print(f"{k:34} {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
