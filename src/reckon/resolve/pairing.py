"""Candidate pairs: blocking through the match index, scoring with the one scorer.

Each record to (re)pair asks the index for its few best candidates; pairs are kept
once, unordered, across records (and across lists, see `rules.SCORE_WITHIN_SOURCE`).
Pairs the rules already link are not scored: their merge does not depend on a score.
Scores use the scorer's uniform token weight rather than the index's rarity weights,
so a pair's score depends on its two records alone: a score stored by an earlier,
incremental run stays valid however the rest of the store has changed since.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import duckdb

from reckon.match.index import Index, candidates_for, comparable_names, entity_keys
from reckon.match.prepare import Prepared
from reckon.match.scorer import compatible, score_reaching
from reckon.resolve.rules import REVIEW, SCORE_WITHIN_SOURCE
from reckon.stored_index import prepared_entities, stored_postings

# Candidates asked of the index per record, and kept after dropping same-list ones: the
# best KEEP groups, then the best of each list not yet among them. One person is on many
# lists whose records are not linked by the lists themselves (OFAC, the UK, Australia,
# Canada): two groups alone left ACF's Pyotr Fradkov paired with Australia and Canada and
# never with OFAC, and a pair that only waits for review says "possibly listed" only
# where its own record is.
ASK = 10
KEEP = 2
# A candidate scoring in this range is scored again against its group's richest member:
# below it the names do not meet at all, above it the pair merges anyway.
SECOND_LOOK = (0.3, 0.995)


@dataclass(frozen=True, slots=True)
class Pair:
    left: str  # source:record_id, left < right
    right: str
    score: float
    rule: str  # "score", or the strong-evidence rule (see rules.py)
    explanation: str


def ordered(a: str, b: str) -> tuple[str, str]:
    """A pair of record keys in the one order it is stored and judged in."""
    return (a, b) if a <= b else (b, a)


def _source(key: str | None) -> str:
    return (key or "").split(":", 1)[0]


def _wanted(q: Prepared, c: Prepared) -> bool:
    if q.id == c.id:
        return False
    if not SCORE_WITHIN_SOURCE and _source(q.id) == _source(c.id):
        return False
    return compatible(q, c)


def _keep(q: Prepared, found: Iterable[Prepared], group: Mapping[str, str]) -> list[Prepared]:
    """The best-ranked wanted candidates of KEEP distinct groups (a group is scored once),
    then the best-ranked one of each other list none of those is from."""
    own = group.get(q.id or "", q.id)
    seen: set[str | None] = set()
    sources: set[str] = set()
    out = []
    for c in found:
        g = group.get(c.id or "", c.id)
        if g == own or g in seen or not _wanted(q, c):
            continue
        if len(seen) >= KEEP and _source(c.id) in sources:
            continue
        seen.add(g)
        sources.add(_source(c.id))
        out.append(c)
    return out


def candidates_in_memory(
    index: Index, queries: Iterable[int], group: Mapping[str, str]
) -> list[tuple[Prepared, Prepared]]:
    """Blocking for a full run: every record queried against the index of all records."""
    out: list[tuple[Prepared, Prepared]] = []
    for pos in queries:
        q = index.entities[pos]
        found = (index.entities[c] for c in index.candidates(q, limit=ASK))
        out.extend((q, c) for c in _keep(q, found, group))
    return out


def candidates_from_store(
    con: duckdb.DuckDBPyConnection,
    queries: Sequence[Prepared],
    group: Mapping[str, str],
    mates: Mapping[str, Sequence[str]],
) -> tuple[list[tuple[Prepared, Prepared]], dict[str, Prepared]]:
    """Blocking for an incremental run, through the stored index: only the queries'
    keys are looked up, and only their candidates and the candidates' group mates
    (`mates`: key -> records in its group) are read. Returns the pairs and every
    record read, by key."""
    if not queries:
        return [], {}
    row = con.execute("SELECT entities FROM match_state").fetchone()
    n = max(int(row[0]) if row else 0, 1)
    postings = stored_postings(con, sorted({k for q in queries for k in entity_keys(q)}))
    ranked = {q.id: candidates_for(q, postings, n, ASK) for q in queries}
    need = sorted({c for cs in ranked.values() for c in cs} - ranked.keys())
    records = {q.id: q for q in queries}
    extra = {m for c in need for m in mates.get(c, ())}
    for p in prepared_entities(con, sorted(set(need) | extra)):
        records[p.id] = p
    out: list[tuple[Prepared, Prepared]] = []
    for q in queries:
        found = (records[c] for c in ranked[q.id] if c in records)
        out.extend((q, c) for c in _keep(q, found, group))
    return out, {k: p for k, p in records.items() if k is not None}


def groups(links: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Record key -> a group id, for records the rules link (directly or through others).

    A group is one entity as far as blocking is concerned: a CSL row and the OFAC
    record it copies need not each be paired with the rest of the world.
    """
    parent: dict[str, str] = {}

    def find(k: str) -> str:
        parent.setdefault(k, k)
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {k: find(k) for k in parent}


def _richness(p: Prepared) -> tuple[int, str]:
    # Birth dates and identifiers decide more scores than one more alias does.
    return (-(len(p.names) + 3 * len(p.birth_dates) + 2 * len(p.identifiers)), p.id or "")


def representatives(members: Iterable[Prepared], group: Mapping[str, str]) -> dict[str, Prepared]:
    """Group id -> its richest member among `members`; records in no group are their own."""
    best: dict[str, Prepared] = {}
    for p in members:
        assert p.id is not None
        g = group.get(p.id, p.id)
        cur = best.get(g)
        if cur is None or _richness(p) < _richness(cur):
            best[g] = p
    return best


def _score(q: Prepared, c: Prepared, threshold: float) -> tuple[float, Pair | None]:
    """The pair's score where it reaches `threshold`, else (0, None): below it, the pair
    is neither kept nor looked at again, and the name comparison, the costly part, is
    skipped where at its bound it could not get there (scorer.score_reaching)."""
    assert q.id is not None and c.id is not None
    left, right = (q, c) if q.id <= c.id else (c, q)
    result = score_reaching(*comparable_names(left, right), threshold)
    if result is None:
        return 0.0, None
    return result.score, Pair(str(left.id), str(right.id), result.score, "score", result.explanation)


def score_candidates(
    candidates: Iterable[tuple[Prepared, Prepared]],
    group: Mapping[str, str],
    reps: Mapping[str, Prepared],
) -> tuple[list[Pair], int]:
    """Score each pair of groups once, never within a group, and keep it if it reaches
    the review threshold. The query meets the candidate the index found; if that score
    is in SECOND_LOOK, also the richest member of the candidate's group (the OFSI record
    with a birth date, not the FCDO one without), and the better score is kept.
    Returns the pairs and how many scores were computed."""
    seen: set[tuple[str, str]] = set()
    pairs = []
    scored = 0
    for q, c in candidates:
        assert q.id is not None and c.id is not None
        groups_ = ordered(group.get(q.id, q.id), group.get(c.id, c.id))
        if groups_[0] == groups_[1] or groups_ in seen:
            continue
        seen.add(groups_)
        score, pair = _score(q, c, SECOND_LOOK[0])
        scored += 1
        rep = reps.get(group.get(c.id, c.id))
        if (
            rep is not None
            and rep.id != c.id
            and _wanted(q, rep)
            and SECOND_LOOK[0] <= score < SECOND_LOOK[1]
        ):
            second, other = _score(q, rep, REVIEW)
            scored += 1
            if second > score:
                score, pair = second, other
        if score >= REVIEW and pair is not None:
            pairs.append(pair)
    return pairs, scored
