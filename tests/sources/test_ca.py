"""Canada SEMA/JVCFOA XML, both schemas: counts, spot checks and bad input on the real files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from reckon.model import FuzzyDate, Identifier, Record
from reckon.sources.ca import parse_sema
from reckon.sources.common import SourceError
from tests.conftest import shared

OLD = "ca/sema-lmes_2020-04.xml"
SAMPLE = "ca/sample_sema_2026-06-12.xml"


@pytest.fixture(scope="module")
def old() -> dict[str, Record]:
    return {r.id: r for r in parse_sema(shared(OLD)).records}


@pytest.fixture(scope="module")
def sample() -> dict[str, Record]:
    return {r.id: r for r in parse_sema(shared(SAMPLE)).records}


def test_old_schema_counts() -> None:
    lv = parse_sema(shared(OLD))
    assert (lv.format, lv.source, lv.published) == ("sema-xml", "ca_dfatd_sema_sanctions", None)
    assert len(lv.records) == 1369
    assert len({r.id for r in lv.records}) == 1369  # no Country/Schedule/Item repeats
    assert lv.warnings == []
    assert Counter(r.schema for r in lv.records) == {"Person": 985, "Organization": 212, "Company": 172}
    programs = Counter(r.designations[0].programs[0] for r in lv.records)
    assert programs == {
        "Syria": 281,
        "Ukraine": 242,
        "Iran": 202,
        "Russia": 197,
        "Zimbabwe": 181,
        "Venezuela": 96,
        "Burma": 89,
        "Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR)": 70,
        "Nicaragua": 9,
        "South Sudan": 2,
    }


def test_new_schema_counts() -> None:
    lv = parse_sema(shared(SAMPLE))
    assert len(lv.records) == 16
    assert Counter(r.schema for r in lv.records) == {
        "Person": 11,
        "Vessel": 3,
        "Organization": 1,
        "Company": 1,
    }
    assert Counter(r.id.split("/")[0] for r in lv.records)["russia"] == 6


def test_old_entries(old: dict[str, Record]) -> None:
    bagan = old["burma/1/1"]
    assert bagan.schema == "Company"
    assert [(n.full, n.kind) for n in bagan.names] == [
        ("Air Bagan", "name"),
        ("Air Bagan Holdings Pte. Ltd.", "alias"),
        ("Air Bagan Limited", "alias"),
    ]
    girkin = old["russia/1/43"]
    assert (girkin.names[0].first, girkin.names[0].last) == ("Igor", "GIRKIN")
    assert [(n.full, n.kind) for n in girkin.names[1:]] == [("Igor STRELKOV", "alias")]
    # Single-word given-name variants are weak aliases.
    salyaev = old["russia/1/112"]
    assert [(n.full, n.kind) for n in salyaev.names[1:]] == [
        ("Aleksei", "weakAlias"),
        ("Oleksii SALYAYEV", "alias"),
        ("SALIAIEV", "weakAlias"),
    ]
    assert salyaev.birth_dates == [FuzzyDate("1975-12-04", original="1975-12-04")]
    # "N/A" schedule leaves an empty id segment; bilingual "English/Français" titles.
    assert old["zimbabwe//1"].names[0].full == "Robert Gabriel Mugabe"
    assert old["syria/2/62"].properties["title"] == ["Lt. General", "lieutenant-général"]


def test_new_entries(sample: dict[str, Record]) -> None:
    trotsenko = sample["russia/1, Part 1/1520"]
    assert trotsenko.names[0].full == "Roman Viktorovich TROTSENKO"
    assert [(n.full, n.script) for n in trotsenko.names[1:]] == [
        ("Roman Victorovich Trocenko", "Latn"),
        ("Роман Викторович Троценко", "Cyrl"),
    ]
    d = trotsenko.designations[0]
    assert (d.jurisdiction, d.authority, d.programs, d.listing_date, d.authority_id) == (
        "ca",
        "Global Affairs Canada",
        ("Russia",),
        "2025-06-13",
        "russia/1, Part 1/1520",
    )
    lakhta = sample["russia/1, Part 2/401"]
    assert lakhta.schema == "Company"
    assert [n.full for n in lakhta.names] == [
        "Lakhta Plaza",
        "Lakhta Plaza Limited Liability Company",
        "Lakhta Plaza LLC",
        'Общество c Ограниченной Ответственностью "Лахта Плаза"',
    ]
    ship = sample["russia/1.1/634"]
    assert ship.schema == "Vessel"
    assert ship.names[0].full == "Dmitry Mendeleev"
    assert ship.identifiers == [Identifier("imoNumber", "IMO9888182")]  # leading space in source
    assert ship.properties["type"] == ["Bunkering Tanker (LNG)", "Navire-citerne de soutage (GNL)"]
    assert ship.properties["buildDate"] == ["2021"]
    assert ship.designations[0].listing_date == "2026-06-12"
    assert sample["venezuela//1"].designations[0].programs == ("Venezuela",)  # trailing space trimmed


def test_new_date_and_alias_quirks(sample: dict[str, Record]) -> None:
    assert sample["russia/1, Part 1/1114"].birth_dates == [FuzzyDate("1999-09", original="Sep-99")]
    jvcfor = "justice-for-victims-of-corrupt-foreign-officials-regulations-(jvcfor)//54"
    assert [d.value for d in sample[jvcfor].birth_dates] == ["1972-08-10", "1972-08-11"]
    dagalo = sample["sudan/Part 1/1"]
    assert dagalo.birth_dates == [
        FuzzyDate("1970", approximate=True, until="1975", original="born in the early 1970s")
    ]
    assert [(n.full, n.script, n.lang) for n in dagalo.names[1:]] == [
        ("Abdel Rahim Hamdan Dagalo", "Latn", None),
        ("Abdelrahim Dagalo", "Latn", None),
        ("Abdul Rahim Dagalo", "Latn", None),
        ("Abdelrahim Hamdan Dagalo Mousa", "Latn", None),
        ("عبدالرحيم دقلو", "Arab", "ara"),
    ]
    assert sample["syria/Part 2/60"].properties["title"] == ["Major General", "major-général"]


# ------------------------------------------------------------------ bad input


def _expect_error(path: Path, *fragments: str) -> None:
    with pytest.raises(SourceError) as info:
        parse_sema(path)
    message = str(info.value)
    assert path.name in message
    for fragment in fragments:
        assert fragment in message


def test_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_bytes(b"  \n")
    _expect_error(path, "empty")


def test_truncated(tmp_path: Path) -> None:
    raw = shared(OLD).read_bytes()
    path = tmp_path / "cut.xml"
    path.write_bytes(raw[:100_000])
    _expect_error(path, "line ", "column", "malformed XML")


def test_malformed(tmp_path: Path) -> None:
    raw = shared(SAMPLE).read_bytes()
    path = tmp_path / "bad.xml"
    path.write_bytes(raw.replace(b"</record>", b"</recrd>", 1))
    _expect_error(path, "line 10", "mismatch")


def test_wrong_encoding(tmp_path: Path) -> None:
    raw = shared(SAMPLE).read_bytes()
    path = tmp_path / "latin1.xml"
    path.write_bytes(raw.decode("utf-8").encode("latin-1", errors="replace"))
    _expect_error(path, "line ", "encoding")


def test_wrong_root(tmp_path: Path) -> None:
    path = tmp_path / "un.xml"
    path.write_bytes(shared("un/UN_consolidated_2026-02-27.xml").read_bytes())
    _expect_error(path, "data-set")


def test_record_without_item(tmp_path: Path) -> None:
    text = shared(SAMPLE).read_text(encoding="utf-8")
    text = text.replace("<Item-NumeroDarticle>1</Item-NumeroDarticle>", "", 1)
    path = tmp_path / "noitem.xml"
    path.write_text(text, encoding="utf-8")
    _expect_error(path, "line 3", "Item")


def test_repeated_id_made_unique(tmp_path: Path) -> None:
    text = shared(SAMPLE).read_text(encoding="utf-8")
    first = text[text.index("<record>") : text.index("</record>") + len("</record>")]
    path = tmp_path / "dup.xml"
    path.write_text(text.replace(first, first + "\n" + first, 1), encoding="utf-8")
    lv = parse_sema(path)
    ids = [r.id for r in lv.records]
    assert ids[:2] == ["belarus/1, Part 1/1", "belarus/1, Part 1/1#2"]
    assert lv.warnings == ["duplicate id belarus/1, Part 1/1 at line 11: stored as belarus/1, Part 1/1#2"]
