"""Pairwise precision and recall of a clustering against the gold standard (bench/resolve/gold.py).

A clustering is what `reckon clusters --json` prints, and what bench/resolve/peer_splink.py
writes: a JSON array of `{"id", "schema", "caption", "members": ["source:record_id", ...]}`.
reckon's and splink's clusterings are scored by the same function, `evaluate`.

- **Recall**: gold pairs (two records of one gold cluster) that the clustering puts in one cluster,
  over all gold pairs. A gold record the clustering does not mention counts as a cluster of one.
- **Precision** (closed world): over predicted pairs whose two records are both in gold clusters,
  the share that gold links. This treats two gold clusters as different entities, which the
  evidence does not always prove: a US record links to its UN counterpart only if some rule
  finds them, so a correct merge of two gold clusters counts as wrong here. The false positives
  are therefore split into *known negatives* (the two records carry different UN references or
  different IMO numbers: certainly wrong) and *unproven* (no evidence either way).
- **Known-negative violations**: predicted pairs whose records carry disjoint values of a scheme
  unique per entity (UN reference, IMO), counted over every keyed record, gold cluster or not.
- **Precision on decided pairs**: gold pairs found / (gold pairs found + known-negative
  violations): the pairs on which the evidence gives a verdict either way.
- **Audited precision**: the unproven pairs weighed by the share of them that a labelled random
  sample (bench/resolve/audit.py) found to be one entity, with a 95% interval.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

from bench.resolve.audit import estimate, read_labels
from bench.resolve.gold import UNIQUE_SCHEMES, Gold

# Above this many keyed records in one predicted cluster, known negatives are counted per scheme
# by formula instead of pair by pair (a pair negative under two schemes is then counted twice).
_EXPLICIT_LIMIT = 300
_EXAMPLES = 10


def load_clusters(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON array of clusters")
    return data


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None or p + r == 0:
        return None
    return 2 * p * r / (p + r)


def _negative(a: Mapping[str, list[str]], b: Mapping[str, list[str]]) -> str | None:
    """The scheme under which two records are known to differ, if any."""
    for scheme in UNIQUE_SCHEMES:
        va, vb = a.get(scheme), b.get(scheme)
        if va and vb and not set(va) & set(vb):
            return scheme
    return None


def gold_index(gold: Gold) -> tuple[dict[str, str], dict[str, dict[str, list[str]]]]:
    """Record key → id of its gold cluster (clusters of two or more), and every keyed
    record's values of the schemes unique per entity."""
    gold_of: dict[str, str] = {}
    keys: dict[str, dict[str, list[str]]] = {}
    for g in gold.clusters:
        keys.update(g.get("keys", {}))
        if len(g["members"]) > 1:
            gold_of.update(dict.fromkeys(g["members"], g["id"]))
    return gold_of, keys


def _unproven(a: str, b: str, keys: Mapping[str, Mapping[str, list[str]]]) -> bool:
    """Whether two records of different gold clusters are not known to differ either."""
    return not (a in keys and b in keys and _negative(keys[a], keys[b]))


def unproven_pairs(clusters: Iterable[Mapping[str, Any]], gold: Gold) -> list[tuple[str, str]]:
    """The predicted pairs the gold cannot decide: two gold records of different gold
    clusters in one predicted cluster, with no known negative between them (what
    `evaluate` counts as unproven, and bench/resolve/audit.py samples)."""
    gold_of, keys = gold_index(gold)
    out = []
    for c in clusters:
        in_gold = sorted({m for m in c["members"] if m in gold_of})
        out += [
            (a, b) for a, b in combinations(in_gold, 2) if gold_of[a] != gold_of[b] and _unproven(a, b, keys)
        ]
    return out


def _count_negatives_by_formula(keyed: Sequence[str], keys: Mapping[str, Mapping[str, list[str]]]) -> int:
    total = 0
    for scheme in UNIQUE_SCHEMES:
        sets = [frozenset(keys[m][scheme]) for m in keyed if scheme in keys[m]]
        single = Counter(next(iter(s)) for s in sets if len(s) == 1)
        n = sum(single.values())
        total += _pairs(n) - sum(_pairs(c) for c in single.values())
        multi = [s for s in sets if len(s) > 1]
        for i, s in enumerate(multi):
            total += sum(1 for t in sets if not s & t) - sum(1 for t in multi[: i + 1] if not s & t)
    return total


