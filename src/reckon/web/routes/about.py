"""GET /about: every loaded list and dataset (store.queries.summaries, as `reckon lists`
shows them) with its registry entry, and what each jurisdiction's "not listed" rests on."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from reckon.analysis.coverage import Filters, check_query
from reckon.analysis.dossier import jurisdiction_label
from reckon.analysis.status import NOT_LISTED, UNKNOWN
from reckon.api.provider import Brief
from reckon.sources.registry import sources
from reckon.store.queries import SourceSummary, summaries
from reckon.web.routes.entity import MaybeLoaded, loading
from reckon.web.templating import render

router = APIRouter(include_in_schema=False)


def answers(briefs: dict[str, Brief], jurisdictions: list[str]) -> dict[str, str]:
    """What each jurisdiction answers for an entity it has no record of ("not listed as
    of …" or "unknown: …"), read from the statuses themselves as coverage does."""
    out: dict[str, str] = {}
    for brief in briefs.values():
        for line in brief.statuses:
            if line.jurisdiction not in out and line.status in (NOT_LISTED, UNKNOWN):
                out[line.jurisdiction] = line.summary
        if len(out) == len(jurisdictions):
            break
    return {j: out.get(j, "unknown: every loaded entity has a record there") for j in jurisdictions}


@router.get("/about", response_class=HTMLResponse)
def about(request: Request, store: MaybeLoaded) -> HTMLResponse:
    if store is None:
        return loading(request)

    def read() -> list[SourceSummary]:
        with store.cursor() as cur:
            return summaries(cur)

    lists = store.memo(("web", "about"), read)
    wanted = check_query(Filters())
    return render(
        request,
        "about.html.j2",
        lists=lists,
        registry=sources(),
        answers=store.memo(("web", "answers"), lambda: answers(store.briefs, wanted)),
        label=jurisdiction_label,
    )
