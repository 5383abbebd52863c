"""The prepared records kept in the store: the same as preparing afresh, prepared again
only for records that changed, and never trusted across a change of name rules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from reckon import stored_index
from reckon.match.prepare import Prepared, prepare
from reckon.store import connect
from reckon.store.queries import matching_entities
from reckon.stored_index import index_is_current, prepared_entities, refresh_index
from tests.resolve.conftest import EU, UN_NEW, UN_OLD, load


def fresh(con: duckdb.DuckDBPyConnection) -> list[Prepared]:
    return [prepare(e) for e in matching_entities(con)]


def counting(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    prepared: list[str] = []
    real: Callable[..., Prepared] = stored_index.prepare

    def spy(entity: dict[str, object]) -> Prepared:
        prepared.append(str(entity["id"]))
        return real(entity)

    monkeypatch.setattr(stored_index, "prepare", spy)
    return prepared


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = connect(tmp_path / "s.duckdb")
    load(con, UN_OLD)
    load(con, EU)
    return con


def test_stored_forms_are_what_preparing_afresh_gives(con: duckdb.DuckDBPyConnection) -> None:
    assert not index_is_current(con)
    n = refresh_index(con)
    assert index_is_current(con)
    stored = list(prepared_entities(con))
    assert len(stored) == n > 1000
    assert stored == fresh(con)
    # UN reference numbers are identifiers of the prepared record (EU quotes them too).
    ids = {i for p in stored for i in p.identifiers if i[0] == "unscId"}
    assert ("unscId", "IQI74") in ids  # the UN writes IQi.074


def test_a_new_list_version_prepares_only_the_records_it_changed(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    refresh_index(con)
    update = load(con, UN_NEW)
    prepared = counting(monkeypatch)
    refresh_index(con)
    changed = {f"un_sc_sanctions:{r}" for r in (*update.added, *update.amended)}
    assert set(prepared) == changed and len(changed) == 6
    assert list(prepared_entities(con)) == fresh(con)
    assert "un_sc_sanctions:IQi.074" not in {p.id for p in prepared_entities(con)}  # removed


def test_forms_prepared_by_other_rules_are_prepared_again(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = refresh_index(con)
    monkeypatch.setattr(stored_index, "fingerprint", lambda: "other rules")
    assert not index_is_current(con)
    prepared = counting(monkeypatch)
    # A reader that cannot refresh prepares in memory rather than trust the stored forms.
    assert [p.id for p in prepared_entities(con)] == sorted(prepared)
    prepared.clear()
    assert refresh_index(con) == n == len(prepared)
    assert index_is_current(con)
