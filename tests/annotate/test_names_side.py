"""Fast tests of the name forms the gazetteer is made of and of how a hit is found
(issue 20, the names side): declined organisation names of several words, double
surnames, Ukrainian spellings, acronyms matched in capitals only, and Latin spellings of
Slavic surnames found by their skeleton. Names are the bundled lists' (source and record
given with each); sentences are the evaluation texts' (tests/annotate/data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reckon.annotate.gazetteer import (
    ORG,
    PERSON,
    Gazetteer,
    _Builder,
    _short_state,
    _spelt,
    hits,
    make_automaton,
)
from reckon.annotate.morph import lemma, phrase_forms, surname_forms, ukrainian_spellings
from reckon.annotate.text import normalise
from reckon.match.prepare import prepare
from reckon.names import skeleton

DATA = Path(__file__).parent / "data"


def _gazetteer(*entities: dict[str, Any]) -> Gazetteer:
    """A gazetteer of a few records, built as build_gazetteer builds the store's."""
    b = _Builder()
    for e in entities:
        p = prepare(e)
        names = [(n.text, n.kind, [(t.key, t.role, t.text) for t in n.tokens]) for n in p.names]
        r = len(b.records)
        b.records.append(e["id"])
        if e["schema"] == "Person":
            b.person(names, r)
        else:
            b.org(names, r, ORG)
    keys, entries, cased, variants = b.build()
    return Gazetteer(make_automaton(keys, cased), entries, b.records, variants=variants)


def _found(g: Gazetteer, text: str) -> list[tuple[str, list[str]]]:
    """Each hit in `text`: its words as the text writes them, and its records."""
    norm = normalise(text)
    out = []
    for start, end, index in hits(g, norm, text):
        a, b = norm.span(start, end)
        out.append((text[a:b], [g.records[r] for e in g.entry(index) for r in e.records]))
    return out


# ---------------------------------------------------------------------------------- word forms


@pytest.mark.parametrize(
    ("phrase", "forms"),
    [
        # ca_dfatd_sema_sanctions russia/1, Part 2/337 (alias): the adjective agrees, and
        # the stump compound Госдума is derived with its forms.
        ("государственная дума", {"государственной думы", "государственную думу", "госдумы", "госдуме"}),
        # ca_dfatd_sema_sanctions russia/1, Part 2/121 (alias): the genitive tail unchanged.
        ("министерство обороны российской федерации", {"министерства обороны российской федерации"}),
        # ca_dfatd_sema_sanctions russia/1, Part 3/15 (alias): two adjectives agree; a
        # district court also as ru_m24_20220315 names it («судья Басманного суда Москвы»).
        (
            "басманный районный суд города москвы",
            {"басманного районного суда города москвы", "басманного суда москвы", "басманный суд москвы"},
        ),
        # An inanimate plural's accusative is its nominative, the adjective's too.
        ("воздушно-космические силы российской федерации", {"воздушно-космических сил российской федерации"}),
    ],
)
def test_organisation_names_of_several_words_are_declined(phrase: str, forms: set[str]) -> None:
    assert forms <= phrase_forms(phrase)


def test_a_declined_name_keeps_its_tail_and_makes_no_false_agreement() -> None:
    forms = phrase_forms("воздушно-космические силы российской федерации")
    assert all(f.endswith(" российской федерации") for f in forms)
    assert "воздушно-космических силы российской федерации" not in forms
    assert not any(f.startswith("гос") for f in phrase_forms("министерство обороны российской федерации"))


def test_a_name_the_dictionary_cannot_read_as_adjectives_and_a_noun_is_left_as_it_is() -> None:
    # A Latin name the lists spell in Cyrillic letters (ЙОИНТ СТОЦК ЦОМПАНЫ КИРОВ ЕНЕРГОМАШ
    # ПЛАНТ), and a name too long for texts to write whole.
    assert phrase_forms("йоинт стоцк цомпаны киров енергомаш плант") == frozenset()
    assert phrase_forms("йоинт стоцк цомпаны") == frozenset()
    long = (
        "федеральное государственное бюджетное образовательное учреждение международный детский центр артек"
    )
    assert phrase_forms(long) == frozenset()


