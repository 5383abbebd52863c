"""The resolution gold standard (bench/resolve/gold.py) and its evaluator (bench/resolve/evaluate.py).

Every record key and value below is copied from the bundled lists as stored by
`reckon ingest --bundled --no-history`; the tables are a small in-memory excerpt of that store.
"""

from __future__ import annotations

import duckdb
import pytest
from bench.resolve import audit, gold
from bench.resolve.evaluate import evaluate

UN = "un_sc_sanctions:QDi.412"  # UMAR MAHMUD IRHAYYIM AL-KUBAYSI
OFSI = "gb_hmt_sanctions:13616"
AU = "au_dfat_sanctions:3553"
FCDO = "gb_fcdo_sanctions:AQD0330"
CECILA_AU = "au_dfat_sanctions:8334"  # vessel CECILA
CECILA_UA = "ua_war_sanctions:NK-NRgYBGHX7LbWj8hD6SJUeh"
MAHNAM_SDN = "us_ofac_sdn:25310"  # vessel MAHNAM
MAHNAM_CSL = "us_trade_csl:25310"
AGHAJANI = "un_sc_sanctions:IRi.003"  # two UN listings sharing two passport numbers
TABATABAEI = "un_sc_sanctions:IRi.041"
AYMAN = "au_dfat_sanctions:6253"  # a person whose AU entry carries al-Shabaab's entity reference

RECORDS = {
    UN: "Person",
    OFSI: "Person",
    AU: "Person",
    FCDO: "Person",
    CECILA_AU: "Vessel",
    CECILA_UA: "Vessel",
    MAHNAM_SDN: "Vessel",
    MAHNAM_CSL: "Vessel",
    AGHAJANI: "Person",
    TABATABAEI: "Person",
    AYMAN: "Person",
}
# (record, schema of the statement, prop, value)
FACTS = [
    (UN, "Person", "birthDate", "1967-06-16"),
    (UN, "Person", "birthDate", "1967-01-01"),
    (UN, "Person", "passportNumber", "A4059346"),
    (UN, "Sanction", "unscId", "QDi.412"),
    (OFSI, "Person", "birthDate", "1967-06-16"),
    (OFSI, "Person", "birthDate", "1967-01-01"),
    (OFSI, "Person", "passportNumber", "A4059346"),
    (OFSI, "Sanction", "unscId", "QDi.412"),
    (AU, "Person", "birthDate", "1967-06-16"),
    (AU, "Person", "birthDate", "1967-01-01"),
    (AU, "Person", "passportNumber", "A4059346"),
    (CECILA_AU, "Vessel", "imoNumber", "9247792"),
    (CECILA_UA, "Vessel", "imoNumber", "IMO9247792"),
    (MAHNAM_SDN, "Vessel", "imoNumber", "IMO9213387"),
    (MAHNAM_CSL, "Vessel", "imoNumber", "IMO9213387"),
    (AGHAJANI, "Person", "passportNumber", "6620505"),
    (AGHAJANI, "Person", "passportNumber", "9003213"),
    (AGHAJANI, "Sanction", "unscId", "IRi.003"),
    (TABATABAEI, "Person", "birthDate", "1967"),
    (TABATABAEI, "Person", "passportNumber", "9003213"),
    (TABATABAEI, "Person", "passportNumber", "6620505"),
    (TABATABAEI, "Sanction", "unscId", "IRi.041"),
    (AYMAN, "Person", "birthDate", "1973"),
    (AYMAN, "Sanction", "unscId", "SOe.001"),
]
SAME_AS = [(OFSI, FCDO), (MAHNAM_CSL, MAHNAM_SDN)]


