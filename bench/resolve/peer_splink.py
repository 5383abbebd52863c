"""splink (Ministry of Justice, MIT) as a side-by-side peer for cross-list resolution.

Runs in the peer venv (.venv-peer, from the `peer` extra): `.venv-peer/bin/python -m
bench.resolve.peer_splink RECORDS.parquet CLUSTERS.json [--threshold P] [--sweep P ...]`.
It imports neither reckon nor its resolve code: it reads the current statements of every
record, exported from the store to Parquet by the caller (bench/child.py, since the store's
DuckDB may be newer than the one splink runs on), and writes clusters in the format of
`reckon clusters --json`. The last line printed is JSON: timings, peak RSS and counts.

The model, splink 4 on DuckDB (one thread), one row per record:
- `names`: every name, alias and previous name, normalised (ASCII, lower case, punctuation out,
  tokens sorted, so name order does not matter); compared by the best pair (exact, Jaro-Winkler
  ≥ 0.95, ≥ 0.88).
- `dobs` (full birth dates) and `dob_years`; `countries` (nationality, citizenship, country,
  birth country, flag, jurisdiction); `ids`: every identifier (passport, national id, IMO, INN,
  OGRN, tax, registration, SWIFT, LEI, MMSI, call sign, UN reference …), normalised, plus the
  lists' own same-as cross-references as a shared id, since reckon sees those too.
- Blocking for prediction: same kind (person, organisation, vessel, airplane) and a shared
  name key (the two longest tokens of a name), identifier, or birth date.
- Training: λ from exact-name agreement, u by random sampling, m by EM in two sessions
  (blocked on name, then on birth date or identifier). Clusters: connected components of
  pairs at or above the match-probability threshold.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

T_START = time.perf_counter()

THRESHOLD = 0.95
NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
COUNTRY_PROPS = ("nationality", "citizenship", "country", "birthCountry", "flag", "jurisdiction")
ID_PROPS = (
    "passportNumber", "idNumber", "imoNumber", "innCode", "ogrnCode", "taxNumber", "registrationNumber",
    "swiftBic", "leiCode", "okpoCode", "vatCode", "mmsi", "callSign", "serialNumber", "icaoCode",
    "socialSecurityNumber", "dunsCode", "bikCode", "unscId",
)  # fmt: skip
KINDS = {"Person": "person", "Vessel": "vessel", "Airplane": "airplane"}
MAX_NAMES = 20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def norm_id(prop: str, value: str) -> str | None:
    v = re.sub(r"[^0-9A-Za-z.]", "", value).upper()
    if prop == "imoNumber":
        digits = re.sub(r"\D", "", value)
        return f"IMO{digits}" if len(digits) == 7 else None
    if prop == "unscId":
        return f"UN:{v}"
    v = v.replace(".", "")
    return v if len(v) >= 5 and any(c.isdigit() for c in v) else None


def records_frame(path: Path) -> tuple[Any, dict[str, tuple[str, str]]]:
    """One row per record with splink's columns, and each record's (schema, caption)."""
    import duckdb
    import pandas as pd
    from normality import normalize

    con = duckdb.connect()
    rows = con.execute(f"SELECT key, schema, caption, prop, value FROM read_parquet('{path}')").fetchall()
    con.close()
    recs: dict[str, dict[str, Any]] = {}
    name_cache: dict[str, str | None] = {}
    links: list[tuple[str, str]] = []
    for key, schema, caption, prop, value in rows:
        r = recs.get(key)
        if r is None:
            r = recs[key] = {"schema": schema, "caption": caption, "names": [], "dobs": set(),
                             "countries": set(), "ids": set()}  # fmt: skip
        if prop in NAME_PROPS:
            if value not in name_cache:
                n = normalize(value, ascii=True)
                name_cache[value] = " ".join(sorted(n.split())) if n else None
            n = name_cache[value]
            if n and n not in r["names"]:
                r["names"].append(n)
        elif prop == "birthDate":
            r["dobs"].add(value)
        elif prop in COUNTRY_PROPS:
            r["countries"].add(value.lower())
        elif prop in ID_PROPS:
            v = norm_id(prop, value)
            if v:
                r["ids"].add(v)
        elif prop == "same_as":
            links.append((key, value))
    for a, b in links:
        if b in recs:
            ref = "REF:" + "|".join(sorted((a, b)))
            recs[a]["ids"].add(ref)
            recs[b]["ids"].add(ref)

    def or_none(items: Any) -> list[str] | None:
        items = sorted(items)
        return items or None

    data = []
    for key, r in recs.items():
        names = r["names"][:MAX_NAMES]
        keys = set()
        for n in names:
            toks = sorted(n.split(), key=lambda t: (-len(t), t))
            if len(toks) >= 2:
                keys.add(" ".join(sorted(toks[:2])))
            elif toks and len(toks[0]) >= 4:
                keys.add(toks[0])
        full = {d for d in r["dobs"] if len(d) == 10}
        data.append(
            {
                "unique_id": key,
                "kind": KINDS.get(r["schema"], "org"),
                "name_norm": names[0] if names else None,
                "names": names or None,
                "name_keys": or_none(keys),
                "dobs": or_none(full),
                "dob_years": or_none({d[:4] for d in r["dobs"]}),
                "countries": or_none(r["countries"]),
                "ids": or_none(r["ids"]),
            }
        )
    return pd.DataFrame(data), {k: (r["schema"], r["caption"]) for k, r in recs.items()}


def settings() -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    dob = cl.CustomComparison(
        output_column_name="dob",
        comparison_levels=[
            cll.NullLevel("dob_years"),
            cll.ArrayIntersectLevel("dobs", min_intersection=1),
            cll.ArrayIntersectLevel("dob_years", min_intersection=1),
            cll.ElseLevel(),
        ],
        comparison_description="Birth date: same full date, same year, or different",
    )
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.PairwiseStringDistanceFunctionAtThresholds("names", "jaro_winkler", [0.95, 0.88]),
            dob,
            cl.ArrayIntersectAtSizes("countries", [1]),
            cl.ArrayIntersectAtSizes("ids", [1]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("kind", "name_keys", arrays_to_explode=["name_keys"]),
            block_on("kind", "ids", arrays_to_explode=["ids"]),
            block_on("kind", "dobs", arrays_to_explode=["dobs"]),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def install_mb(root: str = "splink", shared_with: str = "nomenklatura") -> dict[str, float]:
    """Disk size of a distribution and everything it requires, and the part of it that
    `shared_with` does not already bring."""
    from importlib import metadata

    from packaging.requirements import Requirement

    def closure(name: str) -> set[str]:
        seen: set[str] = set()
        todo = [name]
        while todo:
            n = todo.pop().lower().replace("_", "-")
            if n in seen:
                continue
            try:
                dist = metadata.distribution(n)
            except metadata.PackageNotFoundError:
                continue
            seen.add(n)
            for req in dist.requires or []:
                r = Requirement(req)
                if r.marker is None or r.marker.evaluate({"extra": ""}):
                    todo.append(r.name)
        return seen

    def size(names: set[str]) -> float:
        total = 0
        for n in names:
            for f in metadata.distribution(n).files or []:
                path = Path(str(f.locate()))
                if path.is_file():
                    total += path.stat().st_size
        return total / 1e6

    mine, theirs = closure(root), closure(shared_with)
    return {"total": round(size(mine), 1), "not_shared": round(size(mine - theirs), 1)}


def clusters_json(
    cluster_rows: list[tuple[str, str]], info: dict[str, tuple[str, str]]
) -> list[dict[str, Any]]:
    by: dict[str, list[str]] = defaultdict(list)
    for cid, uid in cluster_rows:
        by[str(cid)].append(uid)
    out = []
    for members in by.values():
        members.sort()
        schema, caption = info[members[0]]
        out.append({"id": f"splink:{members[0]}", "schema": schema, "caption": caption, "members": members})
    out.sort(key=lambda c: c["id"])
    return out


def run(records: Path, out: Path, threshold: float, sweep: list[float]) -> dict[str, Any]:
    t0, c0 = time.perf_counter(), time.process_time()
    import duckdb
    import splink
    from splink import DuckDBAPI, Linker, block_on

    import_seconds = time.perf_counter() - T_START
    t = time.perf_counter()
    df, info = records_frame(records)
    prepare_seconds = time.perf_counter() - t

    con = duckdb.connect()
    con.execute("SET threads = 1")
    linker = Linker(df, settings(), DuckDBAPI(connection=con))
    t = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(
        ["l.name_norm = r.name_norm AND l.kind = r.kind"], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("kind", "name_norm"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("kind", "dob_years"))
    train_seconds = time.perf_counter() - t
    t = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=min([threshold, *sweep]))
    predict_seconds = time.perf_counter() - t
    n_pairs = con.execute(f"SELECT count(*) FROM {predictions.physical_name}").fetchone()[0]

    def cluster(p: float) -> list[dict[str, Any]]:
        result = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=p
        )
        rows = con.execute(f"SELECT cluster_id, unique_id FROM {result.physical_name}").fetchall()
        return clusters_json(rows, info)

    t = time.perf_counter()
    clusters = cluster(threshold)
    cluster_seconds = time.perf_counter() - t
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    out.write_text(json.dumps(clusters, ensure_ascii=False), encoding="utf-8")
    for p in sweep:  # not timed: extra thresholds for the report
        Path(f"{out}.{p}").write_text(json.dumps(cluster(p), ensure_ascii=False), encoding="utf-8")
    m_u = json.loads(json.dumps(linker.misc.save_model_to_json(), default=str))
    return {
        "splink": splink.__version__,
        "duckdb": duckdb.__version__,
        "threshold": threshold,
        "records": len(df),
        "predicted_pairs": n_pairs,
        "clusters": len(clusters),
        "import_seconds": import_seconds,
        "prepare_seconds": prepare_seconds,
        "train_seconds": train_seconds,
        "predict_seconds": predict_seconds,
        "cluster_seconds": cluster_seconds,
        "seconds": wall,
        "cpu_seconds": cpu,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "lambda": m_u.get("probability_two_random_records_match"),
        "install_mb": install_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.resolve.peer_splink")
    parser.add_argument("records", type=Path, help="Parquet: key, schema, caption, prop, value")
    parser.add_argument("out", type=Path, help="clusters JSON, as `reckon clusters --json`")
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--sweep", type=float, nargs="*", default=[])
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    result = run(args.records, args.out, args.threshold, args.sweep)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
