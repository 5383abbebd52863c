"""One comparison form for any name string: `normalize(text) -> str`.

The output is for comparing and indexing, never for display. What it does, in order:

1. NFKC, so full-width letters, ligatures and compatibility forms become plain letters
   and a letter typed as base + combining mark becomes one code point (и + ◌̆ → й).
2. Invisible characters (format, control, bidi marks, BOM, soft hyphen, ZWSP/ZWJ)
   are deleted: copy-pasted list entries carry them and they split tokens silently.
3. Homoglyphs: inside a token that mixes Latin, Cyrillic or Greek letters, the
   minority letters are replaced by their look-alikes in the token's majority script
   ("AБPAMOBИЧ" with Latin A, P, O, B becomes all Cyrillic). A token that mixes scripts
   in look-alike letters only, and a word of one letter, take the script of the rest of
   the name ("OРС" in a Latin name is OPC, "c" in a Cyrillic name is с). Other
   single-script tokens are left alone, so a Latin "Roman" next to a Cyrillic
   "Абрамович" is not touched.
4. casefold.
5. Latin letters lose their diacritics (š→s, é→e, ł→l, ß→ss): this is what the
   official lists do to native Latin-script names (OFAC writes KARADZIC for Karadžić).
   Cyrillic keeps й, ї, є, ґ, ў and the Kazakh letters, because transliteration needs
   them; ё becomes е, because Russian spelling writes ё as е most of the time and the
   lists follow it (Семёнов / Семенов are one name).
6. Apostrophes inside a token are deleted (O'Neill → oneill, Il'in → ilin, Мар'яна →
   маряна); hyphens, quotes («» „“ ""), brackets and other punctuation become spaces
   (Rimsky-Korsakov → rimsky korsakov), so both spellings of a compound give one token
   sequence.
7. Whitespace runs collapse to one space, no leading or trailing space.

`normalize` never raises on a str and is idempotent.
"""

from __future__ import annotations

import re
import unicodedata

# Code point ranges of categories Cc, Cf, Zl, Zp (generated from unicodedata and checked
# against it by tests/names/test_normalize.py): deleted, except ASCII whitespace controls.
_INVISIBLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x001F),
    (0x007F, 0x009F),
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)
# Combining marks that carry accents, stress or vowel points (not Indic vowel signs,
# which are letters in all but name). Also variation selectors and the Hangul fillers,
# which render as nothing.
_MARK_RANGES: tuple[tuple[int, int], ...] = (
    (0x0300, 0x036F),
    (0x0483, 0x0489),
    (0x064B, 0x065F),
    (0x0670, 0x0670),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE00, 0xFE0F),
    (0xFE20, 0xFE2F),
    (0x115F, 0x1160),
    (0x3164, 0x3164),
    (0xFFA0, 0xFFA0),
)
# Single-quote-like characters: apostrophes and the soft/hard-sign marks of the
# romanisation schemes (ʹ ʺ in ISO 9 / ALA-LC, ’ ” in BGN/PCGN), and the middle dot
# BGN/PCGN puts between letters that would otherwise read as a digraph (T·s). Deleted.
_APOSTROPHES = "'`´ʹʺʻʼʽˈ‘’‚‛′″·"
# Double-quote-like and other separators that become spaces.
_SPACES = '\t\n\v\f\r -‐‑‒–—―"«»‹›“„‟❝❞〝〞＂.,;:!?()[]{}<>/\\|@#$%^&*+=~_•…§©®™°'
# U+201D (”) is both a closing quote and BGN/PCGN's hard sign: between two letters it is
# a sign (Pod”yarskiy) and is deleted; elsewhere it is a quote and becomes a space.
_RDQUO_INSIDE = re.compile(r"(?<=\w)\u201d(?=\w)")
# ALA-LC writes ъ as a straight double quote (s"esh). Only between two lowercase letters
# is it taken as that: ООО"Ромашка" keeps its quote, which becomes a space.
_DQUO_INSIDE = re.compile(r'(?<=[a-z])"(?=[a-z])')

