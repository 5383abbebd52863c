"""The judgement inbox (store/inbox.py): appends from several processes at once, durable
and whole; applied by the next connection that writes, once; a crash mid-append leaves
nothing half applied; history, export and the review queue see what waits there."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reckon.cli import app as cli_app
from reckon.resolve import history
from reckon.resolve.judgements import UNDO, JudgementError, make_event
from reckon.store import connect, inbox

WORKERS, EACH = 6, 40


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "store.duckdb"
    connect(path).close()
    return path


def _key(n: int) -> str:
    return f"gb_hmt_sanctions:{n}"


def _appender(db: Path, worker: int, start: multiprocessing.synchronize.Event) -> None:
    start.wait()
    for i in range(EACH):
        inbox.record(
            db, _key(worker * 1000 + i), _key(worker * 1000 + i + 1), "same", f"worker{worker}", f"n{i}"
        )


def test_concurrent_appends_from_several_processes_lose_nothing(db: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    start = ctx.Event()
    procs = [ctx.Process(target=_appender, args=(db, w, start)) for w in range(WORKERS)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    raw = inbox.inbox_path(db).read_bytes()
    assert raw.endswith(b"\n") and raw.count(b"\n") == WORKERS * EACH
    waiting = inbox.pending(db)
    assert len({e.event_id for e in waiting}) == WORKERS * EACH
    assert {e.user for e in waiting} == {f"worker{w}" for w in range(WORKERS)}
    # The next writer applies them all, in one go, and empties the inbox.
    con = connect(db)
    try:
        assert len(history(con)) == WORKERS * EACH
    finally:
        con.close()
    assert inbox.inbox_path(db).read_bytes() == b""
    assert inbox.pending(db) == []


def test_applied_by_the_next_write_connection_not_by_a_reader(db: Path) -> None:
    e = inbox.record(db, _key(2), _key(1), "different", "ana", "two people")
    assert (e.left, e.right) == (_key(1), _key(2))  # in the log's order
    con = connect(db, read_only=True)
    try:
        assert history(con) == []
        (waiting,) = inbox.unapplied(db, con)
        assert waiting.pending and waiting.event == e
    finally:
        con.close()
    assert inbox.pending(db) == [e]
    con = connect(db)
    try:
        assert history(con) == [e]
        assert inbox.unapplied(db, con) == []
    finally:
        con.close()
    assert inbox.pending(db) == []


def test_applying_twice_adds_nothing(db: Path) -> None:
    events = [inbox.record(db, _key(1), _key(i), "same", "ana") for i in range(2, 6)]
    line = inbox.inbox_path(db).read_bytes()
    con = connect(db)
    try:
        assert history(con) == sorted(events, key=lambda e: (e.left, e.right, e.at, e.event_id))
        # A crash between the commit and emptying the inbox: the same lines again.
        inbox.inbox_path(db).write_bytes(line)
        assert inbox.apply_pending(con, db) == 0
        assert len(history(con)) == 4
        assert inbox.apply_pending(con, db) == 0  # and an empty inbox is nothing to do
    finally:
        con.close()


def _torn_append(db: Path) -> None:
    """Append an event but die (SIGKILL) half-way through writing its line."""
    real_write = os.write

    def half(fd: int, data: bytes | memoryview) -> int:
        real_write(fd, bytes(data)[: len(data) // 2])
        os.kill(os.getpid(), signal.SIGKILL)
        return 0

    os.write = half  # type: ignore[assignment]
    inbox.record(db, _key(7), _key(8), "same", "crasher")


def test_a_crash_mid_append_leaves_no_half_line_applied(db: Path) -> None:
    before = inbox.record(db, _key(1), _key(2), "same", "ana")
    proc = multiprocessing.get_context("fork").Process(target=_torn_append, args=(db,))
    proc.start()
    proc.join(30)
    assert proc.exitcode == -signal.SIGKILL
    raw = inbox.inbox_path(db).read_bytes()
    assert not raw.endswith(b"\n")  # the torn half line is there...
    assert inbox.pending(db) == [before]  # ...and read by no one
    # The next append cuts it off first (its lock died with the process).
    after = inbox.record(db, _key(3), _key(4), "unsure", "ana")
    assert inbox.pending(db) == [before, after]
    assert all(json.loads(line) for line in inbox.inbox_path(db).read_bytes().splitlines())
    con = connect(db)
    try:
        assert {e.event_id for e in history(con)} == {before.event_id, after.event_id}
    finally:
        con.close()
    assert not inbox.rejected_path(db).exists()


def test_a_torn_tail_alone_is_dropped_by_the_writer(db: Path) -> None:
    kept = inbox.record(db, _key(1), _key(2), "same", "ana")
    with inbox.inbox_path(db).open("ab") as fh:
        fh.write(b'{"a": "gb_hmt_sanctions:5", "b": "gb_hm')
    con = connect(db)
    try:
        assert history(con) == [kept]
    finally:
        con.close()
    assert inbox.inbox_path(db).read_bytes() == b""


def test_a_line_edited_by_hand_is_set_aside_not_applied_and_blocks_nothing(db: Path) -> None:
    good = inbox.record(db, _key(1), _key(2), "same", "ana")
    bad = inbox.record(db, _key(3), _key(4), "same", "ana")
    lines = inbox.inbox_path(db).read_text().splitlines()
    lines[1] = lines[1].replace('"verdict": "same"', '"verdict": "different"')  # event id no longer matches
    inbox.inbox_path(db).write_text("\n".join(lines) + "\n")
    assert inbox.pending(db) == [good]
    con = connect(db)
    try:
        assert history(con) == [good]
    finally:
        con.close()
    (rejected,) = inbox.rejected_path(db).read_text().splitlines()
    assert json.loads(rejected)["event"] == bad.event_id


def test_refuses_what_the_log_would_refuse(db: Path) -> None:
    with pytest.raises(JudgementError, match="not a record key"):
        inbox.record(db, "nope", _key(1), "same", "ana")
    with pytest.raises(JudgementError, match="itself"):
        inbox.record(db, _key(1), _key(1), "same", "ana")
    with pytest.raises(JudgementError, match="unknown verdict"):
        inbox.record(db, _key(1), _key(2), "undo", "ana")
    assert inbox.pending(db) == []


def test_a_snapshot_older_than_the_apply_still_sees_the_decision(db: Path, tmp_path: Path) -> None:
    """A server reads a copy of the store: after a writer applied the inbox, the copy does
    not have the event, and the applied journal still says the pair is decided."""
    snapshot = tmp_path / "snapshot.duckdb"
    shutil.copy(db, snapshot)
    e = inbox.record(db, _key(1), _key(2), "same", "ana")
    connect(db).close()  # applied
    assert inbox.pending(db) == []
    old = connect(snapshot, read_only=True)
    try:
        (seen,) = inbox.unapplied(db, old)
        assert seen.event == e and not seen.pending
    finally:
        old.close()
    con = connect(db, read_only=True)
    try:
        assert inbox.unapplied(db, con) == []
    finally:
        con.close()


def test_history_and_export_show_pending_decisions(db: Path, tmp_path: Path) -> None:
    applied = inbox.record(db, _key(1), _key(2), "same", "ana")
    connect(db).close()
    waiting = inbox.record(db, _key(3), _key(4), "different", "ben", "not him")
    runner = CliRunner()
    result = runner.invoke(cli_app, ["judgements", "history", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["event_id"]: r["pending"] for r in json.loads(result.stdout)}
    assert rows == {applied.event_id: False, waiting.event_id: True}
    result = runner.invoke(cli_app, ["judgements", "history", _key(3), "--db", str(db), "--json"])
    assert [r["event_id"] for r in json.loads(result.stdout)] == [waiting.event_id]
    result = runner.invoke(cli_app, ["judgements", "history", "--db", str(db)])
    assert "different (pending)" in result.stdout and "1 pending in the inbox" in result.stdout
    out = tmp_path / "j.jsonl"
    result = runner.invoke(cli_app, ["judgements", "export", str(out), "--db", str(db)])
    assert result.exit_code == 0 and "1 pending" in result.stdout
    assert {json.loads(line)["event"] for line in out.read_text().splitlines()} == {
        applied.event_id,
        waiting.event_id,
    }
    # The inbox is untouched by readers.
    assert inbox.pending(db) == [waiting]


def test_an_inbox_the_writer_cannot_empty_stops_it_with_one_line(db: Path) -> None:
    from reckon.store import StoreError

    inbox.inbox_path(db).mkdir()
    (inbox.inbox_path(db) / "x").write_text("x")
    with pytest.raises(StoreError, match="cannot apply the judgement inbox"):
        connect(db)


def test_a_pair_undone_in_the_inbox_is_no_longer_decided(db: Path) -> None:
    """What `reckon review` and the browser's queue skip: pairs whose inbox verdict stands."""
    inbox.record(db, _key(1), _key(2), "same", "ana", at="2026-12-07T10:00:00+00:00")
    inbox.record(db, _key(3), _key(4), "different", "ana", at="2026-12-07T10:00:01+00:00")
    con = connect(db, read_only=True)
    try:
        assert inbox.standing(db, con) == {(_key(1), _key(2)), (_key(3), _key(4))}
    finally:
        con.close()
    inbox.append(db, make_event(_key(1), _key(2), UNDO, "ana", "2026-12-07T10:00:02+00:00"))
    con = connect(db, read_only=True)
    try:
        assert inbox.standing(db, con) == {(_key(3), _key(4))}
    finally:
        con.close()
