"""Legal forms, quotes and generic words in organisation names."""

from __future__ import annotations

import pytest

from reckon.match.prepare import prepare_name
from reckon.names import (
    business_of,
    is_generic,
    is_place,
    latinize,
    legal_form_class,
    legal_forms_conflict,
    legal_kinds_conflict,
    normalize,
    org_name,
    skeleton,
    translate_key,
)
from reckon.names.orgs import read_roman
from reckon.names.tables import tsv_rows


@pytest.mark.parametrize(
    ("text", "tokens", "forms"),
    [
        ("ООО «Ромашка»", ("romashka",), {"llc"}),
        ("Romashka LLC", ("romashka",), {"llc"}),
        ('OBSHCHESTVO S OGRANICHENNOY OTVETSTVENNOSTYU "ROMASHKA"', ("romashka",), {"llc"}),
        ("Публичное акционерное общество «Газпром»", ("gazprom",), {"pjsc"}),
        ("PJSC Gazprom", ("gazprom",), {"pjsc"}),
        ("Gazprom, P.J.S.C.", ("gazprom",), {"pjsc"}),
        ("AKTSIONERNOE OBSHCHESTVO ROSOBORONEXPORT", ("rosoboronexport",), {"jsc"}),
        ("ZAPCHASTTRADE LLP", ("zapchasttrade",), {"llp"}),
        ("ТОВ «Укрнафта»", ("ukrnafta",), {"llc"}),
        ("Siemens AG", ("siemens",), {"ag"}),
        ("Company", ("company",), {"company"}),
        # Forms written letter by letter, after a one-letter word (a fund's number).
        ("FABERLIC EUROPE Sp. z o.o.", ("faberlic", "europe"), {"llc"}),
        (
            "Blackstone Real Estate Partners V L.P.",
            ("blackstone", "real", "estate", "partners", "5"),
            {"llp"},
        ),
        # The number stays a word of the name, though the skeleton of "1 A G" is AG's.
        (
            "Blackstone Real Estate Partners 5 L.P.",
            ("blackstone", "real", "estate", "partners", "5"),
            {"llp"},
        ),
        ("Nord Stream 2 A.G.", ("nord", "stream", "2"), {"ag"}),
        ("AGRO XPO S.A.S.", ("agro", "xpo"), {"sas"}),
        ("AUTONOMOUS NONPROFIT ORGANIZATION DIALOG", ("dialog",), {"ano"}),
    ],
)
def test_legal_forms(text: str, tokens: tuple[str, ...], forms: set[str]) -> None:
    org = org_name(text)
    assert org.tokens == tokens
    assert org.legal_forms == forms


def test_legal_form_class() -> None:
    assert legal_form_class("ПАО") == legal_form_class("PAO") == "pjsc"
    assert legal_form_class("L.L.C.") == legal_form_class("ООО") == "llc"
    assert legal_form_class("ZAO") == "cjsc"
    assert legal_form_class("OAO") == "ojsc"
    assert legal_form_class("Romashka") is None


def test_generic_words() -> None:
    org = org_name("Romashka Trading Group Ltd")
    assert org.generic == {"trading", "group"}
    assert org_name("ООО «Ромашка Трейдинг»").generic == {"treiding"}
    assert is_generic("Holding") and is_generic("банк")
    assert not is_generic("Gazprom")


def test_org_keys_cross_script() -> None:
    assert (
        prepare_name("ООО «Ромашка»", "name", "Company").keys
        == prepare_name("Romashka LLC", "name", "Company").keys
    )


@pytest.mark.parametrize(
    ("text", "tokens", "forms"),
    [
        # Misspelt legal forms (noisy copies of OFAC/UK entries).
        ("LIMITD LIABILITY COMPANY IK-MENEDZHMENT", ("ik", "menedzhment"), {"llc"}),
        ("JOINT STCK COMPANY SANATORIUM MISKHOR", ("sanatorium", "miskhor"), {"jsc"}),
        ("EASTERN TRADE LIMITED LIABILTY COMPANY", ("eastern", "trade"), {"llc"}),
        # Numbers: N9, NO. 9 and 61ST.
        ("JOINT STOCK COMPANY PLANT N9", ("plant", "9"), {"jsc"}),
        ('JOINT-STOCK COMPANY "ZAVOD NO. 9"', ("zavod", "9"), {"jsc"}),
        (
            "61ST ARMORED VEHICLE REPAIR PLANT JOINT STOCK COMPANY",
            ("61", "armored", "vehicle", "repair", "plant"),
            {"jsc"},
        ),
        ("FSUE HYDROGRAPHIC ENTERPRISE", ("hydrographic", "enterprise"), {"fgup"}),
        (
            "Федеральное казенное предприятие Тамбовский пороховой завод",
            ("tambovskii", "porokhovoi", "zavod"),
            {"fgup"},
        ),
    ],
)
def test_legal_forms_noise_and_numbers(text: str, tokens: tuple[str, ...], forms: set[str]) -> None:
    org = org_name(text)
    assert org.tokens == tokens
    assert org.legal_forms == forms


