"""reckon's own analyses over real HTTP: /coverage, /timeline and /lag as the commands'
--json gives them and as charts, /changes in JSON, Atom and JSON Feed, and the dossier
of an entity in HTML and PDF."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from lxml import etree

from reckon.resolve import resolve
from reckon.store import connect
from tests.api.conftest import Server, running_server
from tests.resolve.conftest import UN_NEW, UN_OLD, load

ATOM = "{http://www.w3.org/2005/Atom}"


def entity_id(server: Server) -> str:
    reply = server.get("/search/default?q=Abramovich&limit=1")
    found: str = reply.json()["results"][0]["id"]
    return found


@pytest.mark.integration
def test_coverage_json_and_charts(server: Server) -> None:
    reply = server.get("/coverage")
    assert reply.status == 200 and reply.headers["content-type"].startswith("application/json")
    report = reply.json()
    assert set(report) >= {"filters", "jurisdictions", "states", "combinations", "listed", "entities"}
    assert report["listed"]["ca"] is None  # not loaded: unknown, never 0
    assert report["states"]["us"]["known"] is True
    assert report["entities"] == sum(c["count"] for c in report["combinations"]) > 0
    assert server.get("/coverage").body == reply.body  # the same answer, kept
    svg = server.get("/coverage?format=svg")
    assert svg.status == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert etree.fromstring(svg.body).tag == "{http://www.w3.org/2000/svg}svg"
    png = server.get("/coverage?format=png&jurisdiction=us&jurisdiction=gb")
    assert png.status == 200 and png.body.startswith(b"\x89PNG\r\n\x1a\n")
    narrowed = server.get("/coverage?jurisdiction=us,gb&schema=Person").json()
    assert narrowed["jurisdictions"] == ["us", "gb"] and narrowed["filters"]["schema"] == "Person"
    for bad in ("jurisdiction=zz", "theme=nothing", "measure=nothing", "schema=Spaceship", "format=gif"):
        reply = server.get(f"/coverage?{bad}")
        assert reply.status in (400, 422), (bad, reply.body)
        assert isinstance(reply.json()["detail"], str)


@pytest.mark.integration
def test_timeline_and_lag(server: Server) -> None:
    by_year = server.get("/timeline?by=year").json()
    assert by_year["by"] == "year" and "us" in by_year["counts"]
    assert all(len(p) == 4 for p in by_year["periods"])
    assert server.get("/timeline?by=week").status == 422
    one = server.get(f"/timeline?entity={quote(entity_id(server))}")
    assert one.status == 200
    events = one.json()["events"]
    assert {"jurisdiction": "gb", "kind": "listed", "date": "2022-03-10"}.items() <= events[0].items()
    chart = server.get(f"/timeline?entity={quote(entity_id(server))}&format=svg")
    assert chart.status == 200 and chart.body.lstrip().startswith(b"<?xml")
    assert server.get("/timeline?entity=rk-nope").status == 404
    lag = server.get("/lag").json()
    assert set(lag) >= {"filters", "jurisdictions", "stats", "entities", "left_out"}
    assert "ca" in lag["left_out"]
    assert server.get("/lag?format=svg&max_window=30").status == 200


@pytest.mark.integration
def test_dossier_html_pdf_redirects(server: Server) -> None:
    eid = entity_id(server)
    html = server.get(f"/dossier/{eid}.html")
    assert html.status == 200 and html.headers["content-type"].startswith("text/html")
    assert b"ABRAMOVICH" in html.body and b"gb_hmt_sanctions" in html.body
    pdf = server.get(f"/dossier/{eid}.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body.startswith(b"%PDF")
    member = server.get("/dossier/" + quote("gb_hmt_sanctions:14212") + ".pdf")
    assert member.status == 308 and member.headers["location"].endswith(f"/dossier/{eid}.pdf")
    for bad in ("rk-nope.html", "gb_hmt_sanctions:0.pdf", f"{eid}.doc", f"{eid}", ".html"):
        reply = server.get("/dossier/" + quote(bad))
        assert reply.status == 404, (bad, reply.status)
        assert isinstance(reply.json()["detail"], str)


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A store of two real versions of the UN list (2025-11-20, 2026-02-27): what changed between them."""
    path = tmp_path_factory.mktemp("changes") / "un.duckdb"
    con = connect(path)
    try:
        load(con, UN_OLD)
        load(con, UN_NEW)
        resolve(con)
    finally:
        con.close()
    with running_server(path, path.with_suffix(".log")) as srv:
        yield srv


@pytest.mark.integration
def test_changes_json_and_feeds(two_versions: Server) -> None:
    data = two_versions.get("/changes?limit=5").json()
    assert data["total"] > 0 and len(data["changes"]) == min(5, data["total"])
    first = data["changes"][0]
    assert set(first) == {"version_date", "source", "record_id", "change", "fields", "caption", "entity"}
    assert first["source"] == "un_sc_sanctions" and first["change"] in ("added", "amended", "removed")
    page = two_versions.get("/changes?limit=2&offset=3").json()["changes"]
    assert page == two_versions.get("/changes?limit=5").json()["changes"][3:5]
    assert (
        two_versions.get("/changes?source=un_sc_sanctions&since=2026-01-01").json()["total"] == data["total"]
    )
    assert two_versions.get("/changes?until=2026-01-01").json()["total"] == 0
    atom = two_versions.get("/changes?format=atom&limit=7")
    assert atom.status == 200 and atom.headers["content-type"].startswith("application/atom+xml")
    feed = etree.fromstring(atom.body)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == min(7, data["total"])
    assert all(e.findtext(f"{ATOM}id", "").startswith("urn:reckon:change:") for e in entries)
    jf = two_versions.get("/changes?format=jsonfeed&limit=3")
    assert jf.headers["content-type"].startswith("application/feed+json")
    items = json.loads(jf.body)["items"]
    assert len(items) == min(3, data["total"]) and items[0]["_reckon"]["source"] == "un_sc_sanctions"
    for path, status in (
        ("/changes?source=nowhere", 404),
        ("/changes?since=2026-13-40", 400),
        ("/changes?format=rss", 422),
        ("/changes?limit=0", 422),
    ):
        reply = two_versions.get(path)
        assert reply.status == status, (path, reply.status, reply.body[:200])
        assert isinstance(reply.json()["detail"], str)
