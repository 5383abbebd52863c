"""GET /explore/coverage, /explore/timeline and /explore/lag: the table and the chart of
`reckon coverage`, `reckon timeline` and `reckon lag`, with the same filters; each chart
is an SVG image of its own address (/explore/coverage.svg, …, the same query string).

The tables are worked out by the library's pure functions (`coverage_of`, `timeline_of`,
`lag_of`) from every entity's status, read once per loaded store by the API's
`routers.charts.statuses`; the charts are the API's own (`GET /coverage?format=svg`, …),
drawn by `reckon.analysis.charts` and kept rendered there. A jurisdiction whose list is
not loaded whole is shown as unknown ("?"), never as 0."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from reckon.analysis.coverage import Filters, QueryError, check_query
from reckon.analysis.gaps import parse_jurisdictions
from reckon.analysis.timeline import PERIODS
from reckon.api.kept import Recent
from reckon.api.provider import Loaded
from reckon.api.routers import charts as api
from reckon.api.routers.deps import loaded
from reckon.web.explore import checked, choices, number, opt
from reckon.web.routes.entity import MaybeLoaded, loading
from reckon.web.templating import render

router = APIRouter(include_in_schema=False)

KEPT = 64  # answers kept per loaded store, the least recently asked dropped first
MAX_VALUE = 100

Values = Annotated[list[str], Query()]
Text = Annotated[str | None, Query()]
Chart = Literal["coverage", "timeline", "lag"]


@dataclass(frozen=True, slots=True)
class Asked:
    """A chart page's question, read from its form."""

    filters: Filters
    max_age: int | None
    by: str = "month"  # timeline
    max_window: int | None = None  # lag


def _asked(
    jurisdiction: list[str],
    theme: str | None,
    measure: str | None,
    schema: str | None,
    max_age: str | None,
    by: str | None = None,
    max_window: str | None = None,
) -> Asked:
    """The question, as the commands build it; ValueError (QueryError) if it cannot be asked."""
    values = [v for v in (*jurisdiction, theme, measure, schema) if v]
    if len(jurisdiction) > 50 or any(len(v) > MAX_VALUE for v in values):
        raise QueryError(f"at most 50 jurisdictions, each value at most {MAX_VALUE} characters")
    filters = Filters(parse_jurisdictions(jurisdiction), opt(schema), opt(theme), opt(measure))
    check_query(filters)
    period = opt(by) or "month"
    if period not in PERIODS:
        raise QueryError(f"unknown period {period[:40]!r}; choose {' or '.join(PERIODS)}")
    return Asked(
        filters,
        number(max_age, "the age of a list (days)"),
        period,
        number(max_window, "the window (days)"),
    )


def _kept(store: Loaded, key: Hashable, work: Callable[[], Any]) -> Any:
    recent: Recent[Any] = store.memo(("web.explore", "charts"), lambda: Recent(KEPT))
    found = recent.get(key)
    if found is None:
        found = work()  # QueryError (a schema the store has none of) is not kept
        recent.put(key, found)
    return found


def _report(store: Loaded, chart: Chart, asked: Asked) -> Any:
    from reckon.analysis.coverage import coverage_of
    from reckon.analysis.lag import lag_of
    from reckon.analysis.timeline import timeline_of

    wanted = check_query(asked.filters)

    def work() -> Any:
        every = api.statuses(store, asked.max_age)
        if chart == "coverage":
            return coverage_of(every, asked.filters, wanted)
        if chart == "timeline":
            return timeline_of(every, asked.filters, wanted, by=asked.by)
        versions: dict[str, list[str]] = {}
        with store.cursor() as cur:
            rows = cur.execute("SELECT source, version_date FROM versions ORDER BY 1, 2").fetchall()
        for source, day in rows:
            versions.setdefault(str(source), []).append(str(day)[:10])
        return lag_of(every, asked.filters, wanted, versions=versions, max_window=asked.max_window)

    if asked.max_age is not None:  # the answer depends on the day: not kept
        return work()
    return _kept(store, (chart, asked), work)


TITLES = {
    "coverage": "Who lists whom",
    "timeline": "Designations over time",
    "lag": "How long each jurisdiction took",
}


def _page(
    request: Request,
    store: Loaded,
    chart: Chart,
    form: dict[str, Any],
    read: Callable[[], Asked],
) -> HTMLResponse:
    context: dict[str, Any] = {
        "chart": chart,
        "title": TITLES[chart],
        "choices": choices(store),
        "form": form,
        "report": None,
        "error": None,
        "chart_src": f"/explore/{chart}.svg" + (f"?{request.url.query}" if request.url.query else ""),
    }
    try:
        context["report"] = _report(store, chart, read())
    except ValueError as exc:  # QueryError, or a number that is not one
        context["error"] = str(exc)
        return render(request, f"explore_{chart}.html.j2", status_code=400, **context)
    return render(request, f"explore_{chart}.html.j2", **context)


