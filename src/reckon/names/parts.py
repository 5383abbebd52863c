"""Person names split into parts with roles: surname, given, patronymic, initial, particle.

The lists write one person's name in several orders: "ABRAMOVICH, Roman Arkadievich"
(OFAC, UK), "Roman ABRAMOVICH" (AU, EU), "Абрамович Роман Аркадьевич" (Russian
documents), "R. A. Abramovich" (press). `parse_person_name` reads them with these
clues, strongest first:

1. a comma: what is before it is the surname;
2. case: in mixed-case text, tokens written all in capitals are the surname;
3. patronymics: a token with a patronymic ending right after a given name (Vladimir
   Vladimirovich Putin) or at the end after one (Putin Vladimir Vladimirovich);
4. the given-name table: in a two-word name, the word that is a known given name is
   the given name (Абрамович Роман);
5. otherwise, given name(s) first and the surname last.

The roles are a best guess for scoring and display, never a reason to drop a token.
Words that are no part of the name are left out before: forms of address (Mr, President)
and a rank that opens the name (Colonel-General, Lt. Gen., генерал армии).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from reckon.names.given_names import (
    given_name_class,
    looks_like_patronymic,
    patronymic_class,
    western_spelling,
)
from reckon.names.normalize import normalize
from reckon.names.translit import cyrillic_language, latinize, skeleton

SURNAME: Final = "surname"
GIVEN: Final = "given"
PATRONYMIC: Final = "patronymic"
INITIAL: Final = "initial"
PARTICLE: Final = "particle"
UNKNOWN: Final = "unknown"

# Particles of surnames and patronymic-like connectors (Azerbaijani oglu/kyzy, Arabic
# bin/ibn/abu, Kyrgyz uulu). Normalised forms.
PARTICLES: Final = frozenset(
    [
        "von",
        "van",
        "der",
        "den",
        "de",
        "da",
        "di",
        "del",
        "della",
        "dos",
        "du",
        "la",
        "le",
        "al",
        "el",
        "bin",
        "ibn",
        "bint",
        "abu",
        "ben",
        "ogly",
        "oglu",
        "ogli",
        "kyzy",
        "kizi",
        "gizi",
        "uulu",
    ]
)
# Connectors of a nasab, a chain of fathers' names: "son of" before the father's name
# (Usama bin Muhammad, Hebrew ben), and the Turkic ones after it (Heydar oglu).
_SON_OF: Final = frozenset(["bin", "ibn", "bint", "ben"])
# The one connector that is also a given name: Ben, for Benjamin or Benedict (the
# nickname table knows it). First in a name, "abu" starts a kunya (Abu Bakr) and "bin"
# a surname (Bin Laden, bin Salman Mohammed): neither is a name of its own.
_GIVEN_BEN: Final = "ben"
_SON_OF_AFTER: Final = frozenset(["ogly", "oglu", "ogli", "kyzy", "kizi", "gizi", "uulu"])
# The Arabic article, also as assimilated before sun letters (Abd ar-Rahman, Abd as-Salam).
_ARTICLES: Final = frozenset(
    [
        "al",
        "el",
        "ul",
        "ol",
        "il",
        "ar",
        "ur",
        "as",
        "us",
        "ash",
        "ush",
        "ad",
        "ud",
        "an",
        "un",
        "at",
        "ut",
        "az",
        "uz",
    ]
)
_SPLIT_INITIALS = re.compile(r"(?<=\w)\.(?=\w)")
# Forms of address, not parts of a name ("President Erdoğan", "Monsieur Ilie Bolojan").
TITLES: Final = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "monsieur",
        "madame",
        "mme",
        "mlle",
        "herr",
        "frau",
        "president",
    ]
)
# Military, police and official ranks written before a name, as lists and reports name
# commanders and officials: "Colonel-General Aleksandr Viktorovich GALKIN" and "Lt. Gen.
# Vladimir Yurevich ANTYUFEYEV" (DFAT), "генерал армии Валерий Герасимов". Only words
# that open a name are a rank (see `_without_rank`): John Major keeps his surname.
RANKS: Final = frozenset(
    [
        "general",
        "colonel",
        "lieutenant",
        "major",
        "captain",
        "commander",
        "brigadier",
        "admiral",
        "marshal",
        "sergeant",
        "corporal",
        "lt",
        "col",
        "gen",
        "maj",
        "capt",
        "cpt",
        "brig",
        "adm",
        "sgt",
        "governor",
        "senator",
        "deputy",
        "minister",
        "генерал",
        "полковник",
        "подполковник",
        "майор",
        "капитан",
        "лейтенант",
        "сержант",
        "ефрейтор",
        "прапорщик",
        "адмирал",
        "маршал",
        "підполковник",
        "капітан",
        "губернатор",
        "сенатор",
        "депутат",
        "министр",
        "міністр",
    ]
)
# Words that make a rank of the one after them (senior lieutenant, вице-адмирал, defence
# minister)...
_RANK_BEFORE: Final = frozenset(
    [
        "senior",
        "junior",
        "vice",
        "rear",
        "first",
        "prime",
        "defence",
        "defense",
        "foreign",
        "старший",
        "младший",
        "молодший",
        "вице",
        "контр",
    ]
)
# ...or complete the one before them (general of the army, полковник юстиции).
_RANK_AFTER: Final = frozenset(
    [
        "of",
        "the",
        "army",
        "police",
        "justice",
        "defence",
        "defense",
        "армии",
        "армії",
        "юстиции",
        "юстиції",
        "полиции",
        "поліції",
        "внутренней",
        "внутрішньої",
        "службы",
        "служби",
        "обороны",
        "оборони",
    ]
)
_VOWELS = frozenset("AEIOUYАЕЁИОУЫЭЮЯІЇЄ")
# Surnames written without vowels, which the lists write in capitals as any surname.
_CONSONANT_SURNAMES = frozenset({"NG", "NGH"})


@dataclass(frozen=True, slots=True)
class NamePart:
    text: str  # normalised token, in its own script
    role: str
    key: str  # skeleton(token): the romanisation-invariant comparison key
    # The word's own Latin spelling where romanising misses it (Грэм: graham), else None.
    spelling: str | None = None


@dataclass(frozen=True, slots=True)
class PersonName:
    parts: tuple[NamePart, ...]
    comma: bool = False  # the source wrote "SURNAME, Given"

    def role(self, role: str) -> tuple[NamePart, ...]:
        return tuple(p for p in self.parts if p.role == role)

    @property
    def surname_stems(self) -> frozenset[str]:
        """Gender-neutral keys of the surname parts (Ivanova and Ivanov share one)."""
        return frozenset(surname_stem(p.key) for p in self.parts if p.role == SURNAME)


def surname_stem(key: str) -> str:
    """Drop the feminine ending from a surname skeleton (Russian, Ukrainian).

    Ivanova → ivanov, Putina → putin, Uspenskaya / Uspenska → uspenski. Adjectival
    -aya surnames (Tolstaya / Tolstoy) are left alone: the masculine is -oi or -i.
    """
    if len(key) < 5:
        return key
    if key.endswith("skaia"):
        return key[:-3] + "i"
    if key.endswith("Ckaia"):
        return key[:-3] + "i"
    if key.endswith(("ska", "Cka")):
        return key[:-1] + "i"
    if key.endswith(("ova", "eva", "ina", "ena")):
        return key[:-1]
    return key


@dataclass(slots=True)
class _Token:
    text: str
    caps: bool
    role: str = UNKNOWN


# Last letters of patronymics in any script or romanisation (-vich, -vitch, -vna, -ич, -на).
_PATRONYMIC_LAST = frozenset("hacчаь")


@lru_cache(maxsize=1 << 14)
def _split_glued(tok: str) -> tuple[str, ...]:
    """A given name and patronymic written as one word ("Maksimvalerevich",
    "Igor`vadimovich" after the apostrophe is dropped) in two; other tokens as they are.

    Only a known given name followed by a known patronymic is split, so surnames with
    patronymic endings (Abramovich, Aliullovich) stay whole.
    """
    if len(tok) < 9 or tok[-1] not in _PATRONYMIC_LAST or not looks_like_patronymic(tok):
        return (tok,)
    if patronymic_class(tok) or given_name_class(tok):
        return (tok,)
    # The longest known given name followed by a known patronymic: Dmitrij|borisovich.
    for i in range(len(tok) - 6, 2, -1):
        if patronymic_class(tok[i:]) and given_name_class(tok[:i]):
            return tok[:i], tok[i:]
    return (tok,)


def _in_capitals(word: str) -> bool:
    """Written all in capitals, as lists write surnames (one letter is an initial)."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _tokens(raw: str, natural: bool = False) -> list[_Token]:
    """The words of `raw` with the roles they show by themselves; `natural`: `raw` is a
    whole name without a comma, whose first word is the first given name if any."""
    out: list[_Token] = []
    depth = 0
    mixed_case = any(c.islower() for c in raw)
    # "R.A." is two initials; normalize() would glue or split them inconsistently.
    for word in _SPLIT_INITIALS.sub(". ", raw).split():
        letters = [c for c in word if c.isalpha()]
        caps = _in_capitals(word)
        if (
            caps
            and mixed_case
            and len(letters) <= 3
            and len(letters) == len(word)
            and _VOWELS.isdisjoint(letters)
            and word not in _CONSONANT_SURNAMES
        ):
            # Initials written together in a name written in mixed case: "JC Juncker".
            out.extend(_Token(c, False, INITIAL) for c in normalize(word))
            continue
        # A name in brackets is another surname of the person: maiden or former name,
        # "IVANYK (Kalytska) Hanna", "Иванова (Петрова) Анна".
        bracketed = depth > 0 or word.startswith("(")
        depth += word.count("(") - word.count(")")
        toks = normalize(word).split()
        # A name's first word connects it to no father's name: "Ben" there is the given
        # name (Ben Netanyahu), if a word of its own. Joined to the next (Ben-Gvir) or in
        # capitals among lower case (BEN ALI Zine) it starts a surname, and after a comma
        # it is a son's (AIADI, Ben Muhammad on OFAC's list).
        lead = natural and not out and len(toks) == 1 and not (caps and mixed_case)
        for tok in toks:
            for part in _split_glued(tok):
                if part in TITLES:
                    continue
                t = _Token(part, caps)
                if len(part) == 1 and part.isalpha():
                    t.role = INITIAL
                elif part in PARTICLES and not (lead and part == _GIVEN_BEN):
                    t.role = PARTICLE
                elif bracketed:
                    t.role = SURNAME
                out.append(t)
    out = _join_abd(out)
    if all(t.role == SURNAME for t in out):
        for t in out:
            t.role = UNKNOWN  # all in brackets: nothing else to tell the roles by
    return out


