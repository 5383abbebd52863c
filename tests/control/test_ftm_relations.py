"""Relations out and in, in FtM's vocabulary: the OFSI list's stated relations exported as
FtM `Ownership`/`UnknownLink` entities (reckon.store.export), valid for followthemoney, and
imported as a registry export (the `ftm_registry` dataset, parse_ftm_json) into a store
that lacks them, where they are the control graph's edges again. A registry export is the
use; there is none in the data, so the store's own real relations stand for one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from reckon.control import load_graph
from reckon.ingest import ingest_paths
from reckon.store import connect
from reckon.store.export import ftm_entities

pytestmark = pytest.mark.integration

RELATIONS = ("Ownership", "Directorship", "Family", "UnknownLink")


def relations_export(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """The OFSI list's relations and the entities at their ends (no Sanctions: a registry
    states who owns whom, not who is listed; no identity links)."""
    entities = [e for e in ftm_entities(con, "gb_hmt_sanctions") if e["schema"] != "Sanction"]
    rels = [e for e in entities if e["schema"] in RELATIONS and e["properties"].get("role") != ["same_as"]]
    ends = {v for e in rels for k, vs in e["properties"].items() if k in ENDS for v in vs}
    return [e for e in entities if e["id"] in ends] + rels


ENDS = ("owner", "asset", "director", "organization", "person", "relative", "subject", "object")


def write(path: Path, entities: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entities), encoding="utf-8")
    return path


def test_exported_relations_are_valid_followthemoney(bundled_con: duckdb.DuckDBPyConnection) -> None:
    ftm = pytest.importorskip("followthemoney")
    exported = relations_export(bundled_con)
    schemata = {e["schema"] for e in exported}
    assert "Ownership" in schemata
    # The relations and the entities made for targets named without an id (the records'
    # own properties are tests/test_export.py's).
    for e in exported:
        if e["schema"] in RELATIONS or "-named-" in e["id"]:
            schema = ftm.model.get(e["schema"])
            schema.validate(e)  # raises InvalidData naming the property at fault
            assert set(schema.required) <= e["properties"].keys(), e
    # OFSI Group 13647's "Owner: Chonmyong Shipping Co" names the owner's own OFSI entry:
    # that entry is the owner, the vessel the asset.
    (own,) = [
        e
        for e in exported
        if e["schema"] == "Ownership" and e["properties"]["asset"] == ["gb-hmt-sanctions-13647"]
    ]
    (owner,) = [e for e in exported if e["id"] == own["properties"]["owner"][0]]
    assert owner["id"].startswith("gb-hmt-sanctions-") and owner["properties"]["name"] == [
        "CHONMYONG SHIPPING CO"
    ]


def test_imported_relations_are_edges_and_bad_ones_are_reported(
    bundled_con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    exported = relations_export(bundled_con)
    owns = [e for e in exported if e["schema"] == "Ownership"]
    # Three bad facts made from real relations: one reversed (a cycle with the original), one
    # with a share over 100, one to an entity not in the file.
    first, second, third = owns[0], owns[1], owns[2]
    props = first["properties"]
    reversed_ = {**first, "id": first["id"] + "-reversed"}
    reversed_["properties"] = {**props, "owner": props["asset"], "asset": props["owner"]}
    over = {**second, "properties": {**second["properties"], "percentage": ["150"]}}
    dangling = {**third, "properties": {**third["properties"], "asset": ["not-in-this-file"]}}
    bad = [
        reversed_ if e is first else over if e is second else dangling if e is third else e for e in exported
    ]
    bad.insert(exported.index(first) + 1, first)

    con = connect(tmp_path / "registry.duckdb")
    ingest_paths(con, [write(tmp_path / "registry.ftm.json", bad)], source="ftm_registry", date="2026-12-07")
    graph = load_graph(con)
    con.close()

    mine = [e for e in graph.edges if e.source == "ftm_registry"]
    assert {e.relation for e in mine} == {"owner"}
    # Each Ownership and the reversed copy: the dangling one is kept as an edge to the name
    # it states, and reported.
    assert len(mine) == len(owns) + 1
    messages = [p.message for p in graph.problems]
    assert any(m.startswith("cycle of ownership among 2") for m in messages)
    assert any("150 is outside 0-100" in m for m in messages)
    assert any("not-in-this-file, a record that does not exist" in m for m in messages)
    # A registry's records are never a listing.
    assert not graph.listed
