"""Incremental resolution re-pairs only what changed, and agrees with a full run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reckon.resolve import resolve
from reckon.store import connect
from reckon.stored_index import refresh_index
from tests.resolve.conftest import CA, EU, OFAC_CONS, UN_NEW, UN_OLD, clustering, load


# The stored index is brought up to date by `reckon ingest`, or else by resolve itself.
@pytest.mark.parametrize("stored_keys", [True, False], ids=["indexed-by-ingest", "indexed-by-resolve"])
def test_new_un_version_repairs_only_added_and_amended_records(tmp_path: Path, stored_keys: bool) -> None:
    path = tmp_path / "inc.duckdb"
    con = connect(path)
    for f in (UN_OLD, EU, CA, OFAC_CONS):
        load(con, f)
    first = resolve(con)
    assert first.full and first.repaired == first.records
    assert resolve(con).repaired == 0  # nothing changed, nothing re-paired

    update = load(con, UN_NEW)
    if stored_keys:
        refresh_index(con)  # as `reckon ingest` does
    second = resolve(con)
    assert not second.full
    assert second.repaired == len(update.added) + len(update.amended) == 6
    repaired = {
        r[0] for r in con.execute("SELECT record FROM resolve_records WHERE record LIKE 'un_sc%'").fetchall()
    }
    assert "un_sc_sanctions:IQi.074" not in repaired  # removed from the list, gone from the entities
    incremental = clustering(con)
    con.close()

    copy = tmp_path / "full.duckdb"
    shutil.copy(path, copy)
    con = connect(copy)
    resolve(con, full=True)
    assert clustering(con) == incremental
    con.close()
