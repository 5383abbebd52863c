"""Compatibility with yente's clients: a recorded set of /match requests as yente's
documentation and clients write them (tests/api/data/yente_match_requests.json), sent
unchanged, and every response field clients read checked field by field: id, caption,
schema, score, match, explanations, features, properties, datasets, referents, target."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import Server

RECORDED = json.loads((Path(__file__).parent / "data" / "yente_match_requests.json").read_text())["requests"]


def check_result(r: dict[str, Any], threshold: float, *, scored: bool = True) -> None:
    """One result, the way a yente client reads it (`scored`: /match's, with the older
    `features` map beside the explanations)."""
    assert isinstance(r["id"], str) and r["id"]
    assert isinstance(r["caption"], str) and r["caption"]
    assert isinstance(r["schema"], str) and r["schema"][0].isupper()
    assert isinstance(r["score"], float) and 0.0 <= r["score"] <= 1.0
    assert r["match"] is (r["score"] >= threshold)
    assert isinstance(r["properties"], dict)
    for prop, values in r["properties"].items():
        assert isinstance(prop, str) and isinstance(values, list) and values, prop
        assert all(isinstance(v, str) for v in values), prop
    assert "name" in r["properties"] or "alias" in r["properties"]
    assert (
        isinstance(r["datasets"], list) and r["datasets"] and all(isinstance(d, str) for d in r["datasets"])
    )
    assert isinstance(r["referents"], list) and all(isinstance(x, str) for x in r["referents"])
    # Referents are records of the datasets named.
    assert {x.split(":", 1)[0] for x in r["referents"]} <= set(r["datasets"])
    assert isinstance(r["target"], bool)
    assert isinstance(r["explanations"], dict) and r["explanations"]
    for feature, e in r["explanations"].items():
        assert set(e) == {"score", "weight", "detail"}, feature
        assert isinstance(e["score"], float) and -1.0 <= e["score"] <= 1.0
        assert isinstance(e["weight"], float) and isinstance(e["detail"], str)
    if scored:
        assert isinstance(r["features"], dict)
        assert r["features"] == {k: e["score"] for k, e in r["explanations"].items()}
    for key in ("first_seen", "last_seen", "last_change"):
        assert r[key] is None or (isinstance(r[key], str) and r[key][:4].isdigit())


def threshold_of(path: str) -> float:
    for part in path.partition("?")[2].split("&"):
        name, _, value = part.partition("=")
        if name == "threshold":
            return float(value)
    return 0.7


def limit_of(path: str) -> int:
    for part in path.partition("?")[2].split("&"):
        name, _, value = part.partition("=")
        if name == "limit":
            return int(value)
    return 5


@pytest.mark.integration
@pytest.mark.parametrize("recorded", RECORDED, ids=[r["name"] for r in RECORDED])
def test_recorded_yente_request(server: Server, recorded: dict[str, Any]) -> None:
    headers = (
        {}
        if recorded.get("content_type", "application/json") is None
        else {"Content-Type": "application/json"}
    )
    reply = server.request("POST", recorded["path"], json.dumps(recorded["body"]).encode(), headers)
    assert reply.status == 200, reply.body[:300]
    assert reply.headers["content-type"].startswith("application/json")
    data = reply.json()
    assert set(data) >= {"responses", "limit"} and data["limit"] == limit_of(recorded["path"])
    queries = recorded["body"]["queries"]
    assert set(data["responses"]) == set(queries)
    threshold = threshold_of(recorded["path"])
    for key, response in data["responses"].items():
        assert response["status"] == 200
        assert set(response["total"]) == {"value", "relation"} and response["total"]["relation"] in (
            "eq",
            "gte",
        )
        assert response["total"]["value"] == len(response["results"]) <= data["limit"]
        assert response["query"]["schema"] == queries[key]["schema"]
        assert isinstance(response["query"]["properties"], dict)
        for r in response["results"]:
            check_result(r, threshold)
        scores = [r["score"] for r in response["results"]]
        assert scores == sorted(scores, reverse=True)
        expect = recorded["expect"][key]
        matched = [r for r in response["results"] if r["match"]]
        if "matches" in expect:
            assert len(matched) == expect["matches"], (
                key,
                [(r["caption"], r["score"]) for r in response["results"]],
            )
        if "matches_at_least" in expect:
            assert len(matched) >= expect["matches_at_least"], key
        if not matched:
            continue
        top = matched[0]
        if "caption_contains" in expect:
            assert expect["caption_contains"] in top["caption"], key
        if "referents" in expect:
            assert sorted(top["referents"]) == expect["referents"], key
        if "datasets" in expect:
            assert top["datasets"] == expect["datasets"], key
        if "target" in expect:
            assert top["target"] is expect["target"], key
        for feature in expect.get("explained", ()):
            assert top["explanations"][feature]["score"] > 0, (key, feature)
        if "query_id" in expect:
            assert response["query"]["id"] == expect["query_id"]
        if "max_results" in expect:
            assert len(response["results"]) <= expect["max_results"]


@pytest.mark.integration
def test_search_results_read_as_yente_entities(server: Server) -> None:
    """A client of yente's /search reads the same entity fields as /match's results."""
    # As yente's clients ask: its base schema Thing, and its own filters (topics, fuzzy) ignored.
    data = server.get("/search/default?q=Abramovich&schema=Thing&topics=sanction&fuzzy=false").json()
    assert data["results"]
    for r in data["results"]:
        check_result(r, 0.7, scored=False)
    assert set(data["total"]) == {"value", "relation"} and isinstance(data["facets"], dict)
