"""Score labelled pairs and measure precision and recall per category.

The shared harness for matching quality: the same pairs go through reckon's scorer
here and through a peer's in bench/, and both are summarised the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from reckon.match.scorer import score


@dataclass(frozen=True, slots=True)
class PairResult:
    id: str
    category: str
    score: float
    match: bool  # predicted
    expected: bool
    explanation: str


@dataclass(frozen=True, slots=True)
class Quality:
    category: str
    pairs: int
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def positives(self) -> int:
        return self.tp + self.fn

    @property
    def fp_rate(self) -> float:
        """For categories of hard negatives: the share wrongly called a match."""
        negatives = self.fp + self.tn
        return self.fp / negatives if negatives else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_pairs(pairs: Iterable[Mapping[str, object]], threshold: float) -> Iterator[PairResult]:
    for n, pair in enumerate(pairs, start=1):
        query, candidate = pair.get("query"), pair.get("candidate")
        if not isinstance(query, Mapping) or not isinstance(candidate, Mapping):
            raise ValueError(f"pair {n}: 'query' and 'candidate' must be entities")
        result = score(query, candidate)
        yield PairResult(
            id=str(pair.get("id", n)),
            category=str(pair.get("category", "")),
            score=result.score,
            match=result.score >= threshold,
            expected=bool(pair.get("match")),
            explanation=result.explanation,
        )


def summarise(results: Iterable[PairResult]) -> list[Quality]:
    """Confusion counts per category, then overall (category "all")."""
    counts: dict[str, list[int]] = {}
    for r in results:
        for cat in (r.category, "all"):
            c = counts.setdefault(cat, [0, 0, 0, 0])
            c[(0 if r.expected else 1) if r.match else (2 if r.expected else 3)] += 1
    return [
        Quality(cat, sum(c), c[0], c[1], c[2], c[3])
        for cat, c in sorted(counts.items(), key=lambda kv: (kv[0] == "all", kv[0]))
    ]
