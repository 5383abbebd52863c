"""The match index kept in the store: every current record's prepared form, the
blocking keys that point at it and the frequency of each name token.

Preparing names (parsing, romanising, keys) is the costly step of building an index,
about 15 s for the 51,000 bundled records. So each record is prepared once per
version of its facts: `refresh_index` runs after every ingest and prepares only the
records whose digest changed since; the screening index, the one-query path and
resolution then read the stored forms (`prepared_entities`) instead of preparing again.

Stored forms are only trusted if they were made by the same rules: `fingerprint`
changes with reckon's name rules and tables, and a store prepared by another version
is prepared again on the next refresh (readers fall back to preparing in memory).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from itertools import chain

import duckdb

from reckon.match.index import entity_keys
from reckon.match.prepare import Prepared, prepare
from reckon.match.serial import FORMAT, decoder, encode
from reckon.store.importer import bulk_insert
from reckon.store.queries import key_filter, matching_entities
from reckon.store.schema import current_version

# What preparation depends on, in the package: the name rules and their tables, the
# preparing code, and the properties read from the store.
_RULE_FILES = (
    ("names", ".py"),
    ("data/names", ".tsv"),
    ("match/prepare.py", ""),
    ("match/identifiers.py", ""),
    ("match/serial.py", ""),
    ("store/queries.py", ""),
    ("model.py", ""),
)
_SCHEMA_WITH_PREPARED = 4


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A digest of everything a prepared form depends on (see the module docstring)."""
    h = hashlib.blake2b(digest_size=12)
    h.update(f"{FORMAT} {unicodedata.unidata_version}".encode())
    package = resources.files("reckon")
    for path, suffix in _RULE_FILES:
        node = package.joinpath(path)
        files = (
            [node]
            if not suffix
            else sorted((f for f in node.iterdir() if f.name.endswith(suffix)), key=lambda f: f.name)
        )
        for f in files:
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def _store_version(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT coalesce(max(version_id), 0) FROM versions").fetchone()
    return int(row[0]) if row else 0


def index_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Were the stored index and prepared forms built from the current lists, by these rules?"""
    if current_version(con) < _SCHEMA_WITH_PREPARED:
        return False
    row = con.execute("SELECT max(version_id), max(fingerprint) FROM match_state").fetchone()
    return bool(row and row[0] is not None and int(row[0]) == _store_version(con) and row[1] == fingerprint())


def refresh_index(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the stored index up to date with the lists; returns the entities indexed.

    Only records that are new, changed, or were prepared by other rules are prepared;
    keys and token frequencies are then recounted over all, in one transaction.
    """
    if index_is_current(con):
        row = con.execute("SELECT entities FROM match_state").fetchone()
        return int(row[0]) if row else 0
    digests = dict(
        con.execute(
            "SELECT source || ':' || record_id, digest FROM records WHERE removed_version IS NULL"
        ).fetchall()
    )
    row = con.execute("SELECT max(fingerprint) FROM match_state").fetchone()
    same_rules = bool(row and row[0] == fingerprint())
    kept = dict(con.execute("SELECT entity, digest FROM match_prepared").fetchall()) if same_rules else {}
    stale = sorted(k for k, d in digests.items() if kept.get(k) != d)
    reuse = sorted(k for k in kept if digests.get(k) == kept[k])
    everything = not reuse
    fresh = [prepare(e) for e in matching_entities(con, None if everything else stale)]
    new_rows = [(p.id, digests[p.id], encode(p)) for p in fresh if p.id is not None]
    key_rows: list[tuple[str, str]] = []
    df: Counter[str] = Counter()
    for p in chain(fresh, [] if everything else _stored(con, reuse)):
        assert p.id is not None
        key_rows.extend((k, p.id) for k in entity_keys(p))
        df.update({t.key for n in p.names for t in n.tokens})
    key_rows.sort()
    entities = len(fresh) + len(reuse)
    con.execute("BEGIN TRANSACTION")
    try:
        if everything:
            con.execute("DELETE FROM match_prepared")
        else:
            gone = sorted(set(kept) - set(reuse))
            con.execute("DELETE FROM match_prepared WHERE entity IN (SELECT unnest(?::VARCHAR[]))", [gone])
        if new_rows:
            # Bound as lists: bulk_insert's CSV cannot carry bytes.
            con.execute(
                "INSERT INTO match_prepared SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::BLOB[])",
                [list(column) for column in zip(*new_rows, strict=True)],
            )
        con.execute("DELETE FROM match_keys")
        con.execute("DELETE FROM match_tokens")
        con.execute("DELETE FROM match_state")
        bulk_insert(con, "match_keys", ("key", "entity"), key_rows)
        bulk_insert(con, "match_tokens", ("token", "df"), sorted(df.items()))
        con.execute(
            "INSERT INTO match_state VALUES (?, ?, ?)", [_store_version(con), entities, fingerprint()]
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return entities


def _stored(
    con: duckdb.DuckDBPyConnection,
    keys: list[str] | None = None,
    decode: Callable[[bytes], Prepared] | None = None,
) -> Iterator[Prepared]:
    """Stored forms in the order they were stored (not sorted: DuckDB would hold all
    25 MB of them to sort, at the moment the index is being built)."""
    where, params = key_filter(keys, "entity")
    cur = con.cursor()
    cur.execute(f"SELECT data FROM match_prepared WHERE true{where}", params)
    decode = decode or decoder()
    while rows := cur.fetchmany(10_000):
        for (data,) in rows:
            yield decode(data)


@contextmanager
def small_buffer(con: duckdb.DuckDBPyConnection, limit: str = "16MB") -> Iterator[None]:
    """DuckDB's memory limit lowered for a while. Its buffer pool keeps the blocks a
    query read until the limit presses; reading every prepared record kept ~40 MB of
    them besides the index built from them by `prepared_entities` (the index process peaked at 301 MB, 262 MB
    with this; ~29 MB at 32MB)."""
    before = con.execute("SELECT current_setting('memory_limit')").fetchone()
    con.execute(f"SET memory_limit = '{limit}'")
    try:
        yield
    finally:
        if before is not None:
            con.execute(f"SET memory_limit = '{before[0]}'")


def prepared_entities(
    con: duckdb.DuckDBPyConnection, keys: list[str] | None = None, *, lean: bool = False
) -> list[Prepared]:
    """Current records (all, or `keys`), prepared, in key order: read from the store when
    its index is current, else prepared now (a read-only store left stale by an upgrade).
    `lean`: read with DuckDB's buffer pool kept small (see `small_buffer`), for a process
    that keeps the index in memory for long."""
    if index_is_current(con):
        if lean:
            try:
                with small_buffer(con):
                    return sorted(_stored(con, keys), key=_key)
            except duckdb.OutOfMemoryException:
                pass  # a transaction's own uncommitted rows count against the limit
        return sorted(_stored(con, keys), key=_key)
    return [prepare(e) for e in matching_entities(con, keys)]


def record_heads(con: duckdb.DuckDBPyConnection) -> list[Prepared]:
    """Every current record as `prepared_entities` gives it but without names (see
    serial.decoder), in key order: cheap enough to read whole for a small update."""
    if index_is_current(con):
        return sorted(_stored(con, None, decoder(names=False)), key=_key)
    return [replace(p, names=()) for p in prepared_entities(con)]


def _key(p: Prepared) -> str:
    return p.id or ""


def stored_postings(con: duckdb.DuckDBPyConnection, keys: Iterable[str]) -> dict[str, list[str]]:
    """The entities (`source:id`, sorted) carrying each of `keys`, from the stored index."""
    return {
        str(key): [str(e) for e in entities]
        for key, entities in con.execute(
            "SELECT key, list(entity ORDER BY entity) FROM match_keys "
            "WHERE key IN (SELECT unnest(?::VARCHAR[])) GROUP BY key",
            [sorted(set(keys))],
        ).fetchall()
    }
