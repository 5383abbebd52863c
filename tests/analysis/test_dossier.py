"""Dossiers on real records of the lists: what a ministry would read, and where it comes from.

One store for the module, as in test_status.py but lighter: the OFAC SDN list of
2024-05-03 (whole), the real records of Abramovich and Putin on the UK and Australian
lists, the EU sample, and two entries of Ukraine's War & Sanctions portal (Putin's, and
one that no list names).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from reckon.analysis.dossier import Dossier, entity_dossier, gaps_dossier, render_html
from reckon.analysis.gaps import GapQuery
from reckon.ingest import version_date_for
from reckon.model import Name
from reckon.outputs import atomic_binary_output
from reckon.store import connect, import_version
from tests.conftest import run_cli
from tests.resolve.conftest import AU, EU, FCDO, OFSI, job, parsed, resolved_store

UA = "ua_war_sanctions.targets.simple.csv.gz"
ABRAMOVICH = {OFSI: ["14212"], FCDO: ["RUS0270"], AU: ["6754"]}
PUTIN = {OFSI: ["14196"], FCDO: ["RUS0251"], AU: ["6678"], UA: ["Q7747"]}
LOPOTA = "ua_war_sanctions:NK-AVFBJVqfs2mDLmQZB59Xr8"  # on the portal, on no list
SDN = ["sdn_2024-05-03.csv"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    records = [*ABRAMOVICH.items(), *PUTIN.items(), (UA, [LOPOTA.split(":", 1)[1]]), (EU, None)]
    yield resolved_store(tmp_path_factory.mktemp("dossier") / "dossier.duckdb", SDN, records)


@pytest.fixture
def con(store: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    c = duckdb.connect(str(store), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def abramovich(store: Path) -> Dossier:
    c = duckdb.connect(str(store), read_only=True)
    try:
        d = entity_dossier(c, "gb_hmt_sanctions:14212", store=store.name)
    finally:
        c.close()
    assert d is not None
    return d


def _text(html: str) -> str:
    """The HTML's text as a reader sees it: tags out, spaces folded."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.integration
def test_abramovich_listed_by_the_uk_and_australia_not_by_the_us_eu_unknown(abramovich: Dossier) -> None:
    (e,) = abramovich.entities
    assert e.caption == "Roman Arkadyevich ABRAMOVICH" and e.resolved
    status = {s.jurisdiction: s for s in e.statuses}
    assert status["gb"].status == "listed" and status["au"].status == "listed"
    assert status["gb"].statement.startswith("listed since 2022-03-10 (the list's own date); on the list: ")
    assert "gb_hmt_sanctions:14212 in the list of 2025-04-14" in status["gb"].statement
    assert status["us"].status == "not listed"
    assert status["us"].statement.startswith("not listed as of 2024-05-03 (us_ofac_sdn")
    assert status["eu"].status == "unknown" and "sample" in status["eu"].statement
    # Nothing of Canada or the UN is loaded: unknown, never "not listed".
    assert status["ca"].statement == "unknown: its list is not loaded"
    assert e.gap_statement.startswith("Listed by Australia (on or before ")
    assert "the UK (since 2022-03-10); not listed by the US as of 2024-05-03;" in e.gap_statement
    assert "the EU unknown: only a sample of the list is loaded" in e.gap_statement
    # OFSI's designation with its date, programme, kind of measure and reasons.
    (ofsi,) = [x for x in e.designations if x.record == "gb_hmt_sanctions:14212"]
    assert ofsi.since.startswith("since 2022-03-10") and ofsi.programmes == ["Russia"]
    assert any("Targeted" in k for k in ofsi.kinds)
    assert any("PUTIN" in r for r in ofsi.reasons)
    # Names by script, each with the record that states it.
    assert "Cyrillic" in e.names and "Latin" in e.names
    assert any(n.name == "Роман Аркадьевич АБРАМОВИЧ" for n in e.names["Cyrillic"])
    assert e.allegations == []


@pytest.mark.integration
def test_the_appendix_names_every_version_used_with_its_sha256(
    abramovich: Dossier, con: duckdb.DuckDBPyConnection
) -> None:
    stored = {
        (str(s), str(d)): (str(f), str(h))
        for s, d, f, h in con.execute(
            "SELECT source, version_date, file_name, sha256 FROM versions"
        ).fetchall()
    }
    cited = {(v.source, v.version_date): (v.file_name, v.sha256) for v in abramovich.versions}
    assert all(stored[k] == v for k, v in cited.items())
    # Every list a status rests on, and the list versions its dates come from.
    sources = {s for s, _ in cited}
    assert {"us_ofac_sdn", "gb_hmt_sanctions", "gb_fcdo_sanctions", "au_dfat_sanctions", "eu_fsf"} <= sources
    (sdn,) = [v for v in abramovich.versions if v.source == "us_ofac_sdn"]
    assert sdn.version_date.startswith("2024-05-03") and sdn.complete
    (eu,) = [v for v in abramovich.versions if v.source == "eu_fsf"]
    assert not eu.complete  # the EU file is a sample: its jurisdiction is unknown
    html = render_html(abramovich)
    for file_name, sha in cited.values():
        assert sha in html and file_name in html
    text = _text(html)
    assert "Generated " in text and f"by reckon {abramovich.reckon_version}" in text
    assert "not listed as of 2024-05-03" in text


