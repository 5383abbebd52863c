"""The programme taxonomy (data/programmes.toml) against the codes the real lists write.

Every bundled list file is parsed once (shared with the resolution tests' cache) and each
designation's programmes must be known; a designation without one must be classified by its
part of the list. The SDN history archive (308 versions) is read in an integration test.
"""

from __future__ import annotations

import csv
import io
import re
import tarfile
from collections.abc import Iterator

import pytest

from reckon.analysis.taxonomy import Programme, _build, classify, measures, normalise, themes, unmapped
from reckon.ingest import bundled_jobs
from reckon.model import Designation
from tests.resolve.conftest import parsed


def _bundled_designations() -> Iterator[tuple[str, Designation]]:
    for job in bundled_jobs():
        if job.history:
            continue
        version = parsed(job.path.name)
        for record in version.records:
            for designation in record.designations:
                yield record.source, designation


def test_every_programme_of_the_bundled_lists_is_mapped() -> None:
    pairs: set[tuple[str, str]] = set()
    unclassified: set[tuple[str, str | None]] = set()
    for source, d in _bundled_designations():
        pairs.update((source, p) for p in d.programs)
        if (
            not d.programs
            and classify(source, "", authority=d.authority, authority_id=d.authority_id) is None
        ):
            unclassified.add((source, d.authority))
    assert unmapped(pairs) == []
    assert unclassified == set()
    # The bundled lists write 307 distinct (source, code) pairs; fewer means a parser lost them.
    assert len(pairs) >= 300


@pytest.mark.integration
def test_every_programme_of_the_sdn_history_is_mapped() -> None:
    (archive,) = [j.path for j in bundled_jobs() if j.history]
    cells: set[str] = set()
    versions = 0
    # The Program column read directly: parsing 308 whole versions would take minutes.
    with tarfile.open(archive, "r|xz") as tar:
        for member in tar:
            fh = tar.extractfile(member) if member.isfile() else None
            if fh is None:
                continue
            versions += 1
            text = io.StringIO(fh.read().decode("utf-8", errors="replace"), newline="")
            cells.update(row[3] for row in csv.reader(text) if len(row) > 3)
    codes = {c.strip() for cell in cells for c in re.split(r"\]\s*\[", cell)} - {"", "-0-"}
    assert versions == 308
    assert unmapped(("us_ofac_sdn", c) for c in codes) == []
    # Codes that appear only in past versions (Burundi's and Zimbabwe's programmes ended).
    assert {"BURUNDI", "ZIMBABWE", "BELARUS-EO", "PEESA-EO", "MIDDLE-EAST-EO"} <= codes


CSL_SSI = "Sectoral Sanctions Identifications List (SSI) - Treasury Department"
CSL_SDN = "Specially Designated Nationals (SDN) - Treasury Department"
CSL_EL = "Entity List (EL) - Bureau of Industry and Security"
CA_MAGNITSKY = "Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR)"


@pytest.mark.parametrize(
    ("source", "code", "authority", "authority_id", "theme", "measure"),
    [
        ("us_ofac_sdn", "RUSSIA-EO14024", None, None, "russia_ukraine", "targeted"),
        ("us_trade_csl", "RUSSIA-EO14024", CSL_SDN, None, "russia_ukraine", "targeted"),
        # The same tag on the SSI part of the CSL, and on the non-SDN list, is a sectoral measure.
        ("us_trade_csl", "UKRAINE-EO13662", CSL_SSI, None, "russia_ukraine", "sectoral"),
        ("us_ofac_cons", "UKRAINE-EO13662", None, None, "russia_ukraine", "sectoral"),
        ("us_ofac_cons", "CMIC-EO13959", None, None, "other", "sectoral"),
        ("us_trade_csl", "", CSL_EL, None, "other", "export_control"),
        ("us_trade_csl", "", "ITAR Debarred (DTC) - State Department", None, "other", "export_control"),
        ("us_ofac_sdn", "SDGT", None, None, "terrorism", "targeted"),
        ("un_sc_sanctions", "Al-Qaida", None, None, "terrorism", "targeted"),
        ("us_ofac_sdn", "BELARUS-EO14038", None, None, "belarus", "targeted"),
        ("gb_hmt_sanctions", "Belarus", None, None, "belarus", "targeted"),
        ("eu_fsf", "BLR", None, None, "belarus", "targeted"),
        # Global Magnitsky laws cover abuse and corruption; programmes.toml puts them under human rights.
        ("us_ofac_sdn", "GLOMAG", None, None, "human_rights", "targeted"),
        ("ca_dfatd_sema_sanctions", CA_MAGNITSKY, None, None, "human_rights", "targeted"),
        ("gb_fcdo_sanctions", "Global Anti-Corruption", None, None, "corruption", "targeted"),
        ("gb_fcdo_sanctions", "Cyber", None, None, "cyber", "targeted"),
        ("us_ofac_sdn", "NPWMD", None, None, "non_proliferation", "targeted"),
        ("us_ofac_sdn", "IRAN", None, None, "other", "targeted"),
        ("au_dfat_sanctions", "Autonomous (Russia)", None, None, "russia_ukraine", "targeted"),
        # Canada's Russia schedule 2 (new debt of Sberbank, VTB...) is sectoral, schedule 1 is not.
        ("ca_dfatd_sema_sanctions", "Russia", None, "russia/2/6", "russia_ukraine", "sectoral"),
        ("ca_dfatd_sema_sanctions", "Russia", None, "russia/1, Part 1/1", "russia_ukraine", "targeted"),
        ("ua_war_sanctions", "UA-WS-KIDNAPPERS", None, None, "russia_ukraine", "allegation"),
        ("ua_war_sanctions", "", None, None, "russia_ukraine", "allegation"),
    ],
)
def test_real_codes(
    source: str, code: str, authority: str | None, authority_id: str | None, theme: str, measure: str
) -> None:
    found = classify(source, code, authority=authority, authority_id=authority_id)
    assert found is not None
    assert (found.theme, found.measure) == (theme, measure)
    assert found.label


