"""GET /search/{dataset} over real HTTP: yente's text search on the screening index, in
both scripts, with facets, filters and pages; and search_text, the function behind it."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from tests.api.conftest import Server

ABRAMOVICH = {"au_dfat_sanctions:6754", "gb_fcdo_sanctions:RUS0270", "gb_hmt_sanctions:14212"}
ENTITY_FIELDS = {"id", "caption", "schema", "properties", "datasets", "referents", "target"}


def search(server: Server, dataset: str = "default", **params: object) -> dict[str, object]:
    reply = server.get(f"/search/{dataset}?{urlencode(params, doseq=True)}")
    assert reply.status == 200, reply.body
    assert reply.headers["content-type"].startswith("application/json")
    data = reply.json()
    assert isinstance(data, dict)
    return data


@pytest.mark.integration
@pytest.mark.parametrize("q", ["Abramovich", "Абрамович", "abramovich roman", "АБРАМОВИЧ Роман Аркадьевич"])
def test_search_finds_abramovich_in_either_script(server: Server, q: str) -> None:
    data = search(server, q=q)
    assert set(data) == {"results", "total", "limit", "offset", "facets"}
    assert data["limit"] == 10 and data["offset"] == 0
    results = data["results"]
    assert isinstance(results, list) and results
    top = results[0]
    assert set(top) >= ENTITY_FIELDS | {"name", "score", "match", "explanations", "statuses"}
    assert top["id"].startswith("rk-") and top["schema"] == "Person"
    assert "ABRAMOVICH" in top["caption"]
    assert set(top["referents"]) == ABRAMOVICH
    assert {"gb_hmt_sanctions", "gb_fcdo_sanctions", "au_dfat_sanctions"} <= set(top["datasets"])
    assert top["target"] is True
    assert top["explanations"]["name"]["detail"]
    statuses = {s["jurisdiction"]: s for s in top["statuses"]}
    assert statuses["gb"]["status"] == "listed" and statuses["au"]["status"] == "listed"
    assert statuses["us"]["status"] == "not listed"  # the whole SDN list of 2024-05-03 is loaded
    assert "2022-03-10" in statuses["gb"]["summary"]


@pytest.mark.integration
def test_facets_count_the_matched_set(server: Server) -> None:
    data = search(server, q="Sberbank", limit=2)
    total = data["total"]
    assert isinstance(total, dict) and set(total) == {"value", "relation"}
    assert total["value"] > 2 and len(data["results"]) == 2  # type: ignore[arg-type]
    facets = data["facets"]
    assert isinstance(facets, dict) and set(facets) == {"schema", "countries", "datasets"}
    for facet in facets.values():
        assert set(facet) == {"label", "values"}
        for v in facet["values"]:
            assert set(v) == {"name", "label", "count"} and v["count"] >= 1
    schema_counts = {v["name"]: v["count"] for v in facets["schema"]["values"]}
    assert sum(schema_counts.values()) == total["value"]  # one schema per entity
    datasets = {v["name"]: v["count"] for v in facets["datasets"]["values"]}
    assert datasets["us_ofac_sdn"] <= total["value"]
    countries = search(server, q="Abramovich")["facets"]["countries"]  # type: ignore[index]
    assert {v["name"]: (v["label"], v["count"]) for v in countries["values"]} == {
        "il": ("Israel", 1),
        "pt": ("Portugal", 1),
        "ru": ("Russia", 1),
    }
    # Only the facets asked for.
    assert set(search(server, q="Sberbank", facets="countries")["facets"]) == {"countries"}  # type: ignore[arg-type]


@pytest.mark.integration
def test_pages_filters_and_dataset_scope(server: Server) -> None:
    every = search(server, q="Sberbank", limit=50)
    ids = [r["id"] for r in every["results"]]  # type: ignore[union-attr]
    page = search(server, q="Sberbank", limit=3, offset=2)
    assert [r["id"] for r in page["results"]] == ids[2:5]  # type: ignore[union-attr]
    assert page["total"] == every["total"]
    scores = [r["score"] for r in every["results"]]  # type: ignore[union-attr]
    assert scores == sorted(scores, reverse=True)
    # schema narrows in FtM's hierarchy: Organization takes companies, Person none of these.
    orgs = search(server, q="Sberbank", schema="Organization", limit=50)
    assert {r["schema"] for r in orgs["results"]} <= {"Organization", "Company"}  # type: ignore[union-attr]
    people = search(server, q="Abramovich", schema="Person")
    assert people["results"] and all(r["schema"] == "Person" for r in people["results"])  # type: ignore[union-attr]
    assert search(server, q="Abramovich", schema="Vessel")["results"] == []
    # countries: entities with one of them.
    il = search(server, q="Abramovich", countries="il")
    assert [r["caption"] for r in il["results"]] == ["Roman Arkadyevich ABRAMOVICH"]  # type: ignore[union-attr]
    assert search(server, q="Abramovich", countries="fr")["results"] == []
    # The dataset of the path, and datasets= within it: the OFAC list does not hold him.
    assert search(server, "us_ofac_sdn", q="Abramovich")["results"] == []
    assert search(server, "gb_hmt_sanctions", q="Abramovich")["results"]
    assert search(server, q="Abramovich", datasets="au_dfat_sanctions")["results"]
    assert search(server, q="Abramovich", datasets="us_ofac_sdn")["results"] == []
    assert search(server, "sanctions", q="Abramovich")["results"]
    # target: listed somewhere now.
    assert search(server, q="Abramovich", target="false")["results"] == []
    # Blank text finds nothing, as a box that is still empty.
    blank = search(server, q="  ")
    assert blank["results"] == [] and blank["total"] == {"value": 0, "relation": "eq"}


@pytest.mark.integration
def test_search_errors(server: Server) -> None:
    cases = {
        "/search/nowhere?q=x": 404,
        "/search/default?q=x&datasets=nowhere": 400,
        "/search/default?q=x&schema=Spaceship": 400,
        "/search/default?q=" + "a" * 600: 400,
        "/search/default?q=x&limit=-1": 422,
        "/search/default?q=x&limit=501": 422,
        "/search/default?q=x&offset=10001": 422,
        "/search/default?q=x&facets=topics": 422,
        "/search/default?q=" + quote("<>!?"): 400,
    }
    for path, status in cases.items():
        reply = server.get(path)
        assert reply.status == status, (path[:60], reply.status, reply.body[:200])
        assert isinstance(reply.json()["detail"], str)


@pytest.mark.integration
def test_the_same_search_gives_the_same_answer(server: Server) -> None:
    """The second answer comes from the kept matched set: it must be the same."""
    first = server.get("/search/default?q=Aliev&limit=5").body
    assert server.get("/search/default?q=Aliev&limit=5").body == first
    assert (
        server.get("/search/default?q=%20Aliev%20&limit=5").json()
        == server.get("/search/default?q=Aliev&limit=5").json()
    )


@pytest.mark.integration
def test_vessels_and_identifiers_without_a_schema(server: Server) -> None:
    """A search box does not say what it names: a vessel's name finds the vessel, and an
    identifier typed as it is (with or without its scheme) finds what carries it."""
    for q in ("Gasret", "GASRET ALIEV", "9083330", "IMO 9083330", "imo9083330"):
        top = search(server, q=q)["results"][0]  # type: ignore[index]
        assert top["caption"] == "GASRET ALIEV" and top["schema"] == "Vessel", q
    assert search(server, q="IMO 9083330")["results"][0]["match"] is True  # type: ignore[index]
    assert search(server, q="Gasret", schema="Person")["results"] == []


@pytest.mark.integration
def test_search_text_as_the_web_pages_call_it(api_store: Path) -> None:
    """The library function behind /search and the web's search page: its keywords and
    the fields of its answer are a contract."""
    import inspect

    from reckon.api.provider import load
    from reckon.api.search import SearchHit, SearchResult, search_text

    params = inspect.signature(search_text).parameters
    assert list(params)[:8] == ["store", "q", "schema", "countries", "datasets", "limit", "offset", "target"]
    assert all(params[p].kind is inspect.Parameter.KEYWORD_ONLY for p in list(params)[2:])
    store = load(api_store)
    try:
        found = search_text(store, "Абрамович", schema=None, countries=(), datasets=None, limit=5, offset=0)
        assert isinstance(found, SearchResult) and found.total == len(found.results) == 1
        hit = found.results[0]
        assert isinstance(hit, SearchHit)
        assert set(hit.referents) == ABRAMOVICH and hit.target and hit.name
        assert {s.jurisdiction: s.status for s in hit.statuses}["gb"] == "listed"
        assert found.facets["schema"] == {"Person": 1}
        # Kept: asking again gives equal hits, and a page past the end is empty.
        assert search_text(store, "Абрамович").results == found.results
        assert search_text(store, "Абрамович", offset=5).results == []
        assert search_text(store, "").total == 0
    finally:
        store.con.close()
