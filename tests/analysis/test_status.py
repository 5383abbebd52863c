"""The status of an entity per jurisdiction, on real records of the lists.

One store for the module: four real versions of the OFAC SDN list (2022-02-23, -02-26,
-03-25 and 2024-05-03, so that the history dates Putin's designation and shows a real
delisting), the real records of Abramovich and Putin on the UK and Australian lists, the
EU sample (loaded as a sample), and two entries of Ukraine's War & Sanctions portal.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from reckon.analysis.status import (
    DELISTED,
    LISTED,
    NOT_LISTED,
    SINCE_HISTORY,
    UNKNOWN,
    entity_status,
)
from tests.conftest import run_cli
from tests.resolve.conftest import AU, EU, FCDO, OFSI, resolved_store

pytestmark = pytest.mark.integration

SDN = ["sdn_2022-02-23.csv", "sdn_2022-02-26.csv", "sdn_2022-03-25.csv", "sdn_2024-05-03.csv"]
UA = "ua_war_sanctions.targets.simple.csv.gz"
ABRAMOVICH = {OFSI: ["14212"], FCDO: ["RUS0270"], AU: ["6754"]}
PUTIN = {OFSI: ["14196"], FCDO: ["RUS0251"], AU: ["6678"], UA: ["Q7747"]}
LOPOTA = "ua_war_sanctions:NK-AVFBJVqfs2mDLmQZB59Xr8"  # on the portal, on no list


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    records = [*ABRAMOVICH.items(), *PUTIN.items(), (UA, [LOPOTA.split(":", 1)[1]]), (EU, None)]
    yield resolved_store(tmp_path_factory.mktemp("status") / "status.duckdb", SDN, records)


@pytest.fixture
def con(store: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect(str(store), read_only=True)
    yield c
    c.close()


def test_abramovich_listed_by_the_uk_and_australia_not_by_the_us_eu_unknown(
    con: duckdb.DuckDBPyConnection,
) -> None:
    st = entity_status(con, "gb_hmt_sanctions:14212")
    assert st is not None and st.resolved
    assert sorted(st.members) == [
        "au_dfat_sanctions:6754",
        "gb_fcdo_sanctions:RUS0270",
        "gb_hmt_sanctions:14212",
    ]
    j = st.jurisdictions
    assert j["gb"].status == LISTED and j["au"].status == LISTED
    assert j["gb"].listings[0].since == "2022-03-10"  # OFSI's own listing date
    assert j["us"].status == NOT_LISTED
    assert j["us"].as_of.startswith("2024-05-03") and "not listed as of 2024-05-03" in j["us"].summary
    assert j["eu"].status == UNKNOWN and "sample" in j["eu"].summary
    # No list of Canada or the UN is loaded here: unknown, never "not listed".
    assert j["ca"].status == UNKNOWN and j["un"].status == UNKNOWN
    assert st.allegations == []


def test_putin_listed_by_the_us_since_the_version_that_added_him(con: duckdb.DuckDBPyConnection) -> None:
    st = entity_status(con, "us_ofac_sdn:35096")
    assert st is not None
    us = st.jurisdictions["us"]
    assert us.status == LISTED
    (sdn,) = [x for x in us.listings if x.source == "us_ofac_sdn"]
    # The SDN list states no listing date: the history does (absent 02-23, present 02-26).
    assert sdn.since_basis == SINCE_HISTORY and sdn.since.startswith("2022-02-26")
    assert "RUSSIA-EO14024" in sdn.programs


def test_an_allegation_is_never_a_designation(con: duckdb.DuckDBPyConnection) -> None:
    putin = entity_status(con, "us_ofac_sdn:35096")
    assert putin is not None
    assert [a.record for a in putin.allegations] == ["ua_war_sanctions:Q7747"]
    assert "ua" not in putin.jurisdictions
    lopota = entity_status(con, LOPOTA)
    assert lopota is not None
    assert [a.record for a in lopota.allegations] == [LOPOTA]
    # The portal's own category comes with it (this entry gives no reason text).
    assert lopota.allegations[0].programs == ("UA-WS-EXECUTIVES",)
    assert all(s.status in (NOT_LISTED, UNKNOWN) for s in lopota.jurisdictions.values())


def test_a_real_delisting_from_the_sdn_history(con: duckdb.DuckDBPyConnection) -> None:
    # Yani Benjamin ROSENTHAL HIDALGO left the SDN list in March 2022.
    st = entity_status(con, "us_ofac_sdn:18598")
    assert st is not None
    us = st.jurisdictions["us"]
    assert us.status == DELISTED
    assert us.as_of.startswith("2022-03-25")  # the first loaded version without him
    assert us.listings[0].programs == ("SDNTK",)


def test_a_stale_list_makes_its_jurisdiction_unknown(con: duckdb.DuckDBPyConnection) -> None:
    from datetime import date

    st = entity_status(con, "gb_hmt_sanctions:14212", max_age_days=365, today=date(2026, 12, 7))
    assert st is not None
    assert st.jurisdictions["us"].status == UNKNOWN
    assert "older than 365 days" in st.jurisdictions["us"].summary


def test_status_command(store: Path) -> None:
    code, stdout, stderr = run_cli("status", "gb_hmt_sanctions:14212", "--db", str(store))
    assert code == 0, stderr
    assert "ABRAMOVICH" in stdout and "not listed as of 2024-05-03" in stdout
    code, _, stderr = run_cli("status", "rk-nope", "--db", str(store))
    assert code == 2 and "no entity 'rk-nope'" in stderr


def test_the_profile_keeps_allegations_out_of_designations(con: duckdb.DuckDBPyConnection) -> None:
    from reckon.resolve.profile import profile
    from reckon.resolve.views import canonical_of

    cid = canonical_of(con, "us_ofac_sdn:35096")
    assert cid is not None
    prof = profile(con, cid)
    assert prof is not None
    assert "ua" not in prof.designations and {"us", "gb", "au"} <= set(prof.designations)
    assert [d.provenance.record_id for d in prof.allegations] == ["Q7747"]


# ---------------------------------------------------------------- gaps


def test_gaps_listed_in_the_uk_not_the_us(con: duckdb.DuckDBPyConnection) -> None:
    from reckon.analysis.gaps import GapQuery, gaps

    report = gaps(
        con, GapQuery(("gb", "au"), ("us",), schema="Person", theme="russia_ukraine", measure="targeted")
    )
    assert [s.caption for s in report.gaps] == ["Roman Arkadyevich ABRAMOVICH"]  # Putin is listed by the US
    assert report.gaps[0].jurisdictions["us"].summary.startswith("not listed as of 2024-05-03")
    # The EU list is only a sample: unknown, so never a gap, but counted apart.
    eu = gaps(con, GapQuery(("gb",), ("eu",)))
    assert eu.gaps == [] and "Roman Arkadyevich ABRAMOVICH" in [s.caption for s in eu.undecided]
    # Sectoral measures are not targeted sanctions on people.
    assert gaps(con, GapQuery(("gb",), ("us",), measure="sectoral")).gaps == []


def test_gaps_command_formats_and_bad_questions(store: Path, tmp_path: Path) -> None:
    import csv

    out = tmp_path / "gaps.csv"
    code, _, stderr = run_cli(
        "gaps",
        "--listed-in",
        "gb,au",
        "--not-listed-in",
        "us",
        "--format",
        "csv",
        "-o",
        str(out),
        "--db",
        str(store),
    )
    assert code == 0, stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["category"], r["caption"]) for r in rows] == [("gap", "Roman Arkadyevich ABRAMOVICH")]
    assert rows[0]["us_status"] == "not listed" and "gb_hmt_sanctions:14212" in rows[0]["gb_records"]
    code, stdout, _ = run_cli("gaps", "--listed-in", "gb", "--not-listed-in", "us", "--db", str(store))
    assert code == 0 and "ABRAMOVICH" in stdout and "us_ofac_sdn 2024-05-03" in stdout
    for args, needle in (
        (["--listed-in", "uk", "--not-listed-in", "us"], "unknown jurisdiction 'uk'"),
        (["--listed-in", "gb", "--not-listed-in", "us", "--theme", "war"], "unknown theme 'war'"),
        (["--listed-in", "gb", "--not-listed-in", "gb"], "both"),
    ):
        code, _, stderr = run_cli("gaps", *args, "--db", str(store))
        assert code == 2 and needle in stderr, stderr


# ---------------------------------------------------------------- changes across lists, as feeds


def test_changes_across_every_list_name_their_entities(store: Path) -> None:
    import json

    code, stdout, stderr = run_cli(
        "changes", "--since", "2022-02-26", "--until", "2022-02-26", "--json", "--db", str(store)
    )
    assert code == 0, stderr
    rows = json.loads(stdout)
    added = {r["record_id"]: r for r in rows if r["change"] == "added"}
    assert len(added) == 97  # the SDN version of 2022-02-26 added 97 records to that of 02-23
    assert added["35096"]["source"] == "us_ofac_sdn" and added["35096"]["entity"].startswith("rk-")


def test_changes_as_atom_and_json_feeds(store: Path) -> None:
    import json

    from lxml import etree

    code, stdout, stderr = run_cli(
        "changes", "us_ofac_sdn", "--since", "2022-03-01", "--format", "atom", "--db", str(store)
    )
    assert code == 0, stderr
    feed = etree.fromstring(stdout.encode())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [t.text for t in feed.findall("a:entry/a:title", ns)]
    assert "removed: ROSENTHAL HIDALGO, Yani Benjamin (us_ofac_sdn:18598)" in titles
    ids = [i.text for i in feed.findall("a:entry/a:id", ns)]
    assert len(ids) == len(set(ids)) and all(" " not in i for i in ids)
    code, stdout, _ = run_cli(
        "changes", "us_ofac_sdn", "--since", "2022-03-01", "--format", "jsonfeed", "--db", str(store)
    )
    data = json.loads(stdout)
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert len(data["items"]) == len(titles)


def test_documented_but_not_sanctioned(con: duckdb.DuckDBPyConnection, store: Path) -> None:
    """The campaigner's question: whom does the portal document that the US does not list?"""
    from reckon.analysis.gaps import GapError, GapQuery, gaps

    report = gaps(con, GapQuery((), ("us",), candidates="ua_war_sanctions"))
    # Putin is documented too, but listed by the US; Lopota is on no list.
    assert [s.members for s in report.gaps] == [[LOPOTA]]
    only = gaps(con, GapQuery((), ("us",), candidates="ua_war_sanctions", category="UA-WS-EXECUTIVES"))
    assert [s.members for s in only.gaps] == [[LOPOTA]]
    assert (
        gaps(con, GapQuery((), ("us",), candidates="ua_war_sanctions", category="UA-WS-KIDNAPPERS")).gaps
        == []
    )
    # Only the UK's records of two people are loaded here, not its list: unknown, never a gap.
    undecided = gaps(con, GapQuery((), ("gb",), candidates="ua_war_sanctions")).undecided
    assert [s.members for s in undecided] == [[LOPOTA]]
    with pytest.raises(GapError, match="unknown candidates dataset 'us_ofac_sdn'"):
        gaps(con, GapQuery((), ("us",), candidates="us_ofac_sdn"))
    code, stdout, stderr = run_cli(
        "gaps",
        "--candidates",
        "ua_war_sanctions",
        "--not-listed-in",
        "us",
        "--format",
        "json",
        "--db",
        str(store),
    )
    assert code == 0, stderr
    (row,) = json.loads(stdout)["rows"]
    assert row["documented_by"] == LOPOTA and row["documented_as"] == "UA-WS-EXECUTIVES"
