"""A list is never lost to a mislabelled or truncated file.

A complete version removes every record it does not list, so a file read as the wrong
list, or cut short, would delist whole lists. Each case below is a real file, or a cut,
swapped or emptied copy of one; each must end in one error line, exit code 2, and the
store exactly as it was (every table).
"""

from __future__ import annotations

import csv
import gzip
import http.server
import io
import itertools
import re
import shutil
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from reckon.ingest import ingest_paths
from reckon.sources.common import SourceError
from reckon.sources.detect import identify
from reckon.sources.ofac import require_end_marker
from reckon.sources.registry import parse_file
from reckon.store import StoreError, connect
from reckon.store.importer import MAX_REMOVED_SHARE
from reckon.stored_index import index_is_current, refresh_index
from tests.conftest import BUNDLED, run_cli, shared
from tests.fingerprint import fingerprint

UN_OLD = "un/UN_consolidated_2025-11-20.xml"
UN_NEW = "un/UN_consolidated_2026-02-27.xml"
SDN = "ofac_sdn_history/sdn_2024-05-03.csv"
CSL = "us_csl/consolidated.csv.gz"
EU_SAMPLE = "eu_fsf/sample_fsf_xml11_2026-08-05.xml"
OFAC_CLASSIC = "ofac_consolidated/consolidated_classic_2026-01-08.xml"


# ------------------------------------------------------------------------------ stores


