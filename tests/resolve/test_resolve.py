"""Resolution of real cross-list cases: the UK, Australian and UN lists (subsets of the
bundled files, chosen for the cases each test names)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from reckon.resolve import history, judge, resolve, undo
from reckon.resolve.cluster import canonical_id
from reckon.resolve.profile import profile
from reckon.resolve.records import resolution_records
from reckon.resolve.rules import conflict
from reckon.resolve.views import clusters, follow
from reckon.store import connect
from tests.conftest import open_copy
from tests.resolve.conftest import AU, FCDO, OFSI, UN_OLD, load, members_of

UA = "ua_war_sanctions.targets.simple.csv.gz"
ABRAMOVICH = ["au_dfat_sanctions:6754", "gb_fcdo_sanctions:RUS0270", "gb_hmt_sanctions:14212"]
# Pak Sik Yong: one UN reference (KPi.063), birth year 1949 (AU) or 1950 (OFSI, UN).
PAK = ["au_dfat_sanctions:3406", "gb_hmt_sanctions:13540", "un_sc_sanctions:KPi.063"]
# Mubarak al-Bathali: OFSI quotes UN QDi.238; AU shares his passports, born 1960-10-01 vs 1961-10-01.
BATHALI = ["au_dfat_sanctions:597", "gb_hmt_sanctions:9226", "un_sc_sanctions:QDi.238"]

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("resolve") / "uk_au.duckdb"
    con = connect(path)
    load(con, OFSI, ["14212", "14182", "15440", "9226", "13540"])
    load(con, FCDO, ["RUS0270"])
    load(con, AU, ["6754", "2696", "6799", "597", "3406", "8228", "8229"])
    load(con, UN_OLD, ["QDi.238", "KPi.063"])
    load(con, UA, ["NK-TMRtNZXbJwmcJwUEoN4CeC", "NK-bDQQspEAHp5Pr3NsZrGnrn"])
    resolve(con)
    con.close()
    return path


@pytest.fixture
def con(template: Path, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    yield from open_copy(template, tmp_path / "copy.duckdb")


def decision(con: duckdb.DuckDBPyConnection, a: str, b: str) -> tuple[str, str, str | None] | None:
    row = con.execute(
        "SELECT rule, decision, reason FROM resolve_pairs WHERE left_key = ? AND right_key = ?",
        sorted([a, b]),
    ).fetchone()
    return None if row is None else (str(row[0]), str(row[1]), row[2])


def test_abramovich_is_one_entity_across_uk_and_australian_lists(con: duckdb.DuckDBPyConnection) -> None:
    assert members_of(con, "gb_hmt_sanctions:14212") == ABRAMOVICH
    # OFSI and FCDO say so themselves; Australia agrees on name and birth date.
    assert decision(con, "gb_hmt_sanctions:14212", "gb_fcdo_sanctions:RUS0270") == ("same_as", "merged", None)
    rule, verdict, _ = decision(con, "au_dfat_sanctions:6754", "gb_hmt_sanctions:14212") or ("", "", None)
    assert (rule, verdict) == ("score", "merged")
    cid = canonical_id(ABRAMOVICH)
    assert cid == canonical_id(["gb_hmt_sanctions:14212"])  # the OFSI record anchors it
    prof = profile(con, cid)
    assert prof is not None
    assert {v.value for v in prof.names["Cyrillic"]} == {"Роман Аркадьевич АБРАМОВИЧ"}
    assert sorted(prof.designations) == ["au", "gb"]
    assert {p.source for d in prof.designations["gb"] for p in [d.provenance]} == {
        "gb_hmt_sanctions",
        "gb_fcdo_sanctions",
    }
    (dob,) = prof.facts["birthDate"]
    assert dob.value == "1966-10-24"
    assert sorted((p.source, p.record_id) for p in dob.provenance) == [
        ("au_dfat_sanctions", "6754"),
        ("gb_hmt_sanctions", "14212"),
    ]


def test_vessels_sharing_an_imo_number_merge_even_when_renamed(con: duckdb.DuckDBPyConnection) -> None:
    assert members_of(con, "au_dfat_sanctions:8228") == [
        "au_dfat_sanctions:8228",
        "ua_war_sanctions:NK-TMRtNZXbJwmcJwUEoN4CeC",
    ]
    # Australia lists BULL, the Ukrainian dataset TORERO M: one hull, IMO 9292503.
    assert members_of(con, "au_dfat_sanctions:8229") == [
        "au_dfat_sanctions:8229",
        "ua_war_sanctions:NK-bDQQspEAHp5Pr3NsZrGnrn",
    ]
    assert decision(con, "au_dfat_sanctions:8229", "ua_war_sanctions:NK-bDQQspEAHp5Pr3NsZrGnrn") == (
        "imoNumber",
        "merged",
        None,
    )


def test_conflicting_birth_dates_block_a_merge_unless_strong_evidence(con: duckdb.DuckDBPyConnection) -> None:
    _, facts = resolution_records(con)
    f = {x.key: x for x in facts}
    # Mikhail Sinelin: Australia 1989-08-14, OFSI 1959-11-24: two people.
    sinelin = conflict(f["au_dfat_sanctions:6799"], f["gb_hmt_sanctions:15440"])
    assert sinelin is not None and not sinelin.hard
    assert members_of(con, "au_dfat_sanctions:6799") == ["au_dfat_sanctions:6799"]
    # Boris Rotenberg: 1957-01-03 vs 1957-03-01, day and month swapped: not a conflict,
    # but not a merge either: it waits for a person.
    assert conflict(f["au_dfat_sanctions:2696"], f["gb_hmt_sanctions:14182"]) is None
    assert decision(con, "au_dfat_sanctions:2696", "gb_hmt_sanctions:14182") == ("score", "review", None)
    # A shared UN reference outweighs a disagreement about the birth year.
    assert conflict(f["au_dfat_sanctions:3406"], f["gb_hmt_sanctions:13540"]) is not None
    assert members_of(con, "gb_hmt_sanctions:13540") == PAK
    assert members_of(con, "gb_hmt_sanctions:9226") == BATHALI


def test_different_judgement_splits_a_chain_and_undo_restores_it(con: duckdb.DuckDBPyConnection) -> None:
    cid = canonical_id(ABRAMOVICH)
    # AU~OFSI by score, OFSI~FCDO by the UK's own link. AU≠FCDO must keep AU out,
    # though no judgement touches the AU~OFSI pair itself.
    judge(con, "au_dfat_sanctions:6754", "gb_fcdo_sanctions:RUS0270", "different", user="ana")
    result = resolve(con)
    assert result.repaired == 0 and result.pairs_scored == 0  # judgements need no re-pairing
    assert members_of(con, "gb_hmt_sanctions:14212") == ABRAMOVICH[1:]
    assert members_of(con, "au_dfat_sanctions:6754") == ["au_dfat_sanctions:6754"]
    assert follow(con, cid) == cid  # the anchor stayed: the id did not move
    _, verdict, reason = decision(con, "au_dfat_sanctions:6754", "gb_hmt_sanctions:14212") or ("", "", "")
    assert verdict == "refused" and "judged different" in str(reason)

    undo(con, "gb_fcdo_sanctions:RUS0270", "au_dfat_sanctions:6754", user="ana")
    resolve(con)
    assert members_of(con, "gb_hmt_sanctions:14212") == ABRAMOVICH
    assert [e.verdict for e in history(con)] == ["different", "undo"]


def test_merged_away_ids_redirect_to_the_new_entity(con: duckdb.DuckDBPyConnection) -> None:
    au_alone = canonical_id(["au_dfat_sanctions:6754"])
    judge(con, "au_dfat_sanctions:6754", "gb_hmt_sanctions:14212", "different", user="ana")
    resolve(con)
    assert follow(con, au_alone) == au_alone
    undo(con, "au_dfat_sanctions:6754", "gb_hmt_sanctions:14212", user="ana")
    resolve(con)
    merged = canonical_id(ABRAMOVICH)
    assert follow(con, au_alone) == merged
    prof = profile(con, au_alone)
    assert prof is not None and prof.id == merged and prof.requested == au_alone
    (view,) = clusters(con, ids=[merged])
    assert view.members == ABRAMOVICH and view.schema == "Person"


def test_a_birth_date_read_as_mm_dd_and_dd_mm_is_one_person(con: duckdb.DuckDBPyConnection) -> None:
    # Boris Rotenberg: OFAC writes his birth date 1957-01-03, the UK 1957-03-01.
    load(con, "sdn_2024-05-03.csv.gz", ["16671"])
    resolve(con)
    assert "us_ofac_sdn:16671" in members_of(con, "gb_hmt_sanctions:14182")
    (why,) = con.execute(
        "SELECT explanation FROM resolve_pairs WHERE left_key = ? AND right_key = ?",
        ["gb_hmt_sanctions:14182", "us_ofac_sdn:16671"],
    ).fetchone() or ("",)
    assert "birth date 1957-03-01 vs 1957-01-03 (day and month swapped)" in why
