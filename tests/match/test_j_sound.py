"""дж written j: English, Uzbek and Tajik spellings (JALOLOV Jahongir, Vijay), Italian gi
(Giordano), against Cyrillic and the Russian romanisations (Dzhalolov). Names are from
the bundled lists, each pair two names of one record."""

from __future__ import annotations

import pytest

from reckon.match.index import Index
from reckon.match.scorer import score
from reckon.names import j_as_dzh, skeleton


def person(name: str) -> dict[str, object]:
    return {"schema": "Person", "properties": {"name": [name]}}


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Jahongir Orifovich JALOLOV", "Джалолов Джахонгир Орифович"),  # OFSI 15644
        ("VARUDKAR Vijay Vinayakrao", "ВАРУДКАР Віджай Вінаякрао"),  # ua_war_sanctions
        ("JOS Victor Sergeyevich", "ДЖОС Виктор Сергеевич"),  # ua_war_sanctions
        ("MONTECCHIO Giordano", "МОНТЕККИО Джордано"),  # ua_war_sanctions
    ],
)
def test_j_is_dzh(latin: str, cyrillic: str) -> None:
    result = score(person(latin), person(cyrillic))
    assert result.score >= 0.85, result.explanation
    assert "(j = dzh)" in result.explanation
    assert score(person(cyrillic), person(latin)).score == result.score


def test_j_as_dzh_leaves_dzh_alone() -> None:
    assert j_as_dzh("jalolov") == skeleton("dzhalolov") == j_as_dzh("dzhalolov")
    assert j_as_dzh("giordano") == skeleton("dzhordano")
    assert j_as_dzh("ginzburg") == skeleton("ginzburg")  # gi before a consonant is g


def test_a_cyrillic_query_finds_the_name_written_with_j() -> None:
    # The FCDO lists him in Latin letters only (RUS1667); no key of the query's
    # skeletons (dzhalolov) meets JALOLOV's (ialolov) but the one for j read as дж.
    fcdo = {
        "id": "gb_fcdo_sanctions:RUS1667",
        "schema": "Person",
        "properties": {
            "firstName": ["Jahongir Orifovich"],
            "lastName": ["JALOLOV"],
            "name": ["JALOLOV Jahongir Orifovich"],
        },
    }
    hits = Index([fcdo]).search(person("Джалолов Джахонгир"))
    assert [h.entity.id for h in hits] == ["gb_fcdo_sanctions:RUS1667"]
    assert hits[0].score >= 0.8
