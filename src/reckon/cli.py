"""The `reckon` command line: thin handlers over library functions."""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from reckon.sources.errors import SourceError

app = typer.Typer(
    help="Sanctions lists from every jurisdiction in one store, with provenance and history.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# Piped output gets wide tables rather than rich's 80-column default.
out = Console() if sys.stdout.isatty() else Console(width=160)
err = Console(stderr=True)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Database file (default: $RECKON_DB or ./reckon.duckdb).", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]


def _unit_interval(value: float) -> float:
    # typer's min/max let NaN through: every comparison with NaN is false.
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise typer.BadParameter(f"{value} is not a number from 0 to 1")
    return value


ThresholdOption = Annotated[
    float, typer.Option("--threshold", callback=_unit_interval, help="Lowest score reported, 0 to 1.")
]


def _jsonable(obj: Any) -> Any:
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    raise TypeError(f"not serialisable: {type(obj).__name__}")


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, default=_jsonable, ensure_ascii=False, indent=2) + "\n")


def _identifier_column(text: str) -> tuple[str, str]:
    """`imo=imo_number` → ("imoNumber", "imo_number")."""
    from reckon.screening import ScreenError, identifier_scheme

    scheme, sep, column = text.partition("=")
    if not sep or not column.strip():
        raise ScreenError(f"--identifier-column {text!r} is not SCHEME=COLUMN (e.g. imo=imo_number)")
    return identifier_scheme(scheme), column.strip()


def _date_option(value: str | None, what: str) -> str | None:
    from reckon.dates import iso_date

    try:
        return iso_date(value, what) if value is not None else None
    except ValueError as exc:
        raise _fail(str(exc)) from None


def _fail(message: str) -> typer.Exit:
    from rich.markup import escape

    # The message is text: a file named "list[1].csv" or "reckon[spark]" is not markup.
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code=2)


