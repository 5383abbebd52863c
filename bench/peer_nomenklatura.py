"""Matching quality and speed: reckon's scorer against nomenklatura's logic-v2 and logic-v1.

nomenklatura (MIT, © OpenSanctions) is the matcher behind yente; logic-v2 is yente's default
algorithm. It is a bench-only peer (the `bench` extra), never a dependency of reckon.

Every matcher sees the same labelled pairs (bench/pairs/*.jsonl, read at run time), and every
one is summarised by the same code here. Inputs are prepared before the clock starts: the
pair file is read and, for nomenklatura, the FtM proxies are built. reckon's `score()` is timed
on the dict entities as they are, so its time includes its own preparation of names; that is
fair because nomenklatura's `compare()` also prepares (parses, tags, transliterates) names inside
the timed call.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCORES = ROOT / "bench" / "results" / "match"

# reckon's default: the CLI's --threshold for `screen` and `pairs`, and Index.search.
RECKON_THRESHOLD = 0.7
# nomenklatura's algorithms declare no threshold of their own; yente applies its
# SCORE_THRESHOLD (0.70 by default) to whichever algorithm is chosen, and the frozen
# logic-v2 run in matching-dev cuts at 0.70 too (lowest predicted match 0.7005).
NK_THRESHOLD = 0.7

MATCHERS = ("reckon", "logic-v2", "logic-v1")
THRESHOLDS = {"reckon": RECKON_THRESHOLD, "logic-v2": NK_THRESHOLD, "logic-v1": NK_THRESHOLD}
WARM_PASSES = 3

Entity = Mapping[str, Any]
Scorer = Callable[[Any, Any], float]


def read_pairs(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def nk_version() -> str:
    from importlib.metadata import version

    return version("nomenklatura")


def to_proxy(entity: Entity, ident: str) -> Any:
    """An FtM proxy from a pair entity: a synthetic valid id, properties the schema lacks
    dropped, values cleaned as FtM cleans untrusted input (yente does the same to queries)."""
    from followthemoney import model

    schema = model.get(str(entity["schema"]))
    if schema is None:
        raise ValueError(f"unknown schema {entity['schema']!r}")
    props = {k: list(v) for k, v in dict(entity.get("properties", {})).items() if k in schema.properties}
    return model.get_proxy({"id": ident, "schema": schema.name, "properties": props}, cleaned=False)


def _nk_algorithm(name: str) -> Any:
    from nomenklatura.matching import get_algorithm

    algorithm = get_algorithm(name)
    if algorithm is None:
        raise ValueError(f"nomenklatura has no algorithm {name!r}")
    return algorithm


def prepare(matcher: str, pairs: Sequence[Mapping[str, Any]]) -> tuple[list[tuple[Any, Any]], Scorer]:
    """The scoring inputs and a function from one input pair to a score."""
    if matcher == "reckon":
        from reckon.match.scorer import score

        def reckon_score(q: Any, c: Any) -> float:
            return float(score(q, c).score)

        return [(p["query"], p["candidate"]) for p in pairs], reckon_score
    algorithm = _nk_algorithm(matcher)
    config = algorithm.default_config()

    def nk_score(q: Any, c: Any) -> float:
        return float(algorithm.compare(q, c, config).score)

    inputs = [
        (to_proxy(p["query"], f"q{n}"), to_proxy(p["candidate"], f"c{n}")) for n, p in enumerate(pairs, 1)
    ]
    return inputs, nk_score


_WARMUP = (
    {"schema": "Person", "properties": {"name": ["Иван Петров"], "birthDate": ["1970-01-01"]}},
    {"schema": "Person", "properties": {"name": ["Ivan PETROV"], "birthDate": ["1970"]}},
)


def timed_scores(matcher: str, pairs: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Scores of every pair and the scoring speed: `cold` is the first pass (every pair
    scored once, as a fresh process meets them), `warm` the mean of later passes, when
    the matcher's own caches (name preparation) are full. One warm-up pair not in the file
    is scored first so lazily loaded reference data is not charged to the first pair.

    Speeds are pairs per CPU second of this process (`time.process_time`), so other work on
    the same core does not count against a matcher; wall-clock seconds are kept alongside."""
    inputs, scorer = prepare(matcher, pairs)
    w_inputs, _ = prepare(matcher, [{"query": _WARMUP[0], "candidate": _WARMUP[1]}])
    t = time.perf_counter()
    scorer(*w_inputs[0])
    warmup = time.perf_counter() - t
    t, cpu = time.perf_counter(), time.process_time()
    scores = [scorer(q, c) for q, c in inputs]
    cold, cold_cpu = time.perf_counter() - t, time.process_time() - cpu
    t, cpu = time.perf_counter(), time.process_time()
    for _ in range(WARM_PASSES):
        for q, c in inputs:
            scorer(q, c)
    warm = (time.perf_counter() - t) / WARM_PASSES
    warm_cpu = (time.process_time() - cpu) / WARM_PASSES
    n = len(inputs)
    return {
        "scores": scores,
        "warmup_seconds": warmup,
        "cold_seconds": cold,
        "cold_cpu_seconds": cold_cpu,
        "warm_seconds": warm,
        "warm_cpu_seconds": warm_cpu,
        "cold_pairs_per_second": n / cold_cpu if cold_cpu else None,
        "warm_pairs_per_second": n / warm_cpu if warm_cpu else None,
        "cold_pairs_per_wall_second": n / cold if cold else None,
    }


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def quality(rows: Iterable[tuple[str, bool, bool]]) -> dict[str, dict[str, Any]]:
    """Per category (then "all"): tp/fp/fn/tn, precision, recall, F1 (only where the category
    has positives; None where undefined), false-positive rate and specificity."""
    counts: dict[str, dict[str, int]] = {}
    for category, expected, predicted in rows:
        for cat in (category, "all"):
            c = counts.setdefault(cat, {"tp": 0, "fp": 0, "fn": 0, "tn": 0})
            key = ("tp" if expected else "fp") if predicted else ("fn" if expected else "tn")
            c[key] += 1
    out: dict[str, dict[str, Any]] = {}
    for cat in sorted(counts, key=lambda k: (k == "all", k)):
        c = counts[cat]
        tp, fp, fn, tn = c["tp"], c["fp"], c["fn"], c["tn"]
        positives, negatives = tp + fn, fp + tn
        p = _ratio(tp, tp + fp)
        r = _ratio(tp, positives)
        f1 = None
        if positives:
            f1 = 2 * p * r / (p + r) if p is not None and r is not None and p + r else 0.0
        out[cat] = {
            **c,
            "pairs": positives + negatives,
            "positives": positives,
            "precision": p,
            "recall": r,
            "f1": f1,
            "fp_rate": _ratio(fp, negatives),
            "specificity": _ratio(tn, negatives),
        }
    return out