@pytest.mark.integration
def test_a_portal_entry_is_an_allegation_never_a_designation(con: duckdb.DuckDBPyConnection) -> None:
    putin = entity_dossier(con, "us_ofac_sdn:35096")
    assert putin is not None
    (e,) = putin.entities
    assert [a.record for a in e.allegations] == ["ua_war_sanctions:Q7747"]
    assert not any(x.record.startswith("ua_war_sanctions:") for x in e.designations)
    assert {x.jurisdiction for x in e.designations} == {"us", "gb", "au"}
    assert "ua" not in {s.jurisdiction for s in e.statuses}
    lopota = entity_dossier(con, LOPOTA)
    assert lopota is not None
    (e,) = lopota.entities
    assert e.designations == []
    (a,) = e.allegations
    assert a.statement.startswith("documented by Ukraine War & Sanctions portal (NAZK/GUR)")
    assert " as UA-WS-EXECUTIVES " in a.statement and a.statement.endswith("not a sanction")
    assert a.urls and a.urls[0].startswith("https://")
    assert e.gap_statement.startswith(
        "Documented by Ukraine War & Sanctions portal (NAZK/GUR), via OpenSanctions (not a sanction); "
        "not listed by the US as of 2024-05-03;"
    )
    text = _text(render_html(lopota))
    assert "Allegations (not sanctions)" in text and "Documented by Ukraine War" in text
    assert "No list of a jurisdiction designates this entity" in text


@pytest.mark.integration
def test_a_gap_dossier_has_a_summary_and_a_section_per_entity(con: duckdb.DuckDBPyConnection) -> None:
    d = gaps_dossier(con, GapQuery(("gb", "au"), ("us",), schema="Person"))
    assert d.gap is not None
    assert [g.caption for g in d.gap.gaps] == ["Roman Arkadyevich ABRAMOVICH"]  # the US lists Putin
    assert d.gap.jurisdictions == ["UK", "Australia", "US"]
    assert d.gap.gaps[0].cells == [
        "listed since 2022-03-10",
        d.gap.gaps[0].cells[1],
        "not listed as of 2024-05-03",
    ]
    assert d.gap.gaps[0].cells[1].startswith("listed on or before ")  # the one Australian list loaded
    assert [e.caption for e in d.entities] == ["Roman Arkadyevich ABRAMOVICH"]
    # The section tells every jurisdiction, the summary only the question's.
    assert {s.jurisdiction for s in d.entities[0].statuses} >= {"eu", "ca", "un"}
    assert {v.source for v in d.versions} >= {"us_ofac_sdn", "gb_hmt_sanctions", "au_dfat_sanctions"}
    documented = gaps_dossier(con, GapQuery((), ("us",), candidates="ua_war_sanctions"))
    assert documented.gap is not None
    assert [e.members for e in documented.entities] == [[LOPOTA]]
    assert documented.gap.gaps[0].documented_as == "UA-WS-EXECUTIVES"
    text = _text(render_html(documented))
    assert "Documented as (not a sanction)" in text


def test_names_on_lists_are_escaped(tmp_path: Path) -> None:
    # A real portal entry with a name rewritten into markup: lists are untrusted input.
    version = parsed(UA)
    (entry,) = [r for r in version.records if r.key == LOPOTA]
    hostile = "<script>alert('x')</script> Ivan <b>IVANOV</b>"
    entry = replace(entry, names=[Name(hostile, kind="name")])
    date, origin = version_date_for(version.published, job(UA).path, job(UA).date)
    con = connect(tmp_path / "hostile.duckdb")
    import_version(
        con,
        replace(version, records=[entry]),
        sha256=hashlib.sha256(b"hostile").hexdigest(),
        file_name=UA,
        version_date=date,
        date_origin=origin,
        complete=False,
    )
    d = entity_dossier(con, LOPOTA)  # not resolved: the dossier of the one record
    con.close()
    assert d is not None and not d.entities[0].resolved
    html = render_html(d)
    assert "<script>" not in html and "<b>IVANOV" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Ivan &lt;b&gt;IVANOV&lt;/b&gt;" in html
    assert "not resolved" in _text(html).lower()


