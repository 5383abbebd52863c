"""The form of a text the gazetteer is scanned over, with the way back to the text.

Lower case, ё as е, every quotation mark as ", every dash as -, runs of white space as
one space: the forms the gazetteer's keys are written in. `Normalised.origin[i]` is
the position in the original text of the normalised text's i-th character, so a match
found in one is a span of the other.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass

_FOLD = str.maketrans(
    {
        "ё": "е",
        "Ё": "е",
        "«": '"',
        "»": '"',
        "„": '"',
        "“": '"',
        "”": '"',
        "‟": '"',
        "‹": '"',
        "›": '"',
        "’": "'",
        "‘": "'",
        "‚": "'",
        "ʼ": "'",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "\u00ad": " ",  # a soft hyphen is no letter of the word
    }
)
_SPACES = re.compile(r"\s{2,}|[^\S ]")


@dataclass(frozen=True, slots=True)
class Normalised:
    text: str
    origin: array  # type: ignore[type-arg]  # array('l'): normalised position → original position; one past the end too

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the normalised characters [start, end)."""
        return self.origin[start], self.origin[end - 1] + 1


def fold(text: str) -> str:
    """`text` folded as the keys are (no white space collapsing): same length or not."""
    return text.translate(_FOLD).lower()


def normalise(text: str) -> Normalised:
    folded = text.translate(_FOLD)
    lowered = folded.lower()
    if len(lowered) != len(folded):
        # A few letters lower to two characters (İ → i̇): lower them one by one and keep
        # the first character, so that positions stay one to one.
        lowered = "".join(ch.lower()[0] for ch in folded)
    pieces: list[str] = []
    origin = array("l")
    pos = 0
    for m in _SPACES.finditer(lowered):
        pieces.append(lowered[pos : m.start()])
        origin.extend(range(pos, m.start()))
        pieces.append(" ")
        origin.append(m.start())
        pos = m.end()
    pieces.append(lowered[pos:])
    origin.extend(range(pos, len(lowered)))
    origin.append(len(lowered))
    return Normalised("".join(pieces), origin)
