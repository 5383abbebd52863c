"""POST /judgements over real HTTP: an API key or a session (with its CSRF token) is
needed, a revoked key is told apart, each decision is in the judgement inbox when
answered, none is lost when many reviewers write at once while others search, and the
next `reckon resolve` puts them all in the judgement log."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from reckon.store import connect, inbox
from tests.api.conftest import START, TIMEOUT, Reply, Server, running_server
from tests.conftest import REPO

PASSWORD = "a reviewer's password"
THREADS, DECISIONS = 8, 200


def reckon(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The `reckon` command in a process of its own, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-c", START, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        check=False,
    )


class Setup:
    def __init__(self, db: Path, key: str, old_key: str, records: list[str]):
        self.db, self.key, self.old_key, self.records = db, key, old_key, records
        self.server: Server | None = None

    @property
    def srv(self) -> Server:
        assert self.server is not None
        return self.server


@pytest.fixture(scope="module")
def setup(api_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    """A copy of the API store of its own (this module writes), a reviewer, two keys
    made with the CLI, and `reckon serve` over it."""
    folder = tmp_path_factory.mktemp("judgements")
    db = folder / "judgements.duckdb"
    shutil.copy(api_store, db)
    con = connect(db, read_only=True)
    try:
        records = [
            str(r[0])
            for r in con.execute(
                "SELECT source || ':' || record_id FROM records ORDER BY source, record_id LIMIT ?",
                [DECISIONS + 1],
            ).fetchall()
        ]
    finally:
        con.close()
    done = reckon("users", "add", "reviewer", "--password-stdin", "--db", str(db), stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    keys = []
    for name in ("bot", "old-bot"):
        done = reckon("keys", "create", name, "--db", str(db))
        assert done.returncode == 0, done.stderr
        keys.append(done.stdout.strip())
    s = Setup(db, keys[0], keys[1], records)
    with running_server(db, folder / "serve.log") as srv:
        s.server = srv
        yield s


def post(
    srv: Server, payload: object, key: str | None = None, headers: dict[str, str] | None = None
) -> Reply:
    sent = {"Content-Type": "application/json", **(headers or {})}
    if key is not None:
        sent["Authorization"] = f"Bearer {key}"
    return srv.request("POST", "/judgements", json.dumps(payload).encode(), sent)


def decision(s: Setup, i: int = 0, verdict: str = "same") -> dict[str, str]:
    return {"left": s.records[i], "right": s.records[i + 1], "decision": verdict, "note": f"case {i}"}


def test_without_a_key_401(setup: Setup) -> None:
    reply = post(setup.srv, decision(setup))
    assert reply.status == 401, reply.body
    assert reply.headers.get("www-authenticate") == "Bearer"
    assert post(setup.srv, decision(setup), key="rk_000000000000_" + "a" * 43).status == 401
    assert post(setup.srv, decision(setup), key=setup.key[:-2] + "xy").status == 401
    assert post(setup.srv, decision(setup), headers={"Authorization": f"Basic {setup.key}"}).status == 401
    assert inbox.pending(setup.db) == []


def test_with_a_key_201_and_in_the_inbox(setup: Setup) -> None:
    reply = post(setup.srv, decision(setup, 0, "different"), key=setup.key)
    assert reply.status == 201, reply.body
    body = reply.json()
    assert (body["decision"], body["user"], body["note"], body["status"]) == (
        "different",
        "bot",
        "case 0",
        "pending",
    )
    assert sorted([body["left"], body["right"]]) == sorted(setup.records[:2])
    (waiting,) = [e for e in inbox.pending(setup.db) if e.event_id == body["event"]]
    assert (waiting.verdict, waiting.user) == ("different", "bot")


def test_refused_decisions_are_not_recorded(setup: Setup) -> None:
    before = len(inbox.pending(setup.db))
    bad = {**decision(setup), "decision": "maybe"}
    assert post(setup.srv, bad, key=setup.key).status == 422
    unknown = {**decision(setup), "right": "gb_hmt_sanctions:no-such-record"}
    reply = post(setup.srv, unknown, key=setup.key)
    assert reply.status == 422 and "no record" in reply.json()["detail"]
    same = {**decision(setup), "right": setup.records[0]}
    assert post(setup.srv, same, key=setup.key).status == 422
    assert len(inbox.pending(setup.db)) == before


def test_a_revoked_key_403(setup: Setup) -> None:
    assert post(setup.srv, decision(setup, 1), key=setup.old_key).status == 201
    done = reckon("keys", "revoke", "old-bot", "--db", str(setup.db))
    assert done.returncode == 0, done.stderr
    # The running server reads the accounts again: no restart.
    reply = post(setup.srv, decision(setup, 2), key=setup.old_key)
    assert reply.status == 403 and "revoked" in reply.json()["detail"]


def _cookies(resp: http.client.HTTPResponse) -> dict[str, str]:
    found = {}
    for header in resp.msg.get_all("set-cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def _call(
    srv: Server, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection(srv.host, srv.port, timeout=TIMEOUT)
    try:
        conn.request(method, path, body, headers or {})
        resp = conn.getresponse()
        return resp.status, _cookies(resp), resp.read().decode()
    finally:
        conn.close()


def login(srv: Server, name: str, password: str) -> str | None:
    """The session cookie after logging in through the form, or None."""
    _, cookies, html = _call(srv, "GET", "/login")
    (token,) = re.findall(r'name="token" value="([^"]+)"', html)
    form = urlencode({"token": token, "name": name, "password": password, "next": "/review"}).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"reckon_login={cookies['reckon_login']}",
    }
    status, cookies, _ = _call(srv, "POST", "/login", form, headers)
    return cookies.get("reckon_session") if status == 303 else None


def test_a_session_writes_with_its_csrf_token(setup: Setup) -> None:
    assert login(setup.srv, "reviewer", "wrong password") is None
    session = login(setup.srv, "reviewer", PASSWORD)
    assert session
    cookie = {"Cookie": f"reckon_session={session}"}
    assert post(setup.srv, decision(setup, 3), headers=cookie).status == 403  # no CSRF token
    _, _, html = _call(setup.srv, "GET", "/review", headers=cookie)
    (csrf,) = set(re.findall(r'name="csrf" value="([^"]+)"', html))
    reply = post(setup.srv, decision(setup, 3), headers={**cookie, "X-CSRF-Token": csrf})
    assert reply.status == 201, reply.body
    assert reply.json()["user"] == "reviewer"
    # A forged cookie is no session.
    forged = {"Cookie": f"reckon_session={session[:-3]}abc", "X-CSRF-Token": csrf}
    assert post(setup.srv, decision(setup, 4), headers=forged).status == 401


def test_many_writers_at_once_lose_nothing_and_never_block_searches(setup: Setup) -> None:
    srv = setup.srv
    answers: list[tuple[int, str]] = []
    searches: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()
    writing = threading.Event()
    writing.set()

    def writer(t: int) -> None:
        try:
            for i in range(t, DECISIONS, THREADS):
                reply = post(srv, decision(setup, i, ("same", "different", "unsure")[i % 3]), key=setup.key)
                with lock:
                    answers.append(
                        (reply.status, reply.json().get("event", "") if reply.status == 201 else "")
                    )
        except Exception as exc:
            errors.append(f"writer {t}: {exc!r}")

    def searcher() -> None:
        body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Roman Abramovich"]}}}}
        try:
            while writing.is_set() or not searches:
                reply = srv.post("/match/default", body)
                searches.append(reply.status)
                assert reply.json()["responses"]["q"]["results"], "no hit for Abramovich"
        except Exception as exc:
            errors.append(f"searcher: {exc!r}")

    search = threading.Thread(target=searcher)
    search.start()
    writers = [threading.Thread(target=writer, args=(t,)) for t in range(THREADS)]
    for w in writers:
        w.start()
    for w in writers:
        w.join(300)
    writing.clear()
    search.join(60)
    assert not errors, errors
    assert len(answers) == DECISIONS and {s for s, _ in answers} == {201}
    assert searches and set(searches) == {200}
    ids = {e for _, e in answers}
    assert len(ids) == DECISIONS
    assert ids <= {e.event_id for e in inbox.pending(setup.db)}


def test_the_next_resolve_puts_every_decision_in_the_log(setup: Setup) -> None:
    """`reckon resolve` opens the store to write (the server reads a snapshot meanwhile):
    every decision of the inbox goes into the judgement log, and the inbox is empty."""
    # One decision of its own, so that the test stands whatever ran before it.
    reply = post(setup.srv, decision(setup, 5, "unsure"), key=setup.key)
    assert reply.status == 201, reply.body
    waiting = {e.event_id for e in inbox.pending(setup.db)}
    # And what the tests before it wrote, where they ran in this worker (the test runner
    # may give them to another, with a server and store of its own).
    assert reply.json()["event"] in waiting
    done = reckon("resolve", "--db", str(setup.db))
    assert done.returncode == 0, done.stderr
    assert inbox.pending(setup.db) == []
    done = reckon("judgements", "history", "--db", str(setup.db), "--json")
    assert done.returncode == 0, done.stderr
    events = json.loads(done.stdout)
    assert waiting <= {e["event_id"] for e in events}
    assert not any(e["pending"] for e in events)
