"""The Yale CELI files (../shared/data/companies: their licence keeps them out of the
repository) and a store of the real OFAC SDN list of 2024-05-03 with them imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA, shared

COMPANIES = SHARED_DATA / "companies"
YALE = COMPANIES / "yale_celi_with_inn.csv"
MAPPING = Path(__file__).resolve().parents[2] / "src" / "reckon" / "data" / "mappings" / "yale_celi.toml"


def yale_file() -> Path:
    """The imported file (the graded one is joined from beside it); skipped if absent."""
    if not YALE.exists() or not (COMPANIES / "yale_celi_2023.csv").exists():
        pytest.skip(f"the Yale CELI files are not available: {COMPANIES} (not bundled: licence)")
    return YALE


def build_companies_store(path: Path, *, sdn: bool = True) -> Path:
    """A store with the SDN list of 2024-05-03 (complete: the US "not listed as of"), the
    Yale CELI dataset imported as `reckon candidates import` does, and resolved."""
    from reckon.ingest import import_mapped, ingest_paths
    from reckon.resolve import resolve
    from reckon.store import connect

    yale = yale_file()
    con = connect(path)
    try:
        if sdn:
            ingest_paths(con, [shared("ofac_sdn_history/sdn_2024-05-03.csv")])
        import_mapped(con, yale, MAPPING, date="2023-06-02")
        resolve(con)
    finally:
        con.close()
    return path


@pytest.fixture(scope="package")
def companies_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_companies_store(tmp_path_factory.mktemp("companies") / "companies.duckdb")
