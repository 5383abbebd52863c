"""Dating US designations by replaying OFAC SDN versions, checked against independent counts."""

from __future__ import annotations

import csv
import itertools
import re
import tarfile
from pathlib import Path

import duckdb
import pytest

from reckon.ingest import ingest_paths
from reckon.store import connect
from reckon.store.queries import changes, get_record
from tests.conftest import shared

BEFORE = "ofac_sdn_history/sdn_2022-02-23.csv"
AFTER = "ofac_sdn_history/sdn_2022-02-26.csv"
ARCHIVE = "ofac_sdn_history/ofac_sdn_history_2021-08_2024-05.tar.xz"


def _rows(path: Path) -> dict[str, tuple[str, ...]]:
    """ent_num -> whitespace-normalised cells, read with the csv module alone."""
    out = {}
    with path.open(encoding="cp1252", newline="") as fh:
        for row in csv.reader(fh):
            if len(row) >= 12:
                out[row[0]] = tuple(" ".join(c.split()) for c in row)
    return out


def test_change_report_between_two_snapshots(tmp_path: Path) -> None:
    before, after = _rows(shared(BEFORE)), _rows(shared(AFTER))
    expected_added = after.keys() - before.keys()
    expected_removed = before.keys() - after.keys()
    expected_amended = {k for k in before.keys() & after.keys() if before[k] != after[k]}
    # The independent counts, as measured on the real files: +97, -0, 6 rows changed.
    assert (len(expected_added), len(expected_removed), len(expected_amended)) == (97, 0, 6)

    con = connect(tmp_path / "sdn.duckdb")
    ingest_paths(con, [shared(BEFORE)])
    (result,) = ingest_paths(con, [shared(AFTER)])
    assert set(result.added) == expected_added
    assert set(result.removed) == expected_removed
    assert set(result.amended) == expected_amended
    assert "35096" in result.added  # PUTIN, Vladimir Vladimirovich

    report = changes(con, "us_ofac_sdn")
    assert len(report) == 97 + 6
    putin = next(c for c in report if c.record_id == "35096")
    assert (putin.change, putin.caption, putin.version_date) == (
        "added",
        "PUTIN, Vladimir Vladimirovich",
        "2022-02-26",
    )
    assert all(c.fields for c in report if c.change == "amended")
    view = get_record(con, "us_ofac_sdn:35096")
    assert view is not None and view.first_seen == "2022-02-26"


_ENT = re.compile(rb'^"?(\d+)"?,', re.M)


def _membership(archive: Path) -> list[tuple[str, set[str]]]:
    """(capture time, ent_nums present) per version, by a plain regex over each member."""
    versions = []
    with tarfile.open(archive, "r|xz") as tar:
        for m in tar:
            if m.isfile():
                fh = tar.extractfile(m)
                assert fh is not None
                stamp = re.search(r"(\d{8}T\d{6}Z)", m.name)
                assert stamp
                s = stamp[1]
                iso = f"{s[:4]}-{s[4:6]}-{s[6:8]}T{s[9:11]}:{s[11:13]}:{s[13:15]}Z"
                versions.append((iso, {e.decode() for e in _ENT.findall(fh.read())}))
    return sorted(versions)


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    con = connect(tmp_path_factory.mktemp("history") / "history.duckdb")
    ingest_paths(con, [shared(ARCHIVE)])
    return con


@pytest.mark.integration
def test_replay_reconstructs_every_addition_and_removal(replayed: duckdb.DuckDBPyConnection) -> None:
    versions = _membership(shared(ARCHIVE))
    assert len(versions) == 308
    expected: set[tuple[str, str, str]] = set()
    for (_, prev), (date, cur) in itertools.pairwise(versions):
        expected |= {(date, "added", e) for e in cur - prev}
        expected |= {(date, "removed", e) for e in prev - cur}
    got = {
        (c.version_date, c.change, c.record_id)
        for c in changes(replayed, "us_ofac_sdn")
        if c.change != "amended"
    }
    assert got == expected
    counts = replayed.execute(
        "SELECT count(*), max(version_date) FROM versions WHERE source = 'us_ofac_sdn'"
    ).fetchone()
    assert counts == (308, "2024-05-03T18:43:23Z")


@pytest.mark.integration
def test_replay_dates_known_designations(replayed: duckdb.DuckDBPyConnection) -> None:
    putin = get_record(replayed, "us_ofac_sdn:35096")
    assert putin is not None
    assert putin.first_seen == "2022-02-26T01:42:01Z"
    assert putin.removed_on is None
    deripaska = get_record(replayed, "us_ofac_sdn:24283")
    assert deripaska is not None
    assert deripaska.first_seen == "2021-08-18T09:39:01Z"  # listed in 2018, before the archive starts
    current = replayed.execute(
        "SELECT count(*) FROM records WHERE source = 'us_ofac_sdn' AND removed_version IS NULL"
    ).fetchone()
    assert current == (14965,)
