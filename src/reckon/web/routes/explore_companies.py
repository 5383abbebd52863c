"""GET /explore/companies: the companies of a stance dataset (Yale CELI) against the lists,
as `reckon companies` gives them (`analysis.companies.companies_report`), filtered by
grade and by the jurisdictions where a company is exposed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from reckon.analysis.companies import (
    GRADES,
    CompaniesError,
    company_datasets,
    parse_grades,
    parse_jurisdictions,
)
from reckon.api.routers.companies import report_of
from reckon.web.explore import Pages, choices, number, pages
from reckon.web.routes.entity import MaybeLoaded, loading
from reckon.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE = 200  # companies a page shows

Texts = Annotated[list[str], Query(max_length=20)]


@router.get("/explore/companies", response_class=HTMLResponse)
def companies_page(
    request: Request,
    store: MaybeLoaded,
    dataset: Annotated[str, Query(max_length=100)] = "yale_celi",
    grade: Texts = [],  # noqa: B006 (FastAPI copies it)
    exposed_in: Texts = [],  # noqa: B006
    offset: Annotated[str | None, Query()] = None,
) -> HTMLResponse:
    if store is None:  # still loading: a page that says so and tries again
        return loading(request)
    context: dict[str, Any] = {
        "choices": choices(store),
        "datasets": company_datasets(),
        "grades": GRADES,
        "form": {"dataset": dataset, "grade": grade, "exposed_in": exposed_in},
        "report": None,
        "rows": [],
        "pages": Pages(None, None),
        "error": None,
    }
    try:
        first = number(offset, "offset", high=10_000_000) or 0
        report = report_of(
            store, dataset, parse_grades(",".join(grade)), parse_jurisdictions(",".join(exposed_in))
        )
    except (CompaniesError, ValueError) as exc:
        context["error"] = str(exc)
        return render(request, "explore_companies.html.j2", status_code=400, **context)
    context["report"] = report
    context["rows"] = report.companies[first : first + PAGE]
    context["first"] = first
    context["pages"] = pages(request, first, PAGE, len(report.companies))
    return render(request, "explore_companies.html.j2", **context)
