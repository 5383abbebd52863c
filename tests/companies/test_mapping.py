"""The Yale CELI mapping on the real files: both files joined, every row accounted for."""

from __future__ import annotations

import csv

import pytest

from reckon.sources.common import SourceError
from reckon.sources.registry import get_source
from reckon.sources.tabular import load_mapping, parse_mapped, shipped_mapping
from tests.companies.conftest import COMPANIES, MAPPING, yale_file


def _by_name(records: list) -> dict:  # type: ignore[type-arg]
    return {r.names[0].full: r for r in records}


def test_the_registry_knows_the_dataset_as_companies_not_a_list() -> None:
    entry = get_source("yale_celi")
    assert entry.kind == "companies"
    assert not entry.primary
    assert shipped_mapping("yale_celi").source == "yale_celi"


def test_every_row_of_both_files_is_a_company_or_reported() -> None:
    version = parse_mapped(yale_file(), load_mapping(MAPPING))
    with yale_file().open(encoding="utf-8", newline="") as fh:
        main = list(csv.DictReader(fh))
    with (COMPANIES / "yale_celi_2023.csv").open(encoding="utf-8", newline="") as fh:
        graded = list(csv.DictReader(fh))
    assert (len(main), len(graded)) == (2023, 1581)
    # 2,023 rows: 1 without a name, 52 repeating a name (Unilever twice ...); 404 names
    # only in the graded file come in as rows of their own.
    assert len(version.records) == 2023 - 1 - 52 + 404
    assert version.warnings == [
        "joined yale_celi_2023.csv on 'i' = 'Name': 1177 names in both, 404 only in yale_celi_2023.csv",
        "52 rows repeat an earlier row's id (same person) and were merged into it",
        "1 rows without a name were skipped",
    ]
    assert sum(1 for r in version.records if r.properties.get("celiGrade")) == 1581
    assert {r.schema for r in version.records} == {"Company"}


def test_a_company_in_both_files_has_its_grade_and_its_russian_entitys_inn() -> None:
    records = _by_name(parse_mapped(yale_file(), load_mapping(MAPPING)).records)
    renault = records["Renault"]
    assert renault.properties["celiGrade"] == ["A"]
    assert renault.properties["russianEntityInn"] == ["6320002223"]
    # The INN is the Russian entity's (AvtoVAZ's), never the company's own identifier.
    assert "innCode" not in renault.properties
    assert renault.identifiers == []
    assert "France" in renault.properties["country"]
    # Only in the graded file: a grade, no INN; only in the INN file: no grade.
    agrana = records["Agrana"]
    assert agrana.properties["celiGrade"] == ["F"]
    assert "russianEntityInn" not in agrana.properties
    assert "celiGrade" not in records["1Password"].properties


def test_a_missing_joined_file_is_one_error_naming_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lone = tmp_path / "yale_celi_with_inn.csv"
    lone.write_bytes(yale_file().read_bytes())
    with pytest.raises(SourceError, match=r"yale_celi_2023\.csv: no such file"):
        parse_mapped(lone, load_mapping(MAPPING))


@pytest.mark.integration
def test_the_joined_file_is_part_of_the_version(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The same two files again: nothing to do. The graded file without its last company
    (Yale's list as it stood before that one was graded): a new version."""
    from reckon.ingest import import_mapped
    from reckon.store import connect

    main = tmp_path / "yale_celi_with_inn.csv"
    main.write_bytes(yale_file().read_bytes())
    graded = tmp_path / "yale_celi_2023.csv"
    graded.write_bytes((COMPANIES / "yale_celi_2023.csv").read_bytes())
    con = connect(tmp_path / "store.duckdb")
    try:
        first = import_mapped(con, main, MAPPING, date="2023-06-02")
        assert not first.skipped and first.records == 2374
        assert import_mapped(con, main, MAPPING, date="2023-06-03").skipped
        lines = graded.read_text(encoding="utf-8").splitlines(keepends=True)
        graded.write_text("".join(lines[:-1]), encoding="utf-8")
        second = import_mapped(con, main, MAPPING, date="2023-06-04")
        assert not second.skipped and second.version_id != first.version_id
    finally:
        con.close()
