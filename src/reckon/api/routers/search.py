"""GET /search/{dataset}: yente's simple text search, over the screening index /match
uses (api.search.search_text), with facets by schema, country and dataset."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from reckon.api import search
from reckon.api.kept import Recent
from reckon.api.models import ErrorResponse, SearchResponse
from reckon.api.provider import Loaded
from reckon.api.routers.deps import loaded, settings
from reckon.api.routers.match import scope
from reckon.api.settings import Settings
from reckon.sources.registry import sources

router = APIRouter(tags=["matching"])

Facet = Literal["schema", "countries", "datasets"]
_LABELS = {"schema": "Types", "countries": "Countries", "datasets": "Data sources"}
MAX_OFFSET = 10_000
_ANSWERS = ("api.search", "answers")
# Answers kept per loaded store, as sent, the least recently asked dropped first; only
# answers of at most KEPT_BYTES (a page of 10 is ~15 KB), so that they hold ≤ 64 MB.
KEPT = 1024
KEPT_BYTES = 64 << 10


@cache
def _country_captions() -> Callable[[str], str | None] | None:
    """followthemoney's country names (a dependency of the dev extra, not of reckon: ~60 MB
    with babel, rigour and the rest); without it a facet value is labelled by its code."""
    try:
        from followthemoney.types import registry
    except ImportError:
        return None
    caption: Callable[[str], str | None] = registry.country.caption
    return caption


def _country_label(code: str) -> str:
    captions = _country_captions()
    return (captions(code) if captions else None) or code


def facet_labels(facet: str, names: list[str]) -> list[str]:
    if facet == "countries":
        return [_country_label(n) for n in names]
    if facet == "datasets":
        registry = sources()
        return [registry[n].title if n in registry else n for n in names]
    return names


def hit_json(h: search.SearchHit) -> dict[str, object]:
    """A hit in yente's entity shape plus reckon's score, explanation and statuses
    (built by hand: `dataclasses.asdict` copies deeply and cost more than the search)."""
    return {
        "id": h.id,
        "caption": h.caption,
        "schema": h.schema,
        "properties": h.properties,
        "datasets": h.datasets,
        "referents": h.referents,
        "target": h.target,
        "first_seen": h.first_seen,
        "last_seen": h.last_seen,
        "last_change": h.last_change,
        "name": h.name,
        "score": h.score,
        "match": h.match,
        "explanations": h.explanations,
        "statuses": [
            {"jurisdiction": s.jurisdiction, "status": s.status, "summary": s.summary} for s in h.statuses
        ],
        "documented_by": h.documented_by,
    }


@router.get(
    "/search/{dataset}",
    response_model=SearchResponse,
    response_model_by_alias=True,
    responses={
        400: {
            "model": ErrorResponse,
            "description": "A query reckon cannot search, or an unknown dataset filter",
        },
        404: {"model": ErrorResponse, "description": "Unknown dataset"},
    },
    summary="Simple entity search (yente's /search)",
)
async def search_(
    dataset: Annotated[str, Path(max_length=200, description="default, sanctions, or a source name")],
    store: Annotated[Loaded, Depends(loaded)],
    config: Annotated[Settings, Depends(settings)],
    q: Annotated[str, Query(max_length=1000, description="A name, in any script")] = "",
    schema: Annotated[
        str | None,
        Query(max_length=40, description="Person, Organization, Company, LegalEntity, Vessel, Airplane"),
    ] = None,
    countries: Annotated[
        list[str], Query(max_length=100, description="ISO codes: entities with one of them")
    ] = [],  # noqa: B006 (FastAPI copies it)
    datasets: Annotated[
        list[str], Query(max_length=100, description="Sources: entities with a record on one")
    ] = [],  # noqa: B006
    target: Annotated[bool | None, Query(description="Only entities listed somewhere now (or not)")] = None,
    limit: Annotated[int, Query(ge=0, le=500)] = 10,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    facets: Annotated[list[Facet], Query(max_length=3)] = ["schema", "countries", "datasets"],  # noqa: B006
) -> Response:
    """Entities whose names are like `q` (Latin or Cyrillic; a birth date written into it
    counts), best first, scored by reckon's one scorer as /match scores them; each with
    where it is listed in short. Facets count the whole matched set.

    The latest answers are kept as sent (a search box asks the same words again and
    again) and answered on the event loop; a new one is worked out in the thread pool."""
    limit = min(limit, config.max_page)
    kept: Recent[bytes] = store.memo(_ANSWERS, lambda: Recent(KEPT, KEPT << 16))
    key = (
        dataset,
        " ".join(q.split()),
        schema,
        tuple(countries),
        tuple(datasets),
        target,
        limit,
        offset,
        tuple(facets),
    )
    body = kept.get(key)
    if body is None:
        # Worked out in the thread pool: a search of words the index has not met yet
        # merges their entities' members first (tens of milliseconds on the bundled
        # lists), and the loop goes on answering the searches it keeps meanwhile.
        answer = await run_in_threadpool(
            _answer, store, dataset, q, schema, countries, datasets, target, limit, offset, facets
        )
        # The answer is built in SearchResponse's shape (tests/api/test_search_same.py checks
        # the bytes against pydantic's): validating it again cost as much as a fifth of a search.
        body = orjson.dumps(answer)
        if len(body) <= KEPT_BYTES:
            kept.put(key, body)
    return Response(body, media_type="application/json")


def _answer(
    store: Loaded,
    dataset: str,
    q: str,
    schema: str | None,
    countries: list[str],
    datasets: list[str],
    target: bool | None,
    limit: int,
    offset: int,
    facets: list[Facet],
) -> dict[str, object]:
    chosen = scope(store, dataset, datasets, [])
    try:
        found = search.search_text(
            store,
            q,
            schema=None if schema == "Thing" else schema,
            countries=countries,
            datasets=None if chosen == frozenset(store.loaded_sources) else chosen,
            target=target,
            limit=limit,
            offset=offset,
        )
    except search.QueryError as exc:
        raise HTTPException(400, detail=str(exc)) from None
    results = [hit_json(h) for h in found.results]
    out_facets = {}
    for facet in dict.fromkeys(facets):
        counts = found.facets.get(facet, {})
        names = list(counts)
        out_facets[facet] = {
            "label": _LABELS[facet],
            "values": [
                {"name": n, "label": label, "count": counts[n]}
                for n, label in zip(names, facet_labels(facet, names), strict=True)
            ],
        }
    return {
        "results": results,
        "total": {"value": found.total, "relation": found.relation},
        "limit": limit,
        "offset": offset,
        "facets": out_facets,
    }
