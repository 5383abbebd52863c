"""OFAC parsers over the real files in shared/data/lists (legacy CSV, classic XML, enhanced XML).

Counts were checked independently (csv module / lxml / grep) against each PROVENANCE.md.
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from reckon.model import Address, FuzzyDate, Identifier, Link, ListVersion, Name, Record
from reckon.sources.common import SourceError
from reckon.sources.ofac import parse_legacy_csv
from reckon.sources.ofac_xml import parse_classic_xml, parse_enhanced_xml
from reckon.sources.registry import parser_for
from tests.conftest import shared

BENCH = "ofac_sdn/csv_2021-07_watchman_bench"
FIXTURE = "ofac_sdn/fixture_watchman_ofactest"
HISTORY = "ofac_sdn_history"
CONS_CSV = "ofac_consolidated/csv_2025-12"
CLASSIC = "ofac_consolidated/consolidated_classic_2026-01-08.xml"
ENHANCED = "ofac_consolidated/CONS_ENHANCED_2025-01-14.ZIP"


def by_id(lv: ListVersion) -> dict[str, Record]:
    return {r.id: r for r in lv.records}


def kinds(lv: ListVersion) -> Counter[str]:
    return Counter(n.kind for r in lv.records for n in r.names)


# ------------------------------------------------------------------------------ registry


def test_registry_points_at_these_parsers() -> None:
    assert parser_for("ofac-legacy-csv") is parse_legacy_csv
    assert parser_for("ofac-classic-xml") is parse_classic_xml
    assert parser_for("ofac-enhanced-xml") is parse_enhanced_xml


# ----------------------------------------------------------------------------- legacy CSV


@pytest.mark.integration
def test_bench_quartet_counts() -> None:
    lv = parse_legacy_csv(shared(BENCH))
    assert (lv.source, lv.format, lv.published) == ("us_ofac_sdn", "ofac-legacy-csv", None)
    assert len(lv.records) == 8976
    schemata = Counter(r.schema for r in lv.records)
    assert schemata["Person"] == 4620
    assert schemata["Vessel"] == 406
    assert schemata["Airplane"] == 277
    assert schemata["Organization"] + schemata["Company"] == 3673
    # alt.csv: aka 11523 + nka 18 (two exact repeats merged) and fka 369; the
    # Remarks add 24 f.k.a.s and 2415 weak a.k.a.s (+2 from sdn_comments.csv).
    assert kinds(lv) == Counter(name=8976, alias=11539, previousName=393, weakAlias=2417)
    # add.csv: 13837 rows, of which 2397 are all `-0-`.
    assert sum(len(r.addresses) for r in lv.records) == 11440
    assert lv.warnings == [
        "country not recognised: 'Netherlands Antilles'",
        "country not recognised: 'Region: Kafia Kingi'",
    ]
    cuba = by_id(lv)["306"]
    assert cuba.names[0] == Name(full="BANCO NACIONAL DE CUBA", script="Latn")
    assert Name(full="NATIONAL BANK OF CUBA", kind="alias", script="Latn") in cuba.names
    assert (
        Address(
            full="Zweierstrasse 35, Zurich CH-8022, Switzerland",
            street="Zweierstrasse 35",
            city="Zurich CH-8022",
            country="ch",
        )
        in cuba.addresses
    )


def test_fixture_quartet_with_comment_continuation() -> None:
    lv = parse_legacy_csv(shared(FIXTURE))
    assert len(lv.records) == 17
    assert lv.warnings == ["9 alt/add rows name an ent_num missing from sdn.csv; ignored"]
    garantex = by_id(lv)["33151"]
    # sdn.csv cuts this wallet at 1000 characters; sdn_comments.csv carries the rest.
    assert (
        Identifier("cryptoWallet", "1B64QRxfaa35MVkf7sDjuGUYAP5izQt7Qi", None, "XBT") in garantex.identifiers
    )
    assert Identifier("leiCode", "5299007NTWCC3U23WM81", "cz", "Legal Entity Number") in garantex.identifiers
    assert Name(full="SUCCESSFUL EXCHANGE", kind="weakAlias", script="Latn") in garantex.names


def test_directory_and_file_paths_agree_and_gzip_works(tmp_path: Path) -> None:
    folder = shared(FIXTURE)
    via_dir = parse_legacy_csv(folder)
    via_file = parse_legacy_csv(folder / "sdn.csv")
    assert via_dir.records == via_file.records
    for name in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"):
        (tmp_path / f"{name}.gz").write_bytes(gzip.compress((folder / name).read_bytes()))
    assert parse_legacy_csv(tmp_path / "sdn.csv.gz").records == via_dir.records


def test_deterministic_and_source_override() -> None:
    path = shared(FIXTURE)
    assert parse_legacy_csv(path).records == parse_legacy_csv(path).records
    lv = parse_legacy_csv(path, source="us_ofac_cons")
    assert lv.source == "us_ofac_cons" and {r.source for r in lv.records} == {"us_ofac_cons"}


@pytest.mark.integration
@pytest.mark.parametrize(
    ("name", "rows", "russia", "max_id"),
    [
        ("sdn_2022-02-23.csv", 9121, 69, 35024),
        ("sdn_2022-02-26.csv", 9218, 143, 35233),
        ("sdn_2022-03-25.csv", 9809, 671, 35981),
        ("sdn_2023-02-24.csv", 11847, 2172, 41143),
        # PROVENANCE's grep says 4440: one row's programme is BPI-RUSSIA-EO14024.
        ("sdn_2024-05-03.csv", 14965, 4439, 48907),
    ],
)
def test_history_single_files(name: str, rows: int, russia: int, max_id: int) -> None:
    lv = parse_legacy_csv(shared(f"{HISTORY}/{name}"))
    assert len(lv.records) == rows
    assert sum("RUSSIA-EO14024" in r.designations[0].programs for r in lv.records) == russia
    assert max(int(r.id) for r in lv.records) == max_id
    assert len({r.id for r in lv.records}) == rows
    deripaska = by_id(lv)["24283"]
    assert deripaska.names[0].full == "DERIPASKA, Oleg Vladimirovich"
    assert deripaska.names[0].father == "Vladimirovich"
    assert deripaska.birth_dates == [FuzzyDate(value="1968-01-02", original="02 Jan 1968")]
    assert deripaska.properties["citizenship"] == ["ru", "cy"]
    assert deripaska.properties["birthPlace"] == ["Dzerzhinsk, Nizhny Novgorod Region, Russia"]
    # No sdn_comments.csv in the history: cells cut at 1000 characters are reported.
    assert any("cut at 1000 characters" in w for w in lv.warnings)


@pytest.mark.integration
def test_putin_appears_on_2022_02_26() -> None:
    before = by_id(parse_legacy_csv(shared(f"{HISTORY}/sdn_2022-02-23.csv")))
    after = by_id(parse_legacy_csv(shared(f"{HISTORY}/sdn_2022-02-26.csv")))
    assert "35096" not in before
    putin = after["35096"]
    assert putin.schema == "Person"
    assert putin.names == [
        Name(
            full="PUTIN, Vladimir Vladimirovich",
            first="Vladimir",
            father="Vladimirovich",
            last="PUTIN",
            script="Latn",
        )
    ]
    assert putin.birth_dates == [FuzzyDate(value="1952-10-07", original="07 Oct 1952")]
    assert putin.properties == {
        "position": ["President of the Russian Federation"],
        "birthPlace": ["Leningrad, Russia"],
        "birthCountry": ["ru"],
        "nationality": ["ru"],
        "citizenship": ["ru"],
        "gender": ["male"],
    }
    d = putin.designations[0]
    assert (d.jurisdiction, d.programs, d.authority_id, d.listing_date) == (
        "us",
        ("RUSSIA-EO14024",),
        "35096",
        None,
    )


@pytest.mark.integration
def test_2024_schema_counts_and_typed_entries() -> None:
    lv = parse_legacy_csv(shared(f"{HISTORY}/sdn_2024-05-03.csv"))
    schemata = Counter(r.schema for r in lv.records)
    # SDN_Type counts from PROVENANCE: individual 6854, entity 6884, vessel 851, aircraft 376.
    assert (schemata["Person"], schemata["Vessel"], schemata["Airplane"]) == (6854, 851, 376)
    assert schemata["Company"] + schemata["Organization"] == 6884
    records = by_id(lv)
    ebano = records["4243"]
    assert ebano.schema == "Vessel"
    assert ebano.identifiers == [
        Identifier("imoNumber", "IMO7406784", None, "Vessel Registration Identification")
    ]
    assert ebano.properties == {
        "type": ["General Cargo"],
        "tonnage": ["2595"],
        "grossRegisteredTonnage": ["1865"],
        "flag": ["pa"],
    }
    assert [n.full for n in ebano.names if n.kind == "previousName"] == ["ANA I", "SAND SWAN"]
    mar_azul = records["4238"]
    assert mar_azul.identifiers == [Identifier("callSign", "CL2192")]
    assert mar_azul.links == [Link("owner", "Samir de Navegacion S.A.")]
    lazarus = records["27307"]
    wallets = [i for i in lazarus.identifiers if i.scheme == "cryptoWallet"]
    assert wallets[0] == Identifier("cryptoWallet", "0x098B716B8Aaf21512996dC57EB0615e2383E2f96", None, "ETH")
    assert lazarus.properties["notes"] == ["a.k.a. 'WHOIS HACKIN"]
    aircraft = records["15431"]
    assert aircraft.schema == "Airplane"
    assert aircraft.links == [Link("operator", "YAS AIR"), Link("linked", "POUYA AIR")]
    smp = records["16829"]
    assert smp.schema == "Company"
    assert [(i.scheme, i.value) for i in smp.identifiers] == [
        ("swiftBic", "SMBKRUMM"),
        ("innCode", "7750005482"),
        ("okpoCode", "56657657"),
        ("ogrnCode", "1097711000078"),
    ]
    assert smp.designations[0].programs == ("UKRAINE-EO13661", "RUSSIA-EO14024")
    schemes = Counter(i.scheme for r in lv.records for i in r.identifiers)
    assert (schemes["imoNumber"], schemes["cryptoWallet"], schemes["innCode"]) == (982, 287, 2561)


def test_consolidated_csv() -> None:
    lv = parse_legacy_csv(shared(CONS_CSV))
    assert lv.source == "us_ofac_cons"
    assert len(lv.records) == 442
    assert lv.warnings == []
    assert kinds(lv) == Counter(name=442, alias=932, previousName=144, weakAlias=69)
    rosneft = by_id(lv)["17022"]
    assert rosneft.names[0].full == "OPEN JOINT-STOCK COMPANY ROSNEFT OIL COMPANY"
    assert Name(full="ROSNEFT", kind="alias", script="Latn") in rosneft.names
    # In Remarks order: Registration ID, Tax ID No., Government Gazette Number.
    assert rosneft.identifiers == [
        Identifier("ogrnCode", "1027700043502", "ru", "Registration ID"),
        Identifier("innCode", "7706107510", "ru", "Tax ID No."),
        Identifier("okpoCode", "00044428", "ru", "Government Gazette Number"),
    ]
    assert rosneft.properties["website"] == ["www.rosneft.com", "www.rosneft.ru"]
    assert "Executive Order 13662 Directive Determination - Subject to Directive 2" in (
        rosneft.designations[0].measures
    )


# ---------------------------------------------------------------------------- classic XML


def test_classic_xml() -> None:
    lv = parse_classic_xml(shared(CLASSIC))
    assert (lv.source, lv.format, lv.published) == ("us_ofac_cons", "ofac-classic-xml", "2026-01-08")
    assert len(lv.records) == 442
    assert Counter(r.schema for r in lv.records) == Counter(Company=359, Person=79, Organization=4)
    # aka: a.k.a. strong 931, f.k.a. strong 141 + weak 3, a.k.a. weak 69.
    assert kinds(lv) == Counter(name=442, alias=931, previousName=144, weakAlias=69)
    programs = Counter(p for r in lv.records for p in r.designations[0].programs)
    assert (programs["UKRAINE-EO13662"], programs["RUSSIA-EO14024"], programs["NS-PLC"]) == (286, 93, 78)
    records = by_id(lv)
    assert Name(full="VEB", kind="weakAlias", script="Latn") in records["17015"].names
    zahhar = records["9647"]
    assert zahhar.names[0] == Name(
        full="ZAHHAR, Mahmoud Khaled", first="Mahmoud Khaled", last="ZAHHAR", script="Latn"
    )
    assert (
        Name(full="ZAHAR, Mahmoud", kind="weakAlias", first="Mahmoud", last="ZAHAR", script="Latn")
        in zahhar.names
    )
    assert zahhar.birth_dates == [FuzzyDate(value="1945", original="1945")]
    rosneft = records["17022"]
    assert rosneft.identifiers == [
        Identifier("ogrnCode", "1027700043502", "ru", "Registration ID"),
        Identifier("okpoCode", "00044428", "ru", "Government Gazette Number"),
        Identifier("innCode", "7706107510", "ru", "Tax ID No."),
    ]
    assert rosneft.addresses == [
        Address(
            full="26/1 Sofiyskaya Embankment, Moscow, 115035, Russia",
            street="26/1 Sofiyskaya Embankment",
            city="Moscow",
            postal_code="115035",
            country="ru",
        )
    ]
    # Non-identity idTypes are measures or properties, never identifiers.
    assert rosneft.properties["email"] == ["postman@rosneft.ru"]
    assert {i.scheme for r in lv.records for i in r.identifiers} <= {
        "ogrnCode",
        "okpoCode",
        "innCode",
        "registrationNumber",
        "taxNumber",
        "isinCode",
        "leiCode",
        "swiftBic",
        "idNumber",
        "vatCode",
    }


def test_classic_and_csv_consolidated_agree_on_ids() -> None:
    classic = by_id(parse_classic_xml(shared(CLASSIC)))
    csv_ = by_id(parse_legacy_csv(shared(CONS_CSV)))
    assert classic.keys() == csv_.keys()


# --------------------------------------------------------------------------- enhanced XML


def test_enhanced_zip() -> None:
    lv = parse_enhanced_xml(shared(ENHANCED))
    assert (lv.source, lv.format, lv.published) == ("us_ofac_cons", "ofac-enhanced-xml", "2025-01-10")
    assert len(lv.records) == 443
    assert lv.warnings == []
    assert Counter(n.script for r in lv.records for n in r.names) == Counter(Latn=1579, Cyrl=39, Hani=6)
    records = by_id(lv)
    vtb = records["17013"]
    assert Name(full="БАНК ВТБ ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО", script="Cyrl") in vtb.names
    assert Identifier("swiftBic", "VTBRRUMM", None, "SWIFT/BIC") in vtb.identifiers
    assert (
        Identifier("ogrnCode", "1027739609391", "ru", "Registration ID; issued in Russia") in vtb.identifiers
    )
    assert vtb.properties["bikCode"] == ["044030707", "044525187"]
    assert records["17017"].links == [
        Link("Owned or Controlled By", "VTB BANK PUBLIC JOINT STOCK COMPANY", target_id="17013")
    ]
    zahhar = records["9647"]
    assert zahhar.birth_dates == [FuzzyDate(value="1945", original="1945")]
    assert zahhar.links == [Link("Acting for or on behalf of", "HAMAS", target_id="4695")]
    assert zahhar.properties["nationality"] == ["ps"]
    d = zahhar.designations[0]
    assert d.programs == ("NS-PLC", "SDGT")
    assert d.listing_date == "2006-04-12"
    assert d.legal_basis == "General License 4 Under EO 13224 (Terrorism); Executive Order 13224 (Terrorism)"
    assert d.measures[:2] == ("Reject", "Block")
    assert [n.full for n in zahhar.names if n.kind == "weakAlias"] == ["ZAHAR, Mahmoud", "AL-ZAHAR, Mahmoud"]
    megvii = records["33091"]
    assert Name(full="旷视科技有限公司", script="Hani") in megvii.names
    assert megvii.designations[0].listing_date == "2021-12-16"


def test_enhanced_bare_xml_equals_zip(tmp_path: Path) -> None:
    raw = zipfile.ZipFile(shared(ENHANCED)).read("CONS_ENHANCED.XML")
    bare = tmp_path / "CONS_ENHANCED.XML"
    bare.write_bytes(raw)
    assert parse_enhanced_xml(bare).records == parse_enhanced_xml(shared(ENHANCED)).records


# ------------------------------------------------------------------------------ bad input


def _fixture_bytes(name: str = "sdn.csv") -> bytes:
    return (shared(FIXTURE) / name).read_bytes()


def test_csv_cut_mid_quote(tmp_path: Path) -> None:
    raw = _fixture_bytes()
    cut = raw.rfind(b',"', 0, len(raw) - 200) + 40  # inside the last quoted Remarks
    bad = tmp_path / "sdn.csv"
    bad.write_bytes(raw[:cut])
    line = raw[:cut].count(b"\n") + 1
    with pytest.raises(SourceError, match=rf"sdn\.csv: line {line}: quoted field never closed"):
        parse_legacy_csv(bad)


def test_csv_row_with_three_columns(tmp_path: Path) -> None:
    lines = _fixture_bytes().split(b"\r\n")
    lines[2] = b",".join(lines[2].split(b",")[:3])
    bad = tmp_path / "sdn.csv"
    bad.write_bytes(b"\r\n".join(lines))
    with pytest.raises(SourceError, match=r"sdn\.csv: line 3: expected 12 columns, found 3; missing Program"):
        parse_legacy_csv(bad)


def test_csv_shifted_columns_name_the_column(tmp_path: Path) -> None:
    text = _fixture_bytes().decode("ascii")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rows[0] = [*rows[0][:2], *rows[0][3:], "-0- "]  # SDN_Type dropped, row padded to 12
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    bad = tmp_path / "sdn.csv"
    bad.write_text(out.getvalue(), encoding="ascii")
    with pytest.raises(SourceError, match=r"sdn\.csv: line 1: column 'SDN_Type': unknown type 'SDNT'"):
        parse_legacy_csv(bad)


def test_csv_utf16(tmp_path: Path) -> None:
    text = _fixture_bytes().decode("ascii")
    bom = tmp_path / "sdn.csv"
    bom.write_bytes(text.encode("utf-16"))
    with pytest.raises(SourceError, match=r"sdn\.csv: line 1, byte 0: UTF-16"):
        parse_legacy_csv(bom)
    no_bom = tmp_path / "cons_prim.csv"
    no_bom.write_bytes(text.encode("utf-16-le"))
    with pytest.raises(SourceError, match=r"cons_prim\.csv: line 1, byte 1: NUL byte"):
        parse_legacy_csv(no_bom)


def test_csv_undecodable_byte(tmp_path: Path) -> None:
    raw = _fixture_bytes()
    at = raw.index(b"\r\n", raw.index(b"\r\n") + 1) + 10  # inside line 3
    bad = tmp_path / "sdn.csv"
    bad.write_bytes(raw[:at] + b"\x81" + raw[at:])  # undefined in UTF-8 and in cp1252
    with pytest.raises(SourceError, match=rf"sdn\.csv: line 3, byte {at}: not valid utf-8/cp1252"):
        parse_legacy_csv(bad)


def test_csv_empty(tmp_path: Path) -> None:
    empty = tmp_path / "sdn.csv"
    empty.write_bytes(b"")
    with pytest.raises(SourceError, match=r"sdn\.csv: line 1: file is empty"):
        parse_legacy_csv(empty)
    # Only the DOS end-of-file byte the real files end with.
    eof_only = tmp_path / "cons_prim.csv"
    eof_only.write_bytes(shared(f"{BENCH}/sdn.csv").read_bytes()[-1:])
    with pytest.raises(SourceError, match="file is empty"):
        parse_legacy_csv(eof_only)


def test_csv_directory_without_primary_file() -> None:
    with pytest.raises(SourceError, match=r"no sdn\.csv or cons_prim\.csv"):
        parse_legacy_csv(shared("ofac_sdn/partial_2025-02_alt_add_comments_only"))


def test_csv_bad_alt_row_is_named(tmp_path: Path) -> None:
    folder = shared(FIXTURE)
    (tmp_path / "sdn.csv").write_bytes((folder / "sdn.csv").read_bytes())
    alt = (folder / "alt.csv").read_bytes().split(b"\r\n")
    alt[1] = b",".join(alt[1].split(b",")[:2])
    (tmp_path / "alt.csv").write_bytes(b"\r\n".join(alt))
    with pytest.raises(SourceError, match=r"alt\.csv: line 2: expected 5 columns, found 2; missing alt_type"):
        parse_legacy_csv(tmp_path / "sdn.csv")


def test_classic_truncated(tmp_path: Path) -> None:
    raw = shared(CLASSIC).read_bytes()
    bad = tmp_path / "consolidated.xml"
    bad.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(SourceError, match=r"consolidated\.xml: line \d+, column \d+: malformed XML"):
        parse_classic_xml(bad)


def test_classic_empty_and_entity_bomb(tmp_path: Path) -> None:
    empty = tmp_path / "consolidated.xml"
    empty.write_bytes(b"")
    with pytest.raises(SourceError, match=r"consolidated\.xml: line 1: file is empty"):
        parse_classic_xml(empty)
    raw = shared(CLASSIC).read_bytes()
    head, body = raw.split(b"\n", 1)
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(head + b'\n<!DOCTYPE sdnList [<!ENTITY a "aaaaaaaaaa">]>\n' + body)
    with pytest.raises(SourceError, match=r"bomb\.xml: line 2: XML declares entities"):
        parse_classic_xml(bomb)


def test_wrong_root_element(tmp_path: Path) -> None:
    raw = zipfile.ZipFile(shared(ENHANCED)).read("CONS_ENHANCED.XML")
    enhanced = tmp_path / "consolidated.xml"
    enhanced.write_bytes(raw)
    with pytest.raises(SourceError, match=r"line 1: root element is <sanctionsData>, expected <sdnList>"):
        parse_classic_xml(enhanced)


def test_enhanced_truncated_zip(tmp_path: Path) -> None:
    raw = shared(ENHANCED).read_bytes()
    bad = tmp_path / "CONS_ENHANCED.ZIP"
    bad.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(SourceError, match=r"CONS_ENHANCED\.ZIP: zip: not a valid zip archive"):
        parse_enhanced_xml(bad)


def test_enhanced_zip_with_unexpected_member(tmp_path: Path) -> None:
    raw = zipfile.ZipFile(shared(ENHANCED)).read("CONS_ENHANCED.XML")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("SDN_ADVANCED.XML", raw)
    bad = tmp_path / "CONS_ENHANCED.ZIP"
    bad.write_bytes(buf.getvalue())
    with pytest.raises(SourceError, match=r"zip: expected one of .* found SDN_ADVANCED\.XML"):
        parse_enhanced_xml(bad)


def test_enhanced_truncated_xml(tmp_path: Path) -> None:
    raw = zipfile.ZipFile(shared(ENHANCED)).read("CONS_ENHANCED.XML")
    bad = tmp_path / "CONS_ENHANCED.XML"
    bad.write_bytes(raw[: len(raw) // 3])
    with pytest.raises(SourceError, match=r"CONS_ENHANCED\.XML: line \d+, column \d+: malformed XML"):
        parse_enhanced_xml(bad)