@pytest.fixture(scope="module")
def store() -> duckdb.DuckDBPyConnection:
    """The excerpt in the store's own layout (only the columns the gold reads)."""
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE records (source VARCHAR, record_id VARCHAR, schema VARCHAR, removed_version INTEGER)"
    )
    con.execute(
        "CREATE TABLE statements (source VARCHAR, record_id VARCHAR, entity_id VARCHAR, schema VARCHAR,"
        " prop VARCHAR, value VARCHAR, until_version INTEGER)"
    )
    for key, schema in RECORDS.items():
        con.execute("INSERT INTO records VALUES (?, ?, ?, NULL)", [*key.split(":", 1), schema])
    for key, schema, prop, value in FACTS:
        entity = key if schema != "Sanction" else f"{key}-sanction-0"
        con.execute(
            "INSERT INTO statements VALUES (?, ?, ?, ?, ?, ?, NULL)",
            [*key.split(":", 1), entity, schema, prop, value],
        )
    for n, (subject, obj) in enumerate(SAME_AS):
        entity = f"{subject}-link-{n}"
        for prop, value in (("subject", subject), ("object", obj), ("role", "same_as")):
            con.execute(
                "INSERT INTO statements VALUES (?, ?, ?, 'UnknownLink', ?, ?, NULL)",
                [*subject.split(":", 1), entity, prop, value],
            )
    return con


@pytest.fixture(scope="module")
def built(store: duckdb.DuckDBPyConnection) -> gold.Gold:
    return gold.build(gold.collect(store))


def test_normalisers_on_real_values() -> None:
    assert gold.norm_un_ref("LYi.28") == "LYi.028"  # the EU list's form of the UN's LYi.028
    assert gold.norm_un_ref("QDi.412") == "QDi.412"
    assert gold.norm_un_ref("7851") is None
    assert gold.norm_imo("IMO9247792") == gold.norm_imo("9247792") == "9247792"
    assert gold.imo_check_digit_ok("9247792")
    assert not gold.imo_check_digit_ok("9434980")  # the one bundled vessel IMO with a bad check digit
    assert gold.norm_passport("OB 0243318") == "OB0243318"
    assert gold.norm_passport("Place of issue: Al-Anbar, Iraq") is None


def test_links_per_rule_and_clusters(built: gold.Gold) -> None:
    s = built.stats
    assert s["links_per_rule"] == {"un_ref": 1, "imo": 2, "passport_dob": 3, "same_as": 2}
    multi = {tuple(c["members"]) for c in built.clusters if len(c["members"]) > 1}
    assert multi == {
        tuple(sorted((UN, OFSI, AU, FCDO))),
        tuple(sorted((CECILA_AU, CECILA_UA))),
        tuple(sorted((MAHNAM_SDN, MAHNAM_CSL))),
    }
    assert s["gold_pairs"] == 6 + 1 + 1
    # Two different UN listings share two passports but no full birth date: no link.
    assert AGHAJANI not in {m for c in multi for m in c}
    # Keyed records no list links stay as one-member clusters, for known negatives.
    singles = {c["members"][0] for c in built.clusters if len(c["members"]) == 1}
    assert singles == {AGHAJANI, TABATABAEI}


def test_entity_reference_on_a_person_is_rejected(built: gold.Gold) -> None:
    (rejected,) = built.stats["rejected_evidence"]
    assert rejected["record"] == AYMAN and rejected["value"] == "SOe.001"


def test_contradictory_component_is_dropped(store: duckdb.DuckDBPyConnection) -> None:
    """What a passport-only rule would do: link two different UN listings. The gold drops it."""
    ev = gold.collect(store)
    ev.groups["passport_dob"]["6620505|(no date)"] = {AGHAJANI, TABATABAEI}
    g = gold.build(ev)
    (dropped,) = g.stats["contradictions"]
    assert dropped["members"] == [AGHAJANI, TABATABAEI]
    assert dropped["why"][0].startswith("un_ref")
    assert all(AGHAJANI not in c["members"] for c in g.clusters)


def _clusters(*groups: tuple[str, ...]) -> list[dict[str, object]]:
    return [{"id": f"c{n}", "schema": "", "caption": "", "members": list(g)} for n, g in enumerate(groups)]