@pytest.mark.parametrize(
    ("russian", "ukrainian"),
    [
        ("харатьян", "харатян"),  # ca_dfatd_sema_sanctions russia/1, Part 1/1284 (Харатьян)
        ("бордачев", "бордачов"),  # ca_dfatd_sema_sanctions russia/1, Part 1/1104 (Бордачев)
        ("лукьянов", "лук'янов"),
    ],
)
def test_ukrainian_spellings_of_russian_surnames(russian: str, ukrainian: str) -> None:
    assert ukrainian in ukrainian_spellings(russian)
    assert ukrainian in surname_forms(russian)


def test_a_double_surname_is_declined_in_both_halves() -> None:
    # gb_hmt_sanctions 15411 (Львова-Белова), ua_war_sanctions Q99521842 (ЛЬВОВА-БЄЛОВА);
    # uk_uzhgorodka_20230317 writes «марії львови-бєлової» and «львову-бєлову».
    assert {"львовой-беловой", "львову-белову", "львова", "белова"} <= surname_forms("львова-белова")
    assert {"львови-бєлової", "львову-бєлову", "львової-бєлової"} <= surname_forms("львова-бєлова")


def test_a_latin_name_of_one_word_is_spelt_with_its_soft_end() -> None:
    # au_dfat_sanctions 7544 (ROSNEFT): роснефть, whose genitive is роснефти.
    assert _spelt("rosneft", skeleton("rosneft"), True) == ["роснефт", "роснефть"]
    assert _spelt("gazprom", skeleton("gazprom"), True) == ["газпром"]


def test_a_body_of_a_state_is_named_with_the_state_s_short_name_too() -> None:
    # us_trade_csl: Government of the Russian Federation (en_us_state_20220602 writes
    # "Government of Russia"); ca_dfatd_sema_sanctions russia/1, Part 2/121 (alias).
    assert _short_state("government of the russian federation") == "government of russia"
    assert _short_state("министерство обороны российской федерации") == "министерство обороны россии"
    assert _short_state("russian federation") is None  # the country itself, no body of it
    assert _short_state("государственная дума") is None


# ---------------------------------------------------------------------------------- hits

_VTB = {
    "id": "gb_hmt_sanctions:14195",
    "schema": "Company",
    "properties": {
        "name": ["VTB BANK (PUBLIC JOINT-STOCK COMPANY)", "Банк ВТБ (публичное акционерное общество)"]
    },
}
_RT = {
    "id": "ca_dfatd_sema_sanctions:russia/1, Part 2/189",
    "schema": "Organization",
    "properties": {"name": ["RT"]},
}
_SCF = {
    "id": "us_ofac_sdn:34741",
    "schema": "Company",
    "properties": {"name": ["JOINT STOCK COMPANY SOVCOMFLOT"], "weakAlias": ["SCF"]},
}
_USM = {
    "id": "gb_hmt_sanctions:15877",
    "schema": "Company",
    "properties": {"name": ["USM HOLDINGS LIMITED"]},
}


def test_an_acronym_beside_generic_words_is_found_where_the_text_writes_it_in_capitals() -> None:
    g = _gazetteer(_VTB, _RT, _USM)
    # en_businessday_20220310, ru_snob_20220310, uk_svidomi_usm
    assert ("VTB", [_VTB["id"]]) in _found(g, "Andrey Kostin, Chairman of VTB bank; Alexei Miller")
    assert ("ВТБ", [_VTB["id"]]) in _found(g, "главу «Роснефти» Игоря Сечина, главу ВТБ Андрея Костина")
    assert ("USM", [_USM["id"]]) in _found(g, "санкції проти холдингу USM Holding, пов’язаного з")
    # uk_pc_org_20230107: «головний редактор RT Маргарита Симоньян»; lower-cased, as
    # uk_uzhgorodka_20230317 lower-cases names, it is no acronym.
    sentence = "головний редактор RT Маргарита Симоньян"
    assert _found(g, sentence) == [("RT", [_RT["id"]])]
    assert _found(g, sentence.lower()) == []


