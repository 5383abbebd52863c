"""The resolution commands end to end: resolve, judge, judgements, clusters, show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reckon.resolve.cluster import canonical_id
from reckon.store import connect
from tests.conftest import run_cli
from tests.resolve.conftest import EU, UN_OLD, load

BADI = ["eu_fsf:118593", "un_sc_sanctions:LYi.028"]


run = run_cli


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "cli.duckdb"
    con = connect(path)
    load(con, UN_OLD)
    load(con, EU)
    con.close()
    return str(path)


def test_resolve_then_clusters_json_then_show_entity(db: str) -> None:
    code, stdout, stderr = run("resolve", "--db", db, "--json")
    assert code == 0, stderr
    result = json.loads(stdout)
    assert result["full"] is True and result["records"] == 1017
    code, stdout, _ = run("clusters", "--db", db, "--json", "--min-size", "2")
    assert code == 0
    entities = json.loads(stdout)
    assert all(set(e) == {"id", "schema", "caption", "members"} and len(e["members"]) >= 2 for e in entities)
    (badi,) = [e for e in entities if "eu_fsf:118593" in e["members"]]
    assert badi == {"id": canonical_id(BADI), "schema": "Person", "caption": "Salah Badi", "members": BADI}
    code, stdout, _ = run("clusters", "--db", db, "--json")
    assert len(json.loads(stdout)) == 1017 - sum(len(e["members"]) - 1 for e in entities)

    code, stdout, _ = run("show", badi["id"], "--db", db)
    assert code == 0
    assert "Salah Badi" in stdout and "un_sc_sanctions:LYi.028" in stdout and "eu_fsf:118593" in stdout
    code, stdout, _ = run("show", badi["id"], "--db", db, "--json")
    prof = json.loads(stdout)
    assert prof["members"] == BADI and sorted(prof["designations"]) == ["eu", "un"]
    code, _, stderr = run("show", "rk-0000000000000000", "--db", db)
    assert code == 2 and "no entity" in stderr


def test_judge_history_undo_export_import(db: str, tmp_path: Path) -> None:
    run("resolve", "--db", db)
    code, stdout, stderr = run(
        "judge", *BADI, "--different", "--user", "ana", "--note", "two people", "--db", db
    )
    assert code == 0, stderr
    assert "different" in stdout
    code, _, stderr = run("judge", *BADI, "--same", "--different", "--db", db)
    assert code == 2 and "exactly one" in stderr
    code, _, stderr = run("judge", "eu_fsf:118593", "nope", "--same", "--db", db)
    assert code == 2 and "not a record key" in stderr
    run("resolve", "--db", db)
    code, stdout, _ = run("clusters", "--db", db, "--json", "--min-size", "2")
    assert not any("eu_fsf:118593" in e["members"] for e in json.loads(stdout))

    code, stdout, _ = run("judgements", "history", *BADI, "--db", db, "--json")
    (event,) = json.loads(stdout)
    assert (event["verdict"], event["user"], event["note"]) == ("different", "ana", "two people")
    out = tmp_path / "j.jsonl"
    assert run("judgements", "export", str(out), "--db", db)[0] == 0
    code, stdout, _ = run("judgements", "undo", *BADI, "--user", "ana", "--db", db)
    assert code == 0 and "now no verdict" in stdout
    code, stdout, _ = run("judgements", "import", str(out), "--db", db)
    assert code == 0 and "0 events added, 1 already here" in stdout
    code, _, stderr = run("judgements", "undo", *BADI, "--db", db)
    assert code == 2 and "nothing to undo" in stderr
