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

Each disagreement is then put down to the first cause that can be decided from the store
(`classify`), and the counts per cause are printed with a few examples each:

- list dates differ: reckon's listing of the record began after ACF's date (the list's
  own date, or the version of the loaded history that added it), or the record was
  removed (reckon says delisted);
- listing date unknown: listed "on or before" a first loaded version newer than ACF's
  date, so either may be right;
- ACF's own omission: a record of the jurisdiction listed before ACF's date whose name and
  birth date the ACF entry matches on its own (a score that would merge them);
- wrong merge: the entity's records of the jurisdiction, listed before ACF's date, do not
  match the ACF entry by themselves (below 0.9): it joined through another record;
- resolution miss: screening the ACF entry (its names and birth date) finds a record of
  the jurisdiction at 0.9 or more, which resolution did not join;
- not found: ACF says listed, and screening finds no record of the jurisdiction: ACF's
  claim is not confirmed by the loaded list (a removal before it, or ACF's error);
- EU unknown: no complete EU list is bundled, so reckon decides nothing there;
- other: none of the above could be decided.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb

from reckon.analysis.status import (
    DELISTED,
    LISTED,
    NOT_LISTED,
    SINCE_ON_OR_BEFORE,
    UNKNOWN,
    EntityStatus,
    JurisdictionStatus,
    all_statuses,
    list_states,
)
from reckon.match.index import Index, comparable_names
from reckon.match.scorer import score_prepared
from reckon.resolve.rules import AUTO_MERGE
from reckon.stored_index import prepared_entities

ACF = "acf_war_enablers"
# reckon's jurisdiction codes and ACF's.
JURISDICTIONS = {"us": "US", "gb": "UK", "eu": "EU", "au": "AU", "ca": "CA"}
ACF_DATE = "2024-05-24"
# A screening hit at this score counts as finding the person (the wording).
FOUND = 0.9
# Candidates asked of the index per ACF entry when looking for a missed record.
ASK = 40
SAMPLES = 3

LIST_DATES, DATE_UNKNOWN, OMISSION, WRONG_MERGE, MISSED, NOT_FOUND, EU_UNKNOWN, OTHER = (
    "list dates differ",
    "listing date unknown",
    "ACF's own omission",
    "wrong merge",
    "resolution miss",
    "not found",
    "EU unknown",
    "other",
)
CAUSES = (LIST_DATES, DATE_UNKNOWN, OMISSION, WRONG_MERGE, MISSED, NOT_FOUND, EU_UNKNOWN, OTHER)


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


@dataclass
class Causes:
    """Per jurisdiction, the disagreements by cause, with a few examples of each."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)
    samples: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def add(self, jurisdiction: str, cause: str, example: str) -> None:
        self.counts.setdefault(jurisdiction, Counter())[cause] += 1
        shown = self.samples.setdefault(jurisdiction, {}).setdefault(cause, [])
        if len(shown) < SAMPLES:
            shown.append(example)


class Finder:
    """The ACF entries and every current record, prepared, to score an entry against a
    record directly or to screen it against all records of a jurisdiction."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.index = Index(prepared_entities(con))
        self.by_key = {str(p.id): p for p in self.index.entities}
        self.jurisdiction = {s: st.jurisdiction for s, st in list_states(con).items()}

    def score(self, a: str, b: str) -> float:
        p, q = self.by_key.get(a), self.by_key.get(b)
        return 0.0 if p is None or q is None else score_prepared(*comparable_names(p, q)).score

    def best(self, entries: Iterable[str], j: str) -> tuple[float, str | None]:
        """The best score of a record of jurisdiction `j` found by screening the entries."""
        found: tuple[float, str | None] = (0.0, None)
        for key in entries:
            q = self.by_key.get(key)
            if q is None:
                continue
            for pos in self.index.candidates(q, limit=ASK):
                c = self.index.entities[pos]
                if self.jurisdiction.get(_source(c.id)) != j:
                    continue
                s = score_prepared(*comparable_names(q, c)).score
                if s > found[0]:
                    found = (s, str(c.id))
        return found


def _source(key: str | None) -> str:
    return (key or "").split(":", 1)[0]


def classify(finder: Finder, j: str, st: EntityStatus, entries: list[str], claimed: bool) -> tuple[str, str]:
    """The cause of one disagreement, and what shows it."""
    js: JurisdictionStatus = st.jurisdictions[j]
    if js.status == UNKNOWN and j == "eu":
        return EU_UNKNOWN, ""
    if js.status == DELISTED:
        removed = ", ".join(f"{x.record} removed {x.removed_on}" for x in js.listings)
        return LIST_DATES, removed
    if js.status == NOT_LISTED and claimed:
        score, record = finder.best(entries, j)
        if record is not None and score >= FOUND:
            return MISSED, f"{record} at {score:.3f}"
        return NOT_FOUND, f"best {record} at {score:.3f}" if record else "no record of the jurisdiction"
    if js.status == LISTED and not claimed:
        current = [x for x in js.listings if x.on_list]
        if current and all(x.since and x.since > ACF_DATE for x in current):
            basis = {x.since_basis for x in current}
            why = ", ".join(f"{x.record} since {x.since}" for x in current)
            return (DATE_UNKNOWN if basis == {SINCE_ON_OR_BEFORE} else LIST_DATES), why
        before = [x for x in current if not x.since or x.since <= ACF_DATE]
        direct = max(
            ((finder.score(e, x.record), x.record) for e in entries for x in before), default=(0.0, "")
        )
        shown = (
            f"{direct[1]} since {next(x.since for x in before if x.record == direct[1])} at {direct[0]:.3f}"
            if direct[1]
            else ""
        )
        if direct[0] >= AUTO_MERGE:
            return OMISSION, shown
        if direct[0] < FOUND:
            return WRONG_MERGE, shown
        return OTHER, shown
    return OTHER, js.status


def disagreements(con: duckdb.DuckDBPyConnection) -> Causes:
    """Every entity where reckon's decided status and ACF's claim differ, by cause; EU
    entries that ACF says are listed count as "EU unknown"."""
    says = acf_says(con)
    finder = Finder(con)
    causes = Causes()
    for st in all_statuses(con, jurisdictions=list(JURISDICTIONS)):
        entries = [m for m in st.members if m.startswith(f"{ACF}:")]
        if not entries:
            continue
        claimed_all = set().union(*(says.get(m, set()) for m in entries))
        for j, code in JURISDICTIONS.items():
            status = st.jurisdictions[j].status
            claimed = code in claimed_all
            if status == UNKNOWN and j == "eu" and claimed:
                causes.add(j, EU_UNKNOWN, st.caption)
            elif status in (LISTED, NOT_LISTED, DELISTED) and (status == LISTED) != claimed:
                cause, why = classify(finder, j, st, entries, claimed)
                causes.add(
                    j,
                    cause,
                    f"{st.caption} ({entries[0]}; {status}, ACF {'yes' if claimed else 'no'}): {why}",
                )
    return causes


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
    causes = disagreements(con)
    for j in JURISDICTIONS:
        counts = causes.counts.get(j, Counter())
        print(
            f"\n{j}: disagreements by cause: "
            + (", ".join(f"{k} {counts[k]}" for k in CAUSES if counts[k]) or "none")
        )
        for cause in CAUSES:
            for example in causes.samples.get(j, {}).get(cause, []):
                print(f"  [{cause}] {example}")


if __name__ == "__main__":
    main()