def test_evaluate_perfect_and_empty(built: gold.Gold) -> None:
    perfect = evaluate(_clusters(*(tuple(c["members"]) for c in built.clusters)), built)
    assert perfect["precision"] == perfect["recall"] == perfect["f1"] == 1.0
    assert perfect["gold_clusters_complete"] == 3 and perfect["known_negative_violations"] == 0
    empty = evaluate([], built)
    assert empty["recall"] == 0.0 and empty["precision"] is None
    assert empty["gold_records_missing"] == 8


def test_evaluate_split_and_wrong_merge(built: gold.Gold) -> None:
    r = evaluate(
        _clusters(
            (UN, OFSI), (AU, FCDO), (CECILA_AU, CECILA_UA, MAHNAM_SDN, MAHNAM_CSL), (AGHAJANI, TABATABAEI)
        ),
        built,
    )
    assert r["gold_pairs_found"] == 1 + 1 + 1 + 1
    assert r["recall"] == pytest.approx(4 / 8)
    assert r["recall_by_rule"]["passport_dob"] == pytest.approx(1 / 3)
    # Among gold records: 1 + 1 + 6 predicted pairs, 4 of them right; the 4 wrong ones join two
    # ships of different IMO numbers. The UN pair is a known negative outside the gold clusters.
    assert (r["predicted_gold_pairs"], r["true_positive_pairs"]) == (8, 4)
    assert r["precision"] == pytest.approx(0.5)
    assert r["false_positive_known_negative"] == 4 and r["false_positive_unproven"] == 0
    assert r["known_negative_violations"] == 5
    assert r["known_negative_by_scheme"] == {"imo": 4, "un_ref": 1}
    assert r["precision_decided"] == pytest.approx(4 / 9)


def test_audit_weighs_unproven_pairs_by_the_labelled_sample(built: gold.Gold) -> None:
    """Merging two gold clusters that no evidence separates (a person and a ship) gives unproven
    pairs; the labelled sample decides how much they count."""
    merged = _clusters((UN, OFSI, AU, FCDO, MAHNAM_SDN, MAHNAM_CSL), (CECILA_AU, CECILA_UA))
    wrong = {tuple(sorted((UN, MAHNAM_SDN))): "different", tuple(sorted((OFSI, MAHNAM_CSL))): "different"}
    r = evaluate(merged, built, labels={**wrong, tuple(sorted((AGHAJANI, TABATABAEI))): "same"})
    assert (r["true_positive_pairs"], r["false_positive_unproven"]) == (8, 8)
    a = r["audit"]
    # The AGHAJANI pair is not among this clustering's unproven pairs: it does not count.
    assert (a["labelled"], a["same"], a["different"]) == (2, 0, 2)
    assert r["precision_audited"] == pytest.approx(8 / 16) == r["precision"]
    assert r["precision_audited_high"] == pytest.approx((8 + 8 * audit.wilson(0, 2)[1]) / 16)
    right = {pair: "same" for pair in wrong}
    r = evaluate(merged, built, labels=right)
    assert r["precision_audited"] == 1.0 and r["precision"] == pytest.approx(0.5)
    assert r["precision_audited_low"] == pytest.approx((8 + 8 * audit.wilson(2, 2)[0]) / 16)
    assert evaluate(merged, built, labels={})["precision_audited"] is None


def test_wilson_interval() -> None:
    low, high = audit.wilson(299, 300)
    assert low == pytest.approx(0.98136, abs=1e-4) and high == pytest.approx(0.99941, abs=1e-4)
    assert audit.wilson(0, 0) == (0.0, 1.0)


def test_committed_labels_are_well_formed() -> None:
    labels = audit.read_labels()
    assert len(labels) >= 300
    assert set(labels.values()) <= set(audit.VERDICTS)
    assert all(a < b and ":" in a and ":" in b for a, b in labels)
