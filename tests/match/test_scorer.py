"""The scorer on real names from the lists, and its invariants under hypothesis."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reckon.match.names import OPTIONAL_ROLES
from reckon.match.prepare import prepare
from reckon.match.scorer import score


def person(name: str, **props: list[str]) -> dict[str, object]:
    return {"schema": "Person", "properties": {"name": [name], **props}}


# As OFSI lists him (Group ID 14212).
ABRAMOVICH = person(
    "Roman Arkadyevich ABRAMOVICH",
    alias=["Roman ABRAMOVICH", "Роман Аркадьевич АБРАМОВИЧ"],
    birthDate=["1966-10-24"],
    nationality=["ru", "il", "pt"],
)


def test_cross_script_and_spelling_variants_score_high() -> None:
    for query in ("Абрамович Роман", "Roman Abramovitch", "ABRAMOVICH, Roman Arkadievich"):
        result = score(person(query), ABRAMOVICH)
        assert result.score >= 0.9, (query, result.explanation)
    result = score(person("Абрамович Роман"), person("Roman Arkadyevich ABRAMOVICH"))
    assert "Cyrillic→Latin" in result.explanation
    assert "patronymic omitted" in result.explanation


def test_russian_and_ukrainian_forms_agree() -> None:
    result = score(person("Oleksandr Serhiiovych Ivanov"), person("IVANOV, Aleksandr Sergeevich"))
    assert result.score >= 0.9, result.explanation
    assert "same given name" in result.explanation


def test_conflicting_birth_date_pushes_a_hit_down() -> None:
    agree = score(person("Roman Abramovich", birthDate=["1966"]), ABRAMOVICH)
    conflict = score(person("Roman Abramovich", birthDate=["1975-01-01"]), ABRAMOVICH)
    assert agree.score > 0.95 > 0.6 > conflict.score
    assert "conflicts" in conflict.explanation


def test_father_is_not_son() -> None:
    # Arkady is ABRAMOVICH's patronymic, not his given name.
    result = score(person("Arkady Abramovich"), ABRAMOVICH)
    assert result.score < 0.5, result.explanation


def test_shared_unique_identifier_wins_and_conflict_loses() -> None:
    vessel = {"schema": "Vessel", "properties": {"name": ["SCF PRIMORYE"], "imoNumber": ["IMO9305609"]}}
    renamed = {"schema": "Vessel", "properties": {"name": ["PRIMO"], "imoNumber": ["9305609"]}}
    other = {"schema": "Vessel", "properties": {"name": ["SCF PRIMORYE"], "imoNumber": ["9305611"]}}
    assert score(renamed, vessel).score >= 0.99
    assert score(other, vessel).score < 0.5


def test_people_are_not_vessels() -> None:
    assert (
        score(
            person("Roman Abramovich"), {"schema": "Vessel", "properties": {"name": ["Roman Abramovich"]}}
        ).score
        == 0
    )


names = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "Zs", "P", "Cf", "Mn")), min_size=0, max_size=40
)


@settings(max_examples=300, deadline=None)
@given(names, names)
def test_score_in_unit_interval_and_name_symmetric(a: str, b: str) -> None:
    ab = score(person(a), person(b)).score
    ba = score(person(b), person(a)).score
    assert 0.0 <= ab <= 1.0
    assert abs(ab - ba) < 1e-9


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(categories=("Lu", "Ll")), min_size=2, max_size=12),
    st.text(alphabet=st.characters(categories=("Lu", "Ll")), min_size=2, max_size=12),
)
def test_a_name_matches_itself(first: str, last: str) -> None:
    entity = person(f"{first} {last}")
    prepared = prepare(entity)
    # A name with two parts that are not particles (de, da, bin) matches itself fully; a
    # person known by one word alone is capped, because one word identifies nobody.
    parts = sum(t.role not in OPTIONAL_ROLES for n in prepared.names for t in n.tokens)
    result = score(entity, entity)
    assert (result.score >= 0.95) == (parts >= 2), result.explanation
    if parts == 1:
        assert "one name part only" in result.explanation
