"""Pairing an ACF entry with every list that names the person (issue 17).

ACF's row for Pyotr Fradkov (2024-05-24, acf-f80eaedeee71ffe8) has no birth date. The
index of all bundled lists plus ACF ranks his records of five lists first, in the order
below; the lists themselves link only OFSI with FCDO and OFAC with the screening list.
Keeping the two best groups paired him with Australia and Canada alone, and his status
said "not listed" for the US, where OFAC lists him. Records are copied from the real
ones (names, birth dates, genders as the lists give them).
"""

from __future__ import annotations

from reckon.match.prepare import Prepared, prepare
from reckon.resolve.pairing import _keep, groups, representatives, score_candidates
from reckon.resolve.rules import AUTO_MERGE, REVIEW


def record(key: str, name: str, **props: list[str]) -> Prepared:
    return prepare({"id": key, "schema": "Person", "properties": {"name": [name], **props}})


ACF = record(
    "acf_war_enablers:acf-f80eaedeee71ffe8",
    "Фрадков Пётр Михайлович",
    alias=["Fradkov Pyotr Mikhailovich", "Fradkov Petr Mikhailovich"],
    gender=["male"],
)
# The index's ranking for ACF's row, best first (its own record left out).
RANKED = [
    record("au_dfat_sanctions:6655", "Petr Mikhailovich FRADKOV", birthDate=["1978-02-07"]),
    record(
        "ca_dfatd_sema_sanctions:russia/1, Part 1/501",
        "Petr Mikhailovich FRADKOV",
        alias=["Пётр Михайлович Фрадков", "Pyotr Mikhailovich Fradkov"],
        birthDate=["1978-02-07"],
    ),
    record("gb_fcdo_sanctions:RUS0244", "FRADKOV Petr Mikhailovich"),
    record(
        "gb_hmt_sanctions:14191",
        "Petr Mikhailovich FRADKOV",
        alias=["Pyotr Mikhailovich FRADKOV"],
        birthDate=["1978-02-07"],
        gender=["male"],
        nationality=["ru"],
    ),
    record(
        "us_ofac_sdn:34658",
        "FRADKOV, Petr Mikhailovich",
        birthDate=["1978-02-07"],
        gender=["male"],
        nationality=["ru"],
    ),
    record(
        "us_trade_csl:34658",
        "FRADKOV, Petr Mikhailovich",
        alias=["FRADKOV, Petr", "FRADKOV, Pyotr Mikhailovich"],
        birthDate=["1978-02-07"],
        nationality=["ru"],
    ),
    # His brother, on Australia's list: a second record of a list already kept.
    record(
        "au_dfat_sanctions:8004",
        "Pavel Mikhaylovich FRADKOV",
        alias=["Pavel Mikhailovich FRADKOV"],
        birthDate=["1981-09-07"],
    ),
]
# The lists' own cross-references (OFSI Group ID ↔ FCDO id, CSL ↔ OFAC).
GROUP = groups(
    [("gb_fcdo_sanctions:RUS0244", "gb_hmt_sanctions:14191"), ("us_ofac_sdn:34658", "us_trade_csl:34658")]
)


def test_the_best_record_of_every_other_list_is_kept() -> None:
    kept = [str(p.id) for p in _keep(ACF, RANKED, GROUP)]
    assert kept == [
        "au_dfat_sanctions:6655",
        "ca_dfatd_sema_sanctions:russia/1, Part 1/501",
        "gb_fcdo_sanctions:RUS0244",
        "us_ofac_sdn:34658",
    ]


def test_the_entry_waits_for_review_against_ofac() -> None:
    # A full name and no birth date: the same man, possibly; never merged on that alone.
    reps = representatives([ACF, *RANKED], GROUP)
    pairs, _ = score_candidates([(ACF, c) for c in _keep(ACF, RANKED, GROUP)], GROUP, reps)
    ofac = [p for p in pairs if "us_ofac_sdn:34658" in (p.left, p.right)]
    assert len(ofac) == 1
    assert REVIEW <= ofac[0].score < AUTO_MERGE, ofac[0].explanation