# Latin letters whose NFD base is not what the lists write, or that do not decompose.
_LATIN_EXTRA = {
    "ł": "l",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "æ": "ae",
    "œ": "oe",
    "ı": "i",
    "ħ": "h",
    "ŧ": "t",
    "ŀ": "l",
    "ĸ": "k",
    "ŋ": "n",
    "ƒ": "f",
    "ǝ": "e",
    "ə": "e",
    "ŝ": "shch",  # ISO 9 / GOST 7.79 щ; no language writes names with it
    "ɨ": "i",
    "ʉ": "u",
}

# Homoglyph pairs (uppercase and lowercase) between Latin and Cyrillic, and Greek
# letters that look like Latin ones.
_LAT_CYR_PAIRS = "AА BВ CС EЕ HН KК MМ OО PР TТ XХ YУ IІ JЈ SЅ aа cс eе oо pр xх yу iі jј sѕ kк"
_GREEK_LATIN_PAIRS = "ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX οo ιi κk νv αa"


def _build_tables() -> tuple[dict[int, str | None], dict[int, str | None]]:
    """Two str.translate tables, built once at import (a few hundred entries)."""
    pre: dict[int, str | None] = {}
    for lo, hi in _INVISIBLE_RANGES + _MARK_RANGES:
        for cp in range(lo, hi + 1):
            pre[cp] = None
    for ch in "\t\n\v\f\r":
        pre[ord(ch)] = " "
    post: dict[int, str | None] = {}
    for ch in _APOSTROPHES:
        post[ord(ch)] = None
    for ch in _SPACES:
        post[ord(ch)] = " "
    post[ord("ё")] = "е"
    post[ord("ѐ")] = "е"
    post[ord("ѝ")] = "и"
    # Strip diacritics from precomposed Latin letters (Latin-1 Supplement, Extended-A/B,
    # Extended Additional). Lowercase only: translation runs after casefold.
    for cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        if ch != ch.casefold() or ch in _LATIN_EXTRA:
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if base != ch and base.isascii() and base.isalpha():
            post[cp] = base
    for ch, repl in _LATIN_EXTRA.items():
        post[ord(ch)] = repl
    return pre, post


_PRE, _POST = _build_tables()

_TO_CYR: dict[int, str] = {}
_TO_LAT: dict[int, str] = {}
_TO_GRK: dict[int, str] = {}
for _pair in _LAT_CYR_PAIRS.split():
    _TO_CYR[ord(_pair[0])] = _pair[1]
    _TO_LAT[ord(_pair[1])] = _pair[0]
for _pair in _GREEK_LATIN_PAIRS.split():
    _TO_LAT[ord(_pair[0])] = _pair[1]
    _TO_GRK[ord(_pair[1])] = _pair[0]
    _cyr = _TO_CYR.get(ord(_pair[1]))
    if _cyr is not None:
        _TO_CYR[ord(_pair[0])] = _cyr
_FOLD_TO = {"Latn": _TO_LAT, "Cyrl": _TO_CYR, "Grek": _TO_GRK}

# Anything that is not a word character, an apostrophe or a space after the tables ran:
# symbols and punctuation the tables do not list, including whole blocks (arrows, emoji).
_OTHER = re.compile(r"[^\w ]|_")
# Quick tests for "this text may hold a mixed-script token" before splitting tokens.
_HAS_LATIN = re.compile(r"[A-Za-z]")
_HAS_CYR_OR_GREEK = re.compile(r"[\u0370-\u03ff\u0400-\u052f]")


def _letter_script(cp: int) -> str | None:
    if cp < 0x250:
        return "Latn" if chr(cp).isalpha() else None
    if 0x0400 <= cp <= 0x052F:
        return "Cyrl"
    if 0x0370 <= cp <= 0x03FF:
        return "Grek"
    return None


def _is_strong(cp: int) -> bool:
    return cp not in _TO_LAT and cp not in _TO_CYR and cp not in _TO_GRK