def test_a_weak_alias_acronym_is_found_only_in_brackets_after_a_name() -> None:
    g = _gazetteer(_SCF)
    text = (DATA / "en_imarinenews_2024.txt").read_text(encoding="utf-8")
    norm = normalise(text)
    found = [norm.span(start, end) for start, end, _ in hits(g, norm, text)]
    # «Sovcomflot (SCF)», not «Oil Tankers SCF MGMT FZCO» nor «SCF Management Services».
    assert [text[a - 12 : b + 1] for a, b in found if text[a:b] == "SCF"] == ["Sovcomflot (SCF)"]


def test_an_acronym_of_two_letters_is_found_only_where_it_is_the_body_s_name() -> None:
    b = _Builder()
    b.acronym("RT", "rt", 0, "name")  # ca_dfatd_sema_sanctions russia/1, Part 2/189
    b.acronym("EC", "ec", 1, "alias")  # us_trade_csl 451ce243…: an alias, and the EC of EU texts
    assert set(b.acronyms) == {"rt"}


def test_a_word_in_capitals_among_words_in_capitals_is_no_acronym() -> None:
    g = _gazetteer(_RT)
    # uk_pc_org_20230107's words, as a headline in capitals writes them.
    assert _found(g, "ГОЛОВНИЙ РЕДАКТОР RT МАРГАРИТА СИМОНЬЯН") == []


def test_an_ordinary_word_in_capitals_is_found_as_an_acronym_only_in_capitals() -> None:
    # us_ofac_sdn: LIMITED LIABILITY COMPANY NEW TECHNOLOGIES; en_us_state_20220602.
    new = {
        "id": "us_ofac_sdn:46054",
        "schema": "Company",
        "properties": {"name": ["LIMITED LIABILITY COMPANY NEW TECHNOLOGIES"]},
    }
    g = _gazetteer(new)
    assert _found(g, "The EU, UK, Japan, Australia, and New Zealand have previously designated") == []


def test_a_latin_slavic_surname_is_found_in_another_romanisation_by_its_skeleton() -> None:
    stremousov = {
        "id": "us_ofac_sdn:38281",
        "schema": "Person",
        "properties": {"name": ["STREMOUSOV, Kyrylo Serhiyovych"]},
    }
    novitsky = {
        "id": "us_ofac_sdn:37508",
        "schema": "Person",
        "properties": {"name": ["NOVITSKY, Evgeny Grigorievich"]},
    }
    g = _gazetteer(stremousov, novitsky)
    # en_brusselstimes_2022 and en_us_state_20220602 spell them otherwise than the lists.
    text = "Vladimir Saldo, his deputy Kirill Stremusov, and the"
    assert ("Stremusov", ["us_ofac_sdn:38281"]) in _found(g, text)
    assert ("Novitskiy", ["us_ofac_sdn:37508"]) in _found(g, "Evgeny Novitskiy, a Russian elite")
    entries = [e for _, _, i in hits(g, normalise(text), text) for e in g.entry(i)]
    assert {(e.kind, e.lemma) for e in entries} == {(PERSON, "stremousov")}
    # Only capitalised words, and not a word in lower case.
    assert _found(g, text.lower()) == []


def test_a_ukrainian_given_name_is_read_by_the_ukrainian_dictionary_first() -> None:
    # uk_svidomi_usm: «одним із найбагатших людей Росії Алішером Усмановим» (Alisher
    # USMANOV, ua_war_sanctions Q503147: УСМАНОВ Алішер Бурханович).
    assert lemma("Алішером") == ("алішер", "Name")
    assert lemma("Владимиром") == ("владимир", "Name")
