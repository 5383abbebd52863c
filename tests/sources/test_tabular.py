"""Mapped tables (sources/tabular.py) on the real ACF list of war enablers, in both layouts.

The data is not bundled (no open licence): it is read from ../shared/data/candidates and
the tests are skipped where it is absent.
"""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path

import pytest

from reckon.model import ListVersion
from reckon.sources.common import SourceError
from reckon.sources.detect import detect
from reckon.sources.tabular import parse_mapped, shipped_mapping
from tests.conftest import SHARED_DATA, run_cli, shared
from tests.fingerprint import fingerprint

ACF = "acf_war_enablers"
OLD = "acf_contributors_to_the_war_2022-06-10.csv"  # layout 1: Name cyrillic, Name eng, ..., Tag
NEW = "acf_contributors_to_the_war_2024-05-24.csv"  # layout 2: Name ru, ..., Countries, ..., Tags
HISTORY = "acf_contributors_to_the_war_history_2022-06_2024-05.tar.xz"
MAPPING = Path(__file__).resolve().parents[2] / "src" / "reckon" / "data" / "mappings" / f"{ACF}.toml"


def candidates(name: str) -> Path:
    """A real file of the ACF dataset in ../shared/data/candidates; skipped if absent."""
    path = SHARED_DATA / "candidates" / ACF / name
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    return path


@cache
def _parsed(name: str) -> ListVersion:
    return parse_mapped(candidates(name), shipped_mapping(ACF))


def parsed(name: str) -> ListVersion:
    candidates(name)  # skip before the cache would raise
    return _parsed(name)


def _warning(version: ListVersion, start: str) -> str:
    return next(str(w) for w in version.warnings if start in w)


@pytest.mark.parametrize(
    ("name", "rows", "records", "merged"),
    [(OLD, 6237, 6218, 19), (NEW, 7966, 7954, 12)],
)
def test_both_layouts_parse(name: str, rows: int, records: int, merged: int) -> None:
    v = parsed(name)
    # Every row is read: a row repeating an earlier one's name and birth date is the
    # same person listed twice, merged into one record.
    assert len(v.records) == records
    assert f"{merged} rows repeat" in _warning(v, "rows repeat")
    assert len(v.records) + merged == rows
    assert v.source == ACF and v.format == "mapped-csv"
    rec = v.records[0]
    assert rec.schema == "Person" and rec.id.startswith("acf-")
    scripts = {(n.kind, n.script, n.lang) for n in rec.names}
    assert ("name", "Cyrl", "rus") in scripts and ("alias", "Latn", "eng") in scripts
    assert all(r.properties.get("gender", ["male"])[0] in ("male", "female") for r in v.records)


def test_old_layout_values() -> None:
    v = parsed(OLD)
    rec = next(r for r in v.records if r.names[0].full == "Абакаров Хизри Магомедович")
    assert [n.full for n in rec.names] == ["Абакаров Хизри Магомедович", "Abakarov Khizri Magomedovich"]
    assert [d.value for d in rec.birth_dates] == ["1960-06-28"]
    assert rec.properties["gender"] == ["male"]
    (d,) = rec.designations
    # The two-line Tag cell: category and subcategory, both kept as categories.
    assert d.programs == ("Members of Parliament and Senate", "State Duma")
    assert d.jurisdiction == "acf" and d.authority == "Anti-Corruption Foundation (ACF/FBK)"
    assert d.reason is not None and d.reason.startswith("Member of the State Duma")


def test_birth_dates_kept_and_dropped() -> None:
    """Malformed DOBs never crash the read: each is kept at its precision or left out, counted."""
    old, new = parsed(OLD), parsed(NEW)
    assert sum(len(r.birth_dates) for r in old.records) == 4643
    assert sum(len(r.birth_dates) for r in new.records) == 6316
    assert _warning(old, "birth dates").startswith("121 birth dates")
    assert _warning(new, "birth dates").startswith("30 birth dates")
    years = [d for r in new.records for d in r.birth_dates if len(d.value) == 4]
    assert len(years) == 151  # year-only DOBs keep year precision
    by_original = {d.original: d.value for r in new.records for d in r.birth_dates}
    assert by_original["12.12 .1951"] == "1951-12-12"  # a stray space
    assert "16.12." in _warning(new, "birth dates")  # day and month, no year: out
    assert "06.09.964" in _warning(new, "birth dates")


def test_tags_are_categories_and_countries_stay_evidence() -> None:
    v = parsed(NEW)
    counts: dict[str, int] = {}
    for r in v.records:
        for p in r.designations[0].programs:
            counts[p] = counts.get(p, 0) + 1
    assert counts["Organizers of political repressions"] == 898
    assert counts["Individuals involved in corruption"] == 966
    # ACF's own record of who sanctions each person is a note, never a designation.
    noted = [r for r in v.records if "notes" in r.properties]
    assert len(noted) == 1641
    assert all(len(r.designations) == 1 and r.designations[0].jurisdiction == "acf" for r in v.records)
    sample = next(r for r in noted if "EU" in r.properties["notes"][0])
    assert sample.properties["notes"][0].startswith("Sanctioned according to ACF by: ")


