"""The search page in a real browser: results as one types (Latin or Cyrillic), the
same results without JavaScript, and hostile text shown as text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.api.conftest import Server
from tests.web.conftest import base_url

HOSTILE = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"


@pytest.fixture
def no_js_page(browser: Any, site: Server) -> Iterator[Any]:
    """A page with JavaScript off: the form submits and the server renders the results."""
    context = browser.new_context(base_url=base_url(site), java_script_enabled=False)
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def test_typing_a_cyrillic_name_shows_the_entity_without_submitting(page: Any) -> None:
    page.goto("/")
    # A full page load would drop this mark: the results must come without one.
    page.evaluate("window.stayed = true")
    box = page.get_by_label("Name, in any script")
    box.press_sequentially("Абрамович Роман", delay=25)
    first = page.locator("#results li.result").first
    expect(first.locator("h3")).to_contain_text("ABRAMOVICH")
    assert page.evaluate("window.stayed") is True
    # The status per jurisdiction, from the loaded store's briefs.
    expect(first.locator("[data-jurisdiction=gb][data-status=listed]")).to_be_visible()
    expect(first.locator("[data-jurisdiction=au][data-status=listed]")).to_be_visible()
    expect(first.locator("[data-jurisdiction='us'][data-status='not listed']")).to_contain_text("2024-05-03")
    expect(first.locator("[data-status=unknown] [data-jurisdiction=eu]")).to_have_count(1)
    # The score and its explanation, in one line.
    expect(first.locator(".score")).to_have_text("0.95")
    expect(first.locator(".why")).to_contain_text("Cyrillic→Latin")
    # The address follows the box, so that the results can be shared and reloaded.
    assert quote("Абрамович") in page.url
    # A screen reader hears how many were found, not the whole list again.
    expect(page.locator("#search-status")).to_contain_text("for Абрамович Роман")
    assert page.locator("#results[aria-live]").count() == 0


def test_a_result_opens_the_entity_page(page: Any) -> None:
    page.goto("/")
    page.get_by_label("Name, in any script").press_sequentially("abramovich roman", delay=10)
    link = page.locator("#results li.result h3 a").first
    expect(link).to_contain_text("ABRAMOVICH")
    link.click()
    page.wait_for_url("**/entity/rk-*")
    expect(page.get_by_role("heading", level=1)).to_have_text("Roman Arkadyevich ABRAMOVICH")


def test_the_results_are_reached_by_keyboard(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")  # the skip link comes first
    expect(page.locator("a.skip")).to_be_focused()
    box = page.get_by_label("Name, in any script")
    box.focus()
    page.keyboard.type("Abramovich Roman")
    expect(page.locator("#results li.result").first).to_contain_text("ABRAMOVICH")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Search")).to_be_focused()
    page.keyboard.press("Tab")
    first = page.locator("#results li.result h3 a").first
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/entity/rk-*")


def test_a_vessel_found_by_its_imo_number(page: Any) -> None:
    page.goto("/")
    page.get_by_label("Name, in any script").fill("IMO 9083330")
    first = page.locator("#results li.result").first
    expect(first.locator("h3")).to_contain_text("GASRET")
    expect(first.locator(".schema")).to_have_text("Vessel")
    expect(first.locator("[data-jurisdiction=us][data-status=listed]")).to_be_visible()


def test_without_javascript_the_form_renders_the_same_results(no_js_page: Any) -> None:
    page = no_js_page
    page.goto("/")
    box = page.get_by_label("Name, in any script")
    box.fill("Абрамович Роман")
    box.press("Enter")
    page.wait_for_url("**/?q=*")
    first = page.locator("#results li.result").first
    expect(first.locator("h3")).to_contain_text("ABRAMOVICH")
    expect(first.locator("[data-jurisdiction=gb][data-status=listed]")).to_be_visible()
    assert page.get_by_label("Name, in any script").input_value() == "Абрамович Роман"
    # The next page of results, still without JavaScript.
    page.get_by_role("link", name="Next results").click()
    page.wait_for_url("**offset=10*")
    expect(page.locator("ol.results")).to_have_attribute("start", "11")
    expect(page.locator("#results .results-head")).to_contain_text("11–")
    assert "Roman Arkadyevich ABRAMOVICH" not in page.locator("ol.results").inner_text()


def test_a_hostile_query_is_shown_as_text(page: Any) -> None:
    dialogs: list[str] = []

    def dialog(d: Any) -> None:
        dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    page.goto("/")
    page.get_by_label("Name, in any script").fill(HOSTILE)
    head = page.locator("#results .results-head q")
    expect(head).to_have_text(HOSTILE)
    assert page.locator("#results script, #results img").count() == 0
    # The same query rendered by the server without the script.
    page.goto("/?q=" + quote(HOSTILE))
    expect(page.locator("#results .results-head q")).to_have_text(HOSTILE)
    assert page.get_by_label("Name, in any script").input_value() == HOSTILE
    assert page.locator("main script, main img").count() == 0
    assert page.title().startswith(HOSTILE)
    assert not dialogs


def test_text_with_no_letters_says_what_to_type(page: Any) -> None:
    page.goto("/?q=" + quote("!!! ???"))
    expect(page.locator("#results .notice")).to_contain_text("Type a name")
    page.get_by_label("Name, in any script").fill("--")
    expect(page.locator("#results .notice")).to_contain_text("Type a name")
