"""`reckon coverage`, `reckon timeline` and `reckon lag`: who lists whom, since when, and
how long each jurisdiction took; each a table, JSON, or a chart (`--chart FILE.svg|.png`).

Thin handlers: each parses its options, calls one library function of `reckon.analysis`
and renders the result. matplotlib is imported only when a chart is asked for."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, Any, TextIO, TypeVar, cast

import typer
from rich.table import Table

from reckon.cli import DbOption, JsonOption, _connect, _errors, _fail, _print_json, app, err, out

if TYPE_CHECKING:
    import duckdb

    from reckon.analysis.timeline import EntityTimeline, Timeline

R = TypeVar("R")

JurisdictionOption = Annotated[
    list[str] | None,
    typer.Option(
        "--jurisdiction", "-j", help="Only these jurisdictions (us, gb, eu, un, au, ca; comma-separated)."
    ),
]
ThemeOption = Annotated[
    str | None, typer.Option("--theme", help="Only listings under this theme, e.g. russia_ukraine.")
]
MeasureOption = Annotated[
    str | None, typer.Option("--measure", help="Only listings of this kind, e.g. targeted or sectoral.")
]
SchemaOption = Annotated[str | None, typer.Option("--schema", help="Only Person, Company, Vessel, ...")]
MaxAgeOption = Annotated[
    int | None, typer.Option("--max-age", min=0, help="Lists older than this many days count as unknown.")
]
ChartOption = Annotated[
    Path | None, typer.Option("--chart", help="Also write a chart: FILE.svg or FILE.png.")
]


def _filters(
    jurisdiction: list[str] | None, theme: str | None, measure: str | None, schema: str | None
) -> Any:
    from reckon.analysis.coverage import Filters
    from reckon.analysis.gaps import parse_jurisdictions

    return Filters(parse_jurisdictions(jurisdiction), schema, theme, measure)


def _chart_target(chart: Path | None, db: Path | None) -> str | None:
    """The chart's format, with its path checked before any work is done."""
    if chart is None:
        return None
    from reckon.analysis.charts import chart_format
    from reckon.analysis.coverage import QueryError
    from reckon.outputs import check_output
    from reckon.store import db_path

    try:
        fmt = chart_format(chart)
    except QueryError as exc:
        raise _fail(str(exc)) from None
    check_output(chart, store=db_path(db))
    return fmt


def _charts() -> ModuleType:
    """reckon.analysis.charts, imported (with matplotlib) only when a chart is drawn."""
    from reckon.analysis import charts

    return charts


def _write_chart(chart: Path, data: bytes) -> None:
    from reckon.outputs import atomic_output

    with atomic_output(chart) as fh:
        cast(TextIO, fh).buffer.write(data)  # PNG is binary: the text file's bytes underneath
    err.print(f"wrote {chart}", highlight=False)


def _analysed(
    db: Path | None,
    chart: Path | None,
    work: Callable[[duckdb.DuckDBPyConnection], R],
    draw: Callable[[R, str], bytes],
) -> R:
    """`work`'s answer on the store opened read-only (its QueryError a one-line error),
    drawn to `chart` if one is asked for (its path checked before any work)."""
    from reckon.analysis.coverage import QueryError

    with _errors():
        fmt = _chart_target(chart, db)
        con = _connect(db, read_only=True)
        try:
            result = work(con)
        except QueryError as exc:
            raise _fail(str(exc)) from None
        finally:
            con.close()
        if chart is not None and fmt is not None:
            _write_chart(chart, draw(result, fmt))
    return result


def _what(filters: Any) -> str:
    parts = [p for p in (filters.theme, filters.measure, filters.schema) if p]
    return f" ({', '.join(parts)})" if parts else ""