@contextmanager
def _errors() -> Iterator[None]:
    """Known failures become one line on stderr and exit code 2; the store is unchanged."""
    import duckdb

    from reckon.outputs import OutputError
    from reckon.sources.fetch import FetchError
    from reckon.store import StoreError

    try:
        yield
    except typer.Exit:
        _close_connections()
        raise
    except (SourceError, StoreError, FetchError, OutputError) as exc:
        _close_connections()
        raise _fail(str(exc)) from None
    except KeyError as exc:
        _close_connections()
        raise _fail(str(exc.args[0]) if exc.args else str(exc)) from None
    except duckdb.IOException as exc:
        # A store cut short or damaged on disk fails when the missing block is read.
        _close_connections()
        raise _fail(f"the store cannot be read: {' '.join(str(exc).split())[:200]}") from None
    except Exception as exc:
        _close_connections()
        if os.environ.get("RECKON_DEBUG"):
            raise
        from rich.markup import escape

        err.print(
            f"[bold red]internal error:[/] {type(exc).__name__}: {escape(str(exc))} "
            "(set RECKON_DEBUG=1 for a traceback)",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(code=1) from None


def _connect(db: Path | None, read_only: bool = False, create: bool = False):  # type: ignore[no-untyped-def]
    """The store, or a one-line error: missing (only `ingest` creates one), not a reckon
    store, damaged, or held by another command for longer than the lock wait."""
    from reckon.store import StoreError, connect, db_path

    try:
        con = connect(db_path(db), read_only=read_only, create=create)
    except StoreError as exc:
        raise _fail(str(exc)) from None
    _connections.append(con)
    return con


# Connections a command opened, closed when it fails: run in-process (tests, the API
# later), a failed command must not leave the store held.
_connections: list[Any] = []


def _close_connections() -> None:
    while _connections:
        with suppress(Exception):  # already closed
            _connections.pop().close()


class _RateColumn(ProgressColumn):
    """Rows per second, for batch screening's progress bar."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} rows/s" if speed else "… rows/s", style="progress.data.speed")


@contextmanager
def _progress(enabled: bool, rate: bool = False) -> Iterator[Any]:
    """A factory of rich progress bars on stderr; `rate` adds rows/s and an ETA."""
    if not enabled:
        yield None
        return
    columns: list[Any] = [TextColumn("{task.description:<32}"), BarColumn(), MofNCompleteColumn()]
    if rate:
        columns.append(_RateColumn())
    columns.append(TimeElapsedColumn())
    if rate:
        columns += [TextColumn("ETA"), TimeRemainingColumn()]
    bar = Progress(*columns, console=err, transient=False)
    with bar:

        def factory(description: str, total: int | None) -> Any:
            task = bar.add_task(description, total=total)
            return lambda n: bar.advance(task, n)

        yield factory


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="List files, OFAC CSV folders or tar archives of versions.")
    ] = None,
    bundled: Annotated[
        bool, typer.Option("--bundled", help="Import the snapshots shipped in data/.")
    ] = False,
    history: Annotated[
        bool,
        typer.Option("--history/--no-history", help="With --bundled: replay the 308-version SDN history."),
    ] = True,
    source: Annotated[str | None, typer.Option("--source", help="Source name, e.g. us_ofac_sdn.")] = None,
    fmt: Annotated[
        str | None, typer.Option("--format", help="Format name, e.g. un-xml (default: detected).")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Version date, when the file carries none.")
    ] = None,
    partial: Annotated[
        bool, typer.Option("--partial", help="The file is a sample: record no removals.")
    ] = False,
    allow_removals: Annotated[
        bool,
        typer.Option(
            "--allow-removals",
            help="Accept a complete version that removes more than 20% of the listed records.",
        ),
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import list versions; identical files are skipped, newer ones recorded as changes."""
    from reckon.ingest import ingest_bundled, ingest_paths
    from reckon.store import ImportResult, StoreError

    if not paths and not bundled:
        raise _fail("give one or more PATHs, or --bundled")
    date = _date_option(date, "--date")
    con = _connect(db, create=True)
    results: list[ImportResult] = []
    try:
        with _errors(), _progress(not as_json) as progress:
            try:
                if bundled:
                    ingest_bundled(
                        con,
                        history=history,
                        allow_removals=allow_removals,
                        progress=progress,
                        imported=results,
                    )
                if paths:
                    ingest_paths(
                        con,
                        paths,
                        fmt=fmt,
                        source=source,
                        date=date,
                        complete=not partial,
                        allow_removals=allow_removals,
                        progress=progress,
                        imported=results,
                    )
            except (SourceError, StoreError):
                # Each version is its own transaction: those imported before the failure
                # stay (the error names them), and screening must find their records.
                if any(not r.skipped for r in results):
                    _refresh_screening_index(con, quiet=True)
                raise
            if any(not r.skipped for r in results):
                _refresh_screening_index(con, quiet=as_json)
    finally:
        con.close()
    if as_json:
        _print_json(
            [
                {
                    "source": r.source,
                    "version_id": r.version_id,
                    "version_date": r.version_date,
                    "skipped": r.skipped,
                    "reason": r.reason,
                    "records": r.records,
                    "added": len(r.added),
                    "amended": len(r.amended),
                    "removed": len(r.removed),
                }
                for r in results
            ]
        )
        return
    table = Table(title="Imported", show_lines=False)
    for col in ("source", "version", "records", "added", "amended", "removed", "note"):
        table.add_column(
            col, justify="right" if col in ("records", "added", "amended", "removed") else "left"
        )
    for row in _import_rows(results):
        table.add_row(*row)
    out.print(table)


def _import_rows(results: list[Any]) -> list[tuple[str, ...]]:
    """One row per version, but one summary row for a replay of many versions."""
    rows: list[tuple[str, ...]] = []
    i = 0
    while i < len(results):
        j = i
        while j + 1 < len(results) and results[j + 1].source == results[i].source:
            j += 1
        run = results[i : j + 1]
        if len(run) > 3:
            done = [r for r in run if not r.skipped]
            rows.append(
                (
                    run[0].source,
                    f"{run[0].version_date} → {run[-1].version_date}",
                    str(done[-1].records) if done else "",
                    str(sum(len(r.added) for r in done[1:])),
                    str(sum(len(r.amended) for r in done)),
                    str(sum(len(r.removed) for r in done)),
                    f"{len(done)} versions imported, {len(run) - len(done)} unchanged",
                )
            )
        else:
            rows.extend(
                (
                    r.source,
                    r.version_date,
                    str(r.records) if not r.skipped else "",
                    str(len(r.added)),
                    str(len(r.amended)),
                    str(len(r.removed)),
                    r.reason or "",
                )
                for r in run
            )
        i = j + 1
    return rows


def _refresh_screening_index(con: Any, quiet: bool = False) -> None:
    from reckon.stored_index import index_is_current, refresh_index

    if index_is_current(con):
        return
    if not quiet:
        err.print("building the screening index…", highlight=False)
    n = refresh_index(con)
    if not quiet:
        err.print(f"screening index: {n} records", highlight=False)
    from reckon.annotate import refresh_gazetteer

    try:  # the annotation gazetteer, cached beside the index; `reckon annotate` builds it if not
        refresh_gazetteer(con)
    except Exception as exc:  # a list imported is not undone by a cache that failed
        err.print(f"[yellow]warning:[/] annotation gazetteer not cached: {exc}", highlight=False)


@app.command("index")
def index_(db: DbOption = None) -> None:
    """Rebuild the screening index (done after every ingest; for older stores)."""
    con = _connect(db)
    with _errors():
        _refresh_screening_index(con)
    con.close()


@app.command("lists")
def lists_(db: DbOption = None, as_json: JsonOption = False) -> None:
    """The loaded sources, their versions, publication dates and record counts."""
    from reckon.sources.registry import sources
    from reckon.store.queries import summaries

    con = _connect(db, read_only=True)
    rows = summaries(con)
    con.close()
    if as_json:
        _print_json(rows)
        return
    registry = sources()
    table = Table(title="Loaded lists")
    for col in (
        "source",
        "jurisdiction",
        "versions",
        "latest version",
        "date from",
        "published",
        "records",
        "by schema",
    ):
        table.add_column(col)
    for s in rows:
        reg = registry.get(s.source)
        table.add_row(
            s.source,
            reg.jurisdiction if reg else "",
            str(s.versions),
            s.latest.version_date + ("" if s.latest.complete else " (partial)"),
            s.latest.date_origin,
            s.latest.published or "",
            str(s.current_records),
            ", ".join(f"{k} {v}" for k, v in sorted(s.schemata.items(), key=lambda kv: -kv[1])),
        )
    out.print(table)


@app.command()
def show(
    record: Annotated[
        str, typer.Argument(help="A record as source:id, e.g. gb_hmt_sanctions:14212, or a canonical id.")
    ],
    history: Annotated[
        bool, typer.Option("--history", help="Also list facts no longer on the list.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One record, or a canonical entity (its id from `reckon clusters`), with the provenance of every value."""
    from reckon.store.records import get_record

    con = _connect(db, read_only=True)
    if ":" not in record:
        _show_entity(con, record, as_json)
        return
    view = get_record(con, record)
    con.close()
    if view is None:
        raise _fail(f"no record {record!r} (expected source:id, e.g. us_ofac_sdn:35096)")
    if as_json:
        _print_json(view)
        return
    status = f"removed on {view.removed_on}" if view.removed_on else "on the list"
    out.print(f"[bold]{view.caption}[/]  {view.schema}  [dim]{view.source}:{view.record_id}[/]")
    out.print(f"first seen {view.first_seen}, last seen {view.last_seen}, {status}")
    table = Table(show_header=True, header_style="bold")
    for col in ("entity", "property", "value", "first seen", "last seen"):
        table.add_column(col, overflow="fold")
    for s in view.statements:
        if not s.current and not history:
            continue
        entity = "" if s.entity_id == f"{view.source}:{view.record_id}" else s.schema
        value = s.value + (f" [dim]({s.lang})[/]" if s.lang else "")
        if s.original_value and s.original_value != s.value:
            value += f" [dim]« {s.original_value} »[/]"
        if s.detail:
            value += f" [dim]{_detail_text(s.detail)}[/]"
        table.add_row(entity, s.prop, value, s.first_seen, s.last_seen if not s.current else "")
    out.print(table)
    if view.history:
        out.print("[bold]history[/]")
        for date, change, fields in view.history:
            out.print(f"  {date}  {change}  {', '.join(fields)}")


def _detail_text(detail: str) -> str:
    """Name parts, date precision or an identifier's country, compactly."""
    parts = {k: v for k, v in json.loads(detail).items() if k != "script"}
    return "{" + ", ".join(f"{k}: {v}" for k, v in parts.items()) + "}" if parts else ""


@app.command()
def changes(
    source: Annotated[
        str | None, typer.Argument(help="Source name, e.g. us_ofac_sdn (default: every source).")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only versions on or after this date.")] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Only versions on or before this date.")
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="table, atom (an Atom feed) or jsonfeed (JSON Feed 1.1).")
    ] = "table",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Records added, amended (with the fields) and removed between versions of a source, or
    of every source, each with its canonical entity; also as an Atom or JSON feed."""
    from reckon.analysis.feeds import atom_feed, json_feed
    from reckon.store.queries import changes as list_changes

    if fmt not in ("table", "atom", "jsonfeed"):
        raise _fail(f"unknown format {fmt!r}; choose table, atom or jsonfeed")
    since, until = _date_option(since, "--since"), _date_option(until, "--until")
    con = _connect(db, read_only=True)
    with _errors():
        rows = list_changes(con, source, since, until)
    con.close()
    if as_json:
        _print_json(rows)
        return
    title = f"Changes to {source or 'every list'}" + (f" since {since}" if since else "")
    if fmt != "table":
        sys.stdout.write((atom_feed if fmt == "atom" else json_feed)(rows, title))
        return
    table = Table(title=title)
    for col in ("version", "change", "record", "name", "fields", "entity"):
        table.add_column(col, overflow="fold")
    for c in rows:
        colour = {"added": "green", "removed": "red"}.get(c.change, "yellow")
        table.add_row(
            c.version_date,
            f"[{colour}]{c.change}[/]",
            f"{c.source}:{c.record_id}" if source is None else c.record_id,
            c.caption,
            ", ".join(c.fields),
            c.entity or "",
        )
    out.print(table)
    counts: dict[str, int] = {}
    for c in rows:
        counts[c.change] = counts.get(c.change, 0) + 1
    out.print(", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "no changes")


@app.command()
def fetch(
    names: Annotated[list[str] | None, typer.Argument(help="Source names (default: all).")] = None,
    dest: Annotated[Path, typer.Option("--dest", help="Folder for downloads.")] = Path("downloads"),
    mirror: Annotated[
        str | None, typer.Option("--mirror", help="Fetch from this base URL instead ($RECKON_MIRROR).")
    ] = None,
    timeout: Annotated[
        float,
        typer.Option("--timeout", help="Seconds per file: each attempt must finish in this time, in all."),
    ] = 300.0,
    retries: Annotated[int, typer.Option("--retries", help="Attempts per file.")] = 3,
    and_ingest: Annotated[bool, typer.Option("--ingest", help="Import what was downloaded.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Download the current lists from their official addresses, logging checksums."""
    from reckon.ingest import check_paths, ingest_paths
    from reckon.sources.fetch import fetch as fetch_lists
    from reckon.sources.fetch import ingest_target
    from reckon.store import ImportResult, StoreError

    imported: list[ImportResult] = []
    with _errors():
        got = fetch_lists(names, dest, mirror=mirror, timeout=timeout, retries=retries)
        targets = [(ingest_target(folder, files), source.name) for source, folder, files in got]
        # A download must be the list it was fetched as (a mirror may serve another
        # list's file): all are checked before any is imported.
        for target, name in targets if and_ingest else []:
            check_paths([target], source=name)
    if and_ingest:
        con = _connect(db, create=True)
        try:
            with _errors():
                try:
                    for target, name in targets:
                        ingest_paths(con, [target], source=name, imported=imported)
                except (SourceError, StoreError):
                    if any(not r.skipped for r in imported):
                        _refresh_screening_index(con, quiet=True)
                    raise
                if any(not r.skipped for r in imported):
                    _refresh_screening_index(con, quiet=as_json)
        finally:
            con.close()
    if as_json:
        _print_json(
            {
                "fetched": [f for _, _, files in got for f in files],
                "imported": [
                    {
                        "source": r.source,
                        "version_date": r.version_date,
                        "skipped": r.skipped,
                        "records": r.records,
                    }
                    for r in imported
                ],
            }
        )
        return
    for _, _, files in got:
        for f in files:
            out.print(f"{f.source}  {f.path}  {f.bytes} bytes  sha256 {f.sha256[:16]}…")
    for r in imported:
        out.print(
            f"imported {r.source} {r.version_date}: {r.records} records"
            + (" (unchanged)" if r.skipped else "")
        )


@app.command()
def export(
    fmt: Annotated[
        str, typer.Option("--format", help="ftm (entity JSON lines) or statements (CSV).")
    ] = "ftm",
    source: Annotated[str | None, typer.Option("--source", help="Only this source.")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Export current entities as FtM JSON, or every statement with first/last seen."""
    from reckon.store.export import write_ftm, write_statements

    writers = {"ftm": write_ftm, "statements": write_statements}
    if fmt not in writers:
        raise _fail(f"unknown export format {fmt!r}; choose ftm or statements")
    from reckon.outputs import atomic_output, check_output
    from reckon.store import db_path
    from reckon.store.queries import require_source

    with _errors():
        if output:
            check_output(output, store=db_path(db))
        con = _connect(db, read_only=True)
        if source is not None:
            require_source(con, source)
        if output:
            with atomic_output(output, newline="") as fh:
                n = writers[fmt](con, fh, source)
            err.print(f"wrote {n} {'entities' if fmt == 'ftm' else 'statements'} to {output}")
        else:
            writers[fmt](con, sys.stdout, source)
        con.close()


@app.command()
def screen(
    name: Annotated[
        str | None, typer.Argument(help="The name to screen, in any script (or use --input).")
    ] = None,
    birth_date: Annotated[
        str | None, typer.Option("--birth-date", help="YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    country: Annotated[str | None, typer.Option("--country", help="Nationality or country.")] = None,
    identifier: Annotated[
        list[str] | None,
        typer.Option(
            "--id", help="An identifier as SCHEME:VALUE (imo:9083330, inn:…, passport:…); repeatable."
        ),
    ] = None,
    schema: Annotated[
        str,
        typer.Option("--schema", help="Person, Company, Organization, Vessel, ... (batch: rows without one)"),
    ] = "LegalEntity",
    threshold: ThresholdOption = 0.7,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 10,
    listed_only: Annotated[
        bool, typer.Option("--listed-only", help="Only hits designated (listed now) in some jurisdiction.")
    ] = False,
    datasets: Annotated[
        list[str] | None,
        typer.Option("--datasets", help="Screen against these sources only (a,b; e.g. gb_hmt_sanctions)."),
    ] = None,
    exclude_datasets: Annotated[
        list[str] | None, typer.Option("--exclude-datasets", help="Leave these sources out (a,b).")
    ] = None,
    input_file: Annotated[
        Path | None, typer.Option("--input", help="Screen every row of this csv, jsonl or parquet file.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="With --input: write one record per row here.")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="Output format: csv, jsonl or parquet (default: extension)."),
    ] = None,
    input_format: Annotated[
        str | None, typer.Option("--input-format", help="Input format (default: from the extension).")
    ] = None,
    id_column: Annotated[str | None, typer.Option("--id-column", help="Default: id.")] = None,
    name_column: Annotated[str | None, typer.Option("--name-column", help="Default: name.")] = None,
    birth_date_column: Annotated[
        str | None, typer.Option("--birth-date-column", help="Default: birth_date.")
    ] = None,
    country_column: Annotated[str | None, typer.Option("--country-column", help="Default: country.")] = None,
    schema_column: Annotated[str | None, typer.Option("--schema-column", help="Default: schema.")] = None,
    identifier_column: Annotated[
        list[str] | None,
        typer.Option(
            "--identifier-column",
            help="SCHEME=COLUMN, e.g. imo=imo_number; repeatable. Columns named as a scheme (imoNumber) are read anyway.",
        ),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume/--no-resume", help="Carry on an interrupted run of the same input.")
    ] = True,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=0, help="With --input: processes screening side by side (0: one per core)."
        ),
    ] = 1,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="With --input: local (this machine) or spark (a Parquet directory; reckon[spark]).",
        ),
    ] = "local",
    master: Annotated[
        str | None, typer.Option("--master", help="--engine spark: the Spark master URL (default: local[*]).")
    ] = None,
    ship: Annotated[
        str,
        typer.Option("--ship", help="--engine spark: send the index as a Spark broadcast or a shared file."),
    ] = "broadcast",
    ship_dir: Annotated[
        Path | None,
        typer.Option(
            "--ship-dir", help="--ship file: a directory every executor sees (default: the output's)."
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Is this name listed? One hit per canonical entity (its records on every loaded
    list), with a score and its reasons, and where it is listed.

    With --input, screens a whole file, resumably (see `reckon.batch`); with --engine
    spark, by Apache Spark (see `reckon.bulk`)."""
    from reckon.model import SCHEMATA
    from reckon.screening import (
        Query,
        ScreenError,
        chosen_sources,
        load_index,
        parse_identifier,
        query_entity,
        require_lists,
        resolution_note,
        screen_store,
        split_list,
        where_listed,
    )
    from reckon.screening import screen as screen_index
    from reckon.stored_index import index_is_current

    included, excluded = split_list(datasets), split_list(exclude_datasets)
    try:
        chosen = chosen_sources(included, excluded)
    except ScreenError as exc:
        raise _fail(str(exc)) from None

    if input_file is not None:
        from reckon.batch import BatchError, BatchOptions, checkpoint_path, part_path, screen_file

        if name is not None or output is None:
            raise _fail("--input takes no NAME and needs --output")
        if engine not in ("local", "spark"):
            raise _fail(f"unknown --engine {engine!r}; choose local or spark")
        if engine == "spark":
            from reckon.bulk import INSTALL_HINT, spark_available

            if not spark_available():
                raise _fail(INSTALL_HINT)
        if schema not in SCHEMATA:
            raise _fail(f"unknown schema {schema!r}; choose one of {', '.join(SCHEMATA)}")
        from reckon.outputs import check_output
        from reckon.store import db_path

        with _errors():
            for written in (output, checkpoint_path(output), part_path(output)):
                check_output(written, store=db_path(db), inputs=[input_file])
        try:
            id_columns = tuple(_identifier_column(c) for c in identifier_column or ())
        except ScreenError as exc:
            raise _fail(str(exc)) from None
        options = BatchOptions(
            identifier_columns=id_columns,
            input_format=input_format,
            output_format=fmt,
            id_column=id_column,
            name_column=name_column,
            birth_date_column=birth_date_column,
            country_column=country_column,
            schema_column=schema_column,
            schema=schema,
            threshold=threshold,
            limit=limit,
            datasets=tuple(included),
            exclude_datasets=tuple(excluded),
            listed_only=listed_only,
            resume=resume,
            workers=workers,
        )
        con = _connect(db, read_only=True)
        try:
            require_lists(con)
            index = load_index(con)
            note = resolution_note(con)
        except ScreenError as exc:
            con.close()
            raise _fail(str(exc)) from None
        failure = None
        # The store stays open (read-only) for the statuses of the hits, each entity
        # asked once; the workers fork before the first is asked.
        with _errors():
            try:
                if engine == "spark":
                    from reckon.bulk.spark import screen_file_spark

                    run = screen_file_spark(
                        index,
                        input_file,
                        output,
                        options,
                        where_listed(con),
                        master=master,
                        ship_mode=ship,
                        ship_dir=ship_dir,
                    )
                    summary = run.summary
                else:
                    with _progress(not as_json, rate=True) as factory:
                        summary = screen_file(
                            index, input_file, output, options, progress=factory, where=where_listed(con)
                        )
            except BatchError as exc:
                failure = str(exc)
            finally:
                con.close()
        if failure is not None:
            raise _fail(failure)
        if note:  # after the run: a refusal stays one line
            err.print(note, highlight=False, soft_wrap=True)
        if as_json:
            _print_json(asdict(summary) | {"note": note})
        else:
            out.print(
                f"{summary.rows} rows → {output}: {summary.hits} with hits, {summary.no_hits} without, "
                f"{summary.errors} errors"
                + (f" (resumed after row {summary.resumed_from})" if summary.resumed_from else "")
            )
        return
    if name is None and not identifier:
        raise _fail("give a NAME (or --id SCHEME:VALUE), or --input FILE --output FILE")
    try:
        ids = tuple(parse_identifier(i) for i in identifier or ())
        query = Query(name=name or "", schema=schema, birth_date=birth_date, country=country, identifiers=ids)
        query_entity(query)  # refuse bad input before loading the index
    except ScreenError as exc:
        raise _fail(str(exc)) from None
    # One name: the keys kept in the store find the candidates, nothing else is prepared.
    # Read-only unless the index needs a refresh, so that screens run beside other
    # readers of the store (DuckDB allows many readers or one writer).
    con = _connect(db, read_only=True)
    try:
        require_lists(con)
        # --listed-only filters after scoring: every hit is scored, the best kept.
        wanted = 1000 if listed_only else limit
        if index_is_current(con):
            hits = screen_store(con, query, limit=wanted, threshold=threshold, sources=chosen)
        else:
            # A read command never writes: a stale index (after an upgrade of reckon)
            # is rebuilt in memory for this query, and the user told how to keep it.
            err.print("the match index is out of date: screening in memory (run `reckon index`)")
            hits = screen_index(load_index(con), query, limit=wanted, threshold=threshold, sources=chosen)
        note = resolution_note(con)
        where = where_listed(con)
        placed = [(h, where(h.entity.id or "")) for h in hits]
    except ScreenError as exc:
        raise _fail(str(exc)) from None
    finally:
        con.close()
    if listed_only:
        placed = [(h, w) for h, w in placed if w is not None and w.listed_in]
    placed = placed[:limit]
    if note:
        err.print(note, highlight=False, soft_wrap=True)
    if as_json:
        from reckon.batch import hit_record, with_where

        _print_json(
            [
                with_where(hit_record(h), w) | {"resolved": note is None, "features": h.result.contributions}
                for h, w in placed
            ]
        )
        return
    asked = " ".join([repr(name)] if name else []) + "".join(f" {s}:{v}" for s, v in query.identifiers)
    table = Table(title=f"Screening {asked.strip()}: {len(placed)} hit(s) ≥ {threshold}")
    for col in ("score", "entity", "name", "where listed", "why"):
        table.add_column(col, overflow="fold")
    for h, w in placed:
        entity = h.entity.id or ""
        if h.members and h.members != (entity,):
            entity += "\n" + "\n".join(h.members)
        listed = "" if w is None else _where_text(w)
        named = h.entity.caption + (f"\n(matched: {h.name})" if h.name and h.name != h.entity.caption else "")
        table.add_row(f"{h.score:.2f}", entity, named, listed, h.result.explanation)
    out.print(table)


def _where_text(w: Any) -> str:
    """Where a screening hit is listed, a line per status (`--json` has each one's evidence)."""
    by_status: dict[str, list[str]] = {}
    for j, s in w.jurisdictions.items():
        as_of = f" (as of {s['as_of'][:10]})" if s["status"] == "not listed" and s["as_of"] else ""
        by_status.setdefault(s["status"], []).append(j + as_of)
    order = ("listed", "delisted", "possibly listed", "not listed", "unknown")
    lines = [f"{status}: {', '.join(by_status[status])}" for status in order if status in by_status]
    if w.documented_by:
        lines.insert(0, w.note if w.only_allegations else f"documented by {', '.join(w.documented_by)}")
    return "\n".join(lines)


@app.command("score-pairs")
def score_pairs(
    path: Annotated[Path, typer.Argument(help="JSON lines of {id, category, query, candidate, match}.")],
    threshold: ThresholdOption = 0.7,
    as_json: JsonOption = False,
) -> None:
    """Score labelled pairs; report precision, recall and F1 per category."""
    from reckon.match.evaluate import score_pairs as run_pairs
    from reckon.match.evaluate import summarise

    def pairs() -> Iterator[dict[str, Any]]:
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, start=1):
                if line.strip():
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise _fail(f"{path}: line {n}: not JSON ({exc.msg})") from None

    if not path.is_file():
        raise _fail(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    try:
        results = list(run_pairs(pairs(), threshold))
    except ValueError as exc:
        raise _fail(f"{path}: {exc}") from None
    summary = summarise(results)
    if as_json:
        for r in results:
            sys.stdout.write(
                json.dumps(
                    {"id": r.id, "score": round(r.score, 4), "match": r.match, "explanation": r.explanation}
                )
                + "\n"
            )
        sys.stdout.write(
            json.dumps(
                {
                    "threshold": threshold,
                    "summary": [
                        {
                            "category": q.category,
                            "pairs": q.pairs,
                            "precision": round(q.precision, 4),
                            "recall": round(q.recall, 4),
                            "f1": round(q.f1, 4),
                            "fp_rate": round(q.fp_rate, 4),
                        }
                        for q in summary
                    ],
                }
            )
            + "\n"
        )
        return
    table = Table(title=f"Labelled pairs at threshold {threshold}")
    for col in ("category", "pairs", "precision", "recall", "F1", "FP rate"):
        table.add_column(col, justify="left" if col == "category" else "right")
    for q in summary:
        if q.positives:
            table.add_row(
                q.category,
                str(q.pairs),
                f"{q.precision:.3f}",
                f"{q.recall:.3f}",
                f"{q.f1:.3f}",
                f"{q.fp_rate:.3f}",
            )
        else:  # hard negatives only: precision and recall say nothing
            table.add_row(q.category, str(q.pairs), "", "", "", f"{q.fp_rate:.3f}")
    out.print(table)


# ---------------------------------------------------------------- resolution


@app.command()
def resolve(
    full: Annotated[
        bool, typer.Option("--full", help="Re-pair every record, not only changed ones.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Pair and cluster records into canonical entities (incrementally after an ingest)."""
    from reckon.resolve import resolve as run_resolve

    con = _connect(db)
    with _errors():
        result = run_resolve(con, full=full, progress=None if as_json else lambda s: err.print(f"{s}…"))
    con.close()
    if as_json:
        _print_json(result)
        return
    out.print(
        f"run {result.run} ({'full' if result.full else 'incremental'}): {result.records} records, "
        f"{result.repaired} paired, {result.pairs_scored} pairs scored → {result.clusters} entities "
        f"({result.merged_clusters} of several records), {result.review} pairs to review, "
        f"{result.redirected} ids redirected, {result.seconds:.1f} s",
        highlight=False,
    )


def _verdict(same: bool, different: bool, unsure: bool) -> str:
    chosen = [v for v, on in (("same", same), ("different", different), ("unsure", unsure)) if on]
    if len(chosen) != 1:
        raise _fail("give exactly one of --same, --different, --unsure")
    return chosen[0]


UserOption = Annotated[
    str | None, typer.Option("--user", help="Who decides (default: $RECKON_USER or login).")
]
NoteOption = Annotated[str | None, typer.Option("--note", help="Why, in a few words.")]


@app.command()
def judge(
    a: Annotated[str, typer.Argument(help="A record, source:id.")],
    b: Annotated[str, typer.Argument(help="Another record, source:id.")],
    same: Annotated[bool, typer.Option("--same", help="They are one entity.")] = False,
    different: Annotated[bool, typer.Option("--different", help="They are different entities.")] = False,
    unsure: Annotated[bool, typer.Option("--unsure", help="Cannot tell.")] = False,
    note: NoteOption = None,
    user: UserOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a judgement on two records; it holds across re-imports (run `reckon resolve`)."""
    from reckon.resolve import judge as record

    verdict = _verdict(same, different, unsure)
    con = _connect(db)
    with _errors():
        event = record(con, a, b, verdict, user=user, note=note)
    con.close()
    if as_json:
        _print_json(event)
        return
    out.print(f"{event.left} / {event.right}: {event.verdict} ({event.user}, {event.at})", highlight=False)


versions_app = typer.Typer(help="The versions of each list: list them, or take back the newest of a source.")
app.add_typer(versions_app, name="versions")


@versions_app.command("list")
def versions_list(
    source: Annotated[str | None, typer.Argument(help="Only this source.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every imported version, oldest first per source, with its file and counts."""
    from reckon.store.queries import require_source
    from reckon.store.queries import versions as list_versions

    con = _connect(db, read_only=True)
    with _errors():
        if source is not None:
            require_source(con, source)
        rows = list_versions(con, source)
    con.close()
    if as_json:
        _print_json(rows)
        return
    table = Table(title="Versions")
    for col in ("source", "id", "version", "date from", "complete", "records", "+", "~", "-", "file"):
        table.add_column(col, overflow="fold")
    for v in rows:
        table.add_row(
            v.source,
            str(v.version_id),
            v.version_date,
            v.date_origin,
            "yes" if v.complete else "partial",
            str(v.record_count),
            str(v.added),
            str(v.amended),
            str(v.removed),
            v.file_name,
        )
    out.print(table)


@versions_app.command("remove")
def versions_remove(
    source: Annotated[str, typer.Argument(help="The source whose newest version goes, e.g. us_ofac_sdn.")],
    note: Annotated[str | None, typer.Option("--note", help="Why, in a few words.")] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Who removes it (default: $RECKON_USER or login).")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Take back the newest version of a source (a wrong file or date): its records are
    restored as the version before left them, in one transaction, and the removal is
    recorded. Run it again to remove the next newest."""
    from reckon.resolve.judgements import default_user
    from reckon.store.versions import remove_latest_version

    con = _connect(db)
    with _errors():
        removed = remove_latest_version(con, source, user=user or default_user(), note=note)
        _refresh_screening_index(con, quiet=as_json)
    con.close()
    if as_json:
        _print_json(removed)
        return
    out.print(
        f"removed {removed.source} version {removed.version_date} ({removed.file_name}): "
        f"{removed.records_restored} records restored, {removed.records_deleted} deleted; "
        f"now at {removed.now_latest or 'no version'}",
        highlight=False,
    )


candidates_app = typer.Typer(
    help="Candidate datasets (documented or alleged responsibility): stored like lists, never counted as sanctions."
)
app.add_typer(candidates_app, name="candidates")


@candidates_app.command("import")
def candidates_import(
    path: Annotated[Path, typer.Argument(help="A CSV, XLSX or JSON-lines table.")],
    mapping: Annotated[
        Path, typer.Option("--mapping", help="The mapping file (TOML) saying which column is which fact.")
    ],
    source: Annotated[
        str | None,
        typer.Option("--source", help="Source name (default: the mapping's); registered as allegations."),
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Version date (default: from the file name).")
    ] = None,
    partial: Annotated[
        bool, typer.Option("--partial", help="The file is a sample: record no removals.")
    ] = False,
    allow_removals: Annotated[
        bool,
        typer.Option(
            "--allow-removals",
            help="Accept a version that removes more than 20% of the entries (checked by a person).",
        ),
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import one version of a candidates dataset through a mapping, as `ingest` imports lists."""
    from reckon.ingest import import_mapped

    date = _date_option(date, "--date")
    con = _connect(db, create=True)
    try:
        with _errors():
            result = import_mapped(
                con,
                path,
                mapping,
                source=source,
                date=date,
                complete=not partial,
                allow_removals=allow_removals,
            )
            if not result.skipped:
                _refresh_screening_index(con, quiet=True)
    finally:
        con.close()
    row = {
        "source": result.source,
        "version_id": result.version_id,
        "version_date": result.version_date,
        "skipped": result.skipped,
        "reason": result.reason,
        "records": result.records,
        "added": len(result.added),
        "amended": len(result.amended),
        "removed": len(result.removed),
    }
    if as_json:
        _print_json(row)
        return
    out.print(
        f"{row['source']} {str(row['version_date'])[:10]}: {row['records']} records, "
        f"{row['added']} added, {row['amended']} amended, {row['removed']} removed"
        + (f" (skipped: {row['reason']})" if result.skipped else ""),
        highlight=False,
    )


judgements_app = typer.Typer(help="The judgement log: history, undo, export and import as JSONL.")
app.add_typer(judgements_app, name="judgements")


@judgements_app.command("export")
def judgements_export(
    path: Annotated[Path, typer.Argument(help="JSONL file to write.")], db: DbOption = None
) -> None:
    """Write every judgement event to a JSONL file (to share with colleagues)."""
    from reckon.outputs import check_output
    from reckon.resolve import export_jsonl
    from reckon.store import db_path
    from reckon.store.inbox import unapplied

    with _errors():
        check_output(path, store=db_path(db))
    con = _connect(db, read_only=True)
    with _errors():
        # Decisions still in the inbox (taken in the browser or over HTTP) are events too.
        waiting = [p.event for p in unapplied(db_path(db), con)]
        n = export_jsonl(con, path, waiting)
    con.close()
    out.print(
        f"{n} events written to {path}" + (f" ({len(waiting)} pending in the inbox)" if waiting else ""),
        highlight=False,
    )


@judgements_app.command("import")
def judgements_import(
    path: Annotated[Path, typer.Argument(help="JSONL file from `reckon judgements export`.")],
    db: DbOption = None,
) -> None:
    """Add the events of a JSONL file that this store does not have yet (all or none)."""
    from reckon.resolve import import_jsonl

    if not path.exists():
        raise _fail(f"{path}: no such file")
    con = _connect(db)
    with _errors():
        added, known = import_jsonl(con, path)
    con.close()
    out.print(f"{added} events added, {known} already here", highlight=False)


@judgements_app.command("undo")
def judgements_undo(
    a: Annotated[str, typer.Argument(help="A record, source:id.")],
    b: Annotated[str, typer.Argument(help="Another record, source:id.")],
    note: NoteOption = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Withdraw the latest verdict on a pair; the one before it holds again."""
    from reckon.resolve import current_verdicts, undo

    con = _connect(db)
    with _errors():
        event = undo(con, a, b, user=user, note=note)
        now = current_verdicts(con).get((event.left, event.right), "no verdict")
    con.close()
    out.print(f"{event.left} / {event.right}: undone; now {now}", highlight=False)


@judgements_app.command("history")
def judgements_history(
    a: Annotated[str | None, typer.Argument(help="Only events involving this record.")] = None,
    b: Annotated[str | None, typer.Argument(help="Only events of the pair a / b.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Judgement events, oldest first per pair; those still in the inbox (decided in the
    browser or over HTTP, applied by the next command that writes) marked pending."""
    from reckon.resolve import history
    from reckon.resolve.pairing import ordered
    from reckon.store import db_path
    from reckon.store.inbox import unapplied

    con = _connect(db, read_only=True)
    events = history(con, a, b)
    pair = ordered(a, b) if a is not None and b is not None else None
    waiting = [
        p.event
        for p in unapplied(db_path(db), con)
        if (p.event.left, p.event.right) == pair
        or (pair is None and a in (None, p.event.left, p.event.right))
    ]
    con.close()
    rows = sorted(
        [(e, False) for e in events] + [(e, True) for e in waiting],
        key=lambda r: (r[0].left, r[0].right, r[0].at, r[0].event_id),
    )
    if as_json:
        _print_json([{**_jsonable(e), "pending": pending} for e, pending in rows])
        return
    title = f"{len(events)} judgement events" + (f", {len(waiting)} pending in the inbox" if waiting else "")
    table = Table(title=title)
    for col in ("at", "pair", "verdict", "user", "note"):
        table.add_column(col, overflow="fold")
    for e, pending in rows:
        verdict = f"{e.verdict} (pending)" if pending else e.verdict
        table.add_row(e.at, f"{e.left} / {e.right}", verdict, e.user, e.note or "")
    out.print(table)


@app.command()
def clusters(
    min_size: Annotated[
        int, typer.Option("--min-size", min=1, help="Only entities of this many records.")
    ] = 1,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every canonical entity with its member records (after `reckon resolve`)."""
    from reckon.resolve.views import clusters as list_clusters

    con = _connect(db, read_only=True)
    views = list_clusters(con, min_size=min_size)
    con.close()
    if as_json:
        _print_json(
            [{"id": v.id, "schema": v.schema, "caption": v.caption, "members": v.members} for v in views]
        )
        return
    table = Table(title=f"{len(views)} entities")
    for col in ("id", "schema", "caption", "records", "members"):
        table.add_column(col, overflow="fold")
    for v in views:
        table.add_row(v.id, v.schema, v.caption, str(len(v.members)), ", ".join(v.members))
    out.print(table)


@app.command()
def review(
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Only the first N pairs of the queue.")
    ] = None,
    refused: Annotated[
        bool, typer.Option("--refused", help="Also pairs the clustering refused on a soft conflict.")
    ] = False,
    user: UserOption = None,
    db: DbOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the queue as JSON instead of opening the UI.")
    ] = False,
) -> None:
    """Decide uncertain pairs in a terminal UI: y same, n different, u unsure, s skip, z undo, q quit.

    Most consequential pairs first (uncertain score, large entities, sanctioned records). Each key writes its judgement at once; `reckon resolve` then applies them.
    """
    from reckon.resolve.review import review_queue
    from reckon.store import db_path
    from reckon.store.inbox import standing

    con = _connect(db, read_only=True)
    with _errors():
        # Pairs decided in the browser, still in the inbox, are not asked again (unless undone).
        decided = standing(db_path(db), con)
        # The UI works out each pair's reasons and diff as it shows it.
        items = review_queue(con, limit=limit, include_refused=refused, details=as_json, decided=decided)
    con.close()
    if as_json:
        _print_json([{**_jsonable(it), "pair": list(it.pair)} for it in items])
        return
    if not items:
        out.print("nothing to review (run `reckon resolve` after an ingest)", highlight=False)
        return
    from functools import partial

    from reckon.review_tui import run as run_ui
    from reckon.store.schema import writing

    # A reviewer waits a few seconds at most for another writer; the UI then says who.
    app_ = run_ui(partial(writing, db_path(db), wait=5.0), items, user)
    out.print(f"{app_.decided} of {len(items)} pairs decided; run `reckon resolve` to apply", highlight=False)


@app.command()
def status(
    entity: Annotated[
        str, typer.Argument(help="A canonical id (rk-…), a record (source:id) or a name to look up.")
    ],
    jurisdiction: Annotated[
        list[str] | None, typer.Option("--jurisdiction", "-j", help="Only these (us, gb, eu, un, au, ca).")
    ] = None,
    max_age: Annotated[
        int | None,
        typer.Option(
            "--max-age", min=0, help="A list older than this many days makes its jurisdiction unknown."
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Where an entity is listed: listed (since when), delisted, possibly listed, not listed
    (as of which list version) or unknown, per jurisdiction, with the records behind each;
    allegations apart."""
    from reckon.analysis.status import entity_status

    con = _connect(db, read_only=True)
    with _errors():
        target = _entity_for(con, entity)
        result = entity_status(con, target, jurisdictions=jurisdiction, max_age_days=max_age)
    con.close()
    if result is None:
        raise _fail(f"no entity {entity!r} (give rk-… from `reckon clusters`, or source:id)")
    if as_json:
        _print_json(result)
        return
    out.print(f"[bold]{result.caption}[/]  {result.schema}  [dim]{result.entity}[/]")
    if not result.resolved:
        err.print("this store is not resolved: the status is of this one record (run `reckon resolve`)")
    colours = {"listed": "green", "delisted": "yellow", "possibly listed": "magenta", "not listed": "red"}
    table = Table(show_header=True, header_style="bold")
    for col in ("jurisdiction", "status", "evidence", "programmes", "records"):
        table.add_column(col, overflow="fold")
    for j, st in result.jurisdictions.items():
        table.add_row(
            j,
            f"[{colours.get(st.status, 'dim')}]{st.status}[/]",
            st.summary,
            ", ".join(sorted({p for x in st.listings for p in x.programs})),
            ", ".join(
                [x.record for x in st.listings] + [f"{p.record} ({p.score:.2f}?)" for p in st.possible]
            ),
        )
    out.print(table)
    for a in result.allegations:
        text = "; ".join(a.reasons)[:300] or ", ".join(a.programs)
        out.print(f"documented by {a.source} ({a.record}), not a sanction: {text}", highlight=False)


@app.command()
def gaps(
    not_listed_in: Annotated[
        list[str], typer.Option("--not-listed-in", help="Jurisdictions that do not list it, e.g. us.")
    ],
    listed_in: Annotated[
        list[str] | None, typer.Option("--listed-in", help="Jurisdictions that list the entity, e.g. gb,au.")
    ] = None,
    candidates: Annotated[
        str | None,
        typer.Option(
            "--candidates", help="Only entities this allegations dataset documents, e.g. acf_war_enablers."
        ),
    ] = None,
    category: Annotated[
        str | None, typer.Option("--category", help="With --candidates: only this category of the dataset.")
    ] = None,
    theme: Annotated[
        str | None, typer.Option("--theme", help="Only listings under this theme, e.g. russia_ukraine.")
    ] = None,
    measure: Annotated[
        str | None, typer.Option("--measure", help="Only listings of this kind, e.g. targeted.")
    ] = None,
    schema: Annotated[str | None, typer.Option("--schema", help="Only Person, Company, Vessel, ...")] = None,
    max_age: Annotated[
        int | None, typer.Option("--max-age", min=0, help="Lists older than this many days count as unknown.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json or md.")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file.")] = None,
    db: DbOption = None,
) -> None:
    """Entities listed in some jurisdictions and not in others: each with its status, the
    records and the list versions it rests on. Possibly listed or unknown ones are counted
    apart, never as gaps."""
    from reckon.analysis.gaps import GapError, GapQuery, gap_rows, parse_jurisdictions
    from reckon.analysis.gaps import gaps as find_gaps
    from reckon.outputs import atomic_output, check_output
    from reckon.store import db_path

    if fmt not in ("table", "csv", "json", "md"):
        raise _fail(f"unknown format {fmt!r}; choose table, csv, json or md")
    query = GapQuery(
        parse_jurisdictions(listed_in),
        parse_jurisdictions(not_listed_in),
        schema,
        theme,
        measure,
        candidates,
        category,
    )
    with _errors():
        if output:
            check_output(output, store=db_path(db))
        con = _connect(db, read_only=True)
        try:
            report = find_gaps(con, query, max_age_days=max_age)
        except GapError as exc:
            raise _fail(str(exc)) from None
        con.close()
        rows = gap_rows(report)
        if fmt == "table" and output is None:
            _gap_table(report, rows)
            return
        text = _gap_text(report, rows, fmt if fmt != "table" else "md")
        if output:
            with atomic_output(output, newline="") as fh:
                fh.write(text)
            err.print(f"wrote {len(rows)} rows to {output}", highlight=False)
        else:
            sys.stdout.write(text)


def _gap_title(q: Any) -> str:
    documented = f"documented by {q.candidates}" + (f" as {q.category}" if q.category else "") + ", "
    listed = f"listed in {', '.join(q.listed_in)}, " if q.listed_in else ""
    title = (documented if q.candidates else "") + listed + f"not listed in {', '.join(q.not_listed_in)}"
    return title[0].upper() + title[1:]


def _gap_text(report: Any, rows: list[dict[str, str]], fmt: str) -> str:
    import csv
    import io

    from reckon.analysis.gaps import list_versions_text

    if fmt == "json":
        return (
            json.dumps(
                {
                    "query": _jsonable(report.query),
                    "lists": [_jsonable(s) for s in report.lists],
                    "counts": {
                        "gaps": len(report.gaps),
                        "undecided": len(report.undecided),
                        "delisted": len(report.delisted),
                    },
                    "rows": rows,
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    if fmt == "csv":
        buf = io.StringIO()
        fields = list(rows[0]) if rows else ["category", "entity", "caption", "schema"]
        writer = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buf.getvalue()
    q = report.query
    lines = [
        f"# {_gap_title(q)}",
        "",
        f"{len(report.gaps)} gaps; {len(report.undecided)} undecided (possibly listed or unknown), "
        f"{len(report.delisted)} delisted, apart. {list_versions_text(report)}.",
        "",
    ]
    if rows:
        head = ["category", "entity", "caption", *(["documented_as"] if q.candidates else [])]
        head += [f"{j}_evidence" for j in (*q.listed_in, *q.not_listed_in)]
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "---|" * len(head))
        for row in rows:
            lines.append("| " + " | ".join(row[h].replace("|", "\\|") for h in head) + " |")
    return "\n".join(lines) + "\n"


def _gap_table(report: Any, rows: list[dict[str, str]]) -> None:
    from reckon.analysis.gaps import list_versions_text

    q = report.query
    table = Table(
        title=f"{_gap_title(q)}: "
        f"{len(report.gaps)} gaps ({len(report.undecided)} undecided and {len(report.delisted)} delisted apart)"
    )
    documented = ["documented as"] if q.candidates else []
    for col in ("", "entity", "name", *documented, *(*q.listed_in, *q.not_listed_in)):
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(
            row["category"],
            row["entity"],
            row["caption"],
            *([row["documented_as"]] if q.candidates else []),
            *(row[f"{j}_evidence"] for j in (*q.listed_in, *q.not_listed_in)),
        )
    out.print(table)
    out.print(list_versions_text(report), highlight=False)


def _entity_for(con: Any, given: str) -> str:
    """A canonical id or record as given; a name, looked up by screening, if it finds one entity."""
    if given.startswith("rk-") or ":" in given:
        return given
    from reckon.resolve.views import canonical_of
    from reckon.screening import Query, ScreenError, screen_store

    try:
        hits = screen_store(con, Query(given), limit=10)
    except ScreenError as exc:
        raise _fail(str(exc)) from None
    found = dict.fromkeys((canonical_of(con, h.entity.id or "") or h.entity.id or "") for h in hits)
    if len(found) != 1:
        names = ", ".join(f"{k}" for k in list(found)[:8]) or "nothing"
        raise _fail(f"{given!r} finds {len(found)} entities ({names}); give one id")
    return next(iter(found))


def _show_entity(con: Any, canonical_id: str, as_json: bool) -> None:
    """`reckon show` for a canonical id: the merged profile with every value's provenance."""
    from reckon.resolve.profile import profile

    with _errors():
        prof = profile(con, canonical_id)
    con.close()
    if prof is None:
        raise _fail(f"no entity {canonical_id!r} (run `reckon resolve`; records are shown as source:id)")
    if as_json:
        _print_json(prof)
        return
    moved = f"  [dim](was {prof.requested})[/]" if prof.requested != prof.id else ""
    out.print(f"[bold]{prof.caption}[/]  {prof.schema}  [dim]{prof.id}[/]{moved}")
    out.print(f"{len(prof.members)} records: {', '.join(prof.members)}", highlight=False)

    def where(provs: Any) -> str:
        return "; ".join(f"{p.source}:{p.record_id} {p.first_seen}→{p.last_seen}" for p in provs)

    table = Table(title="names", show_header=True, header_style="bold")
    for col in ("script", "name", "kind", "from"):
        table.add_column(col, overflow="fold")
    for script, values in prof.names.items():
        for v in values:
            table.add_row(script, v.value, v.kind, where(v.provenance))
    out.print(table)
    table = Table(title="designations", show_header=True, header_style="bold")
    for col in ("jurisdiction", "authority", "programme", "listed", "ended", "from"):
        table.add_column(col, overflow="fold")
    for jurisdiction, items in prof.designations.items():
        for d in items:
            table.add_row(
                jurisdiction,
                d.authority,
                ", ".join(d.programs),
                d.listing_date or "",
                d.end_date or "",
                where([d.provenance]),
            )
    out.print(table)
    for d in prof.allegations:
        out.print(
            f"documented by {d.provenance.source} ({d.provenance.record_id}), not a designation: "
            f"{', '.join(d.programs)}",
            highlight=False,
        )
    table = Table(title="facts", show_header=True, header_style="bold")
    for col in ("property", "value", "from"):
        table.add_column(col, overflow="fold")
    for prop, values in prof.facts.items():
        for v in values:
            table.add_row(prop, v.value, where(v.provenance))
    out.print(table)


# Command groups in their own modules; they import `app` and the helpers above.
from reckon.commands import annotate as _annotate  # noqa: E402,F401
from reckon.commands import charts as _charts  # noqa: E402,F401
from reckon.commands import companies as _companies  # noqa: E402,F401
from reckon.commands import control as _control  # noqa: E402,F401
from reckon.commands import dossier as _dossier  # noqa: E402,F401
from reckon.commands import serve as _serve  # noqa: E402,F401
from reckon.commands import users as _users  # noqa: E402,F401


def main() -> None:
    app()


if __name__ == "__main__":
    main()
