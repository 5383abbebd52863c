"""Where an entity is listed: its status in each jurisdiction, with evidence and a date.

The one function every surface calls (`entity_status`). Five statuses, each true as of a
stated list version and traceable to records:

- listed: a member record is on a list of the jurisdiction now; since when, and how that
  date is known (the list states it; the loaded history shows the version it entered;
  or only "on or before" the first loaded version);
- delisted: every member record of the jurisdiction has left its list (when: the first
  version without it);
- possibly listed: no member record is on a list of the jurisdiction, but a pending
  review pair links the entity to a record that is. Shown with that record and its
  score, never counted as "not listed";
- not listed: the jurisdiction's list of targeted sanctions (`primary` in the registry)
  is loaded complete, fresh enough, and nothing above holds; always "as of" its version;
- unknown: otherwise (no list loaded, only a sample, or older than the freshness limit).

Datasets of documented or alleged responsibility (`kind = "allegations"`) are never a
jurisdiction's status: they come back apart, as allegations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import duckdb

from reckon.resolve.views import canonical_of, clusters, follow
from reckon.sources.registry import Source, sources

LISTED = "listed"
DELISTED = "delisted"
POSSIBLY_LISTED = "possibly listed"
NOT_LISTED = "not listed"
UNKNOWN = "unknown"

# How a "since" date is known.
SINCE_LIST = "stated by the list"
SINCE_HISTORY = "first version with the record"
SINCE_ON_OR_BEFORE = "on the list on or before"


@dataclass(frozen=True, slots=True)
class ListState:
    """What the loaded versions of one source allow reckon to say."""

    source: str
    jurisdiction: str
    first_version: str  # date of the oldest loaded version: the history starts there
    latest_version: str
    complete_as_of: str | None  # date of the newest complete version; None if only samples


@dataclass(frozen=True, slots=True)
class Listing:
    """One member record on one list, with the evidence for its dates."""

    record: str  # source:record_id
    source: str
    on_list: bool
    since: str | None
    since_basis: str  # SINCE_LIST, SINCE_HISTORY or SINCE_ON_OR_BEFORE
    removed_on: str | None  # date of the first version without the record
    programs: tuple[str, ...]
    authorities: tuple[str, ...]
    legal_basis: tuple[str, ...]
    reasons: tuple[str, ...]
    version: str  # date of the newest version the evidence is read from


@dataclass(frozen=True, slots=True)
class PossibleLink:
    record: str  # the record of the jurisdiction's list
    member: str  # the entity's record it is paired with
    score: float
    explanation: str


@dataclass(slots=True)
class JurisdictionStatus:
    jurisdiction: str
    status: str
    as_of: str | None  # the list version date the status holds as of
    summary: str  # one line, e.g. "not listed as of 2024-05-03 (us_ofac_sdn)"
    listings: list[Listing] = field(default_factory=list)
    possible: list[PossibleLink] = field(default_factory=list)
    lists: list[ListState] = field(default_factory=list)


@dataclass(slots=True)
class EntityStatus:
    entity: str  # the canonical id, or the record key where the store is not resolved
    requested: str
    caption: str
    schema: str
    members: list[str]
    resolved: bool
    jurisdictions: dict[str, JurisdictionStatus]
    allegations: list[Listing]


def entity_status(
    con: duckdb.DuckDBPyConnection,
    entity: str,
    *,
    jurisdictions: Sequence[str] | None = None,
    max_age_days: int | None = None,
    today: date | None = None,
) -> EntityStatus | None:
    """The status of `entity` (a canonical id `rk-…` or a record `source:id`) in every
    jurisdiction with a list in the registry (or those named); None if no such entity.

    A list whose newest complete version is older than `max_age_days` (before `today`)
    makes its jurisdiction unknown rather than "not listed".
    """
    found = _members(con, entity)
    if found is None:
        return None
    cid, members, caption, schema = found
    registry = sources()
    states = list_states(con)
    listings = _listings(con, members, states)
    wanted = jurisdictions or sorted({s.jurisdiction for s in registry.values() if s.kind == "list"})
    possible = _possible_links(con, members)
    result: dict[str, JurisdictionStatus] = {}
    for j in wanted:
        own = {name for name, s in registry.items() if s.jurisdiction == j and s.kind == "list"}
        result[j] = _decide(
            j,
            [x for x in listings if x.source in own],
            [p for p in possible if p.record.split(":", 1)[0] in own],
            [states[s] for s in sorted(own) if s in states],
            [registry[s] for s in sorted(own)],
            max_age_days,
            today or date.today(),
        )
    allegations = [x for x in listings if registry.get(x.source, _LIST).kind == "allegations"]
    return EntityStatus(
        entity=cid,
        requested=entity,
        caption=caption,
        schema=schema,
        members=members,
        resolved=cid.startswith("rk-"),
        jurisdictions=result,
        allegations=allegations,
    )


_LIST = Source("", "", "", "", "", "", (), {})


def list_states(con: duckdb.DuckDBPyConnection) -> dict[str, ListState]:
    """Every loaded source's version coverage, by source name."""
    registry = sources()
    rows = con.execute(
        "SELECT source, min(version_date), max(version_date), max(version_date) FILTER (WHERE complete) "
        "FROM versions GROUP BY source"
    ).fetchall()
    return {
        str(s): ListState(
            str(s),
            registry[str(s)].jurisdiction if str(s) in registry else "",
            str(first),
            str(latest),
            str(complete) if complete is not None else None,
        )
        for s, first, latest, complete in rows
    }


