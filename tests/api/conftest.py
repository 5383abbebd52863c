"""A real `reckon serve` on a free loopback port over a small store of real records,
started once per module and always stopped; every request has a timeout."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reckon.ingest import ingest_paths
from reckon.resolve import resolve
from reckon.store import connect
from tests.conftest import REPO, shared
from tests.resolve.conftest import AU, EU, FCDO, OFSI, load

TIMEOUT = 30.0
ABRAMOVICH = {OFSI: ["14212"], FCDO: ["RUS0270"], AU: ["6754"]}


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Server:
    host: str
    port: int

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Reply:
        """One request on its own connection, redirects not followed."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            conn.request(method, path, body, headers or {})
            resp = conn.getresponse()
            return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
        finally:
            conn.close()

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, payload: object) -> Reply:
        return self.request("POST", path, json.dumps(payload).encode(), {"Content-Type": "application/json"})


START = "from reckon.cli import main; main()"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_store(path: Path) -> Path:
    """Abramovich's real records on the UK and Australian lists, the whole OFAC SDN list of
    2024-05-03 (GASRET ALIEV, IMO 9083330; the US "not listed as of"), the EU sample."""
    con = connect(path)
    try:
        ingest_paths(con, [shared("ofac_sdn_history/sdn_2024-05-03.csv")])
        for file_name, ids in ABRAMOVICH.items():
            load(con, file_name, ids)
        load(con, EU)
        resolve(con)
    finally:
        con.close()
    return path


@pytest.fixture(scope="package")
def api_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("api") / "api.duckdb")


@contextmanager
def running_server(db: Path, log: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """`reckon serve --db db` on a free loopback port, once /readyz answers 200; always
    stopped (SIGTERM, then kill). Its output goes to `log`."""
    port = free_port()
    env = {
        **os.environ,
        "RECKON_API_ACCESS_LOG": "0",
        "PYTHONPATH": str(REPO / "src"),
        **(env or {}),
    }
    with log.open("wb") as out:
        proc = subprocess.Popen(
            # As the `reckon` script starts it (`python -m reckon.cli` would make a second
            # `app` in __main__, without the commands of reckon.commands).
            [sys.executable, "-c", START, "serve", "--db", str(db), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    srv = Server("127.0.0.1", port)
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                pytest.fail(f"reckon serve exited with {proc.returncode}: {log.read_text()[-2000:]}")
            try:
                if srv.get("/readyz").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"reckon serve not ready in 180 s: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield srv
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="package")
def server(api_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(api_store, tmp_path_factory.mktemp("serve") / "serve.log") as srv:
        yield srv
