"""US Consolidated Screening List CSV: counts, spot checks and bad input on the real file."""

from __future__ import annotations

import csv
import gzip
import io
from collections import Counter
from pathlib import Path

import pytest

from reckon.model import Address, FuzzyDate, Identifier, Link, Record
from reckon.sources.common import SourceError
from reckon.sources.csl import parse_csl
from tests.conftest import shared

CSL = "us_csl/consolidated.csv.gz"
SDN = "Specially Designated Nationals (SDN) - Treasury Department"


@pytest.fixture(scope="module")
def csl() -> dict[str, Record]:
    return {r.id: r for r in parse_csl(shared(CSL)).records}


@pytest.fixture(scope="module")
def text() -> str:
    return gzip.decompress(shared(CSL).read_bytes()).decode("utf-8")


@pytest.mark.integration
def test_counts() -> None:
    lv = parse_csl(shared(CSL))
    assert (lv.format, lv.source, lv.published) == ("csl-csv", "us_trade_csl", None)
    assert lv.warnings == []
    # 14,160 rows; rows sharing an _id (one OFAC entry on SDN and SSI/CAPTA/...) merge.
    assert len(lv.records) == 14_048
    designations = Counter(d.authority for r in lv.records for d in r.designations)
    assert designations[SDN] == 10_026
    assert designations["Entity List (EL) - Bureau of Industry and Security"] == 2001
    assert designations["ITAR Debarred (DTC) - State Department"] == 727
    # One CAPTA row is repeated verbatim (except its list URL) and collapses into one designation.
    assert designations["Capta List (CAP) - Treasury Department"] == 52
    assert sum(designations.values()) == 14_159
    assert Counter(r.schema for r in lv.records) == {
        "Person": 5284,
        "Company": 4904,
        "Organization": 3144,
        "Vessel": 433,
        "Airplane": 283,
    }
    assert all(d.jurisdiction == "us" for r in lv.records for d in r.designations)


@pytest.mark.integration
def test_deripaska(csl: dict[str, Record]) -> None:
    r = csl["24283"]
    assert r.schema == "Person"
    name = r.names[0]
    assert (name.full, name.first, name.last) == (
        "DERIPASKA, Oleg Vladimirovich",
        "Oleg Vladimirovich",
        "DERIPASKA",
    )
    assert r.birth_dates == [FuzzyDate("1968-01-02", original="1968-01-02")]
    assert r.properties["citizenship"] == ["ru", "cy"]
    assert r.properties["gender"] == ["male"]
    assert r.properties["birthPlace"] == ["Dzerzhinsk, Nizhny Novgorod Region, Russia"]
    assert r.addresses[2] == Address(full="5, Belgrave Square, Belgravia, London, SW1X 8PH, GB", country="gb")
    [d] = r.designations
    assert (d.authority, d.programs, d.authority_id) == (SDN, ("UKRAINE-EO13661", "UKRAINE-EO13662"), "24283")
    assert d.measures == (
        "Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations,"
        " 31 CFR 589.201 and/or 589.209",
    )
    assert r.links == [Link("same_as", "DERIPASKA, Oleg Vladimirovich", "us_ofac_sdn:24283")]


@pytest.mark.integration
def test_merged_ofac_rows(csl: dict[str, Record]) -> None:
    r = csl["18291"]
    assert r.schema == "Company"
    assert [d.authority for d in r.designations] == [
        "Capta List (CAP) - Treasury Department",
        SDN,
        "Sectoral Sanctions Identifications List (SSI) - Treasury Department",
    ]
    assert r.identifiers == [
        Identifier("innCode", "7750004150", "ru", "Tax ID No."),
        Identifier("leiCode", "25340038P8SYW80B9W34", "ru", "Legal Entity Number"),
        Identifier("swiftBic", "BELBBY2X"),
    ]
    assert r.properties["incorporationDate"] == ["1991-12-23"]
    assert r.properties["classification"] == ["Financial Institution"]
    assert r.properties["website"] == ["bveb.by"]
    assert r.links == [
        Link("linked", "STATE CORPORATION BANK FOR DEVELOPMENT AND FOREIGN ECONOMIC AFFAIRS VNESHECONOMBANK"),
        Link("same_as", "BANK BELVEB OJSC", "us_ofac_cons:18291"),
        Link("same_as", "BANK BELVEB OJSC", "us_ofac_sdn:18291"),
    ]