def test_codes_are_compared_as_the_lists_vary_them() -> None:
    sdgt = classify("us_ofac_sdn", "SDGT")
    assert classify("us_ofac_sdn", "[sdgt] ") == sdgt
    assert classify("us_ofac_sdn", "SDGT]") == sdgt
    # DFAT writes one thematic regime with an en dash, the others with a hyphen.
    corruption = classify("au_dfat_sanctions", "Autonomous (Thematic – Corruption)")
    assert corruption is not None and corruption.theme == "corruption"
    assert classify("gb_hmt_sanctions", "  Counter-Terrorism   (International)") is not None
    assert normalise("Autonomous (Thematic – Cyber)") == normalise("autonomous (thematic - cyber)")


def test_unknown_codes_and_sources() -> None:
    assert classify("us_ofac_sdn", "NOT-A-PROGRAMME") is None
    assert classify("no_such_list", "SDGT") is None
    # A code means something only on the lists that write it: UK regimes are not OFAC tags.
    assert classify("us_ofac_sdn", "Russia") is None
    # Without its part, a CSL entry with no programme cannot be classified.
    assert classify("us_trade_csl", "") is None
    assert unmapped([("us_ofac_sdn", "NEW-TAG"), ("us_ofac_sdn", "[NEW-TAG]"), ("us_ofac_sdn", "SDGT")]) == [
        ("us_ofac_sdn", "NEW-TAG")
    ]
    assert unmapped([("us_ofac_sdn", "")]) == []


def test_vocabularies_are_small_and_closed() -> None:
    assert set(themes()) == {
        "russia_ukraine",
        "belarus",
        "human_rights",
        "corruption",
        "cyber",
        "terrorism",
        "non_proliferation",
        "other",
    }
    assert set(measures()) == {"targeted", "sectoral", "export_control", "allegation", "other"}


def _data(
    codes: dict[str, dict[str, str]], sources: list[str], extra: dict[str, object] | None = None
) -> dict[str, object]:
    return {
        "themes": {"terrorism": "Terrorism", "other": "Other"},
        "measures": {"targeted": "Targeted", "other": "Other"},
        "vocabulary": {"a": {"sources": sources, "codes": codes}, **(extra or {})},
    }


def test_the_file_is_checked_when_loaded() -> None:
    ok = {"SDGT": {"theme": "terrorism", "measure": "targeted", "label": "x"}}
    assert _build(_data(ok, ["s"])).codes[("s", "sdgt")] == Programme("SDGT", "terrorism", "targeted", "x")
    with pytest.raises(ValueError, match="unknown theme"):
        _build(_data({"X": {"theme": "piracy", "measure": "targeted", "label": "x"}}, ["s"]))
    with pytest.raises(ValueError, match="unknown measure"):
        _build(_data({"X": {"theme": "other", "measure": "embargo", "label": "x"}}, ["s"]))
    # One spelling per code and list: "[sdgt]" in a second vocabulary of the same list is ambiguous.
    clash = {
        "b": {"sources": ["s"], "codes": {"[sdgt]": {"theme": "other", "measure": "other", "label": "y"}}}
    }
    with pytest.raises(ValueError, match="also"):
        _build(_data(ok, ["s"], clash))
