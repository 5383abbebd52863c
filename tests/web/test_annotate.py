"""The annotate page in a real browser: a pasted Russian text and an uploaded English file
(real texts of the evaluation set, tests/annotate/data) come back with their listed names
marked and linked; hostile text is shown as text; an unreadable file is a clear message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.api.conftest import Server
from tests.web.conftest import base_url

DATA = Path(__file__).parents[1] / "annotate" / "data"
HOSTILE = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>"


def test_a_pasted_russian_text_marks_inflected_names_with_their_status(page: Any) -> None:
    text = (DATA / "ru_m24_20220315.txt").read_text(encoding="utf-8")
    page.goto("/annotate")
    page.get_by_label("Text to annotate").fill(text)
    page.get_by_role("button", name="Annotate").click()
    # "Дмитрия Шугаева": the genitive of a name the SDN list spells SHUGAYEV.
    mark = page.locator("mark.mention", has_text="Дмитрия Шугаева")
    expect(mark).to_have_count(1)
    mark.locator("a").click()
    card = page.locator(".cards > li:target")
    expect(card.locator("h3")).to_contain_text("SHUGAYEV")
    expect(card.locator("td[data-label=Status]", has_text="listed").first).to_be_visible()
    # The whole text is shown, in order, as pasted.
    assert page.locator("#annotated").inner_text().split() == text.split()


def test_an_uploaded_file_is_annotated_and_markup_in_it_stays_text(page: Any, tmp_path: Path) -> None:
    source = (DATA / "en_controltv_20220310.txt").read_text(encoding="utf-8")
    upload = tmp_path / "report.txt"
    upload.write_text(HOSTILE + "\n" + source, encoding="utf-8")
    page.on("dialog", lambda d: (_ for _ in ()).throw(AssertionError(f"a dialog opened: {d.message}")))
    page.goto("/annotate")
    page.get_by_label("Or a file").set_input_files(str(upload))
    page.get_by_role("button", name="Annotate").click()
    expect(page.locator("h2#found-h")).to_contain_text("in report.txt")
    expect(page.locator("#annotated")).to_contain_text(HOSTILE)
    assert page.locator("#annotated img").count() == 0
    roman = page.locator("mark.mention", has_text="Roman Abramovich")
    expect(roman).to_have_count(1)
    href = roman.locator("a").get_attribute("href")
    card = page.locator(f".cards > li[id='{href[1:]}']")
    expect(card.locator("h3 a")).to_contain_text("ABRAMOVICH")
    # Boris Johnson is named in the text and is on no list.
    expect(page.locator("mark.mention", has_text="Boris Johnson")).to_have_count(0)


def test_an_unreadable_file_says_why(browser: Any, site: Server, tmp_path: Path) -> None:
    upload = tmp_path / "photo.txt"
    upload.write_bytes(bytes(range(256)) * 64)
    context = browser.new_context(base_url=base_url(site))
    context.set_default_timeout(15_000)
    pg = context.new_page()
    problems: list[str] = []
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    # The browser logs the 400 that answers the form; anything else is a fault.
    pg.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" and "status of 400" not in m.text else None,
    )
    try:
        pg.goto("/annotate")
        pg.get_by_label("Or a file").set_input_files(str(upload))
        with pg.expect_response(lambda r: r.url.endswith("/annotate/view")) as answer:
            pg.get_by_role("button", name="Annotate").click()
        assert answer.value.status == 400
        expect(pg.get_by_role("alert")).to_contain_text("photo.txt")
    finally:
        context.close()
    assert not problems, problems