@pytest.mark.integration
def test_typed_ids(csl: dict[str, Record]) -> None:
    andreyev = csl["29703"]
    assert andreyev.identifiers[0] == Identifier("passportNumber", "4005504207", "ru")
    wallets = [(i.value, i.note) for i in andreyev.identifiers if i.scheme == "cryptoWallet"]
    assert len(wallets) == 17
    assert wallets[0] == ("1Fz29BQp82pE3vXXcsZoMNQ3KSHfMzfMe3", "XBT")
    assert andreyev.properties["email"] == ["antonandreyv@gmail.com"]
    plane = csl["15445"]
    assert plane.schema == "Airplane"
    assert plane.properties["model"] == ["A300B4-605R"]
    assert plane.properties["buildDate"] == ["1988-05-17"]
    assert Link("operator", "MAHAN AIR") in plane.links
    vessel = csl["23156"]
    assert vessel.schema == "Vessel"
    assert vessel.identifiers == [Identifier("imoNumber", "IMO8898831")]
    assert vessel.properties["flag"] == ["kp"]


@pytest.mark.integration
def test_bis_rows(csl: dict[str, Record]) -> None:
    el = csl["4398d33e9e93c7477af39f1e0bfffc13ddd47bcc"]
    assert el.schema == "Company"  # no type in the CSV; "JSC" makes it a company
    assert [n.full for n in el.names] == [
        "140 Repair Plant JSC",
        "Open Joint Stock Company 140 Repair Plant",
        "JSC 140 Repair Plant",
    ]
    [d] = el.designations
    assert (d.listing_date, d.legal_basis, d.programs) == ("2022-04-07", "87 FR 20299", ())
    assert d.measures == (
        "License requirement: For all items subject to the EAR."
        " (See §§734.9(g),3 746.8(a)(3), and 744.21(b) of the EAR.)",
        "License policy: Policy of denial.",
    )
    # BIS wrote "HPSTAR; and; Beijing High Voltage Science Research Center": "and" is no alias.
    hpstar = csl["ec6b729c5a988c071ed01f7e55f9939042420bdd"]
    assert [n.full for n in hpstar.names][1:] == ["HPSTAR", "Beijing High Voltage Science Research Center"]
    dpl = csl["deb7a1d5743a85c354ca1a2c7f2664e2104b32d7"]
    assert (dpl.designations[0].listing_date, dpl.designations[0].end_date) == ("2003-06-19", "2056-06-29")
    assert dpl.links == []  # not an OFAC row: no same_as link


# ------------------------------------------------------------------ bad input


def _expect_error(path: Path, *fragments: str) -> None:
    with pytest.raises(SourceError) as info:
        parse_csl(path)
    message = str(info.value)
    assert path.name in message
    for fragment in fragments:
        assert fragment in message


def test_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    _expect_error(path, "empty")


def test_missing_columns(tmp_path: Path, text: str) -> None:
    rows = list(csv.reader(io.StringIO(text[:200_000].rsplit("\n", 1)[0])))
    drop = {rows[0].index("name"), rows[0].index("type")}
    out = io.StringIO()
    csv.writer(out).writerows([[c for i, c in enumerate(row) if i not in drop] for row in rows])
    path = tmp_path / "nocols.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    _expect_error(path, "line 1", "missing columns: type, name")


def test_cut_mid_quote(tmp_path: Path, text: str) -> None:
    # Cut inside the quoted addresses cell of line 2 (the first data row).
    cut = text.index("INCARCERATED AT USM")
    path = tmp_path / "cut.csv"
    path.write_text(text[:cut], encoding="utf-8")
    _expect_error(path, "row 2", "malformed CSV")


def test_cut_mid_row(tmp_path: Path, text: str) -> None:
    lines = text.split("\n")
    path = tmp_path / "short.csv"
    path.write_text("\n".join(lines[:3]) + "\n" + lines[3][:40] + "\n", encoding="utf-8")
    _expect_error(path, "row 4", "fields")


def test_truncated_gzip(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv.gz"
    path.write_bytes(shared(CSL).read_bytes()[:400_000])
    _expect_error(path, "compressed stream")


def test_wrong_encoding(tmp_path: Path, text: str) -> None:
    head = text[:20_000]
    first = next(i for i, c in enumerate(head) if ord(c) > 127)
    line = head[:first].count("\n") + 1
    path = tmp_path / "latin1.csv"
    path.write_bytes(head.encode("latin-1", errors="replace"))
    _expect_error(path, f"line {line}", "not valid utf-8")


def test_utf16(tmp_path: Path, text: str) -> None:
    path = tmp_path / "utf16.csv"
    path.write_bytes(text[:20_000].encode("utf-16"))
    _expect_error(path, "line 1, byte 0", "not valid utf-8")


def test_uncompressed_head(tmp_path: Path, text: str) -> None:
    # The first real rows as a plain CSV: same reader, no gzip.
    head = text[: text.index("\n", 100_000) + 1]
    path = tmp_path / "head.csv"
    path.write_text(head, encoding="utf-8")
    lv = parse_csl(path)
    assert len(lv.records) == len(list(csv.DictReader(io.StringIO(head))))
