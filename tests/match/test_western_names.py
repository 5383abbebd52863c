"""Western given names written in Cyrillic (data/names/western_given.tsv): Грэм is Graham."""

from __future__ import annotations

from collections import Counter

import pytest

from reckon.match.scorer import score
from reckon.names.given_names import given_name_class, given_name_classes, western_spelling
from reckon.names.parts import parse_person_name
from reckon.names.tables import tsv_rows

THRESHOLD = 0.7  # score-pairs' default


def _person(name: str) -> dict[str, object]:
    return {"schema": "Person", "properties": {"name": [name]}}


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        # Ukraine's record Q16999575 against OFSI 15470: the UK-sanctioned propagandist
        ("ФИЛЛИПС Грэм Уильям", "Graham William PHILLIPS"),
        ("ФІЛЛІПС Грем Вільям", "Graham William PHILLIPS"),
        ("Грэм Филлипс", "Graham William PHILLIPS"),  # as a Russian text names him
        # Ukraine's record Q78149768, its own Latin name
        ("МАЛИНОВСКИ Пьер", "MALINOWSKI Pierre"),
        ("МАЛІНОВСКІ П'єр", "MALINOWSKI Pierre"),
    ],
)
def test_western_name_in_cyrillic_matches_its_latin_spelling(cyrillic: str, latin: str) -> None:
    for a, b in ((cyrillic, latin), (latin, cyrillic)):
        result = score(_person(a), _person(b))
        assert result.score >= THRESHOLD, result.explanation
        assert not any(w in result.explanation for w in ("differ", "unmatched graham", "unmatched pierre"))


def test_the_form_is_keyed_by_its_latin_spelling() -> None:
    cyrillic = parse_person_name("МАЛІНОВСКІ П'єр").parts
    latin = parse_person_name("MALINOWSKI Pierre").parts
    assert [(p.role, p.key) for p in cyrillic] == [(p.role, p.key) for p in latin]


def test_western_name_in_cyrillic_is_read_as_the_given_name() -> None:
    # Russian order puts the surname first; a known given name says otherwise.
    roles = {p.text: p.role for p in parse_person_name("Грэм Филлипс").parts}
    assert roles == {"грэм": "given", "филлипс": "surname"}


def test_every_form_is_its_latin_name() -> None:
    rows = list(tsv_rows("western_given.tsv"))
    assert len(rows) > 50
    forms = Counter(form for row in rows for form in row["cyrillic"].split("|"))
    assert [form for form, n in forms.items() if n > 1] == []  # one Latin spelling each
    for row in rows:
        for form in row["cyrillic"].split("|"):
            assert western_spelling(form) == row["name"]
            assert given_name_classes(form) == given_name_classes(row["name"]), form


def test_the_class_is_the_tables_where_it_knows_the_spelling() -> None:
    assert given_name_classes("Пьер") == given_name_classes("Pierre") == ("petr",)
    assert given_name_classes("Майкл") == ("mikhail",)


def test_latin_words_with_a_forms_skeleton_are_untouched() -> None:
    # Хью (Hugh), Луи (Louis) and Энн (Anne) romanise to the keys of Hu and Lui, Chinese
    # surnames on the lists, and of Jon, a Korean one (JON Myong Guk, OFAC 18559).
    for word in ("Hu", "Lui", "Jon"):
        assert given_name_class(word) is None and western_spelling(word) is None
    assert given_name_classes("Hu") is None and given_name_classes("Lui") is None
    assert "anna" not in (given_name_classes("Jon") or ())
