"""Numbers and slashes in organisation names, scored: nomenklatura's cases
(bench/pairs/nk_*.jsonl) and the lists' own names."""

from __future__ import annotations

import pytest

from reckon.match.prepare import prepare, slash_parts
from reckon.match.scorer import score

THRESHOLD = 0.7  # screening's default (reckon.screening.screen)


def org(name: str, schema: str = "Organization") -> dict[str, object]:
    return {"schema": schema, "properties": {"name": [name]}}


def test_fund_without_its_number_is_another_fund() -> None:
    # nk_entity_legalentity-5: labelled a non-match.
    fund = org("Nantahala Capital Offshore Fund, Ltd.", "LegalEntity")
    one = org("Nantahala Capital Offshore Fund I, Ltd.", "LegalEntity")
    assert score(fund, one).score < THRESHOLD
    assert score(org("Nantahala Capital Offshore Fund II, Ltd.", "LegalEntity"), one).score < THRESHOLD
    assert score(org("Nantahala Capital Offshore Fund 1, Ltd.", "LegalEntity"), one).score >= 0.9


def test_vessels_numbered_in_roman_and_digits() -> None:
    # OFAC's SPARTA IV (IMO 9162203) is not the SPARTA (neg_vessel-12).
    assert score(org("SPARTA IV", "Vessel"), org("SPARTA", "Vessel")).score < THRESHOLD
    assert score(org("SEA STAR III", "Vessel"), org("SEA STAR 3", "Vessel")).score >= 0.9


def test_number_in_words_and_digits() -> None:
    # nk_checks-82 / nk_entity_organization-4: labelled a match.
    assert score(org("Brigade Forty 4"), org("Brigade 44")).score >= 0.9


def test_name_joined_by_a_slash() -> None:
    # nk_checks-196 / nk_entity_organization-14, as the UN and Australia list al-Qaida.
    for listed in ("Al-Qa'ida/Islamic Army", "Al Qa’ida/Islamic Army"):
        assert score(org("Al Qaeda"), org(listed)).score >= 0.85
    assert (
        score(
            org("Communist Party of the Philippines"),
            org("NEW PEOPLE'S ARMY / COMMUNIST PARTY OF THE PHILIPPINES"),
        ).score
        >= 0.9
    )
    # A word shared with the other part is no name: the Lord's Resistance Army's ARMY.
    assert score(org("Army"), org("LORD'S RESISTANCE MOVEMENT/ARMY")).score < THRESHOLD


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Al-Qa'ida/Islamic Army", ["Al-Qa'ida", "Islamic Army"]),
        (
            "NEW PEOPLE'S ARMY / COMMUNIST PARTY OF THE PHILIPPINES",
            ["NEW PEOPLE'S ARMY", "COMMUNIST PARTY OF THE PHILIPPINES"],
        ),
        (
            "Central Bank of Syria/Banque centrale de Syrie",
            ["Central Bank of Syria", "Banque centrale de Syrie"],
        ),
        (
            "Physics Research Center (PHRC)/Centre de recherche en physique (PHRC)",
            ["Physics Research Center (PHRC)", "Centre de recherche en physique (PHRC)"],
        ),
        ("LORD'S RESISTANCE MOVEMENT/ARMY (LRM/A)", ["LORD'S RESISTANCE MOVEMENT"]),
        ("7TH OF TIR INDUSTRIES OF ISFAHAN/ESFAHAN", ["7TH OF TIR INDUSTRIES OF ISFAHAN"]),
        ("Behover General Trading/Information Technologies", []),
        ("ADF/NALU", []),
        ("M/V CHON MYONG 1", []),
        ("KOREA RYENHA MACHINERY J/V CORPORATION", []),
        ("GOLDEN SUN I/E DALIAN CO., LTD.", []),
        ("EBLA TRADE SERVICES S.A.L./OFF-SHORE", []),
        ("DEPARTMENT 140/14", []),
        ("MEC Steel Mills (Hmaw Bi/Pyi/Ywama)", []),
    ],
)
def test_slash_parts(text: str, parts: list[str]) -> None:
    assert slash_parts(text, "Organization") == parts


def test_slash_parts_are_extra_names() -> None:
    p = prepare(org("Al-Qa'ida/Islamic Army"))
    assert p.caption == "Al-Qa'ida/Islamic Army"
    assert [n.text for n in p.names] == ["Al-Qa'ida/Islamic Army", "Al-Qa'ida", "Islamic Army"]
    # A person's names are not split here (the Canadian list's parser does it).
    assert slash_parts("Ali Hassan/Hussein Ali", "Person") == []
