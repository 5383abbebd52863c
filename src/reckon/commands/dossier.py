"""`reckon dossier`: one entity, or every entity of a gap, as an HTML and a PDF document."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reckon.cli import DbOption, JsonOption, _connect, _entity_for, _errors, _fail, _print_json, app, err

_FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf"}


@app.command()
def dossier(
    entity: Annotated[
        str | None,
        typer.Argument(help="A canonical id (rk-…), a record (source:id) or a name that finds one entity."),
    ] = None,
    output: Annotated[
        list[Path] | None,
        typer.Option(
            "--output", "-o", help="FILE.html or FILE.pdf (the extension decides); give -o twice for both."
        ),
    ] = None,
    gaps: Annotated[
        bool,
        typer.Option("--gaps", help="A dossier of a gap (the options of `reckon gaps`), not of one entity."),
    ] = False,
    listed_in: Annotated[
        list[str] | None,
        typer.Option("--listed-in", help="With --gaps: jurisdictions that list it, e.g. gb,au."),
    ] = None,
    not_listed_in: Annotated[
        list[str] | None,
        typer.Option("--not-listed-in", help="With --gaps: jurisdictions that do not, e.g. us."),
    ] = None,
    candidates: Annotated[
        str | None, typer.Option("--candidates", help="With --gaps: only entities this dataset documents.")
    ] = None,
    category: Annotated[
        str | None, typer.Option("--category", help="With --candidates: only this category of the dataset.")
    ] = None,
    theme: Annotated[
        str | None, typer.Option("--theme", help="With --gaps: only listings of this theme.")
    ] = None,
    measure: Annotated[
        str | None, typer.Option("--measure", help="With --gaps: only listings of this kind, e.g. targeted.")
    ] = None,
    schema: Annotated[
        str | None, typer.Option("--schema", help="With --gaps: only Person, Company, Vessel, ...")
    ] = None,
    max_age: Annotated[
        int | None, typer.Option("--max-age", min=0, help="Lists older than this many days count as unknown.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """A dossier to send on: profile with names by script, status per jurisdiction, designations
    with their reasons, allegations apart, the gap statement with its dates, and an appendix
    naming every list version used (file, SHA-256). HTML and PDF (A4)."""
    from reckon.analysis.dossier import entity_dossier, gaps_dossier, render_html, render_pdf
    from reckon.analysis.gaps import GapError, GapQuery, parse_jurisdictions
    from reckon.outputs import atomic_binary_output, atomic_output, check_output
    from reckon.store import db_path

    gap_options = [listed_in, not_listed_in, candidates, category, theme, measure, schema]
    if gaps == (entity is not None):
        raise _fail("give an ENTITY, or --gaps with the options of `reckon gaps`, not both")
    if not gaps and any(o for o in gap_options):
        raise _fail(
            "--listed-in, --not-listed-in, --candidates, --category, --theme, --measure and "
            "--schema go with --gaps"
        )
    targets = _outputs(output or [], as_json)
    with _errors():
        for path, _ in targets:
            check_output(path, store=db_path(db))
        con = _connect(db, read_only=True)
        store = db_path(db).name
        if gaps:
            query = GapQuery(
                parse_jurisdictions(listed_in),
                parse_jurisdictions(not_listed_in),
                schema,
                theme,
                measure,
                candidates,
                category,
            )
            try:
                doc = gaps_dossier(con, query, max_age_days=max_age, store=store)
            except GapError as exc:
                raise _fail(str(exc)) from None
        else:
            assert entity is not None
            target = _entity_for(con, entity)
            found = entity_dossier(con, target, max_age_days=max_age, store=store)
            if found is None:
                raise _fail(f"no entity {entity!r} (give rk-… from `reckon clusters`, or source:id)")
            doc = found
        con.close()
        if as_json:
            _print_json(doc)
        html = render_html(doc) if targets else ""
        for path, fmt in targets:
            if fmt == "html":
                with atomic_output(path) as fh:
                    fh.write(html)
            else:
                pdf = render_pdf(html)
                with atomic_binary_output(path) as bh:
                    bh.write(pdf)
            err.print(f"wrote {path}", highlight=False)


def _outputs(paths: list[Path], as_json: bool) -> list[tuple[Path, str]]:
    """Each output with its format, from its extension: known, and one file per format."""
    if not paths and not as_json:
        raise _fail("give -o FILE.html and/or -o FILE.pdf (or --json)")
    out: list[tuple[Path, str]] = []
    for path in paths:
        fmt = _FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise _fail(f"{path}: unknown extension {path.suffix or '(none)'!r}; use .html or .pdf")
        if any(fmt == f for _, f in out):
            raise _fail(f"{path}: a second {fmt} output; give one file per format")
        out.append((path, fmt))
    return out
