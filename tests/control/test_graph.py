"""The control graph read from the bundled lists' real relations (reckon.control.load_graph)."""

from __future__ import annotations

import duckdb
import pytest

from reckon.control import ControlGraph, exposure, ownership_cycles
from tests.control.conftest import record_entity

pytestmark = pytest.mark.integration


def test_ofac_linked_to_is_an_edge_with_its_record(graph: ControlGraph) -> None:
    # SDN 20283, AO ABR MANAGEMENT: "Linked To: BANK ROSSIYA." (SDN 16681), 2024-05-03 list.
    (edge,) = [e for e in graph.edges if (e.source, e.record_id) == ("us_ofac_sdn", "20283")]
    assert edge.text == "Linked To: BANK ROSSIYA"
    assert (edge.relation, edge.directed, edge.percentage) == ("linked", False, None)
    assert edge.subject == record_entity(graph, "us_ofac_sdn:20283")
    assert edge.object == record_entity(graph, "us_ofac_sdn:16681")
    assert graph.version_dates[edge.version_id].startswith("2024-05-03")
    assert graph.captions[edge.object] == "BANK ROSSIYA"
    assert edge in graph.adjacent[edge.subject] and edge in graph.adjacent[edge.object]


def test_uk_parent_company_owns_the_record_and_an_unmatched_name_stays_a_name(graph: ControlGraph) -> None:
    # OFSI Group 10648, ARMED FORCES GEOGRAPHICAL ORGANISATION: "Parent company: Ministry of
    # Defence and Armed Force Logistics (MODAFL)"; no OFSI record bears that name exactly.
    (edge,) = [
        e
        for e in graph.edges
        if (e.source, e.record_id) == ("gb_hmt_sanctions", "10648") and e.text.startswith("Parent company")
    ]
    assert (edge.relation, edge.directed) == ("owner", True)
    assert edge.object == record_entity(graph, "gb_hmt_sanctions:10648")
    name = "unresolved:gb_hmt_sanctions:Ministry of Defence and Armed Force Logistics (MODAFL)"
    assert edge.subject == name and name in graph.unresolved
    # The same parent stated by other OFSI records is one node: its subsidiaries meet there.
    assert len({e.object for e in graph.adjacent[name]}) > 3


def test_uk_numbered_run_of_parents_is_split(graph: ControlGraph) -> None:
    split = [
        e for e in graph.edges if e.source == "gb_hmt_sanctions" and e.text.startswith("Parent company: ")
    ]
    assert not any(e.text.startswith("Parent company: (1)") for e in split)


def test_a_name_two_entities_bear_is_not_guessed(graph: ControlGraph) -> None:
    # SDN 20130 (KANG, Song Nam): "Linked To: MINISTRY OF STATE SECURITY"; two SDN entries
    # bear that name, North Korea's (20129, DPRK3) and the MGB (25437, CAATSA - RUSSIA).
    problems = [p for p in graph.problems if (p.source, p.record_id) == ("us_ofac_sdn", "20130")]
    assert any("MINISTRY OF STATE SECURITY" in p.message and "none chosen" in p.message for p in problems)
    (edge,) = [e for e in graph.edges if (e.source, e.record_id) == ("us_ofac_sdn", "20130")]
    assert edge.object == "unresolved:us_ofac_sdn:MINISTRY OF STATE SECURITY"


def test_real_cycle_of_ownership_is_reported_and_walked_without_looping(graph: ControlGraph) -> None:
    # OFSI Group 13030, ARMY SUPPLY BUREAU, states one text as both its parent company and
    # its subsidiary: a cycle of two in the list itself.
    cycles = [p for p in graph.problems if p.message.startswith("cycle of ownership")]
    assert ("gb_hmt_sanctions", "13030") in {(p.source, p.record_id) for p in cycles}
    assert len(ownership_cycles(graph)) == len(cycles)  # each reported once
    entity = record_entity(graph, "gb_hmt_sanctions:13030")
    result = exposure(graph, entity, hops=4)
    for path in result.paths:
        nodes = [entity, path.edges[0].other(entity)]
        for e in path.edges[1:]:
            nodes.append(e.other(nodes[-1]))
        assert len(set(nodes)) == len(nodes)  # no node twice: no loop
    gb = next(j for j in result.by_jurisdiction if j.jurisdiction == "gb")
    assert gb.entity_listed is True and gb.owned_share is None


def test_allegations_never_make_an_entity_listed(
    graph: ControlGraph, bundled_con: duckdb.DuckDBPyConnection
) -> None:
    only_alleged = {
        f"{s}:{r}"
        for s, r in bundled_con.execute(
            "SELECT source, record_id FROM records WHERE source = 'ua_war_sanctions' AND removed_version IS NULL"
        ).fetchall()
    }
    listed_keys = {k for k in graph.listed}
    for key in list(only_alleged)[:2000]:
        if key not in graph.entity_of:  # a record of its own, on the portal only
            assert key not in listed_keys
    assert all("ua" not in js for js in graph.listed.values())


def test_a_relative_named_given_name_first_is_found(graph: ControlGraph) -> None:
    # SDN 7731, MARKOVIC, Mirjana: "wife of Slobodan Milosevic."; his entry is SDN 7742,
    # "MILOSEVIC, Slobodan": the same words in another order.
    (edge,) = [e for e in graph.edges if (e.source, e.record_id) == ("us_ofac_sdn", "7731")]
    assert (edge.relation, edge.directed, edge.text) == ("family", False, "wife of: Slobodan Milosevic")
    assert {edge.subject, edge.object} == {
        record_entity(graph, "us_ofac_sdn:7731"),
        record_entity(graph, "us_ofac_sdn:7742"),
    }
