"""normalize(): examples from the lists, and properties over any string."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reckon.names.normalize import _INVISIBLE_RANGES, normalize, ocr_letters


def test_examples() -> None:
    assert normalize("ABRAMOVICH, Roman Arkadievich") == "abramovich roman arkadievich"
    assert normalize("«Газпром» ООО") == "газпром ооо"
    assert normalize("Влади́мир ПУ́ТИН") == "владимир путин"  # stress marks (putin_names.txt)
    assert normalize("Семёнов") == normalize("Семенов")
    assert normalize("Андрей Й") == "андрей й"  # й stays distinct from и
    assert normalize("Karadžić Łukasz Straße") == "karadzic lukasz strasse"
    assert normalize("Rimsky-Korsakov") == normalize("RIMSKY KORSAKOV")
    assert normalize("O'Neill") == normalize("ONeill")
    assert normalize("Pod”yarskiy") == "podyarskiy"  # BGN/PCGN hard sign
    assert normalize("“Gazprom”") == "gazprom"
    assert normalize('OOO"Romashka"') == "ooo romashka"
    assert normalize("Vyart·silya") == "vyartsilya"  # BGN/PCGN separator


def test_invisible_characters() -> None:
    assert normalize("Z\u200bhu\u00adkov\ufeff") == "zhukov"
    assert normalize("\u202eAbramovich\u202c \u200dRoman") == "abramovich roman"
    assert normalize("ＡＢＲＡＭＯＶＩＣＨ") == "abramovich"  # full width


def test_homoglyphs_fold_to_majority_script() -> None:
    # Latin A, P, O, B, M inside a Cyrillic word.
    assert normalize("AБPAMOBИЧ") == "абрамович"
    # Cyrillic а, о inside a Latin word.
    assert normalize("Abrаmоvich") == "abramovich"
    # Single-script tokens are untouched even next to another script.
    assert normalize("Roman Абрамович") == "roman абрамович"


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        # Look-alike letters only: the word takes the script of the name around it.
        ("OCEAN SPEEDSTAR SOLUTIONS OРС PVT LTD", "ocean speedstar solutions opc pvt ltd"),  # ua
        ("Sara IІ", "sara ii"),  # ua vessel, Cyrillic І in the number
        ("ОOO РУСХИМАЛЬЯНС", "ооо русхимальянс"),  # OFSI 16515
        # A word of one look-alike letter: Latin c for the Russian preposition с.
        (
            'Общество c Ограниченной Ответственностью "Лахта Плаза"',  # Canada, Russia 1/2/401
            "общество с ограниченной ответственностью лахта плаза",
        ),
        ("STEPANOV A. А.", "stepanov a a"),  # ua_war_sanctions, Cyrillic second initial
    ],
)
def test_lookalike_words_take_the_script_of_their_name(listed: str, expected: str) -> None:
    assert normalize(listed) == expected


def test_invisible_table_matches_unicodedata() -> None:
    expected = [cp for cp in range(0x110000) if unicodedata.category(chr(cp)) in ("Cc", "Cf", "Zl", "Zp")]
    listed = [cp for lo, hi in _INVISIBLE_RANGES for cp in range(lo, hi + 1)]
    assert listed == expected


@given(st.text())
def test_never_raises_and_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert once == once.strip()
    assert "  " not in once
    assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in once)


@given(st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Mn", "Pd", "Po", "Zs", "Cf"))))
def test_idempotent_on_letters_and_marks(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


def test_ocr_letters() -> None:
    assert ocr_letters("ADAN, Abukar A1i") == "ADAN, Abukar Ali"
    assert ocr_letters("B0RIS") == "BORIS"
    # Numbers on their own or at a word's edge stay numbers.
    assert ocr_letters("NORD STREAM 2") == "NORD STREAM 2"
    assert ocr_letters("61ST ARMORED VEHICLE REPAIR PLANT") == "61ST ARMORED VEHICLE REPAIR PLANT"
    assert ocr_letters("PLANT N9") == "PLANT N9"
