"""Helpers every parser shares: reading files safely, dates, countries, names, errors,
de-duplicated lists and property maps, and the registry's jurisdiction and authority.

Parsers are pure: bytes in, records out. Everything here is too.
"""

from __future__ import annotations

import bz2
import csv
import gc
import gzip
import io
import lzma
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol, TypeVar

from lxml import etree

from reckon.model import FuzzyDate, Name, Record
from reckon.names.script import detect_script
from reckon.names.tables import country_table
from reckon.sources.errors import SourceError as SourceError  # re-exported: parsers import it from here
from reckon.sources.registry import get_source

T = TypeVar("T")

# What reading one input may cost. Every real archive and compressed list in
# ../shared/data and data/ was measured (zip members read whole, per member and in all):
#   largest member: OFSI ConList 2025-04 xl/worksheets/sheet1.xml, 12.9 MB (17.0 MB for the
#   whole xlsx inflated; DFAT xlsx 9.5 MB, FCDO ODS 7.4 MB, OFAC CONS_ENHANCED.ZIP 3.4 MB);
#   highest ratio: FCDO ODS content.xml 43.3:1 (7.4 MB from 171 kB, 42.7:1 for the whole
#   file), OFAC CONS_ENHANCED.XML 16.5:1, the xlsx sheets 7.5-9.9:1; .gz lists 3.6-13.3:1
#   (OFAC classic XML the highest). Real lists stay far inside these limits; a compression
#   bomb (deflate reaches ~1000:1, xz more) meets one while it streams, not after.
MAX_INPUT_BYTES = 1 << 30
MAX_RATIO = 100
# A ratio means nothing for small outputs (a page of spaces compresses 500:1), so it is
# only enforced once a stream has produced this much.
RATIO_ALLOWANCE = 1 << 20
_CHUNK = 1 << 20


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many records.

    Parsing and importing allocate millions of small acyclic objects; on CPython 3.11
    the collector re-scanning the growing heap doubled parse and import times.
    Reference counting still frees everything.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


def _mib(n: int) -> str:
    return f"{n / (1 << 30):g} GiB" if n >= 1 << 30 else f"{n / (1 << 20):g} MiB"


