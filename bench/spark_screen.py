"""The Spark engine against the local one: `python -m bench.spark_screen [--rows N] [--store DB]`.

Screens one generated file (bench/bulk_rows: real list names perturbed as the matching
evaluation perturbs them, mixed with names on no list) with the local engine (1 and 2
workers) and with Spark local[2] (the index shipped as a broadcast and as a file), each
run in a child process of its own, Spark and local-2 back to back. Reports rows per
second (the screening, index loading and Spark's start excluded; Spark's shipping and
job overheads included), peak RSS per process (driver, each worker; Spark's JVM
apart), the time to ship the index, the ratio Spark/local-2, that both engines wrote
the same rows, and the load average around each run. Prints one JSON object and writes
it to bench/results/spark_screen.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "spark_screen.json"
CONFIGS = ("local-2", "spark-broadcast", "spark-file", "local-1")


def _descendants(pid: int) -> list[int]:
    """Every process below `pid` (by /proc's parent links)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def _peak_kb(pid: int) -> tuple[int, str] | None:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as fh:
            hwm = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmd = fh.read().replace(b"\x00", b" ").decode(errors="replace")
    except (OSError, StopIteration, ValueError):
        return None
    return hwm, cmd


class Peaks:
    """Polls the peak RSS (VmHWM) of a child and everything below it until stopped."""

    def __init__(self, pid: int) -> None:
        self.pid, self.seen = pid, {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def _poll(self) -> None:
        while not self.stop.wait(0.5):
            for p in [self.pid, *_descendants(self.pid)]:
                got = _peak_kb(p)
                if got is not None:
                    self.seen[p] = got

    def done(self) -> dict[str, list[int]]:
        self.stop.set()
        self.thread.join()
        kinds: dict[str, list[int]] = {}
        for p, (kb, cmd) in self.seen.items():
            kind = (
                "driver"
                if p == self.pid
                else "jvm"
                if "java" in cmd.split(" ", 1)[0]
                else "worker"
                if "python" in cmd
                else "other"
            )
            kinds.setdefault(kind, []).append(round(kb / 1024))
        return {k: sorted(v, reverse=True) for k, v in kinds.items()}


def child(config: str, rows_file: str, store: str, out_dir: str) -> dict[str, Any]:
    """One run, in this process: what the parent measures from outside is its memory."""
    import duckdb

    from reckon.batch import BatchOptions, screen_file
    from reckon.screening import load_index, where_listed

    con = duckdb.connect(store, read_only=True)
    index = load_index(con)
    engine, mode = config.split("-")
    out = Path(out_dir) / config
    result: dict[str, Any] = {"config": config}
    if engine == "local":
        options = BatchOptions(resume=False, workers=int(mode))
        started = time.monotonic()
        summary = screen_file(
            index, Path(rows_file), out.with_suffix(".parquet"), options, where=where_listed(con)
        )
        result["seconds"] = time.monotonic() - started
    else:
        from reckon.bulk.ship import build
        from reckon.bulk.spark import screen_file_spark, session

        spark = session("local[2]")
        spark.conf.set("spark.sql.shuffle.partitions", "4")
        run = screen_file_spark(
            index, rows_file, out, BatchOptions(resume=False), where_listed(con), spark=spark, ship_mode=mode
        )
        summary = run.summary
        result |= {
            "seconds": run.seconds,
            "ship_seconds": run.ship_seconds,
            "payload_mb": run.payload_bytes / 1e6,
        }
        # What each Python worker does with the payload once (decode it, build the index).
        from reckon.bulk.ship import make_payload

        data = make_payload(index, None)
        t = time.monotonic()
        build(data)
        result["worker_build_seconds"] = time.monotonic() - t
        spark.stop()
    result["rows"] = summary.rows
    result["rows_per_second"] = summary.rows / result["seconds"]
    result["hits"], result["errors"] = summary.hits, summary.errors
    return result


def _same_rows(out_dir: Path) -> dict[str, bool]:
    """Each run's rows against local-2's (every line, in a canonical order)."""
    import duckdb

    def rows(glob: Path) -> list[tuple[Any, ...]]:
        return duckdb.sql(f"SELECT * FROM read_parquet('{glob}') ORDER BY ALL").fetchall()

    local = rows(out_dir / "local-2.parquet")
    found = {"local-1": out_dir / "local-1.parquet"} | {
        c: out_dir / c / "*.parquet" for c in ("spark-broadcast", "spark-file") if (out_dir / c).is_dir()
    }
    return {c: rows(path) == local for c, path in found.items() if c != "local-1" or path.exists()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--store", type=Path, default=None, help="default: bench.screening.bundled_store()")
    ap.add_argument("--work", type=Path, default=Path("/tmp/reckon-spark-bench"))
    ap.add_argument("--configs", default=",".join(CONFIGS))
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child)))
        return 0
    from bench.bulk_rows import write

    if args.store is None:
        from bench.screening import bundled_store

        args.store = Path(bundled_store())
    args.work.mkdir(parents=True, exist_ok=True)
    rows_file = args.work / f"rows_{args.rows}.parquet"
    if not rows_file.exists():
        write(rows_file, args.rows)
    out_dir = args.work / f"out_{args.rows}"
    report: dict[str, Any] = {
        "rows": args.rows,
        "input": str(rows_file),
        "store": str(args.store),
        "runs": [],
    }
    for config in args.configs.split(","):
        load_before = os.getloadavg()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.spark_screen",
                "--child",
                config,
                str(rows_file),
                str(args.store),
                str(out_dir),
            ],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        peaks = Peaks(proc.pid)
        stdout, _ = proc.communicate()
        got = (
            json.loads(stdout.strip().splitlines()[-1])
            if proc.returncode == 0
            else {"config": config, "failed": proc.returncode}
        )
        got["peak_rss_mb"] = peaks.done()
        got["load_before"] = [round(x, 2) for x in load_before]
        got["load_after"] = [round(x, 2) for x in os.getloadavg()]
        report["runs"].append(got)
        print(json.dumps(got), file=sys.stderr, flush=True)
    by = {r["config"]: r for r in report["runs"] if "rows_per_second" in r}
    if "local-2" in by:
        report["spark_over_local2"] = {
            c: round(by[c]["rows_per_second"] / by["local-2"]["rows_per_second"], 3)
            for c in by
            if c.startswith("spark")
        }
        report["same_rows_as_local2"] = _same_rows(out_dir)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
