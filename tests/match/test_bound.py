"""The screening shortcut is exact: `score_reaching` drops a candidate only where its
full score falls short, because `name_ceiling` is never below the name score.

Checked on every name pair of the committed labelled pairs (real list names, nomenklatura's
dev cases), under the weights of a real index and under uniform weights.
"""

from __future__ import annotations

import json
from itertools import product
from pathlib import Path

import pytest

from reckon.match.index import Index
from reckon.match.names import name_ceiling, name_score
from reckon.match.prepare import Prepared, prepare
from reckon.match.scorer import score_prepared, score_reaching

PAIRS = Path(__file__).resolve().parents[2] / "bench" / "pairs"
FILES = ["nk_name_bench.jsonl", "nk_entity_bench.jsonl", "reckon_pairs.jsonl"]


def _pairs(name: str) -> list[tuple[Prepared, Prepared]]:
    with (PAIRS / name).open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return [(prepare(r["query"]), prepare(r["candidate"])) for r in rows]


@pytest.mark.parametrize("name", FILES)
def test_name_ceiling_is_never_below_the_name_score(name: str) -> None:
    pairs = _pairs(name)
    # Weights as a real index gives them: rare tokens heavy, common ones light.
    index = Index([c for _, c in pairs])
    for weigh in (index.weigh, lambda _: 1.0):
        for q, c in pairs:
            for qn, cn in product(q.names, c.names):
                s = name_score(qn, cn, weigh)[0]
                assert name_ceiling(qn, cn, weigh) >= s, (qn.text, cn.text)
                assert name_ceiling(cn, qn, weigh) >= name_score(cn, qn, weigh)[0], (cn.text, qn.text)


@pytest.mark.parametrize("name", FILES)
def test_score_reaching_keeps_exactly_the_scores_at_the_threshold(name: str) -> None:
    pairs = _pairs(name)
    index = Index([c for _, c in pairs])
    for threshold in (0.5, 0.7, 0.9):
        for q, c in pairs:
            full = score_prepared(q, c, index.weigh)
            reached = score_reaching(q, c, threshold, index.weigh)
            if full.score >= threshold:
                assert reached == full
            else:
                assert reached is None
