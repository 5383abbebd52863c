"""reckon's own questions: where an entity is listed (analysis.status) and the gaps
between jurisdictions (analysis.gaps), as the CLI's `--json` gives them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from reckon.analysis.gaps import GapError, GapQuery, gap_rows, gaps, parse_jurisdictions
from reckon.analysis.status import EntityStatus, entity_status
from reckon.api.models import ErrorResponse
from reckon.api.provider import Loaded
from reckon.api.routers.deps import loaded

router = APIRouter(tags=["analysis"])

Names = Annotated[list[str], Query(max_length=200)]


@router.get(
    "/status/{entity_id:path}", response_model=EntityStatus, responses={404: {"model": ErrorResponse}}
)
def status(
    entity_id: Annotated[str, Path(max_length=300, description="rk-… or a record source:id")],
    store: Annotated[Loaded, Depends(loaded)],
    jurisdiction: Names = [],  # noqa: B006 (FastAPI copies it)
    max_age: Annotated[int | None, Query(ge=0, le=100_000)] = None,
) -> EntityStatus:
    """Where the entity is listed, per jurisdiction: listed (since when), delisted,
    possibly listed, not listed (as of which list version) or unknown, with the records
    behind each; allegations apart (`reckon status --json`)."""
    with store.cursor() as cur:
        result = entity_status(
            cur, entity_id, jurisdictions=parse_jurisdictions(jurisdiction) or None, max_age_days=max_age
        )
    if result is None:
        raise HTTPException(404, detail=f"no entity {entity_id[:300]!r}")
    return result


@router.get("/gaps", responses={400: {"model": ErrorResponse}})
def gaps_(
    store: Annotated[Loaded, Depends(loaded)],
    not_listed_in: Names,
    listed_in: Names = [],  # noqa: B006
    candidates: Annotated[str | None, Query(max_length=100)] = None,
    category: Annotated[str | None, Query(max_length=200)] = None,
    theme: Annotated[str | None, Query(max_length=100)] = None,
    measure: Annotated[str | None, Query(max_length=100)] = None,
    schema: Annotated[str | None, Query(max_length=40)] = None,
    max_age: Annotated[int | None, Query(ge=0, le=100_000)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, object]:
    """Entities listed in every `listed_in` jurisdiction and not in the `not_listed_in`
    ones (`reckon gaps --format json`), a page of rows at a time; possibly listed,
    unknown and delisted ones are counted apart, never as gaps."""
    query = GapQuery(
        parse_jurisdictions(listed_in),
        parse_jurisdictions(not_listed_in),
        schema,
        theme,
        measure,
        candidates,
        category,
    )
    try:
        with store.cursor() as cur:
            report = gaps(cur, query, max_age_days=max_age)
    except GapError as exc:
        raise HTTPException(400, detail=str(exc)) from None
    rows = gap_rows(report)
    return {
        "query": asdict(report.query),
        "lists": [asdict(s) for s in report.lists],
        "counts": {
            "gaps": len(report.gaps),
            "undecided": len(report.undecided),
            "delisted": len(report.delisted),
        },
        "total": len(rows),
        "limit": limit,
        "offset": offset,
        "rows": rows[offset : offset + limit],
    }
