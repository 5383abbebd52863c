"""Hostile input to every route of the API over real HTTP: markup, quotes, SQL fragments,
control characters and NUL in names and ids, a 2 MB body, JSON nested 10,000 deep, huge
limits and offsets, unknown parameters. Each gets a clear 4xx `{"detail": ...}` or a
normal answer, never a 5xx, and no HTML response carries the input unescaped."""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import pytest

from tests.api.conftest import Reply, Server

SCRIPT = "<script>alert(1)</script>"
NAMES = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "Robert'); DROP TABLE records;--",
    "' OR 1=1 --",
    '" OR ""="',
    "1; SELECT * FROM statements",
    "Abra\x00movich",
    "\x00",
    "\x01\x02\x03\x1b[31mred\x7f",
    "Roman\u200b Abramovich\u202e",
    "\ufeff\u2028\u2029",
    "Ａｂｒａｍｏｖｉｃｈ",  # fullwidth
    "Аbrаmоvich",  # Cyrillic homoglyphs in Latin
    "عبد الله",
    "阿布拉莫维奇",
    "%00%27%22",
    "${jndi:ldap://x/a}",
    "{{7*7}}",
    "../../../../etc/passwd",
    "a" * 499,
    "a " * 600,
    "🙂" * 50,
    "\\",
    "%",
    "_",
    "*",
]
MARKERS = [b"<script>", b"<img src=x", b"onerror="]


def faults(reply: Reply, what: object) -> list[str]:
    """What is wrong with `reply` to hostile input `what`: a 5xx, an error that is not JSON
    with a detail, HTML that quotes markup it was sent. Empty if nothing."""
    context = f"{str(what)[:80]!r} → {reply.status} {reply.body[:200]!r}"
    found = []
    if reply.status >= 500:
        found.append(f"server error: {context}")
    kind = reply.headers.get("content-type", "")
    if reply.status >= 400:
        if not kind.startswith("application/json"):
            found.append(f"error not JSON: {context}")
        elif not isinstance((body := reply.json()), dict) or not isinstance(body.get("detail"), str):
            found.append(f"error without a detail: {context}")
    if kind.startswith("text/html"):
        found += [f"{m!r} unescaped: {context}" for m in MARKERS if m in reply.body]
    return found


def sane(reply: Reply, what: object) -> None:
    assert faults(reply, what) == []


def form(queries: object) -> bytes:
    return urlencode({"queries": queries if isinstance(queries, str) else json.dumps(queries)}).encode()


FORM = {"Content-Type": "application/x-www-form-urlencoded"}
JSON = {"Content-Type": "application/json"}


@pytest.mark.integration
def test_hostile_names_everywhere(server: Server) -> None:
    found: list[str] = []
    for name in NAMES:
        q = quote(name, safe="")
        for path in (
            f"/search/default?q={q}",
            f"/search/default?q=Abramovich&countries={q}&schema=Person",
            f"/search/default?q=x&datasets={q}",
            f"/search/{q}?q=x",
            f"/reconcile/{q}",
            f"/reconcile/default/preview?id={q}",
            f"/reconcile/default?queries={quote(json.dumps({'q': {'query': name}}))}",
            f"/dossier/{q}.html",
            f"/dossier/{q}.pdf",
            f"/dossier/{q}",
            f"/timeline?entity={q}",
            f"/coverage?jurisdiction={q}",
            f"/coverage?theme={q}",
            f"/lag?schema={q}",
            f"/timeline?measure={q}",
            f"/changes?source={q}",
            f"/changes?since={q}",
            f"/entities/{q}",
            f"/status/{q}",
        ):
            found += faults(server.get(path), path)
        reconcile = {
            "q": {"query": name, "type": "Person", "properties": [{"pid": "birthDate", "v": name}]},
            "c": {
                "query": "Abramovich",
                "properties": [{"pid": "country", "v": name}, {"pid": name, "v": name}],
            },
        }
        found += faults(
            server.request("POST", "/reconcile/default", form(reconcile), FORM), ("reconcile", name)
        )
        found += faults(
            server.request("POST", "/reconcile/default", json.dumps(reconcile).encode(), JSON), name
        )
        match = {"queries": {"q": {"schema": "Person", "properties": {"name": [name], "country": [name]}}}}
        found += faults(server.post("/match/default", match), ("match", name))
    # Every route answered every name (a 4xx with its reason, or an answer), none wrongly.
    assert found == [], found[:10]


@pytest.mark.integration
def test_a_name_with_markup_is_escaped_in_html(server: Server) -> None:
    """An HTML answer that shows what it was asked (the preview pane) escapes it."""
    reply = server.get("/reconcile/default/preview?id=" + quote(SCRIPT))
    sane(reply, SCRIPT)
    # The dossier of a real entity: HTML from list data, with the markup of its template only.
    eid = server.get("/search/default?q=Abramovich&limit=1").json()["results"][0]["id"]
    page = server.get(f"/dossier/{eid}.html?unknown={quote(SCRIPT)}")
    assert page.status == 200
    sane(page, "dossier")


