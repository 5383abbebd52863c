"""Records into canonical entities: merges strongest first, never across a cannot-link.

Merge edges are, in this order: `same` judgements, strong-evidence links (rules.py),
then scored pairs at or above the auto-merge threshold, best first. Each edge joins two
clusters unless some record of one and some record of the other cannot be one entity:
a standing `different` judgement, or a conflict the rules name (different IMO numbers,
birth dates…) that no `same` judgement on that very pair overrides (nor, for a soft
conflict, a strong link between the two whose rule outweighs birth dates). Because the check
is between whole clusters, a chain A~B~C cannot pull A and C together when A≠C; the
weaker link of the chain is the one refused.

A cluster's id is derived from its anchor member (rules.anchor), so it depends on
who is in the cluster and nothing else: not on import order, version ids or other lists.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from reckon.resolve.pairing import Pair
from reckon.resolve.rules import AUTO_MERGE, Facts, anchor, conflict, outweighs_birth_dates

MERGED, REVIEW, REFUSED, JUDGED = "merged", "review", "refused", "judged"


@dataclass(frozen=True, slots=True)
class Decision:
    pair: Pair
    decision: str  # merged | review | refused | judged
    reason: str | None


@dataclass(slots=True)
class Clustering:
    clusters: dict[str, list[str]]  # canonical id -> member keys, sorted
    canonical: dict[str, str]  # record key -> canonical id
    decisions: list[Decision]


def canonical_id(members: Iterable[str]) -> str:
    return "rk-" + hashlib.blake2b(anchor(members).encode("utf-8"), digest_size=8).hexdigest()


class _Clusters:
    """Union-find keeping each root's member list, to check cannot-links between clusters."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.parent = {k: k for k in keys}
        self.members = {k: [k] for k in self.parent}

    def find(self, k: str) -> str:
        root = k
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[k] != root:
            self.parent[k], k = root, self.parent[k]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))


def cluster(
    facts: Mapping[str, Facts], pairs: Sequence[Pair], verdicts: Mapping[tuple[str, str], str]
) -> Clustering:
    """Cluster the records in `facts` given candidate pairs and standing verdicts."""
    uf = _Clusters(sorted(facts))
    strong_pairs = {(p.left, p.right) for p in pairs if p.rule != "score" and outweighs_birth_dates(p.rule)}

    def cannot(x: str, y: str) -> str | None:
        pair = (x, y) if x < y else (y, x)
        verdict = verdicts.get(pair)
        if verdict == "different":
            return f"judged different: {pair[0]} / {pair[1]}"
        if verdict == "same":
            return None
        found = conflict(facts[x], facts[y])
        if found is None or (not found.hard and pair in strong_pairs):
            return None
        return f"{found.reason} ({pair[0]} / {pair[1]})"

    def try_union(a: str, b: str) -> str | None:
        """Join the clusters of a and b; the reason if refused, None if done (or together)."""
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb:
            return None
        for x in uf.members[ra]:
            for y in uf.members[rb]:
                why = cannot(x, y)
                if why:
                    return why
        uf.union(a, b)
        return None

    present = [p for p in pairs if p.left in facts and p.right in facts]
    same = [Pair(a, b, 1.0, "judged same", "") for (a, b), v in sorted(verdicts.items()) if v == "same"]
    strong = sorted((p for p in present if p.rule != "score"), key=lambda p: (p.left, p.right))
    scored = sorted(
        (p for p in present if p.rule == "score" and p.score >= AUTO_MERGE),
        key=lambda p: (-p.score, p.left, p.right),
    )
    refused: dict[tuple[str, str], str] = {}
    for p in (*same, *strong, *scored):
        if p.left in facts and p.right in facts:
            why = try_union(p.left, p.right)
            if why:
                refused[(p.left, p.right)] = why

    decisions = []
    for p in present:
        key = (p.left, p.right)
        verdict = verdicts.get(key)
        together = uf.find(p.left) == uf.find(p.right)
        if verdict in ("different", "unsure") or (verdict == "same" and together):
            decisions.append(Decision(p, JUDGED, None))
        elif key in refused:
            decisions.append(Decision(p, REFUSED, refused[key]))
        elif together:
            decisions.append(Decision(p, MERGED, None))
        elif p.rule == "score" and p.score < AUTO_MERGE:
            decisions.append(Decision(p, REVIEW, None))
        else:  # a judged-same pair kept apart by a `different` elsewhere
            decisions.append(Decision(p, REFUSED, "kept apart by another judgement or conflict"))

    clusters: dict[str, list[str]] = {}
    canonical: dict[str, str] = {}
    for members in uf.members.values():
        cid = canonical_id(members)
        clusters[cid] = sorted(members)
        for m in members:
            canonical[m] = cid
    return Clustering(clusters, canonical, decisions)


def redirects(old: Mapping[str, str], new: Clustering) -> dict[str, str]:
    """Old canonical ids that no longer exist → the id holding most of their members
    that are still listed (ties: the smaller id). Ids whose members all left have none."""
    gone: dict[str, Counter[str]] = {}
    for record, old_id in old.items():
        if old_id in new.clusters:
            continue
        tally = gone.setdefault(old_id, Counter())
        if record in new.canonical:
            tally[new.canonical[record]] += 1
    return {
        old_id: min(tally, key=lambda cid: (-tally[cid], cid))
        for old_id, tally in sorted(gone.items())
        if tally
    }
