"""Romanisation for building queries: Russian schemes from iuliia, Ukrainian national (KMU 2010).

Only the builder uses this; reckon's own transliteration lives in src/reckon/names/.
"""

from __future__ import annotations

import re

import iuliia

from bench.eval.data import CYRL

# iuliia schema attribute -> label written into the provenance file.
RU_SCHEMES = (
    "ICAO_DOC_9303", "BGN_PCGN", "GOST_7034", "GOST_779", "GOST_779_ALT", "ALA_LC", "SCIENTIFIC",
    "ISO_9_1968", "WIKIPEDIA", "MVD_310", "MVD_310_FR", "MVD_782", "TELEGRAM", "YANDEX_MONEY",
    "UNGEGN_1987", "BS_2979",
)  # fmt: skip

UK_ONLY = set("іїєґІЇЄҐ")
NON_RU = UK_ONLY | set("ўЎәӘғҒқҚңҢөӨұҰүҮһҺ")


def _restore_case(src: str, out: str) -> str:
    if src.isupper() and len(src) > 1:
        return out.upper()
    if src[:1].isupper():
        return out[:1].upper() + out[1:]
    return out


def _by_word(text: str, fn: object) -> str:
    def one(m: re.Match[str]) -> str:
        word = m.group(0)
        return _restore_case(word, fn(word.lower()))  # type: ignore[operator]

    return re.sub(r"[\w'’ʼ]+", one, text)


def ru(text: str, scheme: str) -> str | None:
    """Russian Cyrillic under an iuliia scheme; None if the text is not Russian Cyrillic."""
    if any(c in NON_RU for c in text):
        return None
    schema = getattr(iuliia, scheme)
    out = _by_word(text.replace("ё", "е").replace("Ё", "Е"), schema.translate).replace("·", "")
    return None if CYRL.search(out) else out


# Ukrainian national romanisation (Cabinet of Ministers resolution 55 of 2010): word-initial
# forms for є ї й ю я, "зг" -> "zgh", soft sign and apostrophe dropped.
_UK = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "",
}  # fmt: skip
_UK_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def _uk_word(word: str) -> str:
    out = []
    for i, ch in enumerate(word):
        if i == 0 and ch in _UK_INITIAL:
            out.append(_UK_INITIAL[ch])
        elif ch == "г" and i > 0 and word[i - 1] == "з":
            out.append("gh")
        else:
            out.append(_UK.get(ch, ch))
    return "".join(out)


def uk(text: str) -> str | None:
    if any(c in "ыэъЫЭЪёЁ" for c in text):
        return None
    out = _by_word(text, _uk_word)
    return None if CYRL.search(out) else out