@pytest.mark.integration
def test_big_and_deep_bodies(server: Server) -> None:
    two_mb = (
        b'{"queries": {"q": {"schema": "Person", "properties": {"name": ["' + b"a" * (2 << 20) + b'"]}}}}'
    )
    deep_json = b"[" * 10_000 + b"]" * 10_000
    deep_obj = b'{"a":' * 10_000 + b"1" + b"}" * 10_000
    deep_form = b"queries=" + quote("[" * 10_000).encode()
    deep_in_form = form(
        '{"q": {"query": "x", "properties": [{"pid": "name", "v": ' + "[" * 5000 + "]" * 5000 + "}]}}"
    )
    cases = [
        ("/match/default", two_mb, JSON, 413),
        ("/reconcile/default", two_mb, JSON, 413),
        ("/reconcile/default", b"queries=" + b"a" * (2 << 20), FORM, 413),
        ("/match/default", deep_json, JSON, 400),
        ("/match/default", deep_obj, JSON, 400),
        ("/reconcile/default", deep_json, JSON, 400),
        ("/reconcile/default", deep_obj, {}, 400),
        ("/reconcile/default", deep_form, FORM, 400),
        ("/reconcile/default", deep_in_form, FORM, 400),
        ("/reconcile/default", b"\xff\xfe\x00\x01", FORM, 400),
        ("/reconcile/default", b"\xff\xfe\x00\x01", JSON, 400),
        ("/reconcile/default", b"", FORM, 400),
        ("/reconcile/default", b"", JSON, 400),
        ("/reconcile/default", b"null", JSON, 400),
        ("/reconcile/default", b'{"queries": null}', JSON, 422),
        ("/reconcile/default", b'{"queries": {"q": null}}', JSON, 422),
        ("/reconcile/default", b'{"queries": {"q": {"limit": 1e309}}}', JSON, 422),
        ("/reconcile/default", b'{"q": {"query": "x", "properties": [{"pid": "name"}]}}', JSON, 422),
        ("/reconcile/default", b"queries=" + quote('{"q": {"query": "\\ud800"}}').encode(), FORM, 422),
        ("/reconcile/default", b"queries=%ZZ", FORM, 400),
        ("/reconcile/default", b"queries=1&queries=2", FORM, 400),
    ]
    for path, body, headers, status in cases:
        reply = server.request("POST", path, body, headers)
        sane(reply, body[:60])
        assert reply.status == status, (path, body[:60], reply.status, reply.body[:200])
    # A body declared bigger than it is, or with a length that is no number.
    for length in ("99999999999", "-1", "abc"):
        reply = server.request(
            "POST", "/reconcile/default", b"queries={}", {**FORM, "Content-Length": length}
        )
        assert reply.status in (400, 413), (length, reply.status)


@pytest.mark.integration
def test_huge_limits_offsets_and_unknown_parameters(server: Server) -> None:
    paths = [
        "/search/default?q=Abramovich&limit=1000000000000",
        "/search/default?q=Abramovich&offset=1000000000000000000000000000000",
        "/search/default?q=Abramovich&limit=1e3",
        "/search/default?q=Abramovich&limit=abc",
        "/search/default?q=Abramovich&offset=-1",
        "/search/default?q=Abramovich&target=maybe",
        "/changes?limit=99999999999999999999",
        "/changes?offset=-1",
        "/coverage?max_age=-5",
        "/lag?max_window=1e400",
        "/timeline?by=" + quote(SCRIPT),
        "/dossier/x.html?max_age=99999999999999",
        "/match/default?limit=999999999999",
        "/reconcile/default?threshold=NaN",
        "/reconcile/default?threshold=inf",
    ]
    for path in paths:
        reply = server.request(
            "POST" if path.startswith("/match/") else "GET", path, b"{}" if "/match/" in path else None
        )
        sane(reply, path)
        assert 400 <= reply.status < 500, (path, reply.status, reply.body[:200])
    # Parameters reckon does not know are ignored, as yente's clients expect.
    for path in (
        "/search/default?q=Abramovich&fuzzy=true&sort=score&topics=sanction&nested=1",
        "/coverage?foo=bar&" + "x=1&" * 200,
        "/changes?format=json&include=all",
        "/reconcile/default?callback=" + quote(SCRIPT),
    ):
        reply = server.get(path)
        sane(reply, path)
        assert reply.status == 200, (path, reply.body[:200])
    assert server.get("/search/default?q=Abramovich&fuzzy=true").json()["results"]
    # Many values of a repeated parameter.
    reply = server.get("/search/default?q=Abramovich&" + "countries=ru&" * 200)
    sane(reply, "countries x200")


@pytest.mark.integration
def test_wrong_methods_and_types(server: Server) -> None:
    for method, path in (
        ("DELETE", "/search/default"),
        ("PUT", "/reconcile/default"),
        ("POST", "/coverage"),
        ("POST", "/dossier/x.html"),
        ("GET", "/match/default"),
    ):
        reply = server.request(method, path, b"{}" if method != "GET" else None, JSON)
        assert reply.status == 405, (method, path, reply.status)
    for kind in ("multipart/form-data; boundary=x", "application/xml", "text/html"):
        reply = server.request("POST", "/reconcile/default", b"--x--", {"Content-Type": kind})
        sane(reply, kind)
        assert 400 <= reply.status < 500
