"""Serving while the store changes (issue 19, points 3 and 6): `reckon ingest` of a newer
real list version while a server answers; clients hammering it never see an error or a half
state, and the server picks up the new version without a restart. Several workers,
`serve --check`, a clean stop on SIGTERM, writers waiting for a copy in progress."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from reckon.api.snapshots import TURN, Snapshots, folder_of, stamp
from reckon.ingest import ingest_paths
from reckon.resolve import resolve
from reckon.store import connect
from tests.api.conftest import START, TIMEOUT, Server, free_port, running_server
from tests.conftest import REPO, shared
from tests.resolve.conftest import OFSI, load

T = TypeVar("T")

OLD_SDN = "ofac_sdn_history/sdn_2023-02-24.csv"
NEW_SDN = "ofac_sdn_history/sdn_2024-05-03.csv"
GASRET_ALIEV = "us_ofac_sdn:37071"  # IMO 9083330, on both versions
VESSEL = {"queries": {"v": {"schema": "Vessel", "properties": {"imoNumber": ["9083330"]}}}}
FAST_POLL = {"RECKON_API_POLL": "0.3"}


def cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", START, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(REPO / "src"), **(env or {})},
    )


def snapshot_files(db: Path) -> list[str]:
    folder = folder_of(db)
    return sorted(p.name for p in folder.iterdir() if p.name not in ("lock", TURN)) if folder.exists() else []


@pytest.fixture(scope="module")
def old_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole OFAC SDN list of 2023-02-24 and Abramovich's OFSI record, resolved: the
    store a server starts on; a test copies it and imports the SDN list of 2024-05-03."""
    path = tmp_path_factory.mktemp("serving") / "old.duckdb"
    con = connect(path)
    try:
        ingest_paths(con, [shared(OLD_SDN)])
        load(con, OFSI, ["14212"])
        resolve(con)
    finally:
        con.close()
    return path


def copy_store(src: Path, dst: Path) -> Path:
    dst.write_bytes(src.read_bytes())
    return dst


