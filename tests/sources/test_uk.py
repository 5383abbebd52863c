"""UK lists: OFSI ConList (xlsx and CSV twin), FCDO summary ODS and FCDO XML, on real files."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest

from reckon.model import Identifier, Link, ListVersion, Record
from reckon.sources.common import SourceError, read_bytes
from reckon.sources.spreadsheet import CellValue, read_xlsx
from reckon.sources.uk import parse_fcdo_ods, parse_fcdo_xml, parse_ofsi
from tests.conftest import rezip, shared

OFSI_2025 = "uk_ofsi/ConList_2025-04-14.xlsx"
OFSI_2023 = "uk_ofsi/ConList_2023-06-05.xlsx"
FCDO_ODS = "uk_fcdo/FCDO_SL_Mon_Aug 11 2025.ods"
FCDO_XML = "uk_fcdo/sample_uk_sanctions_list_2026-09-07.xml"


def by_id(lv: ListVersion) -> dict[str, Record]:
    return {r.id: r for r in lv.records}


@pytest.fixture(scope="module")
def ofsi_2025() -> ListVersion:
    return parse_ofsi(shared(OFSI_2025))


@pytest.fixture(scope="module")
def ofsi_rows() -> list[list[CellValue]]:
    """The real 2025 ConList rows, from which the CSV twins are written."""
    path = shared(OFSI_2025)
    return read_xlsx(path, path.read_bytes(), "Data")[1]


def write_csv(rows: list[list[CellValue]], encoding: str = "utf-8-sig") -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode(encoding)


# --------------------------------------------------------------------------- OFSI


@pytest.mark.integration
def test_ofsi_2025_counts(ofsi_2025: ListVersion) -> None:
    lv = ofsi_2025
    assert lv.source == "gb_hmt_sanctions" and lv.format == "ofsi-conlist"
    assert lv.published == "2025-04-14"
    assert len(lv.records) == 4688
    schemata = Counter(r.schema for r in lv.records)
    assert schemata["Person"] == 3663
    assert schemata["Vessel"] == 15
    assert schemata["Company"] + schemata["Organization"] == 1010
    assert len({r.id for r in lv.records}) == 4688


@pytest.mark.integration
def test_ofsi_2023_counts() -> None:
    lv = parse_ofsi(shared(OFSI_2023))
    assert lv.published == "2023-06-05"
    assert len(lv.records) == 3993
    schemata = Counter(r.schema for r in lv.records)
    assert (schemata["Person"], schemata["Vessel"]) == (3231, 15)
    assert schemata["Company"] + schemata["Organization"] == 747


@pytest.mark.integration
def test_ofsi_abramovich(ofsi_2025: ListVersion) -> None:
    r = by_id(ofsi_2025)["14212"]
    assert r.schema == "Person"
    primary = r.names[0]
    assert (primary.full, primary.kind) == ("Roman Arkadyevich ABRAMOVICH", "name")
    assert (primary.first, primary.father, primary.last) == ("Roman", "Arkadyevich", "ABRAMOVICH")
    cyrillic = [n for n in r.names if n.script == "Cyrl"]
    # The file gives the Cyrillic form without a Non-Latin Script Language, so no lang.
    assert [(n.full, n.kind, n.lang) for n in cyrillic] == [("Роман Аркадьевич АБРАМОВИЧ", "name", None)]
    assert [d.value for d in r.birth_dates] == ["1966-10-24"]
    assert r.properties["nationality"] == ["ru", "il", "pt"]
    assert r.properties["birthPlace"] == ["Saratov, Russia"]
    assert r.properties["gender"] == ["male"]
    assert r.identifiers == [
        Identifier(scheme="passportNumber", value="CB982788", country="pt", note="Portugal"),
        Identifier(scheme="passportNumber", value="24132276", country="il", note="Israel"),
    ]
    assert Link(relation="same_as", target_name="", target_id="gb_fcdo_sanctions:RUS0270") in r.links
    (d,) = r.designations
    assert d.jurisdiction == "gb" and d.authority_id == "14212"
    assert d.programs == ("Russia",) and d.listing_date == "2022-03-10"
    assert d.measures == ("Asset freeze", "Trust services")
    assert d.reason is not None and d.reason.startswith("Roman Arkadyevich ABRAMOVICH (hereafter ABRAMOVICH)")
    assert r.properties["modifiedAt"] == ["2023-03-21"]


@pytest.mark.integration
def test_ofsi_deripaska_and_language_tags(ofsi_2025: ListVersion) -> None:
    records = by_id(ofsi_2025)
    r = records["14214"]
    assert (r.names[0].full, r.names[0].father) == ("Oleg Vladimirovich DERIPASKA", "Vladimirovich")
    assert "Олег Владимирович ДЕРИПАСКА" in [n.full for n in r.names]
    assert [d.value for d in r.birth_dates] == ["1968-01-02"]
    assert Link(relation="same_as", target_name="", target_id="gb_fcdo_sanctions:RUS0269") in r.links
    langs = Counter(n.lang for rec in ofsi_2025.records for n in rec.names if n.lang)
    assert langs["rus"] == 1102 and langs["bel"] == 48 and langs["ukr"] == 28


@pytest.mark.integration
def test_ofsi_ship_un_ref_aliases_and_company_ids(ofsi_2025: ListVersion) -> None:
    records = by_id(ofsi_2025)
    ship = records["13651"]
    assert ship.schema == "Vessel"
    assert ship.names[0].full == "SAM JONG 2"
    assert Identifier(scheme="imoNumber", value="7408873") in ship.identifiers
    assert ship.properties["flag"] == ["kp"] and ship.properties["pastFlags"] == ["ru"]
    assert ship.properties["type"] == ["Oil tanker"] and ship.properties["buildDate"] == ["1975"]
    assert (
        Link(relation="owner", target_name="Korea Samjong Shipping", target_id="gb_hmt_sanctions:13635")
        in ship.links
    )

    exchange = records["12703"]
    assert exchange.designations[0].unsc_id == "TAe.010"
    assert exchange.designations[0].programs == ("Afghanistan",)

    kony = records["13378"]
    weak = [n.full for n in kony.names if n.kind == "weakAlias"]
    assert weak == ["1-P", "BASHIR", "CAESAR", "Otim KAPERE", "ONE-P"]  # "AKA" + "Low quality"
    adf = records["13189"]
    assert [n.full for n in adf.names if n.kind == "previousName"][:2] == [
        "ADF/NALU",
        "FORCES DEMOCRATIQUES ALLIEES-ARMEE NATIONALE DE LIBERATION DE L'OUGANDA",
    ]

    salyut = records["16767"]
    assert salyut.schema == "Company"
    assert [(i.scheme, i.value) for i in salyut.identifiers] == [
        ("ogrnCode", "1125261000040"),
        ("innCode", "5261079332"),
        ("kppCode", "526101001"),
    ]


@pytest.mark.integration
def test_ofsi_multi_regime_group_gets_one_designation_per_regime(ofsi_2025: ListVersion) -> None:
    multi = [r for r in ofsi_2025.records if len(r.designations) > 1]
    assert len(multi) == 15
    r = by_id(ofsi_2025)["11241"]
    assert sorted(d.programs[0] for d in r.designations) == ["Iran (Nuclear)", "Syria"]


@pytest.mark.integration
def test_ofsi_csv_twin_gives_the_same_records(
    tmp_path: Path, ofsi_2025: ListVersion, ofsi_rows: list[list[CellValue]]
) -> None:
    twin = tmp_path / "ConList.csv"
    twin.write_bytes(write_csv(ofsi_rows))
    lv = parse_ofsi(twin)
    assert lv.published == "2025-04-14"
    assert lv.records == ofsi_2025.records


@pytest.mark.integration
def test_ofsi_csv_twin_in_windows_1252(tmp_path: Path, ofsi_rows: list[list[CellValue]]) -> None:
    def fits(row: list[CellValue]) -> bool:
        try:
            write_csv([row], "cp1252")
            return True
        except UnicodeEncodeError:
            return False

    rows = ofsi_rows[:2] + [r for r in ofsi_rows[2:400] if fits(r)]
    twin = tmp_path / "ConList.csv"
    twin.write_bytes(write_csv(rows, "cp1252"))
    lv = parse_ofsi(twin)
    assert "Cleric (“Pir”) of Bharchundi Sharif Shrine" in by_id(lv)["15672"].properties["position"]


# ---------------------------------------------------------------------- OFSI bad input


def test_ofsi_truncated_xlsx(tmp_path: Path) -> None:
    raw = shared(OFSI_2025).read_bytes()
    bad = tmp_path / "ConList.xlsx"
    bad.write_bytes(raw[:1_000_000])
    with pytest.raises(SourceError, match=r"ConList\.xlsx: zip: not a valid xlsx file"):
        parse_ofsi(bad)


def test_ofsi_xlsx_without_data_sheet(tmp_path: Path) -> None:
    out = rezip(
        shared(OFSI_2025),
        tmp_path / "renamed.xlsx",
        {"xl/workbook.xml": lambda x: x.replace(b'name="Data"', b'name="Sheet1"')},
    )
    with pytest.raises(
        SourceError, match=r"renamed\.xlsx: sheet 'Data': no such sheet; the workbook has \['Sheet1'\]"
    ):
        parse_ofsi(out)


def test_ofsi_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "ConList.csv"
    empty.write_bytes(b"")
    with pytest.raises(SourceError, match=r"ConList\.csv: file is empty"):
        parse_ofsi(empty)


@pytest.mark.integration
def test_ofsi_csv_missing_column(tmp_path: Path, ofsi_rows: list[list[CellValue]]) -> None:
    dob = ofsi_rows[1].index("DOB")
    rows = [ofsi_rows[0]] + [r[:dob] + r[dob + 1 :] for r in ofsi_rows[1:50]]
    bad = tmp_path / "ConList.csv"
    bad.write_bytes(write_csv(rows))
    with pytest.raises(SourceError, match=r"ConList\.csv: line 2: missing columns: 'DOB'"):
        parse_ofsi(bad)


@pytest.mark.integration
def test_ofsi_csv_cut_mid_quote(tmp_path: Path, ofsi_rows: list[list[CellValue]]) -> None:
    raw = write_csv(ofsi_rows[:60])
    cut = raw.rindex(b"(UK Statement of Reasons)")  # inside a quoted Other Information cell
    bad = tmp_path / "ConList.csv"
    bad.write_bytes(raw[:cut])
    with pytest.raises(SourceError, match=r"ConList\.csv: line \d+: malformed CSV: unexpected end of data"):
        parse_ofsi(bad)


@pytest.mark.integration
def test_ofsi_csv_utf16_is_refused(tmp_path: Path, ofsi_rows: list[list[CellValue]]) -> None:
    bad = tmp_path / "ConList.csv"
    bad.write_bytes(write_csv(ofsi_rows[:40], "utf-16"))
    with pytest.raises(SourceError, match=r"ConList\.csv: line 1, byte \d+: contains NUL bytes \(UTF-16\?\)"):
        parse_ofsi(bad)


@pytest.mark.integration
def test_ofsi_csv_undecodable_byte(tmp_path: Path, ofsi_rows: list[list[CellValue]]) -> None:
    raw = write_csv(ofsi_rows[:40])
    pos = raw.index(b"MITHOO")
    bad = tmp_path / "ConList.csv"
    bad.write_bytes(raw[:pos] + b"\x81" + raw[pos:])  # 0x81 is neither UTF-8 nor Windows-1252
    with pytest.raises(SourceError, match=r"ConList\.csv: line 3, byte \d+: not valid utf-8/cp1252 text"):
        parse_ofsi(bad)


@pytest.mark.integration
def test_ofsi_row_without_group_id(tmp_path: Path, ofsi_rows: list[list[CellValue]]) -> None:
    rows = [list(r) for r in ofsi_rows[:10]]
    rows[5][35] = None
    bad = tmp_path / "ConList.csv"
    bad.write_bytes(write_csv(rows))
    with pytest.raises(SourceError, match=r"ConList\.csv: line 6, column 'Group ID': empty Group ID"):
        parse_ofsi(bad)


# ---------------------------------------------------------------------- FCDO summary ODS


@pytest.mark.integration
def test_fcdo_ods_counts_and_abramovich() -> None:
    # A real FCDO per-designation summary (primary name only, no aliases or identifiers).
    lv = parse_fcdo_ods(shared(FCDO_ODS))
    assert lv.source == "gb_fcdo_sanctions" and lv.format == "fcdo-ods"
    assert lv.published is None
    assert len(lv.records) == 5302
    schemata = Counter(r.schema for r in lv.records)
    assert schemata["Person"] == 3754
    assert schemata["Vessel"] == 461
    assert schemata["Company"] + schemata["Organization"] == 1087
    records = by_id(lv)
    r = records["RUS0270"]
    name = r.names[0]
    assert (name.full, name.last, name.first) == (
        "ABRAMOVICH Roman Arkadyevich",
        "ABRAMOVICH",
        "Roman Arkadyevich",
    )
    assert r.links == [Link(relation="same_as", target_name="", target_id="gb_hmt_sanctions:14212")]
    (d,) = r.designations
    assert d.programs == ("Russia",) and d.listing_date == "2022-03-10" and d.authority_id == "RUS0270"
    assert d.measures == (
        "Asset freeze",
        "Director Disqualification Sanction",
        'Transport sanctions: see "Other information"',
        "Travel Ban",
        "Trust Services Sanctions",
    )
    assert r.properties["notes"] == ["Designation source: UK"]
    assert records["RUS0269"].links[0].target_id == "gb_hmt_sanctions:14214"
    assert records["RUS0251"].names[0].full == "PUTIN Vladimir Vladimirovich"
    assert records["AFG0001"].designations[0].listing_date == "2012-06-29"
    assert records["YEM0018"].names[0].last == "Al-HOUTHI"


def test_fcdo_ods_truncated(tmp_path: Path) -> None:
    raw = shared(FCDO_ODS).read_bytes()
    bad = tmp_path / "FCDO.ods"
    bad.write_bytes(raw[:100_000])
    with pytest.raises(SourceError, match=r"FCDO\.ods: zip: not a valid ods file"):
        parse_fcdo_ods(bad)


def test_fcdo_ods_missing_column(tmp_path: Path) -> None:
    out = rezip(
        shared(FCDO_ODS),
        tmp_path / "FCDO.ods",
        {"content.xml": lambda x: x.replace(b"<text:p>Unique ID</text:p>", b"<text:p>UID</text:p>", 1)},
    )
    with pytest.raises(SourceError, match=r"FCDO\.ods: row 1: missing columns: 'Unique ID'"):
        parse_fcdo_ods(out)


def test_fcdo_ods_empty(tmp_path: Path) -> None:
    empty = tmp_path / "FCDO.ods"
    empty.write_bytes(b"")
    with pytest.raises(SourceError, match=r"FCDO\.ods: file is empty"):
        parse_fcdo_ods(empty)


# ---------------------------------------------------------------------- FCDO XML


def test_fcdo_xml_sample() -> None:
    lv = parse_fcdo_xml(shared(FCDO_XML))
    assert lv.source == "gb_fcdo_sanctions" and lv.format == "fcdo-xml"
    assert lv.published == "2026-09-07"
    assert [r.id for r in lv.records] == [
        "AFG0001", "AFG0006", "AFG0007", "AFG0009", "AFG0038", "AFG0043", "AQD0030", "AQD0190", "AQD0260",
        "AQD0262", "BEL0004", "BEL0108", "BEL0174", "DPR0075", "DPR0076", "GAC0072", "GIM0029", "GUB0009",
        "RUS1683", "RUS2701", "RUS3379",
    ]  # fmt: skip
    schemata = Counter(r.schema for r in lv.records)
    assert schemata["Person"] == 14 and schemata["Vessel"] == 2
    assert schemata["Company"] + schemata["Organization"] == 5
    assert lv.warnings == []
    records = by_id(lv)

    afg6 = records["AFG0006"]
    # Ten identical <Passport> entries in the file, one identifier here.
    assert [(i.scheme, i.value, i.country) for i in afg6.identifiers] == [
        ("passportNumber", "P04581926", "af")
    ]
    assert afg6.names[0].full == "MOHAMMAD HASSAN AKHUND"
    assert [n.full for n in afg6.names if n.script == "Arab"] == ["محمد حسن آخوند"]
    assert [d.value for d in afg6.birth_dates][:3] == ["1945", "1946", "1947"]  # dd/mm/1945
    assert afg6.properties["title"] == ["Mullah", "Haji"]
    assert afg6.designations[0].unsc_id == "TAi.002"
    assert afg6.designations[0].listing_date == "2001-01-25"
    assert afg6.links == [Link(relation="same_as", target_name="", target_id="gb_hmt_sanctions:7172")]

    ship = records["DPR0075"]
    assert ship.schema == "Vessel"
    assert Identifier(scheme="imoNumber", value="9562233") in ship.identifiers  # written IMO9562233
    assert ship.properties["flag"] == ["km"] and ship.properties["pastFlags"] == ["in"]
    assert ship.properties["tonnage"] == ["7078"] and ship.properties["buildDate"] == ["2011"]

    bel = records["BEL0174"]  # one <Name> holds only a NameType: skipped
    assert [(n.full, n.kind, n.lang) for n in bel.names] == [
        ("Pavel Ivanovich KAZAKOV", "name", None),
        ("Pavel Ivanavich KAZAKOU", "alias", None),
        ("Павел Іванавіч Казакоў", "alias", "bel"),
        ("Павел Иванович Казаков", "alias", "rus"),
    ]
    assert bel.names[0].father == "Ivanovich"
    assert records["RUS2701"].birth_dates == []  # 15/08/19yy: unknown year, dropped
    assert [d.value for d in records["AQD0262"].birth_dates] == ["1958-09"]  # dd/09/1958
    assert bel.designations[0].reason is not None and "\n" in bel.designations[0].reason
    assert lv == parse_fcdo_xml(shared(FCDO_XML))  # deterministic


def test_fcdo_xml_truncated(tmp_path: Path) -> None:
    raw = read_bytes(shared(FCDO_XML))
    bad = tmp_path / "uk.xml"
    bad.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(SourceError, match=r"uk\.xml: line \d+, column \d+: malformed XML"):
        parse_fcdo_xml(bad)


def test_fcdo_xml_entity_bomb(tmp_path: Path) -> None:
    raw = read_bytes(shared(FCDO_XML))
    decl_end = raw.index(b"?>") + 2
    bomb = b'\n<!DOCTYPE Designations [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    bad = tmp_path / "uk.xml"
    bad.write_bytes(raw[:decl_end] + bomb + raw[decl_end:])
    with pytest.raises(SourceError, match=r"uk\.xml: line 2: XML declares entities"):
        parse_fcdo_xml(bad)


def test_fcdo_xml_empty_and_wrong_root(tmp_path: Path) -> None:
    empty = tmp_path / "uk.xml"
    empty.write_bytes(b"  \n")
    with pytest.raises(SourceError, match=r"uk\.xml: file is empty"):
        parse_fcdo_xml(empty)
    raw = read_bytes(shared(FCDO_XML))
    wrong = tmp_path / "other.xml"
    wrong.write_bytes(
        raw.replace(b"<Designations ", b"<Designationz ", 1).replace(b"</Designations>", b"</Designationz>")
    )
    with pytest.raises(SourceError, match=r"other\.xml: line 2: expected a <Designations> root"):
        parse_fcdo_xml(wrong)
