"""EU FSF XML 1.1 sample and the 2016 legacy WHOLE file: counts, spot checks, bad input."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from reckon.model import Address, FuzzyDate, Identifier, Record
from reckon.sources.common import SourceError
from reckon.sources.eu import parse_fsf, parse_legacy
from tests.conftest import shared

FSF = "eu_fsf/sample_fsf_xml11_2026-08-05.xml"
LEGACY = "eu_fsf/EU_legacy_WHOLE_2016-02-11_partial.xml"


@pytest.fixture(scope="module")
def fsf() -> dict[str, Record]:
    return {r.id: r for r in parse_fsf(shared(FSF)).records}


@pytest.fixture(scope="module")
def legacy() -> dict[str, Record]:
    return {r.id: r for r in parse_legacy(shared(LEGACY)).records}


def test_fsf_counts() -> None:
    lv = parse_fsf(shared(FSF))
    assert (lv.format, lv.source, lv.published) == ("eu-fsf-xml", "eu_fsf", "2026-08-05")
    assert len(lv.records) == 17
    assert Counter(r.schema for r in lv.records) == {"Person": 10, "Company": 5, "Organization": 2}
    assert sum(len(r.names) for r in lv.records) == 45
    assert sum(len(r.identifiers) for r in lv.records) == 8  # 9 identification, one numbered "-"
    programs = Counter(p for r in lv.records for p in r.designations[0].programs)
    assert programs == {
        "IRN": 4, "IRQ": 2, "TAQA": 2, "UKR": 2,
        "COD": 1, "PRK": 1, "LBY": 1, "SYR": 1, "HR": 1, "MMR": 1, "SDNZ": 1,
    }  # fmt: skip
    assert [r.designations[0].authority_id for r in lv.records][:3] == ["EU.27.28", "EU.39.56", "EU.367.96"]
    assert lv.warnings == []


def test_fsf_saddam(fsf: dict[str, Record]) -> None:
    r = fsf["13"]
    assert r.schema == "Person"
    assert [(n.full, n.kind, n.lang) for n in r.names] == [
        ("Saddam Hussein Al-Tikriti", "name", None),
        ("Abu Ali", "alias", None),
        ("Abou Ali", "alias", "fra"),
    ]
    assert (r.names[0].first, r.names[0].last) == ("Saddam", "Hussein Al-Tikriti")
    assert r.birth_dates == [FuzzyDate("1937-04-28", original="1937-04-28")]
    assert r.properties["birthPlace"] == ["al-Awja, near Tikrit, IRAQ"]
    assert r.properties["citizenship"] == ["iq"]
    assert r.properties["gender"] == ["male"]
    d = r.designations[0]
    assert (d.jurisdiction, d.programs, d.listing_date, d.legal_basis, d.authority_id) == (
        "eu",
        ("IRQ",),
        "2003-07-08",
        "1210/2003 (OJ L169)",
        "EU.27.28",
    )


def test_fsf_sovcombank(fsf: dict[str, Record]) -> None:
    r = fsf["139009"]
    assert r.schema == "Company"
    assert [(n.full, n.kind) for n in r.names] == [("Sovcombank", "name"), ("Buycombank", "previousName")]
    # The tax and register numbers carry no country but the entity's address is Russian.
    assert [(i.scheme, i.value) for i in r.identifiers] == [
        ("innCode", "4401116480"),
        ("ogrnCode", "1144400000425"),
    ]
    assert r.addresses == [
        Address(
            full="Prospekt Tekstilshchikov, 46, Kostroma, 156000, Kostroma Oblast, RUSSIAN FEDERATION",
            street="Prospekt Tekstilshchikov, 46",
            city="Kostroma",
            postal_code="156000",
            region="Kostroma Oblast",
            country="ru",
        )
    ]
    d = r.designations[0]
    assert (d.programs, d.listing_date, d.legal_basis, d.authority_id) == (
        ("UKR",),
        "2022-04-08",
        "2023/571 (OJ L75 I)",
        "EU.8060.95",
    )


def test_fsf_quirks(fsf: dict[str, Record]) -> None:
    # low/good quality remarks, the misspelt "aliias" and the truncated "formerly listed a".
    kinds = {n.full: n.kind for n in fsf["514"].names}
    assert kinds == {
        "Abdul Manan Agha": "name",
        "عبد المنان آغا": "alias",
        "Saiyid Abd al-Man": "weakAlias",
        "Abdul Man’am Saiyid": "weakAlias",
        "Abdul Manan": "alias",
    }
    assert fsf["514"].properties["notes"] == ["Saiyid Abd al-Man: formerly listed a"]
    asiri = fsf["6177"]
    assert {n.full: n.kind for n in asiri.names}["Abosslah"] == "weakAlias"
    # ISLAMIC birthdate: the export's own Gregorian value, the Hijri date as original text.
    assert asiri.birth_dates == [
        FuzzyDate("1982-04-18", original="1982-04-18"),
        FuzzyDate("1982-04-19", original="1402-06-24 (islamic calendar)"),
    ]
    assert (
        Identifier(
            "passportNumber",
            "F654645",
            "sa",
            "National passport; issued 2005-04-30; valid to 2010-03-07; known expired; Saudi Arabian passport"
            " number, issued on 30.4.2005, expired on 7.3.2010, issue date in Hijri Calendar 24.06.1426,"
            " expiry date in Hijri Calendar 21.03.1431",
        )
        in asiri.identifiers
    )
    # A bare Hijri year is not converted into a Gregorian one.
    soleimani = fsf["127388"]
    assert [d.value for d in soleimani.birth_dates] == ["1965", "1964"]
    assert "Date of birth: 1343 (islamic calendar)" in soleimani.properties["notes"]
    # yearRangeFrom/To; UN reference; Cyrillic name labelled "EN" loses the wrong language.
    assert fsf["155661"].birth_dates == [FuzzyDate("1960", until="1979", original="1960-1979")]
    assert fsf["118593"].designations[0].unsc_id == "LYi.28"
    assert [(n.script, n.lang) for n in fsf["7300"].names] == [("Latn", None), ("Cyrl", None)]
    assert fsf["107840"].identifiers == [
        Identifier("imoNumber", "IMO5342883", None, "IMO (vessel identification)")
    ]
    assert fsf["3745"].properties["phone"] == ["+253 (0) 99 983 784"]
    # A French name first does not become the primary name.
    assert fsf["161649"].names[0].full == "Zadna International Company for Investment Limited"


@pytest.mark.integration
def test_legacy_counts() -> None:
    lv = parse_legacy(shared(LEGACY))
    assert (lv.format, lv.source, lv.published) == ("eu-legacy-xml", "eu_fsf", "2016-02-11")
    assert len(lv.records) == 595
    schemas = Counter(r.schema for r in lv.records)
    assert schemas["Person"] == 319
    assert schemas["Organization"] + schemas["Company"] == 276
    assert Counter(r.designations[0].programs[0] for r in lv.records) == {
        "IRQ": 292, "TAQA": 155, "AFG": 108, "TERR": 22, "COD": 16, "ZWE": 2,
    }  # fmt: skip
    assert lv.warnings == []  # 'YUG' (Yugoslavia) maps to FtM's yucs


@pytest.mark.integration
def test_legacy_entries(legacy: dict[str, Record]) -> None:
    saddam = legacy["13"]  # the same id as the 1.1 export's logicalId
    assert saddam.names[0].full == "Saddam Hussein Al-Tikriti"
    assert saddam.birth_dates == [FuzzyDate("1937-04-28", original="1937-04-28")]
    assert saddam.properties["birthCountry"] == ["iq"]
    assert saddam.properties["citizenship"] == ["iq"]
    mugabe = legacy["1"]
    assert mugabe.identifiers == [
        Identifier("passportNumber", "AD001095", None, "National passport; passport")
    ]
    d = mugabe.designations[0]
    assert (d.programs, d.listing_date, d.legal_basis, d.authority_id) == (
        ("ZWE",),
        "2002-09-13",
        "151/2012 (OJ L49)",
        "1",
    )
    assert mugabe.properties["position"] == ["President", "president"]
    assert FuzzyDate("1962", approximate=True, until="1968", original="1962 - 1968 (approximative)") in (
        legacy["1064"].birth_dates
    )
    assert legacy["330"].properties["phone"][0] == "042-681 20 81"


# ------------------------------------------------------------------ bad input


def _expect_error(parse: object, path: Path, *fragments: str) -> None:
    assert callable(parse)
    with pytest.raises(SourceError) as info:
        parse(path)
    message = str(info.value)
    assert path.name in message
    for fragment in fragments:
        assert fragment in message


def test_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_bytes(b"")
    _expect_error(parse_fsf, path, "empty")
    _expect_error(parse_legacy, path, "empty")


def test_truncated(tmp_path: Path) -> None:
    path = tmp_path / "cut.xml"
    path.write_bytes(shared(FSF).read_bytes()[:20_000])
    _expect_error(parse_fsf, path, "line ", "column", "malformed XML")
    path2 = tmp_path / "cut_legacy.xml"
    path2.write_bytes(shared(LEGACY).read_bytes()[:700_000])
    _expect_error(parse_legacy, path2, "line ", "column", "malformed XML")


def test_malformed(tmp_path: Path) -> None:
    raw = shared(FSF).read_bytes()
    path = tmp_path / "bad.xml"
    path.write_bytes(raw.replace(b"</sanctionEntity>", b"</sanctionEntty>", 1))
    _expect_error(parse_fsf, path, "line 24, column 21", "mismatch")


def test_wrong_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin1.xml"
    path.write_bytes(shared(FSF).read_text(encoding="utf-8").encode("latin-1", errors="replace"))
    _expect_error(parse_fsf, path, "line ", "encoding")


def test_wrong_format(tmp_path: Path) -> None:
    # Each parser refuses the other format's real file by its root element.
    legacy = tmp_path / "legacy.xml"
    legacy.write_bytes(shared(LEGACY).read_bytes())
    _expect_error(parse_fsf, legacy, "export")
    fsf = tmp_path / "fsf.xml"
    fsf.write_bytes(shared(FSF).read_bytes())
    _expect_error(parse_legacy, fsf, "WHOLE")


def test_entity_without_id(tmp_path: Path) -> None:
    raw = shared(FSF).read_bytes()
    path = tmp_path / "noid.xml"
    path.write_bytes(
        raw.replace(b'euReferenceNumber="EU.27.28" logicalId="13"', b'euReferenceNumber="EU.27.28"', 1)
    )
    _expect_error(parse_fsf, path, "line 3", "logicalId")


def test_duplicate_id(tmp_path: Path) -> None:
    raw = shared(FSF).read_bytes()
    path = tmp_path / "dup.xml"
    path.write_bytes(raw.replace(b'logicalId="20">', b'logicalId="13">', 1))
    _expect_error(parse_fsf, path, "line 25", "duplicate sanctionEntity id 13")
