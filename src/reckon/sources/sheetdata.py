"""The low level of the xlsx reader: cell references, escapes and the fast sheet path.

Kept apart from `spreadsheet` so that module stays about packages and sheets; this one
is about the bytes of one worksheet part.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from lxml import etree

from reckon.sources.common import SourceError

CellValue = str | int | float | datetime | None  # bool is an int subclass and fits

# The largest sheet Excel and LibreOffice can hold; anything beyond is a hostile file.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384


# OOXML writes characters XML cannot hold (CR, control codes) as _xHHHH_ escapes.
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def ooxml_unescape(text: str) -> str:
    if "_x" not in text:
        return text
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)


def attr_int(text: str | None) -> int:
    """An integer attribute (style or format id); -1 when it is not one."""
    try:
        return int(text or "0")
    except ValueError:
        return -1


_COLUMN_CACHE: dict[str, int] = {}


def column_index(letters: str) -> int:
    """Zero-based index of a column name (A → 0, AJ → 35)."""
    index = _COLUMN_CACHE.get(letters)
    if index is None:
        index = 0
        for ch in letters:
            if not "A" <= ch <= "Z":
                raise ValueError(f"bad cell reference column {letters!r}")
            index = index * 26 + ord(ch) - 64
        index -= 1
        if not 0 <= index < MAX_COLUMNS:
            raise ValueError(f"column {letters!r} is beyond the sheet's last column")
        _COLUMN_CACHE[letters] = index  # at most MAX_COLUMNS entries: only valid names get here
    return index


def column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


# The fast path: element-by-element traversal costs microseconds per cell, which for a
# list of 700,000 cells dominates the import. Machine-written sheets are regular, so
# one C-level regex pass reads them. It is only trusted when its tokens tile the whole
# <sheetData> exactly and the rest of the part parses as XML; anything else (pretty-
# printed, prefixed, CDATA, comments, other encodings) falls back to lxml, which also
# reports malformed XML with its position.
_ATTRS = r'(?:\s+[A-Za-z_][\w:.-]*="[^"<]*")*'
# The last alternative catches any markup the others do not know, so that nothing
# findall skips can hide an element (or a well-formedness error) from us.
_FAST_TOKEN = re.compile(
    r"\s*(?:"
    r'<c r="([A-Z]{1,3})([0-9]{1,7})"(' + _ATTRS + r")\s*"
    r"(?:/>|>"
    r"(?:<f\b" + _ATTRS + r"\s*(?:/>|>[^<]*</f>))?"
    r"(?:<v>([^<]*)</v>|<v/>)?"
    r"(?:<is>((?:[^<]|<(?!/is>))*)</is>)?"
    r"</c>)"
    r"|<row\b" + _ATTRS + r"\s*(/?)>"
    r"|(</row>)"
    r"|(<)"
    r")"
)
_ATTR = re.compile(r'([A-Za-z_][\w:.-]*)="([^"<]*)"')
_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_INLINE_T = re.compile(r"<t\b" + _ATTRS + r"\s*(?:/>|>([^<]*)</t>)")
_PHONETIC = re.compile(r"<rPh\b.*?</rPh>", re.S)


class _Decline(Exception):
    """The fast path cannot vouch for this part; use lxml."""


def _unescape(text: str) -> str:
    if "&" not in text:
        return text

    def repl(m: re.Match[str]) -> str:
        if m[1]:
            return _NAMED[m[1]]
        return chr(int(m[2])) if m[2] else chr(int(m[3], 16))

    try:
        out = _ENTITY.sub(repl, text)
    except (ValueError, OverflowError) as exc:
        raise _Decline from exc
    if out.count("&") != text.count("&amp;"):
        raise _Decline  # an entity XML does not define: let lxml name it
    return out


def fast_sheet_rows(
    path: str | Path,
    name: str,
    data: bytes,
    strings: Sequence[str],
    date_styles: frozenset[int],
    epoch: datetime,
) -> list[list[CellValue]] | None:
    head = data[:200].lstrip(b"\xef\xbb\xbf").lower()
    if head.startswith(b"<?xml") and b"encoding" in head.split(b"?>", 1)[0]:
        decl = head.split(b"?>", 1)[0]
        if b"utf-8" not in decl and b"utf8" not in decl:
            return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "<!--" in text or "<![CDATA[" in text:
        return None
    start = text.find("<sheetData>")
    end = text.rfind("</sheetData>")
    if start < 0 or end < start or text.count("<sheetData") != 1:
        return None
    body_start = start + len("<sheetData>")
    try:
        etree.fromstring(
            (text[:start] + "<sheetData/>" + text[end + len("</sheetData>") :]).encode("utf-8"),
            etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False),
        )
    except etree.XMLSyntaxError:
        return None
    try:
        return _fast_cells(path, name, text, body_start, end, strings, date_styles, epoch)
    except _Decline:
        return None


def _fast_cells(
    path: str | Path,
    name: str,
    text: str,
    start: int,
    end: int,
    strings: Sequence[str],
    date_styles: frozenset[int],
    epoch: datetime,
) -> list[list[CellValue]]:
    tokens = _FAST_TOKEN.findall(text, start, end)
    shared = {str(i): s for i, s in enumerate(strings)}
    attr_cache: dict[str, tuple[str, bool]] = {}
    rows: list[list[CellValue]] = []
    cells: list[CellValue] = []
    in_row = False
    last_row_text = ""
    row_no = 0
    for letters, row_text, attrs, v, inline, slash, closing, stray in tokens:
        if not letters:
            if stray or bool(closing) != in_row:
                raise _Decline
            if not slash:
                in_row = not closing
            continue
        if not in_row:
            raise _Decline
        if not v and not inline:
            continue
        cached = attr_cache.get(attrs)
        if cached is None:
            cached = _cell_attrs(attrs, date_styles)
            attr_cache[attrs] = cached
        kind, is_date = cached
        value: CellValue
        try:
            if row_text != last_row_text:
                row_no = int(row_text)
                if not 1 <= row_no <= MAX_ROWS:
                    raise ValueError("row number outside the sheet")
                last_row_text = row_text
                if row_no > len(rows):
                    rows.extend([] for _ in range(row_no - len(rows)))
                cells = rows[row_no - 1]
            if inline:
                value = ooxml_unescape(_unescape("".join(_INLINE_T.findall(_PHONETIC.sub("", inline)))))
            elif kind == "s":
                value = shared.get(v)
                if value is None:
                    raise IndexError(f"shared string {v} does not exist")
            elif kind == "n":
                number: int | float = int(v) if v.lstrip("-").isdigit() else float(v)
                value = epoch + timedelta(days=float(number)) if is_date else number
            elif kind == "b":
                value = v.strip() in ("1", "true")
            elif kind == "d":
                value = datetime.fromisoformat(v.strip().rstrip("Z"))
            else:
                value = _unescape(v)
            col = _COLUMN_CACHE.get(letters)
            if col is None:
                col = column_index(letters)
        except (ValueError, IndexError, OverflowError) as exc:
            raise SourceError(
                path, f"sheet '{name}', row {row_text}, cell {letters}{row_text}", str(exc)
            ) from exc
        n = len(cells)
        if col == n:
            cells.append(value)
        elif col > n:
            cells.extend([None] * (col - n))
            cells.append(value)
        else:
            cells[col] = value
    if in_row:
        raise _Decline
    return rows


def _cell_attrs(attrs: str, date_styles: frozenset[int]) -> tuple[str, bool]:
    pairs = _ATTR.findall(attrs)
    found = dict(pairs)
    if len(found) != len(pairs) or "r" in found:
        raise _Decline  # a duplicate attribute is not well-formed XML
    return found.get("t", "n"), attr_int(found.get("s")) in date_styles
