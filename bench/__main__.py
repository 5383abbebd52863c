"""Run the benchmarks: `python -m bench [parse|import|replay|all] [--write-docs]`.

Each measurement runs in a fresh child process pinned to one core (DuckDB limited to
one thread), so times are single-core and peak memory (max RSS) is the child's own.
Results go to bench/results/latest.json; --write-docs renders docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench.cases import CASES

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "latest.json"


# nomenklatura pins duckdb < 2.0, so its cases run in a venv of their own (make bench).
PEER_PYTHON = ROOT / ".venv-peer" / "bin" / "python"


# Annotation on the hand-labelled set (bench/annotate.py): its own module, which measures its
# builds in child processes of its own; its last line is the JSON result.
ANNOTATE = ("annotate", "annotate_eval", "bundled")


def run_case(name: str, arg: str) -> dict[str, object]:
    python = str(PEER_PYTHON) if name.startswith("match_logic") else sys.executable
    if name.startswith("match_logic") and not PEER_PYTHON.exists():
        return {"case": name, "arg": arg, "error": ["no .venv-peer: run `make bench` to create it"]}
    cmd = [python, "-m", "bench.child", name, arg]
    if name == ANNOTATE[1]:
        cmd = [python, "-m", "bench.annotate", "--json"]
    env = {"RECKON_THREADS": "1", "PYTHONHASHSEED": "0"}
    import os

    proc = subprocess.run(
        cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        return {"case": name, "arg": arg, "error": proc.stderr.strip().splitlines()[-1:]}
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    result.setdefault("case", name)
    result.setdefault("arg", arg)
    return result


def machine() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import duckdb

    return {
        "cpu": cpu,
        "cores": str(len(__import__("os").sched_getaffinity(0))),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument(
        "groups", nargs="*", default=["all"], help="parse, xlsx, import, replay, annotate or all"
    )
    parser.add_argument("--write-docs", action="store_true", help="rewrite docs/benchmarks.md")
    args = parser.parse_args()
    groups = set(args.groups)
    results = []
    for group, name, arg in [*CASES, ANNOTATE]:
        if "all" in groups or group in groups:
            print(f"[{group}] {name} {arg} ...", file=sys.stderr, flush=True)
            res = run_case(name, arg)
            res["group"] = group
            print(json.dumps(res), file=sys.stderr, flush=True)
            results.append(res)
    data = {"machine": machine(), "results": results}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"results": []}
    # Keep the latest result of every case not re-run this time.
    done = {(r["group"], r["case"], r["arg"]) for r in results}
    data["results"] = [
        r for r in previous.get("results", []) if (r.get("group"), r.get("case"), r.get("arg")) not in done
    ] + results
    RESULTS.write_text(json.dumps(data, indent=2))
    if args.write_docs:
        from bench.report import write_docs

        write_docs(data, ROOT / "docs" / "benchmarks.md")
    print(json.dumps(data, indent=2))


if __name__ == "__main__":
    main()
