"""The review queue in a real browser: log in, see a pair side by side, decide, the next
pair shows; the decision is in the judgement inbox at once, and in the judgement log
after the next `reckon resolve`. Over a store of real records with pairs to review (the
UN list of 2025-11-20 and the EU sample: six pairs wait, as in tests/resolve/test_review.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reckon.resolve import resolve
from reckon.store import connect, inbox
from tests.api.conftest import Server, running_server
from tests.api.test_judgements import reckon
from tests.resolve.conftest import EU, UN_OLD, load
from tests.web.conftest import base_url

PASSWORD = "reviewing all day"


@pytest.fixture(scope="module")
def review_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("review") / "review.duckdb"
    con = connect(db)
    try:
        load(con, UN_OLD)
        load(con, EU)
        resolve(con)
        waiting = con.execute("SELECT count(*) FROM resolve_pairs WHERE decision = 'review'").fetchone()
    finally:
        con.close()
    assert waiting == (6,)
    done = reckon("users", "add", "alice", "--password-stdin", "--db", str(db), stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    return db


@pytest.fixture(scope="module")
def review_site(review_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(review_db, tmp_path_factory.mktemp("serve") / "serve.log") as srv:
        yield srv


@pytest.fixture
def rpage(browser: Any, review_site: Server) -> Iterator[Any]:
    """As tests/web/conftest.page, on this module's site: a console error, a page error or
    a failed request fails the test."""
    context = browser.new_context(base_url=base_url(review_site))
    context.set_default_timeout(15_000)
    pg = context.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))

    def failed(r: Any) -> None:
        # The browser drops a page's favicon request when the test moves on at once.
        if not (r.url.endswith("/favicon.svg") and "ERR_ABORTED" in str(r.failure)):
            problems.append(f"request failed: {r.url} {r.failure}")

    pg.on("requestfailed", failed)
    try:
        yield pg
    finally:
        context.close()
    assert not problems, problems


def shown_pair(page: Any) -> tuple[str, str]:
    left, right = (page.locator("article.side").nth(i).get_attribute("data-key") for i in (0, 1))
    return (left, right)


def test_review_in_the_browser_writes_to_the_inbox_then_the_log(rpage: Any, review_db: Path) -> None:
    page = rpage
    page.goto("/review")
    assert "/login" in page.url  # behind the login
    page.get_by_label("Name").fill("alice")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("alert").inner_text() == "Wrong name or password."
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/review$"))

    assert "Pair 1 of 6 waiting" in page.locator(".review-bar").inner_text()
    assert "alice" in page.locator(".review-bar").inner_text()
    first = shown_pair(page)
    assert first[0] < first[1] and all(":" in k for k in first)
    # Side by side as `reckon review` shows it: both records, the diff, the scorer's reasons.
    sides = page.locator("article.side")
    for i, key in enumerate(first):
        assert key in sides.nth(i).inner_text()
    assert page.locator("table.diff tbody tr").count() > 0
    headers = page.locator("table.diff thead").inner_text()
    assert first[0] in headers and first[1] in headers
    assert re.search(r"\d\.\d{3} \(score, review", page.locator("p.score").inner_text())
    assert page.locator("table.features tbody tr").count() > 1

    page.get_by_label("Note (optional)").fill("different fathers' names")
    page.get_by_role("button", name="Different").click()
    page.wait_for_url(re.compile(r"/review\?pos=0$"))
    assert "Pair 1 of 5 waiting" in page.locator(".review-bar").inner_text()
    second = shown_pair(page)
    assert second != first

    # In the inbox at once, with who decided and why.
    (event,) = inbox.pending(review_db)
    assert ((event.left, event.right), event.verdict, event.user, event.note) == (
        first,
        "different",
        "alice",
        "different fathers' names",
    )
    # Not shown again: the queue goes round without it.
    seen = set()
    for pos in range(5):
        html = page.request.get(f"/review?pos={pos}").text()
        seen.add(tuple(re.findall(r'<article class="side" data-key="([^"]+)"', html)))
    assert first not in seen and len(seen) == 5

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/login$"))
    page.goto("/review")
    assert "/login" in page.url

    # `reckon resolve` opens the store to write: the decision goes into the judgement log.
    done = reckon("resolve", "--db", str(review_db))
    assert done.returncode == 0, done.stderr
    assert "5 pairs to review" in done.stdout
    assert inbox.pending(review_db) == []
    done = reckon("judgements", "history", *first, "--db", str(review_db), "--json")
    assert done.returncode == 0, done.stderr
    (logged,) = json.loads(done.stdout)
    assert (logged["event_id"], logged["verdict"], logged["user"], logged["pending"]) == (
        event.event_id,
        "different",
        "alice",
        False,
    )


def test_a_decision_without_its_csrf_token_is_refused(rpage: Any, review_db: Path) -> None:
    page = rpage
    page.goto("/login")
    page.get_by_label("Name").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/review$"))
    left, right = shown_pair(page)
    before = inbox.pending(review_db)
    # The session cookie goes with it, but not the form's token: a forged cross-site post.
    reply = page.request.post(
        "/review/decide", form={"left": left, "right": right, "decision": "same", "csrf": "forged"}
    )
    assert reply.status == 403
    assert inbox.pending(review_db) == before