@pytest.mark.integration
def test_cli_writes_html_and_pdf_and_refuses_bad_input(store: Path, tmp_path: Path) -> None:
    html, pdf = tmp_path / "abramovich.html", tmp_path / "abramovich.pdf"
    code, _, stderr = run_cli(
        "dossier", "gb_hmt_sanctions:14212", "-o", str(html), "-o", str(pdf), "--db", str(store)
    )
    assert code == 0, stderr
    assert "Roman Arkadyevich ABRAMOVICH" in html.read_text(encoding="utf-8")
    assert pdf.read_bytes().startswith(b"%PDF-")
    code, stdout, stderr = run_cli("dossier", "gb_hmt_sanctions:14212", "--json", "--db", str(store))
    assert code == 0, stderr
    data = json.loads(stdout)
    assert data["entities"][0]["caption"] == "Roman Arkadyevich ABRAMOVICH"
    assert {v["source"] for v in data["versions"]} >= {"us_ofac_sdn", "gb_hmt_sanctions"}
    code, _, stderr = run_cli(
        "dossier",
        "--gaps",
        "--listed-in",
        "gb",
        "--not-listed-in",
        "us",
        "-o",
        str(tmp_path / "gap.html"),
        "--db",
        str(store),
    )
    assert code == 0, stderr
    assert "Sanctions gap dossier" in (tmp_path / "gap.html").read_text(encoding="utf-8")
    alias = tmp_path / "store.html"
    alias.symlink_to(store)
    for args, needle in (
        (["rk-nope", "-o", str(tmp_path / "x.html")], "no entity 'rk-nope'"),
        (["gb_hmt_sanctions:14212", "-o", str(tmp_path / "x.docx")], "unknown extension '.docx'"),
        (["gb_hmt_sanctions:14212"], "give -o FILE.html"),
        (
            ["gb_hmt_sanctions:14212", "--gaps", "--not-listed-in", "us", "-o", str(tmp_path / "x.html")],
            "not both",
        ),
        (
            ["gb_hmt_sanctions:14212", "--not-listed-in", "us", "-o", str(tmp_path / "x.html")],
            "go with --gaps",
        ),
        (
            ["--gaps", "--listed-in", "uk", "--not-listed-in", "us", "-o", str(tmp_path / "x.html")],
            "unknown jurisdiction 'uk'",
        ),
        (["gb_hmt_sanctions:14212", "-o", str(alias)], "is the store itself"),
        (["gb_hmt_sanctions:14212", "-o", str(tmp_path / "no" / "x.pdf")], "does not exist"),
    ):
        code, _, stderr = run_cli("dossier", *args, "--db", str(store))
        assert code == 2 and needle in stderr, (args, stderr)
        assert len(stderr.strip().splitlines()) == 1, stderr
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "x.docx").exists()


@pytest.mark.integration
def test_the_pdf_reads_as_the_dossier(store: Path, tmp_path: Path) -> None:
    """Page 1 of the PDF, rendered to an image and read back by OCR, shows the person's
    name and a status phrase: the PDF holds real text in visible glyphs, not only markup."""
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        message = "tesseract is not installed (Debian: apt-get install tesseract-ocr)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    import pypdfium2

    pdf = tmp_path / "abramovich.pdf"
    code, _, stderr = run_cli("dossier", "gb_hmt_sanctions:14212", "-o", str(pdf), "--db", str(store))
    assert code == 0, stderr
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        image = doc[0].render(scale=300 / 72).to_pil()  # 300 dpi
    finally:
        doc.close()
    png = tmp_path / "page1.png"
    image.save(png)
    read = subprocess.run(
        [tesseract, str(png), "stdout", "-l", "eng"], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    words = " ".join(read.split())
    assert "Roman Arkadyevich ABRAMOVICH" in words, words
    assert "not listed as of 2024-05-03" in words, words


def test_a_binary_output_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    with atomic_binary_output(target) as fh:
        fh.write(b"%PDF-1.7\n")
    assert target.read_bytes() == b"%PDF-1.7\n"
    with pytest.raises(RuntimeError), atomic_binary_output(target) as fh:
        fh.write(b"half")
        raise RuntimeError("renderer failed")
    assert target.read_bytes() == b"%PDF-1.7\n"  # the old file, untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]  # no staging file left


@pytest.mark.integration
def test_names_and_facts_are_the_profile_of_reckon_show(con: duckdb.DuckDBPyConnection) -> None:
    # The dossier reads every entity's statements in one query; what it merges must be
    # exactly what `reckon show` (resolve.profile) shows, value by value with provenance.
    from reckon.analysis.dossier import _names_and_facts
    from reckon.analysis.status import entity_status
    from reckon.resolve.profile import profile

    statuses = [entity_status(con, e) for e in ("us_ofac_sdn:35096", "gb_hmt_sanctions:14212", LOPOTA)]
    read = _names_and_facts(con, [st for st in statuses if st is not None])
    assert len(read) == 3
    for entity, got in read.items():
        shown = profile(con, entity)
        assert shown is not None
        assert got.names == shown.names and got.facts == shown.facts
