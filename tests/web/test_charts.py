"""Coverage, timeline and lag pages in a real browser: each table, and its chart as an
image that loads; a jurisdiction whose list is not loaded whole is "?", never 0."""

from __future__ import annotations

from typing import Any

import pytest


def _chart_loaded(page: Any) -> int:
    """The chart image's natural width once it has loaded (0 if it could not be)."""
    img = page.locator("figure.chart img")
    assert img.count() == 1
    page.wait_for_function("() => document.querySelector('figure.chart img').complete", timeout=60_000)
    width: int = img.evaluate("i => i.naturalWidth")
    return width


def test_coverage_table_and_chart(page: Any) -> None:
    page.goto("/explore/coverage")
    assert page.locator("nav[aria-label=Main] a[aria-current=page]").inner_text() == "Coverage"
    rows = page.locator("table.coverage-jurisdictions tbody tr")
    assert rows.count() >= 5
    # The whole SDN list of 2024-05-03 is loaded: a count. The UK lists hold only
    # Abramovich's records: unknown, shown "?", never a 0 or the sample's count.
    us = page.locator("table.coverage-jurisdictions tr[data-jurisdiction=us] td").first.inner_text()
    assert us.replace(",", "").isdigit() and int(us.replace(",", "")) > 10_000
    for j in ("gb", "au", "eu", "ca"):
        cells = page.locator(f"table.coverage-jurisdictions tr[data-jurisdiction={j}] td")
        assert cells.first.inner_text() == "?"
        assert "unknown" in cells.nth(1).inner_text()
    combos = page.locator("table.coverage-combinations tbody tr")
    assert combos.count() >= 2
    assert combos.first.locator("th").inner_text() == "us"
    assert _chart_loaded(page) > 0


def test_coverage_filters_go_to_the_table_and_the_chart(page: Any) -> None:
    page.goto("/explore/coverage")
    group = page.get_by_role("group", name="Jurisdictions")
    group.get_by_label("gb", exact=True).check()
    group.get_by_label("us", exact=True).check()
    page.get_by_label("Kind of entity").select_option("Person")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert "jurisdiction=gb" in page.url and "schema=Person" in page.url
    shown = page.locator("table.coverage-jurisdictions tbody tr").evaluate_all(
        "trs => trs.map(tr => tr.dataset.jurisdiction)"
    )
    assert shown == ["gb", "us"]
    src = page.locator("figure.chart img").get_attribute("src")
    assert src.startswith("/explore/coverage.svg?") and "schema=Person" in src and "jurisdiction=us" in src
    assert _chart_loaded(page) > 0
    assert page.get_by_label("Kind of entity").input_value() == "Person"


@pytest.mark.parametrize("chart", ["timeline", "lag"])
def test_timeline_and_lag_tables_and_charts(page: Any, chart: str) -> None:
    page.goto(f"/explore/{chart}")
    table = page.locator(f"table.{chart}")
    assert table.count() == 1
    assert table.locator("tbody tr").count() >= 1
    text = table.inner_text()
    assert "?" in text  # the lists not loaded whole
    # A jurisdiction not loaded at all has no number in any cell of its own.
    if chart == "lag":
        cells = table.locator("tr[data-jurisdiction=ca] td").all_inner_texts()
    else:
        idx = table.locator("thead th").all_inner_texts().index("ca")
        cells = table.locator("tbody tr").evaluate_all(f"trs => trs.map(tr => tr.cells[{idx}].innerText)")
    assert cells and set(cells) == {"?"}
    assert _chart_loaded(page) > 0


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/explore/coverage?jurisdiction=%3Cscript%3Ex", "unknown jurisdiction '<script>x'"),
        ("/explore/coverage?schema=Nothing", "no entity of schema 'Nothing'"),
        ("/explore/timeline?by=week", "unknown period 'week'"),
        ("/explore/lag?max_window=-3", "must be a whole number"),
        ("/explore/lag?theme=%22%3E%3Cb%3E", "unknown theme"),
    ],
)
def test_a_question_that_cannot_be_asked_is_a_400_page(page: Any, path: str, says: str) -> None:
    # Asked outside the page (a document answered 400 is a console error in Chromium):
    # the page's HTML carries the reason, escaped, and no chart.
    reply = page.request.get(path)
    assert reply.status == 400
    html = reply.text()
    assert "<script>x" not in html and "<b>" not in html.split("<main", 1)[1]
    page.set_content(html)
    assert says in page.get_by_role("alert").inner_text()
    assert page.locator("figure.chart").count() == 0
    assert page.request.get(path.replace("?", ".svg?", 1)).status == 400


def test_on_a_phone_the_pages_fit_the_screen(page: Any) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    for chart in ("coverage", "timeline", "lag"):
        page.goto(f"/explore/{chart}")
        assert _chart_loaded(page) > 0
        assert page.locator("figure.chart img").evaluate("i => i.getBoundingClientRect().right") <= 360
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360, chart
