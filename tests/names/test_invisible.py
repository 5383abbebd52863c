"""Invisible characters, bidi overrides and letters in other forms, as evaders and
copy-paste put them into names: read as the screen shows the name."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reckon.match.prepare import prepare_name
from reckon.names.normalize import (
    _IGNORABLE_RANGES,
    as_displayed,
    hidden_characters,
    normalize,
    undress,
    unhide,
)

# What an evader would slip in: zero-width space, non-joiner, joiner, word joiner, soft
# hyphen, BOM, LRM, RLM, Arabic letter mark, invisible separator, Mongolian vowel
# separator, combining grapheme joiner, variation selector 16, Hangul filler, a tag.
HIDDEN = "\u200b\u200c\u200d\u2060\u00ad\ufeff\u200e\u200f\u061c\u2063\u180e\u034f\ufe0f\u3164\U000e0041"


def tokens(text: str, schema: str = "Person") -> list[tuple[str, str]]:
    return [(t.key, t.role) for t in prepare_name(text, "name", schema).tokens]


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        # The probe: a zero-width space where the space between the names was.
        ("Vladimir\u200bPutin", "Vladimir Putin"),
        ("Владимир\u200bПутин", "Владимир Путин"),
        ("PUTIN\u200bVladimir", "PUTIN Vladimir"),  # SURNAME|Given: case shows the boundary
        ("Vladimir\u200d\u2060Putin", "Vladimir Putin"),  # a run counts once
        # Inside a word the characters are nothing: the word shows whole.
        ("Pu\u00adtin", "Putin"),
        ("PU\u200bTIN", "PUTIN"),
        ("Пу\u200cтин", "Путин"),
        ("Vla\U000e0100dimir", "Vladimir"),  # variation selector 17, a mark
        ("Vla\u17b4dimir", "Vladimir"),  # Khmer inherent vowel, a mark that shows nothing
        # Where the case shows no boundary, the name reads as it shows: glued.
        ("VLADIMIR\u200bPUTIN", "VLADIMIRPUTIN"),
        ("K\u200bGaA", "KGaA"),  # one capital before: no surname, a legal form
        ("Gmb\u200bH", "GmbH"),  # a capital alone ends a word
        ("Roman\u200bABRAMOVICH", "Roman ABRAMOVICH"),
        # At an edge or beside a space, nothing.
        ("\ufeffVladimir \u200bPutin\u200e", "Vladimir Putin"),
        # Separators of lines and records are spaces, as str.split reads them.
        ("Vladimir\u2028Putin", "Vladimir Putin"),
        ("Vladimir\x1ePutin", "Vladimir Putin"),
        # Full-width and mathematical letters.
        ("ＰＵＴＩＮ，Ｖｌａｄｉｍｉｒ", "PUTIN,Vladimir"),
        ("𝐏𝐔𝐓𝐈𝐍 𝐕𝐥𝐚𝐝𝐢𝐦𝐢𝐫", "PUTIN Vladimir"),
        # Nothing to do.
        ("ABRAMOVICH, Roman", "ABRAMOVICH, Roman"),
        ("Абрамович Роман", "Абрамович Роман"),
    ],
)
def test_unhide_reads_a_name_as_it_shows(typed: str, shown: str) -> None:
    assert undress(unhide(typed)) == shown
    assert normalize(typed) == normalize(shown)


def test_the_probe_parses_as_the_name_with_a_space() -> None:
    assert (
        tokens("Vladimir\u200bPutin")
        == tokens("Vladimir Putin")
        == [("vladimir", "given"), ("putin", "surname")]
    )
    assert tokens("Владимир\u200bПутин") == tokens("Владимир Путин")
    # Case and comma are the parser's clues: they must survive the disguise.
    assert tokens("PUTIN\u200bVladimir Vladimirovich") == tokens("PUTIN Vladimir Vladimirovich")
    assert tokens("ＰＵＴＩＮ，Ｖｌａｄｉｍｉｒ") == tokens("PUTIN, Vladimir")


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        # The Persian zero-width non-joiner of OFSI's names stays what it was: nothing
        # (OFSI 11583 and 16606, ConList 2025-04-14).
        ("اسماعیل احمدی\u200cمقدم", "اسماعیل احمدیمقدم"),
        ("حبیب\u200cالله سیاری", "حبیبالله سیاری"),
        # OFSI writes some Persian names with marks of direction (12177, 15985).
        ("سید علیرضا آوایی\u200e", "سید علیرضا آوایی"),
        ("\u202bحیدر\u202c مهدیقلی", "حیدر مهدیقلی"),
        # The US screening list's cp1252 apostrophe read as Latin-1 (U+0092): nothing,
        # as the apostrophe of Xi'an is.
        ("CAST Xi\x92an Spaceflight Engine Factory", "cast xian spaceflight engine factory"),
    ],
)
def test_listed_names_read_as_before(listed: str, expected: str) -> None:
    assert normalize(listed) == expected


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        # Written backwards after a RIGHT-TO-LEFT OVERRIDE, a Latin name shows forwards.
        ("\u202enituP rimidalV\u202c", "\u202eVladimir Putin\u202c"),
        ("Mr \u202enituP\u202c Vladimir", "Mr \u202ePutin\u202c Vladimir"),
        ("\u202eнитуП\u202c", "\u202eПутин\u202c"),
        # A LEFT-TO-RIGHT OVERRIDE shows Arabic letters in the order they are stored.
        ("\u202dنيسح\u202c", "\u202dحسين\u202c"),
        # An override that runs the letters their own way moves nothing.
        ("\u202eحسين\u202c", "\u202eحسين\u202c"),
        ("\u202dVladimir Putin\u202c", "\u202dVladimir Putin\u202c"),
        ("Vladimir Putin", "Vladimir Putin"),
    ],
)
def test_as_displayed(typed: str, shown: str) -> None:
    assert as_displayed(typed) == shown


def test_a_mark_stays_on_its_letter_when_a_run_is_reversed() -> None:
    # Чайковский stored backwards under an override, with й typed as и + combining breve
    # after its letter, as the bidi algorithm keeps a mark after its base.
    assert normalize(as_displayed("\u202eи\u0306иксвоки\u0306аЧ\u202c")) == "чайковский"


def test_hidden_characters_names_what_was_removed() -> None:
    assert hidden_characters("Vladimir\u200bPutin") == ["U+200B"]
    assert hidden_characters("\u202enituP\u200b rimidalV\u202c\u200b") == ["U+202E", "U+200B", "U+202C"]
    assert hidden_characters("Xi\x92an\tSpaceflight\u2028") == ["U+0092"]  # whitespace is not hidden
    assert hidden_characters("Vla\u3164dimir") == ["U+3164"]
    assert hidden_characters("Vladimir Putin") == []


def test_ignorable_letters_and_marks_are_what_they_say() -> None:
    # The Default_Ignorable_Code_Points that are not format characters: letters (Lo) and
    # marks (Mn), all assigned, none of them printing anything in a name.
    listed = [cp for lo, hi in _IGNORABLE_RANGES for cp in range(lo, hi + 1)]
    assert {unicodedata.category(chr(cp)) for cp in listed} == {"Lo", "Mn"}
    for cp in listed:
        assert normalize(f"Vla{chr(cp)}dimir") == "vladimir", hex(cp)


_LETTERS = st.sampled_from("abcdefghijklmnopqrstuvwxyzабвгдежзийклмнопрстуфхцчшщыэюяєіїґ")


@settings(max_examples=300, deadline=None)
@given(
    word=st.text(_LETTERS, min_size=2, max_size=12),
    upper=st.booleans(),
    where=st.integers(min_value=1),
    hidden=st.text(st.sampled_from(HIDDEN), min_size=1, max_size=3),
)
def test_a_word_split_by_invisible_characters_is_one_word(
    word: str, upper: bool, where: int, hidden: str
) -> None:
    word = word.upper() if upper else word.capitalize()
    k = 1 + where % (len(word) - 1)
    disguised = word[:k] + hidden + word[k:]
    assert normalize(disguised) == normalize(word)
    assert tokens(f"Roman {disguised}") == tokens(f"Roman {word}")


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(
        st.one_of(
            _LETTERS, st.sampled_from(HIDDEN + " ,-\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2069ＡＢａｂ")
        )
    ),
    upper=st.booleans(),
)
def test_normalize_stays_idempotent_and_clean(text: str, upper: bool) -> None:
    text = text.upper() if upper else text
    once = normalize(text)
    assert normalize(once) == once
    assert not hidden_characters(once)
    assert normalize(unhide(text)) == once
