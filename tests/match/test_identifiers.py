"""Identifier normalisation and check digits, on values from the bundled lists."""

from __future__ import annotations

import pytest

from reckon.match.identifiers import check_fails, comparable, normalise_identifier
from reckon.match.scorer import score


@pytest.mark.parametrize(
    ("scheme", "value", "schema"),
    [
        ("innCode", "5402534361", "Company"),  # ua_war_sanctions, Novosibirsk Instrument-Making Plant
        ("innCode", "470305596440", "Person"),  # OFAC 16671, Boris Rotenberg
        ("innCode", "870414300843", "Person"),  # ua_war_sanctions: a Kazakh IIN
        ("ogrnCode", "1115476008889", "Company"),
        ("imoNumber", "9305609", "Vessel"),  # SCF PRIMORYE
        ("imoNumber", "5342883", "Company"),  # a company's IMO number: no check digit
        ("leiCode", "253400V1H6ART1UQ0N98", "Company"),  # OFAC: VTB Bank
        ("swiftBic", "SABRRUMM", "Company"),  # no check digit to fail
    ],
)
def test_real_identifiers_pass_their_check(scheme: str, value: str, schema: str) -> None:
    assert not check_fails(scheme, value, schema)


@pytest.mark.parametrize(
    ("scheme", "value", "schema"),
    [
        ("innCode", "5402534261", "Company"),  # OFAC 46678: a digit slipped
        ("innCode", "1800970008", "Company"),  # OFSI 16544
        ("ogrnCode", "1167746288976", "Company"),  # OFAC 35037
        ("imoNumber", "9434980", "Vessel"),  # DFAT 8631
        ("leiCode", "851683897", "Company"),  # OFAC 23257: not an LEI's form
        ("innCode", "54025343", "Company"),  # too short
    ],
)
def test_slips_fail_their_check(scheme: str, value: str, schema: str) -> None:
    assert check_fails(scheme, value, schema)
    assert comparable(scheme, [value], schema) == set()


def test_a_bic_of_the_head_office_is_the_bic_of_eight() -> None:
    assert normalise_identifier("SOMR RUM1 XXX", "swiftBic") == "SOMRRUM1"
    assert normalise_identifier("SOMRRUM1KST", "swiftBic") == "SOMRRUM1KST"


def _plant(inn: str) -> dict[str, object]:
    name = "JOINT STOCK COMPANY NOVOSIBIRSK INSTRUMENT MAKING PLANT"
    return {"schema": "Company", "properties": {"name": [name], "innCode": [inn]}}


def test_a_slip_in_an_inn_is_no_conflict_but_another_inn_is() -> None:
    slip = score(_plant("5402534261"), _plant("5402534361"))
    assert slip.score > 0.9
    assert "innCode 5402534261 fails its check digit: not compared" in slip.explanation
    # Another valid INN is another company's number (ua_war_sanctions: Novosibirsk
    # Plant of Semiconductor Devices Vostok): a conflict.
    other = score(_plant("5402546039"), _plant("5402534361"))
    assert other.score < 0.1 and "innCode 5402546039 vs 5402534361" in other.explanation
