"""An in-memory index of prepared entities: blocking keys → candidates → scores.

Keys per name token: its skeleton (`s:`), a coarse phonetic key (`p:`), its given-name
class (`g:`) and surname stem (`n:`); per identifier `i:scheme:value`. A query collects
the entities its keys point at, weighting each key by its rarity, so a match on
IVANOV alone ranks below one on IVANOV and ALEKSANDR, and keys carried by a large
share of the index (OOO, MOHAMMED) only count when nothing rarer does.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from reckon.match.names import Weigher
from reckon.match.prepare import Prepared, prepare
from reckon.match.scorer import MatchResult, compatible, score_prepared
from reckon.names import phonetic

# Keys that more entities share than this fraction are too common to fetch candidates by.
COMMON_KEY_SHARE = 0.02
MAX_CANDIDATES = 60
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Hit:
    entity: Prepared
    result: MatchResult

    @property
    def score(self) -> float:
        return self.result.score


def entity_keys(p: Prepared) -> set[str]:
    keys: set[str] = set()
    for name in p.names:
        for t in name.tokens:
            if len(t.key) < 2:
                continue  # initials block on nothing
            keys.add("s:" + t.key)
            if len(t.key) >= 3:
                keys.add("p:" + phonetic(t.key))
            if t.cls:
                keys.add("g:" + t.cls)
            if t.stem != t.key:
                keys.add("n:" + t.stem)
    keys.update(f"i:{scheme}:{value}" for scheme, value in p.identifiers)
    return keys


def token_weight(df: int, n: int) -> float:
    """A name token's weight in the scorer: rare tokens count more than common ones."""
    idf = math.log((n + 1) / (df + 1))
    return 0.3 + 0.7 * min(1.0, idf / 7.0)


def rank_candidates(postings: Mapping[str, Sequence[T]], n: int, limit: int = MAX_CANDIDATES) -> list[T]:
    """The entities a query's keys point at, best supported first.

    `postings` holds, for each of the query's keys found in the index, the entities
    carrying it; `n` is the size of the index.
    """
    common = max(50, int(n * COMMON_KEY_SHARE))
    rare = [k for k in postings if len(postings[k]) <= common]
    tally: dict[T, float] = {}
    for k in rare or list(postings):
        post = postings[k]
        w = math.log((n + 1) / (len(post) + 1)) + (5.0 if k.startswith("i:") else 0.0)
        for e in post[: common * 4]:
            tally[e] = tally.get(e, 0.0) + w
    return sorted(tally, key=lambda e: -tally[e])[:limit]


class Index:
    """Prepared entities and their blocking keys; `search` is the screening primitive."""

    def __init__(self, entities: Iterable[Mapping[str, object]]) -> None:
        self.entities: list[Prepared] = [prepare(e) for e in entities]
        postings: dict[str, list[int]] = {}
        token_df: Counter[str] = Counter()
        for pos, p in enumerate(self.entities):
            for key in entity_keys(p):
                postings.setdefault(key, []).append(pos)
            token_df.update({t.key for n in p.names for t in n.tokens})
        self.postings = postings
        self._n = max(len(self.entities), 1)
        self._token_df = token_df
        self._weights: dict[str, float] = {}

    def __len__(self) -> int:
        return len(self.entities)

    def weigh(self, token_key: str) -> float:
        w = self._weights.get(token_key)
        if w is None:
            w = self._weights[token_key] = token_weight(self._token_df.get(token_key, 0), self._n)
        return w

    def candidates(self, q: Prepared, limit: int = MAX_CANDIDATES) -> list[int]:
        found = {k: self.postings[k] for k in entity_keys(q) if k in self.postings}
        return rank_candidates(found, self._n, limit)

    def search(self, query: Mapping[str, object], *, limit: int = 10, threshold: float = 0.7) -> list[Hit]:
        q = prepare(query)
        candidates = [self.entities[pos] for pos in self.candidates(q)]
        return best_hits(q, candidates, self.weigh, limit=limit, threshold=threshold)


def best_hits(
    q: Prepared, candidates: Iterable[Prepared], weigh: Weigher, *, limit: int, threshold: float
) -> list[Hit]:
    """Score the candidates; the best `limit` at or above `threshold`, best first."""
    hits = []
    for c in candidates:
        if not compatible(q, c):
            continue
        result = score_prepared(q, c, weigh)
        if result.score >= threshold:
            hits.append(Hit(c, result))
    hits.sort(key=lambda h: (-h.score, h.entity.id or ""))
    return hits[:limit]
