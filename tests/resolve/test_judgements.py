"""The judgement log: undo with history, JSONL exchange, survival across re-imports."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from reckon.resolve import (
    JudgementError,
    current_verdicts,
    export_jsonl,
    history,
    import_jsonl,
    judge,
    resolve,
    undo,
)
from reckon.store import connect
from tests.resolve.conftest import EU, UN_NEW, UN_OLD, load, members_of

BADI_EU, BADI_UN = "eu_fsf:118593", "un_sc_sanctions:LYi.028"


def test_undo_reverts_to_the_previous_verdict_and_keeps_history(store: duckdb.DuckDBPyConnection) -> None:
    load(store, UN_OLD, ["LYi.028", "LYi.029"])
    a, b = "un_sc_sanctions:LYi.029", "un_sc_sanctions:LYi.028"
    judge(store, a, b, "same", user="ana", note="looked alike")
    judge(store, a, b, "different", user="ben", note="different fathers")
    assert current_verdicts(store) == {(b, a): "different"}
    undo(store, a, b, user="ana")
    assert current_verdicts(store) == {(b, a): "same"}
    undo(store, b, a, user="ana")
    assert current_verdicts(store) == {}
    with pytest.raises(JudgementError, match="nothing to undo"):
        undo(store, a, b, user="ana")
    events = history(store, a, b)
    assert [(e.verdict, e.user) for e in events] == [
        ("same", "ana"),
        ("different", "ben"),
        ("undo", "ana"),
        ("undo", "ana"),
    ]
    assert events[1].note == "different fathers"
    assert all(e.left == b and e.right == a for e in events)  # one order, whichever was typed


def test_judging_needs_real_records_and_a_known_verdict(store: duckdb.DuckDBPyConnection) -> None:
    load(store, UN_OLD, ["LYi.028"])
    with pytest.raises(JudgementError, match="no record"):
        judge(store, "un_sc_sanctions:LYi.028", "un_sc_sanctions:LYi.999", "same", user="ana")
    with pytest.raises(JudgementError, match="itself"):
        judge(store, "un_sc_sanctions:LYi.028", "un_sc_sanctions:LYi.028", "same", user="ana")
    with pytest.raises(JudgementError, match="verdict"):
        judge(store, "un_sc_sanctions:LYi.028", BADI_EU, "maybe", user="ana")
    assert history(store) == []


def test_jsonl_round_trip_is_exact_and_idempotent(store: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    load(store, UN_OLD, ["LYi.028", "LYi.029"])
    load(store, EU)
    judge(store, BADI_EU, BADI_UN, "same", user="ana", note="UN ref LYi.28 = LYi.028")
    judge(store, BADI_EU, "un_sc_sanctions:LYi.029", "different", user="ben")
    undo(store, BADI_EU, "un_sc_sanctions:LYi.029", user="ben")
    path = tmp_path / "team.jsonl"
    assert export_jsonl(store, path) == 3
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [x["verdict"] for x in lines] == ["same", "different", "undo"]

    other = connect(tmp_path / "colleague.duckdb")
    try:
        assert import_jsonl(other, path) == (3, 0)
        assert import_jsonl(other, path) == (0, 3)
        assert history(other) == history(store)
        assert current_verdicts(other) == current_verdicts(store) == {(BADI_EU, BADI_UN): "same"}
    finally:
        other.close()


def test_import_refuses_an_edited_event_and_adds_nothing(
    store: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    load(store, UN_OLD, ["LYi.028"])
    load(store, EU)
    judge(store, BADI_EU, BADI_UN, "same", user="ana")
    judge(store, BADI_EU, BADI_UN, "unsure", user="ana")
    path = tmp_path / "j.jsonl"
    export_jsonl(store, path)
    first, second = path.read_text(encoding="utf-8").splitlines()
    edited = json.loads(second)
    edited["verdict"] = "different"  # the event id no longer matches its content
    path.write_text(first + "\n" + json.dumps(edited) + "\n", encoding="utf-8")
    other = connect(tmp_path / "other.duckdb")
    try:
        with pytest.raises(JudgementError, match=":2: event"):
            import_jsonl(other, path)
        assert history(other) == []
    finally:
        other.close()


def test_judgement_survives_new_versions_reimport_and_removal(store: duckdb.DuckDBPyConnection) -> None:
    load(store, UN_OLD)
    load(store, EU)
    resolve(store)
    assert members_of(store, BADI_EU) == [BADI_EU, BADI_UN]  # shared UN reference
    judge(store, BADI_EU, BADI_UN, "different", user="ana", note="test: override the UN reference")
    # IQi.074 is removed by the newer UN list; a judgement on it must outlive it.
    judge(store, "un_sc_sanctions:IQi.074", "un_sc_sanctions:IQi.002", "different", user="ana")
    before = history(store)
    resolve(store)
    assert members_of(store, BADI_EU) == [BADI_EU]
    load(store, UN_NEW)
    assert load(store, UN_NEW).skipped  # re-importing the same file is a no-op
    result = resolve(store)
    assert result.full is False
    assert history(store) == before
    assert current_verdicts(store)[("un_sc_sanctions:IQi.002", "un_sc_sanctions:IQi.074")] == "different"
    assert members_of(store, BADI_EU) == [BADI_EU]
    assert members_of(store, "un_sc_sanctions:IQi.074") == []  # no longer listed, not clustered
    resolve(store, full=True)
    assert members_of(store, BADI_EU) == [BADI_EU]
    assert history(store) == before