def evaluate(
    clusters: Iterable[Mapping[str, Any]], gold: Gold, labels: Mapping[tuple[str, str], str] | None = None
) -> dict[str, Any]:
    """Score a clustering against the gold; the same function serves every resolver. `labels`
    (default: bench/resolve/audit_labels.jsonl) judge a sample of the unproven pairs."""
    gold_of, keys = gold_index(gold)
    gold_size = Counter(gold_of.values())

    pred_of: dict[str, int] = {}
    duplicated = 0
    n_clusters = 0
    multi_clusters = 0
    members_total = 0
    pred_pairs = tp = 0
    kn_total = kn_in_gold = 0
    kn_by_scheme: Counter[str] = Counter()
    kn_clusters = 0
    fp_examples: list[list[str]] = []
    fp_sources: Counter[str] = Counter()
    unproven: list[tuple[str, str]] = []
    kn_examples: list[list[str]] = []
    for n, c in enumerate(clusters):
        members = list(dict.fromkeys(c["members"]))
        n_clusters += 1
        members_total += len(members)
        if len(members) > 1:
            multi_clusters += 1
        for m in members:
            if m in pred_of:
                duplicated += 1
            pred_of[m] = n
        in_gold = [m for m in members if m in gold_of]
        by_gold = Counter(gold_of[m] for m in in_gold)
        pairs = _pairs(len(in_gold))
        found = sum(_pairs(v) for v in by_gold.values())
        pred_pairs += pairs
        tp += found
        if pairs > found and len(in_gold) <= _EXPLICIT_LIMIT:
            for a, b in combinations(sorted(in_gold), 2):
                if gold_of[a] != gold_of[b]:
                    if _unproven(a, b, keys):
                        unproven.append((a, b))
                    fp_sources[" ↔ ".join(sorted((a.split(":", 1)[0], b.split(":", 1)[0])))] += 1
                    if len(fp_examples) < _EXAMPLES:
                        fp_examples.append([a, b])
        keyed = [m for m in members if m in keys]
        if len(keyed) < 2:
            continue
        before = kn_total
        if len(keyed) <= _EXPLICIT_LIMIT:
            for a, b in combinations(keyed, 2):
                scheme = _negative(keys[a], keys[b])
                if scheme:
                    kn_total += 1
                    kn_by_scheme[scheme] += 1
                    kn_in_gold += a in gold_of and b in gold_of
                    if len(kn_examples) < _EXAMPLES:
                        kn_examples.append([a, b, scheme])
        else:
            count = _count_negatives_by_formula(keyed, keys)
            kn_total += count
            kn_by_scheme["(formula)"] += count
            kn_in_gold += _count_negatives_by_formula([m for m in keyed if m in gold_of], keys)
        kn_clusters += kn_total > before

    # Recall, per gold cluster and per rule of the evidence.
    together: dict[str, Counter[int]] = defaultdict(Counter)
    unpredicted = 0
    for m, g in gold_of.items():
        if m in pred_of:
            together[g][pred_of[m]] += 1
        else:
            unpredicted += 1
    gold_pairs = sum(_pairs(s) for s in gold_size.values())
    found_pairs = sum(_pairs(v) for c in together.values() for v in c.values())
    complete = sum(1 for g, s in gold_size.items() if max(together[g].values(), default=0) == s)
    rule_total: Counter[str] = Counter()
    rule_found: Counter[str] = Counter()
    missed_examples: list[list[str]] = []
    for g in gold.clusters:
        for rule, _value, group in g.get("evidence", []):
            for a, b in combinations(group, 2):
                rule_total[rule] += 1
                if a in pred_of and pred_of.get(a) == pred_of.get(b):
                    rule_found[rule] += 1
                elif len(missed_examples) < _EXAMPLES:
                    missed_examples.append([a, b, rule])

    audit = estimate(unproven, tp, read_labels() if labels is None else labels)
    interval = audit.get("precision_interval", [None, None])
    precision = _ratio(tp, pred_pairs)
    recall = _ratio(found_pairs, gold_pairs)
    decided = _ratio(tp, tp + kn_total)
    return {
        "clusters": n_clusters,
        "multi_member_clusters": multi_clusters,
        "records": members_total,
        "records_in_two_clusters": duplicated,
        "largest_cluster": max((c for c in Counter(pred_of.values()).values()), default=0),
        "gold_records": len(gold_of),
        "gold_records_missing": unpredicted,
        "gold_pairs": gold_pairs,
        "gold_pairs_found": found_pairs,
        "gold_clusters": len(gold_size),
        "gold_clusters_complete": complete,
        "recall": recall,
        "recall_by_rule": {r: _ratio(rule_found[r], rule_total[r]) for r in rule_total},
        "predicted_gold_pairs": pred_pairs,
        "true_positive_pairs": tp,
        "false_positive_pairs": pred_pairs - tp,
        "false_positive_known_negative": kn_in_gold,
        "false_positive_unproven": pred_pairs - tp - kn_in_gold,
        "false_positive_by_sources": dict(fp_sources.most_common(10)),
        "precision": precision,
        "f1": _f1(precision, recall),
        "known_negative_violations": kn_total,
        "known_negative_by_scheme": dict(kn_by_scheme),
        "clusters_with_known_negative": kn_clusters,
        "precision_decided": decided,
        "precision_audited": audit.get("precision_estimated"),
        "precision_audited_low": interval[0],
        "precision_audited_high": interval[1],
        "audit": audit,
        "f1_decided": _f1(decided, recall),
        "examples": {"missed": missed_examples, "false_positive": fp_examples, "known_negative": kn_examples},
    }
