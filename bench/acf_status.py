"""reckon's status per jurisdiction against ACF's own record of who sanctions whom.

ACF's list of war enablers (2024-05-24) says in its Countries column which jurisdictions
already sanction each person. After importing it into a resolved store of the bundled
lists, this compares that column with `entity_status` for the US, the UK, the EU,
Australia and Canada, over the entities holding an ACF record:

    reckon ingest ../shared/data/candidates/acf_war_enablers/acf_contributors_to_the_war_2024-05-24.csv --db S
    reckon resolve --db S
    python -m bench.acf_status S

Agreement counts the entities reckon decides (listed, delisted, not listed); possibly
listed and unknown ones are reported apart, as reckon never counts them either way. The
lists are not all of ACF's date (the bundled UK, Australian and Canadian lists are newer),
so part of the disagreement is time, not error.
"""

from __future__ import annotations

import sys
from collections import Counter

import duckdb

from reckon.analysis.status import DELISTED, LISTED, NOT_LISTED, all_statuses

ACF = "acf_war_enablers"
# reckon's jurisdiction codes and ACF's.
JURISDICTIONS = {"us": "US", "gb": "UK", "eu": "EU", "au": "AU", "ca": "CA"}


def acf_says(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """record key -> the jurisdictions ACF says sanction the person (from the notes the
    mapping writes: "Sanctioned according to ACF by: CA, UK, ...")."""
    out: dict[str, set[str]] = {}
    for rid, value in con.execute(
        "SELECT record_id, value FROM statements WHERE source = ? AND prop = 'notes' AND until_version IS NULL",
        [ACF],
    ).fetchall():
        if "according to ACF" in value:
            codes = value.split(":", 1)[1].replace(";", ",").split(",")
            out[f"{ACF}:{rid}"] = {c.strip() for c in codes if c.strip()}
    return out


def compare(con: duckdb.DuckDBPyConnection) -> dict[str, Counter[tuple[str, bool]]]:
    """Per jurisdiction, how many ACF entities have each (reckon status, ACF says listed)."""
    says = acf_says(con)
    counts: dict[str, Counter[tuple[str, bool]]] = {j: Counter() for j in JURISDICTIONS}
    for st in all_statuses(con, jurisdictions=list(JURISDICTIONS)):
        records = [m for m in st.members if m.startswith(f"{ACF}:")]
        if not records:
            continue
        claimed = set().union(*(says.get(m, set()) for m in records))
        for j, code in JURISDICTIONS.items():
            counts[j][(st.jurisdictions[j].status, code in claimed)] += 1
    return counts


def main() -> None:
    con = duckdb.connect(sys.argv[1], read_only=True)
    for j, c in compare(con).items():
        decided = {k: v for k, v in c.items() if k[0] in (LISTED, NOT_LISTED, DELISTED)}
        agree = sum(v for (ours, theirs), v in decided.items() if (ours == LISTED) == theirs)
        total = sum(decided.values())
        apart = sum(v for k, v in c.items() if k not in decided)
        share = f"{agree / total:.3f} ({agree}/{total})" if total else "nothing decided"
        print(
            f"{j}: agreement {share}; undecided {apart}; "
            + ", ".join(f"{o}/acf={t}: {v}" for (o, t), v in sorted(c.items()))
        )


if __name__ == "__main__":
    main()