class Inflation:
    """What one archive or compressed file may inflate to, checked chunk by chunk.

    Each stream may give at most `ratio` times the compressed bytes it reads, and all of
    them together at most `limit` bytes and `ratio` times the input's real size. Sizes an
    archive declares in its headers are not trusted: they are the attacker's to write.
    """

    def __init__(
        self, path: str | Path, input_size: int, *, limit: int = MAX_INPUT_BYTES, ratio: int = MAX_RATIO
    ) -> None:
        self.path = path
        self.input_size = input_size
        self.limit = limit
        self.ratio = ratio
        self.total = 0

    def add(self, n: int, where: str, stream_total: int | None = None, compressed: int | None = None) -> None:
        """Count `n` more inflated bytes; SourceError once a limit is passed."""
        self.total += n
        if self.total > self.limit:
            raise SourceError(self.path, where, f"inflates to more than {_mib(self.limit)}; refusing")
        if (
            stream_total is not None
            and compressed is not None
            and stream_total > RATIO_ALLOWANCE
            and stream_total > self.ratio * compressed
        ):
            raise SourceError(
                self.path,
                where,
                f"inflates more than {self.ratio} times its compressed size "
                f"({stream_total} bytes from {compressed}; a compression bomb?); refusing",
            )
        if self.total > RATIO_ALLOWANCE and self.total > self.ratio * self.input_size:
            raise SourceError(
                self.path,
                where,
                f"the file inflates more than {self.ratio} times its size "
                f"({self.total} bytes from {self.input_size}; a compression bomb?); refusing",
            )

    def read(self, stream: Readable, where: str, compressed: int) -> bytes:
        """All of a stream that inflates at most `compressed` bytes, bounded as it goes."""
        out = io.BytesIO()  # getvalue() hands over its buffer without a copy
        got = 0
        try:
            while chunk := stream.read(_CHUNK):
                got += len(chunk)
                self.add(len(chunk), where, got, compressed)
                out.write(chunk)
        except (OSError, EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile) as exc:
            raise SourceError(self.path, where, f"corrupt or truncated ({exc})") from exc
        return out.getvalue()

    def read_member(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        """One zip member, whole; errors name it."""
        where = f"zip member {info.filename}"
        # zipfile reads at most compress_size bytes of the member, and no archive holds
        # more than its own size: the smaller is a true bound on the member's input.
        compressed = max(min(info.compress_size, self.input_size), 1)
        try:
            fh = zf.open(info)
        except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
            raise SourceError(self.path, where, f"corrupt or truncated ({exc})") from exc
        except (RuntimeError, NotImplementedError, ValueError) as exc:  # encrypted, unknown method
            raise SourceError(self.path, where, f"cannot be read ({exc})") from exc
        with fh:
            return self.read(fh, where, compressed)


def regular_file(path: str | Path) -> int:
    """An open descriptor on `path`, refusing anything that is not a regular file.

    A FIFO would block the reader forever and a device (a link to /dev/zero or
    /dev/urandom) never ends; O_NONBLOCK keeps even the open from waiting on a FIFO.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise SourceError(path, None, exc.strerror or str(exc)) from exc
    mode = os.fstat(fd).st_mode
    if stat.S_ISREG(mode):
        return fd
    os.close(fd)
    kinds = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"))
    kind = next((k for test, k in kinds if test(mode)), "a device")
    raise SourceError(path, None, f"is {kind}, not a regular file; refusing")


def read_raw(path: str | Path) -> bytes:
    """The file's bytes as stored, at most MAX_INPUT_BYTES, read in bounded chunks."""
    fd = regular_file(path)
    with os.fdopen(fd, "rb") as fh:
        if os.fstat(fd).st_size > MAX_INPUT_BYTES:
            raise SourceError(path, None, f"larger than {_mib(MAX_INPUT_BYTES)}; refusing")
        try:
            # One byte more than the limit tells a file that grew while read apart.
            raw = fh.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            raise SourceError(path, None, exc.strerror or str(exc)) from exc
    if len(raw) > MAX_INPUT_BYTES:
        raise SourceError(path, None, f"larger than {_mib(MAX_INPUT_BYTES)}; refusing")
    return raw


def read_bytes(path: str | Path) -> bytes:
    """The file's content, transparently decompressing .gz, .xz and .bz2."""
    return decompress(read_raw(path), path)


# Magic bytes and the opener of each compression read transparently.
_COMPRESSED = ((b"\x1f\x8b", gzip.open), (b"\xfd7zXZ\x00", lzma.open), (b"BZh", bz2.open))


def decompress(raw: bytes, path: str | Path) -> bytes:
    for magic, opener in _COMPRESSED:
        if raw.startswith(magic):
            with opener(io.BytesIO(raw), "rb") as stream:
                return Inflation(path, len(raw)).read(stream, "compressed stream", len(raw))
    return raw


def read_zip_member(path: str | Path, raw: bytes, expect: Iterable[str]) -> tuple[str, bytes]:
    """The one member of a zip whose name (case-insensitive) is in `expect`."""
    wanted = {e.lower() for e in expect}
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            names = [i for i in zf.infolist() if not i.is_dir()]
            hits = [i for i in names if Path(i.filename).name.lower() in wanted]
            if not hits:
                found = ", ".join(i.filename for i in names[:5]) or "nothing"
                raise SourceError(path, "zip", f"expected one of {sorted(wanted)}, found {found}")
            info = hits[0]
            return info.filename, Inflation(path, len(raw)).read_member(zf, info)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as exc:
        if isinstance(exc, SourceError):
            raise
        raise SourceError(path, "zip", f"not a valid zip archive ({exc})") from exc


def decode_text(raw: bytes, path: str | Path, encodings: tuple[str, ...] = ("utf-8",)) -> str:
    """Decode, naming the byte offset and line of the first bad byte if none fits."""
    if not raw.strip():
        raise SourceError(path, None, "file is empty")
    error: UnicodeDecodeError | None = None
    for enc in encodings:
        try:
            text = raw.decode(enc)
            return text[1:] if text.startswith("\ufeff") else text
        except UnicodeDecodeError as exc:
            error = error or exc
    assert error is not None
    line = raw.count(b"\n", 0, error.start) + 1
    raise SourceError(
        path,
        f"line {line}, byte {error.start}",
        f"not valid {'/'.join(encodings)} text (byte 0x{raw[error.start]:02x})",
    )


_DOCTYPE_ENTITY = re.compile(rb"<!DOCTYPE[^>\[]*\[[^\]]*<!ENTITY", re.S | re.I)


def parse_xml(raw: bytes, path: str | Path) -> etree._Element:
    """Parse XML without resolving entities, DTDs or network references.

    Official lists never declare entities; a document that does is refused outright,
    which stops entity-expansion bombs before libxml2 sees them.
    """
    if not raw.strip():
        raise SourceError(path, None, "file is empty")
    head = raw[:65536]
    if _DOCTYPE_ENTITY.search(head):
        line = raw.count(b"\n", 0, head.upper().find(b"<!DOCTYPE")) + 1
        raise SourceError(
            path, f"line {line}", "XML declares entities (possible entity-expansion bomb); refusing"
        )
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    try:
        return etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (0, 0)
        msg = str(exc.msg) if exc.msg else str(exc)
        raise SourceError(path, f"line {line}, column {col}", f"malformed XML: {msg}") from exc


def local(tag: object) -> str:
    """An element's tag without its namespace."""
    t = str(tag)
    return t.rsplit("}", 1)[-1]


# ---------------------------------------------------------------------------- text

_NULLS = {"", "-0-", "-", "n/a", "na", "none", "null", "nan", "unknown"}


def clean(value: object) -> str | None:
    """Whitespace-collapsed text, or None for the many ways lists write 'nothing'."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    if text.lower() in _NULLS:
        return None
    return text


def split_multi(value: str | None, seps: str = ";") -> list[str]:
    if not value:
        return []
    parts = re.split("[" + re.escape(seps) + "]", value)
    return [p for p in (clean(x) for x in parts) if p]


def make_name(
    full: str | None = None,
    *,
    kind: str = "name",
    first: str | None = None,
    father: str | None = None,
    middle: str | None = None,
    last: str | None = None,
    lang: str | None = None,
) -> Name | None:
    """A Name with parts cleaned, the full form composed if absent and the script detected."""
    first, father, middle, last = clean(first), clean(father), clean(middle), clean(last)
    full = clean(full)
    if full is None:
        full = clean(" ".join(p for p in (first, middle, father, last) if p))
    if full is None:
        return None
    return Name(
        full=full,
        kind=kind,
        first=first,
        father=father,
        middle=middle,
        last=last,
        script=detect_script(full),
        lang=lang,
    )


# ----------------------------------------------------------------------- collections


def unique(items: Iterable[T]) -> list[T]:
    """Items without repeats in first-seen order, by equality: lists restate the same fact often."""
    out: list[T] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def unique_by_full(names: Iterable[Name]) -> list[Name]:
    """One Name per `full` spelling, the first seen (kind and parts included): not whole-Name equality."""
    seen: set[str] = set()
    out: list[Name] = []
    for n in names:
        if n.full not in seen:
            seen.add(n.full)
            out.append(n)
    return out


def add_unique(items: list[T], item: T | None) -> None:
    """Append an item unless it is None or already present, so rows can be folded in as they come."""
    if item is not None and item not in items:
        items.append(item)


def extend_unique(target: list[T], items: Iterable[T], key: Callable[[T], Hashable] | None = None) -> None:
    """Append the items not yet in target (compared by `key` when given), keeping first-seen order."""
    if key is None:
        for item in items:
            if item not in target:
                target.append(item)
        return
    seen = {key(x) for x in target}
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            target.append(item)


def add_prop(props: dict[str, list[str]], key: str, value: str | None) -> None:
    """Add a non-empty value to a multi-valued property once, as given (callers have cleaned it)."""
    if value:
        values = props.setdefault(key, [])
        if value not in values:
            values.append(value)


def add_clean_prop(props: dict[str, list[str]], key: str, value: str | None) -> None:
    """`add_prop` after `clean`: for raw cells, whose blanks and 'n/a'-style nulls are dropped."""
    add_prop(props, key, clean(value))


# -------------------------------------------------------------------------- registry


def known_source(name: str) -> bool:
    """Whether the registry knows a source name (a user's override may not be one)."""
    try:
        get_source(name)
    except KeyError:
        return False
    return True


def source_authority(source: str, default: str | None = None) -> tuple[str, str]:
    """(jurisdiction, authority) for a Designation; an unknown source takes `default`'s, else KeyError."""
    try:
        entry = get_source(source)
    except KeyError:
        if default is None:
            raise
        entry = get_source(default)
    return entry.jurisdiction, entry.authority


# ------------------------------------------------------------------------- countries


_COUNTRY_NOISE = re.compile(r"[()\[\].,]")


def country_code(text: str | None) -> str | None:
    """ISO 3166-1 alpha-2 (lowercase, as FtM) for a country name, demonym or code."""
    if not text:
        return None
    key = " ".join(text.replace(",", " ").split()).lower()
    table = country_table()
    if key in table:
        return table[key]
    stripped = " ".join(_COUNTRY_NOISE.sub(" ", key).split())
    if stripped in table:  # "Congo (Democratic Republic)"
        return table[stripped]
    # Bilingual Canadian values ("Russia / Russie") and trailing notes ("Russia (as of 2014)").
    for part in re.split(r"\s*/\s*|\s+\(", key):
        part = " ".join(_COUNTRY_NOISE.sub(" ", part).split())
        if part in table:
            return table[part]
    return None


def country_or_warn(text: str | None, warnings: list[str]) -> str | None:
    """`country_code`, noting a name it cannot map once in warnings so no value is lost silently."""
    if not text:
        return None
    code = country_code(text)
    if code is None:
        add_unique(warnings, f"unmapped country: {text!r}")
    return code


def country_codes(text: str | None, seps: str = ";,") -> list[str]:
    """All countries in a multi-valued cell; unknown names are dropped."""
    if not text:
        return []
    whole = country_code(text)
    if whole:
        return [whole]
    out: list[str] = []
    for part in split_multi(text, seps):
        code = country_code(part)
        if code and code not in out:
            out.append(code)
    return out


# ----------------------------------------------------------------------------- dates

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january", "janvier"),
            ("feb", "february", "fevrier", "février"),
            ("mar", "march", "mars"),
            ("apr", "april", "avril"),
            ("may", "mai"),
            ("jun", "june", "juin"),
            ("jul", "july", "juillet"),
            ("aug", "august", "aout", "août"),
            ("sep", "sept", "september", "septembre"),
            ("oct", "october", "octobre"),
            ("nov", "november", "novembre"),
            ("dec", "december", "decembre", "décembre"),
        ]
    )
    for m in names
}
_APPROX = re.compile(
    r"\b(circa|ca\.?|c\.|approx\.?|approximately|about|around|some time in|early|late|mid)\b", re.I
)
_RANGE = re.compile(r"^(?:between\s+|from\s+)?(.+?)\s*(?:\bto\b|\band\b|-|–|—)\s*(.+)$", re.I)
_ISO = re.compile(
    r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4}|\d{2}yy)$", re.I)
