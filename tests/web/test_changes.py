"""The changes page in a real browser, over real versions of the OFAC SDN list: 23 and
26 February 2022 (Putin and Lavrov added, Patrushev and Sechin amended) and 25 March
2022 (Rosenthal Hidalgo removed, the Rotenbergs amended)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from reckon.ingest import version_date_for
from reckon.resolve import resolve
from reckon.sources.detect import detect
from reckon.sources.registry import parse_file
from reckon.store import connect, import_version
from tests.api.conftest import Server, running_server
from tests.conftest import shared

VERSIONS = ("sdn_2022-02-23.csv", "sdn_2022-02-26.csv", "sdn_2022-03-25.csv")
PUTIN, LAVROV = "35096", "35233"
AMENDED = (
    "16688",
    "16692",
    "24309",
    "16666",
    "16669",
    "16671",
)  # Ivanov, Sechin, Patrushev, Timchenko, Rotenbergs
REMOVED = "18598"  # ROSENTHAL HIDALGO, Yani Benjamin: off the list on 2022-03-25
UNCHANGED = ("10001", "10002", "10003", "10004")


def build_changes_store(path: Path) -> Path:
    """The three real versions, each cut to the same handful of records (those above):
    what changed among them between versions is what really changed. Each cut is
    imported as complete so that a record leaving it is a removal."""
    wanted = {PUTIN, LAVROV, REMOVED, *AMENDED, *UNCHANGED}
    con = connect(path)
    try:
        for name in VERSIONS:
            file = shared(f"ofac_sdn_history/{name}")
            fmt, source = detect(file)
            version = parse_file(file, fmt, source)
            version = replace(version, records=[r for r in version.records if r.id in wanted])
            day, origin = version_date_for(version.published, file, None)
            import_version(
                con,
                version,
                sha256=hashlib.sha256(f"{name}|{sorted(wanted)}".encode()).hexdigest(),
                file_name=name,
                version_date=day,
                date_origin=origin,
                complete=True,
            )
        resolve(con)
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """This module's own server (conftest's `page` opens it): a store with versions."""
    store = build_changes_store(tmp_path_factory.mktemp("changes") / "changes.duckdb")
    with running_server(store, tmp_path_factory.mktemp("serve") / "serve.log") as srv:
        yield srv


def _rows(page: Any) -> list[list[str]]:
    rows: list[list[str]] = page.locator("table.changes tbody tr").evaluate_all(
        "trs => trs.map(tr => Array.from(tr.cells, td => td.innerText.trim()))"
    )
    return rows


def test_changes_lists_additions_amendments_and_removals_newest_first(page: Any) -> None:
    page.goto("/explore/changes")
    assert page.locator("nav[aria-label=Main] a[aria-current=page]").inner_text() == "Changes"
    rows = _rows(page)
    by_record = {r[2]: r for r in rows}
    putin = by_record[f"us_ofac_sdn:{PUTIN}"]
    assert putin[:2] == ["2022-02-26", "added"] and "PUTIN" in putin[3]
    assert putin[5].startswith("rk-")  # its canonical entity, a link to its page
    row = page.locator("table.changes tr", has_text="PUTIN")
    assert row.get_by_role("link", name=putin[5]).get_attribute("href") == f"/entity/{putin[5]}"
    record = row.get_by_role("link", name=f"us_ofac_sdn:{PUTIN}")
    assert record.get_attribute("href") == f"/record/us_ofac_sdn%3A{PUTIN}"
    assert by_record[f"us_ofac_sdn:{LAVROV}"][1] == "added"
    removed = by_record[f"us_ofac_sdn:{REMOVED}"]
    assert removed[:2] == ["2022-03-25", "removed"] and "ROSENTHAL" in removed[3]
    assert {by_record[f"us_ofac_sdn:{i}"][1] for i in AMENDED} == {"amended"}
    assert all(by_record[f"us_ofac_sdn:{i}"][4] for i in AMENDED)  # the fields that changed
    for i in UNCHANGED:
        assert f"us_ofac_sdn:{i}" not in by_record
    dates = [r[0] for r in rows]
    assert dates == sorted(dates, reverse=True)
    # The first version is the baseline: nothing from 2022-02-23 counts as added.
    assert "2022-02-23" not in dates
    counts = page.locator("p.counts").inner_text()
    assert counts.startswith(f"{sum(r[1] == 'added' for r in rows)} added")


def test_changes_page_names_its_atom_feed(page: Any) -> None:
    page.goto("/explore/changes?source=us_ofac_sdn&since=2022-03-01")
    feed = page.locator('head link[rel=alternate][type="application/atom+xml"]')
    assert feed.count() == 1
    href = feed.get_attribute("href")
    assert href.startswith("/changes?") and "format=atom" in href
    assert "source=us_ofac_sdn" in href and "since=2022-03-01" in href
    assert page.get_by_role("link", name="Atom feed of these changes").get_attribute("href") == href
    # The feed it names answers (the API's GET /changes?format=atom), with the same changes.
    reply = page.request.get(href)
    assert reply.status == 200 and reply.headers["content-type"].startswith("application/atom+xml")
    assert "ROSENTHAL" in reply.text() and "PUTIN" not in reply.text()
    # The filter: only the version of 25 March.
    assert {r[0] for r in _rows(page)} == {"2022-03-25"}
    assert page.get_by_label("List").input_value() == "us_ofac_sdn"
    assert page.get_by_label("Versions from").input_value() == "2022-03-01"


def test_changes_filters_by_date_range_from_the_form(page: Any) -> None:
    page.goto("/explore/changes")
    page.get_by_label("Versions from").fill("2022-02-24")
    page.get_by_label("Versions until").fill("2022-02-28")
    page.get_by_role("button", name="Show changes").click()
    page.wait_for_load_state()
    rows = _rows(page)
    assert rows and {r[0] for r in rows} == {"2022-02-26"}
    assert "removed" not in {r[1] for r in rows}


def test_a_date_that_is_not_one_or_an_unknown_list_is_a_400_page(page: Any) -> None:
    for path, says in (
        ("/explore/changes?since=2022-13-01", "2022-13-01"),
        ("/explore/changes?source=%3Cb%3Enope", "no version of this source"),
    ):
        reply = page.request.get(path)  # not navigated: Chromium logs a 400 document as an error
        assert reply.status == 400
        html = reply.text()
        assert "<b>nope" not in html
        page.set_content(html)
        assert says in page.get_by_role("alert").inner_text()
        assert page.locator("table.changes").count() == 0
        assert page.locator("head link[rel=alternate]").count() == 0


def test_on_a_phone_the_page_fits_the_screen(page: Any) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/explore/changes")
    assert page.locator("table.changes tbody tr").count() > 0
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
