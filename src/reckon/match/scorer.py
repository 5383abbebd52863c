"""The one scoring function: two FtM-shaped entities in, a score with its reasons out.

Screening, resolution and annotation all call `score`. The score is a logistic
combination of the declared features; each feature's contribution is kept, so the
explanation is the declaration read back.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from reckon.match.features import BIAS, DECISIVE_FLOOR, FEATURES, Evidence, Feature
from reckon.match.names import Weigher
from reckon.match.prepare import Prepared, prepare


@dataclass(frozen=True, slots=True)
class Contribution:
    feature: str
    value: float
    weight: float
    detail: str


@dataclass(frozen=True, slots=True)
class MatchResult:
    score: float
    contributions: tuple[Contribution, ...]

    @property
    def explanation(self) -> str:
        return "; ".join(c.detail for c in self.contributions)


def _uniform(_: str) -> float:
    return 1.0


_KIND = {"Person": "person", "Vessel": "vessel", "Airplane": "airplane"}


def compatible(q: Prepared, c: Prepared) -> bool:
    """People are compared with people, vessels with vessels, organisations with
    organisations; a LegalEntity (the lists did not say) with anyone but craft."""
    kq, kc = _KIND.get(q.schema, "org"), _KIND.get(c.schema, "org")
    if "LegalEntity" in (q.schema, c.schema):
        return not {kq, kc} & {"vessel", "airplane"}
    return kq == kc


def score_prepared(
    q: Prepared, c: Prepared, weigh: Weigher = _uniform, features: tuple[Feature, ...] = FEATURES
) -> MatchResult:
    if not compatible(q, c):
        return _incompatible(q, c)
    evidence = [f.func(q, c, weigh) for f in features]
    return _result(features, evidence, _combine(features, evidence))


def score_reaching(
    q: Prepared,
    c: Prepared,
    threshold: float,
    weigh: Weigher = _uniform,
    features: tuple[Feature, ...] = FEATURES,
) -> MatchResult | None:
    """`score_prepared` where the score reaches `threshold`, else None.

    Screening scores twenty candidates a query and keeps a few. Features with a bound
    (names, the slow one) are weighed last, and only where at their bound they could
    still lift the score to the threshold; results below it are not put together."""
    if threshold <= 0:
        # Every score reaches it (a text search keeps all it finds): no bound can spare
        # work, and working bounds out would cost as much as the names' evidence itself.
        return score_prepared(q, c, weigh, features)
    if not compatible(q, c):
        result = _incompatible(q, c)
        return result if result.score >= threshold else None
    evidence = [None if f.bound else f.func(q, c, weigh) for f in features]
    # Bounds in place of the values, first the loosest (no value exceeds 1), then the
    # features' own: float addition and rounding are monotonic, so no actual score
    # exceeds the ceiling by more than the noise of exp(), far below 1e-9.
    short = threshold - 1e-9
    pairs = list(zip(features, evidence, strict=True))
    if _combine(features, [_ONE if f.bound else ev for f, ev in pairs]) < short:
        return None
    if _combine(features, [Evidence(f.bound(q, c, weigh), "") if f.bound else ev for f, ev in pairs]) < short:
        return None
    evidence = [f.func(q, c, weigh) if f.bound else ev for f, ev in pairs]
    score = _combine(features, evidence)
    return _result(features, evidence, score) if score >= threshold else None


_ONE = Evidence(1.0, "")


def _combine(features: tuple[Feature, ...], evidence: list[Evidence | None]) -> float:
    z = BIAS
    decided = False
    for f, ev in zip(features, evidence, strict=True):
        if ev is not None:
            z += f.weight * ev.value
            decided = decided or (f.decisive and ev.value >= 1.0)
    p = 1.0 / (1.0 + math.exp(-z))
    return max(p, DECISIVE_FLOOR) if decided else p


def _result(features: tuple[Feature, ...], evidence: list[Evidence | None], score: float) -> MatchResult:
    parts = tuple(
        Contribution(f.name, ev.value, f.weight, ev.detail)
        for f, ev in zip(features, evidence, strict=True)
        if ev is not None
    )
    return MatchResult(score, parts)


def _incompatible(q: Prepared, c: Prepared) -> MatchResult:
    return MatchResult(0.0, (Contribution("schema", -1.0, 0.0, f"{q.schema} vs {c.schema}"),))


def score(query: Mapping[str, object], candidate: Mapping[str, object]) -> MatchResult:
    """Score two FtM-shaped entities (`{"schema", "properties"}`), as yente's /match takes."""
    return score_prepared(prepare(query), prepare(candidate))
