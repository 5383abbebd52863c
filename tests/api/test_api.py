"""The HTTP API over real HTTP: yente's /match protocol field by field, entities and
their redirects, status, gaps, the catalog, limits and hostile input (never a 5xx)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from reckon.api.app import json_depth
from tests.api.conftest import START, Server

ABRAMOVICH = {"au_dfat_sanctions:6754", "gb_fcdo_sanctions:RUS0270", "gb_hmt_sanctions:14212"}
GASRET_ALIEV = "us_ofac_sdn:37071"
RESULT_FIELDS = {
    "id",
    "caption",
    "schema",
    "properties",
    "datasets",
    "referents",
    "target",
    "first_seen",
    "last_seen",
    "last_change",
    "score",
    "match",
    "explanations",
    "features",
}


def query(schema: str, **props: list[str]) -> dict[str, object]:
    return {"schema": schema, "properties": props}


def matches(reply_json: dict[str, object], key: str) -> list[dict[str, object]]:
    responses = reply_json["responses"]
    assert isinstance(responses, dict)
    return [r for r in responses[key]["results"] if r["match"]]


def test_the_cli_does_not_import_the_web_stack() -> None:
    code = "import sys, reckon.cli; print(sorted(m for m in ('fastapi', 'uvicorn', 'starlette', 'pydantic') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


def test_serve_refuses_a_store_it_could_never_serve(tmp_path: Path) -> None:
    not_a_store = tmp_path / "x.duckdb"
    not_a_store.write_text("hello")
    for db in (tmp_path / "missing.duckdb", not_a_store):
        out = subprocess.run(
            [sys.executable, "-c", START, "serve", "--db", str(db), "--port", "0"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert out.returncode == 2 and "reckon store" in out.stderr, out.stderr


def test_json_depth_leaves_strings_out() -> None:
    assert json_depth(b'{"queries": {"a": {"properties": {"name": ["[[[{{{"]}}}}') == 5
    assert json_depth(b"[" * 50) == 50
    assert json_depth(b'"\\"[["') == 0


def test_excluded_ids_follow_redirects_of_merged_away_entities() -> None:
    from types import SimpleNamespace

    from reckon.api.search import canonical_ids

    loaded = SimpleNamespace(
        index=SimpleNamespace(grouping=None),
        redirects={"rk-a": "rk-b", "rk-b": "rk-c", "rk-x": "rk-y", "rk-y": "rk-x"},
    )
    assert canonical_ids(loaded, ["rk-a", "rk-z"]) == {"rk-c", "rk-z"}  # type: ignore[arg-type]
    assert canonical_ids(loaded, ["rk-x"]) <= {"rk-x", "rk-y"}  # type: ignore[arg-type]


@pytest.mark.integration
def test_match_abramovich_in_both_scripts_is_one_entity_of_three_lists(server: Server) -> None:
    body = {
        "queries": {
            "cyrillic": query("Person", name=["Абрамович Роман Аркадьевич"]),
            "latin": query("Person", name=["Roman Abramovich"], birthDate=["1966-10-24"]),
        }
    }
    reply = server.post("/match/default", body)
    assert reply.status == 200, reply.body
    data = reply.json()
    assert data["limit"] == 5
    for key in ("cyrillic", "latin"):
        response = data["responses"][key]
        assert response["status"] == 200
        assert response["query"]["schema"] == "Person"
        assert set(response["total"]) == {"value", "relation"}
        (hit,) = matches(data, key)
        assert set(hit) >= RESULT_FIELDS
        assert hit["id"].startswith("rk-") and hit["schema"] == "Person"
        assert "ABRAMOVICH" in hit["caption"]
        assert set(hit["referents"]) == ABRAMOVICH
        assert set(hit["datasets"]) == {"au_dfat_sanctions", "gb_fcdo_sanctions", "gb_hmt_sanctions"}
        assert hit["target"] is True and hit["score"] >= 0.7
        assert hit["explanations"]["name"]["score"] > 0.9 and hit["explanations"]["name"]["detail"]
        assert hit["features"]["name"] == hit["explanations"]["name"]["score"]
        assert "1966-10-24" in hit["properties"]["birthDate"]
        assert hit["first_seen"] and hit["last_seen"] and hit["last_change"]
    assert "Cyrillic" in matches(data, "cyrillic")[0]["explanations"]["name"]["detail"]
    assert matches(data, "latin")[0]["explanations"]["birth_date"]["score"] == 1.0


@pytest.mark.integration
def test_match_a_vessel_by_imo(server: Server) -> None:
    body = {
        "queries": {
            "same": query("Vessel", name=["GASRET ALIEV"], imoNumber=["9083330"]),
            "imo_alone": query("Vessel", imoNumber=["IMO 9083330"]),
            # A valid IMO (check digit right) of another ship: the name alone is not enough.
            "other_imo": query("Vessel", name=["GASRET ALIEV"], imoNumber=["9321483"]),
            "other_imo_alone": query("Vessel", imoNumber=["9321483"]),
        }
    }
    data = server.post("/match/default", body).json()
    for key in ("same", "imo_alone"):
        (hit,) = matches(data, key)
        assert GASRET_ALIEV in (hit["id"], *hit["referents"])
        assert hit["explanations"]["unique_identifier"]["score"] == 1.0
    assert matches(data, "other_imo") == []
    assert matches(data, "other_imo_alone") == []


@pytest.mark.integration
def test_match_filters(server: Server) -> None:
    body = {"queries": {"q": query("Person", name=["Roman Abramovich"])}}
    found = matches(server.post("/match/default", body).json(), "q")
    assert found
    entity = found[0]["id"]
    # A member id excludes its canonical entity, as the entity's own id does.
    for excluded in ("gb_fcdo_sanctions:RUS0270", entity):
        data = server.post(f"/match/default?exclude_entity_ids={quote(excluded)}", body).json()
        assert entity not in {r["id"] for r in data["responses"]["q"]["results"]}
    data = server.post("/match/default?exclude_schema=Person", body).json()
    assert data["responses"]["q"]["results"] == []
    data = server.post("/match/us_ofac_sdn", body).json()
    assert entity not in {r["id"] for r in data["responses"]["q"]["results"]}
    data = server.post("/match/sanctions?include_dataset=gb_hmt_sanctions", body).json()
    assert entity in {r["id"] for r in data["responses"]["q"]["results"]}
    data = server.post(
        "/match/default?exclude_dataset=gb_hmt_sanctions&exclude_dataset=gb_fcdo_sanctions&exclude_dataset=au_dfat_sanctions",
        body,
    ).json()
    assert entity not in {r["id"] for r in data["responses"]["q"]["results"]}
    data = server.post("/match/default?changed_since=2099-01-01", body).json()
    assert data["responses"]["q"]["results"] == []
    data = server.post("/match/default?limit=1&threshold=0.99", body).json()
    assert data["limit"] == 1 and len(data["responses"]["q"]["results"]) <= 1
    assert all(not r["match"] for r in data["responses"]["q"]["results"] if r["score"] < 0.99)


@pytest.mark.integration
def test_match_errors(server: Server) -> None:
    one = {"queries": {"q": query("Person", name=["Roman Abramovich"])}}
    cases = [
        ("/match/default", {"queries": {}}, 400),
        ("/match/default", {"queries": {f"q{i}": query("Person", name=["A B"]) for i in range(101)}}, 400),
        ("/match/default?algorithm=logic-v999", one, 400),
        ("/match/no_such_list", one, 404),
        ("/match/default", {"queries": {"q": {"properties": {"name": ["Roman Abramovich"]}}}}, 422),
        ("/match/default", {"queries": {"q": query("Spaceship", name=["X"])}}, 400),
        ("/match/default?include_dataset=nope", one, 400),
        ("/match/default?changed_since=yesterday", one, 400),
        ("/match/default?limit=501", one, 422),
        ("/match/default?threshold=2", one, 422),
    ]
    for path, body, status in cases:
        reply = server.post(path, body)
        assert reply.status == status, (path, reply.body)
        detail = reply.json()["detail"]
        assert isinstance(detail, str) and detail
    big = json.dumps({"queries": {"q": query("Person", name=["x" * (1 << 20)])}}).encode()
    reply = server.request("POST", "/match/default", big, {"Content-Type": "application/json"})
    assert reply.status == 413 and isinstance(reply.json()["detail"], str)


@pytest.mark.integration
def test_match_without_content_type(server: Server) -> None:
    body = json.dumps({"queries": {"q": query("Person", name=["Абрамович Роман"])}}).encode()
    for headers in ({}, {"Content-Type": "application/x-www-form-urlencoded"}):
        reply = server.request("POST", "/match/default", body, headers)
        assert reply.status == 200, reply.body
        assert matches(reply.json(), "q")


@pytest.mark.integration
def test_entities_redirect_members_to_the_canonical_entity(server: Server) -> None:
    reply = server.get("/entities/gb_hmt_sanctions:14212")
    assert reply.status == 308
    location = reply.headers["location"]
    assert "/entities/rk-" in location
    path = location[location.index("/entities/") :]
    entity = server.get(path)
    assert entity.status == 200
    data = entity.json()
    assert data["id"] == path.rsplit("/", 1)[1]
    assert set(data["referents"]) == ABRAMOVICH and data["target"] is True
    assert "Роман Аркадьевич АБРАМОВИЧ" in data["properties"]["name"]
    assert server.get("/entities/rk-0000000000000000").status == 404
    assert server.get("/entities/gb_hmt_sanctions:nope").status == 404


@pytest.mark.integration
def test_status_per_jurisdiction(server: Server) -> None:
    reply = server.get("/status/gb_hmt_sanctions:14212")
    assert reply.status == 200
    j = reply.json()["jurisdictions"]
    assert j["gb"]["status"] == "listed"
    assert j["us"]["status"] == "not listed" and j["us"]["as_of"].startswith("2024-05-03")
    assert j["eu"]["status"] == "unknown"
    only = server.get("/status/gb_hmt_sanctions:14212?jurisdiction=gb,us").json()
    assert set(only["jurisdictions"]) == {"gb", "us"}
    assert server.get("/status/gb_hmt_sanctions:nope").status == 404


@pytest.mark.integration
def test_gaps_catalog_algorithms_health(server: Server) -> None:
    data = server.get("/gaps?listed_in=gb,au&not_listed_in=us&limit=10").json()
    assert data["counts"]["gaps"] >= 1 and data["rows"] and len(data["rows"]) == min(data["total"], 10)
    assert any(row["entity"].startswith("rk-") for row in data["rows"])
    assert server.get("/gaps?listed_in=gb&not_listed_in=xx").status == 400
    assert server.get("/gaps?listed_in=gb").status == 422
    assert server.get("/gaps?not_listed_in=us&limit=501").status == 422
    catalog = server.get("/catalog").json()
    by_name = {d["name"]: d for d in catalog["datasets"]}
    assert by_name["us_ofac_sdn"]["complete"] is True and by_name["us_ofac_sdn"]["version"].startswith(
        "2024-05-03"
    )
    assert by_name["eu_fsf"]["complete"] is False and by_name["eu_fsf"]["complete_as_of"] is None
    assert "Open Government Licence" in by_name["gb_hmt_sanctions"]["licence"]
    assert set(catalog["collections"]) == {"default", "sanctions"}
    algorithms = server.get("/algorithms").json()
    assert algorithms["default"] == "reckon"
    assert "name" in algorithms["algorithms"][0]["features"]
    assert server.get("/healthz").json() == {"status": "ok"}
    assert server.get("/readyz").json()["status"] == "ok"  # and the generation (test_serving.py)
    spec = server.get("/openapi.json").json()
    assert {"/match/{dataset}", "/entities/{entity_id}", "/status/{entity_id}", "/gaps", "/catalog"} <= set(
        spec["paths"]
    )


HOSTILE_NAMES = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "Robert'); DROP TABLE records;--",
    "' OR 1=1 --",
    "\x00\x01\x02\x1b[31m",
    "A\u200bbra\u202emovich",
    "ﷺ" * 200,
    "x" * 600,
    "x" * 100_000,
    "%s%s%n{0}${{7*7}}",
    "\U0001f600" * 50,
    "",
    " ",
    "\\",
]


@pytest.mark.integration
def test_hostile_input_never_fails_the_server(server: Server) -> None:
    for name in HOSTILE_NAMES:
        for schema in ("Person", "LegalEntity"):
            reply = server.post("/match/default", {"queries": {name[:50] or "k": query(schema, name=[name])}})
            assert reply.status < 500, (name[:40], reply.body[:200])
            assert reply.headers["content-type"].startswith("application/json")
    raw_bodies = [
        b"",
        b"{",
        b"null",
        b"[]",
        b'{"queries": []}',
        b'{"queries": {"q": {"schema": "Person", "properties": {"name": [1, 2]}}}}',
        b'{"queries": {"q": {"schema": "Person", "properties": {"name": {"a": "b"}}}}}',
        b'{"queries": {"q": {"schema": "Person", "properties": ' + b'{"a":' * 40 + b"1" + b"}" * 40 + b"}}}",
        b'{"queries": {"q": {"schema": "Person", "properties": {"name": ["\\ud800"]}}}}',
        b"\xff\xfe\x00",
        b"[" * 100_000,
        json.dumps({"queries": {"q": query("Person", **{f"p{i}": ["x"] for i in range(5000)})}}).encode(),
        json.dumps({"queries": {"q": query("Person", birthDate=["not a date"], name=["A B"])}}).encode(),
        json.dumps({"queries": {"q": query("Person", name=["A B"], country=["<script>"])}}).encode(),
        json.dumps({"queries": {"q": query("Person", imoNumber=["'; DROP TABLE x; --"])}}).encode(),
    ]
    for body in raw_bodies:
        for headers in ({"Content-Type": "application/json"}, {}):
            reply = server.request("POST", "/match/default", body, headers)
            assert reply.status < 500, (body[:60], reply.status, reply.body[:200])
            answer = reply.json()
            assert isinstance(answer["detail"], str) if reply.status >= 400 else "responses" in answer
    paths = [
        "/entities/" + quote("<script>alert(1)</script>"),
        "/entities/" + quote("' OR 1=1 --"),
        "/entities/" + quote("rk-'; DROP TABLE records; --"),
        "/entities/" + "x" * 5000,
        "/entities/" + quote("\x00"),
        "/status/" + quote("<script>"),
        "/status/" + quote("gb_hmt_sanctions:14212") + "?max_age=-1",
        "/gaps?not_listed_in=" + quote("<script>"),
        "/gaps?not_listed_in=us&theme=" + quote("'; DROP TABLE x"),
        "/gaps?not_listed_in=us&offset=-5",
        "/match/" + quote("<script>"),
    ]
    for path in paths:
        reply = server.request("GET" if not path.startswith("/match/") else "POST", path, b"{}")
        assert reply.status < 500, (path[:60], reply.body[:200])
        assert b"<script>" not in reply.body or reply.headers["content-type"].startswith("application/json")


# Requests as yente's clients write them: a string where a list is usual, nationality,
# first and last names apart, the client's own id, weights and config (accepted, unused).
YENTE_STYLE = {
    "queries": {
        "string_name": {"schema": "Person", "properties": {"name": "Roman Abramovich"}},
        "first_last": {
            "id": "customer-42",
            "schema": "Person",
            "properties": {"firstName": ["Roman"], "lastName": ["Abramovich"], "nationality": ["ru"]},
        },
        "full": {
            "schema": "Person",
            "properties": {
                "name": ["ABRAMOVICH, Roman Arkadyevich"],
                "birthDate": ["1966-10-24"],
                "nationality": ["Russia"],
                "gender": ["male"],
            },
        },
        "legal_entity": {"schema": "LegalEntity", "properties": {"name": ["Абрамович Роман"]}},
        "company_none": {
            "schema": "Company",
            "properties": {"name": ["Zzyzx Unlisted Holdings"], "jurisdiction": ["gb"]},
        },
    },
    "weights": {"name_literal_match": 0.5},
    "config": {"nm_number_mismatch": 0.2},
}


@pytest.mark.integration
def test_yente_style_requests_field_by_field(server: Server) -> None:
    reply = server.post("/match/default?algorithm=best", YENTE_STYLE)
    assert reply.status == 200, reply.body
    data = reply.json()
    assert set(data["responses"]) == set(YENTE_STYLE["queries"])
    for key, response in data["responses"].items():
        assert response["status"] == 200
        assert response["query"]["schema"] == YENTE_STYLE["queries"][key]["schema"]
        assert response["total"]["value"] == len(response["results"])
        assert response["total"]["relation"] in ("eq", "gte")
        for r in response["results"]:
            assert isinstance(r["id"], str) and isinstance(r["caption"], str) and isinstance(r["schema"], str)
            assert isinstance(r["score"], float) and 0.0 <= r["score"] <= 1.0
            assert r["match"] is (r["score"] >= 0.7)
            assert all(
                isinstance(v, list) and all(isinstance(x, str) for x in v) for v in r["properties"].values()
            )
            assert all(isinstance(d, str) for d in r["datasets"]) and isinstance(r["referents"], list)
            assert all(set(e) == {"score", "weight", "detail"} for e in r["explanations"].values())
            assert set(r["features"]) == set(r["explanations"])
    assert data["responses"]["first_last"]["query"]["id"] == "customer-42"
    for key in ("string_name", "first_last", "full", "legal_entity"):
        (hit,) = matches(data, key)
        assert set(hit["referents"]) == ABRAMOVICH, key
    assert data["responses"]["company_none"]["results"] == []
