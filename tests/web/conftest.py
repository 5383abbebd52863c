"""The pages in a real browser: Debian's headless Chromium (/usr/bin/chromium, installed
by .ci/run) driven by Playwright, against a real `reckon serve` over a small store of real
records (tests/api/conftest.build_store). Every page a test opens is checked for console
errors and failed requests when the test ends."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import Server, build_store, running_server

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="package")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web") / "web.duckdb")


@pytest.fixture(scope="package")
def site(web_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(web_store, tmp_path_factory.mktemp("serve") / "serve.log") as srv:
        yield srv


def base_url(srv: Server) -> str:
    return f"http://{srv.host}:{srv.port}"


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any, site: Server) -> Iterator[Any]:
    """A fresh page (its own context: cookies, downloads) on the site; fails the test if
    the page logged a console error, threw, or a request of it failed."""
    context = browser.new_context(base_url=base_url(site), accept_downloads=True)
    context.set_default_timeout(15_000)
    pg = context.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))
    try:
        yield pg
    finally:
        context.close()
    assert not problems, problems
