"""The resolve benchmark's runs: the records splink reads, splink itself in the peer venv, and
reckon's own `resolve` and `clusters --json` commands. Each returns a clustering and its costs;
bench/resolve/evaluate.py scores them all the same way."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parents[2]
PEER_PYTHON = ROOT / ".venv-peer" / "bin" / "python"
RECKON = Path(sys.executable).with_name("reckon")
SWEEP = (0.5, 0.8, 0.9, 0.99, 0.999)


class Skip(Exception):
    """The run cannot happen here (missing venv, command not built yet); the message says why."""


def export_records(db: Path, out: Path) -> int:
    """Current statements of every current record as Parquet (key, schema, caption, prop, value),
    with the lists' same-as cross-references as prop `same_as`; what splink reads."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute(
            f"""COPY (
              WITH cur AS (SELECT source || ':' || record_id AS key, schema, caption FROM records
                           WHERE removed_version IS NULL),
              st AS (SELECT source || ':' || record_id AS key, schema, entity_id, prop, value FROM statements
                     WHERE until_version IS NULL),
              facts AS (SELECT key, prop, value FROM st WHERE schema NOT IN ('Sanction', 'UnknownLink')
                        UNION ALL SELECT key, prop, value FROM st WHERE schema = 'Sanction' AND prop = 'unscId'),
              links AS (SELECT max(value) FILTER (WHERE prop = 'subject') AS key, 'same_as' AS prop,
                               max(value) FILTER (WHERE prop = 'object') AS value
                        FROM st WHERE schema = 'UnknownLink' GROUP BY entity_id
                        HAVING max(value) FILTER (WHERE prop = 'role') = 'same_as')
              SELECT cur.key, cur.schema, cur.caption, f.prop, f.value
              FROM cur JOIN (SELECT * FROM facts UNION ALL SELECT * FROM links) f USING (key)
              ORDER BY cur.key, f.prop, f.value
            ) TO '{out}' (FORMAT parquet)"""
        )
        (n,) = con.execute(f"SELECT count(DISTINCT key) FROM read_parquet('{out}')").fetchone()  # type: ignore[misc]
    finally:
        con.close()
    return int(n)


def run_splink(
    db: Path, workdir: Path, threshold: float | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """splink in the peer venv on the store's records; its clusters and its own measurements."""
    if not PEER_PYTHON.exists():
        raise Skip("no .venv-peer: run `make .venv-peer/bin/python` (the `peer` extra) to create it")
    records = workdir / "records.parquet"
    export_records(db, records)
    out = workdir / "splink_clusters.json"
    cmd = [
        str(PEER_PYTHON),
        "-m",
        "bench.resolve.peer_splink",
        str(records),
        str(out),
        "--sweep",
        *map(str, SWEEP),
    ]
    if threshold is not None:
        cmd += ["--threshold", str(threshold)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["?"])[-1]
        if "No module named 'splink'" in proc.stderr:
            raise Skip("splink is not installed in .venv-peer: `.venv-peer/bin/pip install -e '.[peer]'`")
        raise RuntimeError(f"splink failed: {tail}")
    stats: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    stats["sweep"] = {str(p): json.loads(Path(f"{out}.{p}").read_text(encoding="utf-8")) for p in SWEEP}
    return json.loads(out.read_text(encoding="utf-8")), stats


def _tail(*texts: str) -> str:
    """The last meaningful line of a command's output (rich's error boxes stripped)."""
    for text in texts:
        lines = [ln.strip(" │╭╮╰╯─\t") for ln in text.splitlines()]
        lines = [ln for ln in lines if any(c.isalnum() for c in ln)]
        if lines:
            return lines[-1]
    return "?"


def _reckon(args: list[str], db: Path) -> tuple[int, str, str, Any]:
    """Run one reckon command; its exit code, stdout, stderr and its own resource usage."""
    env = {**os.environ, "RECKON_THREADS": "1"}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        cmd = [str(RECKON), *args, "--db", str(db)]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return proc.returncode, out.read(), err.read(), usage


def run_reckon(db: Path, workdir: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """`reckon resolve --full` then `reckon clusters --json` on a copy of the store."""
    if not RECKON.exists():
        raise Skip(f"no {RECKON}")
    copy = workdir / "store.duckdb"
    shutil.copyfile(db, copy)
    t = time.perf_counter()
    code, out, err, usage = _reckon(["resolve", "--full"], copy)
    seconds = time.perf_counter() - t
    if code != 0:
        raise Skip(f"`reckon resolve --full` failed (exit {code}): {_tail(err, out)}")
    stats: dict[str, Any] = {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
    }
    t = time.perf_counter()
    code, out, err, _ = _reckon(["clusters", "--json"], copy)
    stats["clusters_seconds"] = time.perf_counter() - t
    if code != 0:
        raise Skip(f"`reckon clusters --json` failed (exit {code}): {_tail(err, out)}")
    try:
        clusters = json.loads(out)
    except json.JSONDecodeError as e:
        raise Skip(f"`reckon clusters --json` printed no JSON array: {e}") from e
    return clusters, stats


def tempdir() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="reckon-resolve-")


def run_incremental(workdir: Path) -> dict[str, Any]:
    """`reckon resolve` after `reckon ingest` of a newer SDN snapshot: a store of every
    bundled list with the SDN list as an earlier published version (from the bundled
    history), resolved in full; then the newest version is ingested (which
    refreshes the stored index) and resolve runs incrementally. Both commands timed."""
    from reckon.ingest import Job, bundled_jobs, ingest_one, iter_archive
    from reckon.resolve import resolve
    from reckon.store import connect
    from reckon.stored_index import refresh_index

    if not RECKON.exists():
        raise Skip(f"no {RECKON}")
    jobs = bundled_jobs()
    archive = next(j for j in jobs if j.history)
    newest = next(j for j in jobs if j.source == archive.source and not j.history)
    db = workdir / "incremental.duckdb"
    con = connect(db)
    # The archive unpacks member by member; keep a copy of the last two seen.
    seen: list[tuple[str, Path]] = []
    for member, path in iter_archive(archive.path):
        kept = workdir / "held" / str(len(seen)) / path.name
        kept.parent.mkdir(parents=True)
        shutil.copyfile(path, kept)
        seen.append((member, kept))
        if len(seen) > 3:
            seen[-4][1].unlink()
    # The newest member is the bundled newest snapshot itself, and the one before it
    # differs from it by removals only (nothing to re-pair): start two versions back.
    last = seen[-3]
    ingest_one(con, Job(last[1], archive.fmt, archive.source))
    for job in jobs:
        if job.source != archive.source:
            ingest_one(con, job)
    refresh_index(con)
    resolve(con, full=True)
    con.close()
    t = time.perf_counter()
    code, out, err, ingest_usage = _reckon(["ingest", str(newest.path)], db)
    ingest_seconds = time.perf_counter() - t
    if code != 0:
        raise Skip(f"`reckon ingest` failed (exit {code}): {_tail(err, out)}")
    t = time.perf_counter()
    code, out, err, usage = _reckon(["resolve", "--json"], db)
    seconds = time.perf_counter() - t
    if code != 0:
        raise Skip(f"`reckon resolve` failed (exit {code}): {_tail(err, out)}")
    result = json.loads(out)
    return {
        "from_version": last[0],
        "to_version": newest.path.name,
        "ingest_seconds": ingest_seconds,
        "ingest_cpu_seconds": ingest_usage.ru_utime + ingest_usage.ru_stime,
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "repaired": result["repaired"],
        "pairs_scored": result["pairs_scored"],
        "records": result["records"],
    }
