"""The entity page's "Ownership and control" section and the graph of the paths, in a real
browser over the web store of real records (the OFAC SDN list of 2024-05-03 among them):
an SDN entry linked to Bank Rossiya, each edge's evidence in a tooltip and a table."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.api.conftest import Server
from tests.web.test_entity import headings_in_order

pytestmark = pytest.mark.integration

ABR = "us_ofac_sdn:20283"  # AO ABR MANAGEMENT: "Linked To: BANK ROSSIYA."


def test_entity_page_sums_up_ownership_and_control(page: Any) -> None:
    page.goto(f"/entity/{ABR}")  # a member record: redirected to its entity
    section = page.locator("section.control")
    expect(section.locator("h2")).to_have_text("Ownership and control")
    us = section.locator("tr", has=page.locator("th", has_text="us"))
    expect(us.locator("td").nth(0)).to_contain_text("listed")
    expect(us.locator("td").nth(3)).to_contain_text("BANK ROSSIYA")
    expect(section).to_contain_text("weaker claim")
    headings_in_order(page)
    section.get_by_role("link", name="The paths, drawn").click()
    expect(page.locator("h1")).to_contain_text("AO ABR MANAGEMENT")


def test_graph_page_draws_the_paths_with_their_evidence(page: Any, site: Server) -> None:
    entity = site.get(f"/exposure/{ABR}").json()["entity"]
    page.goto(f"/entity/{entity}/graph?hops=1")
    svg = page.locator("svg.control-graph")
    expect(svg).to_be_visible()
    # The edge's tooltip says what the list says, which record and which list version.
    tips = svg.locator("g.edge title").all_text_contents()
    assert any(
        t.startswith("Linked To: BANK ROSSIYA (linked; us_ofac_sdn:20283, list of 2024-05-03") for t in tips
    )
    assert svg.locator("a.node.listed", has_text="BANK ROSSIYA").count() == 1
    row = page.locator("table.control-paths tbody tr", has_text="Linked To: BANK ROSSIYA").first
    expect(row.locator("a.record")).to_have_text(ABR)
    expect(row.locator("td.date")).to_have_text("2024-05-03")
    headings_in_order(page)
    # Another number of hops is one link away; two reach the people linked to ABR's links.
    page.get_by_role("link", name="2", exact=True).click()
    assert page.locator("table.control-paths tbody tr").count() > len(tips)


def test_graph_page_of_no_entity_is_404(site: Server) -> None:
    reply = site.get("/entity/us_ofac_sdn:no-such-record/graph")
    assert reply.status == 404
    assert site.get(f"/entity/{ABR}/graph?hops=9").status == 422
