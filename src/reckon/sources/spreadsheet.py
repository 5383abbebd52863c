"""Reading .xlsx and .ods sheets with zipfile and lxml alone.

Lists published as spreadsheets (OFSI, FCDO, DFAT) need only cell values, so a full
spreadsheet library would be a heavy dependency for little. This reader is strict
where the publishers are: every member is size-bounded before it is inflated, XML
that declares a DOCTYPE is refused (no entity expansion), and an error names the
sheet, row and cell it was found in.

Rows come back as lists indexed so that `rows[i]` is sheet row `i + 1`; each row is
trimmed after its last non-empty cell, and trailing empty rows are dropped.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from lxml import etree

from reckon.sources.common import Inflation, SourceError
from reckon.sources.sheetdata import (
    MAX_COLUMNS,
    MAX_ROWS,
    CellValue,
    attr_int,
    column_index,
    column_name,
    fast_sheet_rows,
    ooxml_unescape,
)

__all__ = ["MAX_COLUMNS", "MAX_ROWS", "CellValue", "header_map", "read_ods", "read_xlsx"]

# Repeated non-empty ODS rows are copied out; this caps what a tiny file can demand.
MAX_CELLS = 20_000_000
# All members of one spreadsheet, inflated. Reading a sheet costs ~8-12 times its XML in
# memory (the OFSI ConList's 12.9 MB sheet peaks at 210 MB RSS; its rows repeated into a
# 64 MB sheet at 530 MB more), so the 1 GiB allowed for other inputs would be ~10 GB here.
# The largest real package, OFSI's ConList 2025-04, inflates to 17.0 MB (13.9 MB two years
# before); 128 MiB leaves it room to grow 7 times and bounds a sheet near 1.5 GB of memory.
MAX_SHEET_BYTES = 128 << 20

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"

# Built-in Excel number formats that display dates (ECMA-376 18.8.30).
_BUILTIN_DATE_FORMATS = frozenset([*range(14, 23), 45, 46, 47])
# Quoted literals, bracketed colours/locales and escaped characters are not date codes.
_FORMAT_NOISE = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_DATE_CODES = re.compile(r"[dmy]", re.I)
_EPOCH_1900 = datetime(1899, 12, 30)
_EPOCH_1904 = datetime(1904, 1, 1)


# ------------------------------------------------------------------------------ zip


class _Package:
    """A zip archive whose members are read whole, bounded as they inflate."""

    def __init__(self, path: str | Path, raw: bytes, kind: str) -> None:
        self.path = path
        self.kind = kind
        if not raw.strip():
            raise SourceError(path, None, "file is empty")
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(raw))
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise SourceError(path, "zip", f"not a valid {kind} file (bad zip archive: {exc})") from exc
        self.members = {i.filename.lower(): i for i in self.zf.infolist() if not i.is_dir()}
        # One budget for every member read: a package of many modest members, or of
        # entries that overlap on one compressed run, is bounded in all.
        self.inflation = Inflation(path, len(raw), limit=MAX_SHEET_BYTES)

    def has(self, name: str) -> bool:
        return name.lower() in self.members

    def read(self, name: str) -> bytes:
        info = self.members.get(name.lower())
        if info is None:
            raise SourceError(self.path, "zip", f"not a valid {self.kind} file: member {name} is missing")
        return self.inflation.read_member(self.zf, info)

    def xml(self, name: str) -> etree._Element:
        data = self.read(name)
        _refuse_doctype(self.path, name, data)
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
        )
        try:
            return etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            line, col = exc.position if exc.position else (0, 0)
            raise SourceError(
                self.path, f"{name}, line {line}, column {col}", f"malformed XML: {exc.msg}"
            ) from exc


def _refuse_doctype(path: str | Path, member: str, data: bytes) -> None:
    # Spreadsheet parts never carry a DOCTYPE; one that does may hide an entity bomb.
    # (lxml is also told not to expand entities; this refuses such files outright.)
    pos = data.find(b"<!DOCTYPE")
    if pos >= 0:
        line = data.count(b"\n", 0, pos) + 1
        raise SourceError(path, f"{member}, line {line}", "XML declares a DOCTYPE; refusing")


# ----------------------------------------------------------------------------- xlsx


def read_xlsx(
    path: str | Path, raw: bytes, sheet_name: str | None = None
) -> tuple[list[str], list[list[CellValue]]]:
    """All sheet names, and the rows of `sheet_name` (default: the first sheet)."""
    pkg = _Package(path, raw, "xlsx")
    book_path = _office_document(pkg)
    book = pkg.xml(book_path)
    rels = _relationships(pkg, book_path)
    sheets: list[tuple[str, str]] = []
    for sheet in book.iter(f"{_MAIN}sheet"):
        name = sheet.get("name") or ""
        target = rels.get(sheet.get(f"{_REL_NS}id") or "", ("", ""))[1]
        sheets.append((name, target))
    names = [n for n, _ in sheets]
    if not sheets:
        raise SourceError(path, book_path, "workbook has no sheets")
    if sheet_name is None:
        wanted = sheets[0]
    else:
        found = [s for s in sheets if s[0] == sheet_name]
        if not found:
            raise SourceError(path, f"sheet '{sheet_name}'", f"no such sheet; the workbook has {names}")
        wanted = found[0]
    if not wanted[1] or not pkg.has(wanted[1]):
        raise SourceError(path, f"sheet '{wanted[0]}'", "the sheet's part is missing from the archive")

    pr = book.find(f"{_MAIN}workbookPr")
    date1904 = pr is not None and (pr.get("date1904") or "").lower() in ("1", "true")
    by_type = {kind: target for kind, target in rels.values()}
    strings = _shared_strings(pkg, by_type.get("sharedStrings"))
    date_styles = _date_styles(pkg, by_type.get("styles"))
    rows = _sheet_rows(pkg, wanted, strings, date_styles, _EPOCH_1904 if date1904 else _EPOCH_1900)
    return names, rows


def _office_document(pkg: _Package) -> str:
    if pkg.has("_rels/.rels"):
        for rel in pkg.xml("_rels/.rels").iter(f"{_PKG_REL}Relationship"):
            if (rel.get("Type") or "").endswith("/officeDocument"):
                return (rel.get("Target") or "").lstrip("/")
    if pkg.has("xl/workbook.xml"):
        return "xl/workbook.xml"
    raise SourceError(pkg.path, "zip", "not a valid xlsx file: no workbook part")


def _relationships(pkg: _Package, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type suffix, archive path) of one part."""
    folder, name = posixpath.split(part)
    rels_path = posixpath.join(folder, "_rels", name + ".rels")
    out: dict[str, tuple[str, str]] = {}
    if not pkg.has(rels_path):
        return out
    for rel in pkg.xml(rels_path).iter(f"{_PKG_REL}Relationship"):
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External":
            continue
        full = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        out[rel.get("Id") or ""] = ((rel.get("Type") or "").rsplit("/", 1)[-1], full)
    return out


