"""`reckon companies`: each company of a stance dataset (Yale CELI) against the lists.

A thin layer over `reckon.analysis.companies.companies_report`."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from reckon.cli import DbOption, _connect, _errors, _fail, app, err, out

if TYPE_CHECKING:
    from reckon.analysis.companies import CompaniesReport

_FORMATS = ("table", "csv", "json")
_CSV_COLUMNS = (
    "name",
    "grade",
    "country",
    "inn",
    "listed_in",
    "exposed_in",
    "verdicts",
    "evidence",
    "record",
)


@app.command()
def companies(
    dataset: Annotated[str, typer.Option("--dataset", help="A dataset of kind companies.")] = "yale_celi",
    grade: Annotated[str | None, typer.Option("--grade", help="Only these grades, e.g. D,F.")] = None,
    exposed_in: Annotated[
        str | None,
        typer.Option(
            "--exposed-in",
            help="Only companies listed, or with a path of two hops or fewer to a listed entity, here: us,gb.",
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (default: standard output).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Which companies of the dataset (by grade), or their Russian entities, are listed in
    each jurisdiction, or linked by the lists to a listed entity within two hops; with
    the evidence (record, list version) and "not listed as of" only where a list is loaded."""
    from reckon.analysis.companies import CompaniesError, companies_report, parse_grades, parse_jurisdictions
    from reckon.outputs import atomic_output

    if fmt not in _FORMATS:
        raise _fail(f"unknown format {fmt!r}; use {', '.join(_FORMATS)}")
    try:
        grades = parse_grades(grade)
        wanted = parse_jurisdictions(exposed_in)
    except CompaniesError as exc:
        raise _fail(str(exc)) from None
    con = _connect(db, read_only=True)
    try:
        with _errors():
            try:
                report = companies_report(con, dataset=dataset, grades=grades, exposed_in=wanted)
            except CompaniesError as exc:
                raise _fail(str(exc)) from None
    finally:
        con.close()
    from reckon.analysis.companies import report_rows

    rows = report_rows(report)
    if fmt == "table" and output is None:
        _table(report)
        for p in report.problems:
            err.print(f"{dataset}: {p}", highlight=False)
        return
    if fmt == "json":
        meta = {"dataset": report.dataset, "version_date": report.version_date, "as_of": report.as_of}
        rendered = json.dumps(
            {**meta, "problems": report.problems, "companies": rows}, ensure_ascii=False, indent=2
        )
    else:
        rendered = _csv(rows) if fmt == "csv" else _plain(rows)
    if output is None:
        sys.stdout.write(rendered + ("\n" if not rendered.endswith("\n") else ""))
        return
    with atomic_output(output) as fh:
        fh.write(rendered)
    err.print(f"wrote {len(rows)} companies to {output}", highlight=False)


def _verdicts(row: dict[str, object]) -> str:
    lines = row["jurisdictions"]
    assert isinstance(lines, dict)
    return "; ".join(f"{j}: {v['verdict']}" for j, v in lines.items())


def _evidence(row: dict[str, object]) -> list[str]:
    lines = row["jurisdictions"]
    assert isinstance(lines, dict)
    return [
        f"{j}: {e}"
        for j, v in lines.items()
        if v["verdict"] not in ("not listed", "unknown")
        for e in v["evidence"]
    ]


def _csv(rows: list[dict[str, object]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(_CSV_COLUMNS)
    for r in rows:
        w.writerow(
            [
                r["name"],
                r["grade"] or "",
                r["country"] or "",
                r["inn"] or "",
                " ".join(r["listed_in"]),  # type: ignore[arg-type]
                " ".join(r["exposed_in"]),  # type: ignore[arg-type]
                _verdicts(r),
                " | ".join(_evidence(r)),
                r["record"],
            ]
        )
    return buf.getvalue()


def _plain(rows: list[dict[str, object]]) -> str:
    """The table as text, for -o FILE with --format table."""
    return "\n".join(f"{r['name']}\t{r['grade'] or '-'}\t{_verdicts(r)}" for r in rows) + "\n"


def _table(report: CompaniesReport) -> None:
    companies = report.companies
    table = Table(
        title=f"{report.dataset} of {report.version_date}: {len(companies)} companies",
        show_header=True,
        header_style="bold",
    )
    for col in ("company", "grade", "INN", "listed in", "path in", "evidence"):
        table.add_column(col, overflow="fold")
    for c in companies:
        exposed = [j for j in c.exposed_in if j not in c.listed_in]
        evidence = [
            f"{j.jurisdiction}: {e}"
            for j in c.jurisdictions
            if j.verdict not in ("not listed", "unknown")
            for e in j.evidence
        ]
        table.add_row(
            c.name,
            c.grade or "-",
            (c.inn or "") + (" (doubtful)" if c.inn_note else ""),
            ", ".join(c.listed_in) or "-",
            ", ".join(exposed) or "-",
            "\n".join(evidence[:3]) + (f"\n… {len(evidence) - 3} more" if len(evidence) > 3 else ""),
        )
    out.print(table)