def score_file(matcher: str, path: Path) -> dict[str, Any]:
    """One matcher over one pair file: quality per category and speed. Per-pair scores go
    to bench/results/match/<file>.<matcher>.jsonl for the cross-matcher comparison."""
    pairs = read_pairs(path)
    run = timed_scores(matcher, pairs)
    threshold = THRESHOLDS[matcher]
    scores: list[float] = run.pop("scores")
    rows = [
        (str(p["category"]), bool(p["match"]), s >= threshold) for p, s in zip(pairs, scores, strict=True)
    ]
    SCORES.mkdir(parents=True, exist_ok=True)
    with (SCORES / f"{path.stem}.{matcher}.jsonl").open("w", encoding="utf-8") as fh:
        for p, s in zip(pairs, scores, strict=True):
            fh.write(
                json.dumps({"id": p["id"], "category": p["category"], "match": p["match"], "score": s}) + "\n"
            )
    result: dict[str, Any] = {
        "matcher": matcher,
        "file": path.name,
        "pairs": len(pairs),
        "threshold": threshold,
        "quality": quality(rows),
        **run,
    }
    if matcher != "reckon":
        result["nomenklatura"] = nk_version()
    return result


def compare_files(path: Path, limit: int = 10) -> dict[str, Any]:
    """Where reckon is wrong and logic-v2 right (and the reverse), from the per-pair scores
    the `match_*` cases of this run wrote."""
    by: dict[str, dict[str, dict[str, Any]]] = {}
    for matcher in ("reckon", "logic-v2"):
        f = SCORES / f"{path.stem}.{matcher}.jsonl"
        by[matcher] = {r["id"]: r for r in read_pairs(f)}
    losses: list[dict[str, Any]] = []
    wins: list[dict[str, Any]] = []
    lost_by_cat: dict[str, int] = {}
    won_by_cat: dict[str, int] = {}
    for pid, ours in by["reckon"].items():
        peer = by["logic-v2"].get(pid)
        if peer is None:
            continue
        ours_right = (ours["score"] >= RECKON_THRESHOLD) == ours["match"]
        peer_right = (peer["score"] >= NK_THRESHOLD) == peer["match"]
        row = {
            "id": pid,
            "category": ours["category"],
            "match": ours["match"],
            "reckon": round(ours["score"], 4),
            "logic-v2": round(peer["score"], 4),
        }
        if peer_right and not ours_right:
            losses.append(row)
            lost_by_cat[row["category"]] = lost_by_cat.get(row["category"], 0) + 1
        elif ours_right and not peer_right:
            wins.append(row)
            won_by_cat[row["category"]] = won_by_cat.get(row["category"], 0) + 1

    def spread(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # Examples from as many categories as possible, in file order within each.
        picked: list[dict[str, Any]] = []
        seen: set[str] = set()
        for row in rows:
            if row["category"] not in seen:
                picked.append(row)
                seen.add(row["category"])
        picked += [r for r in rows if r not in picked]
        return picked[:limit]

    return {
        "file": path.name,
        "reckon_wrong_v2_right": len(losses),
        "reckon_right_v2_wrong": len(wins),
        "lost_by_category": dict(sorted(lost_by_cat.items(), key=lambda kv: -kv[1])),
        "won_by_category": dict(sorted(won_by_cat.items(), key=lambda kv: -kv[1])),
        "loss_examples": spread(losses),
    }


def frozen_check(path: Path) -> dict[str, Any]:
    """Live logic-v2 on the name pairs of OpenSanctions' frozen logic-v2 run
    (contrib/name_bench/run_data/logicv2-frozen.csv): agreement of predictions and scores."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    pairs = [
        {
            "query": {"schema": r["schema"], "properties": {"name": [r["name1"]]}},
            "candidate": {"schema": r["schema"], "properties": {"name": [r["name2"]]}},
        }
        for r in rows
    ]
    inputs, scorer = prepare("logic-v2", pairs)
    live = [scorer(q, c) for q, c in inputs]
    agree = 0
    diffs: list[float] = []
    disagreements: list[dict[str, Any]] = []
    live_right = frozen_right = 0
    for r, s in zip(rows, live, strict=True):
        frozen_pred = r["predicted_match"].strip().lower() == "true"
        expected = r["is_match"].strip().lower() == "true"
        pred = s >= NK_THRESHOLD
        agree += pred == frozen_pred
        live_right += pred == expected
        frozen_right += frozen_pred == expected
        diffs.append(abs(s - float(r["score"])))
        if pred != frozen_pred:
            disagreements.append(
                {
                    "case_id": r["case_id"],
                    "schema": r["schema"],
                    "name1": r["name1"],
                    "name2": r["name2"],
                    "frozen": float(r["score"]),
                    "live": round(s, 4),
                }
            )
    n = len(rows)
    return {
        "rows": n,
        "threshold": NK_THRESHOLD,
        "nomenklatura": nk_version(),
        "prediction_agreement": agree / n if n else None,
        "disagree": n - agree,
        "scores_within_0.01": sum(d <= 0.01 for d in diffs) / n if n else None,
        "mean_abs_score_diff": sum(diffs) / n if n else None,
        "max_abs_score_diff": max(diffs, default=0.0),
        "accuracy_live": live_right / n if n else None,
        "accuracy_frozen": frozen_right / n if n else None,
        "disagreements": disagreements[:10],
    }
