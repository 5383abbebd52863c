"""GET /explore/changes: records added, amended and removed between versions of each list,
newest first, each with its canonical entity, as `reckon changes` gives them
(`store.queries.changes`); by source and date range. The page names its Atom feed,
which the API serves (GET /changes?format=atom, the same query)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from reckon.api.kept import Recent
from reckon.api.provider import Loaded
from reckon.store import StoreError
from reckon.store.queries import Change
from reckon.web.explore import Pages, choices, number, opt, pages
from reckon.web.routes.entity import MaybeLoaded, loading
from reckon.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE = 200  # changes a page shows
KEPT = 32  # answers kept per loaded store, the least recently asked dropped first
MAX_VALUE = 100

Text = Annotated[str | None, Query()]


@dataclass(frozen=True, slots=True)
class Shown:
    rows: list[Change]  # newest first
    total: int
    counts: dict[str, int]  # added, amended, removed: of all the changes asked for
    offset: int
    limit: int


def _changes(store: Loaded, source: str | None, since: str | None, until: str | None) -> list[Change]:
    """The changes asked for, newest first, read once while kept; StoreError for a source
    the store holds no version of, ValueError for a date that is not one."""
    from reckon.store.queries import changes

    kept: Recent[list[Change]] = store.memo(("web.explore", "changes"), lambda: Recent(KEPT))
    key = (source, since, until)
    found = kept.get(key)
    if found is None:
        with store.cursor() as cur:
            found = changes(cur, source, since, until)[::-1]
        kept.put(key, found)
    return found


def _text(value: str | None, what: str) -> str | None:
    found = opt(value)
    if found is not None and len(found) > MAX_VALUE:
        raise ValueError(f"{what} longer than {MAX_VALUE} characters")
    return found


@router.get("/explore/changes", response_class=HTMLResponse)
def changes_page(
    request: Request,
    store: MaybeLoaded,
    source: Text = None,
    since: Text = None,
    until: Text = None,
    offset: Text = None,
) -> HTMLResponse:
    if store is None:  # still loading: a page that says so and tries again
        return loading(request)
    context: dict[str, Any] = {
        "choices": choices(store),
        "form": {"source": source or "", "since": since or "", "until": until or ""},
        "shown": None,
        "pages": Pages(None, None),
        "error": None,
        "feed": None,
        "title": "",
    }
    try:
        src, start, end = _text(source, "source"), _text(since, "since"), _text(until, "until")
        first = number(offset, "offset", high=10_000_000) or 0
        rows = _changes(store, src, start, end)
    except (StoreError, ValueError) as exc:
        context["error"] = str(exc)
        return render(request, "explore_changes.html.j2", status_code=400, **context)
    counts: dict[str, int] = {}
    for c in rows:
        counts[c.change] = counts.get(c.change, 0) + 1
    context["shown"] = Shown(rows[first : first + PAGE], len(rows), counts, first, PAGE)
    context["pages"] = pages(request, first, PAGE, len(rows))
    asked = [(k, v) for k, v in (("source", src), ("since", start), ("until", end)) if v]
    context["feed"] = "/changes?" + urlencode([*asked, ("format", "atom")])
    context["title"] = f"Changes to {src or 'every list'}" + (f" since {start}" if start else "")
    return render(request, "explore_changes.html.j2", **context)