def test_ids_are_stable_across_layouts() -> None:
    """The same person keeps the id from the 2022 layout to the 2024 one."""
    old_ids = {r.id for r in parsed(OLD).records}
    new_ids = {r.id for r in parsed(NEW).records}
    kept = len(old_ids & new_ids)
    assert kept == 5866  # of 6218: the rest left the list, were re-spelt or got a (new) DOB
    abramovich = [
        r.id for v in (parsed(OLD), parsed(NEW)) for r in v.records if "Abramovich Roman" in r.names[1].full
    ]
    assert len(abramovich) == 2 and abramovich[0] == abramovich[1]


def test_detect_both_layouts() -> None:
    assert detect(candidates(OLD)) == ("mapped-csv", ACF)
    assert detect(candidates(NEW)) == ("mapped-csv", ACF)


def test_mapping_errors_name_the_place(tmp_path: Path) -> None:
    text = MAPPING.read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('column = "DOB"', 'column = "Birth"'), encoding="utf-8")
    with pytest.raises(
        SourceError, match=r"line 1: no column 'Birth' for birth_date; columns found: 'Name ru'"
    ):
        parse_mapped(candidates(NEW), bad)
    bad.write_text(text.replace('column = "Gender"', 'colum = "Gender"'), encoding="utf-8")
    with pytest.raises(SourceError, match=r"table gender: unknown field 'colum'"):
        parse_mapped(candidates(NEW), bad)
    with pytest.raises(SourceError, match=r"no column 'Name ru' or 'Name cyrillic' or ''"):
        parse_mapped(shared("ofac_sdn/fixture_watchman_ofactest/sdn.csv"), MAPPING)


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        ('format = "csv"', 'format = "ods"', r"dataset.format: 'ods' is not one of csv, xlsx, jsonl"),
        ('format = "csv"', 'format = "csv"\nencoding = "klingon"', r"dataset.encoding: unknown encoding"),
        ('hash = ["name", "birth_date"]', 'hash = ["name", "dob"]', r"id.hash: unknown part 'dob'"),
        ("values = {", 'values = "male"\nx = {', r"table gender: unknown field 'x'"),
        (
            'kind = "alias"\nseparator = "\\n"\noptional = true',
            'kind = "alias"\nseparator = "\\n"\noptional = "yes"',
            r"names.3.optional: expected true or false",
        ),
        ('kind = "alias"', 'kind = "nickname"', r"names.2.kind: 'nickname' is not one of"),
    ],
)
def test_malformed_mappings(tmp_path: Path, old: str, new: str, error: str) -> None:
    from reckon.sources.tabular import load_mapping

    bad = tmp_path / "bad.toml"
    bad.write_text(MAPPING.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(SourceError, match=error):
        load_mapping(bad)


def test_json_lines(tmp_path: Path) -> None:
    """The same mapping reads the table as JSON lines (a column is a key)."""
    import csv

    with candidates(NEW).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))[:20]
    path = tmp_path / "acf.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    bad = tmp_path / "jsonl.toml"
    bad.write_text(MAPPING.read_text(encoding="utf-8").replace('format = "csv"', 'format = "jsonl"'), "utf-8")
    v = parse_mapped(path, bad)
    assert [r.id for r in v.records] == [r.id for r in parsed(NEW).records[:20]]


def _xlsx(path: Path, rows: list[list[str]]) -> Path:
    """A minimal workbook of inline strings holding `rows` (no spreadsheet library needed)."""
    import zipfile
    from xml.sax.saxutils import escape

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    cells = "".join(
        "<row>" + "".join(f'<c t="inlineStr"><is><t>{escape(v)}</t></is></c>' for v in row) + "</row>"
        for row in rows
    )
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{pkg}"><Relationship Id="r1" Type="{rel}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        '<sheet name="List" sheetId="1" r:id="r1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{pkg}"><Relationship Id="r1" '
        f'Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{cells}</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return path


def test_xlsx(tmp_path: Path) -> None:
    """The same mapping reads the rows from a workbook, through reckon's own xlsx reader."""
    import csv

    with candidates(OLD).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))[:21]
    path = _xlsx(tmp_path / "acf.xlsx", rows)
    mapping = tmp_path / "xlsx.toml"
    mapping.write_text(
        MAPPING.read_text(encoding="utf-8").replace('format = "csv"', 'format = "xlsx"'), "utf-8"
    )
    v = parse_mapped(path, mapping)
    assert [(r.id, r.names, r.designations) for r in v.records] == [
        (r.id, r.names, r.designations) for r in parsed(OLD).records[:20]
    ]


