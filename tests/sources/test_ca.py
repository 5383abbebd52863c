"""Canada SEMA/JVCFOA XML, all three schemas: counts, spot checks and bad input on the real files."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from reckon.model import FuzzyDate, Identifier, Record
from reckon.sources.ca import parse_sema
from reckon.sources.common import SourceError
from reckon.sources.detect import detect
from tests.conftest import shared

OLD = "ca/sema-lmes_2020-04.xml"
CURRENT = "ca/sema-lmes_2025-05.xml"
SAMPLE = "ca/sample_sema_2026-06-12.xml"


@pytest.fixture(scope="module")
def old() -> dict[str, Record]:
    return {r.id: r for r in parse_sema(shared(OLD)).records}


@pytest.fixture(scope="module")
def current() -> dict[str, Record]:
    return {r.id: r for r in parse_sema(shared(CURRENT)).records}


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


# ------------------------------------------------------------ the 2025 file (third schema)


def _raw(relpath: str) -> list[etree._Element]:
    """The file's <record> elements, read without the parser."""
    return etree.parse(str(shared(relpath))).getroot().findall("record")


def _text(el: etree._Element, tag: str) -> str:
    return " ".join((el.findtext(tag) or "").replace("\xa0", " ").split())


def test_current_counts_against_the_file() -> None:
    lv = parse_sema(shared(CURRENT))
    raw = _raw(CURRENT)
    assert detect(shared(CURRENT)) == ("sema-xml", "ca_dfatd_sema_sanctions")
    assert (lv.format, lv.source, lv.published, lv.warnings) == (
        "sema-xml",
        "ca_dfatd_sema_sanctions",
        None,
        [],
    )
    assert len(raw) == len(lv.records) == len({r.id for r in lv.records}) == 4759
    # Records come out in document order, so each can be held against its element.
    persons = [bool(_text(el, "LastName") or _text(el, "GivenName")) for el in raw]
    ships = [bool(_text(el, "ShipIMONumber")) for el in raw]
    assert [r.schema == "Person" for r in lv.records] == persons
    assert [r.schema == "Vessel" for r in lv.records] == ships
    assert Counter(r.schema for r in lv.records) == {
        "Person": 3334,
        "Company": 682,
        "Organization": 634,
        "Vessel": 109,
    }
    by_country = Counter(_text(el, "Country").split(" / ")[0] for el in raw)
    assert Counter(r.designations[0].programs[0] for r in lv.records) == by_country
    assert by_country["Russia"] == 2426 and by_country["Ukraine"] == 553 and by_country["Belarus"] == 320
    assert len(by_country) == 19
    # Every record states its listing date, and every one is read.
    assert [r.designations[0].listing_date for r in lv.records] == [_text(el, "DateOfListing") for el in raw]
    russia_by_year = Counter(
        (r.designations[0].listing_date or "")[:4] for r in lv.records if r.id.startswith("russia/")
    )
    assert russia_by_year == {
        "2014": 110,
        "2015": 26,
        "2016": 12,
        "2019": 38,
        "2021": 13,
        "2022": 1188,
        "2023": 595,
        "2024": 226,
        "2025": 218,
    }
    # Every person's date of birth (1,716) and every ship's build date (109) is read.
    dated = [bool(_text(el, "DateOfBirthOrShipBuildDate")) for el in raw]
    assert [bool(r.birth_dates or r.properties.get("buildDate")) for r in lv.records] == dated
    assert sum(1 for r in lv.records if r.birth_dates) == 1716
    assert not any("notes" in r.properties for r in lv.records)


def test_current_names_in_every_script() -> None:
    lv = parse_sema(shared(CURRENT))
    assert Counter(n.script for r in lv.records for n in r.names) == {
        "Latn": 5512,
        "Cyrl": 2645,
        "Arab": 201,
        "Hebr": 15,
        "Hani": 12,
        "Armn": 1,
    }
    # 35 "Russian:", 31 "Belarusian:"/"Belarussian:" and 18 "Arabic:" labels, some before
    # several names ("Russian: Александр Владимирович Карниенко or Карниенка").
    assert Counter(n.lang for r in lv.records for n in r.names if n.lang) == {"rus": 43, "bel": 32, "ara": 19}
    # No word of a name or alias is lost: only the labels and separators are dropped.
    dropped: Counter[str] = Counter()
    for el, rec in zip(_raw(CURRENT), lv.records, strict=True):
        written = " ".join(_text(el, t) for t in ("LastName", "GivenName", "EntityOrShip", "Aliases"))
        kept = set(re.findall(r"\w+", " ".join(n.full for n in rec.names)))
        dropped.update(w for w in set(re.findall(r"\w+", written)) if w not in kept)
    assert set(dropped) == {
        "also",
        "known",
        "as",
        "or",
        "and",
        "Russian",
        "Belarusian",
        "Belarussian",
        "Arabic",
    }
    # A non-Latin alias is one name in its own script, not glued to a Latin one.
    mixed = [
        n.full
        for r in lv.records
        for n in r.names
        if n.script not in ("Latn", "Cyrl", "Arab", "Hebr", "Hani", "Armn")
    ]
    assert mixed == []


