"""`reckon annotate`: the listed people, organisations and vessels a document mentions."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from reckon.cli import DbOption, ThresholdOption, _errors, _fail, _print_json, app, err

_FORMATS = ("json", "html", "md")


@app.command()
def annotate(
    file: Annotated[
        str, typer.Argument(help="A .txt, .md, .html or text-layer .pdf file; - for standard input.")
    ],
    fmt: Annotated[str, typer.Option("--format", help="json, html (self-contained) or md.")] = "json",
    threshold: ThresholdOption = 0.7,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (default: standard output).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Find every mention of a listed person, company or vessel in a document (English,
    Russian, Ukrainian; inflected and shortened forms), link it to its canonical entity
    with the reasons, and give the entity's status per jurisdiction."""
    from reckon.annotate import AnnotateError, annotate_text, read_document
    from reckon.annotate.gazetteer import open_gazetteer
    from reckon.annotate.readers import MAX_BYTES
    from reckon.annotate.render import as_json, render_html, render_markdown
    from reckon.outputs import atomic_output
    from reckon.store import db_path

    if fmt not in _FORMATS:
        raise _fail(f"unknown format {fmt!r}; use {', '.join(_FORMATS)}")
    name = None if file == "-" else file
    if name is None:
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        path = Path(file)
        if not path.is_file():
            raise _fail(f"{file}: {'a directory' if path.is_dir() else 'no such file'}")
        try:
            data = (
                path.read_bytes() if path.stat().st_size <= MAX_BYTES else path.open("rb").read(MAX_BYTES + 1)
            )
        except OSError as exc:
            raise _fail(f"{file}: cannot be read ({exc.strerror})") from None
    try:
        text, notes = read_document(data, name or "standard input")
    except AnnotateError as exc:
        raise _fail(str(exc)) from None
    with _errors():
        gazetteer = open_gazetteer(db_path(db))
        try:
            result = annotate_text(text, gazetteer, threshold=threshold)
        finally:
            if gazetteer.con is not None:
                gazetteer.con.close()
        result.notes[:0] = notes
        if fmt == "json" and output is None:
            _print_json(as_json(name, result))
            return
        if fmt == "json":
            import json

            rendered = json.dumps(as_json(name, result), ensure_ascii=False, indent=2) + "\n"
        elif fmt == "html":
            rendered = render_html(text, result, title=name or "standard input")
        else:
            rendered = render_markdown(text, result)
        if output is None:
            sys.stdout.write(rendered)
        else:
            with atomic_output(output) as fh:
                fh.write(rendered)
            linked = sum(m.decision == "linked" for m in result.mentions)
            err.print(
                f"wrote {output}: {linked} linked, {len(result.mentions) - linked} ambiguous mentions",
                highlight=False,
            )