_MY = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_WORDY = re.compile(r"^(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([a-zéû]{3,9})\.?,?\s+(\d{4})$", re.I)
_MDY_WORDY = re.compile(r"^([a-zéû]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$", re.I)
_MON_YY = re.compile(r"^([a-z]{3})-(\d{2})$", re.I)
_YEAR = re.compile(r"^(\d{4})s?$")


def _ymd(year: int, month: int = 0, day: int = 0) -> str | None:
    if not 1000 <= year <= 2100:
        return None
    if not month:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if not day:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= 31:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _single_date(text: str) -> str | None:
    t = text.strip().strip(".,;")
    if m := _ISO.match(t):
        return _ymd(int(m[1]), int(m[2] or 0), int(m[3] or 0))
    if m := _DMY.match(t):
        y = m[3]
        if y.lower().endswith("yy"):  # FCDO writes an unknown year as 19yy
            return None
        year = int(y) if len(y) == 4 else (1900 + int(y) if int(y) > 30 else 2000 + int(y))
        return _ymd(year, int(m[2]), int(m[1]))
    if m := _MY.match(t):
        return _ymd(int(m[2]), int(m[1]))
    if m := _YMD_SLASH.match(t):
        return _ymd(int(m[1]), int(m[2]), int(m[3]))
    if m := _WORDY.match(t):
        month = _MONTHS.get(m[2].lower())
        if month:
            return _ymd(int(m[3]), month, int(m[1] or 0))
    if m := _MDY_WORDY.match(t):
        month = _MONTHS.get(m[1].lower())
        if month:
            return _ymd(int(m[3]), month, int(m[2]))
    if m := _MON_YY.match(t):
        month = _MONTHS.get(m[1].lower())
        if month:
            yy = int(m[2])
            return _ymd(1900 + yy if yy > 30 else 2000 + yy, month)
    if m := _YEAR.match(t):
        return _ymd(int(m[1]))
    return None


