"""`reckon exposure` and `reckon relations` on the bundled lists (a read-only copy)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.integration


def test_exposure_json_and_text(bundled_path: Path) -> None:
    code, out, _ = run_cli(
        "exposure", "us_ofac_sdn:20283", "--hops", "1", "--json", "--db", str(bundled_path)
    )
    assert code == 0
    body = json.loads(out)
    assert body["caption"] == "AO ABR MANAGEMENT"
    texts = {e["text"] for p in body["paths"] for e in p["edges"]}
    assert "Linked To: BANK ROSSIYA" in texts
    code, out, _ = run_cli("exposure", "us_ofac_sdn:20283", "--hops", "1", "--db", str(bundled_path))
    assert code == 0 and "BANK ROSSIYA" in out and "us_ofac_sdn:20283" in out and "list of 2024-05-03" in out


def test_exposure_of_no_entity_is_one_line_and_exit_2(bundled_path: Path) -> None:
    code, out, err = run_cli("exposure", "us_ofac_sdn:no-such-record", "--db", str(bundled_path))
    assert code == 2 and out == "" and err.count("\n") == 1 and "no entity" in err
    code, _, _ = run_cli("exposure", "us_ofac_sdn:20283", "--hops", "9", "--db", str(bundled_path))
    assert code == 2


def test_relations_lists_the_problems_with_their_records(bundled_path: Path) -> None:
    code, out, _ = run_cli("relations", "--json", "--db", str(bundled_path))
    assert code == 0
    summary = json.loads(out)
    assert summary["by_source"]["us_ofac_sdn"]["linked"] > 1000
    cycles = [p for p in summary["problems"] if p["message"].startswith("cycle of ownership")]
    assert ("gb_hmt_sanctions", "13030") in {(p["source"], p["record_id"]) for p in cycles}
