"""Precision where the gold is silent: a labelled random sample of the merges it cannot decide.

The closed-world precision of bench/resolve/evaluate.py counts every merge of two gold clusters
as wrong. Most of them join a US record to its UK, UN or Australian counterpart, which no
hard evidence in the lists bridges (the US lists carry no UN reference numbers), so that figure
is a floor, not a measurement. This module measures the rest by sampling:

1. `sample` draws record pairs uniformly, with a fixed seed, from the *unproven* pairs of a
   clustering (two gold records of different gold clusters in one predicted cluster), and prints
   them side by side: names, birth dates, nationalities and identifiers.
2. A person judges each pair from those facts and writes the verdict to `LABELS`
   (`{"a", "b", "verdict": "same" | "different" | "unsure", "why"}`), one line per pair.
3. `estimate` applies the labels to any clustering: the share of labelled unproven pairs that
   are the same entity, with a 95% Wilson interval, extrapolated to all unproven pairs. It says
   how many of the clustering's unproven pairs the labels cover; a sample drawn from one
   resolver's merges says less about another's.

Usage: `python -m bench.resolve.audit sample CLUSTERS.json [--n 150] [--seed 20261122] [--db STORE]`.
"""

from __future__ import annotations

import argparse
import json
import math
import random
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

LABELS = Path(__file__).with_name("audit_labels.jsonl")
VERDICTS = ("same", "different", "unsure")
_Z95 = 1.959964
_SHOWN = (
    "birthDate",
    "nationality",
    "citizenship",
    "country",
    "passportNumber",
    "idNumber",
    "innCode",
    "imoNumber",
    "registrationNumber",
    "birthPlace",
)


def read_labels(path: Path = LABELS) -> dict[tuple[str, str], str]:
    labels: dict[tuple[str, str], str] = {}
    if not path.exists():
        return labels
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("verdict") not in VERDICTS:
            raise ValueError(f"{path}:{n}: verdict must be one of {', '.join(VERDICTS)}")
        a, b = sorted((row["a"], row["b"]))
        labels[(a, b)] = row["verdict"]
    return labels


def wilson(successes: int, n: int) -> tuple[float, float]:
    """95% Wilson score interval of a proportion."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    centre = p + _Z95**2 / (2 * n)
    spread = _Z95 * math.sqrt(p * (1 - p) / n + _Z95**2 / (4 * n * n))
    denom = 1 + _Z95**2 / n
    return (centre - spread) / denom, (centre + spread) / denom


def estimate(
    unproven: Sequence[tuple[str, str]], true_positives: int, labels: Mapping[tuple[str, str], str]
) -> dict[str, Any]:
    """Precision with the unproven pairs weighed by the labelled sample's share of true merges."""
    verdicts = [labels[p] for p in unproven if p in labels]
    same, different = verdicts.count("same"), verdicts.count("different")
    judged = same + different
    predicted = true_positives + len(unproven)
    out: dict[str, Any] = {
        "labelled": len(verdicts),
        "same": same,
        "different": different,
        "unsure": verdicts.count("unsure"),
        "different_pairs": sorted(list(p) for p in unproven if labels.get(p) == "different"),
    }
    if not judged or not predicted:
        return out
    low, high = wilson(same, judged)
    out["unproven_same_share"] = same / judged
    out["unproven_same_interval"] = [low, high]
    out["precision_estimated"] = (true_positives + len(unproven) * same / judged) / predicted
    out["precision_interval"] = [(true_positives + len(unproven) * x) / predicted for x in (low, high)]
    return out


def draw(unproven: Sequence[tuple[str, str]], n: int, seed: int) -> list[tuple[str, str]]:
    pool = sorted(unproven)
    return random.Random(seed).sample(pool, min(n, len(pool)))


def _describe(entity: Mapping[str, Any]) -> str:
    props = entity["properties"]
    names = list(props.get("name", []))
    if props.get("alias"):
        names.append("aka " + " | ".join(props["alias"][:4]))
    facts = {k: props[k][:4] for k in _SHOWN if k in props}
    return f"{entity['id']} {entity['schema']} {names} {json.dumps(facts, ensure_ascii=False)}"


def sheet(pairs: Sequence[tuple[str, str]], entities: Mapping[str, Mapping[str, Any]]) -> Iterator[str]:
    """The pairs side by side, as a person judges them."""
    for n, (a, b) in enumerate(pairs):
        yield f"{n}\n   {_describe(entities[a])}\n   {_describe(entities[b])}"


def main() -> None:
    from bench.resolve.evaluate import load_clusters, unproven_pairs
    from bench.resolve.gold import STORE, read
    from reckon.store.queries import current_entities
    from reckon.store.schema import connect

    ap = argparse.ArgumentParser(prog="python -m bench.resolve.audit")
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample", help="print a random sample of a clustering's unproven pairs")
    s.add_argument("clusters", type=Path, help="a clustering as `reckon clusters --json` prints it")
    s.add_argument("--n", type=int, default=150)
    s.add_argument("--seed", type=int, default=20261122)
    s.add_argument("--db", type=Path, default=STORE)
    s.add_argument("--unlabelled", action="store_true", help="leave out pairs already in the labels")
    args = ap.parse_args()
    unproven = unproven_pairs(load_clusters(args.clusters), read())
    pairs = draw(unproven, args.n, args.seed)
    if args.unlabelled:
        known = read_labels()
        pairs = [p for p in pairs if p not in known]
    con = connect(args.db, read_only=True)
    entities = {e["id"]: e for e in current_entities(con, keys=sorted({k for p in pairs for k in p}))}
    print(f"{len(unproven)} unproven pairs; {len(pairs)} drawn with seed {args.seed}")
    for block in sheet(pairs, entities):
        print(block)


if __name__ == "__main__":
    main()
