"""The judgement inbox: decisions taken while another process may hold the store.

DuckDB lets one process write a store, and `reckon ingest` or `resolve` may hold it for
minutes; a reviewer in the browser cannot wait for that. So a decision is first appended
to a journal beside the store (`<store>.inbox.jsonl`): one JSON line, written under an
exclusive `flock`, flushed and fsynced before the caller is told it is recorded. Every
process that opens the store for writing applies what is pending first
(`apply_pending`, called by `schema.connect`), in one transaction, then empties the
inbox.

Each line is one judgement event exactly as the judgement log stores it
(`resolve.judgements.Event`, its `event_id` a hash of its content), so applying an
entry twice adds nothing: the log's key remembers it. Applied lines are moved to
`<store>.inbox.applied.jsonl`, so that a server reading a snapshot older than the apply
still knows those pairs are decided (`unapplied`); lines older than `KEEP_APPLIED_DAYS`
are dropped from it. A line the log refuses (edited by hand, a bad key) goes to
`<store>.inbox.rejected.jsonl` rather than blocking every writer.

A torn line (a writer killed mid-append, never acknowledged) is never applied: readers
take complete lines only, and the next append first cuts the file back to its last
newline.

Imports nothing of reckon at module level: `schema.connect` calls this on every write.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

    from reckon.resolve.judgements import Event

KEEP_APPLIED_DAYS = 30


def inbox_path(db: Path) -> Path:
    return db.with_name(db.name + ".inbox.jsonl")


def applied_path(db: Path) -> Path:
    return db.with_name(db.name + ".inbox.applied.jsonl")


def rejected_path(db: Path) -> Path:
    return db.with_name(db.name + ".inbox.rejected.jsonl")


@dataclass(frozen=True, slots=True)
class Pending:
    """One inbox line as read back: the event, and whether it is still waiting."""

    event: Event
    pending: bool  # in the inbox; False: applied since (from the applied journal)


def _line(e: Event) -> bytes:
    from reckon.resolve.judgements import event_json

    return (json.dumps(event_json(e), ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _parse(raw: bytes) -> Event:
    """The event of one line; JudgementError (or a JSON, key or type error) if it is not one."""
    from reckon.resolve.judgements import event_from_json

    return event_from_json(json.loads(raw.decode("utf-8")))


@contextmanager
def _locked(path: Path, exclusive: bool, create: bool) -> Iterator[int | None]:
    """The file's descriptor under flock (None when it does not exist and may not be made)."""
    flags = os.O_RDWR | os.O_APPEND | (os.O_CREAT if create else 0)
    try:
        fd = os.open(path, flags | os.O_CLOEXEC, 0o600)
    except FileNotFoundError:
        yield None
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield fd
    finally:
        os.close(fd)  # releases the lock


def _read_all(fd: int) -> bytes:
    size = os.fstat(fd).st_size
    chunks, at = [], 0
    while at < size:
        chunk = os.pread(fd, size - at, at)
        if not chunk:
            break
        chunks.append(chunk)
        at += len(chunk)
    return b"".join(chunks)


