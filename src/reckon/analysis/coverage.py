"""Coverage: how many entities each combination of jurisdictions lists.

Built on `status.all_statuses`, so an entity counts for a jurisdiction exactly when
`reckon status` says "listed" there (under a programme of the theme and measure asked for,
by the same test `reckon gaps` applies). Each entity falls in one combination: the set of
jurisdictions that list it, as an UpSet chart draws them.

A combination says nothing false about the jurisdictions outside it: those whose list is
not loaded or only a sample are "unknown" for its entities, never "not listed", and the
entities of a combination that are possibly listed (or listed under another theme or
measure) elsewhere are counted in the combination, so the reader sees how firm it is.
Allegation datasets are not jurisdictions and never count.

`check_query` and `jurisdiction_states` are shared with `timeline.py` and `lag.py`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import duckdb

from reckon.analysis.gaps import GapQuery, _listed_for
from reckon.analysis.status import (
    LISTED,
    NOT_LISTED,
    POSSIBLY_LISTED,
    UNKNOWN,
    EntityStatus,
    Listing,
    ListState,
    all_statuses,
)
from reckon.sources.registry import sources

LISTED_OTHERWISE = "listed otherwise"  # listed there, but under no programme of the theme/measure asked


class QueryError(ValueError):
    """A question that cannot be asked: an unknown jurisdiction, theme, measure or schema."""


@dataclass(frozen=True, slots=True)
class Filters:
    """Which jurisdictions, and which listings count: shared by coverage, timeline and lag."""

    jurisdictions: tuple[str, ...] = ()  # empty: every jurisdiction with a list in the registry
    schema: str | None = None
    theme: str | None = None
    measure: str | None = None


@dataclass(frozen=True, slots=True)
class JurisdictionState:
    """What the loaded lists let reckon say about one jurisdiction."""

    jurisdiction: str
    known: bool  # its list of targeted sanctions is loaded complete (and fresh enough)
    sample: bool  # only a sample of its list is loaded
    summary: str  # e.g. "not listed as of 2024-05-03 (us_ofac_sdn)" or "unknown: its list is not loaded"
    lists: tuple[ListState, ...] = ()


@dataclass(slots=True)
class Combination:
    listed: tuple[str, ...]  # the jurisdictions that list each of its entities
    count: int
    not_listed: tuple[str, ...]  # known jurisdictions outside it
    unknown: tuple[str, ...]  # jurisdictions outside it whose list is not loaded, or only a sample
    # Of its entities, how many are possibly listed / listed under another theme or measure
    # in a jurisdiction outside it: {"us": {"possibly listed": 3}}.
    elsewhere: dict[str, dict[str, int]] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)  # a few captions, alphabetically


@dataclass(slots=True)
class CoverageReport:
    filters: Filters
    jurisdictions: tuple[str, ...]
    states: dict[str, JurisdictionState]
    combinations: list[Combination]  # largest first
    # Entities each jurisdiction lists; None where its list is not loaded whole (unknown, not 0)
    listed: dict[str, int | None]
    sample_listed: dict[str, int]  # of an unknown jurisdiction, the entities its loaded sample lists
    entities: int  # entities listed by at least one jurisdiction


def coverage(
    con: duckdb.DuckDBPyConnection,
    filters: Filters | None = None,
    *,
    max_age_days: int | None = None,
    today: date | None = None,
    examples: int = 3,
) -> CoverageReport:
    """Entities by the exact set of jurisdictions that list them."""
    filters = filters or Filters()
    wanted = check_query(filters)
    statuses = all_statuses(con, jurisdictions=wanted, max_age_days=max_age_days, today=today)
    return coverage_of(statuses, filters, wanted, examples=examples)


def coverage_of(
    statuses: Sequence[EntityStatus], filters: Filters, wanted: Sequence[str], *, examples: int = 3
) -> CoverageReport:
    """`coverage` over statuses already read (pure)."""
    states = jurisdiction_states(statuses, wanted)
    query = GapQuery((), (), filters.schema, filters.theme, filters.measure)
    groups: dict[tuple[str, ...], list[EntityStatus]] = {}
    for st in selected(statuses, filters):
        key = tuple(j for j in wanted if _listed_for(st, j, query))
        if key:
            groups.setdefault(key, []).append(st)
    combos = []
    for key, members in groups.items():
        outside = [j for j in wanted if j not in key]
        elsewhere: dict[str, dict[str, int]] = {}
        for j in outside:
            seen = Counter(_elsewhere(st, j) for st in members)
            seen.pop(None, None)
            if seen:
                elsewhere[j] = {str(k): v for k, v in sorted(seen.items(), key=lambda kv: str(kv[0]))}
        names = sorted({st.caption for st in members}, key=str.casefold)
        combos.append(
            Combination(
                listed=key,
                count=len(members),
                not_listed=tuple(j for j in outside if states[j].known),
                unknown=tuple(j for j in outside if not states[j].known),
                elsewhere=elsewhere,
                examples=names[:examples],
            )
        )
    combos.sort(key=lambda c: (-c.count, len(c.listed), c.listed))
    found = {j: sum(c.count for c in combos if j in c.listed) for j in wanted}
    return CoverageReport(
        filters,
        tuple(wanted),
        states,
        combos,
        {j: n if states[j].known else None for j, n in found.items()},
        {j: n for j, n in found.items() if not states[j].known and n},
        sum(c.count for c in combos),
    )


def _elsewhere(st: EntityStatus, jurisdiction: str) -> str | None:
    status = st.jurisdictions[jurisdiction].status
    if status == POSSIBLY_LISTED:
        return POSSIBLY_LISTED
    if status == LISTED:  # but not under the theme or measure asked for
        return LISTED_OTHERWISE
    return None


def check_query(filters: Filters) -> list[str]:
    """The jurisdictions asked for (all with a list, if none named); QueryError for an
    unknown jurisdiction, theme or measure."""
    from reckon.analysis.taxonomy import measures, themes

    known = sorted({s.jurisdiction for s in sources().values() if s.kind == "list"})
    for j in filters.jurisdictions:
        if j not in known:
            raise QueryError(f"unknown jurisdiction {j!r}; known: {', '.join(known)}")
    if filters.theme is not None and filters.theme not in themes():
        raise QueryError(f"unknown theme {filters.theme!r}; known: {', '.join(themes())}")
    if filters.measure is not None and filters.measure not in measures():
        raise QueryError(f"unknown measure {filters.measure!r}; known: {', '.join(measures())}")
    return list(filters.jurisdictions) or known


def selected(statuses: Sequence[EntityStatus], filters: Filters) -> list[EntityStatus]:
    """The statuses of the schema asked for; QueryError if the store has none of it, so
    that a misspelt schema is an error rather than an empty answer."""
    if filters.schema is None:
        return list(statuses)
    found = [st for st in statuses if st.schema == filters.schema]
    if not found and statuses:
        present = sorted({st.schema for st in statuses})
        raise QueryError(f"no entity of schema {filters.schema!r}; the store has: {', '.join(present)}")
    return found


def of_kind(listing: Listing, filters: Filters) -> bool:
    """Whether a listing is under a programme of the theme and measure asked for: the test
    `gaps` applies to a current listing, for listings that may have ended."""
    if filters.theme is None and filters.measure is None:
        return True
    return any(
        (filters.theme is None or theme == filters.theme)
        and (filters.measure is None or measure == filters.measure)
        for theme, measure in listing.kinds
    )


def jurisdiction_states(
    statuses: Sequence[EntityStatus], wanted: Sequence[str]
) -> dict[str, JurisdictionState]:
    """Whether each jurisdiction's lists allow "not listed", read from the statuses
    themselves: an entity with no record there gets the jurisdiction's own answer, "not
    listed as of …" or "unknown: …", so coverage says exactly what `reckon status` says."""
    out: dict[str, JurisdictionState] = {}
    for j in wanted:
        verdict = next(
            (st.jurisdictions[j] for st in statuses if st.jurisdictions[j].status in (NOT_LISTED, UNKNOWN)),
            None,
        )
        lists = next((tuple(st.jurisdictions[j].lists) for st in statuses if st.jurisdictions[j].lists), ())
        sample = bool(lists) and all(s.complete_as_of is None for s in lists)
        if verdict is not None:
            out[j] = JurisdictionState(j, verdict.status == NOT_LISTED, sample, verdict.summary, lists)
        else:
            # Every entity is listed, delisted or possibly listed there: no answer to read,
            # and none needed for a combination (each holds the jurisdiction), so unknown.
            out[j] = JurisdictionState(j, False, sample, "unknown: no entity without a record there", lists)
    return out
