"""Bodies of one family that the lists name by what each does: the names share their
own words and differ in generic ones. Names from OFAC's SDN list (separate entries)
and from the aliases the lists give one body."""

from __future__ import annotations

import pytest

from reckon.match.scorer import score

THRESHOLD = 0.7  # screening's default (reckon.screening.screen)


def company(name: str) -> dict[str, object]:
    return {"schema": "Company", "properties": {"name": [name]}}


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("SAMAN BANK", "SAMAN SHIPPING COMPANY LIMITED"),  # SDN entries 13135 and 15135
        ("ALFA-BANK JSC", "ALFA TRADING COMPANY"),
        ("ЗАО Альфа-Банк", "ALFA TRADING COMPANY"),
        ("STROYTRANSGAZ GROUP", "STROYTRANSGAZ HOLDING"),
        ("DAY BANK", "DAY INVESTMENT"),
        ("MOBIN INTERNATIONAL LIMITED", "MOBIN HOLDING LIMITED"),
    ],
)
def test_bodies_of_one_family_differ(a: str, b: str) -> None:
    # Scored alone every word weighs alike, and these stayed below the threshold even
    # before the rule; screening weighs generic words less (test_screening.py
    # test_a_body_is_not_its_sister_company). Here: the reason, and symmetry.
    result = score(company(a), company(b))
    assert result.score < THRESHOLD
    assert "kinds of business differ" in result.explanation
    assert score(company(b), company(a)).score == pytest.approx(result.score)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # One body's aliases: a word abbreviated, one trade in other words.
        ("First Bank Int'l", "First International Bank"),
        ("KOREA HYOKSIN TRADING CORPORATION", "KOREA HYOKSIN EXPORT AND IMPORT CORPORATION"),
        # A generic word on one side only stays cheap: VTB is VTB Bank.
        ("VTB", "VTB BANK (PJSC)"),
        ("Уралсиб", "BANK URALSIB"),
        # Words that say nothing of the business do not make two.
        ("The World Bank", "World Bank"),
    ],
)
def test_one_body_in_other_words(a: str, b: str) -> None:
    result = score(company(a), company(b))
    assert result.score >= THRESHOLD, result.explanation
    assert "kinds of business differ" not in result.explanation


def test_unmatched_words_are_shown_as_written() -> None:
    # The reason names the word as the list spells it, not its comparison key.
    result = score(company("Deutsche Bank Trust Company"), company("Deutsche Bank"))
    assert "unmatched trust" in result.explanation
    result = score(company("CRYSTALORD SYSTEMS LIMITED"), company("CRYSTALORD LTD"))
    assert "unmatched systems" in result.explanation
