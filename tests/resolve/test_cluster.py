"""Clustering with cannot-links and stable ids, on real records and hand-placed edges."""

from __future__ import annotations

import duckdb

from reckon.resolve.cluster import REFUSED, canonical_id, cluster, redirects
from reckon.resolve.pairing import Pair, ordered
from reckon.resolve.records import resolution_records
from reckon.resolve.rules import conflict
from tests.resolve.conftest import CA, EU, UN_OLD, load, members_of

BADI_EU, BADI_UN = "eu_fsf:118593", "un_sc_sanctions:LYi.028"
OTHER = "ca_dfatd_sema_sanctions:russia/1/96"  # a real person on the Canadian list


def _facts(store: duckdb.DuckDBPyConnection) -> dict[str, object]:
    load(store, UN_OLD, ["LYi.028"])
    load(store, EU, None)
    load(store, CA, ["russia/1/96"])
    _, found = resolution_records(store)
    return {f.key: f for f in found if f.key in (BADI_EU, BADI_UN, OTHER)}


def test_a_different_judgement_stops_a_transitive_chain(store: duckdb.DuckDBPyConnection) -> None:
    facts = _facts(store)
    for a, b in ((BADI_UN, OTHER), (BADI_EU, OTHER)):
        assert conflict(facts[a], facts[b]) is None  # type: ignore[arg-type]
    # A chain: EU~UN by the shared UN reference, UN~OTHER by a hand-placed high score.
    chain = [Pair(BADI_EU, BADI_UN, 1.0, "unscId", ""), Pair(*ordered(BADI_UN, OTHER), 0.999, "score", "")]
    merged = cluster(facts, chain, {})  # type: ignore[arg-type]
    assert list(merged.clusters.values()) == [sorted([BADI_EU, BADI_UN, OTHER])]

    split = cluster(facts, chain, {ordered(BADI_EU, OTHER): "different"})  # type: ignore[arg-type]
    assert sorted(split.clusters.values()) == [[OTHER], [BADI_EU, BADI_UN]]
    (refused,) = [d for d in split.decisions if d.decision == REFUSED]
    assert OTHER in (refused.pair.left, refused.pair.right) and "judged different" in str(refused.reason)

    # The weaker link gives way, whichever order the pairs come in.
    assert cluster(facts, chain[::-1], {ordered(BADI_EU, OTHER): "different"}).clusters == split.clusters  # type: ignore[arg-type]


def test_ids_follow_the_anchor_and_retired_ids_redirect(store: duckdb.DuckDBPyConnection) -> None:
    facts = _facts(store)
    link = [Pair(BADI_EU, BADI_UN, 1.0, "unscId", "")]
    apart = cluster(facts, link, {(BADI_EU, BADI_UN): "different"})  # type: ignore[arg-type]
    together = cluster(facts, link, {})  # type: ignore[arg-type]
    # The UN record anchors the entity: its id is the UN record's id alone.
    assert together.canonical[BADI_EU] == canonical_id([BADI_UN]) == apart.canonical[BADI_UN]
    assert redirects(apart.canonical, together) == {canonical_id([BADI_EU]): canonical_id([BADI_UN])}
    assert redirects(together.canonical, apart) == {}  # the split-off record gets a new id; none retired


def test_a_number_on_the_wrong_brother_does_not_merge_the_brothers(store: duckdb.DuckDBPyConnection) -> None:
    # The US screening list of 2022-04 gives Arkady Rotenberg (born 1951-12-15) the INN
    # that OFAC gives his brother Boris (born 1957-01-03); the screening list's own
    # cross-reference says its record is OFAC's entry 16669, Arkady.
    from reckon.resolve.run import resolve

    load(store, "consolidated_2022-04.csv.gz", ["16669"])
    load(store, "sdn_2024-05-03.csv.gz", ["16669", "16671"])
    _, found = resolution_records(store)
    facts = {f.key: f for f in found}
    boris, arkady_csl = facts["us_ofac_sdn:16671"], facts["us_trade_csl:16669"]
    assert boris.ids & arkady_csl.ids == {("innCode", "470305596440")}
    resolve(store)
    assert members_of(store, "us_ofac_sdn:16671") == ["us_ofac_sdn:16671"]
    # Nor does the copy join OFAC's Arkady, whose own INN differs: that is for a person
    # to decide, with the reason shown.
    assert members_of(store, "us_trade_csl:16669") == ["us_trade_csl:16669"]
    found = conflict(arkady_csl, facts["us_ofac_sdn:16669"])
    assert found is not None and found.reason == "different innCode: 470305596440 vs 780619032880"


def test_a_company_number_copied_into_the_next_row_waits_for_a_person(
    store: duckdb.DuckDBPyConnection,
) -> None:
    # The US screening list of 2022-04 gives entry 35895, Research and Design Institute
    # Sea Thermal Engineering (Lomonosov), the INN and OGRN of entry 35896, Verkhneufaleiskii
    # Zavod Uralelement (Verkhniy Ufaley). Names with nothing in common do not merge on a
    # shared number; the pair is scored and left for review.
    from reckon.resolve.run import resolve

    load(store, "consolidated_2022-04.csv.gz", ["35895", "35896"])
    load(store, "sdn_2024-05-03.csv.gz", ["35896"])
    _, found = resolution_records(store)
    facts = {f.key: f for f in found}
    institute, plant = "us_trade_csl:35895", "us_ofac_sdn:35896"
    assert ("innCode", "7402006277") in facts[institute].ids & facts[plant].ids
    resolve(store)
    assert members_of(store, institute) == [institute]
    assert members_of(store, plant) == [plant, "us_trade_csl:35896"]
    decisions = store.execute(
        "SELECT left_key, right_key, decision, rule FROM resolve_pairs WHERE ? IN (left_key, right_key)",
        [institute],
    ).fetchall()
    assert decisions and all(d == "review" and rule == "score" for *_, d, rule in decisions), decisions


def test_a_mistyped_inn_does_not_keep_one_plant_apart(store: duckdb.DuckDBPyConnection) -> None:
    # OFAC's entry 46678 gives JSC Novosibirsk Instrument-Making Plant INN 5402534261,
    # which fails the INN check digit; Ukraine's list gives 5402534361. Both give OGRN
    # 1115476008889: one plant, which the slip kept in two entities.
    from reckon.resolve.run import resolve

    ua = "ua_war_sanctions:NK-9QJP7f6grct8HuxiFzjfKJ"
    load(store, "sdn_2024-05-03.csv.gz", ["46678"])
    load(store, "ua_war_sanctions.targets.simple.csv.gz", [ua.split(":")[1]])
    _, found = resolution_records(store)
    facts = {f.key: f for f in found}
    ofac = facts["us_ofac_sdn:46678"]
    assert ("innCode", "5402534261") in ofac.ids and ("innCode", "5402534361") in facts[ua].ids
    assert conflict(ofac, facts[ua]) is None
    resolve(store)
    assert members_of(store, ua) == [ua, "us_ofac_sdn:46678"]
