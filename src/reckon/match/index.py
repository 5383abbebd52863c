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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from reckon.match.prepare import Prepared, prepare
from reckon.match.scorer import MatchResult, compatible, score_prepared
from reckon.names import phonetic

# Keys that more entities share than this fraction are too common to fetch candidates by.
COMMON_KEY_SHARE = 0.02
MAX_CANDIDATES = 60


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
        self._common = max(50, int(self._n * COMMON_KEY_SHARE))

    def __len__(self) -> int:
        return len(self.entities)

    def weigh(self, token_key: str) -> float:
        """A name token's weight in the scorer: rare tokens count more than common ones."""
        df = self._token_df.get(token_key, 0)
        idf = math.log((self._n + 1) / (df + 1))
        return 0.3 + 0.7 * min(1.0, idf / 7.0)

    def candidates(self, q: Prepared, limit: int = MAX_CANDIDATES) -> list[int]:
        keys = [k for k in entity_keys(q) if k in self.postings]
        rare = [k for k in keys if len(self.postings[k]) <= self._common]
        use = rare or keys
        tally: dict[int, float] = {}
        for k in use:
            post = self.postings[k]
            w = math.log((self._n + 1) / (len(post) + 1)) + (5.0 if k.startswith("i:") else 0.0)
            for pos in post[: self._common * 4]:
                tally[pos] = tally.get(pos, 0.0) + w
        return sorted(tally, key=lambda pos: -tally[pos])[:limit]

    def search(self, query: Mapping[str, object], *, limit: int = 10, threshold: float = 0.7) -> list[Hit]:
        q = prepare(query)
        hits = []
        for pos in self.candidates(q):
            c = self.entities[pos]
            if not compatible(q, c):
                continue
            result = score_prepared(q, c, self.weigh)
            if result.score >= threshold:
                hits.append(Hit(c, result))
        hits.sort(key=lambda h: (-h.score, h.entity.id or ""))
        return hits[:limit]
