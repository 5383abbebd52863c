"""Entity pages seen for the first time, under load: `python -m bench.entity_pages STORE`.

Serves a copy of STORE (a resolved store, e.g. the one `make demo` builds) with
`reckon serve --workers 2` on a free loopback port, then asks for N distinct entity pages
(/entity/rk-…) from a few keep-alive client threads, each page once: every answer is worked
out, none is sent from what the server keeps of pages asked before. Prints one JSON line:
requests/s, p50/p99/max latency, errors, the server's resident memory (all its processes)
and its CPU time per request (the machine may be shared: CPU per request does not depend
on what else runs), with the load average at the start.

    .venv/bin/python -m bench.entity_pages /tmp/s1/final.duckdb --pages 600 --threads 4
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import duckdb

WARM = 16  # pages asked first and not counted: each worker reads what it keeps per store


def sample(store: Path, n: int, seed: int) -> list[str]:
    """`n` canonical entity ids of `store`, a fixed pseudo-random choice (by `seed`)."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        rows = con.execute(
            "SELECT canonical_id FROM (SELECT DISTINCT canonical_id FROM resolve_records) "
            "ORDER BY hash(canonical_id || ?) LIMIT ?",
            [str(seed), n],
        ).fetchall()
    finally:
        con.close()
    return [str(r[0]) for r in rows]


def _processes(marker: str) -> list[int]:
    """The server's processes: the one started with `marker` in its command line and
    its descendants (uvicorn's workers are spawned, their command lines name no store)."""
    parents: dict[int, int] = {}
    roots = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        if marker.encode() in cmdline:
            roots.append(int(entry.name))
    found = set(roots)
    grew = True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in found and pid not in found:
                found.add(pid)
                grew = True
    return sorted(found)


def _usage(pids: list[int]) -> tuple[float, float]:
    """(CPU seconds used so far, resident MB now) summed over `pids`."""
    tick = os.sysconf("SC_CLK_TCK")
    page = os.sysconf("SC_PAGE_SIZE")
    cpu = rss = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        cpu += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        rss += int(fields[21]) * page / 1e6
    return cpu, rss


def ask(host: str, port: int, ids: list[str], threads: int) -> tuple[list[float], int]:
    """Each page of `ids` once, from `threads` keep-alive clients: latencies (s), errors."""
    todo = iter(ids)
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]

    def worker() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        mine: list[float] = []
        bad = 0
        while True:
            with lock:
                entity = next(todo, None)
            if entity is None:
                break
            t0 = time.perf_counter()
            try:
                conn.request("GET", f"/entity/{entity}")
                resp = conn.getresponse()
                resp.read()
                bad += resp.status != 200
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
                continue
            mine.append(time.perf_counter() - t0)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sorted(latencies), errors[0]


def _both_ready(host: str, port: int) -> None:
    """Until /readyz has answered 200 on 20 new connections in a row: each lands on
    either worker, and each worker loads the store on its own."""
    in_a_row = 0
    deadline = time.monotonic() + 600
    while in_a_row < 20:
        if time.monotonic() > deadline:
            raise SystemExit("the server's workers were not all ready in 600 s")
        conn = http.client.HTTPConnection(host, port, timeout=60)
        try:
            conn.request("GET", "/readyz")
            ok = conn.getresponse().status == 200
        except OSError:
            ok = False
        finally:
            conn.close()
        in_a_row = in_a_row + 1 if ok else 0
        if not ok:
            time.sleep(0.5)


def run(store: Path, pages: int, threads: int, workers: int, seed: int) -> dict[str, object]:
    from tests.api.conftest import running_server

    ids = sample(store, pages + WARM, seed)
    with tempfile.TemporaryDirectory(prefix="reckon-entity-bench-") as tmp:
        copy = Path(tmp) / "store.duckdb"
        shutil.copyfile(store, copy)
        env = {"RECKON_API_WORKERS": str(workers)}
        with running_server(copy, Path(tmp) / "serve.log", env) as srv:
            _both_ready(srv.host, srv.port)
            ask(srv.host, srv.port, ids[:WARM], max(threads, workers * 2))
            pids = _processes(str(copy))
            load = os.getloadavg()
            cpu0, _ = _usage(pids)
            started = time.perf_counter()
            latencies, errors = ask(srv.host, srv.port, ids[WARM:], threads)
            elapsed = time.perf_counter() - started
            cpu1, rss = _usage(pids)

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1)

    return {
        "pages": len(latencies),
        "errors": errors,
        "threads": threads,
        "workers": workers,
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "max_ms": round(latencies[-1] * 1000, 1),
        "cpu_ms_per_page": round((cpu1 - cpu0) * 1000 / max(1, len(latencies)), 1),
        "server_rss_mb": round(rss),
        "load_average_at_start": [round(x, 2) for x in load],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store", type=Path)
    ap.add_argument("--pages", type=int, default=600, help="distinct entity pages asked, each once")
    ap.add_argument("--threads", type=int, default=4, help="client threads")
    ap.add_argument("--workers", type=int, default=2, help="server processes")
    ap.add_argument("--seed", type=int, default=1, help="which entities (a fixed choice per seed)")
    args = ap.parse_args()
    print(json.dumps(run(args.store, args.pages, args.threads, args.workers, args.seed)))


if __name__ == "__main__":
    main()
