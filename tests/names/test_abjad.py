"""Names in the Arabic script against their Latin spellings (names/abjad.py).

The names are real: UN Consolidated List records that give a person's name in Arabic
script beside its Latin spellings, and pairs of bench/pairs.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from reckon.match.index import Index
from reckon.match.names import name_ceiling, name_score
from reckon.match.prepare import prepare, prepare_name
from reckon.match.scorer import score
from reckon.names.abjad import ABJAD_SCORES, MAX_KEYS, abjad_keys, abjad_similarity, is_abjad
from reckon.sources.un import parse_un
from tests.conftest import LISTS

UN = LISTS / "un" / "UN_consolidated_2026-02-27.xml"
_ARABIC = re.compile("[\u0600-\u06ff]")


def _person(name: str) -> dict[str, object]:
    return {"schema": "Person", "properties": {"name": [name]}}


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("صدام", "saddam"),  # a double consonant written once
        ("حسين", "hussein"),
        ("التكريتي", "tikriti"),  # the article, which the Latin writes apart (AL-TIKRITI)
        ("محمد", "mohammed"),
        ("محمد", "muhammad"),
        ("قاسمي", "gasmi"),  # ق as g (SALAH EDDINE GASMI)
        ("عبدالرحمن", "abderrahmane"),  # the article's l as the letter after it
        ("فرناندو", "fernando"),
        ("بيريز", "perez"),
    ],
)
def test_a_latin_spelling_the_arabic_letters_allow(arabic: str, latin: str) -> None:
    assert abjad_similarity(arabic, latin) > 0


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("محمد", "mahmoud"),  # محمود: the long vowel is a letter, and محمد lacks it
        ("محمود", "mohammed"),
        ("برزان", "barzani"),  # a letter more
        ("القاعدة", "koti"),
    ],
)
def test_other_names_are_not_spellings(arabic: str, latin: str) -> None:
    assert abjad_similarity(arabic, latin) == 0


def test_a_short_name_is_not_the_article() -> None:
    # علي (Ali) allows the letters "al", but a Latin particle is only the Arabic one:
    # ALI BARZAN … is not NOOR BARZAN … AL-TIKRITI (UN IQi.064, IQi.065).
    assert abjad_similarity("علي", "al", particle=True) == 0
    assert abjad_similarity("بن", "bin", particle=True) > 0


def test_weaker_than_the_same_spelling() -> None:
    assert max(score for _, score in ABJAD_SCORES) < 0.95
    assert abjad_similarity("علي", "ali") < abjad_similarity("التكريتي", "tikriti")


def test_arabic_words_block_with_their_latin_spellings() -> None:
    # UK 7627: both forms of one name; they used to share no blocking key at all.
    arabic = prepare_name("رافي عبد اللطيف طلفاح التكريتي", "name", "Person")
    latin = prepare_name("RAFI ABD-AL-LATIF TILFAH AL-TIKRITI", "name", "Person")
    shared = set(arabic.keys) & set(latin.keys)
    assert {k for k in shared if k.startswith("p:")} >= {"p:" + k for k in abjad_keys("التكريتي")}
    assert len(shared) >= 3
    assert "p:" not in arabic.keys  # no empty phonetic key for unromanised words


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("فرناندو بيريز", "Fernando Pérez"),  # nk_cust_cases-5
        ("سجا برزان إبراهيم حسن التكريتي", "SAJA BARZAN IBRAHIM HASAN AL-TIKRITI"),  # UN IQi.063
        ("طاهر جليل حبوش التكريتي", "TAHIR JALIL HABBUSH AL-TIKRITI"),  # UK 7606
        # Compounds one side writes as one word: UN YEi.002, TAi.113, QDi.232.
        ("عبد الله يحيى الحاكم", "ABDULLAH YAHYA AL HAKIM"),
        ("شهاب الدين دلاور", "SHAHABUDDIN DELAWAR"),
        ("عبد المالك دروكدال", "ABDELMALEK DROUKDEL"),
        ("محمد عبدالكريم الغماري", "Muhammad Abd Al-Karim AL-GHAMARI"),  # UK 14143
    ],
)
def test_one_persons_name_in_both_scripts(arabic: str, latin: str) -> None:
    result = score(_person(arabic), _person(latin))
    assert result.score >= 0.7, result.explanation
    assert "(Arabic script)" in result.explanation
    # Joined words and all, the screening shortcut stays an upper bound.
    q, c = prepare(_person(arabic)).names[0], prepare(_person(latin)).names[0]
    for a, b in ((q, c), (c, q)):
        assert name_ceiling(a, b, lambda _: 1.0) >= name_score(a, b, lambda _: 1.0)[0]


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        # A common given name alone is not a person (UK 14143 is Muhammad AL-GHAMARI).
        ("محمد", "Muhammad Abd Al-Karim AL-GHAMARI"),
        ("أحمد", "AHMAD JAN AKHUNDZADA SHUKOOR AKHUNDZADA"),
        # Brothers: Ali is not Noor (neg_near_miss-44).
        ("علي برزان إبراهيم حسن التكريتي", "NOOR BARZAN IBRAHIM HASAN AL-TIKRITI"),
    ],
)
def test_namesakes_stay_apart(arabic: str, latin: str) -> None:
    assert score(_person(arabic), _person(latin)).score < 0.7


@cache
def _un() -> tuple[Index, list[tuple[str, str, str]]]:
    """The UN list with its Latin names only, and its Arabic-script names as queries."""
    entities, queries = [], []
    for r in parse_un(UN).records:
        latin: dict[str, list[str]] = {}
        for n in r.names:
            if _ARABIC.search(n.full):
                queries.append((r.id, r.schema, n.full))
            else:
                latin.setdefault(n.kind, []).append(n.full)
        entities.append({"id": r.id, "schema": r.schema, "properties": latin})
    return Index(entities), queries


@pytest.mark.skipif(not UN.exists(), reason="UN list not available")
@pytest.mark.parametrize(
    ("arabic", "record"),
    [
        ("صدام حسين التكريتي", "IQi.001"),
        ("عبد الله يحيى الحاكم", "YEi.002"),
        ("أيمن محمد ربيع الظواهري", "QDi.006"),  # AIMAN MUHAMMED RABI AL-ZAWAHIRI
        ("محمد صلاح الدين عبدالحليم زيدان", "QDi.001"),  # MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE
    ],
)
def test_screening_an_arabic_name_finds_the_latin_record(arabic: str, record: str) -> None:
    index, _ = _un()
    hits = index.search(_person(arabic), limit=5)
    assert hits and hits[0].entity.id == record


@pytest.mark.skipif(not UN.exists(), reason="UN list not available")
@pytest.mark.parametrize("name", ["محمد", "أحمد", "عبد الله", "علي", "محمد علي"])
def test_a_common_arabic_name_alone_hits_nobody(name: str) -> None:
    index, _ = _un()
    assert index.search(_person(name), limit=5) == []


@pytest.mark.skipif(not UN.exists(), reason="UN list not available")
def test_most_un_names_in_arabic_script_find_their_record() -> None:
    index, queries = _un()
    found = sum(
        any(h.entity.id == rid for h in index.search({"schema": schema, "properties": {"name": [name]}}))
        for rid, schema, name in queries[:120]
    )
    assert found >= 0.6 * 120


@pytest.mark.parametrize(
    ("word", "arabic"), [("محمد", True), ("ﻤﺣﻤﺩ", True), ("Muhammad", False), ("", False)]
)
def test_is_abjad(word: str, arabic: bool) -> None:
    assert is_abjad(word) is arabic


def test_keys_of_every_reading_are_few() -> None:
    # A word that starts with a vowel letter may start with any vowel in Latin (Umar, Omar).
    keys = abjad_keys("عمر")
    assert {"omr", "umr"} <= set(keys)
    for word in ["إسفنجاني", "أوندوا", "عثمان"]:
        assert 0 < len(abjad_keys(word)) <= MAX_KEYS
