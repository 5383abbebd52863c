"""Designations over time: entities first listed per month or year, per jurisdiction.

An entity's designation by a jurisdiction is dated as `reckon status` dates it: the
earliest "since" of its records there, and how that date is known. A date that is only
"on the list on or before <the first loaded version>" says when reckon's history starts,
not when the entity was designated: it is never counted in a period, but apart, as
"before <date>". Records that have left their list count too (a designation that was
later lifted is still a designation); entities of allegation datasets never count.

With an entity: its listings and delistings per jurisdiction as one dated sequence, and
the allegations about it apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import duckdb

from reckon.analysis.coverage import (
    Filters,
    JurisdictionState,
    QueryError,
    check_query,
    jurisdiction_states,
    of_kind,
    selected,
)
from reckon.analysis.status import (
    DELISTED,
    LISTED,
    SINCE_ON_OR_BEFORE,
    EntityStatus,
    Listing,
    all_statuses,
    entity_status,
)

PERIODS = ("month", "year")


@dataclass(slots=True)
class Timeline:
    filters: Filters
    by: str  # "month" or "year"
    jurisdictions: tuple[str, ...]
    states: dict[str, JurisdictionState]
    # Of each jurisdiction whose list is loaded whole: period ("2022-02" or "2022") ->
    # entities first listed then, and first loaded version -> entities on the list on or
    # before it (undated).
    counts: dict[str, dict[str, int]]
    before: dict[str, dict[str, int]]
    periods: list[str]  # every period from the first to the last with a count, in order
    # Jurisdictions whose list is not loaded whole: why, and what a sample of it dates
    # (partial counts, never to be read as the jurisdiction's).
    unknown: dict[str, str] = field(default_factory=dict)
    sample_counts: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Event:
    jurisdiction: str  # or the dataset's source for an allegation
    kind: str  # "listed", "delisted" or "documented" (an allegation, not a designation)
    date: str
    on_or_before: bool  # the date is only an upper bound: the first loaded version with it
    record: str
    programs: tuple[str, ...]


@dataclass(slots=True)
class EntityTimeline:
    entity: str
    caption: str
    schema: str
    events: list[Event]  # designations and delistings, by date
    allegations: list[Event] = field(default_factory=list)
    status: dict[str, str] = field(default_factory=dict)  # jurisdiction -> its status summary


def timeline(
    con: duckdb.DuckDBPyConnection,
    filters: Filters | None = None,
    *,
    by: str = "month",
    max_age_days: int | None = None,
    today: date | None = None,
) -> Timeline:
    """Entities first designated per period by each jurisdiction."""
    if by not in PERIODS:
        raise QueryError(f"unknown period {by!r}; choose {' or '.join(PERIODS)}")
    filters = filters or Filters()
    wanted = check_query(filters)
    statuses = all_statuses(con, jurisdictions=wanted, max_age_days=max_age_days, today=today)
    return timeline_of(statuses, filters, wanted, by=by)


def timeline_of(
    statuses: Sequence[EntityStatus], filters: Filters, wanted: Sequence[str], *, by: str = "month"
) -> Timeline:
    """`timeline` over statuses already read (pure)."""
    width = 7 if by == "month" else 4
    counts: dict[str, dict[str, int]] = {j: {} for j in wanted}
    before: dict[str, dict[str, int]] = {j: {} for j in wanted}
    for st in selected(statuses, filters):
        for j in wanted:
            first = first_designation(st, j, filters, current_only=False)
            if first is None:
                continue
            if first.since_basis == SINCE_ON_OR_BEFORE:
                bucket, key = before[j], (first.since or "")[:10]
            else:
                bucket, key = counts[j], (first.since or "")[:width]
            bucket[key] = bucket.get(key, 0) + 1
    states = jurisdiction_states(statuses, wanted)
    known = [j for j in wanted if states[j].known]
    found = sorted({p for j in known for p in counts[j]})
    return Timeline(
        filters,
        by,
        tuple(wanted),
        states,
        {j: dict(sorted(counts[j].items())) for j in known},
        {j: dict(sorted(before[j].items())) for j in known},
        _span(found[0], found[-1], by) if found else [],
        {j: states[j].summary for j in wanted if j not in known},
        {j: dict(sorted(counts[j].items())) for j in wanted if j not in known and counts[j]},
    )


def first_designation(
    st: EntityStatus, jurisdiction: str, filters: Filters, *, current_only: bool
) -> Listing | None:
    """The listing that dates the entity's designation by a jurisdiction: the earliest, as
    `reckon status` reads "listed since"; on a tie, a known date over an "on or before" one.
    `current_only`: only records on their list now (the entity is listed there)."""
    js = st.jurisdictions[jurisdiction]
    if js.status != LISTED and (current_only or js.status != DELISTED):
        return None
    found = [x for x in js.listings if x.since and (x.on_list or not current_only) and of_kind(x, filters)]
    if not found:
        return None
    return min(found, key=lambda x: (x.since or "", x.since_basis == SINCE_ON_OR_BEFORE))


def _span(first: str, last: str, by: str) -> list[str]:
    """Every period from `first` to `last`: a chart must show the months with none."""
    if by == "year":
        return [str(y) for y in range(int(first), int(last) + 1)]
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def entity_timeline(
    con: duckdb.DuckDBPyConnection,
    entity: str,
    *,
    filters: Filters | None = None,
    max_age_days: int | None = None,
    today: date | None = None,
) -> EntityTimeline | None:
    """One entity's listings and delistings per jurisdiction, by date; None if no such entity."""
    filters = filters or Filters()
    wanted = check_query(filters)
    st = entity_status(con, entity, jurisdictions=wanted, max_age_days=max_age_days, today=today)
    return None if st is None else entity_timeline_of(st, filters, wanted)


def entity_timeline_of(st: EntityStatus, filters: Filters, wanted: Sequence[str]) -> EntityTimeline:
    """`entity_timeline` over a status already read (pure)."""
    events = []
    for j in wanted:
        for x in st.jurisdictions[j].listings:
            if not of_kind(x, filters):
                continue
            if x.since:
                on_or_before = x.since_basis == SINCE_ON_OR_BEFORE
                events.append(Event(j, "listed", x.since[:10], on_or_before, x.record, x.programs))
            if x.removed_on:
                events.append(Event(j, "delisted", x.removed_on[:10], False, x.record, x.programs))
    allegations = [
        Event(
            a.source,
            "documented",
            (a.since or "")[:10],
            a.since_basis == SINCE_ON_OR_BEFORE,
            a.record,
            a.programs,
        )
        for a in st.allegations
    ]
    order = {"listed": 0, "delisted": 1, "documented": 2}
    events.sort(key=lambda e: (e.date, order[e.kind], e.jurisdiction, e.record))
    allegations.sort(key=lambda e: (e.date, e.record))
    return EntityTimeline(
        st.entity,
        st.caption,
        st.schema,
        events,
        allegations,
        {j: st.jurisdictions[j].summary for j in wanted},
    )
