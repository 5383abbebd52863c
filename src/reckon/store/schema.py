"""The DuckDB schema and its migrations.

Each migration is a list of SQL statements applied once, in order, inside one
transaction; `meta.schema_version` records how far a database has got.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from reckon.store import histories, listings
from reckon.store.errors import StoreError
from reckon.store.inbox import apply_pending

DEFAULT_DB = "reckon.duckdb"

# A step is SQL, or a function for what SQL alone cannot write (compressed rows).
Step = str | Callable[[duckdb.DuckDBPyConnection], None]

MIGRATIONS: list[list[Step]] = [
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
    # 5: versions taken back by `reckon versions remove`, with who, when and why.
    [
        """CREATE TABLE version_removals (
            removed_at TIMESTAMP NOT NULL,
            source VARCHAR NOT NULL,
            version_id INTEGER NOT NULL,
            version_date VARCHAR NOT NULL,
            file_name VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            user_name VARCHAR NOT NULL,
            note VARCHAR
        )""",
    ],
    # 6: each record's Sanction facts in one row, replaced by 7 (never released).
    [
        "CREATE TABLE record_sanctions (source VARCHAR NOT NULL, record_id VARCHAR NOT NULL, "
        "listing_date VARCHAR, programs VARCHAR[] NOT NULL, authorities VARCHAR[] NOT NULL, "
        "authority_ids VARCHAR[] NOT NULL, legal_basis VARCHAR[] NOT NULL, reasons VARCHAR[] NOT NULL)",
    ],
    # 7: each record as status reads it, under a one-column key (see
    # reckon/store/listings.py), derived from the statements and kept by every import; and
    # indexes to find an entity's members and its pairs by one equality each (DuckDB uses
    # no index for the first column of a two-column key).
    [
        "DROP TABLE record_sanctions",
        listings.CREATE_TABLE,
        listings.FILL_ALL,
        "CREATE INDEX resolve_records_canonical ON resolve_records (canonical_id)",
        "CREATE INDEX resolve_pairs_left ON resolve_pairs (left_key)",
        "CREATE INDEX resolve_pairs_right ON resolve_pairs (right_key)",
    ],
    # 8: record_listings.facts as separated text rather than JSON (7 was never released).
    ["DELETE FROM record_listings", listings.FILL_ALL],
    # 9: each record's statements and changes in one row under a one-column key (see
    # reckon/store/histories.py), derived from them and kept by every import.
    [histories.CREATE_TABLE, histories.fill],
]

SCHEMA_VERSION = len(MIGRATIONS)
# The oldest schema a read-only connection accepts: what the migrations since add is
# derived state that makes reads faster (record_histories), and the readers fall back to
# the tables it is derived from. A served copy of a store that no writer has opened since
# reckon was upgraded is then still served.
READABLE_SCHEMA = 8


def db_path(path: str | Path | None = None) -> Path:
    return Path(path or os.environ.get("RECKON_DB") or DEFAULT_DB)


# How long a command waits for another process that holds the store (a writer, or
# readers when it wants to write) before it says who holds it.
LOCK_WAIT_SECONDS = 20.0
NOTICE_AFTER = 1.0  # seconds of waiting before a command says what it waits for
log = logging.getLogger("reckon.store")


def connect(
    path: str | Path | None = None,
    *,
    read_only: bool = False,
    create: bool = True,
    wait: float | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the store, refusing anything that is not a whole reckon store.

    `read_only` never writes: it neither creates nor migrates. A writer creates a
    missing store only with `create` (the CLI allows it to `ingest` alone) and migrates
    only a reckon store, never another program's DuckDB file. While another process
    holds the store, wait up to `wait` seconds (default `$RECKON_LOCK_WAIT` or 20 s).
    """
    target = db_path(path)
    if str(target) == ":memory:":
        con = duckdb.connect(":memory:", config=_config())
        migrate(con)
        return con
    if target.is_dir():
        raise StoreError(f"{target}: is a directory, not a reckon store")
    exists = target.exists()
    if not exists and (read_only or not create):
        raise StoreError(f"{target}: no reckon store here; run `reckon ingest --bundled` or give --db")
    if not exists:
        target.parent.mkdir(parents=True, exist_ok=True)
    con = _open(target, read_only, wait)
    try:
        if exists:
            _check_store(con, target)
        if read_only:
            have = current_version(con)
            if have < READABLE_SCHEMA:
                raise StoreError(
                    f"{target}: store schema version {have} is older than this reckon's "
                    f"({SCHEMA_VERSION}); run `reckon index` once to upgrade it"
                )
        else:
            migrate(con)
            # Judgements decided while the store was held (store/inbox.py) first.
            apply_pending(con, target)
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def writing(path: str | Path | None, *, wait: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The store opened for writing for the length of a `with` block, then released:
    for a long-lived program (`reckon review`) that writes now and then, so that other
    commands can use the store in between."""
    con = connect(path, create=False, wait=wait)
    try:
        yield con
    finally:
        con.close()


def _open(target: Path, read_only: bool, wait: float | None) -> duckdb.DuckDBPyConnection:
    if wait is None:
        wait = float(os.environ.get("RECKON_LOCK_WAIT") or LOCK_WAIT_SECONDS)
    started = time.monotonic()
    deadline = started + wait
    pause = 0.05
    told = False
    while True:
        try:
            return duckdb.connect(str(target), read_only=read_only, config=_config())
        except duckdb.Error as exc:
            text = str(exc)
            if "lock" not in text.lower():
                raise StoreError(f"{target}: not a reckon store ({_first_line(text)})") from None
            if time.monotonic() >= deadline:
                raise StoreError(
                    f"{target}: in use by {_holder(text)}; waited {wait:g} s "
                    "(try again when it finishes, or set RECKON_LOCK_WAIT)"
                ) from None
            if not told and time.monotonic() - started >= NOTICE_AFTER:
                # Once, on stderr (logging's last resort when nothing is configured):
                # a command that waits says why it is silent.
                log.warning("%s: in use by %s; waiting up to %g s", target, _holder(text), wait)
                told = True
        time.sleep(pause)
        pause = min(pause * 2, 0.5)


_PID = re.compile(r"\(PID (\d+)\)")


def _holder(message: str) -> str:
    """Which command holds the store, from the PID DuckDB names in its lock error."""
    m = _PID.search(message)
    if not m:
        return "another process"
    pid = m.group(1)
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return f"process {pid}"
    words = [a.decode("utf-8", "replace") for a in argv if a]
    # `reckon resolve` reads better than the interpreter's path.
    start = next((i for i, w in enumerate(words) if Path(w).name == "reckon"), None)
    shown = ["reckon", *words[start + 1 : start + 3]] if start is not None else words[:2]
    return f"`{' '.join(shown)}` (PID {pid})"


def _config() -> dict[str, str | bool | int | float | list[str]]:
    # RECKON_THREADS=1 pins DuckDB to one core, as the benchmarks do.
    threads = os.environ.get("RECKON_THREADS")
    return {"threads": int(threads)} if threads else {}


def _first_line(text: str) -> str:
    return " ".join(text.split())[:200]


def _check_store(con: duckdb.DuckDBPyConnection, target: Path) -> None:
    """Refuse a truncated file and a DuckDB database that reckon did not make."""
    try:
        size = con.execute("PRAGMA database_size").fetchone()
        tables = {
            str(r[0]) for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        }
    except duckdb.Error as exc:
        raise StoreError(f"{target}: damaged or truncated store ({_first_line(str(exc))})") from None
    if size is not None:
        # The file holds three 4 KiB headers, then at least as many blocks as are in use
        # (free blocks at its end may have been cut off by DuckDB itself).
        block_size, used_blocks = int(size[2]), int(size[4])
        if target.stat().st_size < 3 * 4096 + block_size * used_blocks:
            raise StoreError(f"{target}: truncated store (shorter than the blocks it declares)")
    if not tables:
        return  # an empty database file: nothing to lose, a writer makes it a store
    if "meta" not in tables or current_version(con) == 0:
        raise StoreError(f"{target}: a DuckDB database, but not a reckon store; refusing to touch it")
    if current_version(con) > SCHEMA_VERSION:
        raise StoreError(
            f"{target}: store schema version {current_version(con)} is newer than this reckon's "
            f"({SCHEMA_VERSION}); upgrade reckon"
        )


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    # One query, not two (is there a `meta`? then its row): this is asked several times by
    # each entity page, and each DuckDB query costs ~0.7 ms. Only a database that is not a
    # store yet has no `meta`, and none is asked inside a transaction (migrate asks first).
    try:
        row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except duckdb.CatalogException:
        return 0
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    have = current_version(con)
    if have > SCHEMA_VERSION:
        raise StoreError(f"store schema version {have} is newer than this reckon's ({SCHEMA_VERSION})")
    for number in range(have, SCHEMA_VERSION):
        con.execute("BEGIN TRANSACTION")
        try:
            for step in MIGRATIONS[number]:
                if callable(step):
                    step(con)
                else:
                    con.execute(step)
            con.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
                [str(number + 1)],
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return SCHEMA_VERSION
