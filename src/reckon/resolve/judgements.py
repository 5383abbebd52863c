"""The judgement log: people's decisions about pairs of records, append-only.

A judgement names two records by `source:record_id`, the keys lists keep across
versions, so it survives re-imports and re-clustering, and outlives a record's removal.
Nothing is updated or deleted: an undo is one more event, and a pair's verdict is what
its events leave after replaying them in time order (each undo cancels the latest
verdict still standing). Events are identified by a hash of their content, so
importing a colleague's file twice, or one's own back, adds nothing.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from reckon.outputs import atomic_output
from reckon.resolve.pairing import ordered
from reckon.store.importer import StoreError, bulk_insert

VERDICTS = ("same", "different", "unsure")
UNDO = "undo"


class JudgementError(StoreError):
    """A judgement the store refuses (nothing is recorded); the message says why."""


@dataclass(frozen=True, slots=True)
class Event:
    event_id: str
    left: str
    right: str
    verdict: str  # same | different | unsure | undo
    user: str
    at: str  # ISO 8601 UTC, microseconds
    note: str | None


def _event_id(left: str, right: str, verdict: str, user: str, at: str, note: str | None) -> str:
    body = json.dumps([left, right, verdict, user, at, note], ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(body.encode("utf-8"), digest_size=12).hexdigest()


def _check_key(key: str) -> str:
    source, sep, record_id = key.partition(":")
    if not sep or not source or not record_id:
        raise JudgementError(f"{key!r} is not a record key (source:record_id, e.g. gb_hmt_sanctions:14212)")
    return key


def make_event(
    a: str, b: str, verdict: str, user: str, at: str, note: str | None = None, event_id: str | None = None
) -> Event:
    """A checked event; `event_id`, if given (from a file), must match the content."""
    left, right = ordered(_check_key(a), _check_key(b))
    if left == right:
        raise JudgementError(f"a record cannot be judged against itself: {left}")
    if verdict not in (*VERDICTS, UNDO):
        raise JudgementError(f"unknown verdict {verdict!r}; one of {', '.join((*VERDICTS, UNDO))}")
    if not user:
        raise JudgementError("a judgement needs a user")
    try:
        datetime.fromisoformat(at)
    except ValueError:
        raise JudgementError(f"bad timestamp {at!r}") from None
    computed = _event_id(left, right, verdict, user, at, note or None)
    if event_id is not None and event_id != computed:
        raise JudgementError(f"event {event_id} does not match its content (edited by hand?)")
    return Event(computed, left, right, verdict, user, at, note or None)


def default_user() -> str:
    return os.environ.get("RECKON_USER") or getpass.getuser()


_COLUMNS = "event_id, left_key, right_key, verdict, user_name, created_at, note"


def _insert(con: duckdb.DuckDBPyConnection, events: Iterable[Event]) -> int:
    rows = [(e.event_id, e.left, e.right, e.verdict, e.user, e.at, e.note) for e in events]
    if not rows:
        return 0
    before = _count(con)
    con.execute("CREATE TEMP TABLE IF NOT EXISTS judgement_batch AS SELECT * FROM judgements LIMIT 0")
    con.execute("DELETE FROM judgement_batch")
    bulk_insert(con, "judgement_batch", _COLUMNS.split(", "), rows)
    con.execute(
        f"INSERT INTO judgements SELECT DISTINCT {_COLUMNS} FROM judgement_batch "
        "WHERE event_id NOT IN (SELECT event_id FROM judgements)"
    )
    con.execute("DELETE FROM judgement_batch")
    return _count(con) - before


def _count(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(*) FROM judgements").fetchone()
    return int(row[0]) if row else 0


def _now_after(con: duckdb.DuckDBPyConnection, left: str, right: str) -> str:
    """Now, but strictly after the pair's last event, so replay order is the order of calls."""
    now = datetime.now(UTC)
    row = con.execute(
        "SELECT max(created_at) FROM judgements WHERE left_key = ? AND right_key = ?", [left, right]
    ).fetchone()
    if row and row[0]:
        last = datetime.fromisoformat(str(row[0]))
        if now <= last:
            now = last + timedelta(microseconds=1)
    return now.isoformat(timespec="microseconds")


def _record_exists(con: duckdb.DuckDBPyConnection, key: str) -> bool:
    source, _, record_id = key.partition(":")
    row = con.execute(
        "SELECT count(*) FROM records WHERE source = ? AND record_id = ?", [source, record_id]
    ).fetchone()
    return bool(row and row[0])


def judge(
    con: duckdb.DuckDBPyConnection,
    a: str,
    b: str,
    verdict: str,
    *,
    user: str | None = None,
    note: str | None = None,
) -> Event:
    """Record that records `a` and `b` are the same entity, different ones, or unsure."""
    if verdict not in VERDICTS:
        raise JudgementError(f"unknown verdict {verdict!r}; one of {', '.join(VERDICTS)}")
    for key in (a, b):
        if not _record_exists(con, _check_key(key)):
            raise JudgementError(f"no record {key!r} in this store")
    left, right = ordered(a, b)
    event = make_event(left, right, verdict, user or default_user(), _now_after(con, left, right), note)
    _insert(con, [event])
    return event


