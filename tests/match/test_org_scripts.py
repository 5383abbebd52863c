"""An organisation's name in Cyrillic against the same name in Latin letters. Each pair
is two names of one record on the bundled lists (its id in the comment)."""

from __future__ import annotations

import pytest

from reckon.match.scorer import score
from reckon.names import org_name


def org(name: str, schema: str = "Company") -> dict[str, object]:
    return {"schema": schema, "properties": {"name": [name]}}


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        # English words that the Russian name writes in Cyrillic letters.
        ("MINOTOR-SERVICE ENTERPRISE", "Минотор-Сервис"),  # OFSI 14981
        ("LIMITED LIABILITY COMPANY BELINVEST-ENGINEERING", "БЕЛИНВЕСТ-инжиниринг"),  # OFSI 14983
        ("MECHEL-STEEL MANAGEMENT OOO", "ООО Мечел-Сталь Менеджмент"),  # OFSI 15905
        ('"ZAPCHAST TRADE" LLP', "ТОО ЗАПЧАСТЬ ТРЕЙД"),  # OFSI 16636
        ("OOO ZENIT FINANCE", 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "ЗЕНИТ ФИНАНС"'),  # OFSI 16634
        # Russian words the English name translates.
        ("LLC VOLGA-DNEPR AIRLINES", 'ООО "АВИАКОМПАНИЯ ВОЛГА-ДНЕПР"'),  # OFSI 16537
        (
            "PUBLIC JOINT STOCK COMPANY MOSCOW EXCHANGE GROUP",
            "Публичное акционерное общество Группа Московская Биржа",
        ),  # OFSI 16519
        # The legal form's "с" written with a Latin c.
        (
            "Lakhta Plaza Limited Liability Company",
            'Общество c Ограниченной Ответственностью "Лахта Плаза"',
        ),  # Canada, Russia 1 part 2, 401
    ],
)
def test_one_company_in_two_scripts(latin: str, cyrillic: str) -> None:
    result = score(org(latin), org(cyrillic))
    assert result.score >= 0.85, result.explanation
    assert score(org(cyrillic), org(latin)).score == result.score


def test_the_arabic_article_before_a_sun_letter() -> None:
    # UN QDe.168 (also OFSI 14211, DFAT 6768): ат- is the article of at-Tawhid, not the
    # Ukrainian legal form АТ, and Джихад is jihad.
    assert org_name("Катиба ат-Таухид валь-Джихад").legal_forms == frozenset()
    latin, cyrillic = (
        org("KHATIBA AL-TAWHID WAL-JIHAD (KTJ)", "Organization"),
        org("Катиба ат-Таухид валь-Джихад", "Organization"),
    )
    result = score(latin, cyrillic)
    assert result.score >= 0.8, result.explanation
    assert "(j = dzh)" in result.explanation
    # The article takes the sun letter's sound only: the AD of NOVE-AD-HOLDING AD
    # (OFSI) is no article.
    assert "al" not in org_name("NOVE-AD-HOLDING AD").tokens


def test_tanzim_hurras_ad_din() -> None:
    # DFAT 6716 names Hurras al-Din also "Tanzim Hurras ad-Din": the same article, not
    # the Bulgarian legal form AD.
    assert org_name("Tanzim Hurras ad-Din").tokens[-2:] == ("al", "din")
    result = score(org("Tanzim Hurras ad-Din", "Organization"), org("Hurras al-Din", "Organization"))
    assert result.score >= 0.85, result.explanation
