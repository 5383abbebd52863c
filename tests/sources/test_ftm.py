"""OpenSanctions targets.simple.csv (ua_war_sanctions) and FtM JSON lines.

No real FtM JSON file is in the shared data, so the FtM tests export real
targets.simple.csv rows as FtM entities (with the properties those rows carry) and read
them back.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from reckon.model import Address, FuzzyDate, Identifier, Record
from reckon.sources.common import SourceError
from reckon.sources.ftm import parse_ftm_json, parse_targets_simple
from tests.conftest import SHARED_DATA

TARGETS = SHARED_DATA / "candidates" / "ua_war_sanctions.targets.simple.csv.gz"
AUTHORITY = "National Agency on Corruption Prevention (NAZK) / Defence Intelligence of Ukraine (GUR)"

PERSON = "NK-29dGPcB5CxPwUQt4N3ZVEj"  # USPENSKAYA Olesya Igorevna
LEGAL = "NK-2JjbBAi4RKwEY5JEyFMzXn"  # ANO CENTER "NIKEA"
VESSEL = "NK-24cf2zYe7LEKhr2zFck73j"  # ROSALIN
EXEC = "NK-26WkuEefVYLmYk8aTHMC9E"  # IVAKHA Denis Vladimirovich


def _targets() -> Path:
    if not TARGETS.exists():
        pytest.skip(f"real data not available: {TARGETS}")
    return TARGETS


@pytest.fixture(scope="module")
def text() -> str:
    return gzip.decompress(_targets().read_bytes()).decode("utf-8")


@pytest.fixture(scope="module")
def records() -> dict[str, Record]:
    return {r.id: r for r in parse_targets_simple(_targets()).records}


# --------------------------------------------------------------- targets.simple.csv


@pytest.mark.integration
def test_counts() -> None:
    lv = parse_targets_simple(_targets())
    assert (lv.format, lv.source, lv.published) == ("targets-simple-csv", "ua_war_sanctions", None)
    # Five companies OpenSanctions names by their schema ("Company") where the source gives no name.
    assert lv.warnings == [
        "5 rows named only by their schema (a placeholder, left out as a name): NK-mzrxjp9Wrtfk6nfTWJVi2r, "
        "ua-ws-manager-1425, ua-ws-manager-22, ua-ws-manager-238, ua-ws-manager-32"
    ]
    assert [r.names for r in lv.records if r.id == "ua-ws-manager-22"] == [[]]
    assert len(lv.records) == 5600
    assert Counter(r.schema for r in lv.records) == {
        "Person": 1543,
        "Company": 1524,
        "Vessel": 1340,
        "LegalEntity": 1193,
    }
    programs = Counter(p for r in lv.records for p in r.designations[0].programs)
    assert programs["UA-WS-MARE"] == 1744
    assert programs["UA-WS-KIDNAPPERS"] == 523
    assert sum(1 for r in lv.records if not r.designations[0].programs) == 1429
    assert {(d.jurisdiction, d.authority) for r in lv.records for d in r.designations} == {("ua", AUTHORITY)}


@pytest.mark.integration
def test_person(records: dict[str, Record]) -> None:
    r = records[PERSON]
    assert [(n.full, n.kind, n.script, n.lang) for n in r.names] == [
        ("USPENSKAYA Olesya Igorevna", "name", "Latn", None),
        ("УСПЕНСКАЯ Олеся Игоревна", "alias", "Cyrl", "rus"),
        ("УСПЕНСЬКА Олеся Ігорівна", "alias", "Cyrl", "ukr"),
    ]
    assert (r.names[0].last, r.names[0].first, r.names[0].father) == ("USPENSKAYA", "Olesya", "Igorevna")
    assert r.birth_dates == [FuzzyDate("1987-09-14", original="1987-09-14")]
    assert r.identifiers == [Identifier("innCode", "773006863179", "ru")]
    [d] = r.designations
    assert d.programs == ("UA-WS-STEALERS",)
    assert d.reason == (
        "Carried out an illegal cultural and chronological determination of the archaeological"
        " material of the Prymorsky Northwest settlement"
    )
    # Both spellings unmarked by letters alone: the Ukrainian one has "і".
    assert [n.lang for n in records[EXEC].names] == [None, "ukr", "rus"]


@pytest.mark.integration
def test_legal_entity_and_vessel(records: dict[str, Record]) -> None:
    r = records[LEGAL]
    assert r.schema == "LegalEntity"
    # The alias cell is CSV inside CSV: doubled quotes inside a quoted value.
    assert r.names[1].full == (
        'AUTONOMOUS NON-PROFIT ORGANIZATION "CENTER FOR PROMOTION OF THE DEVELOPMENT OF EDUCATIONAL'
        ' AND SOCIAL INITIATIVES "NIKEA"'
    )
    assert r.identifiers == [
        Identifier("ogrnCode", "1147799017343", "ru"),
        Identifier("innCode", "7708241920", "ru"),
    ]
    assert r.addresses == [
        Address("121471, russian federation, Moscow, Ryabinovaya St., 19, floor 3, building X, room 17/5")
    ]
    assert r.properties["country"] == ["ru"]
    v = records[VESSEL]
    assert [n.full for n in v.names] == ["ROSALIN", "Ceram Sea", "Gold Sun", "Nurkez"]
    assert v.identifiers == [Identifier("imoNumber", "IMO9253325")]
    assert v.properties["country"] == ["lr", "pa", "sg", "st"]
    assert v.designations[0].reason is None  # the cell holds an empty quoted string


@pytest.mark.integration
def test_identifier_inference(records: dict[str, Record]) -> None:
    schemes = Counter((r.schema, i.scheme) for r in records.values() for i in r.identifiers)
    assert schemes[("Vessel", "mmsi")] == 1031
    assert schemes[("Vessel", "callSign")] == 1043
    assert schemes[("LegalEntity", "ogrnCode")] == 1181
    assert schemes[("Person", "innCode")] == 1152


def test_source_override(tmp_path: Path, text: str) -> None:
    head = text[: text.index("\n", 5000) + 1]
    path = tmp_path / "head.csv"
    path.write_text(head, encoding="utf-8")
    lv = parse_targets_simple(path, source="ua_nazk_test")
    assert lv.source == "ua_nazk_test"
    assert {r.source for r in lv.records} == {"ua_nazk_test"}
    # Unknown sources fall back to the portal's registry entry for the designation.
    assert lv.records[0].designations[0].jurisdiction == "ua"


def _expect_error(parse: Any, path: Path, *fragments: str) -> None:
    with pytest.raises(SourceError) as info:
        parse(path)
    message = str(info.value)
    assert path.name in message
    for fragment in fragments:
        assert fragment in message


def test_simple_bad_input(tmp_path: Path, text: str) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    _expect_error(parse_targets_simple, empty, "empty")

    rows = list(csv.reader(io.StringIO(text[:50_000].rsplit("\n", 1)[0])))
    drop = rows[0].index("schema")
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL).writerows(
        [[c for i, c in enumerate(r) if i != drop] for r in rows]
    )
    nocol = tmp_path / "noschema.csv"
    nocol.write_text(out.getvalue(), encoding="utf-8")
    _expect_error(parse_targets_simple, nocol, "line 1", "missing columns: schema")

    cut = tmp_path / "cut.csv"
    cut.write_text(text[: text.index("Carried out an illegal")], encoding="utf-8")
    _expect_error(parse_targets_simple, cut, "row ", "malformed CSV")

    gz = tmp_path / "cut.csv.gz"
    gz.write_bytes(_targets().read_bytes()[:100_000])
    _expect_error(parse_targets_simple, gz, "compressed stream")

    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(text[:5000].encode("utf-16"))
    _expect_error(parse_targets_simple, utf16, "line 1, byte 0")

    head = text[:20_000]
    first = next(i for i, c in enumerate(head) if ord(c) > 127)
    cp1251 = tmp_path / "cp1251.csv"
    cp1251.write_bytes(head.encode("cp1251", errors="replace"))
    _expect_error(parse_targets_simple, cp1251, f"line {head[:first].count(chr(10)) + 1}", "utf-8")


# ------------------------------------------------------------------ FtM JSON lines


def _rows(text: str, ids: set[str]) -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in csv.DictReader(io.StringIO(text)) if r["id"] in ids}


def _cell(value: str) -> list[str]:
    return [v for v in next(csv.reader([value], delimiter=";"), []) if v] if value else []


def _export(text: str) -> list[dict[str, Any]]:
    """Real targets.simple rows as the FtM entities OpenSanctions exports them from."""
    rows = _rows(text, {PERSON, LEGAL, VESSEL})
    p, le, v = rows[PERSON], rows[LEGAL], rows[VESSEL]
    ds = ["ua_war_sanctions"]
    return [
        {
            "id": PERSON,
            "schema": "Person",
            "properties": {
                "name": [p["name"]],
                "alias": _cell(p["aliases"]),
                "firstName": ["Olesya"],
                "fatherName": ["Igorevna"],
                "lastName": ["USPENSKAYA"],
                "birthDate": _cell(p["birth_date"]),
                "innCode": _cell(p["identifiers"]),
                "topics": ["sanction"],
            },
            "datasets": ds,
        },
        {
            "id": f"{PERSON}-sanction",
            "schema": "Sanction",
            "properties": {
                "entity": [PERSON],
                "programId": _cell(p["program_ids"]),
                "reason": _cell(p["sanctions"]),
                "country": ["ua"],
                "authority": [AUTHORITY],
            },
            "datasets": ds,
        },
        {
            "id": f"{PERSON}-inn",
            "schema": "Identification",
            "properties": {
                "holder": [PERSON],
                "number": _cell(p["identifiers"]),
                "type": ["INN"],
                "country": ["ru"],
            },
            "datasets": ds,
        },
        {
            "id": LEGAL,
            "schema": "LegalEntity",
            "properties": {
                "name": [le["name"]],
                "alias": _cell(le["aliases"]),
                "ogrnCode": [_cell(le["identifiers"])[0]],
                "innCode": [_cell(le["identifiers"])[1]],
                "country": _cell(le["countries"]),
                "addressEntity": [f"{LEGAL}-addr"],
            },
            "datasets": ds,
        },
        {
            "id": f"{LEGAL}-addr",
            "schema": "Address",
            "properties": {"full": _cell(le["addresses"]), "city": ["Moscow"], "country": ["ru"]},
            "datasets": ds,
        },
        {
            "id": VESSEL,
            "schema": "Vessel",
            "properties": {
                "name": [v["name"]],
                "alias": _cell(v["aliases"]),
                "imoNumber": _cell(v["identifiers"]),
            },
            "datasets": ds,
        },
        # A relation between two real entities: a link of the owner's record (the control graph).
        {
            "id": f"{PERSON}-{LEGAL}-ownership",
            "schema": "Ownership",
            "properties": {"owner": [PERSON], "asset": [LEGAL]},
            "datasets": ds,
        },
    ]


@pytest.fixture
def ftm_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "entities.ftm.json"
    path.write_text(
        "\n".join(json.dumps(e, ensure_ascii=False) for e in _export(text)) + "\n", encoding="utf-8"
    )
    return path


def test_ftm_json(ftm_file: Path) -> None:
    lv = parse_ftm_json(ftm_file)
    assert (lv.format, lv.source, lv.published) == ("ftm-json", "ua_war_sanctions", None)
    assert [(r.id, r.schema) for r in lv.records] == [
        (PERSON, "Person"),
        (LEGAL, "LegalEntity"),
        (VESSEL, "Vessel"),
    ]
    assert lv.warnings == []
    person, legal, vessel = lv.records
    assert [(x.relation, x.target_id) for x in person.links] == [("ownership", f"ua_war_sanctions:{LEGAL}")]
    assert person.links[0].target_name == legal.names[0].full
    name = person.names[0]
    assert (name.full, name.first, name.father, name.last) == (
        "USPENSKAYA Olesya Igorevna",
        "Olesya",
        "Igorevna",
        "USPENSKAYA",
    )
    # Letters alone mark only the Ukrainian spelling; the Russian/Ukrainian pairing rule is
    # specific to the portal's CSV rows, not applied to arbitrary FtM data.
    assert [n.lang for n in person.names] == [None, None, "ukr"]
    assert person.birth_dates == [FuzzyDate("1987-09-14", original="1987-09-14")]
    assert person.identifiers == [
        Identifier("innCode", "773006863179"),
        Identifier("idNumber", "773006863179", "ru", "INN"),  # the folded Identification entity
    ]
    assert person.properties == {"topics": ["sanction"]}
    [d] = person.designations
    assert (d.jurisdiction, d.authority, d.programs) == ("ua", AUTHORITY, ("UA-WS-STEALERS",))
    assert d.reason is not None and d.reason.startswith("Carried out an illegal cultural")
    assert legal.addresses == [
        Address(
            full="121471, russian federation, Moscow, Ryabinovaya St., 19, floor 3, building X, room 17/5",
            city="Moscow",
            country="ru",
        )
    ]
    assert "addressEntity" not in legal.properties
    assert [(i.scheme, i.value) for i in legal.identifiers] == [
        ("ogrnCode", "1147799017343"),
        ("innCode", "7708241920"),
    ]
    assert vessel.identifiers == [Identifier("imoNumber", "IMO9253325")]
    assert vessel.designations == []
    assert parse_ftm_json(ftm_file, source="other").source == "other"


def test_ftm_orphans_and_defaults(tmp_path: Path, text: str) -> None:
    entities = [e for e in _export(text) if e["schema"] in ("Sanction", "Vessel")]
    for e in entities:
        e.pop("datasets")
    path = tmp_path / "orphans.json"
    path.write_text("\n".join(json.dumps(e) for e in entities), encoding="utf-8")
    lv = parse_ftm_json(path)
    assert lv.source == "ftm"
    assert [r.id for r in lv.records] == [VESSEL]
    assert lv.warnings == ["1 Sanction entity not attached to any record"]


def test_ftm_bad_input(tmp_path: Path, ftm_file: Path) -> None:
    lines = ftm_file.read_text(encoding="utf-8").splitlines()

    empty = tmp_path / "empty.json"
    empty.write_bytes(b"\n")
    _expect_error(parse_ftm_json, empty, "empty")

    cut = tmp_path / "cut.json"
    cut.write_text("\n".join(lines[:2]) + "\n" + lines[2][:30], encoding="utf-8")
    _expect_error(parse_ftm_json, cut, "line 3, column", "malformed JSON")

    not_entity = tmp_path / "list.json"
    not_entity.write_text(
        lines[0] + "\n" + json.dumps(json.loads(lines[1])["properties"]["entity"]), encoding="utf-8"
    )
    _expect_error(parse_ftm_json, not_entity, "line 2", "not an FtM entity")

    bad_props = tmp_path / "props.json"
    entity = json.loads(lines[0])
    entity["properties"]["name"] = entity["properties"]["name"][0]
    bad_props.write_text(json.dumps(entity), encoding="utf-8")
    _expect_error(parse_ftm_json, bad_props, "line 1", "lists of strings")

    dup = tmp_path / "dup.json"
    dup.write_text("\n".join([lines[0], lines[0]]), encoding="utf-8")
    _expect_error(parse_ftm_json, dup, "line 2", "duplicate entity id")

    utf16 = tmp_path / "utf16.json"
    utf16.write_bytes("\n".join(lines).encode("utf-16"))
    _expect_error(parse_ftm_json, utf16, "line 1, byte 0")

    gz = tmp_path / "cut.json.gz"
    gz.write_bytes(gzip.compress("\n".join(lines).encode("utf-8"))[:200])
    _expect_error(parse_ftm_json, gz, "compressed stream")
