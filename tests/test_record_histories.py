"""`record_histories`, each record's statements and changes in one row, stays equal to
the tables it is derived from after every import and every version taken back; and what
is read through it (a record as `reckon show` shows it, an entity's profile, its status)
is what the tables say, on real records: Abramovich on the UK and Australian lists, and
OFAC SDN records through four real versions of the list (amended, delisted)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import duckdb
import pytest

from reckon.analysis.status import all_statuses, entity_status
from reckon.ingest import ingest_paths
from reckon.resolve import profile as profile_module
from reckon.resolve.profile import profile
from reckon.store import connect, queries
from reckon.store.histories import RecordRows, read_histories, rows_from_tables
from reckon.store.records import get_record, get_records
from reckon.store.schema import SCHEMA_VERSION, current_version
from reckon.store.versions import remove_latest_version
from tests.conftest import shared
from tests.resolve.conftest import AU, FCDO, OFSI, resolved_store

pytestmark = pytest.mark.integration

SDN = ["sdn_2022-02-23.csv", "sdn_2022-02-26.csv", "sdn_2022-03-25.csv", "sdn_2024-05-03.csv"]
ABRAMOVICH = {OFSI: ["14212"], FCDO: ["RUS0270"], AU: ["6754"]}
UA = "ua_war_sanctions.targets.simple.csv.gz"
# A portal entry that pairs for review with SDN 35239 (whose entity has the UK's records):
# its status is "possibly listed", read through the pairs.
PAIRED = {OFSI: ["14774"], FCDO: ["RUS0823"], AU: ["6278"], UA: ["Q612244"]}


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, RecordRows]:
    out: dict[str, RecordRows] = {}
    for (source,) in con.execute("SELECT DISTINCT source FROM records").fetchall():
        out.update({r.key: r for r in rows_from_tables(con, str(source)).values()})
    return out


def _kept(con: duckdb.DuckDBPyConnection) -> dict[str, RecordRows]:
    keys = [str(r[0]) for r in con.execute("SELECT record FROM record_histories").fetchall()]
    out: dict[str, RecordRows] = {}
    for start in range(0, len(keys), 256):  # as an entity page reads them: by the index
        out.update(read_histories(con, keys[start : start + 256]))
    assert len(out) == len(keys)
    return out


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    records = [*ABRAMOVICH.items(), *[(f, ids) for f, ids in PAIRED.items()]]
    return resolved_store(tmp_path_factory.mktemp("histories") / "h.duckdb", SDN, records)


@pytest.fixture
def con(store: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = connect(store, read_only=True)
    yield c
    c.close()


def test_kept_equal_to_the_tables(con: duckdb.DuckDBPyConnection) -> None:
    kept = _kept(con)
    assert kept == _tables(con)
    assert {"gb_hmt_sanctions:14212", "au_dfat_sanctions:6754", "us_ofac_sdn:35096"} <= set(kept)


def _longest_sdn_history(con: duckdb.DuckDBPyConnection) -> str:
    (key,) = con.execute(
        "SELECT source || ':' || record_id FROM changes WHERE source = 'us_ofac_sdn' "
        "GROUP BY ALL ORDER BY count(*) DESC, 1 LIMIT 1"
    ).fetchone() or (None,)
    return str(key)


def test_a_record_read_whole_is_what_the_tables_say(con: duckdb.DuckDBPyConnection) -> None:
    abramovich = get_record(con, "gb_hmt_sanctions:14212")
    assert abramovich is not None and abramovich == get_record(con, "gb_hmt_sanctions:14212", derived=False)
    # …and as `reckon show` reads it (store.queries, its own scan of the tables).
    assert abramovich == queries.get_record(con, "gb_hmt_sanctions:14212")
    assert "ABRAMOVICH" in abramovich.caption
    assert any(d.listing_date == "2022-03-10" for d in abramovich.record.designations)
    # An SDN record amended through the four versions: every statement, old and current.
    longest = _longest_sdn_history(con)
    amended = get_record(con, longest)
    assert amended is not None and amended == get_record(con, longest, derived=False)
    assert amended == queries.get_record(con, longest)
    assert len(amended.history) >= 3, amended.history
    assert any(not s.current for s in amended.statements)  # a value replaced on the way
    # Records delisted by a later version: the facts of the last version that had them.
    gone = [
        str(r[0])
        for r in con.execute(
            "SELECT record FROM record_histories WHERE removed_version IS NOT NULL ORDER BY record LIMIT 40"
        ).fetchall()
    ]
    assert gone
    fast = get_records(con, gone)
    assert fast == get_records(con, gone, derived=False)
    assert fast == {key: queries.get_record(con, key) for key in gone}
    assert all(view.removed_on for view in fast.values())


def test_profiles_are_what_the_tables_say(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every entity of several records, and one in 40 of the others.
    ids = [
        str(cid)
        for n, (cid, size) in enumerate(
            con.execute(
                "SELECT canonical_id, count(*) FROM resolve_records GROUP BY ALL ORDER BY 1"
            ).fetchall()
        )
        if size > 1 or n % 40 == 0
    ]
    fast = [profile(con, cid) for cid in ids]
    monkeypatch.setattr(profile_module, "get_records", partial(get_records, derived=False))
    assert fast == [profile(con, cid) for cid in ids]
    abramovich = next(p for p in fast if p is not None and "gb_hmt_sanctions:14212" in p.members)
    assert abramovich.members == [
        "au_dfat_sanctions:6754",
        "gb_fcdo_sanctions:RUS0270",
        "gb_hmt_sanctions:14212",
    ]
    assert {"gb", "au"} <= set(abramovich.designations)


def test_each_status_is_the_one_of_the_whole_store(con: duckdb.DuckDBPyConnection) -> None:
    """`entity_status` reads one entity by indexed equalities; `all_statuses` every entity
    in one pass over the tables: the same answers."""
    every = all_statuses(con)
    assert len(every) > 1000
    # Every entity of several records or with a pair for review, and one in 40 of the others.
    chosen = [
        st
        for n, st in enumerate(every)
        if len(st.members) > 1 or any(j.possible for j in st.jurisdictions.values()) or n % 40 == 0
    ]
    assert [entity_status(con, st.entity) for st in chosen] == chosen
    portal = entity_status(con, "ua_war_sanctions:Q612244")
    assert portal is not None and any(j.possible for j in portal.jurisdictions.values())


def test_kept_through_imports_and_removals(tmp_path: Path) -> None:
    con = connect(tmp_path / "s.duckdb", create=True)
    files = ["un/UN_consolidated_2025-11-20.xml", "un/UN_consolidated_2026-02-27.xml"]
    files += [f"ofac_sdn_history/{f}" for f in SDN[:2]]
    for f in files:
        ingest_paths(con, [shared(f)])
        assert _kept(con) == _tables(con), f
    for source in ("us_ofac_sdn", "un_sc_sanctions"):
        remove_latest_version(con, source, user="test")
        assert _kept(con) == _tables(con), source
    # Putin entered the SDN list on 2022-02-26, taken back: his record is gone.
    assert get_record(con, "us_ofac_sdn:35096") is None
    con.close()


def test_a_store_from_before_the_table(store: Path, tmp_path: Path) -> None:
    """A store made before `record_histories` is read (the slow way) as it is, read-only,
    and gets the table when a writer opens it."""
    old = tmp_path / "old.duckdb"
    shutil.copyfile(store, old)
    raw = duckdb.connect(str(old))
    raw.execute("DROP TABLE record_histories")
    raw.execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'")
    raw.close()
    ro = connect(old, read_only=True)
    key = "gb_hmt_sanctions:14212"
    before = get_record(ro, key)
    assert before is not None and before == get_record(ro, key, derived=False)
    (cid,) = ro.execute("SELECT canonical_id FROM resolve_records WHERE record = ?", [key]).fetchone() or (
        None,
    )
    prof = profile(ro, str(cid))
    assert prof is not None and key in prof.members
    ro.close()
    rw = connect(old)
    assert current_version(rw) == SCHEMA_VERSION
    assert _kept(rw) == _tables(rw)
    assert get_record(rw, key) == before
    rw.close()
