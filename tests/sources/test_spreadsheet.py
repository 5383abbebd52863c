"""The zipfile + lxml spreadsheet reader, over the real OFSI, DFAT and FCDO files."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from reckon.sources import spreadsheet
from reckon.sources.common import SourceError
from reckon.sources.spreadsheet import header_map, read_ods, read_xlsx
from tests.conftest import rezip, shared

OFSI = "uk_ofsi/ConList_2025-04-14.xlsx"
DFAT = "au/Australian_Sanctions_Consolidated_List_2026-02.xlsx"
FCDO_ODS = "uk_fcdo/FCDO_SL_Mon_Aug 11 2025.ods"


def test_ods_real_file_reads_every_row_and_skips_the_repeated_empty_tail() -> None:
    path = shared(FCDO_ODS)
    names, rows = read_ods(path, path.read_bytes())
    assert names == ["UK_Sanction_List"]
    # Header + 5,302 designations; the trailing block of 1,043,268 repeated empty rows
    # and the 16,376 repeated empty cells per row are not materialised.
    assert len(rows) == 5303
    assert rows[0] == [
        "Unique ID", "OFSI Group ID", "Name", "Regime Name", "Type",
        "Designation source", "Date Designated", "Sanctions Imposed",
    ]  # fmt: skip
    assert rows[1] == ["AFG0001", "12703", "HAJI KHAIRULLAH HAJI SATTAR MONEY EXCHANGE", "Afghanistan",
                       "Entity", "UN", "29-06-2012", "Asset freeze"]  # fmt: skip
    assert max(len(r) for r in rows) == 8


def test_ods_spaces_paragraphs_dates_and_repeats(tmp_path: Path) -> None:
    path = shared(FCDO_ODS)

    def edit(xml: bytes) -> bytes:
        xml = xml.replace(
            b"<text:p>AFG0001</text:p>",
            b'<text:p>AFG<text:s text:c="2"/>0001</text:p><text:p>second</text:p>',
            1,
        )
        text = b'table:style-name="ce1">\n            <text:p>29-06-2012</text:p>'
        dated = b'<table:table-cell office:value-type="date" office:date-value="2012-06-29" '
        xml = xml.replace(b'<table:table-cell office:value-type="string" ' + text, dated + text, 1)
        # The real first data row, repeated three times by the writer.
        first = xml.index(b"<table:table-row", xml.index(b"Sanctions Imposed"))
        return (
            xml[:first]
            + b'<table:table-row table:number-rows-repeated="3"'
            + xml[first + len(b"<table:table-row") :]
        )

    out = rezip(path, tmp_path / "edited.ods", {"content.xml": edit})
    _, rows = read_ods(out, out.read_bytes())
    assert rows[1][0] == "AFG  0001\nsecond"
    assert rows[1][6] == datetime(2012, 6, 29)
    assert rows[1] == rows[2] == rows[3]
    assert rows[4][0] == "AFG0002"
    assert len(rows) == 5305


@pytest.mark.integration
def test_xlsx_real_ofsi_rows() -> None:
    path = shared(OFSI)
    names, rows = read_xlsx(path, path.read_bytes(), "Data")
    assert names == ["Data"]
    assert len(rows) == 18800  # title row + header + 18,798 data rows
    assert rows[0] == ["Last Updated", "14/04/2025"]
    assert len(rows[1]) == 36 and rows[1][0] == "Name 6" and rows[1][35] == "Group ID"
    assert rows[2][:2] == ["MITHOO", "Mian"]
    assert rows[2][35] == "15672"
    assert rows[2][18] == "Cleric (“Pir”) of Bharchundi Sharif Shrine"


@pytest.mark.integration
def test_xlsx_real_dfat_types_and_ooxml_escapes() -> None:
    path = shared(DFAT)
    names, rows = read_xlsx(path, path.read_bytes())
    assert names == ["Consolidated List"]
    assert len(rows) == 10977
    first = rows[1]
    assert first[0] == 2 and isinstance(first[0], int)
    assert first[13] == datetime(2026, 2, 5)  # Control Date: a date-styled number
    assert first[15] is True and first[18] is False  # boolean cells
    abramovich = next(r for r in rows if r and r[0] == 6754)
    assert abramovich[5] == datetime(1966, 10, 24)
    # DFAT's text holds Excel's _x000D_ escape for carriage returns; it is decoded.
    texts = [v for r in rows for v in r if isinstance(v, str)]
    assert not any("_x000D_" in t for t in texts)
    assert any("\r\n" in t for t in texts)


@pytest.mark.integration
def test_xlsx_fast_path_agrees_with_lxml_path(monkeypatch: pytest.MonkeyPatch) -> None:
    path = shared(DFAT)
    raw = path.read_bytes()
    fast = read_xlsx(path, raw)
    monkeypatch.setattr(spreadsheet, "fast_sheet_rows", lambda *a: None)
    assert read_xlsx(path, raw) == fast


@pytest.mark.integration
def test_xlsx_pretty_printed_sheet_falls_back_to_lxml(tmp_path: Path) -> None:
    path = shared(DFAT)
    out = rezip(
        path,
        tmp_path / "pretty.xlsx",
        {"xl/worksheets/sheet1.xml": lambda x: x.replace(b"</c><c ", b"</c>\n  <c ")},
    )
    assert read_xlsx(out, out.read_bytes()) == read_xlsx(path, path.read_bytes())


# ---------------------------------------------------------------------- bad input


def test_truncated_xlsx(tmp_path: Path) -> None:
    raw = shared(DFAT).read_bytes()
    bad = tmp_path / "truncated.xlsx"
    bad.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(SourceError, match=r"truncated\.xlsx: zip: .*bad zip"):
        read_xlsx(bad, bad.read_bytes())


def test_missing_sheet_is_named(tmp_path: Path) -> None:
    path = shared(DFAT)
    with pytest.raises(
        SourceError, match=r"sheet 'Data': no such sheet; the workbook has \['Consolidated List'\]"
    ):
        read_xlsx(path, path.read_bytes(), "Data")


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(SourceError, match=r"empty\.xlsx: file is empty"):
        read_xlsx(empty, b"")
    with pytest.raises(SourceError, match=r"empty\.xlsx: file is empty"):
        read_ods(empty, b"")


def test_corrupt_member_data(tmp_path: Path) -> None:
    raw = bytearray(shared(DFAT).read_bytes())
    # Flip bytes inside the compressed sheet: the zip directory stays intact, the CRC fails.
    with zipfile.ZipFile(shared(DFAT)) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 1000
    raw[start : start + 64] = bytes(64)
    bad = tmp_path / "corrupt.xlsx"
    bad.write_bytes(bytes(raw))
    with pytest.raises(
        SourceError, match=r"corrupt\.xlsx: zip member xl/worksheets/sheet1\.xml: corrupt or truncated"
    ):
        read_xlsx(bad, bad.read_bytes())


@pytest.mark.integration
def test_malformed_sheet_xml_names_sheet_line_and_column(tmp_path: Path) -> None:
    path = shared(DFAT)
    out = rezip(
        path,
        tmp_path / "malformed.xlsx",
        {"xl/worksheets/sheet1.xml": lambda x: x.replace(b"</row>", b"</rox>", 1)},
    )
    with pytest.raises(
        SourceError,
        match=r"malformed\.xlsx: sheet 'Consolidated List', .*line \d+, column \d+: malformed XML",
    ):
        read_xlsx(out, out.read_bytes())


def test_entity_declaration_is_refused(tmp_path: Path) -> None:
    path = shared(DFAT)

    def bomb(xml: bytes) -> bytes:
        decl_end = xml.index(b"?>") + 2
        return xml[:decl_end] + b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>' + xml[decl_end:]

    out = rezip(path, tmp_path / "bomb.xlsx", {"xl/worksheets/sheet1.xml": bomb})
    with pytest.raises(
        SourceError, match=r"bomb\.xlsx: xl/worksheets/sheet1\.xml, line 1: XML declares a DOCTYPE"
    ):
        read_xlsx(out, out.read_bytes())


@pytest.mark.integration
def test_bad_shared_string_index_names_the_cell(tmp_path: Path) -> None:
    path = shared(DFAT)
    out = rezip(
        path,
        tmp_path / "badindex.xlsx",
        {
            "xl/worksheets/sheet1.xml": lambda x: re.sub(
                rb'(<c r="B1" [^>]*t="s"><v>)1(</v>)', rb"\g<1>99999999\g<2>", x, count=1
            )
        },
    )
    with pytest.raises(
        SourceError, match=r"badindex\.xlsx: sheet 'Consolidated List', row 1, cell B1: shared string"
    ):
        read_xlsx(out, out.read_bytes())


def test_truncated_ods(tmp_path: Path) -> None:
    raw = shared(FCDO_ODS).read_bytes()
    bad = tmp_path / "truncated.ods"
    bad.write_bytes(raw[:-5000])
    with pytest.raises(SourceError, match=r"truncated\.ods: zip"):
        read_ods(bad, bad.read_bytes())


def test_ods_content_cut_mid_element(tmp_path: Path) -> None:
    path = shared(FCDO_ODS)
    out = rezip(path, tmp_path / "cut.ods", {"content.xml": lambda x: x[: len(x) // 3]})
    with pytest.raises(SourceError, match=r"cut\.ods: content\.xml, line \d+, column \d+: malformed XML"):
        read_ods(out, out.read_bytes())


def test_header_map_names_missing_columns() -> None:
    with pytest.raises(SourceError, match=r"f\.xlsx: row 1: missing columns: 'DOB', 'Group ID'"):
        header_map("f.xlsx", ["Name 6", "Name 1"], ["Name 6", "DOB", "Group ID"], "row 1")


@pytest.mark.parametrize("number", ["?x21", "²"])
def test_a_row_number_that_is_not_a_number_is_a_source_error(tmp_path: Path, number: str) -> None:
    """Found by the fuzz test: the real Australian list with one row's number replaced (and
    a comment before it, which sends the sheet past the fast reader to lxml's)."""
    src = shared("au/Australian_Sanctions_Consolidated_List_2026-02.xlsx")

    def edit(data: bytes) -> bytes:
        return data.replace(b'<row r="3"', f'<!-- --><row r="{number}"'.encode(), 1)

    path = rezip(src, tmp_path / "au.xlsx", {"xl/worksheets/sheet1.xml": edit})
    with pytest.raises(SourceError, match=r"after row 2.*row number"):
        read_xlsx(path, path.read_bytes(), "Consolidated List")
