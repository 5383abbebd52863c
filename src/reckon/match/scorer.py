"""The one scoring function: two FtM-shaped entities in, a score with its reasons out.

Screening, resolution and annotation all call `score`. The score is a logistic
combination of the declared features; each feature's contribution is kept, so the
explanation is the declaration read back.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from reckon.match.features import BIAS, DECISIVE_FLOOR, FEATURES, Feature
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
        return MatchResult(0.0, (Contribution("schema", -1.0, 0.0, f"{q.schema} vs {c.schema}"),))
    z = BIAS
    decided = False
    parts: list[Contribution] = []
    for f in features:
        ev = f.func(q, c, weigh)
        if ev is None:
            continue
        z += f.weight * ev.value
        decided = decided or (f.decisive and ev.value >= 1.0)
        parts.append(Contribution(f.name, ev.value, f.weight, ev.detail))
    p = 1.0 / (1.0 + math.exp(-z))
    return MatchResult(max(p, DECISIVE_FLOOR) if decided else p, tuple(parts))


def score(query: Mapping[str, object], candidate: Mapping[str, object]) -> MatchResult:
    """Score two FtM-shaped entities (`{"schema", "properties"}`), as yente's /match takes."""
    return score_prepared(prepare(query), prepare(candidate))
