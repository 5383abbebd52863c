"""GET /companies over real HTTP: the real SDN list of 2024-05-03 with the Yale CELI
dataset (../shared/data/companies) imported and resolved."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.conftest import Server, running_server
from tests.companies.conftest import build_companies_store

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    store = build_companies_store(tmp_path_factory.mktemp("companies-api") / "companies.duckdb")
    with running_server(store, tmp_path_factory.mktemp("serve") / "serve.log") as srv:
        yield srv


def test_companies_with_their_russian_entity_listed_and_the_evidence(server: Server) -> None:
    reply = server.get("/companies?grade=A&exposed_in=us")
    assert reply.status == 200 and reply.headers["content-type"].startswith("application/json")
    report = reply.json()
    assert report["dataset"] == "yale_celi" and report["version_date"] == "2023-06-02"
    assert report["as_of"]["us"] == "2024-05-03"
    by_name = {c["name"]: c for c in report["companies"]}
    renault = by_name["Renault"]
    assert renault["grade"] == "A" and renault["inn"] == "6320002223"
    us = renault["jurisdictions"]["us"]
    assert us["verdict"] == "Russian entity listed"
    assert "us_ofac_sdn:44877" in us["evidence"][0]
    assert renault["russian_entities"][0]["record"] == "us_ofac_sdn:44877"
    # Only the UK's, Australia's ... lists are missing here: unknown, never "not listed".
    assert renault["jurisdictions"]["gb"]["verdict"] == "unknown"
    assert {c["grade"] for c in report["companies"]} == {"A"}
    assert all("us" in c["exposed_in"] for c in report["companies"])
    assert report["total"] == len(report["companies"])


def test_a_company_on_no_list_is_not_listed_as_of_the_loaded_version(server: Server) -> None:
    report = server.get("/companies").json()
    abbott = next(c for c in report["companies"] if c["name"] == "Abbott Laboratories")
    us = abbott["jurisdictions"]["us"]
    assert (us["verdict"], us["as_of"]) == ("not listed", "2024-05-03")
    assert us["evidence"][0].startswith("not listed as of 2024-05-03")
    assert abbott["listed_in"] == [] and abbott["exposed_in"] == []


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("grade=E", "unknown grade 'E'"),
        ("exposed_in=xx", "no list of jurisdiction 'xx'"),
        ("dataset=acf_war_enablers", "not a dataset of companies"),
    ],
)
def test_a_bad_question_is_a_400_with_a_message(server: Server, query: str, says: str) -> None:
    reply = server.get(f"/companies?{query}")
    assert reply.status == 400
    assert says in reply.json()["detail"]
