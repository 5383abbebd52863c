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
from functools import cache, lru_cache
from typing import Any

import duckdb

from reckon.resolve.views import canonical_of, cluster_view, entity_members, is_resolved
from reckon.sources.registry import Source, sources
from reckon.store.listings import key_filter, split_facts

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
    kinds: tuple[tuple[str, str], ...] = ()  # (theme, measure) of its programmes


@dataclass(frozen=True, slots=True)
class PossibleLink:
    record: str  # the record of the jurisdiction's list
    member: str  # the entity's record it is paired with
    score: float
    explanation: str
    # The record the pair is with, when `record` is another member of that record's
    # entity: a pair to one record of an entity is a possible link to all of it.
    via: str | None = None


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
    group, rows = found
    (result,) = _statuses(con, [group], entity, group.members, jurisdictions, max_age_days, today, rows)
    return result


def all_statuses(
    con: duckdb.DuckDBPyConnection,
    *,
    jurisdictions: Sequence[str] | None = None,
    max_age_days: int | None = None,
    today: date | None = None,
    having: Sequence[Sequence[str]] = (),
) -> list[EntityStatus]:
    """`entity_status` of every entity on a list or dataset now, read in one pass: the
    canonical entities of the last `reckon resolve`, and each current record it has not
    seen yet as an entity of its own.

    `having` narrows the entities, in the store, to those with a current record of some
    source of each set (e.g. one set of the UK's lists and one of Australia's): a question
    about a few thousand entities then reads only theirs.
    """
    groups = _all_groups(con, having)
    keys = [m for g in groups for m in g.members] if having else None
    return _statuses(con, groups, None, keys, jurisdictions, max_age_days, today)


@dataclass(frozen=True, slots=True)
class _Group:
    id: str
    members: list[str]
    caption: str
    schema: str


def _statuses(
    con: duckdb.DuckDBPyConnection,
    groups: list[_Group],
    requested: str | None,
    keys: list[str] | None,
    jurisdictions: Sequence[str] | None,
    max_age_days: int | None,
    today: date | None,
    rows: list[_Row] | None = None,
) -> list[EntityStatus]:
    """The statuses of `groups`; `rows`, if given, are the `record_listings` rows of `keys`
    (read already with the group's members)."""
    registry = sources()
    versions = _versions(con)
    states = _states(versions)
    dated = {v: (src, d) for v, src, d, _ in versions}
    listings: dict[str, Listing] = {x.record: x for x in _listings(con, keys, states, dated, rows)}
    possible: dict[str, list[PossibleLink]] = {}
    for link in _possible_links(con, keys):
        possible.setdefault(link.member, []).append(link)
    wanted = jurisdictions or sorted({s.jurisdiction for s in registry.values() if s.kind == "list"})
    own = {j: {n for n, s in registry.items() if s.jurisdiction == j and s.kind == "list"} for j in wanted}
    lists_of = {j: [states[s] for s in sorted(own[j]) if s in states] for j in wanted}
    registered = {j: [registry[s] for s in sorted(own[j])] for j in wanted}
    day = today or date.today()
    # What an entity with no record and no pending pair in a jurisdiction gets there: the
    # same for most entities, so worked out once per jurisdiction.
    baseline = {j: _decide(j, [], [], lists_of[j], registered[j], max_age_days, day) for j in wanted}
    jurisdiction_of = {n: j for j, names in own.items() for n in names}
    allegation_sources = {n for n, s in registry.items() if s.kind == "allegations"}
    out = []
    for g in groups:
        mine = [listings[m] for m in g.members if m in listings]
        by_j: dict[str, tuple[list[Listing], list[PossibleLink]]] = {}
        for x in mine:
            j = jurisdiction_of.get(x.source)
            if j is not None:
                by_j.setdefault(j, ([], []))[0].append(x)
        if any(m in possible for m in g.members):
            inside = set(g.members)
            # One link per outside record, its best: several members may pair with it.
            best: dict[str, PossibleLink] = {}
            for m in g.members:
                for p in possible.get(m, ()):
                    if p.record not in inside and (p.record not in best or p.score > best[p.record].score):
                        best[p.record] = p
            for p in sorted(best.values(), key=lambda p: (-p.score, p.record)):
                j = jurisdiction_of.get(p.record.split(":", 1)[0])
                if j is not None:
                    by_j.setdefault(j, ([], []))[1].append(p)
        result: dict[str, JurisdictionStatus] = {}
        for j in wanted:
            found = by_j.get(j)
            # The baseline is shared: statuses are results, never changed after.
            result[j] = (
                baseline[j]
                if found is None
                else _decide(j, found[0], found[1], lists_of[j], registered[j], max_age_days, day)
            )
        out.append(
            EntityStatus(
                entity=g.id,
                requested=requested or g.id,
                caption=g.caption,
                schema=g.schema,
                members=g.members,
                resolved=g.id.startswith("rk-"),
                jurisdictions=result,
                allegations=[x for x in mine if x.source in allegation_sources],
            )
        )
    return out


