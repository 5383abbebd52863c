"""GET /changes: records added, amended and removed between versions of the lists, as
`reckon changes` gives them (store.queries.changes), in JSON, or as an Atom feed or a
JSON Feed (analysis.feeds), for readers that subscribe to what changed."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response

from reckon.api.kept import Recent
from reckon.api.models import ChangesResponse, ErrorResponse
from reckon.api.provider import Loaded
from reckon.api.routers.deps import loaded, settings
from reckon.api.settings import Settings
from reckon.store import StoreError
from reckon.store.queries import Change

router = APIRouter(tags=["analysis"])

MEDIA = {
    "json": "application/json",
    "atom": "application/atom+xml; charset=utf-8",
    "jsonfeed": "application/feed+json",
}
_KEPT = ("api.feeds", "changes")


def _changes(store: Loaded, source: str | None, since: str | None, until: str | None) -> list[Change]:
    """The changes asked for, read once while kept (the store is read-only while loaded)."""
    from reckon.store.queries import changes

    kept: Recent[list[Change]] = store.memo(_KEPT, lambda: Recent(32))
    key = (source, since, until)
    found = kept.get(key)
    if found is None:
        try:
            with store.cursor() as cur:
                found = changes(cur, source, since, until)
        except StoreError as exc:
            raise HTTPException(404, detail=str(exc)) from None
        except ValueError as exc:
            raise HTTPException(
                400, detail=str(exc).replace("--since", "since").replace("--until", "until")
            ) from None
        kept.put(key, found)
    return found


@router.get(
    "/changes",
    response_model=ChangesResponse,
    responses={
        200: {
            "description": "JSON: a page of changes, oldest first; atom and jsonfeed: the newest `limit`, newest first",
            "content": {"application/atom+xml": {}, "application/feed+json": {}},
        },
        400: {"model": ErrorResponse, "description": "A date that is not YYYY-MM-DD"},
        404: {"model": ErrorResponse, "description": "A source with no version in the store"},
    },
)
def changes_(
    store: Annotated[Loaded, Depends(loaded)],
    config: Annotated[Settings, Depends(settings)],
    source: Annotated[str | None, Query(max_length=200, description="One source, e.g. us_ofac_sdn")] = None,
    since: Annotated[str | None, Query(max_length=40, description="Versions on or after this date")] = None,
    until: Annotated[str | None, Query(max_length=40, description="Versions on or before this date")] = None,
    format: Annotated[Literal["json", "atom", "jsonfeed"], Query()] = "json",
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    """Records added, amended (with the fields) and removed between versions of a source,
    or of every source, each with its canonical entity (`reckon changes`): the first
    version of each source is its baseline. `format=atom` or `jsonfeed`: the newest
    `limit` changes as a feed, newest first."""
    from reckon.analysis.feeds import atom_feed, json_feed

    limit = min(limit, config.max_page)
    rows = _changes(store, source, since, until)
    title = f"Changes to {source or 'every list'}" + (f" since {since}" if since else "")
    if format != "json":
        newest = rows[-limit:]
        text = (atom_feed if format == "atom" else json_feed)(newest, title)
        return Response(text.encode(), media_type=MEDIA[format])
    body = {
        "title": title,
        "total": len(rows),
        "limit": limit,
        "offset": offset,
        "changes": [asdict(c) for c in rows[offset : offset + limit]],
    }
    return Response(json.dumps(body, ensure_ascii=False).encode(), media_type=MEDIA["json"])
