"""GET /: the search page; GET /fragments/search: its results alone, which the page's
script fetches as one types (static/reckon.js). Both call api.search.search_text, the
text search of GET /search/{dataset}, and render the same template."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from reckon.analysis.dossier import jurisdiction_label
from reckon.api.provider import Loaded
from reckon.api.routers.deps import provider
from reckon.sources.registry import sources
from reckon.web.templating import render

router = APIRouter(include_in_schema=False)

MAX_QUERY = 300  # characters of the query searched (a longer one is cut, not refused)
PAGE = 10
MAX_OFFSET = 490  # the text search scores at most 500 entities


def results(store: Loaded | None, q: str, offset: int) -> dict[str, Any]:
    """The context of the results: the hits of `q` from `offset` (None while the store
    loads), or why there are none."""
    from reckon.api.search import QueryError, search_text

    q, offset = q[:MAX_QUERY], max(0, min(offset, MAX_OFFSET))
    context: dict[str, Any] = {
        "q": q,
        "result": None,
        "error": None,
        "label": jurisdiction_label,
        "registry": sources(),
    }
    if not q.strip():
        return context
    if store is None:
        context["error"] = "The lists are still loading; try again in a few seconds."
        return context
    try:
        context["result"] = search_text(store, q, limit=PAGE, offset=offset)
    except QueryError as exc:
        context["error"] = f"Nothing to search for: {exc}. Type a name, in Latin or Cyrillic letters."
    return context


Text = Annotated[str, Query()]
Offset = Annotated[int, Query()]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, q: Text = "", offset: Offset = 0) -> HTMLResponse:
    return render(request, "home.html.j2", **results(provider(request).loaded, q, offset))


@router.get("/fragments/search", response_class=HTMLResponse)
def search_fragment(request: Request, q: Text = "", offset: Offset = 0) -> HTMLResponse:
    return render(request, "search_results.html.j2", **results(provider(request).loaded, q, offset))