def test_translated_words_share_keys() -> None:
    # OFAC: INTERNET RESEARCH AGENCY = Агентство Интернет Исследований.
    assert sorted(org_name("Агентство Интернет Исследований").keys) == sorted(
        org_name("INTERNET RESEARCH AGENCY").keys
    )
    # UK: "ZAVOD NO. 9" = PLANT N9.
    assert org_name("ZAVOD NO. 9").keys == org_name("PLANT N9").keys
    # Inflected Russian forms share the stem's meaning.
    assert (
        translate_key(skeleton("российской")) == translate_key(skeleton("Российский")) == skeleton("russian")
    )
    # Proper names are not translated.
    assert translate_key(skeleton("Alabuga")) == skeleton("Alabuga")


def test_legal_forms_conflict() -> None:
    assert legal_forms_conflict(frozenset({"jsc"}), frozenset({"llc"}))
    # PAO is a JSC since 2014; lists translate OOO as Ltd; "Company" says nothing.
    assert not legal_forms_conflict(frozenset({"pjsc"}), frozenset({"jsc"}))
    assert not legal_forms_conflict(frozenset({"ltd"}), frozenset({"llc"}))
    assert not legal_forms_conflict(frozenset({"company"}), frozenset({"jsc"}))


def test_places() -> None:
    # From the country table, latinised; not its codes, which are also words.
    assert is_place("mexico") and is_place("russian") and is_place("rossiia")
    assert not is_place("can") and not is_place("santander")


def test_legal_kinds_conflict() -> None:
    # A non-profit is no company; companies of two forms may be one that changed its form.
    assert legal_kinds_conflict(frozenset({"ano"}), frozenset({"llc"}))
    assert not legal_kinds_conflict(frozenset({"jsc"}), frozenset({"llc"}))
    assert not legal_kinds_conflict(frozenset({"ano"}), frozenset({"company"}))


# Written-out forms, number words and connectors, as nomenklatura's dev cases
# (bench/pairs/nk_name_bench.jsonl) and real company names write them.
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Volkswagen Gesellschaft mit beschränkter Haftung", "Volkswagen GmbH"),
        ("Volkswagen Bank G.m.b.H.", "Volkswagen Bank GmbH"),
        ("Societatea cu Răspundere Limitată PRO TRAFFIC", "SRL PRO TRAFFIC"),
        ("H&M Hennes & Mauritz AB", "H and M Hennes and Mauritz AB"),
        ("1st International Bank", "First International Bank"),
        ("Brigade Forty-Four", "Brigade 44"),
        ("Brigade Fourty-four", "Brigade 44"),
        ("Brigade Forty 4", "Brigade 44"),
        ("3 Percenters", "Three Percenters"),
    ],
)
def test_same_organisation_written_two_ways(a: str, b: str) -> None:
    from reckon.match.prepare import prepare_name

    x, y = prepare_name(a, "name", "Company"), prepare_name(b, "name", "Company")
    assert [t.key for t in x.tokens] == [t.key for t in y.tokens]
    assert not legal_forms_conflict(x.legal_forms, y.legal_forms)


def test_number_words_keep_other_numbers_apart() -> None:
    assert org_name("Brigade Forty-Four").tokens != org_name("Brigade Forty-Five").tokens
    assert org_name("No. 9 Plant").tokens == ("9", "plant")


