"""The review queue in a real browser: log in, see a pair side by side, decide, the next
pair shows; the decision is in the judgement inbox at once, and in the judgement log
after the next `reckon resolve`; an undo is one more event, and the pair comes back; the
keys of `reckon review` work; failed logins are slowed. Over a store of real records with
pairs to review (the UN list of 2025-11-20 and the EU sample: six pairs wait, as in
tests/resolve/test_review.py), and two UK/US pairs the clustering refused on their birth
dates (`reckon review --refused`)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reckon.resolve import resolve
from reckon.store import connect, inbox
from tests.api.conftest import Server, running_server
from tests.api.test_judgements import reckon
from tests.resolve.conftest import EU, OFSI, UN_OLD, load
from tests.web.conftest import base_url

PASSWORD = "reviewing all day"
# Real UK and US records the scorer finds alike but the clustering refused: the birth
# dates differ (1973-06-16 vs 1972-02-23; 1974-09-09 vs 1973-05-09).
REFUSED = [("gb_hmt_sanctions:13858", "us_ofac_sdn:42982"), ("gb_hmt_sanctions:14183", "us_ofac_sdn:24183")]


@pytest.fixture(scope="module")
def review_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("review") / "review.duckdb"
    con = connect(db)
    try:
        load(con, UN_OLD)
        load(con, EU)
        load(con, OFSI, [a.split(":")[1] for a, _ in REFUSED])
        load(con, "sdn_2024-05-03.csv.gz", [b.split(":")[1] for _, b in REFUSED])
        resolve(con)
        waiting = con.execute("SELECT count(*) FROM resolve_pairs WHERE decision = 'review'").fetchone()
        refused = con.execute(
            "SELECT left_key, right_key FROM resolve_pairs WHERE decision = 'refused' ORDER BY ALL"
        ).fetchall()
    finally:
        con.close()
    assert waiting == (6,) and refused == REFUSED
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
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))

    def console(m: Any) -> None:
        # The browser logs every document answered 4xx, the login refused for a while too.
        if m.type == "error" and not (
            "status of 429" in m.text and m.location.get("url", "").endswith("/login")
        ):
            problems.append(f"console {m.type}: {m.text}")

    def failed(r: Any) -> None:
        # The browser drops a page's favicon request when the test moves on at once.
        if not (r.url.endswith("/favicon.svg") and "ERR_ABORTED" in str(r.failure)):
            problems.append(f"request failed: {r.url} {r.failure}")

    pg.on("console", console)
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


def log_in(page: Any, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Name").fill("alice")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def waiting_count(page: Any) -> int:
    found = re.search(r"Pair \d+ of (\d+) waiting", page.locator(".review-bar").inner_text())
    return int(found.group(1)) if found else 0


def press(page: Any, key: str) -> None:
    """A key of `reckon review`, and the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)


def test_undo_by_keyboard_puts_the_pair_back_and_both_events_reach_the_log(
    rpage: Any, review_db: Path
) -> None:
    page = rpage
    log_in(page)
    page.wait_for_url(re.compile(r"/review$"))
    before = waiting_count(page)
    assert before >= 2
    assert page.locator("form.undo").count() == 0  # nothing decided in this session yet
    # Labelled buttons, each with its key, reachable with Tab from the note.
    for name, key in (("Same", "y"), ("Different", "n"), ("Unsure", "u"), ("Skip", "s")):
        role = "link" if name == "Skip" else "button"
        assert page.get_by_role(role, name=name, exact=True).get_attribute("aria-keyshortcuts") == key
    note = page.get_by_label("Note (optional)")
    note.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-keyshortcuts')") == "y"

    first = shown_pair(page)
    known = len(inbox.pending(review_db))
    # Typing in the note decides nothing, Enter neither; Escape leaves it, then n: different.
    note.fill("born the same year, different towns")
    note.press("Enter")
    note.press("Escape")
    press(page, "n")
    assert waiting_count(page) == before - 1 and shown_pair(page) != first
    (decided,) = inbox.pending(review_db)[known:]
    assert ((decided.left, decided.right), decided.verdict, decided.user, decided.note) == (
        first,
        "different",
        "alice",
        "born the same year, different towns",
    )
    offered = page.locator("form.undo").inner_text()
    assert "different" in offered and first[0] in offered and first[1] in offered

    # z: the decision is withdrawn by one more event, and the pair is shown again.
    press(page, "z")
    assert shown_pair(page) == first and waiting_count(page) == before
    assert page.get_by_role("status").inner_text().startswith("Undone: the decision no longer counts")
    events = inbox.pending(review_db)[known:]
    assert [(e.verdict, e.user, (e.left, e.right)) for e in events] == [
        ("different", "alice", first),
        ("undo", "alice", first),
    ]
    assert page.locator("form.undo").count() == 0  # nothing else of this session to undo

    # `reckon resolve`: both events in the log, and the decision no longer counts.
    done = reckon("resolve", "--db", str(review_db))
    assert done.returncode == 0, done.stderr
    assert f"{before} pairs to review" in done.stdout
    done = reckon("judgements", "history", *first, "--db", str(review_db), "--json")
    assert done.returncode == 0, done.stderr
    logged = [e for e in json.loads(done.stdout) if e["event_id"] in {e.event_id for e in events}]
    assert [(e["verdict"], e["pending"]) for e in logged] == [("different", False), ("undo", False)]
    # Back in the queue `reckon review` reads (the log's replay leaves no verdict standing).
    done = reckon("review", "--json", "--db", str(review_db))
    assert done.returncode == 0, done.stderr
    assert list(first) in [it["pair"] for it in json.loads(done.stdout)]


