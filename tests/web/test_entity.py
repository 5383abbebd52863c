"""The entity page in a real browser: status per jurisdiction with its evidence, names
by script, redirects from member records, and a 404 page for an unknown id."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from types import SimpleNamespace
from typing import Any

import lxml.html
import pytest
from playwright.sync_api import expect
from starlette.requests import Request

from reckon.api.kept import Recent
from reckon.api.provider import Loaded, load
from reckon.resolve.views import canonical_of
from reckon.web.routes.about import about
from reckon.web.routes.entity import entity_page, record_page
from reckon.web.routes.home import results
from reckon.web.templating import environment
from tests.api.conftest import Server
from tests.resolve.conftest import OFSI, resolved_store
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
    """A page for documents answered 404, which Chromium logs as a console error: any
    other console error, or any failed request, still fails the test."""
    context = browser.new_context(base_url=base_url(site))
    context.set_default_timeout(15_000)
    pg = context.new_page()
    problems: list[str] = []
    expected = "Failed to load resource: the server responded with a status of 404 (Not Found)"
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" and m.text != expected else None)
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))
    pg.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}") if "/static/" in r.url and r.status >= 400 else None,
    )
    try:
        yield pg
    finally:
        context.close()
    assert not problems, problems


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
    expect(us).to_contain_text("complete version of 2024-05-03 (the jurisdiction’s main list")
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


def test_arabic_names_run_right_to_left(page: Any) -> None:
    page.goto("/entity/eu_fsf:6177")  # the EU sample's Ibrahim Hassan Tali Al-Asiri
    names = page.locator("section[aria-labelledby=names-h]")
    expect(names.get_by_role("heading", name="Arabic")).to_be_visible()
    arabic = names.locator("bdi", has_text="إبراهيم حسن طالع عسيري").first
    assert arabic.evaluate("e => getComputedStyle(e).direction") == "rtl"
    latin = names.locator("bdi").filter(has_text="ASIRI").first
    assert latin.evaluate("e => getComputedStyle(e).direction") == "ltr"
    # The page itself stays left to right.
    assert page.locator("main").evaluate("e => getComputedStyle(e).direction") == "ltr"


def test_a_record_of_the_status_table_opens_its_page(page: Any) -> None:
    page.goto(f"/entity/{MEMBER}")
    entity = page.url
    page.locator("table.status tr[data-jurisdiction=gb]").get_by_role("link", name=MEMBER).click()
    page.wait_for_url("**/record/*14212")
    expect(page.get_by_role("heading", level=1)).to_have_text("Roman Arkadyevich ABRAMOVICH")
    header = page.locator("article.record header")
    expect(header).to_contain_text("ConList_2025-04-14.xlsx")  # the version it is read from
    expect(header).to_contain_text("first seen in the version of 2025-04-14")
    birth = page.locator("table.statements tr", has=page.locator("th", has_text="birthDate"))
    expect(birth).to_contain_text("1966-10-24")
    expect(birth).to_contain_text("24/10/1966")  # as the list wrote it
    page.get_by_role("link", name=entity.rsplit("/", 1)[1]).click()
    page.wait_for_url(entity)
    headings_in_order(page)


def test_relations_the_lists_state_are_shown(page: Any) -> None:
    page.goto("/entity/us_ofac_sdn:4632")  # Bank Markazi: "Linked To" two groups on the SDN list
    relations = page.locator("section[aria-labelledby=relations-h]")
    expect(relations.get_by_role("heading", level=2)).to_have_text("Relations stated in the lists")
    expect(relations.locator("li")).to_have_count(2)
    expect(relations).to_contain_text("linked: HIZBALLAH")
    expect(relations).to_contain_text("linked: ISLAMIC REVOLUTIONARY GUARD CORPS (IRGC)-QODS FORCE")
    expect(relations.get_by_role("link", name="us_ofac_sdn:4632")).to_have_count(2)  # who says so


def test_an_undecided_pair_is_possibly_listed_with_its_record(page: Any) -> None:
    # The SDN's record 26940 and the EU sample's record 13 wait for a reviewer (0.88).
    page.goto("/entity/us_ofac_sdn:26940")
    eu = page.locator("table.status tr[data-jurisdiction=eu]")
    expect(eu).to_have_attribute("data-status", "possibly listed")
    expect(eu).to_contain_text("counted neither as listed nor as not listed")
    expect(eu.locator("td").nth(3)).to_contain_text("eu_fsf:13 pairs with us_ofac_sdn:26940 at 0.88")
    us = page.locator("table.status tr[data-jurisdiction=us]")
    expect(us).to_have_attribute("data-status", "listed")
    eu.get_by_role("link", name="eu_fsf:13").click()
    page.wait_for_url("**/record/eu_fsf*13")
    expect(page.locator("article.record header")).to_contain_text("eu_fsf:13")


def test_a_member_record_redirects_permanently(page: Any) -> None:
    reply = page.request.get(f"/entity/{MEMBER}", max_redirects=0)
    assert reply.status == 308
    assert "/entity/rk-" in reply.headers["location"]


def test_an_unknown_id_is_a_404_page(bare_page: Any) -> None:
    for path, unknown in [
        *(("entity", x) for x in ("rk-0000000000000000", "us_ofac_sdn:no-such-record", "<b>x</b>")),
        ("record", "us_ofac_sdn:no-such-record"),
        ("record", "rk-0000000000000000"),
    ]:
        reply = bare_page.goto(f"/{path}/{unknown}")
        assert reply is not None and reply.status == 404
        expect(bare_page.get_by_role("heading", level=1)).to_have_text("Not found")
        expect(bare_page.locator("main code")).to_have_text(unknown)
        assert bare_page.locator("main b").count() == 0
        # The layout and its stylesheet, like every page.
        assert bare_page.locator("link[rel=stylesheet]").get_attribute("href") == "/static/reckon.css"
        expect(bare_page.locator("a.skip")).to_have_css("position", "absolute")


# ------------------------------------------------------------ allegations, on their own store
# A second served store would cost another server start: these render the pages' handlers
# directly over a loaded store of real records (Putin on the OFSI list and on Ukraine's
# War & Sanctions portal; Lopota on the portal alone).

UA = "ua_war_sanctions.targets.simple.csv.gz"
LOPOTA = "ua_war_sanctions:NK-AVFBJVqfs2mDLmQZB59Xr8"


@pytest.fixture(scope="module")
def alleged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    path = resolved_store(
        tmp_path_factory.mktemp("alleged") / "alleged.duckdb",
        [],
        [(OFSI, ["14196"]), (UA, ["Q7747", LOPOTA.split(":", 1)[1]])],
    )
    store = load(path)
    try:
        yield store
    finally:
        store.con.close()


def request_for(path: str) -> Request:
    return Request(
        {
            "type": "http",
            "method": "GET",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "headers": [],
            "scheme": "http",
            "server": ("testserver", 80),
            "root_path": "",
        }
    )


def entity_html(store: Loaded, record: str) -> Any:
    with store.cursor() as cur:
        cid = canonical_of(cur, record)
    assert cid is not None
    reply = entity_page(cid, request_for(f"/entity/{cid}"), store)
    assert reply.status_code == 200
    return lxml.html.fromstring(bytes(reply.body))


def text(node: Any) -> str:
    return " ".join(node.text_content().split())


def test_an_allegation_is_shown_apart_never_as_a_designation(alleged: Loaded) -> None:
    putin = entity_html(alleged, "gb_hmt_sanctions:14196")
    (gb,) = putin.xpath("//table[contains(@class, 'status')]//tr[@data-jurisdiction='gb']")
    assert gb.get("data-status") == "listed"
    rows = putin.xpath("//table[contains(@class, 'status')]/tbody/tr")
    assert {r.get("data-jurisdiction") for r in rows} == {"au", "ca", "eu", "gb", "un", "us"}
    assert "ua_war_sanctions" not in text(putin.xpath("//table[contains(@class, 'status')]")[0])
    assert "ua_war_sanctions" not in text(putin.xpath("//table[contains(@class, 'timeline')]")[0])
    (section,) = putin.xpath("//section[@class='allegations']")
    (item,) = section.xpath(".//li")
    assert item.get("data-source") == "ua_war_sanctions"
    assert text(item).startswith(
        "documented by Ukraine War & Sanctions portal (NAZK/GUR), via OpenSanctions as "
    )
    assert "ua_war_sanctions:Q7747" in text(item)

    lopota = entity_html(alleged, LOPOTA)
    statuses = {r.get("data-status") for r in lopota.xpath("//table[contains(@class, 'status')]/tbody/tr")}
    assert statuses == {"unknown"}  # never "listed", never "not listed" on a sample or nothing
    assert lopota.xpath("//section[@class='allegations']//li")
    assert "No designation by any jurisdiction" in text(
        lopota.xpath("//section[@aria-labelledby='timeline-h']")[0]
    )


def first_result(store: Loaded, q: str) -> Any:
    html = environment().get_template("search_results.html.j2").render(**results(store, q, 0))
    page: Any = lxml.html.fromstring(html)
    return page.xpath("//li[@class='result']")[0]


def test_a_search_result_documented_only_says_not_sanctioned(alleged: Loaded) -> None:
    first = first_result(alleged, "Lopota Alexander")
    assert "LOPOTA" in text(first.xpath(".//h3")[0])
    (documented,) = first.xpath(".//p[@class='documented']")
    assert text(documented).startswith(
        "documented by Ukraine War & Sanctions portal (NAZK/GUR), via OpenSanctions, not sanctioned by any list loaded"
    )
    assert not first.xpath(".//*[@data-status='listed']")
    first = first_result(alleged, "Putin Vladimir")
    assert first.xpath(".//*[@data-jurisdiction='gb'][@data-status='listed']")
    # Listed somewhere: the portal's entry is still shown, but never as "not sanctioned".
    assert text(first.xpath(".//p[@class='documented']")[0]).startswith(
        "documented by Ukraine War & Sanctions portal (NAZK/GUR), via OpenSanctions ("
    )


def test_while_the_store_loads_the_pages_say_so_and_try_again() -> None:
    for error in (None, "StoreError: <not a reckon store>"):
        request = request_for("/entity/rk-0000000000000000")
        app = SimpleNamespace(state=SimpleNamespace(provider=SimpleNamespace(loaded=None, error=error)))
        request.scope["app"] = app
        for reply in (
            entity_page("rk-0000000000000000", request, None),
            record_page("us_ofac_sdn:1", request, None),
            about(request, None),
        ):
            assert reply.status_code == 503 and reply.headers["retry-after"] == "5"
            page: Any = lxml.html.fromstring(bytes(reply.body))
            assert text(page.xpath("//h1")[0]) == "The lists are loading"
            assert bool(page.xpath("//meta[@http-equiv='refresh']")) == (error is None)
            if error:  # shown, as text
                assert text(page.xpath("//main//code")[0]) == error


def test_an_entity_page_asked_again_is_sent_as_rendered(alleged: Loaded) -> None:
    with alleged.cursor() as cur:
        cid = canonical_of(cur, "gb_hmt_sanctions:14196")
    assert cid is not None
    first = entity_page(cid, request_for(f"/entity/{cid}"), alleged)
    pages: Recent[bytes] = alleged.memo(("web", "entity pages"), lambda: Recent(1))
    assert pages.get(cid) == bytes(first.body)
    again = entity_page(cid, request_for(f"/entity/{cid}"), alleged)
    assert bytes(again.body) == bytes(first.body) and again.status_code == 200
    # Kept under the canonical id only: a member's id still redirects (see above).
    assert pages.get("gb_hmt_sanctions:14196") is None