def _members(con: duckdb.DuckDBPyConnection, entity: str) -> tuple[str, list[str], str, str] | None:
    """(canonical id or record key, member records, caption, schema)."""
    if ":" in entity:
        cid = canonical_of(con, entity)
        if cid is None:  # not resolved (yet): the record is an entity of its own
            row = con.execute(
                "SELECT schema, coalesce(caption, '') FROM records WHERE source || ':' || record_id = ?",
                [entity],
            ).fetchone()
            return None if row is None else (entity, [entity], str(row[1]), str(row[0]))
    else:
        cid = follow(con, entity)
        if cid is None:
            return None
    (view,) = clusters(con, ids=[cid])
    return cid, view.members, view.caption, view.schema


def _listings(
    con: duckdb.DuckDBPyConnection, members: list[str], states: dict[str, ListState]
) -> list[Listing]:
    rows = con.execute(
        "SELECT r.source, r.record_id, fv.version_date, rv.version_date, r.removed_version, "
        "(SELECT max(version_date) FROM versions v WHERE v.source = r.source "
        " AND (r.removed_version IS NULL OR v.version_id < r.removed_version)) "
        "FROM records r JOIN versions fv ON fv.version_id = r.first_version "
        "LEFT JOIN versions rv ON rv.version_id = r.removed_version "
        "WHERE r.source || ':' || r.record_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY 1, 2",
        [members],
    ).fetchall()
    sanctions = _sanctions(con, members)
    out = []
    for source, rid, entered, removed_on, removed_version, seen in rows:
        key = f"{source}:{rid}"
        facts = sanctions.get(key, {})
        stated = sorted(d for d in facts.get("listingDate", []) if d)
        state = states.get(str(source))
        if stated:
            since, basis = stated[0], SINCE_LIST
        elif state is not None and str(entered) > state.first_version:
            since, basis = str(entered), SINCE_HISTORY
        else:
            since, basis = (state.first_version if state else str(entered)), SINCE_ON_OR_BEFORE
        out.append(
            Listing(
                record=key,
                source=str(source),
                on_list=removed_version is None,
                since=since,
                since_basis=basis,
                removed_on=str(removed_on) if removed_on is not None else None,
                programs=tuple(sorted(set(facts.get("program", [])))),
                authorities=tuple(sorted(set(facts.get("authority", [])))),
                legal_basis=tuple(sorted(set(facts.get("summary", [])))),
                reasons=tuple(sorted(set(facts.get("reason", [])))),
                version=str(seen),
            )
        )
    return out