def _shared_strings(pkg: _Package, part: str | None) -> list[str]:
    if not part or not pkg.has(part):
        return []
    out: list[str] = []
    t_tag, rph_tag = f"{_MAIN}t", f"{_MAIN}rPh"
    for si in pkg.xml(part).iterchildren(f"{_MAIN}si"):
        first = si[0] if len(si) == 1 else None
        if first is not None and first.tag == t_tag:
            text = first.text or ""
        else:
            # Rich text runs hold the text in r/t; phonetic hints (rPh) are not part of it.
            text = "".join(t.text or "" for t in si.iter(t_tag) if _parent_tag(t) != rph_tag)
        out.append(ooxml_unescape(text))
    return out


def _parent_tag(el: etree._Element) -> object:
    parent = el.getparent()
    return parent.tag if parent is not None else None


def _date_styles(pkg: _Package, part: str | None) -> frozenset[int]:
    """Indexes into cellXfs whose number format shows a date."""
    if not part or not pkg.has(part):
        return frozenset()
    root = pkg.xml(part)
    custom: set[int] = set()
    for fmt in root.iter(f"{_MAIN}numFmt"):
        code = _FORMAT_NOISE.sub("", fmt.get("formatCode") or "")
        if _DATE_CODES.search(code):
            custom.add(attr_int(fmt.get("numFmtId")))
    xfs = root.find(f"{_MAIN}cellXfs")
    if xfs is None:
        return frozenset()
    out: set[int] = set()
    for i, xf in enumerate(xfs.iterchildren(f"{_MAIN}xf")):
        fid = attr_int(xf.get("numFmtId"))
        if fid in _BUILTIN_DATE_FORMATS or fid in custom:
            out.add(i)
    return frozenset(out)


