"""The DuckDB schema and its migrations.

Each migration is a list of SQL statements applied once, in order, inside one
transaction; `meta.schema_version` records how far a database has got.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

DEFAULT_DB = "reckon.duckdb"

MIGRATIONS: list[list[str]] = [
    # 1: list versions, records, statements with validity intervals, change log.
    [
        """CREATE TABLE versions (
            version_id INTEGER PRIMARY KEY,
            source VARCHAR NOT NULL,
            version_date VARCHAR NOT NULL,   -- ISO date or datetime; orders versions of a source
            date_origin VARCHAR NOT NULL,    -- file | filename | option | content | imported
            published VARCHAR,               -- the date the publisher stamped inside the file
            complete BOOLEAN NOT NULL,       -- false for samples and partial files: no removals
            format VARCHAR NOT NULL,
            file_name VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            imported_at TIMESTAMP NOT NULL,
            record_count INTEGER NOT NULL,
            added INTEGER NOT NULL,
            amended INTEGER NOT NULL,
            removed INTEGER NOT NULL,
            warnings VARCHAR[]
        )""",
        """CREATE TABLE records (
            source VARCHAR NOT NULL,
            record_id VARCHAR NOT NULL,
            schema VARCHAR NOT NULL,
            caption VARCHAR,
            first_version INTEGER NOT NULL,    -- when it (last) entered the list
            removed_version INTEGER,           -- set while absent from the latest complete version
            digest VARCHAR NOT NULL,
            PRIMARY KEY (source, record_id)
        )""",
        # A statement is valid from first_version until (excluding) until_version;
        # NULL until_version means it is in the latest version of its source.
        """CREATE TABLE statements (
            id VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            record_id VARCHAR NOT NULL,
            entity_id VARCHAR NOT NULL,
            schema VARCHAR NOT NULL,
            prop VARCHAR NOT NULL,
            value VARCHAR NOT NULL,
            lang VARCHAR,
            original_value VARCHAR,
            detail VARCHAR,
            first_version INTEGER NOT NULL,
            until_version INTEGER
        )""",
        """CREATE TABLE changes (
            version_id INTEGER NOT NULL,
            source VARCHAR NOT NULL,
            record_id VARCHAR NOT NULL,
            change VARCHAR NOT NULL,          -- added | amended | removed
            fields VARCHAR[]
        )""",
        "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    ],
    # 2: the screening index, derived from current records (rebuilt, never edited).
    [
        "CREATE TABLE match_keys (key VARCHAR NOT NULL, entity VARCHAR NOT NULL)",
        "CREATE TABLE match_tokens (token VARCHAR NOT NULL, df INTEGER NOT NULL)",
        "CREATE TABLE match_state (version_id INTEGER NOT NULL, entities INTEGER NOT NULL)",
    ],
    # 3: resolution. `judgements` is an append-only log written by people: nothing in
    # reckon updates or deletes its rows. The `resolve_*` tables are derived state,
    # rewritten by each `resolve` in one transaction.
    [
        """CREATE TABLE judgements (
            event_id VARCHAR PRIMARY KEY,     -- content hash: importing an event twice is a no-op
            left_key VARCHAR NOT NULL,        -- source:record_id, left_key < right_key
            right_key VARCHAR NOT NULL,
            verdict VARCHAR NOT NULL,         -- same | different | unsure | undo
            user_name VARCHAR NOT NULL,
            created_at VARCHAR NOT NULL,      -- ISO 8601 UTC with microseconds; orders a pair's events
            note VARCHAR
        )""",
        """CREATE TABLE resolve_records (
            record VARCHAR PRIMARY KEY,       -- source:record_id of a current record
            digest VARCHAR NOT NULL,          -- records.digest when it was last paired
            canonical_id VARCHAR NOT NULL
        )""",
        """CREATE TABLE resolve_pairs (
            left_key VARCHAR NOT NULL,
            right_key VARCHAR NOT NULL,
            score DOUBLE NOT NULL,
            rule VARCHAR NOT NULL,            -- 'score' or the strong-evidence rule that linked them
            explanation VARCHAR NOT NULL,
            decision VARCHAR NOT NULL,        -- merged | review | refused | judged
            reason VARCHAR,                   -- why a merge was refused
            PRIMARY KEY (left_key, right_key)
        )""",
        """CREATE TABLE resolve_redirects (
            old_id VARCHAR PRIMARY KEY,
            new_id VARCHAR NOT NULL,
            run INTEGER NOT NULL
        )""",
        """CREATE TABLE resolve_runs (
            run INTEGER PRIMARY KEY,
            finished_at TIMESTAMP NOT NULL,
            full_run BOOLEAN NOT NULL,
            records INTEGER NOT NULL,
            repaired INTEGER NOT NULL,        -- records (re)paired in this run
            pairs_scored INTEGER NOT NULL,
            clusters INTEGER NOT NULL,
            seconds DOUBLE NOT NULL
        )""",
    ],
    # 4: each current record's prepared matching form (see reckon/stored_index.py),
    # kept until the record's facts or reckon's name rules change.
    [
        "CREATE TABLE match_prepared (entity VARCHAR NOT NULL, digest VARCHAR NOT NULL, data BLOB NOT NULL)",
        "ALTER TABLE match_state ADD COLUMN fingerprint VARCHAR",
    ],
]

SCHEMA_VERSION = len(MIGRATIONS)


def db_path(path: str | Path | None = None) -> Path:
    return Path(path or os.environ.get("RECKON_DB") or DEFAULT_DB)


def connect(path: str | Path | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating and migrating if needed) the store."""
    target = db_path(path)
    if read_only and target.exists():
        con = duckdb.connect(str(target), read_only=True, config=_config())
        _check_version(con, target)
        return con
    if str(target) != ":memory:":
        target.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(target), config=_config())
    migrate(con)
    return con


def _config() -> dict[str, str | bool | int | float | list[str]]:
    # RECKON_THREADS=1 pins DuckDB to one core, as the benchmarks do.
    threads = os.environ.get("RECKON_THREADS")
    return {"threads": int(threads)} if threads else {}


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
    ).fetchone()
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def _check_version(con: duckdb.DuckDBPyConnection, target: Path) -> None:
    have = current_version(con)
    if have > SCHEMA_VERSION:
        raise RuntimeError(f"{target}: schema version {have} is newer than this reckon ({SCHEMA_VERSION})")


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    have = current_version(con)
    if have > SCHEMA_VERSION:
        raise RuntimeError(f"database schema version {have} is newer than this reckon ({SCHEMA_VERSION})")
    for number in range(have, SCHEMA_VERSION):
        con.execute("BEGIN TRANSACTION")
        try:
            for sql in MIGRATIONS[number]:
                con.execute(sql)
            con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                [str(number + 1)],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return SCHEMA_VERSION
