"""Fast tests of the pieces under the annotator: the scanned form of a text and its way
back to the text, and the word forms the gazetteer is made of (issue 20)."""

from __future__ import annotations

import pytest

from reckon.annotate.morph import cyrillic_spellings, lemma, noun_forms, surname_forms
from reckon.annotate.text import normalise
from reckon.names import skeleton


def test_the_normalised_text_maps_every_character_back_to_the_original() -> None:
    # gazeta.ru, 2025-10-29 (https://www.gazeta.ru/politics/news/2025/10/29/27056126.shtml)
    text = "Постпред США в НАТО Уитакер понадеялся,  что санкции\nсклонят Путина к «переговорам» — Ёлки"
    norm = normalise(text)
    assert "  " not in norm.text and "\n" not in norm.text
    assert '"переговорам" - елки' in norm.text
    at = norm.text.index("путина")
    start, end = norm.span(at, at + len("путина"))
    assert text[start:end] == "Путина"
    at = norm.text.index("елки")
    start, end = norm.span(at, at + 4)
    assert text[start:end] == "Ёлки"


def test_a_letter_that_lowers_to_two_characters_keeps_positions_one_to_one() -> None:
    text = "İstanbul and Putin"
    norm = normalise(text)
    assert len(norm.text) == len(text)
    at = norm.text.index("putin")
    assert text[slice(*norm.span(at, at + 5))] == "Putin"


@pytest.mark.parametrize(
    ("surname", "forms"),
    [
        ("путин", {"путина", "путину", "путиным", "путине", "путін", "путіна", "путіним"}),
        ("лукашенко", {"лукашенко", "лукашенка", "лукашенку", "лукашенком"}),  # Ukrainian declines -енко
        ("шойгу", {"шойгу"}),  # not declined
        ("абрамович", {"абрамовича", "абрамовичем", "абрамовичу"}),
        ("ротенберг", {"ротенберга", "ротенберги", "ротенбергов"}),  # the plural: "братья Ротенберги"
        ("набиуллина", {"набиуллиной", "набиуллину"}),
        ("зеленский", {"зеленского", "зеленским", "зеленская"}),
    ],
)
def test_surname_forms_cover_the_cases_texts_use(surname: str, forms: set[str]) -> None:
    assert forms <= surname_forms(surname)


def test_a_word_in_a_text_is_read_back_to_its_nominative_with_its_kind() -> None:
    assert lemma("Владимиром") == ("владимир", "Name")
    assert lemma("Аркадьевича")[1] == "Patr"
    assert lemma("санкции")[1] is None


def test_organisation_names_of_one_word_are_declined() -> None:
    assert {"роснефти", "роснефтью"} <= noun_forms("роснефть")
    assert {"газпрома", "газпромом"} <= noun_forms("газпром")


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [("Volodin", "володин"), ("Matviyenko", "матвиенко"), ("Shoigu", "шойгу"), ("Novitskiy", "новицкий")],
)
def test_latin_names_are_spelt_back_in_cyrillic_as_the_skeleton_agrees(latin: str, cyrillic: str) -> None:
    spellings = [c for c in cyrillic_spellings(latin) if skeleton(c) == skeleton(latin.lower())]
    assert spellings[0] == cyrillic
