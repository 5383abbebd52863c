"""Australia DFAT Consolidated List, on the real February 2026 file."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from reckon.model import Address, Identifier, ListVersion, Record
from reckon.sources.au import parse_dfat
from reckon.sources.common import SourceError
from tests.conftest import rezip, shared

DFAT = "au/Australian_Sanctions_Consolidated_List_2026-02.xlsx"


@pytest.fixture(scope="module")
def dfat() -> ListVersion:
    return parse_dfat(shared(DFAT))


@pytest.fixture(scope="module")
def records(dfat: ListVersion) -> dict[str, Record]:
    return {r.id: r for r in dfat.records}


@pytest.mark.integration
def test_counts(dfat: ListVersion) -> None:
    assert dfat.source == "au_dfat_sanctions" and dfat.format == "dfat-xlsx"
    assert dfat.published is None
    assert len(dfat.records) == 3810
    assert len({r.id for r in dfat.records}) == 3810
    schemata = Counter(r.schema for r in dfat.records)
    assert schemata["Person"] == 2517
    assert schemata["Vessel"] == 262
    assert schemata["Company"] + schemata["Organization"] == 1031
    programs = Counter(p for r in dfat.records for d in r.designations for p in d.programs)
    assert programs["Autonomous (Russia)"] == 972 and programs["Autonomous (Vessels)"] == 262
    # Two real data errors, reported rather than guessed around.
    assert "alias rows without a primary reference 8495: 8495b (row 10412); left out" in dfat.warnings
    assert "reference 8720: no Primary Name row; the unsuffixed row's name is used" in dfat.warnings


@pytest.mark.integration
def test_abramovich_and_deripaska(records: dict[str, Record]) -> None:
    r = records["6754"]
    assert r.schema == "Person"
    assert [(n.full, n.kind, n.last) for n in r.names] == [
        ("Roman Arkadyevich ABRAMOVICH", "name", "ABRAMOVICH")
    ]
    assert [d.value for d in r.birth_dates] == ["1966-10-24"]
    assert r.properties["birthPlace"] == ["Saratov, Russia"]
    (d,) = r.designations
    assert d.jurisdiction == "au" and d.authority_id == "6754"
    assert d.programs == ("Autonomous (Russia)",)
    assert d.measures == ("Targeted financial sanction", "Travel ban")
    assert d.legal_basis is not None and d.legal_basis.endswith("Amendment (No. 6) Instrument 2022")
    assert d.reason is None and d.listing_date is None  # Listing Information only names the instrument
    assert r.properties["modifiedAt"] == ["2022-03-14"]
    assert r.properties["notes"] == ["Owner of Millhouse Capital"]

    oleg = records["6770"]
    assert oleg.names[0].full == "Oleg Vladimirovich DERIPASKA" and oleg.names[0].last == "DERIPASKA"


@pytest.mark.integration
def test_rosneft_alias_rows_merged(records: dict[str, Record]) -> None:
    r = records["7544"]
    assert r.schema == "Company"
    assert [(n.full, n.kind) for n in r.names] == [
        ("Open Joint Stock Company Rosneft Oil Company", "name"),
        ("ROSNEFT", "alias"),
        ("PJSC Rosneft", "alias"),
    ]
    assert r.addresses == [Address(full="26/1 Sofiyskaya Embankment, Moscow, Russia", country="ru")]
    assert r.properties["website"] == ["http://www.rosneft.ru/"]
    assert len(r.designations) == 1
    assert "7544a" not in records and "7544b" not in records


@pytest.mark.integration
def test_un_listing_with_original_script_and_year_list(records: dict[str, Record]) -> None:
    r = records["2"]
    assert [(n.full, n.kind, n.script) for n in r.names] == [
        ("MOHAMMAD HASSAN AKHUND", "name", "Latn"),
        ("محمد حسن أخوند", "alias", "Arab"),
    ]
    assert [d.value for d in r.birth_dates] == [
        "1945",
        "1946",
        "1947",
        "1948",
        "1949",
        "1950",
        "1955",
        "1956",
        "1957",
        "1958",
    ]
    (d,) = r.designations
    assert d.unsc_id == "TAi.002"
    assert d.listing_date == "2001-01-25"  # "Listed by UN 1267 Committee on 25 January 2001 (amended ...)"
    assert d.reason is not None and d.reason.startswith("Listed by UN 1267 Committee on 25 January 2001")
    assert d.measures == ("Targeted financial sanction", "Travel ban", "Arms embargo")
    assert r.properties["nationality"] == ["af"]


@pytest.mark.integration
def test_weak_aliases_vessels_and_passports(dfat: ListVersion, records: dict[str, Record]) -> None:
    kinds = Counter(n.kind for r in dfat.records for n in r.names)
    # One per record, plus alias row 8686a which DFAT marks "Primary Name".
    assert kinds["name"] == 3811
    assert [n.kind for n in records["8686"].names].count("name") == 2
    assert kinds["weakAlias"] > 0
    vessels = [r for r in dfat.records if r.schema == "Vessel"]
    with_imo = [r for r in vessels if any(i.scheme == "imoNumber" for i in r.identifiers)]
    assert len(with_imo) == 261  # one vessel row has no IMO Number
    assert all("Maritime restriction" in r.designations[0].measures for r in vessels)
    r = next(r for r in dfat.records if "Afghan SE-011697" in " ".join(r.properties.get("notes", [])))
    assert Identifier(scheme="passportNumber", value="SE-011697", country="af") in r.identifiers


# ----------------------------------------------------------------------- bad input


def test_truncated(tmp_path: Path) -> None:
    raw = shared(DFAT).read_bytes()
    bad = tmp_path / "dfat.xlsx"
    bad.write_bytes(raw[:700_000])
    with pytest.raises(SourceError, match=r"dfat\.xlsx: zip: not a valid xlsx file"):
        parse_dfat(bad)


def test_missing_sheet(tmp_path: Path) -> None:
    out = rezip(
        shared(DFAT),
        tmp_path / "dfat.xlsx",
        {"xl/workbook.xml": lambda x: x.replace(b'name="Consolidated List"', b'name="List"')},
    )
    with pytest.raises(SourceError, match=r"dfat\.xlsx: sheet 'Consolidated List': no such sheet"):
        parse_dfat(out)


def test_empty(tmp_path: Path) -> None:
    empty = tmp_path / "dfat.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(SourceError, match=r"dfat\.xlsx: file is empty"):
        parse_dfat(empty)


@pytest.mark.integration
def test_missing_column(tmp_path: Path) -> None:
    out = rezip(
        shared(DFAT),
        tmp_path / "dfat.xlsx",
        {"xl/sharedStrings.xml": lambda x: x.replace(b"<t>Citizenship</t>", b"<t>Nationality</t>", 1)},
    )
    with pytest.raises(
        SourceError, match=r"dfat\.xlsx: sheet 'Consolidated List', row 1: missing columns: 'Citizenship'"
    ):
        parse_dfat(out)


@pytest.mark.integration
def test_bad_reference(tmp_path: Path) -> None:
    # Reference 2's cell holds the number 2; write text into it instead.
    def edit(xml: bytes) -> bytes:
        return xml.replace(
            b'<c r="A2" s="10"><v>2</v></c>', b'<c r="A2" s="10" t="inlineStr"><is><t>two</t></is></c>', 1
        )

    out = rezip(shared(DFAT), tmp_path / "dfat.xlsx", {"xl/worksheets/sheet1.xml": edit})
    with pytest.raises(
        SourceError, match=r"dfat\.xlsx: row 2, column 'Reference': not a DFAT reference: 'two'"
    ):
        parse_dfat(out)
