"""The bounded answers a loaded store keeps (api.kept.Recent)."""

from __future__ import annotations

from reckon.api.kept import Recent


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
