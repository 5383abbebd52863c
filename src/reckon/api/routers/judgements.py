"""POST /judgements: a decision on two records, written to the judgement inbox beside
the store (store/inbox.py) and applied to the judgement log by the next command that
opens the store for writing (`reckon resolve` applies it at once).

The answer waits for the inbox, never for the store: an import or a resolution may hold
the store for minutes. Written with an API key (`Authorization: Bearer …`) or a
reviewer's session (with its CSRF token in `X-CSRF-Token`)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from reckon.api.auth import writer
from reckon.api.models import ErrorResponse
from reckon.api.provider import Loaded
from reckon.api.routers.deps import loaded, settings
from reckon.api.settings import Settings
from reckon.resolve.judgements import UNDO, Event, JudgementError, make_event, pair_events, verdict_stack
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


Pair = tuple[str, str]


def decided_pairs(store: Loaded, conf: Settings) -> set[Pair]:
    """The pairs with a verdict standing that the loaded store does not know yet: decided
    in the inbox, and not undone since."""
    with store.cursor() as cur:
        return inbox.standing(conf.db, cur)


def undoable(store: Loaded, conf: Settings, user: str, since: str) -> list[Event]:
    """The decisions `user` took since `since` (ISO 8601 UTC) that still stand, latest
    first: what undoing withdraws, one at a time, as `reckon review`'s z does."""
    with store.cursor() as cur:
        waiting = [p.event for p in inbox.unapplied(conf.db, cur)]
        rows = cur.execute(
            "SELECT DISTINCT left_key, right_key FROM judgements WHERE user_name = ? AND created_at >= ?",
            [user, since],
        ).fetchall()
        pairs = {(str(a), str(b)) for a, b in rows}
        pairs |= {(e.left, e.right) for e in waiting if e.user == user and e.at >= since}
        events = pair_events(cur, pairs, waiting)
    standing = [stack[-1] for stack in map(verdict_stack, events.values()) if stack]
    mine = [e for e in standing if e.user == user and e.at >= since]
    return sorted(mine, key=lambda e: (e.at, e.event_id), reverse=True)


# One undo at a time in this process: two clicks on Undo withdraw one decision, not two.
_undoing = threading.Lock()


def record_undo(store: Loaded, conf: Settings, user: str, since: str, event_id: str) -> Event | None:
    """Withdraw `user`'s latest decision since `since`, if it is `event_id` (the one the
    reviewer saw), by appending an undo event to the inbox: nothing is deleted, and the
    decision before it on that pair, if any, stands again. None if it is not the latest
    any more (undone already, or decided anew)."""
    with _undoing:
        found = undoable(store, conf, user, since)
        if not found or found[0].event_id != event_id:
            return None
        last = found[0]
        with store.cursor() as cur:
            waiting = [p.event for p in inbox.unapplied(conf.db, cur)]
            events = pair_events(cur, [(last.left, last.right)], waiting)[(last.left, last.right)]
        # After the pair's last event, so that replaying them puts the undo last.
        at = datetime.now(UTC)
        latest = datetime.fromisoformat(max(e.at for e in events))
        if at <= latest:
            at = latest + timedelta(microseconds=1)
        try:
            event = make_event(last.left, last.right, UNDO, user, at.isoformat(timespec="microseconds"))
        except JudgementError as exc:
            raise HTTPException(422, detail=str(exc)) from None
        inbox.append(conf.db, event)
        return event


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