def parse_date(text: str | None) -> FuzzyDate | None:
    """One date in any of the forms lists use, keeping its precision.

    Handles ISO, dd/mm/yyyy (with 00 for unknown parts), '10 Dec 1948', 'Dec 1948',
    'Sep-99', bare years, 'circa 1948' and ranges such as '1945 to 1947'.
    """
    original = clean(text)
    if original is None:
        return None
    approximate = bool(_APPROX.search(original))
    core = _APPROX.sub(" ", original).strip()
    core = " ".join(core.split())
    value = _single_date(core)
    if value is not None:
        return FuzzyDate(value=value, approximate=approximate, original=original)
    if m := _RANGE.match(core):
        start, end = _single_date(m[1]), _single_date(m[2])
        if start and end:
            return FuzzyDate(value=start, approximate=approximate, until=end, original=original)
    return None


def parse_dates(text: str | None, seps: str = ";") -> list[FuzzyDate]:
    """Every date in a cell that may hold several ('1945, 1946, 1947', 'a or b')."""
    whole = parse_date(text)
    if whole is not None:
        return [whole]
    if not text:
        return []
    out: list[FuzzyDate] = []
    for part in re.split(r"[" + re.escape(seps) + r",]|\bor\b|\balt\.", text):
        d = parse_date(part)
        if d is not None and d not in out:
            out.append(d)
    return out


