"""The store: atomic, idempotent imports and change detection, over the real UN lists."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from reckon.ingest import Job, ingest_one, ingest_paths
from reckon.sources.un import parse_un
from reckon.store import StoreError, connect
from reckon.store import importer as importer_mod
from reckon.store.queries import changes, get_record, summaries
from reckon.store.statements import record_from_statements, record_statements
from tests.conftest import shared

UN_OLD = "un/UN_consolidated_2025-11-20.xml"
UN_NEW = "un/UN_consolidated_2026-02-27.xml"


def fingerprint(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """Everything the store holds, as comparable values."""
    out: dict[str, object] = {}
    for (table,) in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall():
        rows = con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
        out[table] = rows
    return out


@pytest.fixture
def db(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = connect(tmp_path / "test.duckdb")
    yield con
    con.close()


def test_statements_round_trip_every_real_un_record() -> None:
    version = parse_un(shared(UN_NEW))
    for rec in version.records:
        back = record_from_statements(rec.source, rec.id, record_statements(rec))
        assert back.schema == rec.schema
        assert sorted(back.names, key=repr) == sorted(set(rec.names), key=repr)
        assert sorted(back.birth_dates, key=repr) == sorted(set(rec.birth_dates), key=repr)
        assert sorted(back.identifiers, key=repr) == sorted(set(rec.identifiers), key=repr)
        assert sorted(back.designations, key=repr) == sorted(set(rec.designations), key=repr)


def test_new_version_records_added_amended_removed(db: duckdb.DuckDBPyConnection) -> None:
    ingest_paths(db, [shared(UN_OLD)])
    (result,) = ingest_paths(db, [shared(UN_NEW)])
    # Verified independently: REFERENCE_NUMBERs in 2026-02-27 minus those in 2025-11-20.
    assert sorted(result.added) == ["SDi.007", "SDi.008", "SDi.009", "SDi.010"]
    assert result.removed == ["IQi.074"]
    assert result.records == 1003
    rows = changes(db, "un_sc_sanctions")
    assert {(c.change, c.record_id) for c in rows if c.change != "amended"} == {
        ("added", "SDi.007"),
        ("added", "SDi.008"),
        ("added", "SDi.009"),
        ("added", "SDi.010"),
        ("removed", "IQi.074"),
    }
    removed = get_record(db, "un_sc_sanctions:IQi.074")
    assert removed is not None
    assert removed.removed_on == "2026-02-27"
    assert removed.last_seen == "2025-11-20"
    assert removed.record.names  # the facts of its last version are still shown


def test_reimport_identical_file_is_a_no_op(db: duckdb.DuckDBPyConnection) -> None:
    ingest_paths(db, [shared(UN_NEW)])
    before = fingerprint(db)
    (again,) = ingest_paths(db, [shared(UN_NEW)])
    assert again.skipped
    assert fingerprint(db) == before


def test_gzip_copy_of_same_list_is_same_content(db: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    import gzip

    gz = tmp_path / "UN_consolidated_2026-02-27.xml.gz"
    gz.write_bytes(gzip.compress(shared(UN_NEW).read_bytes()))
    ingest_paths(db, [shared(UN_NEW)])
    before = fingerprint(db)
    (second,) = ingest_paths(db, [gz])
    # Different bytes on disk, the same publication: recognised by its content.
    assert second.skipped
    assert fingerprint(db) == before


def test_older_version_after_newer_is_refused_and_changes_nothing(db: duckdb.DuckDBPyConnection) -> None:
    ingest_paths(db, [shared(UN_NEW)])
    before = fingerprint(db)
    with pytest.raises(StoreError, match="older than the loaded version"):
        ingest_paths(db, [shared(UN_OLD)])
    assert fingerprint(db) == before


def test_failure_inside_transaction_leaves_store_exactly_as_it_was(
    db: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_paths(db, [shared(UN_OLD)])
    before = fingerprint(db)
    real_bulk = importer_mod.bulk_insert
    calls = {"n": 0}

    def failing_bulk(con, table, columns, rows):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        real_bulk(con, table, columns, rows)
        if table == "records":  # statements already written and statements closed
            raise OSError("disk full")

    monkeypatch.setattr(importer_mod, "bulk_insert", failing_bulk)
    with pytest.raises(OSError, match="disk full"):
        ingest_paths(db, [shared(UN_NEW)])
    assert calls["n"] >= 2
    assert fingerprint(db) == before


def test_partial_version_never_removes(db: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    ingest_paths(db, [shared(UN_OLD)])
    full = shared(UN_NEW).read_bytes()
    # A real sample: the first three INDIVIDUAL entries of the 2026 list, as their own file.
    from lxml import etree

    root = etree.fromstring(full)
    individuals = root.find("INDIVIDUALS")
    assert individuals is not None
    for extra in list(individuals)[3:]:
        individuals.remove(extra)
    entities = root.find("ENTITIES")
    assert entities is not None
    for extra in list(entities):
        entities.remove(extra)
    sample = tmp_path / "sample_2026-02-27.xml"
    sample.write_bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))
    (result,) = ingest_paths(db, [sample], complete=False)
    assert result.records == 3
    assert result.removed == []
    (summary,) = summaries(db)
    assert summary.current_records == 1000
    assert not summary.latest.complete


def test_version_date_comes_from_the_file(db: duckdb.DuckDBPyConnection) -> None:
    result = ingest_one(db, Job(shared(UN_NEW)))
    assert result.version_date == "2026-02-27"
    (summary,) = summaries(db)
    assert summary.latest.date_origin == "file"
    assert summary.latest.published == "2026-02-27"


def test_schema_is_migrated_and_versioned(tmp_path: Path) -> None:
    from reckon.store.schema import SCHEMA_VERSION, current_version

    path = tmp_path / "m.duckdb"
    con = connect(path)
    assert current_version(con) == SCHEMA_VERSION
    con.close()
    con = connect(path)  # reopening does not re-run migrations
    assert current_version(con) == SCHEMA_VERSION
    con.close()
