"""Shared parsing helpers, on values copied from the real lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from reckon.model import FuzzyDate
from reckon.sources.common import (
    SourceError,
    add_clean_prop,
    add_prop,
    add_unique,
    clean,
    country_code,
    country_codes,
    country_or_warn,
    date_from_filename,
    decode_text,
    entity_schema,
    extend_unique,
    make_name,
    parse_date,
    parse_dates,
    parse_xml,
    source_authority,
    unique,
    unique_by_full,
)


@pytest.mark.parametrize(
    ("text", "value", "approximate", "until"),
    [
        ("24/10/1966", "1966-10-24", False, None),  # OFSI
        ("00/00/1994", "1994", False, None),  # OFSI: unknown day and month
        ("05/1973", "1973-05", False, None),  # OFSI
        ("10 Dec 1948", "1948-12-10", False, None),  # OFAC Remarks
        ("circa 1960", "1960", True, None),  # OFAC Remarks
        ("1945 to 1947", "1945", False, "1947"),  # OFAC Remarks
        ("Sep-99", "1999-09", False, None),  # Canada
        ("2025-11-20T23:00:09.067Z", "2025-11-20", False, None),  # UN dateGenerated
        ("23-07-2025", "2025-07-23", False, None),  # FCDO ODS
    ],
)
def test_parse_date_keeps_precision(text: str, value: str, approximate: bool, until: str | None) -> None:
    assert parse_date(text) == FuzzyDate(value, approximate, until, text)


def test_unparseable_dates_are_none_not_guesses() -> None:
    assert parse_date("15/08/19yy") is None  # FCDO: unknown year
    assert parse_date("-0- ") is None
    assert parse_date("10/061962") is None  # DFAT typo


def test_parse_dates_splits_alternatives() -> None:
    assert [d.value for d in parse_dates("1972-08-10 or 1972-08-11")] == ["1972-08-10", "1972-08-11"]
    assert [d.value for d in parse_dates("1945, 1946, 1947")] == ["1945", "1946", "1947"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Russia", "ru"),
        ("RUSSIAN FEDERATION", "ru"),
        ("Russian", "ru"),
        ("Russia / Russie", "ru"),  # Canada, bilingual
        ("Venezuela ", "ve"),  # Canada, trailing space
        ("Iran (Islamic Republic of)", "ir"),
        ("Congo (Democratic Republic)", "cd"),
        ("Korea, North", "kp"),
        ("former Soviet Union", "suhh"),
    ],
)
def test_country_code(text: str, code: str) -> None:
    assert country_code(text) == code


def test_country_codes_multi_and_unknown() -> None:
    assert country_codes("Russia; Cyprus") == ["ru", "cy"]
    assert country_codes("Atlantis") == []


def test_clean_treats_list_nulls_as_missing() -> None:
    assert clean("-0- ") is None
    assert clean("  ABRAMOVICH   Roman ") == "ABRAMOVICH Roman"


def test_make_name_detects_script_and_composes() -> None:
    n = make_name("Роман Аркадьевич АБРАМОВИЧ")
    assert n is not None and n.script == "Cyrl"
    n = make_name(first="Roman", father="Arkadyevich", last="ABRAMOVICH")
    assert n is not None and n.full == "Roman Arkadyevich ABRAMOVICH" and n.script == "Latn"
    assert make_name("  ") is None


def test_entity_schema() -> None:
    assert entity_schema(['PUBLIC JOINT STOCK COMPANY "ROSNEFT OIL COMPANY"']) == "Company"
    assert entity_schema(["HIZBALLAH"]) == "Organization"
    assert entity_schema(["X"], ["innCode"]) == "Company"


def test_date_from_filename() -> None:
    assert date_from_filename("sdn_20220226T014201Z.csv") == "2022-02-26T01:42:01Z"
    assert date_from_filename("ConList_2025-04-14.xlsx") == "2025-04-14"
    assert date_from_filename("consolidated.xml") is None


def test_decode_text_names_line_and_byte(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"x\.csv: line 2, byte 5: not valid utf-8"):
        decode_text(b"ab\ncd\xff\n", tmp_path / "x.csv")


def test_parse_xml_refuses_entities_and_names_position(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="entit"):
        parse_xml(b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', tmp_path / "b.xml")
    with pytest.raises(SourceError, match=r"line 2, column \d+: malformed XML"):
        parse_xml(b"<a>\n<b></a>", tmp_path / "m.xml")


def test_unique_by_full_keeps_the_first_name_of_a_spelling() -> None:
    name = make_name("Ivan PETROV", kind="name")
    alias = make_name("Ivan PETROV", kind="alias")
    other = make_name("Ivan Petrov", kind="alias")
    assert name and alias and other
    assert unique_by_full([name, alias, other, name]) == [name, other]
    assert unique([name, alias, other, name]) == [name, alias, other]  # whole-Name equality


def test_add_unique_and_extend_unique() -> None:
    items: list[str] = ["a"]
    add_unique(items, None)
    add_unique(items, "a")
    add_unique(items, "b")
    assert items == ["a", "b"]
    extend_unique(items, ["b", "c", "c"])
    assert items == ["a", "b", "c"]
    extend_unique(items, ["A", "D"], key=str.lower)
    assert items == ["a", "b", "c", "D"]


def test_add_prop_keeps_the_value_and_add_clean_prop_cleans_it() -> None:
    props: dict[str, list[str]] = {}
    add_prop(props, "notes", "n/a")
    add_prop(props, "notes", "")
    add_prop(props, "notes", "n/a")
    add_clean_prop(props, "gender", " n/a ")
    add_clean_prop(props, "title", "  Dr.   ")
    assert props == {"notes": ["n/a"], "title": ["Dr."]}


def test_country_or_warn_notes_an_unmapped_name_once() -> None:
    warnings: list[str] = []
    assert country_or_warn("Russian Federation", warnings) == "ru"
    assert country_or_warn("Atlantis", warnings) is None
    assert country_or_warn("Atlantis", warnings) is None
    assert country_or_warn(None, warnings) is None
    assert warnings == ["unmapped country: 'Atlantis'"]


def test_source_authority_falls_back_only_when_told() -> None:
    assert source_authority("un_sc_sanctions") == source_authority("nonexistent", "un_sc_sanctions")
    with pytest.raises(KeyError):
        source_authority("nonexistent")
