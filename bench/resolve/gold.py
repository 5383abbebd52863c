"""A gold standard for cross-list resolution, from hard evidence in the real lists only.

Every rule reads the store's current statements and links current records (`source:record_id`)
that the lists themselves prove to be one real entity:

- `un_ref`: the same UN Security Council reference number (`unscId` on a record's Sanction;
  the UN, UK OFSI, Australian and EU lists carry it). The letter after the regime code says
  individual (`QDi.…`) or entity (`QDe.…`); a reference on a record of the other kind is
  rejected as evidence and reported.
- `imo`: the same IMO number, vessels with vessels and companies with companies (a vessel's
  IMO number and a shipowner's IMO company number are different registers of 7 digits).
- `passport_dob`: the same passport number (upper-cased, separators removed, at least five
  characters with a digit) and the same full birth date, on persons.
- `same_as`: the lists' own cross-references (OFSI Group ID ↔ FCDO Unique ID, CSL ↔ OFAC).

Gold clusters are the connected components of all links. A component is contradictory, and
dropped from the gold, if it mixes kinds of entity (person, vessel, airplane, organisation) or
holds two records with different values of a scheme unique per entity (UN reference, IMO).
Known negatives are pairs of records whose values of such a scheme are disjoint: the gold keeps
each record's values (`keys`), including records no other list links, so an evaluator can count
every merge of two different UN listings or two different ships.

`python -m bench.resolve.gold [--db STORE] [--out FILE]` builds the store if needed, writes the
gold as JSONL (a `meta` line with the statistics, then one cluster per line) and prints the
statistics.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parents[2]
STORE = ROOT / "bench" / "results" / "resolve.duckdb"
# ~4 MB, so it is generated on demand (in seconds from the store) rather than committed.
GOLD = ROOT / "bench" / "results" / "resolve_gold.jsonl"

RULES = ("un_ref", "imo", "passport_dob", "same_as")
UNIQUE_SCHEMES = ("un_ref", "imo")
_KINDS = {"Person": "person", "Vessel": "vessel", "Airplane": "airplane"}

# Inputs of the store build: a store older than any of them is rebuilt.
_STORE_INPUTS = ("data", "src/reckon/sources", "src/reckon/store", "src/reckon/ingest.py")


def kind(schema: str) -> str:
    """The kind of real entity a schema stands for: person, vessel, airplane or org."""
    return _KINDS.get(schema, "org")


def store_is_stale(db: Path) -> bool:
    if not db.exists():
        return True
    built = db.stat().st_mtime
    for name in _STORE_INPUTS:
        base = ROOT / name
        paths = [base] if base.is_file() else base.rglob("*")
        if any(p.is_file() and p.stat().st_mtime > built for p in paths):
            return True
    return False


def ensure_store(db: Path = STORE, *, rebuild: bool = False) -> Path:
    """A store of every bundled snapshot (no SDN history), built with reckon's own CLI,
    its match index as `reckon ingest` leaves it: brought up to date here when reckon's
    name rules changed since, so that a timed `reckon resolve` does not prepare every
    record again (an upgrade's one-off cost, measured by the screen_prepare case)."""
    reckon = Path(sys.executable).with_name("reckon")
    if rebuild or store_is_stale(db):
        for p in (db, db.with_name(db.name + ".wal")):
            p.unlink(missing_ok=True)
        db.parent.mkdir(parents=True, exist_ok=True)
        cmd = [str(reckon), "ingest", "--bundled", "--no-history", "--db", str(db)]
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([str(reckon), "index", "--db", str(db)], cwd=ROOT, check=True, capture_output=True)
    return db


# --- evidence ------------------------------------------------------------------------------

_UN_REF = re.compile(r"^\s*([A-Za-z]{2})\s*([ieIE])\s*\.\s*(\d+)\s*$")


def norm_un_ref(value: str) -> str | None:
    """`QDi.001`, `qdi.1`, `LYi.28` → `QDi.001`, `LYi.028`; None if it is not a UN reference."""
    m = _UN_REF.match(value)
    if not m:
        return None
    return f"{m.group(1).upper()}{m.group(2).lower()}.{int(m.group(3)):03d}"


def norm_imo(value: str) -> str | None:
    """`IMO 9171175`, `9171175` → `9171175`; None unless seven digits, not all zero."""
    digits = re.sub(r"\D", "", value)
    return digits if len(digits) == 7 and digits != "0000000" else None


def imo_check_digit_ok(imo: str) -> bool:
    """The ship IMO number's check digit (Σ digit × 7..2, mod 10)."""
    return sum(int(d) * w for d, w in zip(imo[:6], range(7, 1, -1), strict=True)) % 10 == int(imo[6])


def norm_passport(value: str) -> str | None:
    v = re.sub(r"[^0-9A-Za-z]", "", value).upper()
    return v if len(v) >= 5 and any(c.isdigit() for c in v) else None


@dataclass
class Evidence:
    """What the rules found: groups of records sharing a value, per rule, and what was rejected."""

    records: dict[str, str]  # key -> schema (current records only)
    groups: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # rule -> value -> keys
    keys: dict[str, dict[str, set[str]]] = field(default_factory=dict)  # scheme -> key -> values
    rejected: list[dict[str, Any]] = field(default_factory=list)
    missing_targets: dict[str, int] = field(default_factory=dict)

    def finish(self) -> Evidence:
        """Each record's values of the schemes unique per entity, from the groups."""
        self.keys = {s: _invert(self.groups.get(s, {})) for s in UNIQUE_SCHEMES}
        for rule in RULES:
            self.groups.setdefault(rule, {})
        return self


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall()


def collect(con: duckdb.DuckDBPyConnection) -> Evidence:
    records = {
        k: s
        for k, s in _rows(
            con, "SELECT source || ':' || record_id, schema FROM records WHERE removed_version IS NULL"
        )
    }
    ev = Evidence(records)
    current = "until_version IS NULL"

    un: dict[str, set[str]] = defaultdict(set)
    for key, value in _rows(
        con, f"SELECT source || ':' || record_id, value FROM statements WHERE {current} AND prop = 'unscId'"
    ):
        ref = norm_un_ref(value)
        if key not in records or ref is None:
            continue
        individual = ref[2] == "i"
        if individual != (records[key] == "Person"):
            ev.rejected.append(
                {
                    "rule": "un_ref",
                    "record": key,
                    "schema": records[key],
                    "value": ref,
                    "why": "individual reference on a non-person"
                    if individual
                    else "entity reference on a person",
                }
            )
            continue
        un[ref].add(key)
    ev.groups["un_ref"] = dict(un)

    imo: dict[str, set[str]] = defaultdict(set)
    for key, value in _rows(
        con,
        f"SELECT source || ':' || record_id, value FROM statements WHERE {current} AND prop = 'imoNumber'",
    ):
        number = norm_imo(value)
        if key not in records:
            continue
        if number is None:
            ev.rejected.append(
                {
                    "rule": "imo",
                    "record": key,
                    "schema": records[key],
                    "value": value,
                    "why": "not a 7-digit IMO number",
                }
            )
            continue
        imo[f"{'vessel' if kind(records[key]) == 'vessel' else 'company'}:{number}"].add(key)
    ev.groups["imo"] = dict(imo)

    dobs: dict[str, set[str]] = defaultdict(set)
    for key, value in _rows(
        con,
        f"SELECT source || ':' || record_id, value FROM statements WHERE {current} AND prop = 'birthDate' AND schema = 'Person'",
    ):
        if len(value) == 10:  # a full date; years and months alone are not "the same birth date"
            dobs[key].add(value)
    pp: dict[str, set[str]] = defaultdict(set)
    for key, value in _rows(
        con,
        f"SELECT source || ':' || record_id, value FROM statements WHERE {current} AND prop = 'passportNumber' AND schema = 'Person'",
    ):
        number = norm_passport(value)
        if key in records and number is not None:
            for dob in dobs.get(key, ()):
                pp[f"{number}|{dob}"].add(key)
    ev.groups["passport_dob"] = dict(pp)

    same: dict[str, set[str]] = {}
    missing: dict[str, int] = defaultdict(int)
    for source, subject, obj in _rows(
        con,
        f"""SELECT source, max(value) FILTER (WHERE prop = 'subject'), max(value) FILTER (WHERE prop = 'object')
            FROM statements WHERE {current} AND schema = 'UnknownLink' AND entity_id IN
              (SELECT entity_id FROM statements WHERE {current} AND prop = 'role' AND value = 'same_as')
            GROUP BY source, entity_id""",
    ):
        if subject in records and obj in records:
            pair = sorted((subject, obj))
            same["|".join(pair)] = set(pair)
        else:
            missing[f"{source} → {str(obj).split(':', 1)[0]}"] += 1
    ev.groups["same_as"] = same
    ev.missing_targets = dict(missing)

    return ev.finish()


def _invert(groups: Mapping[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for value, keys in groups.items():
        for k in keys:
            out[k].add(value)
    return dict(out)


# --- clusters ------------------------------------------------------------------------------


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent.setdefault(x, x)
        while parent != x:
            self.parent[x] = self.parent.setdefault(parent, parent)
            x, parent = parent, self.parent[parent]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def pairs_of(keys: Iterable[str]) -> Iterator[tuple[str, str]]:
    return combinations(sorted(keys), 2)


def disjoint_pairs(values: Mapping[str, set[str]]) -> list[tuple[str, str]]:
    """Pairs of records (among `values`' keys) whose value sets do not meet."""
    return [(a, b) for a, b in pairs_of(values) if not values[a] & values[b]]


def contradictions(members: Iterable[str], ev: Evidence) -> list[str]:
    """Why these records cannot all be one entity (empty if they can)."""
    members = list(members)
    why = []
    kinds = sorted({kind(ev.records[m]) for m in members})
    if len(kinds) > 1:
        why.append("kinds " + " + ".join(kinds))
    for scheme in UNIQUE_SCHEMES:
        have = {m: ev.keys[scheme][m] for m in members if m in ev.keys[scheme]}
        for a, b in disjoint_pairs(have):
            why.append(f"{scheme} {a}={sorted(have[a])} ≠ {b}={sorted(have[b])}")
    return why


@dataclass
class Gold:
    clusters: list[dict[str, Any]]
    stats: dict[str, Any]


def build(ev: Evidence) -> Gold:
    uf = _UnionFind()
    links: dict[str, set[tuple[str, str]]] = {r: set() for r in RULES}
    for rule in RULES:
        for keys in ev.groups[rule].values():
            for a, b in pairs_of(keys):
                links[rule].add((a, b))
                uf.union(a, b)
    components: dict[str, set[str]] = defaultdict(set)
    for a in list(uf.parent):
        components[uf.find(a)].add(a)
    # Evidence per component: (rule, value, members) for every group of two or more.
    evidence: dict[str, list[tuple[str, str | None, list[str]]]] = defaultdict(list)
    for rule in RULES:
        for value, keys in ev.groups[rule].items():
            if len(keys) > 1:
                shown = None if rule == "same_as" else value
                evidence[uf.find(next(iter(keys)))].append((rule, shown, sorted(keys)))

    clusters: list[dict[str, Any]] = []
    dropped: list[dict[str, Any]] = []
    in_clusters: set[str] = set()
    for root, members in components.items():
        members_sorted = sorted(members)
        why = contradictions(members_sorted, ev)
        item = {
            "members": members_sorted,
            "schemas": sorted({ev.records[m] for m in members_sorted}),
            "evidence": [list(e) for e in sorted(evidence[root], key=lambda e: (e[0], e[2]))],
        }
        if why:
            dropped.append({**item, "why": why})
            continue
        in_clusters.update(members_sorted)
        clusters.append(item)
    dropped_keys = {m for d in dropped for m in d["members"]}
    clusters.sort(key=lambda c: c["members"][0])
    for n, c in enumerate(clusters, 1):
        c["id"] = f"g{n:05d}"
        c["keys"] = _keys_of(c["members"], ev)
    # Records that carry a unique value but no other list links: one-member clusters, so that
    # merging two of them (two different UN listings, two ships) counts as a known negative.
    singles = sorted(
        k for s in UNIQUE_SCHEMES for k in ev.keys[s] if k not in in_clusters and k not in dropped_keys
    )
    for n, k in enumerate(dict.fromkeys(singles), 1):
        clusters.append(
            {
                "id": f"s{n:05d}",
                "members": [k],
                "schemas": [ev.records[k]],
                "evidence": [],
                "keys": _keys_of([k], ev),
            }
        )

    multi = [c for c in clusters if len(c["members"]) > 1]
    sources_per = defaultdict(int)
    for c in multi:
        sources_per[len({m.split(":", 1)[0] for m in c["members"]})] += 1
    cross = {r: sum(1 for a, b in links[r] if a.split(":", 1)[0] != b.split(":", 1)[0]) for r in RULES}
    by_sources = {
        r: _count(" ↔ ".join(sorted({a.split(":", 1)[0], b.split(":", 1)[0]})) for a, b in links[r])
        for r in RULES
    }
    all_links = set().union(*links.values())
    only = {r: len(links[r] - set().union(*(links[o] for o in RULES if o != r))) for r in RULES}
    negatives = {s: _count_negatives(ev.keys[s], dropped_keys) for s in UNIQUE_SCHEMES}
    gold_pairs = sum(len(c["members"]) * (len(c["members"]) - 1) // 2 for c in multi)
    invalid_imo = sorted(
        {
            v.split(":", 1)[1]
            for v in ev.groups["imo"]
            if v.startswith("vessel:") and not imo_check_digit_ok(v[7:])
        }
    )
    stats = {
        "records": len(ev.records),
        "links_per_rule": {r: len(links[r]) for r in RULES},
        "cross_list_links_per_rule": cross,
        "links_only_this_rule": only,
        "links_by_sources": by_sources,
        "links": len(all_links),
        "clusters": len(multi),
        "records_in_clusters": sum(len(c["members"]) for c in multi),
        "gold_pairs": gold_pairs,
        "largest_cluster": max((len(c["members"]) for c in multi), default=0),
        "clusters_by_sources": dict(sorted(sources_per.items())),
        "clusters_by_schema": _count(
            c["schemas"][0] if len(c["schemas"]) == 1 else "+".join(c["schemas"]) for c in multi
        ),
        "keyed_singletons": len(clusters) - len(multi),
        "contradictory_clusters": len(dropped),
        "contradictory_records": len(dropped_keys),
        "contradictions": dropped,
        "rejected_evidence": ev.rejected,
        "same_as_target_not_current": ev.missing_targets,
        "known_negative_pairs": negatives,
        "vessel_imo_bad_check_digit": invalid_imo,
    }
    return Gold(clusters, stats)


def _keys_of(members: Iterable[str], ev: Evidence) -> dict[str, dict[str, list[str]]]:
    out: dict[str, dict[str, list[str]]] = {}
    for m in members:
        k = {s: sorted(ev.keys[s][m]) for s in UNIQUE_SCHEMES if m in ev.keys[s]}
        if k:
            out[m] = k
    return out


def _count_negatives(values: Mapping[str, set[str]], dropped: set[str]) -> int:
    """Pairs with disjoint value sets, without listing them: all pairs minus those sharing a value
    (exact when every record has one value; records with several are counted pair by pair)."""
    kept = {k: v for k, v in values.items() if k not in dropped}
    single = [next(iter(v)) for v in kept.values() if len(v) == 1]
    multi = [k for k, v in kept.items() if len(v) > 1]
    n = len(single)
    per_value: dict[str, int] = defaultdict(int)
    for v in single:
        per_value[v] += 1
    count = n * (n - 1) // 2 - sum(c * (c - 1) // 2 for c in per_value.values())
    done: set[str] = set()
    for a in multi:
        done.add(a)
        count += sum(1 for b, vb in kept.items() if b not in done and not kept[a] & vb)
    return count


def _count(items: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for i in items:
        out[i] += 1
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def gold_from_store(db: Path) -> Gold:
    con = duckdb.connect(str(db), read_only=True)
    try:
        gold = build(collect(con))
        versions = _rows(con, "SELECT source, version_date FROM versions ORDER BY source, version_date")
    finally:
        con.close()
    gold.stats["versions"] = [f"{s} {d}" for s, d in versions]
    return gold


# --- file ----------------------------------------------------------------------------------


def write(gold: Gold, path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"meta": gold.stats}, ensure_ascii=False) + "\n")
        for c in gold.clusters:
            fh.write(json.dumps(c, ensure_ascii=False, separators=(",", ":")) + "\n")


def read(path: Path = GOLD) -> Gold:
    stats: dict[str, Any] = {}
    clusters = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            item = json.loads(line)
            if "meta" in item:
                stats = item["meta"]
            else:
                clusters.append(item)
    return Gold(clusters, stats)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.resolve.gold")
    parser.add_argument("--db", type=Path, default=STORE)
    parser.add_argument("--out", type=Path, default=GOLD)
    parser.add_argument("--rebuild", action="store_true", help="re-ingest the bundled lists first")
    args = parser.parse_args()
    gold = gold_from_store(ensure_store(args.db, rebuild=args.rebuild))
    write(gold, args.out)
    brief = {k: v for k, v in gold.stats.items() if k not in ("contradictions", "rejected_evidence")}
    brief["contradictions"] = [
        {"members": d["members"], "why": d["why"]} for d in gold.stats["contradictions"]
    ]
    brief["rejected_evidence"] = gold.stats["rejected_evidence"]
    print(json.dumps(brief, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
