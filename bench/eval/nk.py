"""The nomenklatura dev cases (MIT, © OpenSanctions) in the same pair format."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml

from bench.eval.data import DEV
from bench.eval.pairs import Pair

NAME_CASES = DEV / "name_bench_cases.csv"
ENTITY_CHECKS = DEV / "entity_bench_checks.yml"


def name_bench(path: Path = NAME_CASES) -> list[Pair]:
    """Category nk_<case_group> (nk_checks, nk_synth_people ...); their label kept; quality, category and notes in the sidecar."""
    out = []
    with path.open(newline="", encoding="utf-8") as fh:
        for row_no, row in enumerate(csv.DictReader(fh), start=2):
            label = row["is_match"].strip().lower()
            assert label in ("true", "false"), row
            schema = row["schema"].strip()
            q = {"schema": schema, "properties": {"name": [row["name1"]]}}
            c = {"id": f"nk_name_bench:{row_no}", "schema": schema, "properties": {"name": [row["name2"]]}}
            note = {
                "row": row_no,
                "quality": row["quality"],
                "nk_category": row["category"],
                "notes": row["notes"],
            }
            group = row["case_group"].strip()
            out.append(Pair(group if group.startswith("nk_") else f"nk_{group}", q, c, label == "true", note))
    return out


def _props(side: dict[str, object]) -> dict[str, list[str]]:
    props: dict[str, list[str]] = {}
    for key, val in side.items():
        vals = val if isinstance(val, list) else [val]
        props[key] = [str(v) for v in vals]
    return dict(sorted(props.items()))


def entity_bench(path: Path = ENTITY_CHECKS) -> list[Pair]:
    """Category nk_entity_<schema>; their label kept; their `label` (a comment) in the sidecar."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for n, check in enumerate(data["checks"], start=1):
        schema = check["schema"]
        assert isinstance(check["match"], bool), check
        q = {"schema": schema, "properties": _props(check["query"])}
        c = {"id": f"nk_entity_bench:{n}", "schema": schema, "properties": _props(check["candidate"])}
        note: dict[str, object] = {"check": n}
        if check.get("label"):
            note["label"] = check["label"]
        out.append(Pair(f"nk_entity_{schema.lower()}", q, c, check["match"], note))
    return out