def test_current_names_beyond_latin_and_cyrillic(current: dict[str, Record]) -> None:
    # <Aliases>Տիգրան Քեոսայան, Тигран Эдмондович Кеосаян</Aliases>
    keosayan = current["russia/1, Part 1/830"]
    assert [(n.full, n.script) for n in keosayan.names] == [
        ("Tigran Edmondovich KEOSAYAN", "Latn"),
        ("Տիգրան Քեոսայան", "Armn"),
        ("Тигран Эдмондович Кеосаян", "Cyrl"),
    ]
    # <EntityOrShip>Hengye Tech Limited.</EntityOrShip><Aliases>恒燁科技有限公司</Aliases>
    assert [(n.full, n.script) for n in current["russia/1, Part 2/677"].names] == [
        ("Hengye Tech Limited.", "Latn"),
        ("恒燁科技有限公司", "Hani"),
    ]
    # <LastName>Chasdai</LastName><GivenName>David Chai</GivenName><Aliases>דוד חי חסדאי</Aliases>
    chasdai = current["extremist-settler-violence/Part 1/1"]
    assert [(n.full, n.script) for n in chasdai.names] == [
        ("David Chai Chasdai", "Latn"),
        ("דוד חי חסדאי", "Hebr"),
    ]
    assert chasdai.designations[0].programs == ("Extremist Settler Violence",)


def test_current_people(current: dict[str, Record]) -> None:
    # <LastName>ABRAMOVICH</LastName><GivenName>Roman Arkadyevich</GivenName>
    # <Aliases>Роман Аркадьевич Абрамович</Aliases><DateOfBirthOrShipBuildDate>1966</...>
    # <Schedule>1, Part 1</Schedule><Item>541</Item><DateOfListing>2023-03-10</DateOfListing>
    abramovich = current["russia/1, Part 1/541"]
    assert abramovich.schema == "Person"
    assert [(n.full, n.kind, n.first, n.last, n.script) for n in abramovich.names] == [
        ("Roman Arkadyevich ABRAMOVICH", "name", "Roman Arkadyevich", "ABRAMOVICH", "Latn"),
        ("Роман Аркадьевич Абрамович", "alias", None, None, "Cyrl"),
    ]
    assert abramovich.birth_dates == [FuzzyDate("1966", original="1966")]
    d = abramovich.designations[0]
    assert (d.jurisdiction, d.authority, d.programs, d.listing_date, d.authority_id) == (
        "ca",
        "Global Affairs Canada",
        ("Russia",),
        "2023-03-10",
        "russia/1, Part 1/541",
    )
    putin = current["russia/1, Part 1/503"]
    assert [n.full for n in putin.names] == ["Vladimir Vladimirovich PUTIN", "Владимир Владимирович Путин"]
    assert (putin.birth_dates[0].value, putin.designations[0].listing_date) == ("1952", "2022-02-28")
    # "Belarussian:" (sic) and "Russian:" label the original-script names; " or " and
    # "/" separate the Latin variants as the list writes them.
    karol = current["belarus/1, Part 1/110"]
    assert karol.names[0].full == "Aliaksandr Uladzimirovich KAROL"  # trailing space in GivenName
    assert [(n.full, n.lang) for n in karol.names if n.script == "Cyrl"] == [
        ("Аляксандр Уладзiмiравiч Кароль", "bel"),
        ("Александр Владимирович Король", "rus"),
    ]
    assert "Oleksandr Volodymyrovych Korol" in [n.full for n in karol.names]
    assert karol.birth_dates == [FuzzyDate("1992-06-28", original="1992-06-28")]
    # Odd dates of birth, each read: "a OR b", a span of years, a month.
    assert [d.value for d in current["venezuela//117"].birth_dates] == ["1965-07-15", "1969-09-28"]
    assert current["iran/1, Part 2.1/70"].birth_dates == [
        FuzzyDate("1963", until="1964", original="1963-1964")
    ]
    assert current["china/Part 1/5"].birth_dates == [FuzzyDate("1955-11", original="1955-11")]


