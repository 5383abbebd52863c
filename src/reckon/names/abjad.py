"""Names in the Arabic script (Arabic, Persian, Urdu, Pashto) against their Latin spellings.

The abjad writes consonants and long vowels, never short ones: محمد is m-h-m-d, which
the lists write Muhammad, Mohammed, Mohamed or Mehmet. A plain romanisation (mhmd)
meets none of them, so a name in this script is not romanised at all (see
match/prepare.py). Instead each Arabic word is read as the set of Latin spellings it
allows: its consonants, each as the Latin letters that romanisations write it with
(ق is q, k or g; ث is th, s or t) and once or doubled, with at most one short vowel
after each, and its long-vowel letters (ا و ي) as long vowels or as the glides w/v and
y. A Latin word is the same name when it is one of those spellings
(`abjad_similarity`). Words one script writes apart and the other as one (عبد الله,
Abdullah) are joined first (`abjad_joins`).

For the match index, the few spellings that differ in their phonetic key
(names/keys.phonetic: first letter, then consonant classes) give the word's `p:` keys,
so that a name in Arabic script fetches the records that spell it in Latin letters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from reckon.names.keys import phonetic

# A short vowel, which the script leaves out: at most one between two letters. Long
# vowels are letters of their own (ا و ي), so neither Mahamood nor Mahmoud is محمد.
_SHORT_VOWELS = ("a", "e", "i", "o", "u", "y")
# After the last letter only the silent e of French spellings (Amine, Abderrahmane): a
# final vowel the Latin says is a letter the Arabic writes (Barzani is برزاني, not برزان).
_FINAL_VOWELS = ("e",)
# The long vowel or glide ي (Persian ی): Yahya, Said, Hussein, Hamdy, German j.
_YE = "y|yee|yie|yi|ye|ya|ee|ei|ai|ey|ay|ie|i|e|j"
# Each letter: (the Latin spellings it may stand for, "|" between them, a final "|"
# when the Latin may leave it out; the spellings tried for the index's phonetic keys).
# A letter whose keys start with "" is a vowel letter, or a sign the Latin side writes
# as a vowel or not at all.
_LETTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    # Long vowels and glides. A medial و is a consonant as often as a vowel (Dawud and
    # Daoud, Javad), so both spellings make keys.
    "ا": ("a|aa|e|o|i", ("",)),
    "أ": ("a|e|o|u|i|", ("",)),
    "إ": ("i|e|", ("",)),
    "آ": ("a|aa|", ("",)),
    "ٱ": ("a|e|", ("",)),
    "ء": ("", ("",)),
    "ئ": ("y|i|e|", ("",)),
    "ؤ": ("w|v|u|o|", ("",)),
    "ع": ("a|e|i|o|u|", ("",)),  # written as a vowel or an apostrophe, or not at all
    "و": ("w|v|wo|wu|woo|wou|vo|vu|oo|ou|uu|o|u", ("", "w")),
    "ي": (_YE, ("",)),
    "ى": ("a|y|i|e", ("",)),
    "ی": (_YE, ("",)),  # Persian ye
    "ے": ("y|e|ay|ai", ("",)),  # Urdu bari ye
    "ة": ("a|ah|at|e|eh|", ("", "h")),  # ta marbuta: Fatima, Fatimah, Fatimat
    "ۀ": ("a|ah|e|eh|ye|", ("", "h")),
    "ۃ": ("a|ah|at|", ("", "h")),
    # Consonants. Letters Latin writes alike share spellings: ب is also p (Persian names
    # in Arabic letters), ف also v, ج also g (Egypt) and dj (French), ق also k and g.
    "ب": ("b|p", ("b",)),
    "پ": ("p|b", ("p",)),
    "ت": ("t|th", ("t",)),
    "ث": ("th|t|s", ("th", "s")),
    "ٹ": ("t", ("t",)),
    "ج": ("j|g|dj|zh|dzh", ("j", "g")),
    "چ": ("ch|tch|tsch|c|j", ("ch",)),
    "ح": ("h|kh", ("h",)),
    "خ": ("kh|h|x|ch|k", ("kh",)),
    "د": ("d|dh", ("d",)),
    "ڈ": ("d", ("d",)),
    "ذ": ("dh|z|d|th", ("dh", "z")),
    "ر": ("r", ("r",)),
    "ڑ": ("r|d", ("r",)),
    "ز": ("z|s", ("z",)),  # s too: Western names (Perez, Therese بيريز تيريز)
    "ژ": ("zh|j|z|g", ("zh",)),
    "س": ("s|c", ("s",)),
    "ش": ("sh|ch|sch|s", ("sh",)),
    "ص": ("s", ("s",)),
    "ض": ("d|dh|z", ("d", "dh")),
    "ط": ("t", ("t",)),
    "ظ": ("z|dh|th|d", ("z", "dh")),
    "غ": ("gh|g|r", ("gh",)),
    "ف": ("f|ph|v", ("f",)),
    "ق": ("q|k|g|c|kh", ("q",)),
    "ك": ("k|c|q|kh", ("k",)),
    "ک": ("k|c|q|kh", ("k",)),
    "ڪ": ("k|c|q", ("k",)),
    "گ": ("g|gu", ("g",)),
    "ل": ("l", ("l",)),
    "م": ("m", ("m",)),
    "ن": ("n|m", ("n",)),
    "ں": ("n|", ("n",)),
    "ه": ("h", ("h",)),
    "ھ": ("h|", ("",)),  # Urdu do-chashmi he: the h of bh, kh, th
}
# At the end of a word, more spellings: Persian and Turkish devoice a final d (Ahmet,
# Mehmet), a final h is often left out (Abdulla, Taha/Tah), Persian writes a final
# vowel e with he (Fatemeh, Zadeh, Zada).
_FINAL: dict[str, str] = {"د": "d|dh|t", "ه": "h|a|e|ah|eh|"}
_VOWEL_LETTERS = frozenset(k for k, (_, keys) in _LETTERS.items() if keys[0] == "")
# Signs of no sound: tatweel (a stretched joint), zero-width joiners.
_SILENT = frozenset("\u0640\u200c\u200d")
_ARTICLE = "ال"
# Words the lists write as particles in Latin letters (parts.PARTICLES): the article,
# son and daughter of (bin, ibn, bint; Mauritanian ould), father of (abu), family of (al).
_PARTICLES = frozenset(
    {"ال", "آل", "بن", "ابن", "إبن", "بنت", "ولد", "أبو", "ابو", "أبي", "ابي", "أبا", "ابا"}
)
_ABD = "عبد"
_ZADA = "زاده"
# Letters the article's l is spoken as (ar-Rahman, ad-Din), and written so in Latin.
_SUN_LETTERS = frozenset("تثدذرزسشصضطظلن")
_ABD_LATIN = re.compile(r"a?bd(?:[aeiou][lrsntdz]{0,2})?")
# The vowels a word that starts with a vowel letter (ا, ع…) may start with in Latin.
_INITIAL_VOWELS = ("a", "e", "i", "o", "u")
# Phonetic keys per word, at most: a word with many ambiguous letters keeps its likeliest.
MAX_KEYS = 12

# How alike an Arabic word and a Latin word it may be spelled as are, by the number of
# consonants the Arabic word writes. The vowels are unknown, so this is weaker than the
# same spelling (1.0) or the same given name in two languages (0.95): fewer consonants
# allow more names (علي, l alone, is Ali, Aly, Eli and Ella).
ABJAD_SCORES = ((3, 0.9), (2, 0.85), (0, 0.75))


def is_abjad(token: str) -> bool:
    """Whether a name token is written in the Arabic script (its first letter; the
    scorer asks for every pair of words, so no regex)."""
    c = token[:1]
    return (
        "\u0600" <= c <= "\u06ff"
        or "\u0750" <= c <= "\u077f"
        or "\u08a0" <= c <= "\u08ff"
        or "\ufb50" <= c <= "\ufdff"
        or "\ufe70" <= c <= "\ufeff"
    )


def _letters(token: str) -> str:
    return "".join(ch for ch in token if ch not in _SILENT)


def _body(token: str) -> tuple[bool, str]:
    """Whether the word starts with the article, and the word without it. A word of
    the article and two letters or fewer keeps it: الياس is Ilyas, not al-Yas."""
    if token.startswith(_ARTICLE) and len(token) > len(_ARTICLE) + 2:
        return True, token[len(_ARTICLE) :]
    return False, token


def consonants(token: str) -> int:
    """How many consonant letters an Arabic-script word writes (ة, the vowel letters
    and ع not counted; nor the article)."""
    _, body = _body(_letters(token))
    return sum(1 for ch in body if ch in _LETTERS and ch not in _VOWEL_LETTERS)


# One letter of an Arabic-script word as Latin spellings: (spellings, optional, doubled),
# doubled when the letter is a consonant the script writes once for two (Hassan, حسن).
Slot = tuple[tuple[str, ...], bool, bool]


@lru_cache(maxsize=1 << 14)
def _slots(token: str) -> tuple[Slot, ...] | None:
    """The Latin spellings an Arabic-script word allows, letter by letter (a short vowel
    or none after each); None for a word with a letter this module does not know."""
    article, body = _body(_letters(token))
    slots: list[Slot] = [(("al", "el"), True, False)] if article else []
    for k, ch in enumerate(body):
        spelt = _LETTERS.get(ch)
        if spelt is None:
            return None
        alts = _FINAL.get(ch, spelt[0]) if k == len(body) - 1 else spelt[0]
        if k and ch == "ا" and body[k + 1 : k + 2] == "ل":
            alts += "|"  # the article inside a word: Abdulkarim, Abdullah (عبدالله)
        elif k > 1 and ch == "ل" and body[k - 1] == "ا" and body[k + 1 : k + 2] in _SUN_LETTERS:
            alts += "|"  # and its l as the letter after it: Abderrahmane, Shamsuddin
        spellings = tuple(a for a in alts.split("|") if a)
        slots.append((spellings, alts.endswith("|"), ch not in _VOWEL_LETTERS))
    return tuple(slots)


def _spelt(slots: tuple[Slot, ...], latin: str) -> bool:
    """Whether `latin` is one of the spellings `slots` allow: the positions in it each
    letter may end at, from first letter to last (a regex would do, but compiling one
    per word costs a hundred times more than this)."""
    ends = {0}
    n = len(latin)
    last = len(slots) - 1
    for k, (spellings, optional, doubled) in enumerate(slots):
        nxt = set(ends) if optional else set()
        for p in ends:
            for sp in spellings:
                if latin.startswith(sp, p):
                    q = p + len(sp)
                    nxt.add(q)
                    while doubled and latin.startswith(sp, q):
                        q += len(sp)
                        nxt.add(q)
        ends = set(nxt)
        for p in nxt:  # a short vowel after the letter
            for v in _SHORT_VOWELS if k < last else _FINAL_VOWELS:
                if latin.startswith(v, p):
                    ends.add(p + len(v))
        if not ends:
            return False
    return n in ends


@dataclass(frozen=True, slots=True)
class _Reading:
    """What comparing one Arabic-script word needs, worked out once."""

    slots: tuple[Slot, ...] | None  # None: Abd (see `_ABD_LATIN`), or a letter unknown here
    firsts: frozenset[str] | None  # the letters a Latin spelling may start with; None: any
    score: float  # see ABJAD_SCORES
    particle: bool  # the word is a particle (see `_PARTICLES`)
    abd: bool


@lru_cache(maxsize=1 << 14)
def _reading(arabic: str) -> _Reading:
    letters = _letters(arabic)
    slots = _slots(arabic)
    firsts: set[str] = set()
    bound = False  # whether some letter must be spelt: else a Latin word may start anyhow
    for spellings, optional, _ in slots or ():
        firsts.update(sp[0] for sp in spellings)
        if not optional:
            bound = True
            break
        firsts.update(v[0] for v in _SHORT_VOWELS)
    n = consonants(arabic)
    return _Reading(
        slots=slots,
        firsts=frozenset(firsts) if bound else None,
        score=next(score for least, score in ABJAD_SCORES if n >= least),
        particle=letters in _PARTICLES,
        abd=_body(letters)[1] == _ABD,
    )


@lru_cache(maxsize=1 << 16)
def abjad_similarity(arabic: str, latin: str, particle: bool = False) -> float:
    """How alike an Arabic-script word and a latinised word (lowercase ASCII letters) are:
    one of ABJAD_SCORES when the Latin word is a spelling the Arabic one allows, else 0.
    A Latin `particle` (al, bin, abu) is only the Arabic particle: a short name allows
    its spelling too (علي, Ali, allows al), and would pass for the article."""
    r = _reading(arabic)
    if (particle and not r.particle) or not latin or not latin.isascii():
        return 0.0
    if r.abd:
        # Abd and the article of the name after it, which the lists join to it
        # (Abd al-Latif: ABD-AL-LATIF, Abdul Latif, Abdel Latif).
        return r.score if _ABD_LATIN.fullmatch(latin) else 0.0
    if r.slots is None or (r.firsts is not None and latin[0] not in r.firsts):
        return 0.0
    return r.score if _spelt(r.slots, latin) else 0.0


@lru_cache(maxsize=1 << 14)
def abjad_keys(token: str) -> tuple[str, ...]:
    """The phonetic keys (names/keys.phonetic) of the likeliest Latin spellings of an
    Arabic-script word, the article left out, as the lists write it apart (al-Tikriti);
    empty for a word with a letter this module does not know."""
    _, body = _body(_letters(token))
    if _letters(token) == _ABD:
        return ()  # Abd alone: the lists join it to the next name, whose keys fetch
    choices: list[tuple[str, ...]] = []
    for k, ch in enumerate(body):
        spelt = _LETTERS.get(ch)
        if spelt is None:
            return ()
        if k == 0 and ch in _VOWEL_LETTERS:
            # Only a word's first vowel shows in its phonetic key; a word that starts
            # with a vowel letter may start with any vowel in Latin (Umar, Omar).
            glides = ("w", "v") if ch == "و" else ("y",) if ch in "يی" else ()
            choices.append(_INITIAL_VOWELS + glides)
        elif k == len(body) - 1 and ch == "ه":
            choices.append(("h", ""))  # Abdullah, Abdulla
        else:
            choices.append(spelt[1])
    keys: dict[str, None] = {}
    for spelling in product(*choices):
        key = phonetic("".join(spelling))
        if len(key) >= 2:
            keys[key] = None
            if len(keys) >= MAX_KEYS:
                break
    return tuple(keys)


def _compound(word: str) -> bool:
    """Whether an Arabic-script word is written as one of a compound name the lists may
    write apart: Abd al-…, …-ullah, …-uddin (an article inside), Persian …-zada."""
    return word.startswith(_ABD) or _ARTICLE in word[1:] or word.endswith(_ZADA)


@dataclass(frozen=True, slots=True)
class _Runs:
    """One name's words as `abjad_joins` needs them, worked out once per name."""

    arabic_runs: tuple[tuple[int, int, str], ...]  # compound runs of Arabic-script words, joined
    latin_runs: tuple[tuple[int, int, str], ...]  # runs of Latin words, joined
    compounds: tuple[str, ...]  # Arabic-script words that are compounds (see `_compound`)
    latin: tuple[str, ...]  # Latin words


