"""Legal forms, quotes and generic words in organisation names."""

from __future__ import annotations

import pytest

from reckon.match.prepare import prepare_name
from reckon.names import (
    is_generic,
    is_place,
    legal_form_class,
    legal_forms_conflict,
    legal_kinds_conflict,
    org_name,
    skeleton,
    translate_key,
)


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
            ("blackstone", "real", "estate", "partners", "v"),
            {"llp"},
        ),
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