def date_from_filename(name: str) -> str | None:
    """A publication date written into a file name (2025-04-14, 20220226T014201Z)."""
    if m := re.search(r"(20\d{2}|19\d{2})-(\d{2})-(\d{2})", name):
        return _ymd(int(m[1]), int(m[2]), int(m[3]))
    if m := re.search(r"(20\d{2})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z", name):
        return f"{m[1]}-{m[2]}-{m[3]}T{m[4]}:{m[5]}:{m[6]}Z"
    if m := re.search(r"(20\d{2})-(\d{2})(?!\d)", name):
        return _ymd(int(m[1]), int(m[2]))
    return None


# --------------------------------------------------------------------------- schemata

_COMPANY_IDS = {
    "innCode",
    "ogrnCode",
    "kppCode",
    "okpoCode",
    "registrationNumber",
    "taxNumber",
    "vatCode",
    "leiCode",
    "swiftBic",
    "isinCode",
    "dunsCode",
}
_LEGAL_FORMS = re.compile(
    r"(?<![\w])(ooo|ооо|oao|оао|zao|зао|pao|пао|ao|ао|jsc|ojsc|cjsc|pjsc|llc|l\.l\.c\.|ltd|limited|inc|"
    r"corp|corporation|company|co\.|gmbh|ag|s\.a\.|sa|sarl|s\.r\.l\.|srl|bv|b\.v\.|nv|plc|llp|lp|fze|fzco|fzc|"
    r"jsc|pte|bhd|sdn|kg|oy|ab|as|a\.s\.|tov|тов|ип|gie|holding|holdings|bank|банк)(?![\w])",
    re.I,
)