class Hammer:
    """Client threads asking /match, /catalog and /serving in a loop, each on its own
    keep-alive connection, recording errors and what each answer says about the version."""

    def __init__(self, server: Server, threads: int = 4) -> None:
        self.server = server
        self.stop = threading.Event()
        self.errors: list[str] = []
        self.answers = 0
        # generation → the SDN version date (and record count) each kind of answer showed
        self.seen: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self.lock = threading.Lock()
        self.pool = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(threads)]

    def __enter__(self) -> Hammer:
        for t in self.pool:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.pool:
            t.join(TIMEOUT + 5)

    def _run(self, n: int) -> None:
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=TIMEOUT)
        body = json.dumps(VESSEL).encode()
        i = n
        while not self.stop.is_set():
            i += 1
            path = ("/match/default", "/catalog", "/serving")[i % 3]
            try:
                if path.startswith("/match"):
                    conn.request("POST", path, body, {"Content-Type": "application/json"})
                else:
                    conn.request("GET", path)
                resp = conn.getresponse()
                data = resp.read()
                generation = resp.getheader("x-reckon-generation") or ""
            except (OSError, http.client.HTTPException) as exc:
                with self.lock:
                    self.errors.append(f"{path}: {type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=TIMEOUT)
                continue
            if resp.status != 200:
                with self.lock:
                    self.errors.append(f"{path}: {resp.status} {data[:200]!r}")
                continue
            with self.lock:
                self.answers += 1
                self.seen[generation].update(self._versions(path, json.loads(data), generation))
        conn.close()

    @staticmethod
    def _versions(path: str, doc: dict[str, object], generation: str) -> set[tuple[str, str]]:
        """What one answer says of the SDN list: (kind, version date)."""
        if path == "/serving":
            assert doc["generation"] == generation
            versions = doc["versions"]
            assert isinstance(versions, dict)
            return {("version", versions["us_ofac_sdn"])}
        if path == "/catalog":
            datasets = doc["datasets"]
            assert isinstance(datasets, list)
            (sdn,) = [d for d in datasets if d["name"] == "us_ofac_sdn"]
            return {("version", sdn["version"]), ("records", f"{sdn['version']}:{sdn['records']}")}
        responses = doc["responses"]
        assert isinstance(responses, dict)
        hits = [
            r for r in responses["v"]["results"] if GASRET_ALIEV in r["referents"] or r["id"] == GASRET_ALIEV
        ]
        assert hits, "GASRET ALIEV not found"
        return {("version", str(hits[0]["last_seen"]))}


# How long a test waits for what the server does in the background (a reload, removing a
# copy) before it calls the server stuck: a guard against hanging, not a speed the test
# asks for (speed is measured in docs/benchmarks.md).
HANG = 600.0


def eventually(probe: Callable[[], T | None], what: str, every: float = 0.3) -> T:
    """`probe()`'s first answer that is not None, asked every `every` seconds."""
    deadline = time.monotonic() + HANG
    while (found := probe()) is None:
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not after {HANG:.0f} s, the server looks stuck")
        time.sleep(every)
    return found


def wait_for(server: Server, sdn_version: str) -> dict[str, Any]:
    def served() -> dict[str, Any] | None:
        doc = server.get("/serving").json()
        return dict(doc) if doc["versions"].get("us_ofac_sdn") == sdn_version else None

    return eventually(served, f"SDN version {sdn_version} served")


@pytest.mark.integration
def test_an_import_while_serving_is_seen_whole_and_without_a_restart(old_store: Path, tmp_path: Path) -> None:
    db = copy_store(old_store, tmp_path / "store.duckdb")
    with running_server(db, tmp_path / "serve.log", FAST_POLL) as server:
        first = server.get("/serving").json()
        old_version = first["versions"]["us_ofac_sdn"]
        assert snapshot_files(db) == [f"{first['generation']}.duckdb"]
        with Hammer(server) as hammer:
            time.sleep(1.0)
            started = time.monotonic()
            out = cli("ingest", str(shared(NEW_SDN)), "--db", str(db))
            ingest_seconds = time.monotonic() - started
            assert out.returncode == 0, out.stderr
            new = wait_for(server, sdn_version(db))
            picked_up = time.monotonic() - started
            time.sleep(1.0)  # a few answers from the new generation too
        assert not hammer.errors, hammer.errors[:5]
        assert hammer.answers > 20
        # Each generation answered with one SDN version only, whatever the route: no answer
        # mixed the old and the new, and the old one is still whole.
        by_generation = {g: {v for kind, v in seen if kind == "version"} for g, seen in hammer.seen.items()}
        assert set(by_generation) == {first["generation"], new["generation"]}, by_generation
        assert by_generation[first["generation"]] == {old_version}
        assert by_generation[new["generation"]] == {new["versions"]["us_ofac_sdn"]}
        for g, seen in hammer.seen.items():
            assert len({v for kind, v in seen if kind == "records"}) <= 1, (g, seen)
        # The old copy goes once its last request is over; the new one is the only one left.
        only_new = [f"{new['generation']}.duckdb"]
        eventually(lambda: True if snapshot_files(db) == only_new else None, "the old copy removed")
        assert server.get("/serving").json()["reloads"] == 1
        print(
            f"ingest {ingest_seconds:.1f} s while serving; new version served {picked_up:.1f} s after it began"
        )
    assert not folder_of(db).exists(), snapshot_files(db)


def sdn_version(db: Path) -> str:
    """The SDN version date the import recorded, as the store says it."""
    con = connect(db, read_only=True, create=False)
    try:
        row = con.execute("SELECT max(version_date) FROM versions WHERE source = 'us_ofac_sdn'").fetchone()
    finally:
        con.close()
    assert row is not None
    return str(row[0])


@pytest.mark.integration
def test_a_state_that_cannot_be_served_leaves_the_old_one_in_service(old_store: Path, tmp_path: Path) -> None:
    db = copy_store(old_store, tmp_path / "store.duckdb")
    with running_server(db, tmp_path / "serve.log", FAST_POLL) as server:
        first = server.get("/serving").json()
        # Take back every version: a store with no list loaded cannot be served.
        for source in ("gb_hmt_sanctions", "us_ofac_sdn"):
            out = cli("versions", "remove", source, "--db", str(db))
            assert out.returncode == 0, out.stderr
        doc = eventually(
            lambda: d if (d := server.get("/serving").json())["reload_error"] is not None else None,
            "a reload error reported",
        )
        # The last state that could be served is still served (the first, or the one
        # between the two commands if the server loaded it meanwhile).
        assert "no list is loaded" in doc["reload_error"]
        assert doc["versions"]["us_ofac_sdn"] == first["versions"]["us_ofac_sdn"]
        assert server.get("/readyz").status == 200
        reply = server.post("/match/default", VESSEL)
        assert reply.status == 200 and reply.headers["x-reckon-generation"] == doc["generation"]
        assert GASRET_ALIEV in json.dumps(reply.json())
        assert snapshot_files(db) == [f"{doc['generation']}.duckdb"]


@pytest.mark.integration
def test_several_workers_share_one_copy_and_all_answer(old_store: Path, tmp_path: Path) -> None:
    db = copy_store(old_store, tmp_path / "store.duckdb")
    env = {"RECKON_API_WORKERS": "2", "RECKON_API_ACCESS_LOG": "1"}
    log = tmp_path / "serve.log"
    with running_server(db, log, env) as server:
        pids: dict[int, str] = {}

        def both() -> dict[int, str] | None:
            reply = server.get("/serving")  # a new connection each: the kernel spreads them
            if reply.status == 200 and reply.json()["status"] == "ok":
                pids[reply.json()["pid"]] = reply.json()["generation"]
            return pids if len(pids) == 2 else None

        eventually(both, "both workers answering", every=0.05)
        assert len(set(pids.values())) == 1
        assert snapshot_files(db) == [f"{next(iter(pids.values()))}.duckdb"]
        assert server.post("/match/default", VESSEL).status == 200
    assert not folder_of(db).exists(), snapshot_files(db)
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert {e["pid"] for e in lines if e["path"] == "/serving"} == set(pids)
    entry = next(e for e in lines if e["path"].startswith("/match"))
    assert entry["method"] == "POST" and entry["status"] == 200 and entry["ms"] > 0
    assert set(entry) >= {"time", "method", "path", "status", "ms", "client"}


def test_check_answers_then_stops(api_store: Path, tmp_path: Path) -> None:
    db = copy_store(api_store, tmp_path / "store.duckdb")  # api_store may be served meanwhile
    out = cli("serve", "--check", "--db", str(db), env={"RECKON_API_ACCESS_LOG": "0"})
    assert out.returncode == 0, out.stderr
    assert "/match/default 200" in out.stderr and "/ 200" in out.stderr and "stopped" in out.stderr
    assert not folder_of(db).exists()
    missing = cli("serve", "--check", "--db", str(tmp_path / "missing.duckdb"))
    assert missing.returncode == 2 and "no reckon store" in missing.stderr, missing.stderr
    assert "Traceback" not in missing.stderr


def test_sigterm_stops_the_server_and_removes_its_copy(api_store: Path, tmp_path: Path) -> None:
    db = copy_store(api_store, tmp_path / "store.duckdb")
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", START, "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(REPO / "src"), "RECKON_API_ACCESS_LOG": "0"},
    )
    try:
        server = Server("127.0.0.1", port)
        _until_ready(server, proc)
        assert len(snapshot_files(db)) == 1
        proc.send_signal(signal.SIGTERM)
        # uvicorn finishes the requests, shuts down, then dies of the signal it caught (the
        # timeout only keeps a stuck server from hanging the suite).
        assert proc.wait(timeout=HANG) in (0, -signal.SIGTERM)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not folder_of(db).exists()


