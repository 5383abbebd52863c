"""Lag: how long each jurisdiction took to follow the first to designate an entity.

For every entity that at least two jurisdictions list now, the days from its first
designation among them to each one's designation (0 for the first). A jurisdiction's
date is the one `reckon status` gives ("listed since"), and only a real date counts: one
the list states, or the first loaded version with the record. A date that is only "on or
before" the first loaded version is excluded, and counted as excluded; and because such
a designation may have come before every dated one, the entity's first designation is
then not known either: its other jurisdictions are counted apart ("first unknown"),
never measured from a later date.

A date from the history is the first loaded version with the record: the designation
came after the version before it. Each measured entity carries that gap (`window`), each
jurisdiction the widest, and `max_window` excludes dates less precise than that.

Jurisdictions whose list is not loaded, or only a sample, take no part: the first
designation is the first among the jurisdictions whose lists are loaded whole, and the
report names the ones left out.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import duckdb

from reckon.analysis.coverage import (
    Filters,
    JurisdictionState,
    check_query,
    jurisdiction_states,
    selected,
)
from reckon.analysis.status import SINCE_HISTORY, SINCE_ON_OR_BEFORE, EntityStatus, Listing, all_statuses
from reckon.analysis.timeline import first_designation


@dataclass(frozen=True, slots=True)
class EntityLag:
    entity: str
    caption: str
    first: str  # date of the first designation among the jurisdictions
    dates: dict[str, str]  # jurisdiction -> its designation date
    days: dict[str, int]  # jurisdiction -> days after the first
    # jurisdiction -> days between the loaded version that first has the record and the
    # one before it: a date from the history may be late by up to this many days.
    window: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class LagStats:
    jurisdiction: str
    count: int  # entities measured
    median: float | None
    q1: float | None
    q3: float | None
    low: int | None
    high: int | None
    first: int  # entities it designated first (lag 0, ties included)
    excluded: int  # its own date is only "on or before" the first loaded version (or beyond max_window)
    first_unknown: int  # another jurisdiction's date is only "on or before": no first to measure from
    window: int = 0  # the widest gap between loaded versions behind a date measured (0: all stated)


@dataclass(slots=True)
class LagReport:
    filters: Filters
    jurisdictions: tuple[str, ...]  # those measured: lists loaded whole
    left_out: dict[str, str]  # jurisdiction -> why it takes no part (unknown: not loaded, sample)
    states: dict[str, JurisdictionState]
    stats: dict[str, LagStats]
    entities: list[EntityLag] = field(default_factory=list)  # by caption
    excluded_entities: int = 0  # listed by two or more, with no first designation to measure from


def lag(
    con: duckdb.DuckDBPyConnection,
    filters: Filters | None = None,
    *,
    max_age_days: int | None = None,
    today: date | None = None,
    max_window: int | None = None,
) -> LagReport:
    """Days from the first designation of each entity to each jurisdiction's."""
    filters = filters or Filters()
    wanted = check_query(filters)
    statuses = all_statuses(con, jurisdictions=wanted, max_age_days=max_age_days, today=today)
    versions: dict[str, list[str]] = {}
    for source, day in con.execute("SELECT source, version_date FROM versions ORDER BY 1, 2").fetchall():
        versions.setdefault(str(source), []).append(str(day)[:10])
    return lag_of(statuses, filters, wanted, versions=versions, max_window=max_window)


def lag_of(
    statuses: Sequence[EntityStatus],
    filters: Filters,
    wanted: Sequence[str],
    *,
    versions: dict[str, list[str]] | None = None,
    max_window: int | None = None,
) -> LagReport:
    """`lag` over statuses already read (pure). `versions`: each source's loaded version
    dates, to tell how precise a date from the history is; `max_window`: history dates
    whose version before is further back than this are excluded like "on or before" ones."""
    states = jurisdiction_states(statuses, wanted)
    measured = tuple(j for j in wanted if states[j].known)
    samples: dict[str, list[int]] = {j: [] for j in measured}
    firsts = dict.fromkeys(measured, 0)
    excluded = dict.fromkeys(measured, 0)
    unknown_first = dict.fromkeys(measured, 0)
    widest = dict.fromkeys(measured, 0)
    rows = []
    dropped = 0
    for st in selected(statuses, filters):
        found = {
            j: x
            for j in measured
            if (x := first_designation(st, j, filters, current_only=True)) is not None and x.since
        }
        if len(found) < 2:
            continue
        window = {j: _window(x, versions or {}) for j, x in found.items() if x.since_basis == SINCE_HISTORY}
        undated = {
            j
            for j, x in found.items()
            if x.since_basis == SINCE_ON_OR_BEFORE
            or (max_window is not None and window.get(j, 0) > max_window)
        }
        for j in undated:
            excluded[j] += 1
        if undated:
            dropped += 1
            for j in found.keys() - undated:
                unknown_first[j] += 1
            continue
        dates = {j: (x.since or "")[:10] for j, x in found.items()}
        first = min(dates.values())
        days = {j: (date.fromisoformat(d) - date.fromisoformat(first)).days for j, d in dates.items()}
        for j, n in days.items():
            samples[j].append(n)
            firsts[j] += n == 0
        for j, w in window.items():
            widest[j] = max(widest[j], w)
        rows.append(EntityLag(st.entity, st.caption, first, dates, days, window))
    rows.sort(key=lambda r: (r.caption.casefold(), r.entity))
    stats = {j: _stats(j, samples[j], firsts[j], excluded[j], unknown_first[j], widest[j]) for j in measured}
    left_out = {j: states[j].summary for j in wanted if not states[j].known}
    return LagReport(filters, measured, left_out, states, stats, rows, dropped)


def _window(listing: Listing, versions: dict[str, list[str]]) -> int:
    """Days from the loaded version before the one that first has the record to that one."""
    since = (listing.since or "")[:10]
    before = [d for d in versions.get(listing.source, []) if d < since]
    return (date.fromisoformat(since) - date.fromisoformat(before[-1])).days if before else 0


def _stats(j: str, days: list[int], first: int, excluded: int, first_unknown: int, window: int) -> LagStats:
    if not days:
        return LagStats(j, 0, None, None, None, None, None, first, excluded, first_unknown, window)
    # Quartiles as numpy's default (linear between the closest ranks) computes them.
    q1, _, q3 = statistics.quantiles(days, n=4, method="inclusive") if len(days) > 1 else (days[0],) * 3
    return LagStats(
        j,
        len(days),
        float(statistics.median(days)),
        float(q1),
        float(q3),
        min(days),
        max(days),
        first,
        excluded,
        first_unknown,
        window,
    )
