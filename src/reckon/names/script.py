"""Which writing system a string is in (ISO 15924 codes)."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Ranges of the scripts that occur on sanctions lists. Order matters only for speed.
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, "Latn"),
    (0x1E00, 0x1EFF, "Latn"),
    (0x0400, 0x052F, "Cyrl"),
    (0x1C80, 0x1C8F, "Cyrl"),
    (0x2DE0, 0x2DFF, "Cyrl"),
    (0xA640, 0xA69F, "Cyrl"),
    (0x0600, 0x06FF, "Arab"),
    (0x0750, 0x077F, "Arab"),
    (0x08A0, 0x08FF, "Arab"),
    (0xFB50, 0xFDFF, "Arab"),
    (0xFE70, 0xFEFF, "Arab"),
    (0x0590, 0x05FF, "Hebr"),
    (0x0370, 0x03FF, "Grek"),
    (0x0530, 0x058F, "Armn"),
    (0x10A0, 0x10FF, "Geor"),
    (0x0900, 0x097F, "Deva"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x1780, 0x17FF, "Khmr"),
    (0x1000, 0x109F, "Mymr"),
    (0x0F00, 0x0FFF, "Tibt"),
    (0x1100, 0x11FF, "Hang"),
    (0xAC00, 0xD7AF, "Hang"),
    (0x3130, 0x318F, "Hang"),
    (0x3040, 0x309F, "Hira"),
    (0x30A0, 0x30FF, "Kana"),
    (0x4E00, 0x9FFF, "Hani"),
    (0x3400, 0x4DBF, "Hani"),
    (0xF900, 0xFAFF, "Hani"),
    (0x1200, 0x137F, "Ethi"),
)


def script_run_pattern(scripts: Iterable[str]) -> re.Pattern[str]:
    """A regex matching runs of letters of any of `scripts` (ISO 15924 codes)."""
    wanted = set(scripts)
    ranges = "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi, s in _RANGES if s in wanted)
    return re.compile(f"[{ranges}]+")


def char_script(ch: str) -> str | None:
    cp = ord(ch)
    if cp < 0x41:
        return None
    for lo, hi, script in _RANGES:
        if lo <= cp <= hi:
            # Latin-1 punctuation and symbols sit inside the Latin block.
            if script == "Latn" and not ch.isalpha():
                return None
            return script
    return None


def detect_script(text: str) -> str | None:
    """The script most letters of `text` are in, or None for no letters.

    Japanese kana and kanji are reported as "Jpan" when mixed.
    """
    if text.isascii():
        # Most names on Western lists: skip the per-character walk.
        return "Latn" if any(c.isalpha() for c in text) else None
    counts: dict[str, int] = {}
    for ch in text:
        script = char_script(ch)
        if script is not None:
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    if ("Hira" in counts or "Kana" in counts) and len(counts.keys() - {"Hira", "Kana", "Hani", "Latn"}) == 0:
        return "Jpan"
    return max(counts.items(), key=lambda kv: kv[1])[0]
