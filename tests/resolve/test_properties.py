"""Properties over random histories: import order does not matter, judgements are never lost."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reckon.resolve import current_verdicts, history, judge, resolve, undo
from reckon.resolve.judgements import JudgementError
from reckon.resolve.pairing import ordered
from reckon.store import connect
from tests.resolve.conftest import CA, EU, OFAC_CONS, UN_NEW, UN_OLD, clustering, load

pytestmark = pytest.mark.integration
FILES = (UN_OLD, UN_NEW, EU, CA, OFAC_CONS)


@cache
def reference() -> dict[str, list[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "ref.duckdb")
        for f in FILES:
            load(con, f)
        resolve(con, full=True)
        out = clustering(con)
        con.close()
    return out


def _valid(order: list[str]) -> list[str]:
    # Versions of one list arrive oldest first (the store refuses otherwise).
    i, j = order.index(UN_OLD), order.index(UN_NEW)
    if i > j:
        order[i], order[j] = order[j], order[i]
    return order


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    order=st.permutations(FILES).map(list).map(_valid),
    resolve_after=st.lists(st.booleans(), min_size=5, max_size=5),
)
def test_any_import_order_gives_the_same_clusters_and_ids(
    order: list[str], resolve_after: list[bool]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "s.duckdb")
        for f, now in zip(order, resolve_after, strict=True):
            load(con, f)
            if now:
                resolve(con)  # incremental whenever a clustering exists
        load(con, order[0])  # re-importing a list changes nothing
        resolve(con)
        assert clustering(con) == reference()
        con.close()


# A handful of real records, so that random judgements often touch the same pairs.
STEPS = (
    (UN_OLD, ["LYi.028", "LYi.029", "IQi.002", "IQi.074"]),
    (EU, None),
    (UN_NEW, ["LYi.028", "LYi.029", "IQi.002", "SDi.007"]),
)
op = st.one_of(
    st.tuples(st.just("load")),
    st.tuples(
        st.just("judge"),
        st.integers(0, 30),
        st.integers(0, 30),
        st.sampled_from(["same", "different", "unsure"]),
    ),
    st.tuples(st.just("undo"), st.integers(0, 30), st.integers(0, 30)),
    st.tuples(st.just("resolve"), st.booleans()),
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=st.lists(op, min_size=1, max_size=25))
def test_no_judgement_is_ever_lost(ops: list[tuple[object, ...]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp) / "j.duckdb")
        loaded = 0
        made: list[str] = []  # event ids, in order
        stacks: dict[tuple[str, str], list[str]] = {}  # the model of standing verdicts
        for step in ops:
            keys = [
                str(r[0])
                for r in con.execute("SELECT source || ':' || record_id FROM records ORDER BY 1").fetchall()
            ]
            if step[0] == "load" and loaded < len(STEPS):
                load(con, *STEPS[loaded])
                loaded += 1
            elif step[0] in ("judge", "undo") and len(keys) >= 2:
                a, b = keys[int(step[1]) % len(keys)], keys[int(step[2]) % len(keys)]  # type: ignore[call-overload]
                if a == b:
                    continue
                pair = ordered(a, b)
                if step[0] == "judge":
                    made.append(judge(con, a, b, str(step[3]), user="prop").event_id)
                    stacks.setdefault(pair, []).append(str(step[3]))
                elif stacks.get(pair):
                    made.append(undo(con, a, b, user="prop").event_id)
                    stacks[pair].pop()
                else:
                    with pytest.raises(JudgementError):
                        undo(con, a, b, user="prop")
            elif step[0] == "resolve" and keys:
                resolve(con, full=bool(step[1]))
                same_cluster = dict(
                    con.execute("SELECT record, canonical_id FROM resolve_records").fetchall()
                )
                for (a, b), stack in stacks.items():
                    if stack and stack[-1] == "different" and a in same_cluster and b in same_cluster:
                        assert same_cluster[a] != same_cluster[b]
            assert sorted(e.event_id for e in history(con)) == sorted(made)
            assert current_verdicts(con) == {p: s[-1] for p, s in stacks.items() if s}
        con.close()
