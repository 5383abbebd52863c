"""Strong-evidence rules and conflicts, on real records of the bundled lists."""

from __future__ import annotations

import duckdb
import pytest

from reckon.match.identifiers import normalise_identifier
from reckon.resolve.records import resolution_records
from reckon.resolve.rules import ID_RULES, anchor, conflict, strong_links
from tests.resolve.conftest import EU, UN_OLD, load

UA = "ua_war_sanctions.targets.simple.csv.gz"


def facts(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    _, found = resolution_records(con)
    return {f.key: f for f in found}


def test_rules_are_declared_once_per_scheme() -> None:
    schemes = [r.scheme for r in ID_RULES]
    assert len(schemes) == len(set(schemes))
    assert {
        "unscId",
        "imoNumber",
        "mmsi",
        "innCode",
        "ogrnCode",
        "swiftBic",
        "leiCode",
        "passportNumber",
    } <= set(schemes)


def test_un_reference_on_eu_designation_links_to_the_un_record(store: duckdb.DuckDBPyConnection) -> None:
    # The EU sample designates Salah Badi (logical id 118593) quoting "LYi.28"; the UN
    # writes his reference LYi.028.
    load(store, UN_OLD, ["LYi.028", "LYi.029"])
    load(store, EU)
    _, found = resolution_records(store)
    links = strong_links(found)
    assert [(s.left, s.right, s.rule) for s in links] == [
        ("eu_fsf:118593", "un_sc_sanctions:LYi.028", "unscId")
    ]
    assert normalise_identifier("LYi.28", "unscId") == normalise_identifier("LYi.028", "unscId")
    assert normalise_identifier("LYi.28", "unscId") != normalise_identifier("LYi.29", "unscId")


@pytest.mark.integration
def test_mmsi_shared_but_imo_different_is_refused(store: duckdb.DuckDBPyConnection) -> None:
    # Two real ua_war_sanctions vessels broadcast MMSI 613003744 at different times:
    # their IMO numbers (9183271, 9318034) say they are two hulls.
    a, b = "NK-Vtm4xzvQUdbBgnzUcvPCUk", "NK-kBr5JYzKBkZetRmSM2cTKj"
    load(store, UA, [a, b])
    f = facts(store)
    links = strong_links(list(f.values()))  # type: ignore[arg-type]
    assert [(s.rule, s.explanation) for s in links] == [("mmsi", "mmsi 613003744 shared")]
    found = conflict(f[f"ua_war_sanctions:{a}"], f[f"ua_war_sanctions:{b}"])  # type: ignore[arg-type]
    assert found is not None and found.hard
    assert found.reason == "different imoNumber: 9183271 vs 9318034"


@pytest.mark.integration
def test_branches_sharing_a_parent_inn_within_one_list_stay_apart(store: duckdb.DuckDBPyConnection) -> None:
    # Branches of PJSC IL carry the parent's INN 7714027882 on ua_war_sanctions.
    ids = ["NK-cpurJYaMsA8Tn6LjNHkyRh", "NK-hm4y67gHUHmDPF2QyFMmB3", "NK-mVr3diqYYhHhY5B8CE3Pmq"]
    load(store, UA, ids)
    _, found = resolution_records(store)
    assert all(("innCode", "7714027882") in f.ids for f in found)
    assert strong_links(found) == []


def test_anchor_prefers_the_un_record_then_record_id() -> None:
    members = ["gb_hmt_sanctions:9226", "au_dfat_sanctions:597", "un_sc_sanctions:QDi.238"]
    assert anchor(members) == "un_sc_sanctions:QDi.238"
    assert anchor(["au_dfat_sanctions:6754", "gb_hmt_sanctions:14212"]) == "gb_hmt_sanctions:14212"
    assert anchor(["zz_unknown:1", "au_dfat_sanctions:6754"]) == "au_dfat_sanctions:6754"
