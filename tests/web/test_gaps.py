"""The gap explorer in a real browser: the form, the table, its CSV and its errors."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import Server
from tests.web.conftest import base_url


def _ask(page: Any, listed_in: list[str], not_listed_in: list[str]) -> None:
    """Fill the form as a reader does: tick the boxes, press the button."""
    page.goto("/explore/gaps")
    for name, ticks in (("Listed in", listed_in), ("Not listed in", not_listed_in)):
        group = page.get_by_role("group", name=name, exact=True)
        for j in ticks:
            group.get_by_label(j, exact=True).check()
    page.get_by_role("button", name="Show gaps").click()
    page.wait_for_load_state()


def _table(page: Any) -> tuple[list[str], list[list[str]]]:
    table = page.locator("table#gap-table")
    head = table.locator("thead th").evaluate_all("ths => ths.map(th => th.dataset.col)")
    rows = table.locator("tr.row").evaluate_all(
        "trs => trs.map(tr => Array.from(tr.cells, td => td.innerText.trim()))"
    )
    return head, rows


def test_gaps_listed_in_gb_and_au_not_in_us(page: Any) -> None:
    _ask(page, ["gb", "au"], ["us"])
    assert "listed_in=gb" in page.url and "not_listed_in=us" in page.url
    head, rows = _table(page)
    (row,) = [r for r in rows if "ABRAMOVICH" in r[head.index("caption")]]
    cell = dict(zip(head, row, strict=True))
    assert cell["category"] == "gap"
    assert "not listed as of 2024-05-03" in cell["us_evidence"]
    assert cell["us_status"] == "not listed"
    assert cell["gb_status"] == cell["au_status"] == "listed"
    # The entity's own page, and each record's, are one link away.
    links = page.locator("table#gap-table tr.row", has_text="ABRAMOVICH")
    assert links.get_by_role("link", name=cell["entity"]).get_attribute("href") == f"/entity/{cell['entity']}"
    assert cell["entity"].startswith("rk-")
    record = links.get_by_role("link", name="gb_hmt_sanctions:14212", exact=True)
    assert record.get_attribute("href") == "/record/gb_hmt_sanctions%3A14212"
    # The form shows the question it answered.
    assert page.get_by_role("group", name="Listed in", exact=True).get_by_label("gb", exact=True).is_checked()
    assert (
        not page.get_by_role("group", name="Listed in", exact=True)
        .get_by_label("us", exact=True)
        .is_checked()
    )
    assert (
        page.get_by_role("group", name="Not listed in", exact=True)
        .get_by_label("us", exact=True)
        .is_checked()
    )


def test_gaps_csv_holds_exactly_the_rows_shown(page: Any, tmp_path: Path) -> None:
    # Records of the EU sample: some not on the SDN list of 2024-05-03 (gaps), some only
    # possibly on it (undecided, apart): both kinds of row are in the table and the file.
    _ask(page, ["eu"], ["us"])
    head, rows = _table(page)
    assert {r[0] for r in rows} == {"gap", "undecided"}
    assert head[:4] == ["category", "entity", "caption", "schema"] and "us_evidence" in head
    with page.expect_download() as info:
        page.get_by_role("link", name="Download these rows as CSV").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    got = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert got[0] == head
    assert got[1:] == rows


def test_a_page_of_rows_and_its_csv(page: Any, tmp_path: Path) -> None:
    # The whole SDN list against the UK's two records: thousands of rows, shown a page at a time.
    page.goto("/explore/gaps?listed_in=us&not_listed_in=gb&limit=7&offset=7")
    head, rows = _table(page)
    assert len(rows) == 7 and {r[0] for r in rows} == {"undecided"}
    assert "unknown" in rows[0][head.index("gb_status")]
    assert "offset=14" in page.get_by_role("link", name="Next rows").get_attribute("href")
    assert "offset=0" in page.get_by_role("link", name="Previous rows").get_attribute("href")
    every = page.get_by_role("link", name=re.compile(r"^Show all \d+ rows$"))
    assert "limit=" in every.get_attribute("href") and "offset" not in every.get_attribute("href")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download these rows as CSV").click()
    target = tmp_path / "page.csv"
    info.value.save_as(target)
    got = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert got[0] == head and got[1:] == rows


@pytest.fixture
def refused_page(browser: Any, site: Server) -> Iterator[Any]:
    """As conftest's `page`, but the browser's own console line for a document answered
    400 ("Failed to load resource: … 400") is expected, for that document only: any
    other console error, script error or failed request still fails the test."""
    context = browser.new_context(base_url=base_url(site))
    context.set_default_timeout(15_000)
    pg = context.new_page()
    refused: set[str] = set()
    problems: list[str] = []
    pg.on(
        "response",
        lambda r: refused.add(r.url) if r.status == 400 and r.request.resource_type == "document" else None,
    )

    def console(m: Any) -> None:
        if m.type != "error":
            return
        if "status of 400" in m.text and m.location.get("url") in refused:
            return
        problems.append(f"console {m.type}: {m.text}")

    pg.on("console", console)
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))
    try:
        yield pg
    finally:
        context.close()
    assert not problems, problems


def test_an_impossible_question_is_a_400_page_with_its_reason(refused_page: Any) -> None:
    page = refused_page
    reply = page.goto("/explore/gaps?listed_in=gb&not_listed_in=gb")
    assert reply.status == 400
    alert = page.get_by_role("alert")
    assert "cannot be both" in alert.inner_text()
    assert page.locator("table#gap-table").count() == 0
    reply = page.goto("/explore/gaps?listed_in=gb&not_listed_in=us&theme=%3Cb%3Enope")
    assert reply.status == 400
    # The reader's own value comes back as text, never markup.
    assert "unknown theme '<b>nope'" in page.get_by_role("alert").inner_text()
    assert page.locator("main b").count() == 0
    # The form still works from the error page: the boxes ticked are as asked.
    assert page.get_by_role("group", name="Listed in", exact=True).get_by_label("gb", exact=True).is_checked()


def test_on_a_phone_without_javascript(browser: Any, site: Server) -> None:
    """The form and the table work with scripts off, and on a phone's width the page
    itself never scrolls sideways (the wide table scrolls in its own box)."""
    context = browser.new_context(
        base_url=base_url(site), java_script_enabled=False, viewport={"width": 360, "height": 740}
    )
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        failed: list[str] = []
        page.on("requestfailed", lambda r: failed.append(r.url))
        _ask(page, ["gb", "au"], ["us"])
        assert page.locator("table#gap-table tr.row", has_text="ABRAMOVICH").count() == 1
        assert page.locator("div.table-wrap").evaluate("d => d.scrollWidth > d.clientWidth")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
        assert not failed
    finally:
        context.close()