def list_states(con: duckdb.DuckDBPyConnection) -> dict[str, ListState]:
    """Every loaded source's version coverage, by source name."""
    return _states(_versions(con))


def _versions(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str, str, bool]]:
    return [
        (int(v), str(src), str(d), bool(complete))
        for v, src, d, complete in con.execute(
            "SELECT version_id, source, version_date, complete FROM versions"
        ).fetchall()
    ]


def _states(versions: list[tuple[int, str, str, bool]]) -> dict[str, ListState]:
    registry = sources()
    by_source: dict[str, list[tuple[str, bool]]] = {}
    for _, src, d, complete in versions:
        by_source.setdefault(src, []).append((d, complete))
    out = {}
    for src, dates in sorted(by_source.items()):
        done = [d for d, complete in dates if complete]
        out[src] = ListState(
            src,
            registry[src].jurisdiction if src in registry else "",
            min(d for d, _ in dates),
            max(d for d, _ in dates),
            max(done) if done else None,
        )
    return out


# A record as status reads it: record, source, first_version, removed_version,
# listing_date, facts, schema, caption (a `record_listings` row).
_Row = tuple[str, str, int, int | None, str | None, str, str, str]
_ROW_COLUMNS = "record, source, first_version, removed_version, listing_date, facts, schema, caption"


def _rows(con: duckdb.DuckDBPyConnection, keys: list[str] | None) -> list[_Row]:
    """The `record_listings` rows of `keys` (of every record if None)."""
    sql = f"SELECT {_ROW_COLUMNS} FROM record_listings"
    params: list[object] = []
    if keys is not None:
        where, params = key_filter("record", keys)
        sql += f" WHERE {where}"
    return [
        (str(k), str(src), int(first), removed, listed, str(facts), str(schema), str(caption))
        for k, src, first, removed, listed, facts, schema, caption in con.execute(sql, params).fetchall()
    ]


def _members(con: duckdb.DuckDBPyConnection, entity: str) -> tuple[_Group, list[_Row]] | None:
    """The entity `entity` stands for, with its members' rows: read together, since an
    entity page asks this of every entity it shows (each query costs ~0.7 ms)."""
    if ":" in entity:
        cid = canonical_of(con, entity)
        if cid is None:  # not resolved (yet): the record is an entity of its own
            rows = _rows(con, [entity])
            return None if not rows else (_Group(entity, [entity], rows[0][7], rows[0][6]), rows)
        members = [
            str(r[0])
            for r in con.execute(
                "SELECT record FROM resolve_records WHERE canonical_id = ?", [cid]
            ).fetchall()
        ]
    else:
        found = entity_members(con, entity)
        if found is None:
            return None
        cid, members = found
    rows = _rows(con, members)
    view = cluster_view(cid, [(r[0], r[6], r[7]) for r in rows])
    return _Group(cid, view.members, view.caption, view.schema), rows


