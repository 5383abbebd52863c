"""`companies_report` and `reckon companies` on the real SDN list of 2024-05-03 with the
Yale CELI dataset imported and resolved."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from reckon.analysis.companies import (
    RUSSIAN_LISTED,
    CompaniesError,
    companies_report,
    parse_grades,
    parse_jurisdictions,
    select,
)
from reckon.analysis.gaps import GapError, GapQuery, gaps
from reckon.analysis.status import NOT_LISTED, UNKNOWN, all_statuses, entity_status
from reckon.api.provider import collections
from reckon.cli import app
from reckon.resolve.profile import profile
from reckon.screening import where_listed

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def con(companies_store: Path) -> duckdb.DuckDBPyConnection:
    c = duckdb.connect(str(companies_store), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def report(con: duckdb.DuckDBPyConnection):  # type: ignore[no-untyped-def]
    return companies_report(con)


def _company(report, name: str):  # type: ignore[no-untyped-def]
    (found,) = [c for c in report.companies if c.name == name]
    return found


def test_a_russian_entity_on_the_list_is_found_by_its_inn_with_the_record(report) -> None:  # type: ignore[no-untyped-def]
    # Yale gives Renault's Russian entity INN 6320002223: OFAC entry 44877, JSC AvtoVAZ.
    renault = _company(report, "Renault")
    assert renault.inn == "6320002223"
    (avtovaz,) = renault.russian
    assert (avtovaz.record, avtovaz.version, avtovaz.listed_in) == (
        "us_ofac_sdn:44877",
        "2024-05-03",
        ("us",),
    )
    assert "AVTOVAZ" in avtovaz.caption
    us = next(j for j in renault.jurisdictions if j.jurisdiction == "us")
    assert us.verdict == RUSSIAN_LISTED
    assert "us_ofac_sdn:44877" in us.evidence[0] and "6320002223" in us.evidence[0]
    assert renault.listed_in == ("us",)


def test_the_company_itself_is_never_merged_into_its_russian_entity(con, report) -> None:  # type: ignore[no-untyped-def]
    renault = _company(report, "Renault")
    st = entity_status(con, renault.record)
    assert st is not None and "us_ofac_sdn:44877" not in st.members
    assert st.jurisdictions["us"].status == NOT_LISTED


def test_not_listed_only_where_the_list_is_loaded(report) -> None:  # type: ignore[no-untyped-def]
    # Abbott Laboratories: its Russian entity's INN is on no list; the store holds the
    # complete US list only.
    abbott = _company(report, "Abbott Laboratories")
    verdicts = {j.jurisdiction: (j.verdict, j.as_of) for j in abbott.jurisdictions}
    assert verdicts["us"] == (NOT_LISTED, "2024-05-03")
    assert all(v == (UNKNOWN, None) for j, v in verdicts.items() if j != "us"), verdicts
    assert abbott.listed_in == () and abbott.exposed_in == ()


def test_an_inn_given_to_several_companies_is_doubtful_and_not_looked_up(report) -> None:  # type: ignore[no-untyped-def]
    # ING Bank, Bank of Cyprus and UL all get Sberbank's INN 7707083893.
    ing = _company(report, "ING Bank")
    assert ing.inn == "7707083893"
    assert ing.inn_note is not None and "given to 3 different companies" in ing.inn_note
    assert ing.russian == []


def test_the_grade_filter_and_the_exposed_filter(con, report) -> None:  # type: ignore[no-untyped-def]
    graded = companies_report(con, grades=("F",))
    assert graded.companies and {c.grade for c in graded.companies} == {"F"}
    exposed = companies_report(con, exposed_in=("us",))
    names = {c.name for c in exposed.companies}
    assert "Renault" in names and "Abbott Laboratories" not in names
    assert all("us" in c.exposed_in for c in exposed.companies)
    # The API filters one whole report kept per store: the same answers.
    assert [c.record for c in select(report, ("F",)).companies] == [c.record for c in graded.companies]
    assert [c.record for c in select(report, (), ("us",)).companies] == [c.record for c in exposed.companies]


def test_bad_questions_are_one_line_errors(con) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CompaniesError, match="unknown grade 'E'"):
        parse_grades("D,E")
    with pytest.raises(CompaniesError, match="no list of jurisdiction 'xx'"):
        parse_jurisdictions("us,xx")
    with pytest.raises(CompaniesError, match="not a dataset of companies"):
        companies_report(con, dataset="acf_war_enablers")


def test_the_companies_kind_is_never_counted_as_a_listing(con, report) -> None:  # type: ignore[no-untyped-def]
    renault = _company(report, "Renault")
    statuses = [s for s in all_statuses(con) if any(m.startswith("yale_celi:") for m in s.members)]
    assert len(statuses) == len(report.companies)
    for st in statuses:
        assert "yale" not in st.jurisdictions
        assert all(s.status != "listed" for s in st.jurisdictions.values()), st.entity
        assert st.allegations == []
    # Screening's "where listed" of a company record: listed nowhere.
    where = where_listed(con)(renault.record)
    assert where is not None and where.listed_in == () and where.documented_by == ()
    # Gaps: a jurisdiction of the dataset is no jurisdiction; its records are no gaps.
    with pytest.raises(GapError, match="unknown jurisdiction 'yale'"):
        gaps(con, GapQuery(("yale",), ("us",)))
    with pytest.raises(GapError, match="unknown candidates dataset 'yale_celi'"):
        gaps(con, GapQuery((), ("us",), candidates="yale_celi"))
    # The entity page: the stance is not a designation.
    prof = profile(con, renault.entity)
    assert prof is not None and "yale" not in prof.designations and prof.allegations == []
    # yente's /match/sanctions: lists only.
    assert collections(("us_ofac_sdn", "yale_celi")) == {
        "default": frozenset({"us_ofac_sdn", "yale_celi"}),
        "sanctions": frozenset({"us_ofac_sdn"}),
    }


def test_the_command_writes_json_csv_and_says_bad_input_in_one_line(
    companies_store: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    db = ["--db", str(companies_store)]
    res = runner.invoke(app, ["companies", "--grade", "A", "--exposed-in", "us", "--format", "json", *db])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    renault = next(c for c in data["companies"] if c["name"] == "Renault")
    assert renault["jurisdictions"]["us"]["verdict"] == RUSSIAN_LISTED
    assert renault["russian_entities"][0]["record"] == "us_ofac_sdn:44877"
    out = tmp_path / "companies.csv"
    res = runner.invoke(app, ["companies", "--format", "csv", "-o", str(out), *db])
    assert res.exit_code == 0, res.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("name,grade,country,inn,listed_in")
    assert any(line.startswith("Renault,A,") for line in lines)
    res = runner.invoke(app, ["companies", "--grade", "E", *db])
    assert res.exit_code == 2 and "unknown grade 'E'" in res.output
    assert "Traceback" not in res.output