def _fold_token(token: str, context: str | None = None) -> str:
    """Replace look-alike letters of minority scripts by the majority script's letters.

    A letter that has no look-alike in another script ("strong", e.g. Б, И, Ч, R, L)
    outweighs any number of ambiguous ones: "AБPAMOBИЧ" has strong Cyrillic letters and
    only ambiguous Latin ones, so it is Cyrillic. A token that mixes scripts in ambiguous
    letters only takes the script of the name around it (`context`): the ua list writes
    the Indian company form OPC as "OРС" (Latin O) in a Latin name. So does a word of
    one letter: Canada's list writes the "с" of "Общество с ограниченной
    ответственностью" as a Latin c.
    """
    strong: dict[str, int] = {}
    total: dict[str, int] = {}
    for ch in token:
        cp = ord(ch)
        script = _letter_script(cp)
        if script is None:
            continue
        total[script] = total.get(script, 0) + 1
        if _is_strong(cp):
            strong[script] = strong.get(script, 0) + 1
    if len(total) < 2:
        if not (context and len(token) == 1 and total and context not in total and not strong):
            return token
        target = context
    elif context and not strong:
        target = context
    else:
        target = max(total, key=lambda s: (strong.get(s, 0), total[s], s == "Cyrl"))
    table = _FOLD_TO[target]
    return "".join(table.get(ord(ch), ch) if _letter_script(ord(ch)) != target else ch for ch in token)


def _text_script(text: str) -> str | None:
    """The script of most of the letters in `text` that have no look-alike, if one
    has more than any other."""
    strong: dict[str, int] = {}
    for ch in text:
        cp = ord(ch)
        script = _letter_script(cp)
        if script is not None and _is_strong(cp):
            strong[script] = strong.get(script, 0) + 1
    ranked = sorted(strong.values(), reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0] == ranked[1]):
        return None
    return max(strong, key=strong.__getitem__)


def _fold_homoglyphs(text: str) -> str:
    if not (_HAS_LATIN.search(text) and _HAS_CYR_OR_GREEK.search(text)):
        return text
    context = _text_script(text)
    return " ".join(_fold_token(tok, context) for tok in text.split(" "))


def normalize(text: str) -> str:
    """The comparison form of `text`: see the module docstring for each step."""
    if '"' in text:
        text = _DQUO_INSIDE.sub("", text)
    if text.isascii():
        # Most list names: no NFKC, no homoglyphs, no diacritics to strip.
        text = text.lower().translate(_POST)
    else:
        text = unicodedata.normalize("NFKC", text).translate(_PRE)
        text = _fold_homoglyphs(text)
        text = text.casefold()
        if "\u201d" in text:
            text = _RDQUO_INSIDE.sub("", text)
        text = text.translate(_POST)
        # Casefolding and diacritic stripping can leave sequences NFKC would change
        # again (e.g. "ǆ" → "dž" → "dz"); one more pass makes the function idempotent.
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text).translate(_PRE).translate(_POST)
    text = " ".join(_OTHER.sub(" ", text).split())
    if not text.isascii():
        # Stripping a diacritic can turn a letter with no look-alike (À) into one with
        # one (a), and symbols only now split tokens (Q×Iµ): fold again on the final
        # lowercase tokens, so that the result is stable.
        text = _fold_homoglyphs(text)
    return text


# Digits that OCR reads for letters, between two letters of a word ("A1i", "B0RIS").
_OCR_DIGIT = re.compile(r"(?<=[^\W\d_])[015](?=[^\W\d_])")
_OCR_LETTER = {"0": "o", "1": "l", "5": "s"}


def ocr_letters(text: str) -> str:
    """`text` with a 0, 1 or 5 between two letters read as the letter it stands for
    (o, l, s): scanned lists and OCR write "ADAN, Abukar A1i". Numbers stand alone or
    at a word's edge ("NORD STREAM 2", "61ST", "N9") and are left as they are."""
    if not any(d in text for d in "015"):
        return text

    def letter(m: re.Match[str]) -> str:
        ch = _OCR_LETTER[m.group()]
        return ch.upper() if text[m.start() - 1].isupper() and text[m.end()].isupper() else ch

    return _OCR_DIGIT.sub(letter, text)