def undo(
    con: duckdb.DuckDBPyConnection, a: str, b: str, *, user: str | None = None, note: str | None = None
) -> Event:
    """Withdraw the pair's latest standing verdict; the one before it (if any) holds again."""
    left, right = ordered(_check_key(a), _check_key(b))
    if verdict_stack(history(con, left, right)) == []:
        raise JudgementError(f"nothing to undo for {left} / {right}")
    event = make_event(left, right, UNDO, user or default_user(), _now_after(con, left, right), note)
    _insert(con, [event])
    return event


def history(con: duckdb.DuckDBPyConnection, a: str | None = None, b: str | None = None) -> list[Event]:
    """Every event, or those of one pair, oldest first."""
    sql = f"SELECT {_COLUMNS} FROM judgements"
    params: list[object] = []
    if a is not None and b is not None:
        sql += " WHERE left_key = ? AND right_key = ?"
        params = list(ordered(a, b))
    elif a is not None:
        sql += " WHERE left_key = ? OR right_key = ?"
        params = [a, a]
    sql += " ORDER BY left_key, right_key, created_at, event_id"
    return [Event(*map(_str_or_none, row)) for row in con.execute(sql, params).fetchall()]  # type: ignore[arg-type]


def pair_events(
    con: duckdb.DuckDBPyConnection, pairs: Collection[tuple[str, str]], extra: Iterable[Event] = ()
) -> dict[tuple[str, str], list[Event]]:
    """Each of `pairs`' events (left < right), from the log `con` reads and from `extra`
    (the judgement inbox's, which that log may lack), each event once."""
    wanted = set(pairs)
    found: dict[str, Event] = {}
    if wanted:
        rows = con.execute(
            f"SELECT {_COLUMNS} FROM judgements "
            "WHERE left_key || chr(10) || right_key IN (SELECT unnest(?::VARCHAR[]))",
            [[f"{a}\n{b}" for a, b in wanted]],
        ).fetchall()
        found = {str(r[0]): Event(*map(_str_or_none, r)) for r in rows}  # type: ignore[arg-type]
    found.update((e.event_id, e) for e in extra if (e.left, e.right) in wanted)
    out: dict[tuple[str, str], list[Event]] = {p: [] for p in wanted}
    for e in found.values():
        out[(e.left, e.right)].append(e)
    return out


def _str_or_none(v: object) -> str | None:
    return None if v is None else str(v)


def verdict_stack(events: Iterable[Event]) -> list[Event]:
    """The verdicts still standing after replaying one pair's events in order."""
    stack: list[Event] = []
    for e in sorted(events, key=lambda e: (e.at, e.event_id)):
        if e.verdict == UNDO:
            if stack:
                stack.pop()
        else:
            stack.append(e)
    return stack


def current_verdicts(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    """Each judged pair's standing verdict; pairs whose verdicts were all undone are absent."""
    by_pair: dict[tuple[str, str], list[Event]] = {}
    for e in history(con):
        by_pair.setdefault((e.left, e.right), []).append(e)
    out = {}
    for pair, events in by_pair.items():
        stack = verdict_stack(events)
        if stack:
            out[pair] = stack[-1].verdict
    return out


def event_json(e: Event) -> dict[str, object]:
    """An event as one JSON object: the form of `export_jsonl` and of the judgement inbox."""
    return {
        "event": e.event_id,
        "a": e.left,
        "b": e.right,
        "verdict": e.verdict,
        "user": e.user,
        "at": e.at,
        "note": e.note,
    }


def export_jsonl(con: duckdb.DuckDBPyConnection, path: Path, extra: Iterable[Event] = ()) -> int:
    """Write every event, with `extra` ones (the judgement inbox's), one JSON object a
    line, oldest first; returns how many."""
    by_id = {e.event_id: e for e in (*history(con), *extra)}
    events = sorted(by_id.values(), key=lambda e: (e.at, e.event_id))
    with atomic_output(path) as fh:
        for e in events:
            fh.write(json.dumps(event_json(e), ensure_ascii=False, sort_keys=True) + "\n")
    return len(events)


def event_from_json(obj: Any) -> Event:
    """The event of one object `event_json` wrote, checked as `make_event` checks one
    (JudgementError; KeyError, TypeError or AttributeError if it is not such an object)."""
    return make_event(
        str(obj["a"]),
        str(obj["b"]),
        str(obj["verdict"]),
        str(obj["user"]),
        str(obj["at"]),
        obj.get("note"),
        obj.get("event"),
    )


def read_jsonl(path: Path) -> Iterator[Event]:
    """Events from a file `export_jsonl` (or a colleague's reckon) wrote; checked line by line."""
    if not path.is_file():
        raise JudgementError(f"{path}: not a file")
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise JudgementError(f"{path}:{n}: not UTF-8 text (not a judgements export?)") from None
            if not line.strip():
                continue
            try:
                yield event_from_json(json.loads(line))
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError, JudgementError) as exc:
                raise JudgementError(f"{path}:{n}: {exc}") from None


def import_jsonl(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[int, int]:
    """Add the events of a file that this store lacks, all or none; returns (added, already had)."""
    events = list(read_jsonl(path))
    con.execute("BEGIN TRANSACTION")
    try:
        added = _insert(con, events)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return added, len({e.event_id for e in events}) - added
