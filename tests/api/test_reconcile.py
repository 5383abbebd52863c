"""The W3C reconciliation API (v0.2) over real HTTP, as OpenRefine speaks it: the
manifest, queries posted as the form field `queries=`, a JSON body, GET ?queries=,
type, limit and properties honoured, the preview, and errors."""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import pytest

from tests.api.conftest import Server

FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}


def reconcile(server: Server, queries: object, dataset: str = "default") -> dict[str, object]:
    """POST as OpenRefine does: the batch as JSON in the form field `queries`."""
    body = urlencode({"queries": json.dumps(queries)}).encode()
    reply = server.request("POST", f"/reconcile/{dataset}", body, FORM)
    assert reply.status == 200, reply.body
    data = reply.json()
    assert isinstance(data, dict)
    return data


@pytest.mark.integration
def test_manifest(server: Server) -> None:
    reply = server.get("/reconcile/default")
    assert reply.status == 200
    m = reply.json()
    assert m["versions"] == ["0.2"]
    assert m["name"] and m["identifierSpace"].startswith("http") and m["schemaSpace"].startswith("http")
    assert [t["id"] for t in m["defaultTypes"]] == [
        "Person",
        "Organization",
        "Company",
        "Vessel",
        "LegalEntity",
    ]
    assert all(t["name"] for t in m["defaultTypes"])
    assert m["view"]["url"].endswith("/entity/{{id}}")
    assert "{{id}}" in m["preview"]["url"] and m["preview"]["width"] > 0 and m["preview"]["height"] > 0
    assert server.get("/reconcile/nowhere").status == 404


@pytest.mark.integration
def test_queries_as_openrefine_posts_them(server: Server) -> None:
    queries = {
        "q0": {
            "query": "Roman Abramovich",
            "type": "Person",
            "type_strict": "should",
            "limit": 3,
            "properties": [{"pid": "birthDate", "v": "1966-10-24"}, {"pid": "nationality", "v": "Russia"}],
        },
        "q1": {"query": "Абрамович Роман"},
        "q2": {
            "query": "GASRET ALIEV",
            "type": ["Vessel"],
            "properties": [{"pid": "imoNumber", "v": 9083330}],
        },
        "q3": {"query": "Zzyzx Unlisted Holdings", "type": "Company"},
        "q4": {"query": "Sberbank", "type": "Company", "limit": 2},
    }
    data = reconcile(server, queries)
    assert set(data) == set(queries)
    for key, answer in data.items():
        assert set(answer) == {"result"}, key  # type: ignore[arg-type]
        for c in answer["result"]:  # type: ignore[index]
            assert set(c) == {"id", "name", "type", "score", "match", "description"}
            assert isinstance(c["score"], float) and 0 <= c["score"] <= 1
            assert all(set(t) == {"id", "name"} for t in c["type"])
    (top, *_) = data["q0"]["result"]  # type: ignore[index]
    assert "ABRAMOVICH" in top["name"] and top["id"].startswith("rk-")
    assert top["type"] == [{"id": "Person", "name": "People"}]
    assert top["match"] is True and top["score"] > 0.99  # name, birth date and nationality agree
    assert "au" in top["description"] and "gb" in top["description"]
    assert data["q1"]["result"][0]["id"] == top["id"]  # type: ignore[index]
    (vessel, *_) = data["q2"]["result"]  # type: ignore[index]
    assert vessel["name"] == "GASRET ALIEV" and vessel["match"] is True
    assert all(c["type"][0]["id"] == "Vessel" for c in data["q2"]["result"])  # type: ignore[index]
    assert [c for c in data["q3"]["result"] if c["match"]] == []  # type: ignore[index]
    companies = data["q4"]["result"]
    assert len(companies) == 2 and all(c["type"][0]["id"] == "Company" for c in companies)  # type: ignore[index]


@pytest.mark.integration
def test_properties_change_the_score(server: Server) -> None:
    same = {
        "query": "Roman Abramovich",
        "type": "Person",
        "properties": [{"pid": "birthDate", "v": "1966-10-24"}],
    }
    other = {
        "query": "Roman Abramovich",
        "type": "Person",
        "properties": [{"pid": "birthDate", "v": "1950-01-02"}],
    }
    data = reconcile(server, {"same": same, "other": other, "bare": {"query": "Roman Abramovich"}})
    scores = {k: v["result"][0]["score"] for k, v in data.items()}  # type: ignore[index]
    assert scores["same"] > scores["bare"] > scores["other"]
    # An unreadable value is left out, not a failed batch; FtM's qualified names are read.
    data = reconcile(
        server,
        {
            "bad": {"query": "Roman Abramovich", "properties": [{"pid": "birthDate", "v": "sometime"}]},
            "qualified": {
                "query": "Roman Abramovich",
                "properties": [{"pid": "Person:birthDate", "v": "1966-10-24"}],
            },
            "unknown_pid": {
                "query": "Roman Abramovich",
                "properties": [{"pid": "favouriteColour", "v": "red"}],
            },
            "object_value": {
                "query": "Roman Abramovich",
                "properties": [{"pid": "country", "v": {"id": "ru"}}],
            },
        },
    )
    assert all(v["result"] for v in data.values())  # type: ignore[index]
    assert data["qualified"]["result"][0]["score"] == scores["same"]  # type: ignore[index]