def _sheet_rows(
    pkg: _Package,
    sheet: tuple[str, str],
    strings: Sequence[str],
    date_styles: frozenset[int],
    epoch: datetime,
) -> list[list[CellValue]]:
    name, part = sheet
    data = pkg.read(part)
    _refuse_doctype(pkg.path, part, data)
    fast = fast_sheet_rows(pkg.path, name, data, strings, date_styles, epoch)
    if fast is not None:
        return fast
    row_tag, c_tag, v_tag, is_tag, t_tag = (f"{_MAIN}{t}" for t in ("row", "c", "v", "is", "t"))
    rows: list[list[CellValue]] = []
    context = etree.iterparse(
        io.BytesIO(data),
        events=("end",),
        tag=row_tag,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )
    row_no = 0
    try:
        for _, row in context:
            r = row.get("r")
            if r and not (r.isascii() and r.isdigit()):
                raise SourceError(pkg.path, f"sheet '{name}', after row {row_no}", f"row number {r!r}")
            row_no = int(r) if r else row_no + 1
            if not 1 <= row_no <= MAX_ROWS:
                raise SourceError(pkg.path, f"sheet '{name}', row {row_no}", "row number out of range")
            cells: list[CellValue] = []
            col = -1
            for c in row.iterchildren(c_tag):
                ref = c.get("r")
                where_col = col + 1
                try:
                    if ref:
                        where_col = column_index(ref.rstrip("0123456789"))
                    col = where_col
                    if col >= MAX_COLUMNS:
                        raise ValueError("column beyond the sheet's last column")
                    value = _xlsx_value(c, strings, date_styles, epoch, v_tag, is_tag, t_tag)
                except (ValueError, IndexError, OverflowError, TypeError) as exc:
                    cell = ref or f"{column_name(where_col)}{row_no}"
                    raise SourceError(
                        pkg.path, f"sheet '{name}', row {row_no}, cell {cell}", str(exc)
                    ) from exc
                if value is None:
                    continue
                if col >= len(cells):
                    cells.extend([None] * (col - len(cells) + 1))
                cells[col] = value
            row.clear(keep_tail=False)
            while row.getprevious() is not None:
                del row.getparent()[0]
            if not cells:
                continue
            if row_no > len(rows):
                rows.extend([] for _ in range(row_no - len(rows)))
            rows[row_no - 1] = cells
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (0, 0)
        raise SourceError(
            pkg.path, f"sheet '{name}', {part} line {line}, column {column}", f"malformed XML: {exc.msg}"
        ) from exc
    return rows


def _xlsx_value(
    c: etree._Element,
    strings: Sequence[str],
    date_styles: frozenset[int],
    epoch: datetime,
    v_tag: str,
    is_tag: str,
    t_tag: str,
) -> CellValue:
    kind = c.get("t") or "n"
    text: str | None = None
    for child in c:
        if child.tag == v_tag:
            text = child.text
        elif child.tag == is_tag:
            return ooxml_unescape("".join(t.text or "" for t in child.iter(t_tag)))
    if text is None:
        return None
    if kind == "s":
        index = int(text)
        if not 0 <= index < len(strings):
            raise IndexError(f"shared string {index} does not exist")
        return strings[index]
    if kind in ("str", "e", "inlineStr"):
        return text
    if kind == "b":
        return text.strip() in ("1", "true")
    if kind == "d":
        return datetime.fromisoformat(text.strip().rstrip("Z"))
    stripped = text.strip()
    number: int | float = int(stripped) if stripped.lstrip("-").isdigit() else float(stripped)
    if date_styles and attr_int(c.get("s")) in date_styles:
        return epoch + timedelta(days=float(number))
    return number


# ------------------------------------------------------------------------------ ods


def read_ods(
    path: str | Path, raw: bytes, sheet_name: str | None = None
) -> tuple[list[str], list[list[CellValue]]]:
    """All sheet names, and the rows of `sheet_name` (default: the first sheet)."""
    pkg = _Package(path, raw, "ods")
    if pkg.has("mimetype"):
        mime = pkg.read("mimetype").strip()
        if mime and mime != b"application/vnd.oasis.opendocument.spreadsheet":
            raise SourceError(path, "mimetype", f"not an ODS spreadsheet ({mime[:80]!r})")
    root = pkg.xml("content.xml")
    tables = list(root.iter(f"{_TABLE}table"))
    names = [t.get(f"{_TABLE}name") or "" for t in tables]
    if not tables:
        raise SourceError(path, "content.xml", "the document has no sheets")
    if sheet_name is None:
        table = tables[0]
    elif sheet_name in names:
        table = tables[names.index(sheet_name)]
    else:
        raise SourceError(path, f"sheet '{sheet_name}'", f"no such sheet; the document has {names}")
    return names, _ods_rows(path, table, table.get(f"{_TABLE}name") or "")


def _table_rows(table: etree._Element) -> Iterator[etree._Element]:
    """Rows in order, including those inside header-rows and row-groups, not nested tables."""
    row_tag = f"{_TABLE}table-row"
    containers = {f"{_TABLE}{t}" for t in ("table-header-rows", "table-row-group", "table-rows")}
    for child in table:
        if child.tag == row_tag:
            yield child
        elif child.tag in containers:
            yield from _table_rows(child)


