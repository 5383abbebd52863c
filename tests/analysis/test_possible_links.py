"""A pair left for review links an entity to the whole entity of the record it pairs
with: possibly listed in every jurisdiction that entity is listed in, never "not listed".

Real records: Ukraine's War & Sanctions portal entry Q612244 pairs for review with OFAC's
SDN record 35239, whose entity also holds the UK's (OFSI 14774, FCDO RUS0823) and
Australia's (6278) records of the same man.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from reckon.analysis.gaps import GapQuery, gaps
from reckon.analysis.status import LISTED, POSSIBLY_LISTED, entity_status
from reckon.resolve.views import canonical_of
from tests.resolve.conftest import AU, FCDO, OFSI, resolved_store

pytestmark = pytest.mark.integration

UA = "ua_war_sanctions.targets.simple.csv.gz"
PORTAL = "ua_war_sanctions:Q612244"
SDN = "us_ofac_sdn:35239"


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    records = [(OFSI, ["14774"]), (FCDO, ["RUS0823"]), (AU, ["6278"]), (UA, ["Q612244"])]
    path = resolved_store(tmp_path_factory.mktemp("links") / "links.duckdb", ["sdn_2024-05-03.csv"], records)
    ro = duckdb.connect(str(path), read_only=True)
    yield ro
    ro.close()


def test_a_review_pair_links_to_every_member_of_the_other_entity(con: duckdb.DuckDBPyConnection) -> None:
    entity = canonical_of(con, SDN)
    assert entity is not None and canonical_of(con, "gb_hmt_sanctions:14774") == entity
    assert canonical_of(con, PORTAL) != entity  # not merged: the pair waits for a reviewer
    other = entity_status(con, SDN)
    assert other is not None and {other.jurisdictions[j].status for j in ("us", "gb", "au")} == {LISTED}

    st = entity_status(con, PORTAL)
    assert st is not None
    for j in ("us", "gb", "au"):
        there = st.jurisdictions[j]
        assert there.status == POSSIBLY_LISTED, (j, there.summary)
        assert all(canonical_of(con, p.record) == entity for p in there.possible)
    # Where the pair is with another member, the link says through which record.
    via = [p for j in ("us", "gb", "au") for p in st.jurisdictions[j].possible if p.via]
    assert via and all(canonical_of(con, p.via) == entity for p in via)
    assert any("of one entity with" in st.jurisdictions[j].summary for j in ("us", "gb", "au"))


def test_possibly_listed_is_never_a_gap(con: duckdb.DuckDBPyConnection) -> None:
    report = gaps(con, GapQuery((), ("gb",), candidates="ua_war_sanctions"))
    portal = canonical_of(con, PORTAL)
    assert portal not in {s.entity for s in report.gaps}
    assert portal in {s.entity for s in report.undecided}
