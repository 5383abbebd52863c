"""POST /match/{dataset}: yente's matching protocol over reckon's screening."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from reckon.api import search
from reckon.api.models import EntityMatches, ErrorResponse, MatchRequest, MatchResponse
from reckon.api.provider import Loaded, collections
from reckon.api.routers.deps import loaded, settings
from reckon.api.settings import Settings
from reckon.dates import iso_date
from reckon.sources.registry import sources

# yente's clients post without a Content-Type header (curl -d sends a form type, some send none).
router = APIRouter(tags=["matching"], strict_content_type=False)

_ERRORS: dict[int | str, dict[str, object]] = {
    400: {
        "model": ErrorResponse,
        "description": "Too many or no queries, an unknown algorithm or a bad query",
    },
    404: {"model": ErrorResponse, "description": "Unknown dataset"},
    413: {"model": ErrorResponse, "description": "Request body too large"},
    422: {"model": ErrorResponse, "description": "A query without a schema, or a malformed body"},
}


def scope(store: Loaded, dataset: str, include: list[str], exclude: list[str]) -> frozenset[str]:
    """The sources whose records may be hits: the dataset (a source or a collection),
    narrowed by include_dataset and exclude_dataset."""
    named = collections(store.loaded_sources)
    if dataset in named:
        chosen = named[dataset]
    elif dataset in store.loaded_sources:
        chosen = frozenset({dataset})
    else:
        known = ", ".join([*named, *store.loaded_sources])
        raise HTTPException(404, detail=f"unknown dataset {dataset[:100]!r}; known: {known}")
    registry = sources()
    unknown = sorted({d for d in (*include, *exclude) if d not in registry and d not in named})
    if unknown:
        raise HTTPException(400, detail=f"unknown dataset {', '.join(repr(u[:100]) for u in unknown[:5])}")

    def expand(names: list[str]) -> frozenset[str]:
        return frozenset(s for n in names for s in named.get(n, {n}))

    if include:
        chosen &= expand(include)
    return chosen - expand(exclude)


@router.post(
    "/match/{dataset}",
    response_model=MatchResponse,
    response_model_by_alias=True,
    responses=_ERRORS,
    summary="Match entities (yente's protocol)",
)
async def match(
    body: MatchRequest,
    dataset: Annotated[str, Path(max_length=200, description="default, sanctions, or a source name")],
    store: Annotated[Loaded, Depends(loaded)],
    config: Annotated[Settings, Depends(settings)],
    limit: Annotated[int, Query(ge=1, le=500)] = 5,
    threshold: Annotated[float, Query(ge=0.0, le=1.0, description="A result scoring this is a match")] = 0.7,
    cutoff: Annotated[float, Query(ge=0.0, le=1.0, description="Lowest score returned")] = 0.5,
    algorithm: Annotated[str, Query(max_length=100)] = search.ALGORITHM,
    include_dataset: Annotated[list[str], Query(max_length=100)] = [],  # noqa: B006 (FastAPI copies it)
    exclude_dataset: Annotated[list[str], Query(max_length=100)] = [],  # noqa: B006
    exclude_schema: Annotated[list[str], Query(max_length=100)] = [],  # noqa: B006
    exclude_entity_ids: Annotated[list[str], Query(max_length=100)] = [],  # noqa: B006
    changed_since: Annotated[str | None, Query(max_length=40)] = None,
) -> dict[str, object]:
    """Score each query against every entity of the dataset; up to `limit` results per
    query, best first. Each result is a canonical entity (its member records on every
    list are its `referents`), `match` when it scores at least `threshold`.

    The handler is a coroutine on purpose: screening is CPU-bound and touches no I/O,
    so it runs on the event loop rather than paying a thread hand-off per request."""
    if algorithm not in search.ALGORITHMS:
        raise HTTPException(
            400, detail=f"unknown algorithm {algorithm!r}; use {', '.join(sorted(search.ALGORITHMS))}"
        )
    if not body.queries:
        raise HTTPException(400, detail="no queries given")
    if len(body.queries) > config.max_queries:
        raise HTTPException(
            400, detail=f"{len(body.queries)} queries; at most {config.max_queries} a request"
        )
    since = None
    if changed_since is not None:
        try:
            since = iso_date(changed_since, "changed_since")[:10]
        except ValueError as exc:
            raise HTTPException(400, detail=str(exc)) from None
    filters = search.Filters(
        scope(store, dataset, include_dataset, exclude_dataset),
        frozenset(exclude_schema),
        search.canonical_ids(store, exclude_entity_ids),
        since,
    )
    responses: dict[str, EntityMatches | dict[str, object]] = {}
    for key, q in body.queries.items():
        try:
            hits = search.match(store, q.schema_, q.properties, limit, min(cutoff, threshold), filters)
        except search.QueryError as exc:
            raise HTTPException(400, detail=f"query {key[:100]!r}: {exc}") from None
        results = [search.result(store, h, threshold) for h in hits]
        responses[key] = {
            "status": 200,
            "results": results,
            "total": {"value": len(results), "relation": "gte" if len(results) >= limit else "eq"},
            "query": q.model_dump(by_alias=True),
        }
    return {"responses": responses, "limit": limit}
