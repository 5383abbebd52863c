"""Gaps: entities listed by some jurisdictions and not by others, with the evidence.

Built on `status.all_statuses`, so a gap is exactly what `reckon status` says of each
entity. An entity is in the gap only when every jurisdiction it must be missing from says
"not listed" (as of a stated list version); one that is possibly listed or unknown there is
counted and listed apart, never mixed in, and one that was delisted there is listed apart
as well: "not listed" must never rest on missing data or an undecided link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import duckdb

from reckon.analysis.status import (
    DELISTED,
    LISTED,
    NOT_LISTED,
    EntityStatus,
    ListState,
    all_statuses,
    list_states,
)
from reckon.sources.registry import sources

GAP = "gap"
UNDECIDED = "undecided"
DELISTED_THERE = "delisted"


class GapError(ValueError):
    """A gap question that cannot be asked (an unknown jurisdiction, theme or measure)."""


@dataclass(frozen=True, slots=True)
class GapQuery:
    listed_in: tuple[str, ...]
    not_listed_in: tuple[str, ...]
    schema: str | None = None
    theme: str | None = None
    measure: str | None = None
    # Only entities a dataset of allegations documents (e.g. acf_war_enablers), under one
    # of its categories if given: "who is documented as responsible but not sanctioned".
    candidates: str | None = None
    category: str | None = None


@dataclass(slots=True)
class GapReport:
    query: GapQuery
    gaps: list[EntityStatus] = field(default_factory=list)
    undecided: list[EntityStatus] = field(default_factory=list)  # possibly listed or unknown
    delisted: list[EntityStatus] = field(default_factory=list)
    lists: list[ListState] = field(default_factory=list)  # the versions the answer rests on


def gaps(
    con: duckdb.DuckDBPyConnection,
    query: GapQuery,
    *,
    max_age_days: int | None = None,
    today: date | None = None,
) -> GapReport:
    """Entities listed in every `listed_in` jurisdiction (under a programme of `theme` and
    `measure`, if given; none needed when `candidates` names a dataset) and not listed in
    any `not_listed_in` one."""
    _check(query)
    wanted = [*query.listed_in, *(j for j in query.not_listed_in if j not in query.listed_in)]
    report = GapReport(query)
    states = list_states(con)
    report.lists = [s for s in states.values() if s.jurisdiction in wanted]
    registry = sources()
    # Only entities with a record on a list of each `listed_in` jurisdiction (or of the
    # dataset) can be in the answer: the store picks them before any status is worked out.
    having = [
        [n for n, s in registry.items() if s.jurisdiction == j and s.kind == "list"] for j in query.listed_in
    ]
    if query.candidates:
        having.append([query.candidates])
    for st in all_statuses(con, jurisdictions=wanted, max_age_days=max_age_days, today=today, having=having):
        if query.schema and st.schema != query.schema:
            continue
        if query.candidates and not any(
            a.source == query.candidates and (query.category is None or query.category in a.programs)
            for a in st.allegations
        ):
            continue
        if not all(_listed_for(st, j, query) for j in query.listed_in):
            continue
        there = [st.jurisdictions[j].status for j in query.not_listed_in]
        if LISTED in there:
            continue
        if all(s == NOT_LISTED for s in there):
            report.gaps.append(st)
        elif all(s in (NOT_LISTED, DELISTED) for s in there):
            report.delisted.append(st)
        else:
            report.undecided.append(st)
    for bucket in (report.gaps, report.undecided, report.delisted):
        bucket.sort(key=lambda s: (s.caption.casefold(), s.entity))
    return report


def _listed_for(st: EntityStatus, jurisdiction: str, query: GapQuery) -> bool:
    js = st.jurisdictions[jurisdiction]
    if js.status != LISTED:
        return False
    if query.theme is None and query.measure is None:
        return True
    return any(
        (query.theme is None or theme == query.theme) and (query.measure is None or measure == query.measure)
        for x in js.listings
        if x.on_list
        for theme, measure in x.kinds
    )


def _check(query: GapQuery) -> None:
    from reckon.analysis.taxonomy import measures, themes

    registry = sources()
    known = sorted({s.jurisdiction for s in registry.values() if s.kind == "list"})
    if not query.not_listed_in or not (query.listed_in or query.candidates):
        raise GapError(
            "give jurisdictions to be not listed in, and to be listed in or a --candidates dataset, "
            "e.g. --listed-in gb --not-listed-in us"
        )
    if query.candidates is not None:
        source = registry.get(query.candidates)
        if source is None or source.kind != "allegations":
            datasets = ", ".join(n for n, s in sorted(registry.items()) if s.kind == "allegations")
            raise GapError(f"unknown candidates dataset {query.candidates!r}; known: {datasets}")
    if query.category is not None and query.candidates is None:
        raise GapError("--category needs --candidates")
    for j in (*query.listed_in, *query.not_listed_in):
        if j not in known:
            raise GapError(f"unknown jurisdiction {j!r}; known: {', '.join(known)}")
    if set(query.listed_in) & set(query.not_listed_in):
        raise GapError("a jurisdiction cannot be both in --listed-in and --not-listed-in")
    if query.theme is not None and query.theme not in themes():
        raise GapError(f"unknown theme {query.theme!r}; known: {', '.join(themes())}")
    if query.measure is not None and query.measure not in measures():
        raise GapError(f"unknown measure {query.measure!r}; known: {', '.join(measures())}")


def gap_rows(report: GapReport) -> list[dict[str, str]]:
    """The report as flat rows, gaps first, then the undecided and the delisted: what the
    table shows is what the CSV holds."""
    q = report.query
    rows = []
    for category, bucket in (
        (GAP, report.gaps),
        (UNDECIDED, report.undecided),
        (DELISTED_THERE, report.delisted),
    ):
        for st in bucket:
            row = {"category": category, "entity": st.entity, "caption": st.caption, "schema": st.schema}
            if q.candidates:
                row["documented_by"] = " ".join(a.record for a in st.allegations if a.source == q.candidates)
                row["documented_as"] = "; ".join(
                    sorted({p for a in st.allegations if a.source == q.candidates for p in a.programs})
                )
            for j in (*q.listed_in, *q.not_listed_in):
                js = st.jurisdictions[j]
                row[f"{j}_status"] = js.status
                row[f"{j}_evidence"] = js.summary
                row[f"{j}_records"] = " ".join(
                    [x.record for x in js.listings] + [p.record for p in js.possible]
                )
            rows.append(row)
    return rows


def list_versions_text(report: GapReport) -> str:
    """One line naming the list versions the answer rests on."""
    parts = [
        f"{s.source} {(s.complete_as_of or s.latest_version)[:10]}"
        + ("" if s.complete_as_of else " (sample only)")
        for s in sorted(report.lists, key=lambda s: s.source)
    ]
    return "lists: " + (", ".join(parts) or "none loaded")


def parse_jurisdictions(values: Sequence[str] | None) -> tuple[str, ...]:
    """`--listed-in gb,au --listed-in ca` → ("gb", "au", "ca")."""
    return tuple(dict.fromkeys(p.strip().lower() for v in values or () for p in v.split(",") if p.strip()))
