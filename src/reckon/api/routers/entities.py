"""GET /entities/{id}: one canonical entity, merged from its member records
(resolve.profile); a member record or a merged-away id redirects to it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import RedirectResponse

from reckon.api.models import EntityResponse, ErrorResponse
from reckon.api.provider import Loaded
from reckon.api.routers.deps import loaded
from reckon.resolve.profile import profile
from reckon.resolve.views import canonical_of

router = APIRouter(tags=["entities"])

EntityId = Annotated[str, Path(max_length=300, description="rk-… or a member record source:id")]


@router.get(
    "/entities/{entity_id:path}",
    response_model=EntityResponse,
    response_model_by_alias=True,
    responses={
        308: {"description": "A member record or merged-away id: the canonical entity is at Location"},
        404: {"model": ErrorResponse},
    },
)
def entity(
    entity_id: EntityId, request: Request, store: Annotated[Loaded, Depends(loaded)]
) -> EntityResponse | RedirectResponse:
    with store.cursor() as cur:
        # An entity's profile follows its redirects: read once, it tells where an id leads.
        prof = profile(cur, entity_id) if entity_id.startswith("rk-") else None
        cid = prof.id if prof is not None else canonical_of(cur, entity_id)
    if cid is None:
        raise HTTPException(404, detail=f"no entity {entity_id[:300]!r}")
    if cid != entity_id:
        return RedirectResponse(str(request.url_for("entity", entity_id=cid)), status_code=308)
    if prof is None:  # a member record's id equal to its entity's: never
        raise HTTPException(404, detail=f"no entity {entity_id[:300]!r}")
    props: dict[str, list[str]] = {}
    for values in (*prof.names.values(), *prof.facts.values()):
        for v in values:
            have = props.setdefault(v.kind, [])
            if v.value not in have:
                have.append(v.value)
    dates = [d for m in prof.members if (d := store.dates.get(m)) is not None]
    return EntityResponse(
        id=prof.id,
        caption=prof.caption,
        schema=prof.schema,
        properties=props,
        datasets=sorted({m.split(":", 1)[0] for m in prof.members}),
        referents=list(prof.members),
        target=prof.id in store.targets,
        first_seen=min((d.first_seen for d in dates), default=None),
        last_seen=max((d.last_seen for d in dates), default=None),
        last_change=max((d.last_change for d in dates), default=None),
    )