def test_refused_pairs_are_a_list_of_their_own(rpage: Any, review_db: Path) -> None:
    page = rpage
    log_in(page)
    page.wait_for_url(re.compile(r"/review$"))
    to_review = page.get_by_role("link", name=re.compile(r"^To review \(\d+\)$")).inner_text()
    page.get_by_role("link", name="Refused, could merge (2)").click()
    page.wait_for_url(re.compile(r"/review\?list=refused$"))
    assert "Pair 1 of 2 waiting" in page.locator(".review-bar").inner_text()
    pair = shown_pair(page)
    assert pair in REFUSED
    # Why it was refused, as `reckon review --refused` says it.
    assert "refused: birth dates" in page.locator("p.score").inner_text()

    known = len(inbox.pending(review_db))
    page.get_by_role("button", name="Same", exact=True).click()
    page.wait_for_url(re.compile(r"/review\?pos=0&list=refused$"))
    assert "Pair 1 of 1 waiting" in page.locator(".review-bar").inner_text()
    (other,) = set(REFUSED) - {pair}
    assert shown_pair(page) == other
    (decided,) = inbox.pending(review_db)[known:]
    assert ((decided.left, decided.right), decided.verdict) == (pair, "same")
    # The other list is untouched.
    assert page.get_by_role("link", name=re.compile(r"^To review")).inner_text() == to_review

    page.get_by_role("button", name="Undo", exact=True).click()
    page.wait_for_url(re.compile(r"list=refused&undone=back$"))
    assert "of 2 waiting" in page.locator(".review-bar").inner_text() and shown_pair(page) == pair
    assert [e.verdict for e in inbox.pending(review_db)[known:]] == ["same", "undo"]


def test_failed_logins_are_slowed_then_the_password_works_after_the_wait(rpage: Any) -> None:
    page = rpage
    page.goto("/login")

    def attempt(password: str) -> Any:
        page.get_by_label("Name").fill("alice")
        page.get_by_label("Password").fill(password)
        with page.expect_response(lambda r: r.url.endswith("/login") and r.request.method == "POST") as got:
            page.get_by_role("button", name="Log in").click()
        return got.value

    for _ in range(5):  # the first five cost nothing
        reply = attempt("not the password")
        assert reply.status == 200
        assert page.get_by_role("alert").inner_text() == "Wrong name or password."
    # Then each failure waits longer: the next attempts are refused until the wait is over.
    for _ in range(5):
        reply = attempt("not the password")
        if reply.status == 429:
            break
        assert page.get_by_role("alert").inner_text() == "Wrong name or password."
    assert reply.status == 429
    wait = reply.headers["retry-after"]  # its growth and cap: tests/test_auth.py, on a moved clock
    assert wait.isdigit()
    # The page names the same wait as the header.
    assert (
        page.get_by_role("alert")
        .inner_text()
        .startswith(f"Too many failed logins: try again in {wait} second")
    )
    seconds = int(wait)
    time.sleep(seconds)  # the real user, after the wait
    attempt(PASSWORD)
    page.wait_for_url(re.compile(r"/review$"))