def _join_abd(tokens: list[_Token]) -> list[_Token]:
    """The word "abd" (servant of) and the article after it as one word: the lists write
    the one name Abd al-Aziz, Abdul Aziz and Abdelaziz, and "abd" alone is no name."""
    out: list[_Token] = []
    for t in tokens:
        prev = out[-1] if out else None
        if prev is not None and prev.text == "abd" and t.text in _ARTICLES:
            prev.text += t.text
        else:
            out.append(t)
    return out


def _nasab(tokens: list[_Token], last_too: bool) -> None:
    """Fathers' names in a nasab as patronymics: the lists give some of a person's
    ancestors (Usama bin Muhammad ibn Awad ibn Ladin), people fewer (Osama bin Laden).
    In natural order the last name after "bin" is the family's (Ladin); after a
    comma (BIN LADIN, Usama bin Muhammad bin Awad) all are fathers'."""
    named = (GIVEN, UNKNOWN, SURNAME)
    words = [k for k, t in enumerate(tokens) if t.role != PARTICLE]
    if not words:
        return
    first, last = words[0], words[-1]
    for k, t in enumerate(tokens):
        # "bin" with no name before it is nobody's son (bin Salman Mohammed).
        if t.text in _SON_OF and first < k < len(tokens) - 1:
            father = k + 1
        elif t.text in _SON_OF_AFTER and k >= 2:
            father = k - 1
        else:
            continue
        if tokens[father].role in named and (last_too or father < last):
            tokens[father].role = PATRONYMIC


