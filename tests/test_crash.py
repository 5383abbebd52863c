"""A real SIGKILL in the middle of an import leaves a consistent store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reckon.store import connect
from tests.conftest import shared


def _invariants(db: Path) -> dict[str, int]:
    """Per source, current records; and check they agree with the latest complete version."""
    con = connect(db)
    try:
        current = dict(
            con.execute(
                "SELECT source, count(*) FROM records WHERE removed_version IS NULL GROUP BY source"
            ).fetchall()
        )
        latest = con.execute(
            "SELECT source, arg_max(record_count, (version_date, version_id)) FROM versions GROUP BY source"
        ).fetchall()
        for source, count in latest:
            assert current.get(source, 0) == count, source
        orphans = con.execute(
            "SELECT count(*) FROM statements s LEFT JOIN versions v ON v.version_id = s.first_version "
            "WHERE v.version_id IS NULL"
        ).fetchone()
        assert orphans == (0,)
        return {str(k): int(v) for k, v in current.items()}
    finally:
        con.close()


@pytest.mark.integration
def test_sigkill_during_import_leaves_previous_state(tmp_path: Path) -> None:
    db = tmp_path / "crash.duckdb"
    env = {**os.environ, "RECKON_DB": str(db)}
    subprocess.run(
        [sys.executable, "-m", "reckon.cli", "ingest", str(shared("un/UN_consolidated_2025-11-20.xml"))],
        env=env,
        check=True,
        capture_output=True,
    )
    before = _invariants(db)
    csl = shared("us_csl/consolidated.csv.gz")
    killed_mid_import = False
    for delay in (2.0, 3.0, 4.0, 5.0):
        proc = subprocess.Popen(
            [sys.executable, "-m", "reckon.cli", "ingest", str(csl), "--json"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            killed_mid_import = True
        state = _invariants(db)
        assert state["un_sc_sanctions"] == before["un_sc_sanctions"]
        if "us_trade_csl" in state:  # the import had committed before the kill
            break
    assert killed_mid_import
    # The store still works: finishing the import gives the full list.
    subprocess.run(
        [sys.executable, "-m", "reckon.cli", "ingest", str(csl)], env=env, check=True, capture_output=True
    )
    assert _invariants(db)["us_trade_csl"] == 14048
