"""Who lists whom, since when, and how long each jurisdiction took: GET /coverage,
/timeline and /lag, as `reckon coverage|timeline|lag --json` gives them (the same
library functions), or their charts (`?format=svg|png`, reckon.analysis.charts).

Every entity's status is read once per loaded store (`Loaded.memo`: ~4 s) and each
answer is worked out from it (pure functions); the latest answers are kept, rendered."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response

from reckon.analysis.coverage import CoverageReport, Filters, QueryError, check_query
from reckon.analysis.gaps import parse_jurisdictions
from reckon.analysis.lag import LagReport
from reckon.analysis.timeline import EntityTimeline, Timeline
from reckon.api.kept import Recent
from reckon.api.models import ErrorResponse
from reckon.api.provider import Loaded
from reckon.api.routers.deps import loaded

if TYPE_CHECKING:
    from reckon.analysis.status import EntityStatus

router = APIRouter(tags=["analysis"])

Format = Literal["json", "svg", "png"]
MEDIA = {"json": "application/json", "svg": "image/svg+xml", "png": "image/png"}
_STATUSES = ("api.charts", "all_statuses")
_OUTPUTS = ("api.charts", "outputs")
_AGED = ("api.charts", "all_statuses by max_age")
KEPT = 256  # rendered answers kept per loaded store, the least recently asked dropped first
KEPT_BYTES = 128 << 20  # and at most this much of them (/lag's JSON lists every entity measured)
_reading = threading.Lock()  # one whole-store read at a time: a second asker waits for the first's
_drawing = threading.Lock()  # matplotlib's font cache and text layout are not for threads at once

Jurisdictions = Annotated[
    list[str], Query(max_length=50, description="Only these jurisdictions (us, gb, eu, un, au, ca)")
]
Theme = Annotated[str | None, Query(max_length=100, description="Only listings of this theme")]
Measure = Annotated[str | None, Query(max_length=100, description="Only listings of this kind")]
Schema = Annotated[str | None, Query(max_length=40, description="Only Person, Company, Vessel, ...")]
MaxAge = Annotated[
    int | None, Query(ge=0, le=100_000, description="Lists older than this many days count as unknown")
]
FormatQuery = Annotated[Format, Query(description="json, or a chart: svg or png")]
_ERRORS: dict[int | str, dict[str, object]] = {
    200: {"content": {"image/svg+xml": {}, "image/png": {}}},
    400: {"model": ErrorResponse, "description": "An unknown jurisdiction, theme, measure or schema"},
}


def day() -> str:
    from datetime import date

    return date.today().isoformat()


def filters_of(
    jurisdiction: list[str], theme: str | None, measure: str | None, schema: str | None
) -> Filters:
    return Filters(parse_jurisdictions(jurisdiction), schema, theme, measure)


def statuses(store: Loaded, max_age: int | None) -> list[EntityStatus]:
    """Every entity's status, for every jurisdiction with a list: once per loaded store.
    With a `max_age` the answer depends on the day: the latest two are kept for a day.
    One whole-store read at a time (a second asker waits, then finds it kept)."""
    from datetime import date

    from reckon.analysis.status import all_statuses

    every = check_query(Filters())

    def read() -> list[EntityStatus]:
        with store.cursor() as cur:
            return all_statuses(cur, jurisdictions=every, max_age_days=max_age)

    with _reading:
        if max_age is None:
            return store.memo(_STATUSES, read)
        aged: Recent[list[EntityStatus]] = store.memo(_AGED, lambda: Recent(2))
        key = (max_age, date.today())
        found = aged.get(key)
        if found is None:
            found = read()
            aged.put(key, found)
        return found


def answer(
    store: Loaded, key: Hashable, fmt: str, work: Callable[[], object], draw: Callable[[object], bytes]
) -> Response:
    """The answer for `key` in `fmt`, worked out (and drawn) once while it is kept;
    400 for a question that cannot be asked."""
    kept: Recent[bytes] = store.memo(_OUTPUTS, lambda: Recent(KEPT, KEPT_BYTES))
    key = (key, fmt, day())  # an answer with a max_age holds for the day
    body = kept.get(key)
    if body is None:
        try:
            report = work()
            if fmt == "json":
                body = json.dumps(asdict(report), ensure_ascii=False).encode()  # type: ignore[call-overload]
            else:
                with _drawing:
                    body = draw(report)
        except QueryError as exc:
            raise HTTPException(400, detail=str(exc)) from None
        kept.put(key, body)
    return Response(body, media_type=MEDIA[fmt])


def _wanted(filters: Filters) -> Sequence[str]:
    try:
        return check_query(filters)
    except QueryError as exc:
        raise HTTPException(400, detail=str(exc)) from None


@router.get("/coverage", response_model=CoverageReport, responses=_ERRORS)
def coverage(
    store: Annotated[Loaded, Depends(loaded)],
    jurisdiction: Jurisdictions = [],  # noqa: B006 (FastAPI copies it)
    theme: Theme = None,
    measure: Measure = None,
    schema: Schema = None,
    max_age: MaxAge = None,
    format: FormatQuery = "json",
) -> Response:
    """How many entities each combination of jurisdictions lists (`reckon coverage
    --json`); `format=svg|png`: the UpSet chart. Jurisdictions whose list is not loaded,
    or only a sample, are unknown (null), never 0."""
    from reckon.analysis.charts import coverage_chart
    from reckon.analysis.coverage import coverage_of

    filters = filters_of(jurisdiction, theme, measure, schema)
    wanted = _wanted(filters)
    return answer(
        store,
        ("coverage", filters, max_age),
        format,
        lambda: coverage_of(statuses(store, max_age), filters, wanted),
        lambda r: coverage_chart(r, format),  # type: ignore[arg-type]
    )


@router.get(
    "/timeline",
    response_model=Timeline | EntityTimeline,
    responses={**_ERRORS, 404: {"model": ErrorResponse}},
)
def timeline(
    store: Annotated[Loaded, Depends(loaded)],
    entity: Annotated[
        str | None,
        Query(max_length=300, description="One entity (rk-… or source:id): its listings and delistings"),
    ] = None,
    by: Annotated[Literal["month", "year"], Query()] = "month",
    jurisdiction: Jurisdictions = [],  # noqa: B006
    theme: Theme = None,
    measure: Measure = None,
    schema: Schema = None,
    max_age: MaxAge = None,
    format: FormatQuery = "json",
) -> Response:
    """Entities first designated per month or year by each jurisdiction, those dated only
    "on or before" the first loaded version apart (`reckon timeline --json`); with
    `entity`, that entity's listings and delistings by date. `format=svg|png`: the chart."""
    from reckon.analysis.charts import entity_timeline_chart, timeline_chart
    from reckon.analysis.timeline import entity_timeline, timeline_of

    filters = filters_of(jurisdiction, theme, measure, schema)
    wanted = _wanted(filters)
    if entity is not None:
        with store.cursor() as cur:
            try:
                found = entity_timeline(cur, entity, filters=filters, max_age_days=max_age)
            except QueryError as exc:
                raise HTTPException(400, detail=str(exc)) from None
        if found is None:
            raise HTTPException(404, detail=f"no entity {entity[:300]!r}")
        return answer(
            store,
            ("entity_timeline", entity, filters, max_age),
            format,
            lambda: found,
            lambda r: entity_timeline_chart(r, format),  # type: ignore[arg-type]
        )
    return answer(
        store,
        ("timeline", filters, by, max_age),
        format,
        lambda: timeline_of(statuses(store, max_age), filters, wanted, by=by),
        lambda r: timeline_chart(r, format),  # type: ignore[arg-type]
    )


