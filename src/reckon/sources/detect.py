"""Which format (and source) a file is, from its name and first bytes."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import re
import zipfile
import zlib
from pathlib import Path

from reckon.sources.common import SourceError, regular_file
from reckon.sources.registry import get_source, parser_for

# The first XML element of each format, without namespace.
_XML_ROOTS = {
    "CONSOLIDATED_LIST": ("un-xml", "un_sc_sanctions"),
    "sdnList": ("ofac-classic-xml", None),
    "sanctionsData": ("ofac-enhanced-xml", None),
    "export": ("eu-fsf-xml", "eu_fsf"),
    "WHOLE": ("eu-legacy-xml", "eu_fsf"),
    "Designations": ("fcdo-xml", "gb_fcdo_sanctions"),
    "data-set": ("sema-xml", "ca_dfatd_sema_sanctions"),
}
# The first columns of the ACF war-enablers CSV in each of its layouts (2022-09-29 left
# the first header empty).
_ACF_HEADERS = ("name ru,name en,", "name cyrillic,name eng,", ",name eng,dob,gender,")
_ROOT_TAG = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)[\s>/]")


def _ofac_source(name: str) -> str | None:
    """Which OFAC list a file is, by the names OFAC publishes it under; None if the name
    does not say (the parser then reads it as SDN, and either OFAC source may be given)."""
    low = name.lower()
    if "cons" in low or "consolidated" in low:
        return "us_ofac_cons"
    return "us_ofac_sdn" if "sdn" in low else None


def _xml_root(head: bytes) -> str | None:
    pos = 0
    while True:
        m = _ROOT_TAG.search(head, pos)
        if not m:
            return None
        start = m.start()
        # Skip the XML declaration, processing instructions, comments and doctype.
        if head[start + 1 : start + 2] in (b"?", b"!"):
            pos = start + 2
            continue
        return m.group(2).decode("ascii", "replace")


def detect(path: Path) -> tuple[str, str | None]:
    """(format, source) for a file or a directory holding an OFAC CSV set.

    The source is None when the format alone does not say (FtM JSON).
    """
    name = path.name
    low = name.lower()
    if path.is_dir():
        for candidate in ("sdn.csv", "cons_prim.csv", "sdn.csv.gz", "cons_prim.csv.gz"):
            if (path / candidate).exists():
                return "ofac-legacy-csv", _ofac_source(candidate)
        raise SourceError(path, None, "directory holds no sdn.csv or cons_prim.csv")
    try:
        with os.fdopen(regular_file(path), "rb") as fh:
            head = fh.read(1 << 20)
    except OSError as exc:
        raise SourceError(path, None, exc.strerror or str(exc)) from exc
    if not head.strip():
        raise SourceError(path, None, "file is empty")
    if head[:2] in (b"\x1f\x8b", b"BZ") or head[:6] == b"\xfd7zXZ\x00":
        head = _decompressed_head(path, head)
    if head[:4] == b"PK\x03\x04":
        return _detect_zip(path, low)
    stem = re.sub(r"\.(gz|xz|bz2)$", "", low)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        root = _xml_root(text[:65536])
        if root in _XML_ROOTS:
            fmt, source = _XML_ROOTS[root]
            if fmt.startswith("ofac"):
                source = _ofac_source(name)
            return fmt, source
        raise SourceError(path, "line 1", f"unknown XML format (root element {root!r})")
    if text.startswith(b"{"):
        return "ftm-json", None
    first = text.split(b"\n", 1)[0].decode("utf-8", "replace").lower()
    if stem.endswith(".csv") or stem.endswith(".tsv") or "," in first:
        if first.startswith('"_id"') or first.startswith("_id,"):
            return "csl-csv", "us_trade_csl"
        if first.startswith("id,schema,name") or first.startswith('"id","schema","name"'):
            return "targets-simple-csv", "ua_war_sanctions"
        if first.startswith(_ACF_HEADERS):
            return "mapped-csv", "acf_war_enablers"
        if first.startswith("last updated"):
            return "ofsi-conlist", "gb_hmt_sanctions"
        if re.match(r'^"?\d+"?,', first) and (stem.startswith("sdn") or stem.startswith("cons_prim")):
            return "ofac-legacy-csv", _ofac_source(name)
        if re.match(r'^"?\d+"?,', first) and first.count(",") >= 11:
            return "ofac-legacy-csv", _ofac_source(name)
    raise SourceError(path, "line 1", "cannot tell the list format; name it with --format")


def identify(path: Path, fmt: str | None = None, source: str | None = None) -> tuple[str, str | None]:
    """(format, source) to read `path` as: what the file says it is, checked against the
    format and source the caller names.

    A complete version removes every record it does not list, so a file read as another
    list's version would delist that whole list: a contradiction is refused, naming both.
    Where the file does not say its source (FtM JSON, an OFAC file under another name),
    any source publishing the format may be named.
    """
    entry = get_source(source) if source is not None else None
    if fmt is not None:
        try:
            parser_for(fmt)
        except KeyError as exc:
            raise SourceError(path, None, str(exc.args[0])) from None
        if entry is not None and fmt not in entry.parsers:
            formats = ", ".join(entry.parsers)
            raise SourceError(path, None, f"{source} is not published as {fmt} (its formats: {formats})")
    try:
        found_fmt, found_source = detect(path)
    except SourceError:
        if fmt is None:
            raise
        return fmt, source  # the format named is all there is to go on; its parser checks the file
    if fmt is not None and fmt != found_fmt:
        raise SourceError(path, None, f"file is {_described(found_fmt, found_source)}, not {fmt}")
    if source is not None:
        if found_source is not None and found_source != source:
            raise SourceError(path, None, f"file is {found_fmt} ({found_source}), not {source}")
        if entry is not None and found_fmt not in entry.parsers:
            formats = ", ".join(entry.parsers)
            raise SourceError(
                path, None, f"file is {found_fmt}, which {source} does not publish (its formats: {formats})"
            )
    return found_fmt, source or found_source


def _described(fmt: str, source: str | None) -> str:
    return f"{fmt} ({source})" if source else fmt


def _decompressed_head(path: Path, head: bytes) -> bytes:
    """The first 64 KiB a compressed file inflates to, from its first MiB.

    Only as much is inflated as is read, so a compression bomb costs nothing here (the
    parser's own read bounds it later); a stream cut by `head` still yields its start.
    """
    opener = gzip.open if head[:2] == b"\x1f\x8b" else bz2.open if head[:2] == b"BZ" else lzma.open
    try:
        with opener(io.BytesIO(head), "rb") as stream:
            return bytes(stream.read(1 << 16))
    except (OSError, EOFError, lzma.LZMAError, zlib.error) as exc:
        raise SourceError(path, "compressed stream", f"corrupt or truncated ({exc})") from exc


def _detect_zip(path: Path, low: str) -> tuple[str, str | None]:
    try:
        with zipfile.ZipFile(path) as zf:
            members = [m.lower() for m in zf.namelist()]
            workbook = b""
            if "xl/workbook.xml" in members:
                # The sheet names are near the top; inflating no further bounds a bomb.
                with zf.open("xl/workbook.xml") as fh:
                    workbook = fh.read(1 << 16)
    except (zipfile.BadZipFile, EOFError, KeyError, OSError, zlib.error, RuntimeError) as exc:
        raise SourceError(path, "zip", f"not a valid zip archive ({exc})") from exc
    if workbook:
        # Sheet names tell the two xlsx publications apart.
        if b'name="Consolidated List"' in workbook:
            return "dfat-xlsx", "au_dfat_sanctions"
        if b'name="Data"' in workbook:
            return "ofsi-conlist", "gb_hmt_sanctions"
        raise SourceError(
            path, "xl/workbook.xml", "unknown spreadsheet (no 'Data' or 'Consolidated List' sheet)"
        )
    if low.endswith(".ods") or "content.xml" in members:
        return "fcdo-ods", "gb_fcdo_sanctions"
    if any(m.endswith("_enhanced.xml") for m in members):
        source = "us_ofac_cons" if any("cons_" in m for m in members) else "us_ofac_sdn"
        return "ofac-enhanced-xml", source
    raise SourceError(path, "zip", f"unexpected members: {', '.join(members[:5])}")