def _assign_rest(words: list[_Token]) -> None:
    """Given name(s) then patronymic, for the words after a known surname."""
    for i, t in enumerate(words):
        if i > 0 and looks_like_patronymic(t.text):
            t.role = PATRONYMIC
        else:
            t.role = GIVEN


def _is_given(t: _Token) -> bool:
    return given_name_class(t.text) is not None


def _assign_free(words: list[_Token], cyrillic: bool) -> None:
    n = len(words)
    if n == 0:
        return
    if n == 1:
        words[0].role = GIVEN if _is_given(words[0]) else SURNAME
        return
    patronymic_last = looks_like_patronymic(words[-1].text) and not looks_like_patronymic(words[1].text)
    if n >= 3 and (patronymic_last or (looks_like_patronymic(words[-1].text) and _is_given(words[-2]))):
        for t in words[:-2]:
            t.role = SURNAME
        words[-2].role, words[-1].role = GIVEN, PATRONYMIC
        return
    if n >= 3 and looks_like_patronymic(words[1].text):
        words[0].role, words[1].role = GIVEN, PATRONYMIC
        for t in words[2:]:
            t.role = SURNAME
        return
    first_given, last_given = _is_given(words[0]), _is_given(words[-1])
    surname_first = (last_given and not first_given) or (cyrillic and n == 2 and not first_given)
    if surname_first:
        words[0].role = SURNAME
        for t in words[1:]:
            t.role = GIVEN
    else:
        for t in words[:-1]:
            t.role = GIVEN
        words[-1].role = SURNAME