@app.command()
def coverage(
    jurisdiction: JurisdictionOption = None,
    theme: ThemeOption = None,
    measure: MeasureOption = None,
    schema: SchemaOption = None,
    max_age: MaxAgeOption = None,
    chart: ChartOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """How many entities each combination of jurisdictions lists (an UpSet chart with
    --chart). Jurisdictions whose list is not loaded, or only a sample, are unknown, never 0."""
    from reckon.analysis.coverage import coverage as find_coverage

    filters = _filters(jurisdiction, theme, measure, schema)
    report = _analysed(
        db,
        chart,
        lambda con: find_coverage(con, filters, max_age_days=max_age),
        lambda r, fmt: _charts().coverage_chart(r, fmt),
    )
    if as_json:
        _print_json(report)
        return
    title = f"Entities listed{_what(filters)}, by the jurisdictions that list them"
    table = Table(title=title, show_header=True, header_style="bold")
    for col in (
        "listed by",
        "entities",
        "not listed by",
        "unknown",
        "possibly or otherwise listed by",
        "e.g.",
    ):
        table.add_column(col, overflow="fold", justify="right" if col == "entities" else "left")
    for c in report.combinations:
        also = "; ".join(
            f"{j}: " + ", ".join(f"{n:,} {kind}" for kind, n in kinds.items())
            for j, kinds in c.elsewhere.items()
        )
        table.add_row(
            " + ".join(c.listed),
            f"{c.count:,}",
            ", ".join(c.not_listed),
            ", ".join(c.unknown),
            also,
            "; ".join(c.examples),
        )
    out.print(table)
    for j in report.jurisdictions:
        n = report.listed[j]
        state = report.states[j]
        if n is not None:
            out.print(f"{j}: {n:,} listed; {state.summary}", highlight=False)
        else:
            seen = report.sample_listed.get(j)
            extra = f" (the loaded sample lists {seen:,})" if seen else ""
            out.print(f"{j}: {state.summary}{extra}", highlight=False)
    out.print(f"{report.entities:,} entities listed by at least one jurisdiction", highlight=False)


@app.command()
def timeline(
    entity: Annotated[
        str | None,
        typer.Argument(help="One entity (rk-…, source:id or a name): its listings and delistings by date."),
    ] = None,
    by: Annotated[str, typer.Option("--by", help="month or year.")] = "month",
    jurisdiction: JurisdictionOption = None,
    theme: ThemeOption = None,
    measure: MeasureOption = None,
    schema: SchemaOption = None,
    max_age: MaxAgeOption = None,
    chart: ChartOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Designations over time: entities first listed per month or year by each
    jurisdiction; those dated only "on or before" the first loaded version are counted
    apart. With ENTITY: that entity's listings and delistings, by date."""
    from reckon.analysis.timeline import PERIODS, entity_timeline
    from reckon.analysis.timeline import timeline as find_timeline

    if by not in PERIODS:
        raise _fail(f"unknown period {by!r}; choose {' or '.join(PERIODS)}")
    filters = _filters(jurisdiction, theme, measure, schema)
    found: EntityTimeline | None = None
    report: Timeline | None = None
    if entity is not None:
        name = entity

        def one(con: duckdb.DuckDBPyConnection) -> EntityTimeline:
            from reckon.cli import _entity_for

            got = entity_timeline(con, _entity_for(con, name), filters=filters, max_age_days=max_age)
            if got is None:
                raise _fail(f"no entity {name!r} (give rk-… from `reckon clusters`, or source:id)")
            return got

        found = _analysed(db, chart, one, lambda r, fmt: _charts().entity_timeline_chart(r, fmt))
    else:
        report = _analysed(
            db,
            chart,
            lambda con: find_timeline(con, filters, by=by, max_age_days=max_age),
            lambda r, fmt: _charts().timeline_chart(r, fmt),
        )
    if found is not None:
        if as_json:
            _print_json(found)
            return
        out.print(f"[bold]{found.caption}[/]  {found.schema}  [dim]{found.entity}[/]")
        table = Table(show_header=True, header_style="bold")
        for col in ("date", "jurisdiction", "event", "record", "programmes"):
            table.add_column(col, overflow="fold")
        for e in found.events:
            when = f"on or before {e.date}" if e.on_or_before else e.date
            table.add_row(when, e.jurisdiction, e.kind, e.record, ", ".join(e.programs))
        out.print(table)
        for j, summary in found.status.items():
            out.print(f"{j}: {summary}", highlight=False)
        for a in found.allegations:
            out.print(
                f"documented by {a.jurisdiction} ({a.record}), not a sanction: "
                + (f"on or before {a.date}" if a.on_or_before else a.date),
                highlight=False,
            )
        return
    assert report is not None
    if as_json:
        _print_json(report)
        return
    known = list(report.counts)
    table = Table(
        title=f"Entities first designated per {by}{_what(filters)}", show_header=True, header_style="bold"
    )
    table.add_column(by)
    for j in known:
        table.add_column(j, justify="right")
    for j in known:
        for day, n in report.before[j].items():
            cells = [f"{n:,}" if k == j else "" for k in known]
            table.add_row(f"on or before {day} (undated)", *cells)
    for p in report.periods:
        if any(p in report.counts[j] for j in known):
            table.add_row(p, *(f"{report.counts[j].get(p, 0):,}" for j in known))
    out.print(table)
    for j, why in report.unknown.items():
        partial = sum(report.sample_counts.get(j, {}).values())
        extra = f" (the loaded sample dates {partial:,})" if partial else ""
        out.print(f"{j}: {why}{extra}", highlight=False)


@app.command()
def lag(
    jurisdiction: JurisdictionOption = None,
    theme: ThemeOption = None,
    measure: MeasureOption = None,
    schema: SchemaOption = None,
    max_age: MaxAgeOption = None,
    max_window: Annotated[
        int | None,
        typer.Option(
            "--max-window",
            min=0,
            help="Exclude dates from the loaded history whose version before is more than this many days older.",
        ),
    ] = None,
    chart: ChartOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Days from each entity's first designation (among the jurisdictions listing it) to
    each jurisdiction's: median, quartiles and count per jurisdiction. Dates only "on or
    before" the first loaded version are excluded, and counted."""
    from reckon.analysis.lag import lag as find_lag

    filters = _filters(jurisdiction, theme, measure, schema)
    report = _analysed(
        db,
        chart,
        lambda con: find_lag(con, filters, max_age_days=max_age, max_window=max_window),
        lambda r, fmt: _charts().lag_chart(r, fmt),
    )
    if as_json:
        _print_json(report)
        return
    title = f"Days after the first designation{_what(filters)}"
    table = Table(title=title, show_header=True, header_style="bold")
    for col in (
        "jurisdiction",
        "entities",
        "first",
        "median",
        "q1",
        "q3",
        "max",
        "late by ≤",
        "excluded",
        "first unknown",
    ):
        table.add_column(col, justify="left" if col == "jurisdiction" else "right")

    def num(x: float | None) -> str:
        return "" if x is None else f"{x:g}"

    for s in report.stats.values():
        table.add_row(
            s.jurisdiction,
            f"{s.count:,}",
            f"{s.first:,}",
            num(s.median),
            num(s.q1),
            num(s.q3),
            num(s.high),
            f"{s.window}" if s.window else "",
            f"{s.excluded:,}",
            f"{s.first_unknown:,}",
        )
    out.print(table)
    out.print(
        f"{len(report.entities):,} entities measured; {report.excluded_entities:,} left out: a date only "
        "'on or before' the first loaded version (excluded), so no first designation to count from "
        "(first unknown)",
        highlight=False,
    )
    for j, why in report.left_out.items():
        out.print(f"{j}: {why}; not measured", highlight=False)
    if any(s.window for s in report.stats.values()):
        out.print(
            "late by ≤: a date from the loaded history may be late by up to the gap between two loaded "
            "versions (--max-window DAYS excludes the less precise)",
            highlight=False,
        )
