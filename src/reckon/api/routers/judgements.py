"""POST /judgements: a decision on two records, written to the judgement inbox beside
the store (store/inbox.py) and applied to the judgement log by the next command that
opens the store for writing (`reckon resolve` applies it at once).

The answer waits for the inbox, never for the store: an import or a resolution may hold
the store for minutes. Written with an API key (`Authorization: Bearer …`) or a
reviewer's session (with its CSRF token in `X-CSRF-Token`)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from reckon.api.auth import writer
from reckon.api.models import ErrorResponse
from reckon.api.provider import Loaded
from reckon.api.routers.deps import loaded, settings
from reckon.api.settings import Settings
from reckon.resolve.judgements import Event, JudgementError
from reckon.store import inbox

router = APIRouter(tags=["judgements"])

RecordKey = Annotated[str, Field(min_length=3, max_length=300, examples=["gb_hmt_sanctions:14212"])]


class JudgementRequest(BaseModel):
    left: RecordKey
    right: RecordKey
    decision: Literal["same", "different", "unsure"]
    note: str | None = Field(None, max_length=2000)


class JudgementResponse(BaseModel):
    event: str  # the judgement log's event id: applying it twice adds nothing
    left: str
    right: str
    decision: str
    user: str
    at: str
    note: str | None
    status: str = Field(default="pending", description="pending: in the inbox until a writer applies it")


def missing_records(store: Loaded, keys: list[str]) -> list[str]:
    """The keys naming no record of the loaded store (current or removed)."""
    with store.cursor() as cur:
        found = {
            str(r[0])
            for r in cur.execute(
                "SELECT source || ':' || record_id FROM records "
                "WHERE source || ':' || record_id IN (SELECT unnest(?::VARCHAR[]))",
                [keys],
            ).fetchall()
        }
    return [k for k in keys if k not in found]


def record_decision(
    store: Loaded, conf: Settings, left: str, right: str, decision: str, user: str, note: str | None
) -> Event:
    """Check the pair against the loaded store and append the decision to the inbox
    (422 for a judgement the log would refuse)."""
    missing = missing_records(store, [left, right])
    if missing:
        raise HTTPException(422, detail=f"no record {missing[0]!r} in this store")
    try:
        return inbox.record(conf.db, left, right, decision, user, (note or "").strip() or None)
    except JudgementError as exc:
        raise HTTPException(422, detail=str(exc)) from None


@router.post(
    "/judgements",
    status_code=201,
    response_model=JudgementResponse,
    responses={
        401: {"model": ErrorResponse, "description": "No API key or session"},
        403: {"model": ErrorResponse, "description": "A revoked key, or a session without its CSRF token"},
        422: {"model": ErrorResponse},
        503: {"model": ErrorResponse},
    },
)
def post_judgement(
    body: JudgementRequest,
    request: Request,
    user: Annotated[str, Depends(writer)],
    store: Annotated[Loaded, Depends(loaded)],
    conf: Annotated[Settings, Depends(settings)],
) -> JudgementResponse:
    """Record that two records are the same entity, different ones, or that one cannot
    tell; durable when answered (201), in the judgement log after the next write."""
    e = record_decision(store, conf, body.left, body.right, body.decision, user, body.note)
    return JudgementResponse(
        event=e.event_id, left=e.left, right=e.right, decision=e.verdict, user=e.user, at=e.at, note=e.note
    )
