"""Blocking keys for the match index: which names could be the same, cheaply.

`name_keys(text, schema)` returns a set of short strings; two names that share none are
never compared. Keys are prefixed by kind so they can share one index:

- ``t:<token>`` for a token without letters (2000), ``s:<skeleton>`` for each other token (romanisation-invariant, see translit.skeleton);
- ``p:<phonetic>`` for each token of 3+ letters: coarser than the skeleton, it also
  merges г/h/g (Russian Georgiev, Ukrainian Heorhiiev), vowels after the first letter,
  and the voiced/voiceless pairs, so Russian and Ukrainian spellings of one surname
  meet (measured in tests/names/test_real_data.py);
- ``g:<class>`` for a person's given names and patronymics in the given-name table, so
  Oleksandr meets Aleksandr;
- ``n:<stem>`` for a person's surname stem (Ivanova meets Ivanov).

Legal forms never make keys; generic organisation words do, and the index's token
frequency (or `is_generic`) should make them cheap. Keys are not scores.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reckon.names.given_names import given_name_class, patronymic_class
from reckon.names.orgs import org_name
from reckon.names.parts import GIVEN, PATRONYMIC, SURNAME, parse_person_name, surname_stem
from reckon.names.translit import latinize, skeleton

PERSON_SCHEMATA = frozenset({"Person"})
ORG_SCHEMATA = frozenset({"Organization", "Company", "LegalEntity", "PublicBody"})

# Skeleton letters to phonetic classes: g/h/k/x merge (г is h in Ukrainian, g in
# Russian), voiced with voiceless, z-class with s.
_PHONETIC = str.maketrans({"g": "H", "k": "H", "b": "p", "d": "t", "v": "f", "Z": "s", "z": "s", "C": "s"})
_VOWELS = re.compile(r"[aeiouy]")
_RUNS = re.compile(r"(.)\1+")


@lru_cache(maxsize=1 << 17)
def phonetic(token: str) -> str:
    """A coarse consonant key of one token: first letter's class, then consonants."""
    key = skeleton(token)
    if not key:
        return ""
    key = key.translate(_PHONETIC)
    return _RUNS.sub(r"\1", key[0] + _VOWELS.sub("", key[1:]))


def token_keys(token: str) -> set[str]:
    """The s: and p: keys of one token."""
    key = skeleton(token)
    if not key:
        # Numbers (Vessel "Nord Stream 2", "АЯС 2000") are kept as they are.
        return {"t:" + token} if token.isalnum() else set()
    keys = {"s:" + key}
    if len(key) >= 3:
        keys.add("p:" + phonetic(token))
    return keys


def name_keys(text: str, schema: str = "LegalEntity") -> set[str]:
    """Blocking keys of one name of an entity of FtM `schema` (see module docstring)."""
    keys: set[str] = set()
    if schema in PERSON_SCHEMATA:
        person = parse_person_name(text)
        for part in person.parts:
            if not part.key or len(part.key) == 1:
                continue  # initials and particles block on nothing
            keys.add("s:" + part.key)
            if len(part.key) >= 3:
                keys.add("p:" + phonetic(part.key))
            if part.role == GIVEN:
                cls = given_name_class(part.text)
                if cls:
                    keys.add("g:" + cls)
            elif part.role == PATRONYMIC:
                cls = patronymic_class(part.text)
                if cls:
                    keys.add("g:" + cls)
            elif part.role == SURNAME:
                keys.add("n:" + surname_stem(part.key))
        return keys
    if schema in ORG_SCHEMATA:
        tokens: tuple[str, ...] = org_name(text).tokens
    else:
        # Vessels, aircraft and anything else: plain tokens, no legal forms to strip.
        tokens = tuple(latinize(text).split())
    for token in tokens:
        keys |= token_keys(token)
    return keys