def _all_groups(con: duckdb.DuckDBPyConnection, having: Sequence[Sequence[str]] = ()) -> list[_Group]:
    """Every entity: the canonical ones of the last resolve, then each current record the
    resolution has not seen as one of its own; only those meeting `having`."""
    resolved = is_resolved(con)
    members = (
        "SELECT canonical_id AS gid, record, split_part(record, ':', 1) AS source FROM resolve_records"
        if resolved
        else "SELECT NULL AS gid, NULL AS record, NULL AS source WHERE false"
    )
    sql = (
        f"WITH resolved AS ({members}), "
        "loose AS (SELECT r.record, r.source FROM record_listings r "
        "WHERE r.removed_version IS NULL AND NOT EXISTS (SELECT 1 FROM resolved m WHERE m.record = r.record)), "
        "m AS (SELECT gid, record, source FROM resolved UNION ALL SELECT record, record, source FROM loose)"
    )
    params: list[object] = []
    if having:
        conditions = " AND ".join("bool_or(source IN (SELECT unnest(?::VARCHAR[])))" for _ in having)
        sql += f", chosen AS (SELECT gid FROM m GROUP BY gid HAVING {conditions}) "
        params = [sorted(set(names)) for names in having]
        sql += "SELECT m.gid, m.record, r.schema, r.caption FROM m JOIN chosen USING (gid) "
    else:
        sql += " SELECT m.gid, m.record, r.schema, r.caption FROM m "
    sql += "JOIN record_listings r ON r.record = m.record ORDER BY m.gid, m.record"
    grouped: dict[str, list[tuple[str, str, str]]] = {}
    for gid, record, schema, caption in con.execute(sql, params).fetchall():
        grouped.setdefault(str(gid), []).append((str(record), str(schema), str(caption)))
    out = []
    for gid, rows in grouped.items():
        if len(rows) == 1 and not gid.startswith("rk-"):
            out.append(_Group(gid, [rows[0][0]], rows[0][2], rows[0][1]))
        else:
            view = cluster_view(gid, rows)
            out.append(_Group(gid, view.members, view.caption, view.schema))
    # Canonical entities first, then records on their own, as `reckon clusters` lists them.
    out.sort(key=lambda g: (not g.id.startswith("rk-"), g.id))
    return out


def _listings(
    con: duckdb.DuckDBPyConnection,
    keys: list[str] | None,
    states: dict[str, ListState],
    dated: dict[int, tuple[str, str]],
    rows: list[_Row] | None = None,
) -> list[Listing]:
    """A Listing of each of `keys` (of every record if None), from `record_listings` (or
    from its `rows` of them, read already)."""
    by_source: dict[str, list[tuple[int, str]]] = {}
    for v, (src, d) in sorted(dated.items()):
        by_source.setdefault(src, []).append((v, d))

    @cache
    def last_with(source: str, removed: int | None) -> str:
        """The newest version of `source` that still had a record removed by `removed`."""
        return max(d for v, d in by_source[source] if removed is None or v < removed)

    out = []
    if rows is None:  # without the captions: every record's would take ~15 MB at once
        sql = (
            "SELECT record, source, first_version, removed_version, listing_date, facts FROM record_listings"
        )
        params: list[object] = []
        if keys is not None:
            where, params = key_filter("record", keys)
            sql += f" WHERE {where}"
        found: list[tuple[Any, ...]] = con.execute(sql, params).fetchall()
    else:
        found = list(rows)
    for key, source, first, removed, listed, text, *_ in found:
        state = states.get(source)
        entered = dated[first][1]
        if listed:
            since, basis = str(listed), SINCE_LIST
        elif state is not None and entered > state.first_version:
            since, basis = entered, SINCE_HISTORY
        else:
            since, basis = (state.first_version if state else entered), SINCE_ON_OR_BEFORE
        facts = split_facts(text)
        programs = facts["program"]
        authorities = facts["authority"]
        out.append(
            Listing(
                record=key,
                source=source,
                on_list=removed is None,
                since=since,
                since_basis=basis,
                removed_on=dated[removed][1] if removed is not None else None,
                programs=programs,
                authorities=authorities,
                legal_basis=facts["summary"],
                reasons=facts["reason"],
                version=last_with(source, removed),
                kinds=_kinds(source, programs, authorities, facts["authorityId"]),
            )
        )
    out.sort(key=lambda x: x.record)
    return out


