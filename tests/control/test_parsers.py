"""Relations the parsers used to drop, read from the real files."""

from __future__ import annotations

from reckon.model import Link
from reckon.sources.ofac_xml import parse_classic_xml
from tests.conftest import REPO


def test_ofac_classic_xml_keeps_linked_to_in_parentheses() -> None:
    # OFAC's consolidated (non-SDN) list of 2026-01-08, classic XML: remarks such as
    # "(Linked To: HAMAS)" were kept as notes, not as relations.
    lv = parse_classic_xml(REPO / "data/lists/ofac_consolidated/consolidated_classic_2026-01-08.xml.gz")
    by_id = {r.id: r for r in lv.records}
    assert by_id["9647"].links == [Link("linked", "HAMAS")]
    assert "(Linked To: HAMAS)" not in by_id["9647"].properties.get("notes", [])
    assert Link("linked", "VTB BANK PUBLIC JOINT STOCK COMPANY") in by_id["17017"].links
    assert sum(len(r.links) for r in lv.records) == 283  # every "Linked To" of the file