@router.get("/lag", response_model=LagReport, responses=_ERRORS)
def lag(
    store: Annotated[Loaded, Depends(loaded)],
    jurisdiction: Jurisdictions = [],  # noqa: B006
    theme: Theme = None,
    measure: Measure = None,
    schema: Schema = None,
    max_age: MaxAge = None,
    max_window: Annotated[
        int | None,
        Query(
            ge=0,
            le=100_000,
            description="Exclude dates whose version before is more than this many days older",
        ),
    ] = None,
    format: FormatQuery = "json",
) -> Response:
    """Days from each entity's first designation (among the jurisdictions listing it) to
    each jurisdiction's: median, quartiles and count per jurisdiction (`reckon lag
    --json`); `format=svg|png`: the chart."""
    from reckon.analysis.charts import lag_chart
    from reckon.analysis.lag import lag_of

    filters = filters_of(jurisdiction, theme, measure, schema)
    wanted = _wanted(filters)

    def work() -> LagReport:
        versions: dict[str, list[str]] = {}
        with store.cursor() as cur:
            rows = cur.execute("SELECT source, version_date FROM versions ORDER BY 1, 2").fetchall()
        for source, day in rows:
            versions.setdefault(str(source), []).append(str(day)[:10])
        return lag_of(statuses(store, max_age), filters, wanted, versions=versions, max_window=max_window)

    return answer(
        store,
        ("lag", filters, max_age, max_window),
        format,
        work,
        lambda r: lag_chart(r, format),  # type: ignore[arg-type]
    )
