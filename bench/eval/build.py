"""Build bench/pairs/*.jsonl from the real list files: `python -m bench.eval.build [--out DIR]`.

Deterministic (fixed seeds, sorted inputs): running it twice gives byte-identical files.
Each output has a sidecar `*.provenance.jsonl` (id -> the query's record key and how the
query was made), so every label can be checked against the lists.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

from bench.eval import negatives, nk, positives
from bench.eval.data import ROOT, load
from bench.eval.pairs import Pair

OUT = ROOT / "bench" / "pairs"


def number(pairs: list[Pair]) -> list[tuple[str, Pair]]:
    seen: Counter[str] = Counter()
    out = []
    for p in pairs:
        seen[p.category] += 1
        out.append((f"{p.category}-{seen[p.category]}", p))
    return out


def write(path: Path, pairs: list[Pair]) -> Counter[str]:
    numbered = number(pairs)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for pid, p in numbered:
            row = {
                "id": pid,
                "category": p.category,
                "query": p.query,
                "candidate": p.candidate,
                "match": p.match,
            }
            fh.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
    with path.with_suffix(".provenance.jsonl").open("w", encoding="utf-8", newline="\n") as fh:
        for pid, p in numbered:
            fh.write(json.dumps({"id": pid, **p.note}, ensure_ascii=False, separators=(",", ":")) + "\n")
    return Counter(f"{p.category}\t{p.match}" for p in pairs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    t0 = time.perf_counter()
    lists = load()
    t1 = time.perf_counter()
    clusters = negatives.Clusters(lists)
    pairs: list[Pair] = []
    for build in positives.ALL:
        pairs.extend(build(lists))
    for build_neg in negatives.ALL:
        pairs.extend(build_neg(lists, clusters))
    counts = write(args.out / "reckon_pairs.jsonl", pairs)
    counts += write(args.out / "nk_name_bench.jsonl", nk.name_bench())
    counts += write(args.out / "nk_entity_bench.jsonl", nk.entity_bench())
    t2 = time.perf_counter()
    for key in sorted(counts):
        cat, match = key.split("\t")
        print(f"{cat:28} {match:5} {counts[key]:5}")
    print(f"parse {t1 - t0:.1f}s, build {t2 - t1:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
