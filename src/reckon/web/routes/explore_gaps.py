"""GET /explore/gaps: the gap explorer (entities listed in some jurisdictions and not in
others, the undecided and the delisted apart), and GET /explore/gaps.csv: exactly the rows
and columns the page shows, for the same query string.

Both call `analysis.gaps.gaps` and `gap_rows` as `reckon gaps` does, and the CSV is
written by `reckon gaps --format csv`'s own writer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from reckon.analysis.gaps import (
    DELISTED_THERE,
    GAP,
    UNDECIDED,
    GapError,
    GapQuery,
    gap_rows,
    gaps,
    list_versions_text,
    parse_jurisdictions,
)
from reckon.api.kept import Recent
from reckon.api.provider import Loaded
from reckon.api.routers.deps import loaded
from reckon.web.explore import Pages, checked, choices, number, opt, pages, with_query
from reckon.web.routes.entity import MaybeLoaded, loading
from reckon.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE = 500  # rows a page shows (and its CSV holds) unless the query says otherwise
MAX_PAGE = 20_000  # rows one page may show (~500 bytes each)
KEPT = 32  # answers kept per loaded store, the least recently asked dropped first
MAX_VALUE = 200  # characters of one form value
MAX_VALUES = 50  # values of one repeated field

Values = Annotated[list[str], Query()]
Text = Annotated[str | None, Query()]

# The empty answer's columns, as `reckon gaps --format csv` writes them.
EMPTY_COLUMNS = ["category", "entity", "caption", "schema"]
GROUPS = (
    (GAP, "Gaps", "listed where asked, and not listed (as of the list version named) in every other"),
    (UNDECIDED, "Undecided", "possibly listed or unknown where it should not be listed: not counted as gaps"),
    (DELISTED_THERE, "Delisted", "delisted where it should not be listed: not counted as gaps"),
)


@dataclass(frozen=True, slots=True)
class GapAnswer:
    """What a gap query gives, kept per loaded store: the rows and what they rest on."""

    query: GapQuery
    rows: list[dict[str, str]]
    counts: dict[str, int]  # gap, undecided, delisted
    versions: str  # "lists: us_ofac_sdn 2024-05-03, …"


@dataclass(frozen=True, slots=True)
class Shown:
    answer: GapAnswer
    rows: list[dict[str, str]]  # the slice shown
    columns: list[str]
    offset: int
    limit: int


class Invalid(ValueError):
    """A request the page answers with 400 and the message."""


def _values(values: list[str], what: str) -> list[str]:
    if len(values) > MAX_VALUES:
        raise Invalid(f"at most {MAX_VALUES} values of {what}")
    for v in values:
        if len(v) > MAX_VALUE:
            raise Invalid(f"a value of {what} longer than {MAX_VALUE} characters")
    return values


def _text(value: str | None, what: str) -> str | None:
    found = opt(value)
    if found is not None and len(found) > MAX_VALUE:
        raise Invalid(f"{what} longer than {MAX_VALUE} characters")
    return found


def _query(
    listed_in: list[str],
    not_listed_in: list[str],
    theme: str | None,
    measure: str | None,
    schema: str | None,
    candidates: str | None,
    category: str | None,
) -> GapQuery:
    """The query, built as `reckon gaps` and the API build it."""
    return GapQuery(
        parse_jurisdictions(_values(listed_in, "listed_in")),
        parse_jurisdictions(_values(not_listed_in, "not_listed_in")),
        _text(schema, "schema"),
        _text(theme, "theme"),
        _text(measure, "measure"),
        _text(candidates, "candidates"),
        _text(category, "category"),
    )


def _answer(store: Loaded, query: GapQuery) -> GapAnswer:
    def work() -> GapAnswer:
        with store.cursor() as cur:
            report = gaps(cur, query)
        return GapAnswer(
            query,
            gap_rows(report),
            {GAP: len(report.gaps), UNDECIDED: len(report.undecided), DELISTED_THERE: len(report.delisted)},
            list_versions_text(report),
        )

    # The latest answers are kept (a wide one holds ~15,000 rows): GapError is raised
    # before anything is kept, so a wrong query is answered again each time.
    kept: Recent[GapAnswer] = store.memo(("web.explore", "gaps"), lambda: Recent(KEPT))
    found = kept.get(query)
    if found is None:
        found = work()
        kept.put(query, found)
    return found


def _shown(store: Loaded, query: GapQuery, offset: str | None, limit: str | None) -> Shown:
    start = number(offset, "offset", high=10_000_000) or 0
    size = number(limit, "limit", low=1, high=MAX_PAGE) or PAGE
    answer = _answer(store, query)
    rows = answer.rows[start : start + size]
    # As the CSV writer takes them: the first row's, or its default for none.
    columns = list(rows[0]) if rows else EMPTY_COLUMNS
    return Shown(answer, rows, columns, start, size)


@router.get("/explore/gaps", response_class=HTMLResponse)
def gaps_page(
    request: Request,
    store: MaybeLoaded,
    listed_in: Values = [],  # noqa: B006 (FastAPI copies it)
    not_listed_in: Values = [],  # noqa: B006
    theme: Text = None,
    measure: Text = None,
    schema: Text = None,
    candidates: Text = None,
    category: Text = None,
    offset: Text = None,
    limit: Text = None,
) -> HTMLResponse:
    if store is None:  # still loading: a page that says so and tries again
        return loading(request)
    context: dict[str, Any] = {
        "choices": choices(store),
        "form": {
            "listed_in": checked(listed_in[:MAX_VALUES]),
            "not_listed_in": checked(not_listed_in[:MAX_VALUES]),
            "theme": theme or "",
            "measure": measure or "",
            "schema": schema or "",
            "candidates": candidates or "",
            "category": category or "",
        },
        "groups": GROUPS,
        "shown": None,
        "pages": Pages(None, None),
        "error": None,
        "csv_href": with_query("/explore/gaps.csv", request),
        "all_href": None,
    }
    asked = bool(request.url.query)
    if not asked:  # the empty form, nothing asked yet
        return render(request, "explore_gaps.html.j2", **context)
    try:
        query = _query(listed_in, not_listed_in, theme, measure, schema, candidates, category)
        shown = _shown(store, query, offset, limit)
        context["shown"] = shown
        total = len(shown.answer.rows)
        context["pages"] = pages(request, shown.offset, shown.limit, total)
        if len(shown.rows) < total <= MAX_PAGE:  # one page of every row (and the CSV of them all)
            kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("offset", "limit")]
            context["all_href"] = "/explore/gaps?" + urlencode([*kept, ("limit", str(total))])
    except (GapError, ValueError) as exc:
        context["error"] = str(exc)
        return render(request, "explore_gaps.html.j2", status_code=400, **context)
    return render(request, "explore_gaps.html.j2", **context)


@router.get("/explore/gaps.csv")
def gaps_csv(
    store: Annotated[Loaded, Depends(loaded)],
    listed_in: Values = [],  # noqa: B006
    not_listed_in: Values = [],  # noqa: B006
    theme: Text = None,
    measure: Text = None,
    schema: Text = None,
    candidates: Text = None,
    category: Text = None,
    offset: Text = None,
    limit: Text = None,
) -> Response:
    """The rows /explore/gaps shows for the same query string, as `reckon gaps --format csv`."""
    from reckon.cli import _gap_text

    try:
        query = _query(listed_in, not_listed_in, theme, measure, schema, candidates, category)
        shown = _shown(store, query, offset, limit)
    except (GapError, ValueError) as exc:
        return Response(f"error: {exc}\n", status_code=400, media_type="text/plain; charset=utf-8")
    text = _gap_text(shown.answer, shown.rows, "csv")
    name = (
        "gaps-"
        + "-".join(query.listed_in or (query.candidates or "",))
        + "-not-"
        + "-".join(query.not_listed_in)
    )
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_safe(name)}.csv"'},
    )


def _safe(name: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "_" for c in name)[:120]
