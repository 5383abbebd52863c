"""/search's shortcuts give the answers of the straightforward way, on real names in Latin
and Cyrillic script: the readings of a name sharing their candidates (`search.name_hits`
against one `search.match` per schema), scoring without bounds when every score counts
(`score_reaching` at threshold 0), the index's caches worked out ahead (`Index.warm`), and
the answer's JSON written as it is built (orjson, against pydantic's SearchResponse)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from reckon.api import search
from reckon.api.models import SearchResponse
from reckon.api.provider import Loaded, load
from reckon.api.routers.search import _answer
from reckon.match.index import readings
from reckon.match.scorer import compatible, score_reaching
from reckon.names.script import detect_script


@pytest.fixture(scope="module")
def store(api_store: Path) -> Iterator[Loaded]:
    loaded = load(api_store)
    try:
        yield loaded
    finally:
        loaded.con.close()


def real_names(store: Loaded) -> list[str]:
    """Names on the lists as users type them: whole names and single words of them, in
    Latin and Cyrillic script, a vessel's, and a few that find nothing."""
    latin: list[str] = []
    cyrillic: list[str] = []
    for p in store.index.entities[::40]:
        for n in p.names[:2]:
            if detect_script(n.text) == "Latn" and len(latin) < 60:
                latin += [n.text, n.text.split()[0]]
    for p in store.index.entities:  # every Cyrillic name of the store, and each of its words
        for n in p.names:
            if detect_script(n.text) == "Cyrl":
                cyrillic += [n.text, *n.text.split()]
    assert len(latin) >= 60 and len(cyrillic) >= 8, (len(latin), cyrillic)
    return [*latin, *cyrillic, "GASRET ALIEV", "IMO 9083330", "Абрамович", "Maria Schmidt", "bank"]


def test_the_readings_of_a_name_find_what_one_match_per_schema_finds(store: Loaded) -> None:
    for text in real_names(store):
        for schema in (None, "Vessel", "Person", "Organization"):
            ways = [search.query_schema(schema)] if schema else ["LegalEntity", "Vessel", "Airplane"]
            for datasets in (None, frozenset({"us_ofac_sdn"})):
                expected = [
                    search.match(store, way, {"name": [text]}, 500, 0.0, search.Filters(datasets))
                    for way in ways
                ]
                assert search.name_hits(store, text, ways, datasets) == expected, (text, schema)


def test_scoring_without_bounds_at_threshold_zero_scores_as_with_them(store: Loaded) -> None:
    checked = 0
    for text in real_names(store)[:40]:
        for q, _ in readings({"schema": "LegalEntity", "properties": {"name": [text]}}):
            for pos in store.index.candidates(q)[:10]:
                c = store.index.entities[pos]
                if not compatible(q, c):  # never scored by a search (0 either way)
                    continue
                # Any threshold above 0 takes the bounded way; none this low cuts a score.
                bounded = score_reaching(q, c, 1e-12, store.index.weigh)
                assert score_reaching(q, c, 0.0, store.index.weigh) == bounded
                checked += 1
    assert checked > 100


def test_the_answers_json_is_pydantics(store: Loaded) -> None:
    for text in real_names(store)[:30]:
        for schema, limit in ((None, 500), ("Vessel", 10)):
            answer = _answer(
                store, "default", text, schema, [], [], None, limit, 0, ["countries", "datasets"]
            )
            expected = SearchResponse.model_validate(answer).model_dump_json(by_alias=True).encode()
            assert orjson.dumps(answer) == expected


def test_a_warmed_index_answers_as_a_cold_one(api_store: Path) -> None:
    cold, warm = load(api_store), load(api_store)
    try:
        warm.index.warm()
        assert warm.index.grouping is not None and len(warm.index.grouping.made) == len(
            warm.index.grouping.members
        )
        for text in real_names(cold)[:30]:
            ways = ["LegalEntity", "Vessel", "Airplane"]
            assert search.name_hits(cold, text, ways, None) == search.name_hits(warm, text, ways, None)
    finally:
        cold.con.close()
        warm.con.close()
