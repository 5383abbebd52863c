"""Companies of a stance dataset (Yale CELI) against the lists: `reckon companies --format json`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query

from reckon.analysis.companies import (
    CompaniesError,
    CompaniesReport,
    companies_report,
    parse_grades,
    parse_jurisdictions,
    report_rows,
    select,
)
from reckon.api.models import ErrorResponse
from reckon.api.provider import Loaded
from reckon.api.routers.control import control_graph
from reckon.api.routers.deps import loaded

router = APIRouter(tags=["analysis"])


def report_of(
    store: Loaded, dataset: str, grades: tuple[str, ...], exposed: tuple[str, ...]
) -> CompaniesReport:
    """The report for one question: the dataset's whole report, worked out once per loaded
    store (a few seconds) and kept, filtered for each question (one kept answer per
    dataset, however many questions are asked)."""
    graph = control_graph(store)

    def work() -> CompaniesReport:
        with store.cursor() as cur:
            return companies_report(cur, dataset=dataset, graph=graph)

    return select(store.memo(("companies", dataset), work), grades, exposed)


@router.get("/companies", responses={400: {"model": ErrorResponse}})
def companies(
    store: Annotated[Loaded, Depends(loaded)],
    dataset: Annotated[str, Query(max_length=100)] = "yale_celi",
    grade: Annotated[str | None, Query(max_length=20, description="e.g. D,F")] = None,
    exposed_in: Annotated[str | None, Query(max_length=100, description="e.g. us,gb")] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, object]:
    """Each company of the dataset (of these grades; listed, or with a path of two hops or
    fewer to a listed entity, in one of `exposed_in`) with its verdict per jurisdiction
    and the evidence: its own listing, its Russian entity's by the dataset's INN, or the
    path; "not listed as of" only where the jurisdiction's list is loaded."""
    try:
        report = report_of(store, dataset, parse_grades(grade), parse_jurisdictions(exposed_in))
    except CompaniesError as exc:
        raise HTTPException(400, detail=str(exc)) from None
    rows = report_rows(report)
    return {
        "dataset": report.dataset,
        "version_date": report.version_date,
        "as_of": report.as_of,
        "problems": report.problems,
        "total": len(rows),
        "companies": rows[offset : offset + limit],
    }
