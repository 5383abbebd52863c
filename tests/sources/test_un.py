"""UN Security Council consolidated.xml: counts, spot checks and bad input, on the real files."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest

from reckon.model import FuzzyDate, Identifier, Record
from reckon.sources.common import SourceError
from reckon.sources.un import parse_un
from tests.conftest import shared

NEW = "un/UN_consolidated_2026-02-27.xml"
OLD = "un/UN_consolidated_2025-11-20.xml"


@pytest.fixture(scope="module")
def new() -> dict[str, Record]:
    lv = parse_un(shared(NEW))
    return {r.id: r for r in lv.records}


@pytest.mark.integration
@pytest.mark.parametrize(
    ("rel", "published", "people", "entities"),
    [(NEW, "2026-02-27", 730, 273), (OLD, "2025-11-20", 727, 273)],
)
def test_counts(rel: str, published: str, people: int, entities: int) -> None:
    lv = parse_un(shared(rel))
    assert lv.format == "un-xml"
    assert lv.source == "un_sc_sanctions"
    assert lv.published == published
    assert len(lv.records) == people + entities
    assert len({r.id for r in lv.records}) == len(lv.records)
    schemas = Counter(r.schema for r in lv.records)
    assert schemas == {"Person": people, "Organization": 178, "Company": 95}
    programs = Counter(r.designations[0].programs[0] for r in lv.records)
    assert programs["Al-Qaida"] == 341 and programs["DPRK"] == 155 and programs["Taliban"] == 140


@pytest.mark.integration
def test_versions_differ_by_real_changes() -> None:
    new = {r.id for r in parse_un(shared(NEW)).records}
    old = {r.id for r in parse_un(shared(OLD)).records}
    assert sorted(new - old) == ["SDi.007", "SDi.008", "SDi.009", "SDi.010"]
    assert sorted(old - new) == ["IQi.074"]


@pytest.mark.integration
def test_zawahiri(new: dict[str, Record]) -> None:
    r = new["QDi.006"]
    assert r.schema == "Person"
    primary = r.names[0]
    assert (primary.full, primary.kind) == ("AIMAN MUHAMMED RABI AL-ZAWAHIRI", "name")
    assert (primary.first, primary.middle, primary.last) == ("AIMAN", "MUHAMMED RABI", "AL-ZAWAHIRI")
    arabic = [n for n in r.names if n.script == "Arab"]
    assert [(n.full, n.kind) for n in arabic] == [("أيمن محمد ربيع الظواهري", "alias")]
    kinds = {n.full: n.kind for n in r.names}
    assert kinds["Ayman Al-Zawahari"] == "alias"
    assert kinds["Abu Fatma"] == "weakAlias"
    assert r.birth_dates == [FuzzyDate("1951-06-19", original="1951-06-19")]
    assert r.identifiers == [
        Identifier("passportNumber", "1084010", country="eg"),
        Identifier("passportNumber", "19820215"),
    ]
    assert r.properties["nationality"] == ["eg"]
    assert r.properties["birthPlace"] == ["Giza, Egypt"]
    assert r.properties["title"] == ["Doctor", "Dr."]
    d = r.designations[0]
    assert (d.jurisdiction, d.authority) == ("un", "United Nations Security Council")
    assert d.programs == ("Al-Qaida",)
    assert d.listing_date == "2001-01-25"
    assert d.unsc_id == d.authority_id == "QDi.006"
    assert d.reason is not None and d.reason.startswith("Leader of Al-Qaida (QDe.004).")


@pytest.mark.integration
def test_cyrillic_original_script_and_passport(new: dict[str, Record]) -> None:
    r = new["QDi.290"]
    assert r.names[0].full == "DOKU KHAMATOVICH UMAROV"
    cyr = [n for n in r.names if n.script == "Cyrl"]
    assert [n.full for n in cyr] == ["Умаров Доку Хаматович"]
    assert Identifier("passportNumber", "96 03 464086", "ru", "Passport; issued 2003-06-01") in r.identifiers


@pytest.mark.integration
def test_dprk_entity(new: dict[str, Record]) -> None:
    r = new["KPe.001"]
    assert r.schema == "Company"
    assert r.names[0].full == "KOREA MINING DEVELOPMENT TRADING CORPORATION"
    assert {n.full for n in r.names[1:]} == {
        "CHANGGWANG SINYONG CORPORATION",
        "EXTERNAL TECHNOLOGY GENERAL CORPORATION",
        "DPRKN MINING DEVELOPMENT TRADING COOPERATION",
        '"KOMID"',
    }
    assert [(a.full, a.city, a.country) for a in r.addresses] == [
        ("Central District, Pyongyang, Democratic People's Republic of Korea", "Pyongyang", "kp")
    ]
    assert r.designations[0].programs == ("DPRK",)
    assert r.designations[0].listing_date == "2009-04-24"


@pytest.mark.integration
def test_entity_name_quirks(new: dict[str, Record]) -> None:
    # Two names packed in FIRST_NAME with " ; ".
    names = [(n.full, n.kind) for n in new["CDe.003"].names]
    assert names[:2] == [
        ("COMPAGNIE AERIENNE DES GRANDS LACS (CAGL)", "name"),
        ("GREAT LAKES BUSINESS COMPANY (GLBC)", "alias"),
    ]
    # f.k.a. → previousName; an alias NOTE with the Arabic-script name.
    assert ("KOREA CHANGGWANG CREDIT BANK", "previousName") in [
        (n.full, n.kind) for n in new["KPe.003"].names
    ]
    arabic = [n for n in new["QDe.157"].names if n.script == "Arab"]
    assert [(n.full, n.lang) for n in arabic] == [("شركة الكوثر", "ara")]


@pytest.mark.integration
def test_birth_date_forms(new: dict[str, Record]) -> None:
    assert new["TAi.002"].birth_dates == [
        FuzzyDate("1955", approximate=True, until="1958", original="1955-1958"),
        FuzzyDate("1945", approximate=True, until="1950", original="1945-1950"),
    ]
    assert FuzzyDate("1973-11", original="Nov. 1973") in new["CDi.004"].birth_dates
    assert (
        FuzzyDate("1977-08", until="1977-09", original="Between Aug. and Sep. 1977")
        in new["QDi.306"].birth_dates
    )
    assert new["QDi.395"].birth_dates[0].value == "1958-09"  # YEAR 1958 + NOTE "Sep."
    # Hijri dates are not converted; the text is kept.
    assert "Date of birth: 24/06/1402 (Hijri Calendar)" in new["QDi.291"].properties["notes"]
    assert [d.value for d in new["QDi.291"].birth_dates] == ["1982-04-19", "1982-04-18"]


@pytest.mark.integration
def test_deterministic() -> None:
    path = shared(NEW)
    assert parse_un(path).records == parse_un(path).records


# ------------------------------------------------------------------ bad input


@pytest.fixture(scope="module")
def raw() -> bytes:
    return shared(NEW).read_bytes()


def _expect_error(path: Path, *fragments: str) -> SourceError:
    with pytest.raises(SourceError) as info:
        parse_un(path)
    message = str(info.value)
    assert path.name in message
    for fragment in fragments:
        assert fragment in message
    return info.value


def test_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_bytes(b"")
    _expect_error(path, "empty")


def test_truncated(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "cut.xml"
    path.write_bytes(raw[: len(raw) // 2])
    err = _expect_error(path, "malformed XML")
    assert err.where is not None and err.where.startswith("line ")


def test_truncated_gzip(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "cut.xml.gz"
    path.write_bytes(gzip.compress(raw)[:50_000])
    _expect_error(path, "compressed stream", "truncated")


@pytest.mark.integration
def test_gzip_is_read(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "whole.xml.gz"
    path.write_bytes(gzip.compress(raw))
    assert len(parse_un(path).records) == 1003


def test_malformed(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(raw.replace(b"</INDIVIDUAL>", b"</INDIVIDUALX>", 1))
    _expect_error(path, "line 41, column 19", "mismatch")


def test_wrong_encoding(tmp_path: Path, raw: bytes) -> None:
    # Real text re-encoded as Latin-1 while the declaration still says UTF-8.
    path = tmp_path / "latin1.xml"
    path.write_bytes(raw.decode("utf-8").encode("latin-1", errors="replace"))
    _expect_error(path, "line 54", "encoding")


@pytest.mark.integration
def test_utf16_is_valid_xml(tmp_path: Path, raw: bytes) -> None:
    # UTF-16 with a BOM is legal XML; libxml2 detects it, so the file reads the same.
    path = tmp_path / "utf16.xml"
    path.write_bytes(raw.decode("utf-8").encode("utf-16"))
    assert len(parse_un(path).records) == 1003


def test_entity_bomb(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "bomb.xml"
    path.write_bytes(
        raw.replace(b"<CONSOLIDATED_LIST", b'<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<CONSOLIDATED_LIST', 1)
    )
    _expect_error(path, "line 2", "entities")


def test_wrong_root(tmp_path: Path) -> None:
    path = tmp_path / "sema.xml"
    path.write_bytes(shared("ca/sample_sema_2026-06-12.xml").read_bytes())
    _expect_error(path, "line 2", "CONSOLIDATED_LIST")


def test_record_without_reference(tmp_path: Path, raw: bytes) -> None:
    text = raw.decode("utf-8")
    text = text.replace("<DATAID>6907993</DATAID>", "", 1).replace(
        "<REFERENCE_NUMBER>CDi.001</REFERENCE_NUMBER>", "", 1
    )
    path = tmp_path / "noref.xml"
    path.write_text(text, encoding="utf-8")
    _expect_error(path, "line 4", "REFERENCE_NUMBER")


def test_reference_number_repeated_across_sections_is_refused(tmp_path: Path) -> None:
    raw = shared(NEW).read_bytes()
    start = raw.index(b"<INDIVIDUAL>")
    first = raw[start : raw.index(b"</INDIVIDUAL>", start) + len(b"</INDIVIDUAL>")]
    # The same INDIVIDUAL also appears as the first ENTITY: one id, two sections.
    entity = first.replace(b"<INDIVIDUAL>", b"<ENTITY>").replace(b"</INDIVIDUAL>", b"</ENTITY>")
    broken = raw.replace(b"<ENTITIES>", b"<ENTITIES>" + entity, 1)
    path = tmp_path / "dup.xml"
    path.write_bytes(broken)
    with pytest.raises(SourceError, match=r"dup\.xml: line \d+: duplicate ENTITY id"):
        parse_un(path)
