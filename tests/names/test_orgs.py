"""Legal forms, quotes and generic words in organisation names."""

from __future__ import annotations

import pytest

from reckon.names import is_generic, legal_form_class, name_keys, org_name


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
    assert name_keys("ООО «Ромашка»", "Company") == name_keys("Romashka LLC", "Company")