def _form(jurisdiction: list[str], **values: str | None) -> dict[str, Any]:
    return {"jurisdiction": checked(jurisdiction[:50]), **{k: v or "" for k, v in values.items()}}


@router.get("/explore/coverage", response_class=HTMLResponse)
def coverage_page(
    request: Request,
    store: MaybeLoaded,
    jurisdiction: Values = [],  # noqa: B006 (FastAPI copies it)
    theme: Text = None,
    measure: Text = None,
    schema: Text = None,
    max_age: Text = None,
) -> HTMLResponse:
    if store is None:  # still loading: a page that says so and tries again
        return loading(request)
    form = _form(jurisdiction, theme=theme, measure=measure, schema=schema, max_age=max_age)
    return _page(
        request, store, "coverage", form, lambda: _asked(jurisdiction, theme, measure, schema, max_age)
    )


@router.get("/explore/timeline", response_class=HTMLResponse)
def timeline_page(
    request: Request,
    store: MaybeLoaded,
    jurisdiction: Values = [],  # noqa: B006
    theme: Text = None,
    measure: Text = None,
    schema: Text = None,
    max_age: Text = None,
    by: Text = None,
) -> HTMLResponse:
    if store is None:  # still loading: a page that says so and tries again
        return loading(request)
    form = _form(jurisdiction, theme=theme, measure=measure, schema=schema, max_age=max_age, by=by)
    return _page(
        request, store, "timeline", form, lambda: _asked(jurisdiction, theme, measure, schema, max_age, by)
    )


@router.get("/explore/lag", response_class=HTMLResponse)
def lag_page(
    request: Request,
    store: MaybeLoaded,
    jurisdiction: Values = [],  # noqa: B006
    theme: Text = None,
    measure: Text = None,
    schema: Text = None,
    max_age: Text = None,
    max_window: Text = None,
) -> HTMLResponse:
    if store is None:  # still loading: a page that says so and tries again
        return loading(request)
    form = _form(
        jurisdiction, theme=theme, measure=measure, schema=schema, max_age=max_age, max_window=max_window
    )
    return _page(
        request,
        store,
        "lag",
        form,
        lambda: _asked(jurisdiction, theme, measure, schema, max_age, None, max_window),
    )


def _svg(chart: Chart, store: Loaded, asked: Asked) -> Response:
    """The API's own chart for the question (GET /coverage?format=svg, …)."""
    f = asked.filters
    common: dict[str, Any] = {
        "jurisdiction": list(f.jurisdictions),
        "theme": f.theme,
        "measure": f.measure,
        "schema": f.schema,
        "max_age": asked.max_age,
        "format": "svg",
    }
    if chart == "coverage":
        return api.coverage(store, **common)
    if chart == "timeline":
        return api.timeline(store, entity=None, by=asked.by, **common)  # type: ignore[arg-type]
    return api.lag(store, max_window=asked.max_window, **common)


def _svg_or_400(chart: Chart, store: Loaded, read: Callable[[], Asked]) -> Response:
    try:
        asked = read()
    except ValueError as exc:
        return Response(f"error: {exc}\n", status_code=400, media_type="text/plain; charset=utf-8")
    return _svg(chart, store, asked)


@router.get("/explore/coverage.svg")
def coverage_svg(
    store: Annotated[Loaded, Depends(loaded)],
    jurisdiction: Values = [],  # noqa: B006
    theme: Text = None,
    measure: Text = None,
    schema: Text = None,
    max_age: Text = None,
) -> Response:
    return _svg_or_400("coverage", store, lambda: _asked(jurisdiction, theme, measure, schema, max_age))


@router.get("/explore/timeline.svg")
def timeline_svg(
    store: Annotated[Loaded, Depends(loaded)],
    jurisdiction: Values = [],  # noqa: B006
    theme: Text = None,
    measure: Text = None,
    schema: Text = None,
    max_age: Text = None,
    by: Text = None,
) -> Response:
    return _svg_or_400("timeline", store, lambda: _asked(jurisdiction, theme, measure, schema, max_age, by))


@router.get("/explore/lag.svg")
def lag_svg(
    store: Annotated[Loaded, Depends(loaded)],
    jurisdiction: Values = [],  # noqa: B006
    theme: Text = None,
    measure: Text = None,
    schema: Text = None,
    max_age: Text = None,
    max_window: Text = None,
) -> Response:
    return _svg_or_400(
        "lag", store, lambda: _asked(jurisdiction, theme, measure, schema, max_age, None, max_window)
    )
