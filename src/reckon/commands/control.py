"""`reckon exposure`: who owns, directs or is linked to an entity, by the lists, and who of them is listed."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from reckon.cli import DbOption, JsonOption, _connect, _entity_for, _errors, _fail, _print_json, app, out


@app.command()
def exposure(
    entity: Annotated[
        str, typer.Argument(help="A canonical id (rk-…), a record (source:id) or a name to look up.")
    ],
    hops: Annotated[int, typer.Option("--hops", min=1, max=4, help="Longest path, in relations.")] = 2,
    max_age: Annotated[
        int | None,
        typer.Option(
            "--max-age", min=0, help="A list older than this many days makes its jurisdiction unknown."
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The paths of at most HOPS relations the lists state (owner, director, family,
    associate, linked) from an entity to listed ones, each with its record; per
    jurisdiction: the share its listed owners hold where percentages are stated (the 50%
    rule view), the listed entities that own or direct it without a stated share (a weaker
    claim), and the ones linked otherwise."""
    from reckon.control import entity_exposure

    con = _connect(db, read_only=True)
    with _errors():
        target = _entity_for(con, entity)
        result = entity_exposure(con, target, hops=hops, max_age_days=max_age)
    con.close()
    if result is None:
        raise _fail(f"no entity {entity!r} (give rk-… from `reckon clusters`, or source:id)")
    if as_json:
        _print_json(result)
        return
    out.print(f"[bold]{result.caption}[/]  [dim]{result.entity}[/]  within {hops} hop(s)")
    table = Table(show_header=True, header_style="bold")
    for col in ("jurisdiction", "itself", "owned by listed", "controlled by (no share stated)", "linked to"):
        table.add_column(col, overflow="fold")
    for j in result.by_jurisdiction:
        itself = {True: "listed", False: "not listed", None: "unknown"}[j.entity_listed]
        as_of = result.as_of.get(j.jurisdiction)
        table.add_row(
            j.jurisdiction,
            itself + (f" (as of {as_of[:10]})" if as_of else ""),
            f"{j.owned_share:g}%" if j.owned_share is not None else "",
            str(len(j.controlled_by)) if j.controlled_by else "",
            str(len(j.linked_to)) if j.linked_to else "",
        )
    out.print(table)
    if not result.paths:
        out.print("no path to a listed entity")
        return
    for p in result.paths:
        out.print(
            f"[bold]{result.captions.get(p.end, p.end)}[/] [dim]{p.end}[/], listed in {', '.join(p.end_listed_in)}"
        )
        for e in p.edges:
            share = f" {e.percentage:g}%" if e.percentage is not None else ""
            out.print(
                f"   {e.relation}{share}: {e.text}  [dim]({e.source}:{e.record_id}, "
                f"list of {result.version_dates.get(e.version_id, '?')[:10]})[/]",
                highlight=False,
            )


@app.command()
def relations(
    problems: Annotated[
        bool,
        typer.Option("--problems", help="List every problem (the record, the list version, what is wrong)."),
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The control graph the loaded lists state: edges by list and relation, names stated as
    targets that no record of the same list bears (kept as names, never guessed), and bad
    data (a relation to a record that does not exist, a share outside 0-100, a cycle of
    ownership), each with its record."""
    from reckon.control import graph_summary, load_graph

    con = _connect(db, read_only=True)
    with _errors():
        summary = graph_summary(load_graph(con))
    con.close()
    if as_json:
        _print_json(summary)
        return
    table = Table(show_header=True, header_style="bold")
    for col in ("source", "relation", "edges"):
        table.add_column(col)
    by_source = summary["by_source"]
    assert isinstance(by_source, dict)
    for source, counts in by_source.items():
        for relation, n in counts.items():
            table.add_row(source, relation, str(n))
    out.print(table)
    found = summary["problems"]
    assert isinstance(found, list)
    out.print(
        f"{summary['edges']} edges between {summary['entities']} entities; "
        f"{summary['unresolved_names']} stated names no record bears; {len(found)} problems"
        + ("" if problems or not found else " (--problems lists them)")
    )
    if problems:
        for p in found:
            out.print(
                f"{p['source']}:{p['record_id']} (version {p['version_id']}): {p['message']}", highlight=False
            )
