"""GET /: the search page; GET /fragments/search: its results alone, which the page's
script fetches as one types (static/reckon.js). Both call api.search.search_text, the
text search of GET /search/{dataset}, and render the same template."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from reckon.analysis.dossier import jurisdiction_label
from reckon.api.routers.deps import provider
from reckon.web.templating import render

router = APIRouter(include_in_schema=False)

MAX_QUERY = 300  # characters of the query searched (a longer one is cut, not refused)
PAGE = 10


def results(request: Request, q: str, offset: int) -> dict[str, Any]:
    """The context of the results: the hits of `q` from `offset`, or why there are none."""
    from reckon.api.search import QueryError, search_text

    q = q[:MAX_QUERY]
    context: dict[str, Any] = {"q": q, "result": None, "error": None, "label": jurisdiction_label}
    if not q.strip():
        return context
    p = provider(request)
    if p.loaded is None:
        context["error"] = "The lists are still loading; try again in a few seconds."
        return context
    try:
        context["result"] = search_text(p.loaded, q, limit=PAGE, offset=offset)
    except QueryError as exc:
        context["error"] = str(exc)
    return context


Text = Annotated[str, Query()]
Offset = Annotated[int, Query(ge=0, le=490)]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, q: Text = "", offset: Offset = 0) -> HTMLResponse:
    return render(request, "home.html.j2", **results(request, q, offset))


@router.get("/fragments/search", response_class=HTMLResponse)
def search_fragment(request: Request, q: Text = "", offset: Offset = 0) -> HTMLResponse:
    return render(request, "search_results.html.j2", **results(request, q, offset))