def test_mapping_source_must_be_registered_allegations(tmp_path: Path) -> None:
    """A dataset the registry does not know would count as neither sanctions nor allegations."""
    from reckon.ingest import import_mapped
    from reckon.store import connect

    con = connect(tmp_path / "s.duckdb", create=True)
    try:
        with pytest.raises(SourceError, match=r"dataset.source: 'my_ngo' is not in registry.toml"):
            import_mapped(con, candidates(NEW), MAPPING, source="my_ngo")
        with pytest.raises(SourceError, match=r"us_ofac_sdn is a sanctions list, not a candidates dataset"):
            import_mapped(con, candidates(NEW), MAPPING, source="us_ofac_sdn")
        assert con.execute("SELECT count(*) FROM versions").fetchone() == (0,)
    finally:
        con.close()


@pytest.mark.integration
def test_import_two_versions_and_status(tmp_path: Path) -> None:
    """Two layouts through the CLI: change history, and status keeps ACF under allegations."""
    import duckdb

    from reckon.analysis.status import entity_status

    db = tmp_path / "s.duckdb"
    code, _, err = run_cli("ingest", "--db", str(db), str(candidates(OLD)))
    assert code == 0, err
    code, out, err = run_cli(
        "candidates", "import", str(candidates(NEW)), "--mapping", str(MAPPING), "--db", str(db), "--json"
    )
    assert code == 0, err
    result = json.loads(out)
    assert (result["records"], result["added"], result["amended"], result["removed"]) == (
        7954,
        2088,
        5781,
        352,
    )
    assert result["version_date"].startswith("2024-05-24")
    con = duckdb.connect(str(db))
    try:
        rid = next(r.id for r in parsed(NEW).records if "Abramovich Roman" in r.names[1].full)
        st = entity_status(con, f"{ACF}:{rid}")
        assert st is not None
        assert [x.source for x in st.allegations] == [ACF] and "acf" not in st.jurisdictions
    finally:
        con.close()


@pytest.mark.integration
@pytest.mark.parametrize("case", ["missing column", "ofac file"])
def test_cli_errors_leave_the_store(tmp_path: Path, case: str) -> None:
    db = tmp_path / "s.duckdb"
    code, _, err = run_cli("ingest", "--db", str(db), str(candidates(OLD)))
    assert code == 0, err
    before = fingerprint(db)
    mapping, path = MAPPING, candidates(NEW)
    if case == "missing column":
        mapping = tmp_path / "bad.toml"
        mapping.write_text(MAPPING.read_text(encoding="utf-8").replace('"DOB"', '"Birth"'), encoding="utf-8")
    else:
        path = tmp_path / "sdn.csv"
        shutil.copy(shared("ofac_sdn/fixture_watchman_ofactest/sdn.csv"), path)
    code, _, err = run_cli("candidates", "import", str(path), "--mapping", str(mapping), "--db", str(db))
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "no column" in err
    assert fingerprint(db) == before


@pytest.mark.integration
def test_history_replay(tmp_path: Path) -> None:
    """The 45 versions of the tar, each dated by its member's name (~2 min)."""
    db = tmp_path / "h.duckdb"
    code, out, err = run_cli("ingest", "--db", str(db), "--json", str(candidates(HISTORY)))
    assert code == 0, err
    results = json.loads(out)
    assert len(results) == 45
    assert [r["version_date"][:10] for r in results][:2] == ["2022-06-10", "2022-06-17"]
    assert results[-1]["records"] == 7954


@pytest.mark.integration
def test_a_version_removing_most_entries_needs_allow_removals(tmp_path: Path) -> None:
    """A file cut short (the first 2,000 rows of the real 2024-05-24 file) would remove
    most of the dataset: refused, store unchanged, unless a person accepts it."""
    db = tmp_path / "s.duckdb"
    code, _, err = run_cli(
        "candidates", "import", str(candidates(NEW)), "--mapping", str(MAPPING), "--db", str(db)
    )
    assert code == 0, err
    cut = tmp_path / "acf_contributors_to_the_war_2024-06-01.csv"
    lines = candidates(NEW).read_text(encoding="utf-8").splitlines(keepends=True)
    cut.write_text("".join(lines[:2000]), encoding="utf-8")
    before = fingerprint(db)
    args = ("candidates", "import", str(cut), "--mapping", str(MAPPING), "--db", str(db))
    code, _, err = run_cli(*args)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "--allow-removals" in err
    assert fingerprint(db) == before
    code, out, err = run_cli(*args, "--allow-removals", "--json")
    assert code == 0, err
    assert json.loads(out)["removed"] > 0.2 * 7954