@pytest.mark.integration
def test_json_body_and_get(server: Server) -> None:
    batch = {"q0": {"query": "Roman Abramovich", "limit": 1}}
    for body in ({"queries": batch}, batch):
        reply = server.post("/reconcile/default", body)
        assert reply.status == 200, reply.body
        assert len(reply.json()["q0"]["result"]) == 1
    reply = server.get("/reconcile/default?queries=" + quote(json.dumps(batch)))
    assert reply.status == 200 and reply.json()["q0"]["result"][0]["name"]
    # The dataset scopes the candidates.
    scoped = reconcile(server, batch, dataset="us_ofac_sdn")
    assert scoped["q0"]["result"] == [] or "ABRAMOVICH" not in scoped["q0"]["result"][0]["name"]  # type: ignore[index]


@pytest.mark.integration
def test_preview_escapes_and_404s(server: Server) -> None:
    top = reconcile(server, {"q": {"query": "Roman Abramovich"}})["q"]["result"][0]  # type: ignore[index]
    reply = server.get(f"/reconcile/default/preview?id={quote(top['id'])}")
    assert reply.status == 200 and reply.headers["content-type"].startswith("text/html")
    assert b"ABRAMOVICH" in reply.body and b"listed since 2022-03-10" in reply.body
    for bad in ("<script>alert(1)</script>", "rk-nope", "' OR 1=1 --"):
        reply = server.get(f"/reconcile/default/preview?id={quote(bad)}")
        # JSON, never HTML: a browser does not run what a JSON error quotes.
        assert reply.status == 404 and reply.headers["content-type"].startswith("application/json")


@pytest.mark.integration
def test_reconcile_errors(server: Server) -> None:
    cases: list[tuple[bytes, dict[str, str], int]] = [
        (b"queries=not%20json", FORM, 400),
        (b"queries=%5B1%2C2%5D", FORM, 400),
        (b"nothing=here", FORM, 400),
        (b"extend=%7B%7D", FORM, 400),
        (b"queries=" + quote(json.dumps({"q": {"query": "x", "type": "Spaceship"}})).encode(), FORM, 400),
        (b"queries=" + quote(json.dumps({"q": {"query": "x", "limit": -1}})).encode(), FORM, 422),
        (b"queries=" + quote(json.dumps({"q": {"query": 5}})).encode(), FORM, 422),
        (b"queries=" + quote(json.dumps({f"q{i}": {"query": "x"} for i in range(101)})).encode(), FORM, 400),
        (b"queries=" + b"%5B" * 5000, FORM, 400),
        (b"<xml/>", {"Content-Type": "application/xml"}, 415),
    ]
    for body, headers, status in cases:
        reply = server.request("POST", "/reconcile/default", body, headers)
        assert reply.status == status, (body[:60], reply.status, reply.body[:200])
        assert isinstance(reply.json()["detail"], str)
    # A query with nothing to match finds nothing rather than failing its batch.
    data = reconcile(
        server, {"empty": {"query": "   "}, "punct": {"query": "!!!"}, "ok": {"query": "Sberbank"}}
    )
    assert data["empty"] == {"result": []} and data["punct"] == {"result": []} and data["ok"]["result"]  # type: ignore[index]


@pytest.mark.integration
def test_suggest_services(server: Server) -> None:
    m = server.get("/reconcile/default").json()
    for kind in ("entity", "type", "property"):
        service = m["suggest"][kind]
        assert service["service_path"] == f"/suggest/{kind}"
        path = service["service_url"].split("//", 1)[1].split("/", 1)[1]
        assert server.get(f"/{path}{service['service_path']}?prefix=a").status == 200
    entities = server.get("/reconcile/default/suggest/entity?prefix=" + quote("Абрамович")).json()["result"]
    assert "ABRAMOVICH" in entities[0]["name"] and entities[0]["notable"] == [
        {"id": "Person", "name": "People"}
    ]
    assert server.get("/reconcile/default/suggest/entity?prefix=").json() == {"result": []}
    assert server.get("/reconcile/default/suggest/entity?prefix=%21%21").json() == {"result": []}
    types = server.get("/reconcile/default/suggest/type?prefix=comp").json()["result"]
    assert [t["id"] for t in types] == ["Company"]
    props = [p["id"] for p in server.get("/reconcile/default/suggest/property?prefix=birth").json()["result"]]
    assert props == ["birthDate"]
    assert server.get("/reconcile/nowhere/suggest/type?prefix=a").status == 404
