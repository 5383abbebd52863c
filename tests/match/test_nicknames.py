"""Nicknames and diminutives in matching: classes that are sets, compared by meeting."""

from __future__ import annotations

import pytest

from reckon.match.index import entity_keys
from reckon.match.prepare import prepare
from reckon.match.scorer import score

THRESHOLD = 0.7  # score-pairs' default


def _person(name: str) -> dict[str, object]:
    return {"schema": "Person", "properties": {"name": [name]}}


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Ted Doe", "Theodore Doe"),  # bench/pairs nk_unit_tests-9
        ("Zhenya Prigozhin", "PRIGOZHIN, Yevgeniy Viktorovich"),  # OFAC SDN
        ("Sasha Krylova", "KRYLOVA, Aleksandra Yuryevna"),  # OFAC SDN
        ("Bill Abu Shanab", "ABU SHANAB, William"),  # OFAC SDN
    ],
)
def test_nickname_matches_full_name(query: str, listed: str) -> None:
    assert score(_person(query), _person(listed)).score >= THRESHOLD
    # and blocking finds it: a given-name class key in common
    shared = entity_keys(prepare(_person(query))) & entity_keys(prepare(_person(listed)))
    assert any(k.startswith("g:") for k in shared)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Zhenya Prigozhin", "PRIGOZHIN, Pavel Evgenyevich"),  # OFAC SDN: another Prigozhin
        ("Sasha Prigozhina", "PRIGOZHINA, Polina Evgenyevna"),  # OFAC SDN
    ],
)
def test_nickname_is_not_any_name(query: str, listed: str) -> None:
    assert score(_person(query), _person(listed)).score < THRESHOLD
