"""A real SIGKILL in the middle of `reckon resolve` leaves the previous clustering intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reckon.resolve import history, judge, resolve
from reckon.store import connect
from tests.resolve.conftest import CA, EU, OFAC_CONS, UN_NEW, UN_OLD, clustering, load


def _state(db: Path) -> tuple[dict[str, list[str]], int, int]:
    con = connect(db)
    try:
        runs = con.execute("SELECT count(*) FROM resolve_runs").fetchone()
        events = len(history(con))
        return clustering(con), int(runs[0]) if runs else 0, events
    finally:
        con.close()


@pytest.mark.integration
def test_sigkill_during_resolve_leaves_previous_clustering(tmp_path: Path) -> None:
    db = tmp_path / "crash.duckdb"
    con = connect(db)
    for f in (UN_OLD, UN_NEW, EU, CA, OFAC_CONS):
        load(con, f)
    resolve(con)
    # A judgement the next run must honour, so its result differs from the stored one.
    judge(con, "eu_fsf:118593", "un_sc_sanctions:LYi.028", "different", user="crash-test")
    con.close()
    before, runs, events = _state(db)
    assert any("eu_fsf:118593" in m and "un_sc_sanctions:LYi.028" in m for m in before.values())

    cmd = [sys.executable, "-m", "reckon.cli", "resolve", "--full", "--db", str(db)]
    killed = 0
    finished = False
    for step in range(40):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0 + 0.5 * step)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            killed += 1
        state, n_runs, n_events = _state(db)
        assert n_events == events
        if n_runs == runs:
            assert state == before  # killed: the previous clustering, whole
        else:
            assert n_runs == runs + 1  # the run committed before the kill
            finished = True
            break
    assert killed >= 1 and finished
    after, _, _ = _state(db)
    assert after != before
    assert not any("eu_fsf:118593" in m and "un_sc_sanctions:LYi.028" in m for m in after.values())
