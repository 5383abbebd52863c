"""Stores built from real records of the bundled lists, for resolution tests.

Parsing a whole list takes seconds (the OFSI ConList a minute on a busy machine), so
each bundled file is parsed once per session; a test imports the real records it needs
(all of a list, or the ones its case is about) into its own store in milliseconds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from pathlib import Path

import duckdb
import pytest

from reckon.ingest import Job, bundled_jobs, version_date_for
from reckon.model import ListVersion
from reckon.sources.detect import detect
from reckon.sources.registry import parse_file
from reckon.store import connect, import_version
from reckon.store.importer import ImportResult

UN_OLD = "UN_consolidated_2025-11-20.xml.gz"
UN_NEW = "UN_consolidated_2026-02-27.xml.gz"
OFSI = "ConList_2025-04-14.xlsx"
FCDO = "FCDO_SL_2025-08-11.ods"
AU = "Australian_Sanctions_Consolidated_List_2026-02.xlsx"
CA = "sema-lmes_2020-04.xml.gz"
EU = "sample_fsf_xml11_2026-08-05.xml"
OFAC_CONS = "consolidated_classic_2026-01-08.xml.gz"


def job(file_name: str) -> Job:
    (found,) = [j for j in bundled_jobs() if j.path.name == file_name]
    return found


@cache
def parsed(file_name: str) -> ListVersion:
    j = job(file_name)
    fmt, source = (j.fmt, j.source) if j.fmt else detect(j.path)
    return parse_file(j.path, fmt, j.source or source)


def load(con: duckdb.DuckDBPyConnection, file_name: str, ids: Iterable[str] | None = None) -> ImportResult:
    """Import a bundled list version, whole or only the records with these ids."""
    j = job(file_name)
    version = parsed(file_name)
    wanted = None if ids is None else set(ids)
    if wanted is not None:
        records = [r for r in version.records if r.id in wanted]
        missing = wanted - {r.id for r in records}
        assert not missing, f"{file_name} has no records {sorted(missing)}"
        version = replace(version, records=records)
    date, origin = version_date_for(version.published, j.path, j.date)
    sha = hashlib.sha256(f"{file_name}|{sorted(wanted) if wanted is not None else '*'}".encode()).hexdigest()
    return import_version(
        con,
        version,
        sha256=sha,
        file_name=file_name,
        version_date=date,
        date_origin=origin,
        complete=j.complete and wanted is None,
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterable[duckdb.DuckDBPyConnection]:
    con = connect(tmp_path / "resolve.duckdb")
    yield con
    con.close()


def members_of(con: duckdb.DuckDBPyConnection, record: str) -> list[str]:
    """The records in the same canonical entity as `record`."""
    rows = con.execute(
        "SELECT record FROM resolve_records WHERE canonical_id = "
        "(SELECT canonical_id FROM resolve_records WHERE record = ?) ORDER BY record",
        [record],
    ).fetchall()
    return [str(r[0]) for r in rows]


def clustering(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """canonical id -> members, for comparing whole results."""
    out: dict[str, list[str]] = {}
    for cid, record in con.execute(
        "SELECT canonical_id, record FROM resolve_records ORDER BY ALL"
    ).fetchall():
        out.setdefault(str(cid), []).append(str(record))
    return out


def resolved_store(
    path: Path, sdn_versions: Iterable[str], records: Iterable[tuple[str, Iterable[str] | None]]
) -> Path:
    """A resolved store at `path`: whole OFAC SDN versions of `../shared/data` (file names
    under ofac_sdn_history/, oldest first), then real records of bundled lists
    (`(file, ids)`, ids None for the whole list)."""
    from reckon.ingest import ingest_paths
    from reckon.resolve import resolve
    from tests.conftest import shared

    con = connect(path)
    try:
        ingest_paths(con, [shared(f"ofac_sdn_history/{f}") for f in sdn_versions])
        for file_name, ids in records:
            load(con, file_name, ids)
        resolve(con)
    finally:
        con.close()
    return path
