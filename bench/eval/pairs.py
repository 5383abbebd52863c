"""The pair type and small sampling helpers shared by the builders."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")
SEED = 20250414


@dataclass
class Pair:
    category: str
    query: dict[str, object]
    candidate: dict[str, object]
    match: bool
    # provenance: the query's record key(s) and how the query was made (sidecar file only)
    note: dict[str, object] = field(default_factory=dict)


def rng_for(category: str) -> random.Random:
    return random.Random(f"{SEED}:{category}")


def sample(rng: random.Random, pool: Sequence[T], k: int) -> list[T]:
    """k items of pool in a seeded random order (all of them if fewer)."""
    items = list(pool)
    rng.shuffle(items)
    return items[:k]
