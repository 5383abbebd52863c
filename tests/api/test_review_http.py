"""The review's undo and the login's throttle over real HTTP, against `reckon serve`: an
undo is one more event in the judgement inbox, for the reviewer's own decision only, once
per click, and after `reckon resolve` both events are in the judgement log and the
decision no longer stands; failed logins and unknown API keys are answered 429 with
`Retry-After` past a few, and the real password or key works after the wait."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from reckon.api.auth import KEY_FREE_ADDRESS, LOGIN_FREE_ACCOUNT_ADDRESS
from reckon.resolve.judgements import Event, verdict_stack
from reckon.store import connect, inbox
from tests.api.conftest import TIMEOUT, Server, running_server
from tests.api.test_judgements import reckon

PASSWORD = "a reviewer's password"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    cookies: dict[str, str]
    body: str


@dataclass
class Site:
    db: Path
    srv: Server
    key: str
    records: list[str]


@pytest.fixture(scope="module")
def site(api_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A copy of the API store (this module writes), two reviewers and a key, served."""
    folder = tmp_path_factory.mktemp("review_http")
    db = folder / "review.duckdb"
    shutil.copy(api_store, db)
    con = connect(db, read_only=True)
    try:
        records = [
            str(r[0])
            for r in con.execute(
                "SELECT source || ':' || record_id FROM records ORDER BY source, record_id LIMIT 4"
            ).fetchall()
        ]
    finally:
        con.close()
    for name in ("ana", "ben"):
        done = reckon("users", "add", name, "--password-stdin", "--db", str(db), stdin=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
    done = reckon("keys", "create", "bot", "--db", str(db))
    assert done.returncode == 0, done.stderr
    with running_server(db, folder / "serve.log") as srv:
        yield Site(db, srv, done.stdout.strip().splitlines()[0], records)


def call(
    srv: Server, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> Answer:
    conn = http.client.HTTPConnection(srv.host, srv.port, timeout=TIMEOUT)
    try:
        conn.request(method, path, body, headers or {})
        resp = conn.getresponse()
        cookies = {}
        for header in resp.msg.get_all("set-cookie") or []:
            name, _, rest = header.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
        return Answer(
            resp.status, {k.lower(): v for k, v in resp.getheaders()}, cookies, resp.read().decode()
        )
    finally:
        conn.close()


def try_login(srv: Server, name: str, password: str) -> Answer:
    form = call(srv, "GET", "/login")
    (token,) = re.findall(r'name="token" value="([^"]+)"', form.body)
    body = urlencode({"token": token, "name": name, "password": password, "next": "/review"}).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"reckon_login={form.cookies['reckon_login']}",
    }
    return call(srv, "POST", "/login", body, headers)


class Reviewer:
    """A logged-in browser session, without the browser."""

    def __init__(self, srv: Server, name: str):
        answer = try_login(srv, name, PASSWORD)
        assert answer.status == 303, answer.body
        self.srv, self.cookie = srv, f"reckon_session={answer.cookies['reckon_session']}"

    def page(self) -> str:
        answer = call(self.srv, "GET", "/review", headers={"Cookie": self.cookie})
        assert answer.status == 200
        return answer.body

    def post(self, path: str, fields: dict[str, str]) -> Answer:
        (csrf,) = set(re.findall(r'name="csrf" value="([^"]+)"', self.page()))
        headers = {"Cookie": self.cookie, "Content-Type": "application/x-www-form-urlencoded"}
        return call(self.srv, "POST", path, urlencode({**fields, "csrf": csrf}).encode(), headers)

    def offered_undo(self) -> str | None:
        """The event the page's Undo button withdraws, if it has one."""
        found = re.findall(r'name="event" value="([^"]+)"', self.page())
        return found[0] if found else None


def test_an_undo_is_one_more_event_and_the_decision_no_longer_stands(site: Site) -> None:
    ana, ben = Reviewer(site.srv, "ana"), Reviewer(site.srv, "ben")
    assert ana.offered_undo() is None
    pair = (site.records[0], site.records[1])
    answer = ana.post("/review/decide", {"left": pair[0], "right": pair[1], "decision": "same"})
    assert answer.status == 303
    (decided,) = inbox.pending(site.db)
    assert (decided.verdict, decided.user) == ("same", "ana")
    assert ana.offered_undo() == decided.event_id
    # Not ben's to undo: his session decided nothing.
    assert ben.offered_undo() is None
    answer = ben.post("/review/undo", {"event": decided.event_id})
    assert answer.status == 303 and "undone" not in answer.headers["location"]
    assert inbox.pending(site.db) == [decided]

    # Two records of no pair the store queues: the page says it is undone, and that the
    # pair would come back only after the next `reckon resolve`.
    answer = ana.post("/review/undo", {"event": decided.event_id})
    assert answer.status == 303 and answer.headers["location"].endswith("&undone=later")
    # A second click on the same button (the page not reloaded yet) withdraws nothing more.
    answer = ana.post("/review/undo", {"event": decided.event_id})
    assert answer.status == 303 and "undone" not in answer.headers["location"]
    events = inbox.pending(site.db)
    assert [(e.verdict, e.user, (e.left, e.right)) for e in events] == [
        ("same", "ana", pair),
        ("undo", "ana", pair),
    ]
    assert events[1].at > events[0].at
    assert ana.offered_undo() is None

    done = reckon("resolve", "--db", str(site.db))
    assert done.returncode == 0, done.stderr
    assert inbox.pending(site.db) == []
    done = reckon("judgements", "history", *pair, "--db", str(site.db), "--json")
    assert done.returncode == 0, done.stderr
    logged = json.loads(done.stdout)
    assert [(e["event_id"], e["pending"]) for e in logged] == [(e.event_id, False) for e in events]
    replayed = [Event(**{k: e[k] for k in Event.__dataclass_fields__}) for e in logged]
    assert verdict_stack(replayed) == []


def test_failed_logins_429_then_the_password_works_after_the_wait(site: Site) -> None:
    srv = site.srv
    for _ in range(LOGIN_FREE_ACCOUNT_ADDRESS):
        answer = try_login(srv, "ben", "not his password")
        assert answer.status == 200 and "Wrong name or password." in answer.body
    # Past the free ones, each failure waits longer (1 s, 2 s …): attempts before the wait
    # is over are refused, whatever the password. Failing until the wait is 2 s or more
    # leaves a second at least for the right password to be refused too.
    for _ in range(8):
        answer = try_login(srv, "ben", "not his password")
        if answer.status == 429 and int(answer.headers["retry-after"]) >= 2:
            break
        if answer.status == 429:
            time.sleep(int(answer.headers["retry-after"]))
    assert answer.status == 429, answer.body
    assert "Too many failed logins" in answer.body
    answer = try_login(srv, "ben", PASSWORD)
    assert answer.status == 429 and "reckon_session" not in answer.cookies
    time.sleep(int(answer.headers["retry-after"]))
    answer = try_login(srv, "ben", PASSWORD)
    assert answer.status == 303 and answer.cookies.get("reckon_session")
    # The success cleared the count: a slip of the finger is a plain refusal again.
    assert try_login(srv, "ben", "not his password").status == 200


def test_unknown_api_keys_429_then_the_real_key_works_after_the_wait(site: Site) -> None:
    srv = site.srv
    body = json.dumps({"left": site.records[2], "right": site.records[3], "decision": "unsure"}).encode()

    def post(key: str) -> Answer:
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}
        return call(srv, "POST", "/judgements", body, headers)

    guess = site.key[:-2] + ("xy" if not site.key.endswith("xy") else "zz")
    for _ in range(KEY_FREE_ADDRESS):
        assert post(guess).status == 401
    for _ in range(8):
        answer = post(guess)
        if answer.status == 429 and int(answer.headers["retry-after"]) >= 2:
            break
        if answer.status == 429:
            time.sleep(int(answer.headers["retry-after"]))
    assert answer.status == 429, answer.body
    assert post(site.key).status == 429  # from this address, until the wait is over
    time.sleep(int(answer.headers["retry-after"]))
    assert post(site.key).status == 201
    assert post(guess).status == 401  # counted from nothing again