def test_current_entities_and_vessels(current: dict[str, Record]) -> None:
    # <EntityOrShip>Sberbank</EntityOrShip><Aliases>Сбербанк; Сбер; Sberbank of Russia; Sber</Aliases>
    sber = current["russia/1, Part 2/74"]
    assert sber.schema in ("Organization", "Company")
    assert [(n.full, n.kind, n.script) for n in sber.names] == [
        ("Sberbank", "name", "Latn"),
        ("Сбербанк", "alias", "Cyrl"),
        ("Сбер", "alias", "Cyrl"),
        ("Sberbank of Russia", "alias", "Latn"),
        ("Sber", "alias", "Latn"),
    ]
    assert sber.designations[0].listing_date == "2022-02-24"
    # <EntityOrShip>Bank “Saint-Petersburg” Public JSC (also\nknown as Bank St Petersburg PJSC)\n</...>
    spb = current["russia/1, Part 2/606"]
    assert [(n.full, n.kind) for n in spb.names] == [
        ("Bank “Saint-Petersburg” Public JSC", "name"),
        ("Bank St Petersburg PJSC", "alias"),
        ("Публичное акционерное общество «Банк «Санкт-Петербург»", "alias"),
    ]
    # "ОАО, БЭТО": a legal form is part of a name, not a name of its own.
    assert [n.full for n in current["russia/1, Part 2/364"].names] == ["BETO JSC", "ОАО БЭТО"]
    # <EntityOrShip>Sindhu</EntityOrShip><TitleOrShip>Oil Tanker</TitleOrShip>
    # <ShipIMONumber>9274434</ShipIMONumber><DateOfBirthOrShipBuildDate>2003</...>
    # <Schedule>1.1</Schedule><Item>24</Item><DateOfListing>2025-02-21</DateOfListing>
    sindhu = current["russia/1.1/24"]
    assert (sindhu.schema, [n.full for n in sindhu.names]) == ("Vessel", ["Sindhu"])
    assert sindhu.identifiers == [Identifier("imoNumber", "IMO9274434")]
    assert sindhu.properties == {"type": ["Oil Tanker"], "buildDate": ["2003"]}
    assert sindhu.birth_dates == []
    assert sindhu.designations[0].listing_date == "2025-02-21"
    assert current["russia/1.1/3"].properties["type"] == [
        "General Cargo / Multi Purpose"
    ]  # one type, not two


def test_ids_across_the_three_files(
    old: dict[str, Record], current: dict[str, Record], sample: dict[str, Record]
) -> None:
    # Where Canada kept the labels, the record keeps its id: Bank Rossiya is russia/1, Part 2/1
    # in 2020 and 2025, Maduro venezuela//1 (schedule "N/A" in 2020, absent in 2025).
    for rid, name in (
        ("russia/1, Part 2/1", "Aktsionerny Bank Russian Federation"),
        ("venezuela//1", "Nicolás MADURO MOROS"),
    ):
        assert old[rid].names[0].full == current[rid].names[0].full == name
    assert old["russia/1, Part 2/1"].designations[0].listing_date is None  # 2020 states no date
    assert current["russia/1, Part 2/1"].designations[0].listing_date == "2014-03-21"
    assert len(old.keys() & current.keys()) == 258
    # Where it relabelled them, the same entry (same name and item) has another id.
    assert old["iran/1/1"].names[0].full == current["iran/1, Part 1/1"].names[0].full
    assert old["syria/2/62"].names[0].full == current["syria/Part 2/62"].names[0].full
    assert old["burma/1/1"].names[0].full == current["myanmar-(burma)/Part 1/1"].names[0].full
    # 2025 and 2026 share one scheme: 13 of the sample's 16 ids, same records but for one
    # ship type the 2026 file writes in both languages.
    shared_ids = sample.keys() & current.keys()
    assert len(shared_ids) == 13
    assert [i for i in shared_ids if sample[i] != current[i]] == ["russia/1.1/1"]


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
