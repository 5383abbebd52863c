"""The entity page in a real browser: status per jurisdiction with its evidence, names
by script, redirects from member records, and a 404 page for an unknown id."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.api.conftest import Server
from tests.web.conftest import base_url

MEMBER = "gb_hmt_sanctions:14212"  # OFSI's record of Roman Abramovich


def headings_in_order(page: Any) -> list[int]:
    """The levels of the page's headings; fails if one skips a level going down."""
    levels = [
        int(t[1]) for t in page.locator("h1, h2, h3, h4, h5, h6").evaluate_all("hs => hs.map(h => h.tagName)")
    ]
    assert levels[:1] == [1] and levels.count(1) == 1, levels
    for before, after in pairwise(levels):
        assert after <= before + 1, levels
    return levels


@pytest.fixture
def bare_page(browser: Any, site: Server) -> Iterator[Any]:
    """A page whose console is not watched: Chromium logs a 404 document as an error."""
    context = browser.new_context(base_url=base_url(site))
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_status_table_says_where_and_as_of_when(page: Any) -> None:
    page.goto(f"/entity/{MEMBER}")
    assert "/entity/rk-" in page.url  # followed the redirect to the canonical entity
    expect(page.get_by_role("heading", level=1)).to_have_text("Roman Arkadyevich ABRAMOVICH")
    table = page.locator("table.status")
    for code in ("gb", "au"):
        expect(table.locator(f"tr[data-jurisdiction={code}]")).to_have_attribute("data-status", "listed")
    gb = table.locator("tr[data-jurisdiction=gb]")
    expect(gb).to_contain_text("since 2022-03-10")
    expect(gb).to_contain_text("Russia")  # the programme
    expect(gb).to_contain_text("gb_hmt_sanctions:14212")  # the record, with its list version
    expect(gb).to_contain_text("version of 2025-04-14")
    us = table.locator("tr[data-jurisdiction=us]")
    expect(us).to_have_attribute("data-status", "not listed")
    expect(us.locator("td").nth(1)).to_have_text("not listed as of 2024-05-03")
    expect(us).to_contain_text("complete version of 2024-05-03")
    eu = table.locator("tr[data-jurisdiction=eu]")
    expect(eu).to_have_attribute("data-status", "unknown")
    expect(eu).to_contain_text("only a sample")
    assert table.locator("th[scope=col]").count() == 5
    assert table.locator("tbody th[scope=row]").count() == table.locator("tbody tr").count()
    # No allegation dataset holds him: no such section.
    assert page.locator("section.allegations").count() == 0
    headings_in_order(page)


def test_names_by_script_and_the_rest_of_the_page(page: Any) -> None:
    page.goto(f"/entity/{MEMBER}")
    names = page.locator("section[aria-labelledby=names-h]")
    expect(names.get_by_role("heading", name="Cyrillic")).to_be_visible()
    cyrillic = names.locator("bdi", has_text="Роман Аркадьевич АБРАМОВИЧ")
    expect(cyrillic).to_have_attribute("dir", "auto")
    expect(names.get_by_role("heading", name="Latin")).to_be_visible()
    timeline = page.locator("table.timeline")
    expect(timeline.locator("tbody tr").first).to_contain_text("2022-03-10")
    entity = page.url.rsplit("/entity/", 1)[1]
    expect(page.get_by_role("link", name="PDF")).to_have_attribute("href", f"/dossier/{entity}.pdf")
    expect(page.get_by_role("link", name="HTML")).to_have_attribute("href", f"/dossier/{entity}.html")
    facts = page.locator("table.facts")
    expect(facts.locator("tr", has=page.locator("th", has_text="birthDate"))).to_contain_text("1966-10-24")


def test_a_member_record_redirects_permanently(page: Any) -> None:
    reply = page.request.get(f"/entity/{MEMBER}", max_redirects=0)
    assert reply.status == 308
    assert "/entity/rk-" in reply.headers["location"]


def test_an_unknown_id_is_a_404_page(bare_page: Any) -> None:
    for unknown in ("rk-0000000000000000", "us_ofac_sdn:no-such-record", "<b>x</b>"):
        reply = bare_page.goto("/entity/" + unknown)
        assert reply is not None and reply.status == 404
        expect(bare_page.get_by_role("heading", level=1)).to_have_text("Not found")
        expect(bare_page.locator("main code")).to_have_text(unknown)
        assert bare_page.locator("main b").count() == 0
