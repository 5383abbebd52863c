"""The companies page in a real browser, over the real SDN list of 2024-05-03 with the Yale
CELI dataset (../shared/data/companies) imported and resolved."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.conftest import Server, running_server
from tests.companies.conftest import build_companies_store


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """This module's own server (conftest's `page` opens it)."""
    store = build_companies_store(tmp_path_factory.mktemp("companies-web") / "companies.duckdb")
    with running_server(store, tmp_path_factory.mktemp("serve") / "serve.log") as srv:
        yield srv


def _row(page: Any, name: str) -> Any:
    return page.locator("table.companies tbody tr", has=page.get_by_text(name, exact=True))


def test_the_page_filters_by_grade_and_jurisdiction_from_the_form(page: Any) -> None:
    page.goto("/explore/companies")
    assert page.locator("nav[aria-label=Main] a[aria-current=page]").inner_text() == "Companies"
    page.get_by_role("group", name="Grade").get_by_label("A").check()
    page.get_by_role("group", name="Listed or linked in").get_by_label("us").check()
    page.get_by_role("button", name="Show companies").click()
    page.wait_for_load_state()
    grades = page.locator("table.companies tbody tr").evaluate_all("trs => trs.map(tr => tr.dataset.grade)")
    assert grades and set(grades) == {"A"}
    renault = _row(page, "Renault")
    assert renault.count() == 1
    assert renault.get_attribute("data-listed") == "us"
    text = renault.inner_text()
    assert "6320002223" in text and "Russian entity listed" in text and "us_ofac_sdn:44877" in text
    # A company whose Russian entity is on no list is not in this answer.
    assert _row(page, "Abbott Laboratories").count() == 0


def test_a_company_on_no_list_says_not_listed_only_where_a_list_is_loaded(page: Any) -> None:
    page.goto("/explore/companies?grade=D")  # Abbott Laboratories: D
    abbott = _row(page, "Abbott Laboratories")
    assert abbott.locator("[data-jurisdiction=us]").inner_text() == "us: not listed"
    assert abbott.locator("[data-jurisdiction=gb]").inner_text() == "gb: unknown"
    assert page.locator("p.counts").inner_text().endswith("“Not listed” as of us 2024-05-03.")


def test_an_unknown_grade_is_a_400_page(page: Any) -> None:
    reply = page.request.get("/explore/companies?grade=E")  # not navigated: Chromium logs a 400 document
    assert reply.status == 400
    assert "unknown grade &#39;E&#39;" in reply.text() or "unknown grade 'E'" in reply.text()
