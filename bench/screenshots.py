"""Screenshots of the main pages for docs/screenshots/: `python -m bench.screenshots STORE`.

Serves STORE with `reckon serve` on a free loopback port and opens each page in Debian's
headless Chromium (/usr/bin/chromium, driven by Playwright), at a desktop and a phone
width. The store should be the one `make demo` builds (the bundled lists, resolved)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"

# (file name, path, what to type on the page before the shot: a name to search, a text's file to annotate)
PAGES: list[tuple[str, str, str | None]] = [
    ("search", "/", "Абрамович Роман"),
    ("entity", "/entity/gb_hmt_sanctions:14212", None),
    (
        "gaps",
        "/explore/gaps?listed_in=gb&listed_in=au&not_listed_in=us&theme=russia_ukraine"
        "&measure=targeted&schema=Person",
        None,
    ),
    ("coverage", "/explore/coverage?theme=russia_ukraine&measure=targeted&schema=Person", None),
    ("changes", "/explore/changes?source=us_ofac_sdn", None),
    ("about", "/about", None),
    ("annotate", "/annotate", "data/texts/kremlin_manturov_chemezov.txt"),
]


def main(store: Path) -> None:
    from playwright.sync_api import sync_playwright
    from tests.api.conftest import running_server

    OUT.mkdir(parents=True, exist_ok=True)
    log = Path("/tmp") / f"reckon-screenshots-{int(time.time())}.log"
    with running_server(store, log) as srv, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
        for width, height, suffix in ((1280, 900, ""), (390, 844, "-phone")):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.set_default_timeout(120_000)
            for name, path, typed in PAGES:
                page.goto(f"http://{srv.host}:{srv.port}{path}")
                if typed and path == "/annotate":
                    page.get_by_label("Text to annotate").fill((ROOT / typed).read_text(encoding="utf-8"))
                    page.get_by_role("button", name="Annotate").click()
                    page.locator("#annotated mark").first.wait_for()
                elif typed:
                    page.get_by_label("Name, in any script").fill(typed)
                    page.locator("#results a").first.wait_for()
                page.wait_for_load_state("networkidle")
                target = OUT / f"{name}{suffix}.png"
                page.screenshot(path=str(target), full_page=False)
                print(target.relative_to(ROOT), file=sys.stderr)
            page.close()
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
