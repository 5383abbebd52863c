"""What a loaded store keeps: its bounded latest answers (api.kept.Recent), and each
whole-store answer worked out once (`Loaded.memo`), however many ask for it at once."""

from __future__ import annotations

import threading

import pytest

from reckon.api.kept import Recent
from reckon.api.provider import Loaded


def test_at_most_size_answers_the_least_recently_asked_dropped_first() -> None:
    few: Recent[bytes] = Recent(size=2)
    few.put("a", b"A")
    few.put("b", b"B")
    assert few.get("a") == b"A"  # now the most recently asked
    few.put("c", b"C")
    assert (few.get("a"), few.get("b"), few.get("c")) == (b"A", None, b"C")


def test_a_byte_budget_drops_old_answers_and_never_keeps_one_bigger_than_it() -> None:
    kept: Recent[bytes] = Recent(size=100, budget=10)
    kept.put("a", b"x" * 6)
    kept.put("b", b"y" * 4)
    kept.put("c", b"z" * 3)  # 13 bytes: "a", the oldest, goes
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == (None, b"y" * 4, b"z" * 3)
    kept.put("huge", b"h" * 11)
    assert kept.get("huge") is None
    assert kept.get("b") == b"y" * 4
    kept.put("b", b"w")  # replacing an answer counts its new size only
    kept.put("d", b"d" * 6)
    assert (kept.get("b"), kept.get("c"), kept.get("d")) == (b"w", b"z" * 3, b"d" * 6)


def _loaded() -> Loaded:
    """A Loaded with nothing loaded: `memo` needs none of it."""
    return Loaded(None, None, {}, frozenset(), {}, ())  # type: ignore[arg-type]


def test_memo_works_an_answer_out_once_however_many_ask_at_once() -> None:
    store = _loaded()
    calls: list[int] = []
    started, release = threading.Event(), threading.Event()

    def work() -> list[int]:
        calls.append(1)
        started.set()
        release.wait(30)
        return [42]

    got: list[object] = []
    askers = [threading.Thread(target=lambda: got.append(store.memo("k", work))) for _ in range(4)]
    askers[0].start()
    assert started.wait(30)  # the first asker is working it out
    for t in askers[1:]:
        t.start()
    release.set()
    for t in askers:
        t.join(30)
    assert calls == [1] and got == [[42]] * 4
    assert got[0] is got[1]  # the one answer, not four equal ones


def test_memo_after_a_failed_work_the_next_asker_works_it_out() -> None:
    store = _loaded()

    def fail() -> int:
        raise RuntimeError("the store went away")

    with pytest.raises(RuntimeError):
        store.memo("k", fail)
    assert store.memo("k", lambda: 7) == 7
    assert store.memo("k", fail) == 7