def test_a_writer_waits_for_a_copy_in_progress_then_writes(api_store: Path, tmp_path: Path) -> None:
    """The server holds the store read-only while it copies it; a writer meanwhile waits
    (saying so after a second) rather than fail."""
    db = copy_store(api_store, tmp_path / "store.duckdb")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(db)!r}, read_only=True); print('held', flush=True); time.sleep(5)",
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
        out = cli("index", "--db", str(db), env={"RECKON_LOCK_WAIT": "30"})
        assert out.returncode == 0, out.stderr
        assert "in use by" in out.stderr and "waiting up to 30 s" in out.stderr
    finally:
        holder.kill()
        holder.wait()


def test_copies_are_shared_and_swept(api_store: Path, tmp_path: Path) -> None:
    db = copy_store(api_store, tmp_path / "store.duckdb")
    snaps = Snapshots.beside(db)
    a = snaps.take()
    b = snaps.take()  # the same state: the same copy
    assert a.path == b.path and a.stamp == stamp(db)
    assert snaps.sweep() == []  # held
    a.release()
    assert snaps.sweep() == []  # still held by b
    b.release()
    assert snaps.sweep() == [a.generation]
    # A copy half made by a process that is gone is swept too.
    (snaps.folder / ".20260101T000000-deadbeef.999999999.tmp").write_bytes(b"x")
    snaps.sweep()
    assert snapshot_files(db) == []
    snaps.close()
    assert not snaps.folder.exists()


