"""What deciding a mention needs from the store, asked once and kept with the gazetteer:
the prepared records (from the match index), the canonical entity of each record, token
frequencies (the scorer's weights) and the status of each entity per jurisdiction.

Each query runs on a cursor of its own, so one loaded gazetteer may serve several threads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import duckdb

from reckon.analysis.status import entity_status
from reckon.match.index import for_query, merged, token_weight
from reckon.match.prepare import Prepared
from reckon.resolve.views import cluster_view
from reckon.screening import resolved
from reckon.stored_index import prepared_entities

from .model import StatusLine


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical entity (or a record where the store is not resolved), ready to score."""

    id: str
    schema: str
    caption: str
    records: tuple[str, ...]
    members: tuple[Prepared, ...]
    whole: Prepared  # the members merged (match.index.merged)

    def for_query(self, q: Prepared) -> Prepared:
        return for_query(q, self.whole, self.members)


@dataclass(slots=True)
class Lookups:
    con: duckdb.DuckDBPyConnection
    _entity_of: dict[str, str] | None = None
    _members: dict[str, list[str]] = field(default_factory=dict)
    _prepared: dict[str, Prepared] = field(default_factory=dict)
    _entities: dict[str, Entity] = field(default_factory=dict)
    _df: dict[str, int] | None = None
    _n: int = 1
    _status: dict[str, tuple[StatusLine, ...]] = field(default_factory=dict)
    _lists: dict[str, str] | None = None
    _values: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        cur = self.con.cursor()
        try:
            return cur.execute(sql, params).fetchall()
        finally:
            cur.close()

    def entity_of(self, record: str) -> str:
        if self._entity_of is None:
            cur = self.con.cursor()
            try:
                rows = (
                    cur.execute("SELECT record, canonical_id FROM resolve_records").fetchall()
                    if resolved(cur)
                    else []
                )
            finally:
                cur.close()
            self._entity_of = {str(r): str(c) for r, c in rows}
            for r, c in self._entity_of.items():
                self._members.setdefault(c, []).append(r)
        return self._entity_of.get(record, record)

    def entities(self, records: Iterable[str]) -> list[Entity]:
        """The entities of `records`, each once, in the order first met."""
        ids = list(dict.fromkeys(self.entity_of(r) for r in records))
        wanted = [m for e in ids if e not in self._entities for m in self._members.get(e, [e])]
        self._fetch(wanted)
        out = []
        for e in ids:
            found = self._entities.get(e)
            if found is None:
                members = tuple(
                    self._prepared[m] for m in sorted(self._members.get(e, [e])) if m in self._prepared
                )
                if not members:
                    continue  # a record removed since the gazetteer was built
                if len(members) == 1 and e not in self._members:
                    schema, caption = members[0].schema, members[0].caption
                else:
                    view = cluster_view(e, [(m.id or "", m.schema, m.caption) for m in members])
                    schema, caption = view.schema, view.caption
                whole = merged(e, schema, caption, members)
                found = self._entities[e] = Entity(
                    e, schema, caption, tuple(m.id or "" for m in members), members, whole
                )
            out.append(found)
        return out

    def _fetch(self, records: list[str]) -> None:
        missing = sorted({r for r in records if r not in self._prepared})
        if not missing:
            return
        cur = self.con.cursor()
        try:
            for p in prepared_entities(cur, missing):
                if p.id:
                    self._prepared[p.id] = p
        finally:
            cur.close()

    def weigh(self, token: str) -> float:
        """The scorer's weight of a name token, by its frequency in the index."""
        if self._df is None:
            self._df = {str(t): int(str(d)) for t, d in self._query("SELECT token, df FROM match_tokens")}
            row = self._query("SELECT coalesce(max(entities), 1) FROM match_state")
            self._n = max(int(str(row[0][0])), 1)
        return token_weight(self._df.get(token, 0), self._n)

    def df(self, token: str) -> int:
        self.weigh(token)
        assert self._df is not None
        return self._df.get(token, 0)

    def values(self, entity: Entity, prop: str) -> tuple[str, ...]:
        """The current values of `prop` in the records of `entity` (a vessel's type):
        evidence the prepared names do not carry, read for the few candidates a text
        leaves in doubt."""
        key = (entity.id, prop)
        found = self._values.get(key)
        if found is None:
            pairs = [r.split(":", 1) for r in entity.records if ":" in r]
            rows = (
                self._query(
                    "SELECT DISTINCT value FROM statements WHERE until_version IS NULL AND prop = ? "
                    "AND (source, record_id) IN (SELECT * FROM (VALUES "
                    + ", ".join("(?, ?)" for _ in pairs)
                    + "))",
                    [prop, *(x for pair in pairs for x in pair)],
                )
                if pairs
                else []
            )
            found = self._values[key] = tuple(sorted(str(v) for (v,) in rows))
        return found

    def status(self, entity: str) -> tuple[StatusLine, ...]:
        found = self._status.get(entity)
        if found is None:
            cur = self.con.cursor()
            try:
                st = entity_status(cur, entity)
            finally:
                cur.close()
            found = (
                ()
                if st is None
                else tuple(
                    StatusLine(j.jurisdiction, j.status, j.summary)
                    for j in sorted(st.jurisdictions.values(), key=lambda j: j.jurisdiction)
                )
            )
            self._status[entity] = found
        return found

    def lists(self) -> dict[str, str]:
        """Each loaded source's newest version date: what the statuses are as of."""
        if self._lists is None:
            self._lists = {
                str(s): str(d)
                for s, d in self._query(
                    "SELECT source, max(version_date) FROM versions GROUP BY 1 ORDER BY 1"
                )
            }
        return self._lists