@lru_cache(maxsize=1 << 14)
def _runs(words: tuple[str, ...], longest: int) -> _Runs:
    arabic_runs: list[tuple[int, int, str]] = []
    latin_runs: list[tuple[int, int, str]] = []
    script = [is_abjad(w) for w in words]
    for k in range(len(words) - 1):
        for n in range(min(longest, len(words) - k), 1, -1):
            if len(set(script[k : k + n])) == 1:
                joined = "".join(words[k : k + n])
                if script[k] and _compound(joined):
                    arabic_runs.append((k, k + n, joined))
                elif not script[k] and joined.isascii():
                    latin_runs.append((k, k + n, joined))
    return _Runs(
        tuple(arabic_runs),
        tuple(latin_runs),
        tuple(w for w, a in zip(words, script, strict=True) if a and _compound(w)),
        tuple(w for w, a in zip(words, script, strict=True) if not a and w.isascii()),
    )


def abjad_joins(words: tuple[str, ...], others: tuple[str, ...], longest: int) -> tuple[tuple[int, int], ...]:
    """Runs of neighbouring `words` (start, end) that `others`, in the other script,
    write as one word: عبد الله is Abdullah, شمس الدين Shamsuddin, and Abd al-Karim is
    عبدالكريم. Arabic-script words are given as written, Latin ones latinised; a run is
    all in one script, at most `longest` words, longest first, none overlapping. Only
    compound names (see `_compound`) are tried: joining any two words would cost a
    comparison each, for every pair of names screening compares."""
    mine, theirs = _runs(words, longest), _runs(others, longest)
    found: list[tuple[int, int]] = []
    if mine.arabic_runs and theirs.latin:
        found += [(i, j) for i, j, w in mine.arabic_runs if any(abjad_similarity(w, o) for o in theirs.latin)]
    if mine.latin_runs and theirs.compounds:
        found += [
            (i, j) for i, j, w in mine.latin_runs if any(abjad_similarity(o, w) for o in theirs.compounds)
        ]
    if len(found) < 2:
        return tuple(found)
    spans: list[tuple[int, int]] = []
    for i, j in sorted(found, key=lambda s: (s[0], s[0] - s[1])):
        if not spans or i >= spans[-1][1]:
            spans.append((i, j))
    return tuple(spans)