def _part(t: _Token, lang: str) -> NamePart:
    """A word keyed by its Latin letters: a Western given name in Cyrillic by its own
    spelling (Грэм: graham, not grem), any other word romanised."""
    spelling = western_spelling(t.text) if t.role == GIVEN else None
    return NamePart(t.text, t.role, skeleton(spelling or latinize(t.text, lang)), spelling)


def _without_rank(text: str) -> str:
    """`text` without the rank that opens it (Colonel-General, Lt. Gen., генерал армии).

    Words that are the name stay: a word in capitals in a name in mixed case is a surname
    (Ukraine's МАРШАЛ Александр Витальевич), as is one before a comma (MAJOR, John), and
    a rank with nothing after it (Commander) is all the name there is.
    """
    words = text.split()
    mixed_case = any(c.islower() for c in text)
    end = 0  # words[:end] is the rank
    for k, word in enumerate(words):
        parts = normalize(word).split()
        if not parts or (mixed_case and _in_capitals(word)) or word.endswith(","):
            break
        rank = any(p in RANKS for p in parts) and all(p in RANKS or p in _RANK_BEFORE for p in parts)
        completes = end == k > 0 and all(p in _RANK_AFTER for p in parts)
        if rank or completes:
            end = k + 1
        elif not all(p in _RANK_BEFORE for p in parts):
            break
    return " ".join(words[end:]) if 0 < end < len(words) else text


def parse_person_name(text: str) -> PersonName:
    """Split a person's name into parts with roles (see the module docstring)."""
    text = _without_rank(text)
    comma = "," in text
    if comma:
        head, _, tail = text.partition(",")
        front, back = _tokens(head), _tokens(tail)
        for t in front:
            if t.role == UNKNOWN:
                t.role = SURNAME
        _assign_rest([t for t in back if t.role == UNKNOWN])
        _nasab(back, last_too=True)
        tokens = front + back
    else:
        tokens = _tokens(text, natural=True)
        words = [t for t in tokens if t.role == UNKNOWN]
        caps = [t for t in words if t.caps]
        if caps and len(caps) < len(words):
            for t in caps:
                t.role = SURNAME
            _assign_rest([t for t in words if not t.caps])
        else:
            cyrillic = any("\u0400" <= c <= "\u04ff" for c in text)
            _assign_free(words, cyrillic)
        _nasab(tokens, last_too=False)
    # The language of the whole name decides how и and г read (Путін Володимир: uk).
    lang = cyrillic_language(text)
    parts = tuple(_part(t, lang) for t in tokens)
    return PersonName(parts, comma)
