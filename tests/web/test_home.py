"""The layout and the search page in a real browser."""

from __future__ import annotations

from typing import Any


def test_home_page_has_search_box_and_escapes_the_query(page: Any) -> None:
    page.goto("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    box = page.get_by_label("Name, in any script")
    assert box.input_value() == "<script>alert(1)</script>"
    assert page.locator("script:not([src])").count() == 0
    assert page.locator("nav[aria-label=Main] a[aria-current=page]").inner_text() == "Search"