def _complete_lines(data: bytes) -> list[bytes]:
    """The lines that end in a newline; a torn tail is left out."""
    end = data.rfind(b"\n")
    return [ln for ln in data[: end + 1].split(b"\n") if ln.strip()] if end >= 0 else []


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _fsync_dir(path: Path) -> None:
    fd = os.open(path.parent, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def append(db: Path, event: Event) -> None:
    """Add one event to the inbox, durably: when this returns, it is on disk."""
    path = inbox_path(db)
    fresh = not path.exists()
    with _locked(path, exclusive=True, create=True) as fd:
        assert fd is not None
        size = os.fstat(fd).st_size
        if size:
            tail = os.pread(fd, 1, size - 1)
            if tail != b"\n":  # a writer died mid-line: that line was never acknowledged
                data = _read_all(fd)
                os.ftruncate(fd, data.rfind(b"\n") + 1)
        _write_all(fd, _line(event))
        os.fsync(fd)
    if fresh:
        _fsync_dir(path)


def record(
    db: Path, a: str, b: str, verdict: str, user: str, note: str | None = None, at: str | None = None
) -> Event:
    """A judgement checked as `reckon judge` checks it (less the records' existence, which
    the caller checks on what it reads), appended to the inbox; returns the event."""
    from reckon.resolve.judgements import VERDICTS, JudgementError, make_event

    if verdict not in VERDICTS:
        raise JudgementError(f"unknown verdict {verdict!r}; one of {', '.join(VERDICTS)}")
    when = at or datetime.now(UTC).isoformat(timespec="microseconds")
    event = make_event(a, b, verdict, user, when, note)
    append(db, event)
    return event


# Each journal's events as last read, by the file's (inode, mtime, size): a server's
# review page reads them at every request, and they change only when a decision comes.
_read_cache: dict[Path, tuple[tuple[int, int, int], list[Event]]] = {}
_cache_lock = threading.Lock()


def _events(path: Path) -> list[Event]:
    with _locked(path, exclusive=False, create=False) as fd:
        if fd is None:
            return []
        st = os.fstat(fd)
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        with _cache_lock:
            cached = _read_cache.get(path)
        if cached is not None and cached[0] == stamp:
            return list(cached[1])
        lines = _complete_lines(_read_all(fd))
    out = []
    for raw in lines:
        try:
            out.append(_parse(raw))
        except Exception:  # refused when applied; not a decision meanwhile
            continue
    # As git does with its index: a file changed within the file system's timestamp
    # granularity of this read could change again under the same stamp; not cached.
    if time.time_ns() - st.st_mtime_ns > 100_000_000:
        with _cache_lock:
            _read_cache[path] = (stamp, out)
    return list(out)


def pending(db: Path) -> list[Event]:
    """The events waiting in the inbox, in the order they were recorded."""
    return _events(inbox_path(db))


def unapplied(db: Path, con: duckdb.DuckDBPyConnection) -> list[Pending]:
    """Inbox events (pending, or applied since) that the judgement log `con` reads lacks:
    what a reader of the store, or of an older snapshot of it, does not know yet."""
    found: dict[str, Pending] = {}
    for e in _events(applied_path(db)):
        found[e.event_id] = Pending(e, pending=False)
    for e in _events(inbox_path(db)):
        found[e.event_id] = Pending(e, pending=True)
    if not found:
        return []
    known = {
        str(r[0])
        for r in con.execute(
            "SELECT event_id FROM judgements WHERE event_id IN (SELECT unnest(?::VARCHAR[]))",
            [list(found)],
        ).fetchall()
    }
    return sorted(
        (p for k, p in found.items() if k not in known), key=lambda p: (p.event.at, p.event.event_id)
    )


def standing(db: Path, con: duckdb.DuckDBPyConnection) -> set[tuple[str, str]]:
    """The pairs decided in the inbox whose verdict still stands (not undone since, there
    or in the log `con` reads): what a review queue no longer asks about until the
    decisions are applied."""
    from reckon.resolve.judgements import pair_events, verdict_stack

    waiting = [p.event for p in unapplied(db, con)]
    events = pair_events(con, {(e.left, e.right) for e in waiting}, waiting)
    return {pair for pair, evs in events.items() if verdict_stack(evs)}


def _insert(con: duckdb.DuckDBPyConnection, events: list[Event]) -> None:
    columns = list(
        zip(*((e.event_id, e.left, e.right, e.verdict, e.user, e.at, e.note) for e in events), strict=True)
    )
    con.execute(
        "INSERT OR IGNORE INTO judgements "
        "SELECT DISTINCT ON (event_id) * FROM (SELECT unnest(?::VARCHAR[]) AS event_id, "
        "unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), "
        "unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]))",
        [list(c) for c in columns],
    )


def _append_lines(path: Path, lines: list[bytes]) -> None:
    with _locked(path, exclusive=True, create=True) as fd:
        assert fd is not None
        _write_all(fd, b"".join(ln + b"\n" for ln in lines))
        os.fsync(fd)


def _prune_applied(path: Path) -> None:
    """Drop applied lines older than KEEP_APPLIED_DAYS (and repeats), if there are any."""
    cutoff = (datetime.now(UTC) - timedelta(days=KEEP_APPLIED_DAYS)).isoformat(timespec="microseconds")
    with _locked(path, exclusive=True, create=False) as fd:
        if fd is None:
            return
        lines = _complete_lines(_read_all(fd))
        keep: dict[str, bytes] = {}
        for raw in lines:
            try:
                e = _parse(raw)
            except Exception:
                continue
            if e.at >= cutoff:
                keep.setdefault(e.event_id, raw)
        if len(keep) == len(lines):
            return
        os.ftruncate(fd, 0)
        _write_all(fd, b"".join(ln + b"\n" for ln in keep.values()))
        os.fsync(fd)


def apply_pending(con: duckdb.DuckDBPyConnection, db: Path) -> int:
    """Write the inbox's events into the judgement log of `con` (the store at `db`, open
    for writing) in one transaction, then empty the inbox; returns how many events were
    new to the log. Called by `schema.connect` for every writer; cheap when nothing waits.
    An inbox this process may not read or empty is a StoreError: the writer stops rather
    than go on without decisions it was told are recorded."""
    try:
        return _apply(con, db)
    except OSError as exc:
        from reckon.store.errors import StoreError

        raise StoreError(
            f"{inbox_path(db)}: cannot apply the judgement inbox ({exc.strerror or exc})"
        ) from None


def _apply(con: duckdb.DuckDBPyConnection, db: Path) -> int:
    path = inbox_path(db)
    try:
        if path.stat().st_size == 0:
            return 0
    except FileNotFoundError:
        return 0
    with _locked(path, exclusive=True, create=False) as fd:
        if fd is None:
            return 0
        lines = _complete_lines(_read_all(fd))
        events: list[Event] = []
        good: list[bytes] = []
        bad: list[bytes] = []
        for raw in lines:
            try:
                events.append(_parse(raw))
                good.append(raw)
            except Exception:
                bad.append(raw)
        added = 0
        if events:
            before = _count(con)
            con.execute("BEGIN TRANSACTION")
            try:
                _insert(con, events)
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            added = _count(con) - before
            _append_lines(applied_path(db), good)
        if bad:
            _append_lines(rejected_path(db), bad)
        # Everything complete is in the log now (or set aside); a torn tail was never
        # acknowledged. Appenders wait on our lock, so nothing new arrived meanwhile.
        os.ftruncate(fd, 0)
        os.fsync(fd)
    if events:
        _prune_applied(applied_path(db))
    return added


def _count(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(*) FROM judgements").fetchone()
    return int(row[0]) if row else 0