def _until_ready(server: Server, proc: subprocess.Popen[bytes]) -> None:
    def ready() -> bool | None:
        if proc.poll() is not None:
            pytest.fail(f"reckon serve exited with {proc.returncode}")
        try:
            return True if server.get("/readyz").status == 200 else None
        except OSError:
            return None

    eventually(ready, "reckon serve ready", every=0.2)


def test_readyz_names_the_generation_served(server: Server) -> None:
    reply = server.get("/readyz")
    doc = reply.json()
    assert reply.status == 200 and doc["status"] == "ok"
    assert (
        doc["generation"]
        == reply.headers["x-reckon-generation"]
        == server.get("/serving").json()["generation"]
    )


@pytest.mark.integration
def test_workers_reload_in_turns_and_some_worker_always_answers(old_store: Path, tmp_path: Path) -> None:
    """With two workers, a new state of the store is loaded by one worker, then (once it is
    loaded and warm) by the other: the requests of clients hammering the server all succeed
    meanwhile, with no 503 while a worker loads."""
    db = copy_store(old_store, tmp_path / "store.duckdb")
    log = tmp_path / "serve.log"
    with running_server(db, log, {**FAST_POLL, "RECKON_API_WORKERS": "2"}) as server:
        first: dict[int, str] = {}

        def both(seen: dict[int, str], generation: str | None = None) -> dict[int, str] | None:
            doc = server.get("/serving").json()  # a new connection each: the kernel spreads them
            if doc["status"] == "ok" and doc["generation"] != generation:
                seen[doc["pid"]] = doc["generation"]
            return seen if len(seen) == 2 and len(set(seen.values())) == 1 else None

        eventually(lambda: both(first), "both workers answering", every=0.05)
        old = next(iter(first.values()))
        with Hammer(server) as hammer:
            out = cli("ingest", str(shared(NEW_SDN)), "--db", str(db))
            assert out.returncode == 0, out.stderr
            newer: dict[int, str] = {}
            new = eventually(lambda: both(newer, old), "both workers serving the new state", every=0.05)
            time.sleep(1.0)  # a few answers from the new generation too
        assert not hammer.errors, hammer.errors[:5]
        generation = next(iter(new.values()))
        assert generation != old and set(new) == set(first)
        # The second worker began loading only once the first had loaded (and warmed) it.
        lines = [line for line in log.read_text().splitlines() if generation in line]
        steps = [
            (line.split("[", 1)[1].split("]", 1)[0], line.split("] ", 1)[1].split()[0]) for line in lines
        ]
        starts = [i for i, (_, what) in enumerate(steps) if what == "loading"]
        assert len(starts) == 2, lines
        one = steps[starts[0]][0]
        assert (one, "generation") in steps[starts[0] : starts[1]], lines  # "generation … warmed"
        assert steps[starts[1]][0] != one
