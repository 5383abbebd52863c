"""About the data in a real browser: every loaded list with its version and
completeness, and what "not listed" rests on per jurisdiction."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.web.test_entity import headings_in_order


def test_about_lists_every_loaded_list_with_its_version(page: Any) -> None:
    page.goto("/about")
    expect(page.locator("nav[aria-label=Main] a[aria-current=page]")).to_have_text("About the data")
    rows = page.locator("table.lists tbody tr")
    expect(rows).to_have_count(5)  # OFAC SDN, OFSI, FCDO, DFAT, the EU sample
    sdn = page.locator("table.lists tr[data-source=us_ofac_sdn]")
    expect(sdn.locator(".version")).to_contain_text("2024-05-03")
    expect(sdn).to_contain_text("complete")
    expect(sdn).to_contain_text("public domain")  # the licence, from the registry
    expect(sdn).to_contain_text("sanctions list")
    eu = page.locator("table.lists tr[data-source=eu_fsf]")
    expect(eu).to_contain_text("sample only")
    answers = page.locator("table.answers")
    expect(answers.locator("tr[data-jurisdiction=us] td")).to_have_text(
        "not listed as of 2024-05-03 (us_ofac_sdn)"
    )
    expect(answers.locator("tr[data-jurisdiction=eu] td")).to_contain_text("unknown")
    headings_in_order(page)