def _kinds(
    source: str, programs: tuple[str, ...], authorities: tuple[str, ...], authority_ids: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    """(theme, measure) of each of a record's programmes (see analysis/taxonomy.py)."""
    authority_id = authority_ids[0] if authority_ids and _uses_authority_id(source) else None
    return _kinds_of(source, programs, authorities[0] if authorities else None, authority_id)


@cache
def _uses_authority_id(source: str) -> bool:
    from reckon.analysis.taxonomy import uses_authority_id

    return uses_authority_id(source)


@lru_cache(maxsize=4096)
def _kinds_of(
    source: str, programs: tuple[str, ...], authority: str | None, authority_id: str | None
) -> tuple[tuple[str, str], ...]:
    # A list has a few hundred combinations of programmes and parts: classify each once.
    from reckon.analysis.taxonomy import classify

    found = {
        (p.theme, p.measure)
        for code in programs or ("",)
        if (p := classify(source, code, authority=authority, authority_id=authority_id)) is not None
    }
    return tuple(sorted(found))


def _possible_links(con: duckdb.DuckDBPyConnection, keys: list[str] | None) -> list[PossibleLink]:
    """Pairs resolution left for review between a record of `keys` (or any) and a record
    that is on its list now, in both directions."""
    select = "SELECT left_key, right_key, score, explanation, decision FROM resolve_pairs"
    params: list[object] = []
    if keys is None:
        sql = f"{select} WHERE decision = 'review'"
    elif len(keys) <= 256:
        # One IN list per side, each answered from its index (DuckDB scans the table when
        # the decision or an OR is in the filter too: the decision is checked below).
        left, lparams = key_filter("left_key", keys)
        right, rparams = key_filter("right_key", keys)
        sql = f"{select} WHERE {left} UNION ALL {select} WHERE {right}"
        params = [*lparams, *rparams]
    else:
        left, lparams = key_filter("left_key", keys)
        right, rparams = key_filter("right_key", keys)
        sql = f"{select} WHERE decision = 'review' AND ({left} OR {right})"
        params = [*lparams, *rparams]
    pairs = sorted({p[:4] for p in con.execute(sql, params).fetchall() if p[4] == "review"})
    if not pairs:
        return []
    paired = sorted({str(k) for p in pairs for k in p[:2]})
    peers = _entity_peers(con, paired)
    current_sql = "SELECT record FROM record_listings WHERE removed_version IS NULL"
    cparams: list[object] = []
    if keys is not None:
        where, cparams = key_filter("record", sorted(set(paired).union(*peers.values())))
        current_sql += f" AND {where}"
    current = {str(r[0]) for r in con.execute(current_sql, cparams).fetchall()}
    links = []
    for left, right, score, why in pairs:
        if left not in current or right not in current:
            continue
        for member, other in ((left, right), (right, left)):
            links.append(PossibleLink(str(other), str(member), float(score), str(why)))
            links.extend(
                PossibleLink(peer, str(member), float(score), str(why), via=str(other))
                for peer in sorted(peers.get(other, ()))
                if peer in current and peer != member
            )
    return links


def _entity_peers(con: duckdb.DuckDBPyConnection, records: list[str]) -> dict[str, set[str]]:
    """The other members of each record's canonical entity."""
    if not records or not is_resolved(con):
        return {}
    where, params = key_filter("record", records)
    entity_of = dict(
        con.execute(f"SELECT record, canonical_id FROM resolve_records WHERE {where}", params).fetchall()
    )
    ids = sorted(set(entity_of.values()))
    if not ids:
        return {}
    if len(ids) <= 16:  # one equality per entity, each answered from the canonical_id index
        sql = " UNION ALL ".join(
            "SELECT canonical_id, record FROM resolve_records WHERE canonical_id = ?" for _ in ids
        )
        members = con.execute(sql, ids).fetchall()
    else:
        where, params = key_filter("canonical_id", ids)
        members = con.execute(
            f"SELECT canonical_id, record FROM resolve_records WHERE {where}", params
        ).fetchall()
    by_entity: dict[str, list[str]] = {}
    for cid, record in members:
        by_entity.setdefault(str(cid), []).append(str(record))
    return {
        str(r): {m for m in by_entity[str(cid)] if m != r}
        for r, cid in entity_of.items()
        if len(by_entity.get(str(cid), ())) > 1
    }


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
        through = f" (of one entity with {best.via})" if best.via else ""
        status.summary = (
            f"possibly listed: {best.record}{through} pairs with {best.member} at {best.score:.2f}, undecided"
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
