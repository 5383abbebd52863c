"""The phonetic key behind the match index's blocking (see match/prepare.token_block_keys,
which makes a prepared name's keys; two names that share none are never compared).
Keys are prefixed by kind so they can share one index:

- ``s:<skeleton>`` for each token of two or more letters or digits (romanisation-invariant,
  see translit.skeleton);
- ``p:<phonetic>`` for each token of 3+ letters: coarser than the skeleton, it also
  merges г/h/g (Russian Georgiev, Ukrainian Heorhiiev), vowels after the first letter,
  and the voiced/voiceless pairs, so Russian and Ukrainian spellings of one surname
  meet (measured in tests/names/test_real_data.py);
- ``g:<class>`` for a person's given names and patronymics in the given-name table, so
  Oleksandr meets Aleksandr; one per class where a nickname has several (Ted: ``g:eduard``,
  ``g:theodore``), so Ted meets Edward and Theodore;
- ``n:<stem>`` for a person's surname stem (Ivanova meets Ivanov).

Legal forms never make keys; generic organisation words do, and the index's token
frequency (or `is_generic`) should make them cheap. Keys are not scores.
"""

from __future__ import annotations

import re
from functools import lru_cache

from reckon.names.translit import skeleton

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
