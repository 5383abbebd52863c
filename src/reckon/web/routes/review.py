"""GET /review: the review queue in the browser, behind a login; POST /review/decide: a
decision, written to the judgement inbox at once (as POST /judgements does).

The same queue and the same side-by-side view as `reckon review` (resolve.review:
`review_queue`, `with_details`): both records, the diff, the scorer's reasons. The queue
is read once per loaded store; pairs decided since (in the inbox, or applied to the store
after the snapshot was taken) are left out at each request, so a decided pair is not
shown again, to this reviewer or another."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from reckon.api.auth import check_csrf, csrf_token, form, session
from reckon.api.provider import Loaded
from reckon.api.routers.deps import loaded, settings
from reckon.api.routers.judgements import record_decision
from reckon.match.features import BIAS
from reckon.resolve.judgements import VERDICTS
from reckon.resolve.review import ReviewItem, review_queue, with_details, with_properties
from reckon.resolve.rules import AUTO_MERGE, REVIEW
from reckon.store import inbox
from reckon.web.templating import render

router = APIRouter(include_in_schema=False)

MARK = {"agree": "=", "differ": "≠", "left": "◀", "right": "▶"}


def _login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def waiting(request: Request, store: Loaded) -> list[ReviewItem]:
    """The queue of the loaded store less the pairs decided since it was loaded."""

    def queue() -> list[ReviewItem]:
        # Without the records' properties (read for the pair shown): seconds, not tens
        # of seconds, for the ten thousand pairs of the bundled lists.
        with store.cursor() as cur:
            return review_queue(cur, details=False, properties=False)

    items = store.memo(("review_queue",), queue)
    with store.cursor() as cur:
        decided = {(p.event.left, p.event.right) for p in inbox.unapplied(settings(request).db, cur)}
    return [it for it in items if it.pair not in decided]


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, pos: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Response:
    s = session(request)
    if s is None:
        return _login(request)
    store = loaded(request)
    items = waiting(request, store)
    item = None
    if items:
        pos = min(pos, len(items) - 1)
        with store.cursor() as cur:
            item = with_details(with_properties(cur, items[pos]))
    return render(
        request,
        "review.html.j2",
        user=s.user,
        csrf=csrf_token(request, s),
        item=item,
        pos=pos,
        total=len(items),
        mark=MARK,
        bias=BIAS,
        band=(REVIEW, AUTO_MERGE),
    )


@router.post("/review/decide")
async def decide(request: Request) -> Response:
    fields = await form(request)
    s = session(request)
    if s is None:
        return _login(request)
    check_csrf(request, s, fields.get("csrf"))
    decision = fields.get("decision", "")
    if decision not in VERDICTS:
        raise HTTPException(422, detail=f"decision must be one of {', '.join(VERDICTS)}")
    left, right = fields.get("left", "")[:300], fields.get("right", "")[:300]
    note = fields.get("note", "")[:2000]
    store = loaded(request)
    # The inbox append is fsynced: off the event loop.
    await run_in_threadpool(record_decision, store, settings(request), left, right, decision, s.user, note)
    try:
        pos = max(0, int(fields.get("pos", "0")))
    except ValueError:
        pos = 0
    # The same position now holds the next pair: the decided one has left the queue.
    return RedirectResponse(f"/review?pos={pos}", status_code=303)
