"""GET /review: the review queue in the browser, behind a login; POST /review/decide: a
decision, written to the judgement inbox at once (as POST /judgements does); POST
/review/undo: withdraw the reviewer's last decision of this session, as `reckon review`'s
z does (an undo event appended, nothing deleted).

The same queue and the same side-by-side view as `reckon review` (resolve.review:
`review_queue`, `with_details`): both records, the diff, the scorer's reasons. Two lists:
the pairs the clustering left for review, and (`?list=refused`, as `reckon review
--refused`) pairs it refused on a soft conflict, which a person may still merge. The
queue is read once per loaded store; pairs decided since (in the inbox, or applied to
the store after the snapshot was taken) are left out at each request, so a decided pair
is not shown again, to this reviewer or another, and an undone one comes back.

Keys as in `reckon review` (static/reckon.js): y same, n different, u unsure, s skip,
z undo; the buttons say so (`aria-keyshortcuts`) and work without the script."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from reckon.api import warm
from reckon.api.auth import Session, check_csrf, csrf_token, form, session
from reckon.api.provider import Loaded
from reckon.api.routers.deps import loaded, settings
from reckon.api.routers.judgements import decided_pairs, record_decision, record_undo, undoable
from reckon.match.features import BIAS
from reckon.resolve.cluster import REFUSED
from reckon.resolve.judgements import VERDICTS
from reckon.resolve.review import ReviewItem, with_details, with_properties
from reckon.resolve.rules import AUTO_MERGE, REVIEW
from reckon.web.templating import render

router = APIRouter(include_in_schema=False)

MARK = {"agree": "=", "differ": "≠", "left": "◀", "right": "▶"}
LISTS = ("review", "refused")
ListName = Literal["review", "refused"]


def _login(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def _since(s: Session) -> str:
    """The session's start as the judgement log writes times: its decisions are the ones after."""
    return datetime.fromtimestamp(s.started, UTC).isoformat(timespec="microseconds")


def waiting(request: Request, store: Loaded) -> dict[str, list[ReviewItem]]:
    """The loaded store's queue less the pairs decided since it was loaded, as two lists:
    `review`, and `refused` (the pairs `reckon review --refused` adds)."""

    # Read once per loaded store, ahead of the first reviewer (api.warm): without the
    # records' properties (read for the pair shown), both lists in one reading.
    items = warm.review_queue(store)
    decided = decided_pairs(store, settings(request))
    lists: dict[str, list[ReviewItem]] = {name: [] for name in LISTS}
    for it in items:
        if it.pair not in decided:
            lists["refused" if it.decision == REFUSED else "review"].append(it)
    return lists


def _url(which: str, pos: int, undone: str = "") -> str:
    return (
        f"/review?pos={pos}"
        + ("&list=refused" if which == "refused" else "")
        + (f"&undone={undone}" if undone else "")
    )


# What the page says after an undo (`?undone=`): the pair is shown again, or it is in no
# list of this store until the next `reckon resolve`.
UNDONE = {
    "back": "Undone: the decision no longer counts (it stays in the judgement log, with its undo). "
    "The pair is shown again.",
    "later": "Undone: the decision no longer counts (it stays in the judgement log, with its undo). "
    "The pair is in neither list of this store: the next reckon resolve clusters it without "
    "the decision, and queues it if it is still uncertain.",
}


@router.get("/review", response_class=HTMLResponse)
def review_page(
    request: Request,
    pos: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    which: Annotated[ListName, Query(alias="list")] = "review",
    undone: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    s = session(request)
    if s is None:
        return _login(request)
    store = loaded(request)
    lists = waiting(request, store)
    items = lists[which]
    item = None
    if items:
        pos = min(pos, len(items) - 1)
        with store.cursor() as cur:
            item = with_details(with_properties(cur, items[pos]))
    undo = undoable(store, settings(request), s.user, _since(s))
    return render(
        request,
        "review.html.j2",
        user=s.user,
        csrf=csrf_token(request, s),
        item=item,
        pos=pos,
        total=len(items),
        which=which,
        counts={name: len(found) for name, found in lists.items()},
        undo=undo[0] if undo else None,
        undone=UNDONE.get(undone, ""),
        undo_count=len(undo),
        mark=MARK,
        bias=BIAS,
        band=(REVIEW, AUTO_MERGE),
    )


def _which(fields: dict[str, str]) -> str:
    return "refused" if fields.get("list") == "refused" else "review"


def _pos(fields: dict[str, str]) -> int:
    try:
        return max(0, min(int(fields.get("pos", "0")), 1_000_000))
    except ValueError:
        return 0


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
    # The same position now holds the next pair: the decided one has left the queue.
    return RedirectResponse(_url(_which(fields), _pos(fields)), status_code=303)


def _undo(request: Request, s: Session, fields: dict[str, str]) -> str:
    """Undo the decision the page offered; where to go then: the pair undone, back in
    its list (the one it is in: the page may have been the other list's)."""
    store = loaded(request)
    event = record_undo(store, settings(request), s.user, _since(s), fields.get("event", "")[:64])
    which, pos = _which(fields), _pos(fields)
    if event is None:  # undone already (a second click), or a newer decision since
        return _url(which, pos)
    lists = waiting(request, store)
    for name in (which, *(n for n in LISTS if n != which)):
        pairs = [it.pair for it in lists[name]]
        if (event.left, event.right) in pairs:
            return _url(name, pairs.index((event.left, event.right)), "back")
    # In no list: decided before the store was last resolved (resolution took it out),
    # or never queued (a decision sent with POST /judgements).
    return _url(which, pos, "later")


@router.post("/review/undo")
async def undo(request: Request) -> Response:
    fields = await form(request)
    s = session(request)
    if s is None:
        return _login(request)
    check_csrf(request, s, fields.get("csrf"))
    target = await run_in_threadpool(_undo, request, s, fields)
    return RedirectResponse(target, status_code=303)