def _sanctions(con: duckdb.DuckDBPyConnection, members: list[str]) -> dict[str, dict[str, list[str]]]:
    """The Sanction facts of each member: current ones, or for a record off its list,
    those it had when it left."""
    rows = con.execute(
        "SELECT s.source || ':' || s.record_id, s.prop, s.value FROM statements s "
        "JOIN records r ON r.source = s.source AND r.record_id = s.record_id "
        "WHERE s.schema = 'Sanction' AND s.source || ':' || s.record_id IN (SELECT unnest(?::VARCHAR[])) "
        "AND ((r.removed_version IS NULL AND s.until_version IS NULL) OR s.until_version = r.removed_version)",
        [members],
    ).fetchall()
    out: dict[str, dict[str, list[str]]] = {}
    for key, prop, value in rows:
        out.setdefault(str(key), {}).setdefault(str(prop), []).append(str(value))
    return out


def _possible_links(con: duckdb.DuckDBPyConnection, members: list[str]) -> list[PossibleLink]:
    """Pairs resolution left for review between a member and a record outside the entity
    that is on its list now."""
    rows = con.execute(
        "SELECT p.left_key, p.right_key, p.score, p.explanation FROM resolve_pairs p "
        "WHERE p.decision = 'review' AND (p.left_key IN (SELECT unnest(?::VARCHAR[])) "
        "OR p.right_key IN (SELECT unnest(?::VARCHAR[])))",
        [members, members],
    ).fetchall()
    inside = set(members)
    links = []
    for left, right, score, why in rows:
        member, other = (left, right) if left in inside else (right, left)
        if other in inside:
            continue
        links.append(PossibleLink(str(other), str(member), float(score), str(why)))
    if not links:
        return []
    current = {
        str(k)
        for (k,) in con.execute(
            "SELECT source || ':' || record_id FROM records WHERE removed_version IS NULL "
            "AND source || ':' || record_id IN (SELECT unnest(?::VARCHAR[]))",
            [[p.record for p in links]],
        ).fetchall()
    }
    return sorted((p for p in links if p.record in current), key=lambda p: (-p.score, p.record))


def _decide(
    jurisdiction: str,
    listings: list[Listing],
    possible: list[PossibleLink],
    states: list[ListState],
    registered: list[Source],
    max_age_days: int | None,
    today: date,
) -> JurisdictionStatus:
    status = JurisdictionStatus(jurisdiction, UNKNOWN, None, "", listings, possible, states)
    current = [x for x in listings if x.on_list]
    if current:
        first = min(current, key=lambda x: x.since or "")
        status.status, status.as_of = LISTED, max(x.version for x in current)
        basis = {
            SINCE_LIST: "",
            SINCE_HISTORY: " (first version with the record)",
            SINCE_ON_OR_BEFORE: " (on or before: the first loaded version)",
        }[first.since_basis]
        status.summary = f"listed since {first.since}{basis}, as of {status.as_of} ({first.record})"
        return status
    if listings:
        last = max(listings, key=lambda x: x.removed_on or "")
        status.status, status.as_of = DELISTED, last.removed_on
        status.summary = f"delisted: absent from the version of {last.removed_on} ({last.record})"
        return status
    if possible:
        best = possible[0]
        status.status = POSSIBLY_LISTED
        status.summary = (
            f"possibly listed: {best.record} pairs with {best.member} at {best.score:.2f}, undecided"
        )
        return status
    primary = {s.name for s in registered if s.primary}
    usable = [s for s in states if s.source in primary and s.complete_as_of]
    if not usable:
        loaded = [s for s in states if s.source in primary]
        status.summary = (
            "unknown: only a sample of the list is loaded" if loaded else "unknown: its list is not loaded"
        )
        return status
    best_state = max(usable, key=lambda s: s.complete_as_of or "")
    as_of = best_state.complete_as_of
    assert as_of is not None
    if max_age_days is not None and (today - date.fromisoformat(as_of[:10])).days > max_age_days:
        status.as_of = as_of
        status.summary = f"unknown: the list loaded is of {as_of[:10]}, older than {max_age_days} days"
        return status
    status.status, status.as_of = NOT_LISTED, as_of
    status.summary = f"not listed as of {as_of[:10]} ({best_state.source})"
    return status
