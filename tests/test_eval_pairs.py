"""The committed evaluation pairs (bench/pairs/, built by `python -m bench.eval.build`)."""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

PAIRS = Path(__file__).resolve().parents[1] / "bench" / "pairs"
SCHEMATA = {"Person", "Company", "Organization", "LegalEntity", "Vessel"}
POSITIVE = {
    "cyrillic_to_latin": 100, "latin_to_cyrillic": 100, "romanisation_schemes": 100, "ru_vs_uk_forms": 100,
    "name_order_and_parts": 100, "noise": 100, "company_legal_forms": 100, "vessels_imo": 100,
    "cross_list_gold": 100,
}  # fmt: skip
NEGATIVE = {
    "neg_same_surname": 100,
    "neg_conflicting_dob": 100,
    "neg_near_miss": 100,
    "neg_company_generic": 100,
    "neg_vessel": 100,
    # every family that qualifies, at most two pairs each: 95 in the current lists
    "neg_related_bodies": 90,
}
SOURCES = {
    "gb_hmt_sanctions",
    "gb_fcdo_sanctions",
    "us_ofac_sdn",
    "us_trade_csl",
    "un_sc_sanctions",
    "au_dfat_sanctions",
    "ua_war_sanctions",
}


def rows(name: str) -> list[dict[str, Any]]:
    path = PAIRS / name
    assert path.exists(), f"{path} missing: run python -m bench.eval.build"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def check_entity(ent: dict[str, Any], candidate: bool) -> None:
    assert set(ent) == ({"id", "schema", "properties"} if candidate else {"schema", "properties"})
    assert ent["schema"] in SCHEMATA
    props = ent["properties"]
    # the dev checks sometimes give only name parts (firstName, lastName), which FtM allows
    assert props.get("name") or props.get("firstName") or props.get("lastName"), ent
    for key, vals in props.items():
        assert re.fullmatch(r"[a-z][A-Za-z]+", key), key
        assert isinstance(vals, list) and vals and all(isinstance(v, str) and v for v in vals), (key, vals)


@pytest.mark.parametrize("name", ["reckon_pairs.jsonl", "nk_name_bench.jsonl", "nk_entity_bench.jsonl"])
def test_schema(name: str) -> None:
    data = rows(name)
    ids = [r["id"] for r in data]
    assert len(ids) == len(set(ids))
    for r in data:
        assert list(r) == ["id", "category", "query", "candidate", "match"]
        assert r["id"].rsplit("-", 1)[0] == r["category"] and r["id"].rsplit("-", 1)[1].isdigit()
        assert isinstance(r["match"], bool)
        check_entity(r["query"], candidate=False)
        check_entity(r["candidate"], candidate=True)
    notes = rows(name.replace(".jsonl", ".provenance.jsonl"))
    assert [n["id"] for n in notes] == ids


def test_reckon_categories_and_counts() -> None:
    data = rows("reckon_pairs.jsonl")
    counts = Counter(r["category"] for r in data)
    labels = {r["category"]: set() for r in data}
    for r in data:
        labels[r["category"]].add(r["match"])
    assert set(counts) == set(POSITIVE) | set(NEGATIVE)
    for cat, minimum in {**POSITIVE, **NEGATIVE}.items():
        assert counts[cat] >= minimum, (cat, counts[cat])
        assert labels[cat] == {cat in POSITIVE}, cat


def test_dev_sets_keep_their_labels() -> None:
    names = rows("nk_name_bench.jsonl")
    assert len(names) == 826
    assert Counter(r["match"] for r in names) == {True: 425, False: 401}
    checks = rows("nk_entity_bench.jsonl")
    assert len(checks) == 228
    assert sum(r["match"] for r in checks) == 127
    # both labels present in every family of the dev sets
    assert {r["match"] for r in names if r["category"].startswith("nk_synth")} == {True, False}
    assert {r["match"] for r in checks if r["category"] == "nk_entity_person"} == {True, False}


def test_candidate_ids_are_record_keys() -> None:
    for r in rows("reckon_pairs.jsonl"):
        source, _, rid = r["candidate"]["id"].partition(":")
        assert source in SOURCES and rid, r["id"]


def test_provenance_names_real_records() -> None:
    for n in rows("reckon_pairs.provenance.jsonl"):
        source, _, rid = str(n["query_from"]).partition(":")
        assert source in SOURCES and rid, n


def _imo(values: list[str]) -> set[str]:
    return {re.sub(r"\D", "", v) for v in values}


def test_vessel_evidence() -> None:
    data = {r["id"]: r for r in rows("reckon_pairs.jsonl")}
    notes = {n["id"]: n for n in rows("reckon_pairs.provenance.jsonl")}
    for pid, r in data.items():
        cand = _imo(r["candidate"]["properties"].get("imoNumber", []))
        query = _imo(r["query"]["properties"].get("imoNumber", []))
        if r["category"] == "vessels_imo":
            assert notes[pid]["imo"] in cand
            assert not query or query <= cand
        elif r["category"] == "neg_vessel":
            assert cand and not (query & cand)


@pytest.mark.integration
def test_cross_list_evidence_holds_in_the_lists() -> None:
    """A sample of cross_list_gold and vessels_imo pairs, checked against the parsed list files."""
    from bench.eval.data import FILES, load
    from bench.eval.positives import vessel_imo_index

    if not all(path.exists() for _, _, path in FILES.values()):
        pytest.skip("real list files not available")
    lists = load()
    data = rows("reckon_pairs.jsonl")
    notes = {n["id"]: n for n in rows("reckon_pairs.provenance.jsonl")}
    rng = random.Random(7)
    gold = [r for r in data if r["category"] == "cross_list_gold"]
    for r in rng.sample(gold, 60):
        note = notes[r["id"]]
        a, b = lists.by_key[note["query_from"]], lists.by_key[r["candidate"]["id"]]
        assert a.source != b.source
        ev = note["evidence"]
        if ev.startswith("same_as"):
            assert any(
                lk.relation == "same_as" and lk.target_id in (a.key, b.key) for lk in a.links + b.links
            )
        elif ev.startswith("UN reference"):
            ref = ev.split()[-1]
            refs = {d.unsc_id for rec in (a, b) for d in rec.designations}
            assert ref in refs and b.source != a.source
        else:
            num = ev.split()[1]
            for rec in (a, b):
                assert any(
                    num in re.sub(r"\D", "", i.value) for i in rec.identifiers if i.scheme == "passportNumber"
                )
            assert {d.value for d in a.birth_dates} & {d.value for d in b.birth_dates}
    index = vessel_imo_index(lists)
    vessels = [r for r in data if r["category"] == "vessels_imo"]
    for r in rng.sample(vessels, 40):
        note = notes[r["id"]]
        keys = {rec.key for rec in index[note["imo"]]}
        assert {note["query_from"], r["candidate"]["id"]} <= keys
        assert (
            lists.by_key[note["query_from"]].schema == lists.by_key[r["candidate"]["id"]].schema == "Vessel"
        )