@pytest.fixture(scope="module")
def un_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The UN list of 2025-11-20 (1,000 records), with its screening index."""
    path = tmp_path_factory.mktemp("un") / "un.duckdb"
    con = connect(path)
    ingest_paths(con, [shared(UN_OLD)])
    refresh_index(con)
    con.close()
    return path


def _copy(template: Path, tmp_path: Path) -> Path:
    store = tmp_path / "store.duckdb"
    shutil.copy(template, store)
    return store


def _refused(store: Path, *args: str) -> str:
    """`reckon ARGS --db store --json` must fail: exit 2, one line, store unchanged."""
    before = fingerprint(store)
    code, _, stderr = run_cli(*args, "--db", str(store), "--json")
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert code == 2, stderr
    assert len(lines) == 1, stderr
    assert fingerprint(store) == before
    return lines[0]


def _listed(store: Path, source: str) -> int:
    con = connect(store)
    try:
        row = con.execute(
            "SELECT count(*) FROM records WHERE source = ? AND removed_version IS NULL", [source]
        ).fetchone()
        assert row is not None
        return int(row[0])
    finally:
        con.close()


# ------------------------------------------------------------------------ cut copies


def _sdn_cut(tmp_path: Path) -> Path:
    """sdn.csv of 2024-05-03 cut at a line end a fifth of the way in (no 0x1A byte)."""
    raw = shared(SDN).read_bytes()
    cut = raw.index(b"\r\n", len(raw) // 5) + 2
    path = tmp_path / "sdn_2024-05-04.csv"
    path.write_bytes(raw[:cut])
    return path


def _csl_text() -> str:
    return gzip.decompress(shared(CSL).read_bytes()).decode("utf-8")


def _un_without(tmp_path: Path, *sections: str) -> Path:
    """The UN list of 2026-02-27 with the named sections emptied."""
    raw = shared(UN_NEW).read_bytes()
    for tag in sections:
        raw, n = re.subn(rf"<{tag}>.*</{tag}>".encode(), f"<{tag}>\n  </{tag}>".encode(), raw, flags=re.S)
        assert n == 1
    path = tmp_path / "UN_consolidated_2026-02-27.xml"
    path.write_bytes(raw)
    return path


# ------------------------------------------------------------- a file of another list


def test_eu_sample_as_ofac_sdn_is_refused(un_template: Path, tmp_path: Path) -> None:
    store = _copy(un_template, tmp_path)
    line = _refused(store, "ingest", str(shared(EU_SAMPLE)), "--source", "us_ofac_sdn")
    assert "sample_fsf_xml11_2026-08-05.xml: file is eu-fsf-xml (eu_fsf), not us_ofac_sdn" in line


def test_un_file_as_ofsi_is_refused(un_template: Path, tmp_path: Path) -> None:
    store = _copy(un_template, tmp_path)
    line = _refused(store, "ingest", str(shared(UN_NEW)), "--source", "gb_hmt_sanctions")
    assert "UN_consolidated_2026-02-27.xml: file is un-xml (un_sc_sanctions), not gb_hmt_sanctions" in line


def test_format_the_source_does_not_publish_is_refused(un_template: Path, tmp_path: Path) -> None:
    store = _copy(un_template, tmp_path)
    line = _refused(
        store, "ingest", str(shared(UN_NEW)), "--source", "gb_hmt_sanctions", "--format", "un-xml"
    )
    assert "gb_hmt_sanctions is not published as un-xml (its formats: ofsi-conlist)" in line
    line = _refused(store, "ingest", str(shared(UN_NEW)), "--format", "eu-fsf-xml")
    assert "file is un-xml (un_sc_sanctions), not eu-fsf-xml" in line


def test_what_the_file_does_not_say_may_be_named(tmp_path: Path) -> None:
    # OFAC's CSV says which list it is only by its file name.
    sdn = shared(SDN)
    assert identify(sdn, None, "us_ofac_sdn") == ("ofac-legacy-csv", "us_ofac_sdn")
    with pytest.raises(SourceError, match=r"file is ofac-legacy-csv \(us_ofac_sdn\), not us_ofac_cons"):
        identify(sdn, None, "us_ofac_cons")
    unnamed = tmp_path / "list.csv"
    shutil.copy(shared("ofac_consolidated/csv_2025-12/cons_prim.csv"), unnamed)
    assert identify(unnamed) == ("ofac-legacy-csv", None)
    assert identify(unnamed, None, "us_ofac_cons") == ("ofac-legacy-csv", "us_ofac_cons")
    with pytest.raises(SourceError, match="file is ofac-legacy-csv, which us_trade_csl does not publish"):
        identify(unnamed, None, "us_trade_csl")


# ------------------------------------------------------------------ a file cut short


def test_sdn_cut_at_a_line_end_is_refused(un_template: Path, tmp_path: Path) -> None:
    store = _copy(un_template, tmp_path)
    cut = _sdn_cut(tmp_path)
    lines = cut.read_bytes().count(b"\n")
    line = _refused(store, "ingest", str(cut))
    assert f"sdn_2024-05-04.csv: line {lines}: the file ends here without OFAC's end-of-file byte" in line
    # As a sample it removes nothing, and is taken.
    con = connect(store)
    (result,) = ingest_paths(con, [cut], complete=False)
    con.close()
    assert result.records == 3753 and result.removed == []


def test_real_ofac_csv_files_end_with_the_marker() -> None:
    for folder in ("ofac_sdn/csv_2021-07_watchman_bench", "ofac_consolidated/csv_2025-12"):
        require_end_marker(shared(folder))
    for name in ("2022-02-23", "2022-02-26", "2022-03-25", "2023-02-24", "2024-05-03"):
        require_end_marker(shared(f"ofac_sdn_history/sdn_{name}.csv"))
    require_end_marker(BUNDLED / "lists/ofac_sdn/sdn_2024-05-03.csv.gz")
    # The watchman fixture is a sample of 17 rows; it is read, but not as a whole list.
    with pytest.raises(SourceError, match="line 17: the file ends here without"):
        require_end_marker(shared("ofac_sdn/fixture_watchman_ofactest"))


@pytest.mark.integration
def test_csl_cut_at_a_row_boundary_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "csl.duckdb"
    con = connect(store)
    ingest_paths(con, [shared(CSL)])
    con.close()
    text = _csl_text()
    end = text.index("\n", len(text) // 2) + 1
    assert text[:end].count('"') % 2 == 0  # a row boundary, not inside a quoted cell
    cut = tmp_path / "consolidated.csv"
    cut.write_text(text[:end], encoding="utf-8")
    line = _refused(store, "ingest", str(cut))
    assert re.search(
        r"consolidated\.csv: this us_trade_csl version of .* would remove [\d,]+ of the 14,048 listed "
        r"records \(\d+\.\d%\), more than the 20% one version may remove",
        line,
    ), line
    assert "--allow-removals" in line


def test_csl_with_only_its_header_is_refused(un_template: Path, tmp_path: Path) -> None:
    store = _copy(un_template, tmp_path)
    text = _csl_text()
    header = tmp_path / "consolidated.csv"
    header.write_text(text[: text.index("\n") + 1], encoding="utf-8")
    line = _refused(store, "ingest", str(header))
    assert "consolidated.csv: no us_trade_csl records in the file; a complete version cannot be empty" in line


def test_un_with_empty_sections_is_refused(un_template: Path, tmp_path: Path) -> None:
    store = _copy(un_template, tmp_path)
    empty = _un_without(tmp_path, "INDIVIDUALS", "ENTITIES")
    line = _refused(store, "ingest", str(empty))
    assert "UN_consolidated_2026-02-27.xml: no un_sc_sanctions records in the file" in line


def test_ofac_xml_holding_fewer_entries_than_it_declares_is_refused(tmp_path: Path) -> None:
    raw = shared(OFAC_CLASSIC).read_bytes()
    # Cut between two entries and closed again: well-formed, but Record_Count says 442.
    cut = raw.index(b"<sdnEntry>", len(raw) // 2)
    path = tmp_path / "consolidated.xml"
    path.write_bytes(raw[:cut] + b"</sdnList>\n")
    store = tmp_path / "store.duckdb"
    connect(store).close()
    line = _refused(store, "ingest", str(path))
    assert re.search(
        r"consolidated\.xml: line 5, Record_Count: Record_Count says 442 but the file holds \d+", line
    )
    con = connect(store)
    (result,) = ingest_paths(con, [path], complete=False)
    con.close()
    assert 0 < result.records < 442


@pytest.mark.parametrize(
    ("relpath", "element"),
    [
        (UN_NEW, b"<INDIVIDUAL>"),
        (EU_SAMPLE, b"<sanctionEntity "),
        ("eu_fsf/EU_legacy_WHOLE_2016-02-11_partial.xml", b"<ENTITY "),
        ("uk_fcdo/sample_uk_sanctions_list_2026-09-07.xml", b"<Designation>"),
        ("ca/sema-lmes_2020-04.xml", b"<record>"),
        (OFAC_CLASSIC, b"<sdnEntry>"),
    ],
)
def test_xml_cut_between_entries_fails_to_parse(relpath: str, element: bytes, tmp_path: Path) -> None:
    # The root is never closed in a cut file, which the XML parser refuses by itself.
    raw = shared(relpath).read_bytes()
    path = tmp_path / Path(relpath).name
    path.write_bytes(raw[: raw.index(element, len(raw) // 2)])
    fmt, source = identify(path)
    with pytest.raises(SourceError, match="malformed XML"):
        parse_file(path, fmt, source)


# ----------------------------------------------------------------- removals over limit


def test_removing_more_than_the_limit_needs_allow_removals(un_template: Path, tmp_path: Path) -> None:
    store = _copy(un_template, tmp_path)
    # The 2026 list without its entities: 273 of the 1,000 listed records would go.
    no_entities = _un_without(tmp_path, "ENTITIES")
    line = _refused(store, "ingest", str(no_entities))
    assert (
        "UN_consolidated_2026-02-27.xml: this un_sc_sanctions version of 2026-02-27 would remove 274 of the "
        "1,000 listed records (27.4%), more than the 20% one version may remove" in line
    )
    con = connect(store)
    with pytest.raises(StoreError, match="would remove 274 of the 1,000"):
        ingest_paths(con, [no_entities])
    con.close()
    code, stdout, stderr = run_cli(
        "ingest", str(no_entities), "--allow-removals", "--db", str(store), "--json"
    )
    assert code == 0, stderr
    assert '"removed": 274' in stdout
    assert _listed(store, "un_sc_sanctions") == 730


def test_the_limit_is_above_every_real_removal() -> None:
    # Measured (see MAX_REMOVED_SHARE): 1.64% for the SDN history, 3.28% for OFSI.
    assert 0.0328 * 5 < MAX_REMOVED_SHARE < 0.5


# ------------------------------------------------------------------ several files


def test_a_later_file_of_another_list_stops_the_run_before_any_import(
    un_template: Path, tmp_path: Path
) -> None:
    store = _copy(un_template, tmp_path)
    line = _refused(
        store, "ingest", str(shared(UN_NEW)), str(shared(EU_SAMPLE)), "--source", "un_sc_sanctions"
    )
    assert "sample_fsf_xml11_2026-08-05.xml: file is eu-fsf-xml (eu_fsf), not un_sc_sanctions" in line


def test_a_failure_after_an_import_names_it_and_refreshes_the_index(
    un_template: Path, tmp_path: Path
) -> None:
    store = _copy(un_template, tmp_path)
    code, _, stderr = run_cli(
        "ingest", str(shared(UN_NEW)), str(_sdn_cut(tmp_path)), "--db", str(store), "--json"
    )
    assert code == 2
    (line,) = [line for line in stderr.splitlines() if line.strip()]
    assert "sdn_2024-05-04.csv: line" in line
    assert line.endswith("imported before this failure, and kept: un_sc_sanctions 2026-02-27 (1,003 records)")
    con = connect(store)
    try:
        assert index_is_current(con)
        latest = con.execute(
            "SELECT max(version_date) FROM versions WHERE source = 'un_sc_sanctions'"
        ).fetchone()
        assert latest == ("2026-02-27",)
        assert con.execute("SELECT count(*) FROM versions WHERE source = 'us_ofac_sdn'").fetchone() == (0,)
    finally:
        con.close()


# ---------------------------------------------------------------- fetch --ingest


@pytest.fixture
def wrong_mirror(tmp_path: Path) -> Iterator[str]:
    """A mirror that serves the EU sample where the UN list should be."""
    root = tmp_path / "mirror"
    (root / "un_sc_sanctions").mkdir(parents=True)
    shutil.copy(shared(EU_SAMPLE), root / "un_sc_sanctions" / "consolidated.xml")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kw: object) -> None:
            super().__init__(*args, directory=str(root), **kw)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_fetch_ingest_refuses_another_lists_file(
    wrong_mirror: str, un_template: Path, tmp_path: Path
) -> None:
    store = _copy(un_template, tmp_path)
    dest = tmp_path / "downloads"
    line = _refused(
        store, "fetch", "un_sc_sanctions", "--mirror", wrong_mirror, "--dest", str(dest), "--ingest"
    )
    assert "consolidated.xml: file is eu-fsf-xml (eu_fsf), not un_sc_sanctions" in line
    assert _listed(store, "un_sc_sanctions") == 1000


# ----------------------------------------------------------------- the SDN history


@pytest.mark.integration
def test_every_sdn_history_version_is_whole_and_below_the_limit() -> None:
    """The 308 published versions all end with OFAC's end-of-file byte, and none removes
    more than a fifth of the share allowed (the most: 150 of 9,158 on 2021-12-30)."""
    ids: list[tuple[str, set[str]]] = []
    with tarfile.open(BUNDLED / "lists/ofac_sdn/ofac_sdn_history_2021-08_2024-05.tar.xz", "r|xz") as tar:
        for member in tar:
            fh = tar.extractfile(member) if member.isfile() else None
            if fh is None:
                continue
            raw = fh.read()
            assert raw.rstrip(b" \r\n").endswith(b"\x1a"), member.name
            rows = csv.reader(io.StringIO(raw.decode("cp1252").rstrip().rstrip("\x1a"), newline=""))
            ids.append((member.name, {row[0].strip() for row in rows if row and row[0].strip()}))
    assert len(ids) == 308
    ids.sort()
    shares = [len(a - b) / len(a) for (_, a), (_, b) in itertools.pairwise(ids)]
    assert max(shares) == pytest.approx(150 / 9158)
    assert max(shares) < MAX_REMOVED_SHARE / 5