def _ods_rows(path: str | Path, table: etree._Element, name: str) -> list[list[CellValue]]:
    rows: list[list[CellValue]] = []
    total_cells = 0
    rows_repeated = f"{_TABLE}number-rows-repeated"
    row_no = 0  # rows seen so far, including empty ones not yet materialised
    for row in _table_rows(table):
        try:
            repeat = int(row.get(rows_repeated) or 1)
        except ValueError as exc:
            raise SourceError(path, f"sheet '{name}', row {row_no + 1}", "bad number-rows-repeated") from exc
        cells = _ods_cells(path, row, name, row_no + 1)
        if cells:
            # Only rows with content are materialised: a template's trailing block of a
            # million repeated empty rows costs nothing.
            total_cells += len(cells) * repeat
            if row_no + repeat > MAX_ROWS or total_cells > MAX_CELLS:
                raise SourceError(
                    path, f"sheet '{name}', row {row_no + 1}", "more cells than a sheet can hold"
                )
            rows.extend([] for _ in range(row_no - len(rows)))
            rows.extend(list(cells) for _ in range(max(repeat, 1)))
        row_no += max(repeat, 1)
    return rows


def _ods_cells(path: str | Path, row: etree._Element, name: str, row_no: int) -> list[CellValue]:
    cell_tags = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
    cols_repeated = f"{_TABLE}number-columns-repeated"
    cells: list[CellValue] = []
    col = 0  # columns seen so far
    for cell in row:
        if cell.tag not in cell_tags:
            continue
        ref = f"{column_name(min(col, MAX_COLUMNS - 1))}{row_no}"
        try:
            repeat = max(int(cell.get(cols_repeated) or 1), 1)
            value = _ods_value(cell)
        except (ValueError, OverflowError, TypeError) as exc:
            raise SourceError(path, f"sheet '{name}', row {row_no}, cell {ref}", str(exc)) from exc
        if value is not None:
            if col + repeat > MAX_COLUMNS:
                raise SourceError(
                    path, f"sheet '{name}', row {row_no}, cell {ref}", "more columns than a sheet holds"
                )
            cells.extend([None] * (col - len(cells)))
            cells.extend([value] * repeat)
        col += repeat
    return cells


def _ods_value(cell: etree._Element) -> CellValue:
    kind = cell.get(f"{_OFFICE}value-type")
    if kind in ("float", "percentage", "currency"):
        text = (cell.get(f"{_OFFICE}value") or "").strip()
        if text:
            return int(text) if text.lstrip("-").isdigit() else float(text)
    elif kind == "date":
        text = (cell.get(f"{_OFFICE}date-value") or "").strip()
        if text:
            return datetime.fromisoformat(text.rstrip("Z"))
    elif kind == "boolean":
        text = (cell.get(f"{_OFFICE}boolean-value") or "").strip().lower()
        if text:
            return text == "true"
    elif kind == "time":
        text = (cell.get(f"{_OFFICE}time-value") or "").strip()
        if text:
            return text
    paragraphs = [_ods_text(p) for p in cell if p.tag in (f"{_TEXT}p", f"{_TEXT}h")]
    if not paragraphs:
        return (cell.get(f"{_OFFICE}string-value") or None) if kind == "string" else None
    text = "\n".join(paragraphs)
    return text if text.strip() else None


def _ods_text(node: etree._Element) -> str:
    parts: list[str] = [node.text or ""]
    for child in node:
        tag = child.tag
        if tag == f"{_TEXT}s":
            # Bounded: a hostile count must not allocate gigabytes of spaces.
            parts.append(" " * min(max(int(child.get(f"{_TEXT}c") or 1), 1), 1024))
        elif tag == f"{_TEXT}tab":
            parts.append("\t")
        elif tag == f"{_TEXT}line-break":
            parts.append("\n")
        elif tag in (f"{_OFFICE}annotation", f"{_TEXT}note"):
            pass
        elif isinstance(tag, str):
            parts.append(_ods_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


# -------------------------------------------------------------------------- headers


def header_map(
    path: str | Path, header: Sequence[CellValue], required: Sequence[str], where: str
) -> dict[str, int]:
    """Column name → index for a header row, naming every required column that is missing."""
    index: dict[str, int] = {}
    for i, value in enumerate(header):
        if isinstance(value, str):
            key = " ".join(value.split())
            index.setdefault(key, i)
    missing = [c for c in required if c not in index]
    if missing:
        raise SourceError(path, where, f"missing columns: {', '.join(repr(m) for m in missing)}")
    return index