def entity_schema(names: Iterable[str], identifier_schemes: Iterable[str] = ()) -> str:
    """Company when a legal form or a company register number says so, else Organization."""
    if _COMPANY_IDS.intersection(identifier_schemes):
        return "Company"
    if any(_LEGAL_FORMS.search(n) for n in names):
        return "Company"
    return "Organization"


def records_from_elements(
    path: str | Path,
    elements: Iterable[etree._Element],
    build: Callable[[etree._Element], Record | None],
    what: str,
    missing: str,
    seen: set[str] | None = None,
) -> list[Record]:
    """One record per XML element, every failure naming the element's line.

    `build` returns None for an element without an id or a name (`missing` says which);
    an id seen twice means a broken export, since these lists never reuse ids. Pass
    one `seen` set to several calls when ids must be unique across sections.
    """
    records: list[Record] = []
    seen = set() if seen is None else seen
    for el in elements:
        where = f"line {el.sourceline}"
        try:
            rec = build(el)
        except SourceError:
            raise
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            raise SourceError(path, where, f"cannot read {what}: {exc}") from exc
        if rec is None:
            raise SourceError(path, where, f"{what} {missing}")
        if rec.id in seen:
            raise SourceError(path, where, f"duplicate {what} id {rec.id}")
        seen.add(rec.id)
        records.append(rec)
    return records


def csv_table(path: str | Path, text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header (spaces collapsed) and the (row number, cells) of a CSV file.

    Blank rows are skipped; a row of the wrong width (a truncated or shifted file) and
    malformed quoting each stop the read with the row they occur in.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [" ".join(h.split()) for h in next(reader)]
    except StopIteration:
        raise SourceError(path, None, "file is empty") from None
    except csv.Error as exc:
        raise SourceError(path, "line 1", f"malformed CSV header: {exc}") from exc

    def rows() -> Iterator[tuple[int, list[str]]]:
        row_no = 1
        try:
            for row_no, row in enumerate(reader, start=2):
                if not row or all(not c.strip() for c in row):
                    continue
                if len(row) != len(header):
                    raise SourceError(
                        path,
                        f"row {row_no}",
                        f"has {len(row)} fields, header has {len(header)} (truncated or shifted?)",
                    )
                yield row_no, row
        except csv.Error as exc:
            raise SourceError(path, f"row {row_no + 1}", f"malformed CSV: {exc}") from exc

    return header, rows()


def headed_csv(
    path: str | Path, text: str, required: Iterable[str], known: Iterable[str], warnings: list[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, cells by column name) of a CSV with a header row (see `csv_table`).

    Missing required columns stop the read; known columns the file lacks are read as
    empty, with a warning.
    """
    header, rows = csv_table(path, text)
    missing = [c for c in required if c not in header]
    if missing:
        raise SourceError(path, "line 1", f"missing columns: {', '.join(missing)}")
    absent = [c for c in known if c not in header]
    if absent:
        warnings.append(f"columns absent, read as empty: {', '.join(absent)}")
    index = {name: i for i, name in enumerate(header)}
    for row_no, row in rows:
        yield row_no, {name: row[i] for name, i in index.items()}
