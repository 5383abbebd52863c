"""Every parser, fed mutated real list files, raises nothing but its own SourceError.

Each format starts from a small real excerpt: a small real file, or a real file cut by
this test at a record boundary (the first records of the UN list, the first rows of the
DFAT and OFSI sheets with their shared strings, ...). Hypothesis then flips, deletes,
inserts, duplicates and truncates bytes, in the file or in one member of a zip-based
file, and the parser is called through `registry.parse_file` as `reckon ingest` calls
it. A hang is caught by an alarm. Examples per format: RECKON_FUZZ_EXAMPLES (default 100).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import signal
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reckon.sources.common import SourceError
from reckon.sources.registry import parse_file
from reckon.sources.spreadsheet import read_xlsx
from tests.conftest import LISTS, SHARED_DATA

EXAMPLES = int(os.environ.get("RECKON_FUZZ_EXAMPLES", "100"))
HANG_SECONDS = 20


@dataclass(frozen=True)
class Sample:
    """A real excerpt: the files to write (name -> bytes), which of them hypothesis may
    mutate (a zip member is 'file.xlsx/member'), and what to hand the parser."""

    files: dict[str, bytes]
    parse: str  # the name passed to parse_file ('.' for the folder)
    fmt: str
    source: str


def _real(rel: str) -> bytes:
    path = LISTS / rel
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    data = path.read_bytes()
    return gzip.decompress(data) if rel.endswith(".gz") else data


def _keep_first(xml: bytes, close: bytes, n: int) -> bytes:
    """The document with only its first n records closed by `close` (the rest cut out)."""
    ends = [m.end() for m in re.finditer(re.escape(close), xml)]
    if len(ends) <= n:
        return xml
    return xml[: ends[n - 1]] + xml[ends[-1] :]


def _keep_csv_records(text: bytes, n: int) -> bytes:
    """The header and the first n records, cut where the (n+1)th record ends, as written."""
    lines = text.splitlines(keepends=True)
    used = 0

    def feed() -> Iterator[str]:
        nonlocal used
        for line in lines:
            used += 1
            yield line.decode("utf-8")

    reader = csv.reader(feed())
    for _ in range(n + 1):
        next(reader)
    return b"".join(lines[:used])


def _cut_xlsx(raw: bytes, rows: int) -> bytes:
    """The workbook with only the first rows of its sheet, and only the shared strings they use."""
    zin = zipfile.ZipFile(io.BytesIO(raw))
    sheet = zin.read("xl/worksheets/sheet1.xml").decode("utf-8")
    start = sheet.index("<sheetData>") + len("<sheetData>")
    end = sheet.index("</sheetData>")
    kept = "".join(re.findall(r"<row\b.*?</row>", sheet[start:end], re.S)[:rows])
    strings = re.findall(r"<si>.*?</si>", zin.read("xl/sharedStrings.xml").decode("utf-8"), re.S)
    renumber: dict[str, str] = {}

    def cell(m: re.Match[str]) -> str:
        if 't="s"' not in m[1]:
            return m[0]
        old = re.search(r"<v>(\d+)</v>", m[2])
        if old is None:
            return m[0]
        new = renumber.setdefault(old[1], str(len(renumber)))
        return m[1] + m[2].replace(old[0], f"<v>{new}</v>") + m[3]

    kept = re.sub(r"(<c\b[^>/]*>)(.*?)(</c>)", cell, kept, flags=re.S)  # not the empty <c .../>
    order = sorted(renumber, key=lambda k: int(renumber[k]))
    sst = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(strings[int(k)] for k in order)
        + "</sst>"
    )
    members = {i.filename: zin.read(i) for i in zin.infolist()}
    members["xl/worksheets/sheet1.xml"] = (sheet[:start] + kept + sheet[end:]).encode("utf-8")
    members["xl/sharedStrings.xml"] = sst.encode("utf-8")
    return _zip(members)


def _cut_ods(raw: bytes, rows: int) -> bytes:
    zin = zipfile.ZipFile(io.BytesIO(raw))
    members = {i.filename: zin.read(i) for i in zin.infolist() if not i.is_dir()}
    content = members["content.xml"]
    ends = [m.end() for m in re.finditer(rb"</table:table-row>", content)]
    table_end = content.index(b"</table:table>", ends[rows - 1])
    members["content.xml"] = content[: ends[rows - 1]] + content[table_end:]
    return _zip(members)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for name, data in members.items():
            # ODF wants its mimetype first and stored; the others as real files have them.
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            zout.writestr(name, data, compress_type=method)
    return buf.getvalue()


def _ofsi_csv(xlsx: bytes) -> bytes:
    rows = read_xlsx("ConList.xlsx", xlsx, "Data")[1]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode("utf-8-sig")


def _ftm_json() -> bytes:
    from tests.sources.test_ftm import _export

    path = SHARED_DATA / "candidates" / "ua_war_sanctions.targets.simple.csv.gz"
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    return ("\n".join(json.dumps(e, ensure_ascii=False) for e in _export(text)) + "\n").encode("utf-8")


SAMPLES: dict[str, Callable[[], Sample]] = {
    "ofac-legacy-csv": lambda: Sample(
        {
            n: _real(f"ofac_sdn/fixture_watchman_ofactest/{n}")
            for n in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv")
        },
        ".",
        "ofac-legacy-csv",
        "us_ofac_sdn",
    ),
    "ofac-classic-xml": lambda: Sample(
        {
            "consolidated.xml": _keep_first(
                _real("ofac_consolidated/consolidated_classic_2026-01-08.xml"), b"</sdnEntry>", 12
            )
        },
        "consolidated.xml",
        "ofac-classic-xml",
        "us_ofac_cons",
    ),
    "ofac-enhanced-xml": lambda: Sample(
        {
            "CONS_ENHANCED.ZIP": _zip(
                {
                    "CONS_ENHANCED.XML": _keep_first(
                        zipfile.ZipFile(LISTS / "ofac_consolidated/CONS_ENHANCED_2025-01-14.ZIP").read(
                            "CONS_ENHANCED.XML"
                        ),
                        b"</entity>",
                        12,
                    )
                }
            )
        },
        "CONS_ENHANCED.ZIP",
        "ofac-enhanced-xml",
        "us_ofac_cons",
    ),
    "csl-csv": lambda: Sample(
        {"consolidated.csv": _keep_csv_records(_real("us_csl/consolidated.csv.gz"), 25)},
        "consolidated.csv",
        "csl-csv",
        "us_trade_csl",
    ),
    "eu-fsf-xml": lambda: Sample(
        {"sample_fsf.xml": _real("eu_fsf/sample_fsf_xml11_2026-08-05.xml")},
        "sample_fsf.xml",
        "eu-fsf-xml",
        "eu_fsf",
    ),
    "eu-legacy-xml": lambda: Sample(
        {"WHOLE.xml": _keep_first(_real("eu_fsf/EU_legacy_WHOLE_2016-02-11_partial.xml"), b"</ENTITY>", 12)},
        "WHOLE.xml",
        "eu-legacy-xml",
        "eu_fsf",
    ),
    "ofsi-conlist-xlsx": lambda: Sample(
        {"ConList.xlsx": _cut_xlsx(_real("uk_ofsi/ConList_2025-04-14.xlsx"), 40)},
        "ConList.xlsx",
        "ofsi-conlist",
        "gb_hmt_sanctions",
    ),
    "ofsi-conlist-csv": lambda: Sample(
        {"ConList.csv": _ofsi_csv(_cut_xlsx(_real("uk_ofsi/ConList_2025-04-14.xlsx"), 40))},
        "ConList.csv",
        "ofsi-conlist",
        "gb_hmt_sanctions",
    ),
    "fcdo-xml": lambda: Sample(
        {"UK-Sanctions-List.xml": _real("uk_fcdo/sample_uk_sanctions_list_2026-09-07.xml")},
        "UK-Sanctions-List.xml",
        "fcdo-xml",
        "gb_fcdo_sanctions",
    ),
    "fcdo-ods": lambda: Sample(
        {"FCDO.ods": _cut_ods(_real("uk_fcdo/FCDO_SL_Mon_Aug 11 2025.ods"), 40)},
        "FCDO.ods",
        "fcdo-ods",
        "gb_fcdo_sanctions",
    ),
    "un-xml": lambda: Sample(
        {
            "consolidated.xml": _keep_first(
                _keep_first(_real("un/UN_consolidated_2026-02-27.xml"), b"</INDIVIDUAL>", 8), b"</ENTITY>", 6
            )
        },
        "consolidated.xml",
        "un-xml",
        "un_sc_sanctions",
    ),
    "dfat-xlsx": lambda: Sample(
        {"dfat.xlsx": _cut_xlsx(_real("au/Australian_Sanctions_Consolidated_List_2026-02.xlsx"), 40)},
        "dfat.xlsx",
        "dfat-xlsx",
        "au_dfat_sanctions",
    ),
    "sema-xml": lambda: Sample(
        {"sema-lmes.xml": _real("ca/sample_sema_2026-06-12.xml")},
        "sema-lmes.xml",
        "sema-xml",
        "ca_dfatd_sema_sanctions",
    ),
    "ftm-json": lambda: Sample(
        {"entities.ftm.json": _ftm_json()}, "entities.ftm.json", "ftm-json", "ua_war_sanctions"
    ),
    "targets-simple-csv": lambda: Sample(
        {
            "targets.simple.csv": _keep_csv_records(
                gzip.decompress(
                    (SHARED_DATA / "candidates" / "ua_war_sanctions.targets.simple.csv.gz").read_bytes()
                ),
                25,
            )
        },
        "targets.simple.csv",
        "targets-simple-csv",
        "ua_war_sanctions",
    ),
}


@cache
def sample(name: str) -> Sample:
    return SAMPLES[name]()


def targets(s: Sample) -> list[str]:
    """What may be mutated: each file, and each member of a zip-based file."""
    out = list(s.files)
    for name, data in s.files.items():
        if data[:4] == b"PK\x03\x04":
            out += [
                f"{name}/{m}" for m in zipfile.ZipFile(io.BytesIO(data)).namelist() if not m.endswith("/")
            ]
    return out


# ------------------------------------------------------------------------- mutations

_SPECIAL = [
    b"<",
    b">",
    b"&",
    b'"',
    b",",
    b"\n",
    b"\x00",
    b"\xff\xfe",
    b"&#0;",
    b"]]>",
    b"9" * 12,
    b"-",
    b"\x1a",
]
# Values that break conversions: numbers, dates, indexes and codes a parser reads from a
# field. "field" puts one in place of a text node, CSV cell or attribute value.
_VALUES = [
    b"",
    b"0",
    b"-1",
    b"9" * 25,
    b"1e309",
    b"nan",
    b"2024-13-45",
    b"31/02/2020",
    b"0000-00-00",
    b"29.02.2023",
    b"12/31/99999",
    b"Jan 0 2020",
    b"between 1960 and",
    b"circa",
    b"x" * 5000,
    b"\xe2\x80\xae",
    b"&#x110000;",
    b"&unknown;",
    b"_xD800_",
    b"ZZ",
    b";;;",
    b" ",
]
_FIELD = re.compile(rb'(?<=[>,\t;])[^<>,"\r\n;]{1,120}(?=[<,\t;\r\n])|(?<==")[^"<]{0,120}(?=")')

mutation = st.tuples(
    st.sampled_from(["flip", "delete", "insert", "special", "truncate", "duplicate", "field", "field"]),
    st.integers(min_value=0, max_value=2**31),
    st.integers(min_value=0, max_value=2**31),
    st.binary(min_size=1, max_size=8),
    st.sampled_from(_SPECIAL),
)


def mutate(data: bytes, ops: list[tuple[str, int, int, bytes, bytes]]) -> bytes:
    buf = bytearray(data)
    for kind, a, b, blob, special in ops:
        pos = a % (len(buf) + 1)
        span = b % 256 + 1
        if kind == "flip" and buf:
            buf[pos % len(buf)] ^= 1 << (b % 8)
        elif kind == "delete":
            del buf[pos : pos + span]
        elif kind == "insert":
            buf[pos:pos] = blob
        elif kind == "special":
            buf[pos:pos] = special
        elif kind == "truncate":
            del buf[pos:]
        elif kind == "duplicate":
            buf[pos:pos] = buf[b % (len(buf) + 1) :][:span]
        elif kind == "field":
            fields = list(_FIELD.finditer(buf))
            if fields:
                m = fields[a % len(fields)]
                buf[m.start() : m.end()] = _VALUES[b % len(_VALUES)]
    return bytes(buf)


def mutated_files(s: Sample, target: str, ops: list[tuple[str, int, int, bytes, bytes]]) -> dict[str, bytes]:
    files = dict(s.files)
    if target in files:
        files[target] = mutate(files[target], ops)
        return files
    outer, member = target.split("/", 1)
    zin = zipfile.ZipFile(io.BytesIO(files[outer]))
    members = {i.filename: zin.read(i) for i in zin.infolist() if not i.is_dir()}
    members[member] = mutate(members[member], ops)
    files[outer] = _zip(members)
    return files


class Hang(Exception):
    pass


@contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    def expired(signum: int, frame: object) -> None:
        raise Hang(f"parser still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def run_parser(s: Sample, files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory(prefix="reckon-fuzz-") as tmp:
        folder = Path(tmp)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        path = folder if s.parse == "." else folder / s.parse
        with _alarm(HANG_SECONDS), suppress(SourceError):
            parse_file(path, s.fmt, s.source)


# ------------------------------------------------------------------------------ tests


@pytest.mark.integration
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_excerpt_parses(name: str) -> None:
    s = sample(name)
    with tempfile.TemporaryDirectory(prefix="reckon-fuzz-") as tmp:
        for fname, data in s.files.items():
            (Path(tmp) / fname).write_bytes(data)
        path = Path(tmp) if s.parse == "." else Path(tmp) / s.parse
        version = parse_file(path, s.fmt, s.source)
    assert version.records, name


@pytest.mark.integration
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_mutated_excerpt_raises_only_source_error(name: str) -> None:
    s = sample(name)
    choices = targets(s)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(target=st.sampled_from(choices), ops=st.lists(mutation, min_size=1, max_size=4))
    def check(target: str, ops: list[tuple[str, int, int, bytes, bytes]]) -> None:
        run_parser(s, mutated_files(s, target, ops))

    check()


# --------------------------------------------------------------- what the fuzzer found


def test_targets_simple_cell_spanning_lines(tmp_path: Path) -> None:
    # A quoted multi-valued cell holding a line break made the inner ';' reader raise
    # csv.Error ("new-line character seen in unquoted field"), not a SourceError.
    s = sample("targets-simple-csv")
    original = s.files["targets.simple.csv"]
    lines = original.split(b"\n")
    i = next(n for n, line in enumerate(lines[1:], 1) if re.search(rb'"[^";]+;[^"]+"', line))
    lines[i] = re.sub(rb'("[^";]+;)([^"]+")', rb"\1\r\n\2", lines[i], count=1)
    (tmp_path / "a.csv").write_bytes(original)
    (tmp_path / "b.csv").write_bytes(b"\n".join(lines))
    before = parse_file(tmp_path / "a.csv", s.fmt, s.source)
    after = parse_file(tmp_path / "b.csv", s.fmt, s.source)
    assert after.records == before.records