# Roman numerals in the lists' own names: the same fund, trust or vessel as with digits
# (OFAC, the UK, the Ukrainian candidates list, nomenklatura's cases). Lists type the
# Cyrillic І for the Latin I (Sara IІ) and Russian names the century ХХI.
@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Nantahala Capital Offshore Fund I, Ltd.", "Nantahala Capital Offshore Fund 1, Ltd."),
        ("SEA STAR III", "SEA STAR 3"),
        ("BICENTENARIO XIV", "BICENTENARIO 14"),
        ("Sara IІ", "SARA 2"),
        ("Blackstone Capital Partners VII L.P.", "Blackstone Capital Partners 7 L.P."),
        ("RIM GROUP INVESTMENTS II CORP.", "RIM GROUP INVESTMENTS 2 CORP."),
        ("PSB II OOO", "PSB 2 OOO"),
        ("Bowne Global Solutions II France S.A.S.", "Bowne Global Solutions 2 France S.A.S."),
        (
            "AKTSIONERNOE OBSHCHESTVO CONSTRUCTION BUREAU ELECTRICAL PRODUCTS XXI CENTURY",
            "AKTSIONERNOE OBSHCHESTVO CONSTRUCTION BUREAU ELECTRICAL PRODUCTS 21ST CENTURY",
        ),
        ("АО КБ ЭЛЕКТРОИЗДЕЛИЙ ХХІ ВЕКА", "АО КБ ЭЛЕКТРОИЗДЕЛИЙ 21 ВЕКА"),
        ("nantahala capital offshore fund ii ltd", "Nantahala Capital Offshore Fund 2, Ltd."),
    ],
)
def test_roman_numerals_are_numbers(a: str, b: str) -> None:
    x, y = prepare_name(a, "name", "Company"), prepare_name(b, "name", "Company")
    assert [(t.key, t.role) for t in x.tokens] == [(t.key, t.role) for t in y.tokens]
    assert any(t.role == "number" for t in x.tokens)


def test_roman_numerals_keep_funds_apart() -> None:
    assert org_name("Nantahala Capital Offshore Fund II, Ltd.").tokens[-1] == "2"
    assert org_name("Nantahala Capital Offshore Fund I, Ltd.").tokens[-1] == "1"
    assert org_name("KKR North America Fund XIII L.P.").tokens[-1] == "13"


# Real names (OFAC, the US CSL, the UK) where I, V, VI and III are no numbers: initials,
# the Slavic "and", the Russian "in", Urdu's izafat, a person's generation, an acronym.
@pytest.mark.parametrize(
    "text",
    [
        "V. I. Lenin plant",
        "JOINT STOCK COMPANY CHEBOKSARY PRODUCTION ASSOCIATION NAMED AFTER VI CHAPAEV",
        "CHPO IM. V.I.CHAPAEVA JSC",
        "Zakład Produkcji i Handlu",
        "PREDUZECE ZA TRGOVINU NA VELIKO I MALO PARTIZAN TECH DOO BEOGRAD-SAVSKI VENAC",
        "NAUCHNOISSLEDOVATELSKI INSTITUT EKONOMIKI I ORGANIZATSII UPRAVLENIYA V GAZOVOIPROMYSHLENNOSTI",
        "LASHKAR I JHANGVI",
        "HARAKAT UL-JIHAD-I-ISLAMI",
        "I JET GLOBAL DMCC",
        "Xi 'an Precision Machinery Research Institute",
        "PSB I AND I LLC",
        "E. X. Co.",
        "LIKVIDATSIONNAYA KOMISSIYA ZAO 'LESPROMPROTSESSING' (RESHENIE O LIKVIDATSII I O LIKVIDATORE)",
        "Louis J. Kocurek, III",
        "Korea Ryenha Machinery J/V Corporation",
        "ТОВ ПРОМИСЛОВІСТЬ І ТОРГІВЛЯ",
    ],
)
def test_letters_that_are_no_roman_numerals(text: str) -> None:
    assert read_roman(text) == text
    assert not any(t.role == "number" for t in prepare_name(text, "name", "Organization").tokens)


def test_persons_keep_their_generation() -> None:
    # OFAC writes the suffix after the given names; it is no number of a person.
    name = prepare_name("SANTOS, Hilarion Del Rosario III", "name", "Person")
    assert not any(t.role == "number" for t in name.tokens)


def test_business_of_generic_words() -> None:
    # Words of one trade share a business, in any script (by the key a token carries:
    # Трейдинг's is its translation); other generic words name their own; articles and
    # prepositions none; distinctive words are not generic.
    trade = {business_of(translate_key(skeleton(w))) for w in ("trading", "EXPORT", "импорт", "Трейдинг")}
    assert trade == {"trade"}
    assert business_of(skeleton("bank")) == business_of(skeleton("банк")) != business_of(skeleton("shipping"))
    assert business_of(skeleton("the")) == "none"
    assert business_of(skeleton("gazprom")) is None


def test_each_generic_form_adds_a_word() -> None:
    # A form with another form's skeleton, or one that org_words.tsv translates, is never
    # looked up: such twins of one word in two tables drift apart unnoticed.
    seen: set[tuple[str, ...]] = set()
    for row in tsv_rows("org_terms.tsv"):
        if row["kind"] != "generic":
            continue
        for form in row["forms"].split("|"):
            keys = tuple(skeleton(t) for t in latinize(normalize(form)).split())
            assert keys not in seen, form
            assert tuple(map(translate_key, keys)) == keys, form
            seen.add(keys)
    assert is_generic("Сервис") and is_generic("ЗАВОД")  # by their translations
