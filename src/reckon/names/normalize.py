"""One comparison form for any name string: `normalize(text) -> str`.

The output is for comparing and indexing, never for display. What it does, in order:

1. NFKC, so full-width letters, ligatures and compatibility forms become plain letters
   and a letter typed as base + combining mark becomes one code point (и + ◌̆ → й).
2. Invisible characters (format, control, bidi marks, BOM, soft hyphen, ZWSP/ZWJ, word
   joiner, Hangul fillers, variation selectors) go: a run of them is a space where the
   case of the letters around it shows a word boundary (Vladimir|Putin, PUTIN|Vladimir),
   and nothing elsewhere, so a name reads as it shows on screen (see `unhide`).
   Copy-pasted list entries carry them, and evaders put them inside words.
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
# The other Default_Ignorable_Code_Points of Unicode (DerivedCoreProperties.txt), letters
# and marks that show nothing: combining grapheme joiner, Hangul fillers, Khmer inherent
# vowels, Mongolian free variation selectors, variation selectors. Left alone, the
# non-letters among them would split a word in two (`_OTHER`).
_IGNORABLE_RANGES: tuple[tuple[int, int], ...] = (
    (0x034F, 0x034F),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180D),
    (0x180F, 0x180F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFFA0, 0xFFA0),
    (0xE0100, 0xE01EF),
)


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in ranges)


# Runs of characters that show nothing. Tab, newline, vertical tab, form feed and
# carriage return (U+0009-000D) are whitespace and stay so.
_HIDDEN = re.compile(
    "[" + _char_class(((0x00, 0x08), (0x0E, 0x1F), *_INVISIBLE_RANGES[1:], *_IGNORABLE_RANGES)) + "]+"
)
# The ignorable letters and marks, which `str.isprintable` lets through.
_SHOWN_IGNORABLE = re.compile("[" + _char_class(_IGNORABLE_RANGES) + "]")


def _hidden_run(m: re.Match[str]) -> str:
    """What a run of invisible characters stands in for: a space where the case of the
    letters around it shows a word boundary, a capital starting a word after a lowercase
    letter (Vladimir|Putin) or after a word in capitals (PUTIN|Vladimir); nothing
    elsewhere (inside a word, beside a space, at an edge), as the name shows on screen.

    Measured by screening names of the bundled lists with zero-width characters put in,
    against all 51,257 records: one or two inside words, all 1,600 screens of 400 names of
    several words and 400 of one keep the hit (before: 1,595); in place of every space of
    400 names, 257 do (before: 91), of one space 339 (275), of one space and inside a word
    333 (267). Read as spaces everywhere, they would find 397 of the names whose spaces they
    replace but only 71 of the one-word names with one inside; read both ways at once (a
    second name), the wrong reading's words (JOINT STOCK COM PANY) crowd out the record.
    What stays missed shows on screen glued (VLADIMIRPUTIN), as reckon misses it typed so.
    Arabic letters have no case: the Persian zero-width non-joiner (احمدی‌مقدم) goes, as it
    always has.
    """
    run = m.group()
    if any(ch.isspace() for ch in run):
        return " "  # line and paragraph separators, information separators, NEL
    text, i, j = m.string, m.start(), m.end()
    if i == 0 or j == len(text):
        return ""
    left, right, after = text[i - 1], text[j], text[j + 1 : j + 2]
    if not (right.isupper() and after.isalpha()):
        return ""  # a capital alone is a word's last letter: GmbH, SpA
    if left.islower() or (left.isupper() and after.islower() and text[i - 2 : i - 1].isupper()):
        return " "
    return ""


# Letters and punctuation in other clothes: full-width and half-width forms, the
# ideographic space, letterlike symbols, enclosed and mathematical letters (𝐏𝐔𝐓𝐈𝐍).
# Only these are folded before a name is split: NFKC of the whole name would also
# decompose letters of other scripts that the romaniser reads better whole (Thai ำ).
_DRESSED = re.compile(
    "[\u2100-\u214f\u2460-\u24ff\u3000\uff00-\uffef\U0001d400-\U0001d7ff\U0001f100-\U0001f1ff]+"
)


def _undress(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", m.group())


def unhide(text: str) -> str:
    """`text` with its invisible characters read as the space they stand in for or
    removed (see `_hidden_run`), as the name shows on screen. Case is kept, for the
    name parser. Cheap when there is nothing to do."""
    if text.isprintable() and (text.isascii() or not _SHOWN_IGNORABLE.search(text)):
        return text
    return _HIDDEN.sub(_hidden_run, text)


def undress(text: str) -> str:
    """`text` with letters in other forms folded, for the name parser to see them:
    full-width ＰＵＴＩＮ，Ｖｌａｄｉｍｉｒ is PUTIN, Vladimir, and 𝐏𝐔𝐓𝐈𝐍 is PUTIN."""
    return text if text.isascii() else _DRESSED.sub(_undress, text)


def hidden_characters(text: str) -> list[str]:
    """The invisible characters `text` holds, as U+XXXX in order of first appearance:
    what `unhide` removes or reads as a space (whitespace is not counted)."""
    found = dict.fromkeys(ch for run in _HIDDEN.findall(text) for ch in run if not ch.isspace())
    return [f"U+{ord(ch):04X}" for ch in found]


# Bidirectional overrides: what follows, up to the next bidi control, shows in the
# override's direction whatever its letters' own.
_OVERRIDE_RUN = re.compile("([\u202d\u202e])([^\u202a-\u202e\u2066-\u2069]*)")


def _reverse_run(m: re.Match[str]) -> str:
    control, body = m.group(1), m.group(2)
    ltr = sum(1 for ch in body if unicodedata.bidirectional(ch) == "L")
    rtl = sum(1 for ch in body if unicodedata.bidirectional(ch) in ("R", "AL"))
    if (control == "\u202e" and ltr <= rtl) or (control == "\u202d" and rtl <= ltr):
        return m.group()  # letters already run the override's way: nothing moves
    clusters: list[str] = []
    for ch in unicodedata.normalize("NFC", body):
        if clusters and unicodedata.combining(ch):
            clusters[-1] += ch  # a mark stays on its letter
        else:
            clusters.append(ch)
    return control + "".join(reversed(clusters))


def as_displayed(text: str) -> str:
    """`text` with the letters a bidi override reverses on screen (RIGHT-TO-LEFT OVERRIDE
    over Latin or Cyrillic letters, LEFT-TO-RIGHT OVERRIDE over Arabic or Hebrew) in the
    order they show: "\u202enituP rimidalV" shows as Vladimir Putin. `text` itself if no
    override moves a letter. The controls stay, for `unhide` to remove."""
    if "\u202d" not in text and "\u202e" not in text:
        return text
    return _OVERRIDE_RUN.sub(_reverse_run, text)


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
        if not text.isprintable():
            text = _HIDDEN.sub(_hidden_run, text)  # controls: read as `unhide` reads them
        text = text.lower().translate(_POST)
    else:
        text = unicodedata.normalize("NFKC", unhide(text)).translate(_PRE)
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
