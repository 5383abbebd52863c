"""A rank before a name (Colonel-General, генерал армии) neither matches nor costs."""

from __future__ import annotations

import pytest

from reckon.match.scorer import score


def _person(name: str) -> dict[str, object]:
    return {"schema": "Person", "properties": {"name": [name]}}


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        # DFAT 2727's name with a rank against FCDO RUS0095's, of one man
        ("Colonel-General Aleksandr Viktorovich GALKIN", "Galkin Aleksandr Viktorovich"),
        # a Russian text against OFSI 12958
        ("генерал армии Валерий Герасимов", "Valery Vasilevich GERASIMOV"),
        # a report against DFAT 7370: the commander of the unit in Bucha
        ("подполковник Азатбек Омурбеков", "Azatbek Asanbekovich OMURBEKOV"),
        ("Lieutenant Colonel Azatbek Omurbekov", "Azatbek Asanbekovich OMURBEKOV"),
    ],
)
def test_rank_is_left_out(query: str, listed: str) -> None:
    for a, b in ((query, listed), (listed, query)):
        result = score(_person(a), _person(b))
        assert result.score >= 0.9, result.explanation
        assert "unmatched" not in result.explanation
