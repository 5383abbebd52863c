"""GET /exposure/{entity} over real HTTP on the API's store of real records (the OFAC SDN
list of 2024-05-03 among them), as `reckon exposure --json` gives it."""

from __future__ import annotations

import pytest

from tests.api.conftest import Server

pytestmark = pytest.mark.integration


def test_exposure_of_an_sdn_entry_linked_to_bank_rossiya(server: Server) -> None:
    # SDN 20283, AO ABR MANAGEMENT: "Linked To: BANK ROSSIYA." (SDN 16681).
    reply = server.get("/exposure/us_ofac_sdn:20283?hops=1")
    assert reply.status == 200 and reply.headers["content-type"].startswith("application/json")
    body = reply.json()
    assert body["caption"] == "AO ABR MANAGEMENT"
    bank = next(p for p in body["paths"] if body["captions"][p["end"]] == "BANK ROSSIYA")
    (edge,) = bank["edges"]
    assert (edge["source"], edge["record_id"], edge["text"]) == (
        "us_ofac_sdn",
        "20283",
        "Linked To: BANK ROSSIYA",
    )
    assert edge["relation"] == "linked" and edge["directed"] is False and edge["percentage"] is None
    assert body["version_dates"][str(edge["version_id"])].startswith("2024-05-03")
    assert all(len(p["edges"]) == 1 for p in body["paths"])
    us = next(j for j in body["by_jurisdiction"] if j["jurisdiction"] == "us")
    assert us["entity_listed"] is True and bank["end"] in us["linked_to"] and us["controlled_by"] == []
    # The store holds no Canadian list: unknown, never "not listed".
    ca = next(j for j in body["by_jurisdiction"] if j["jurisdiction"] == "ca")
    assert ca["entity_listed"] is None
    # Two hops (the default) reach further: the Kovalchuks through the people linked to it.
    assert len(server.get("/exposure/us_ofac_sdn:20283").json()["paths"]) > len(body["paths"])


def test_exposure_errors_name_the_problem(server: Server) -> None:
    missing = server.get("/exposure/us_ofac_sdn:no-such-record")
    assert missing.status == 404 and "no entity" in missing.json()["detail"]
    too_far = server.get("/exposure/us_ofac_sdn:20283?hops=9")
    assert too_far.status == 422 and "hops" in str(too_far.json()["detail"])
