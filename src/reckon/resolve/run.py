"""`resolve`: pair, cluster and store canonical entities, incrementally by default.

An incremental run re-pairs only records that are new or whose digest changed since
the last run, keeps the stored pairs of the others, and drops pairs of records no
longer listed; clustering is then redone over all pairs and the current judgements,
which is cheap. Everything is written in one transaction: a process killed mid-run
leaves the previous clustering as it was.

Records are read prepared from the stored index (brought up to date first, see
stored_index.py). Incremental blocking asks the screening keys stored after each
ingest; a pair that
only an unchanged record's fresh query would find (not the changed record's) is
found by the next full run.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from reckon.match.index import Index
from reckon.match.prepare import Prepared
from reckon.resolve.cluster import cluster, redirects
from reckon.resolve.judgements import current_verdicts
from reckon.resolve.pairing import (
    Pair,
    candidates_from_store,
    candidates_in_memory,
    groups,
    representatives,
    score_candidates,
)
from reckon.resolve.records import current_digests, resolution_records
from reckon.resolve.rules import names_meet, names_must_meet, strong_links
from reckon.store.importer import bulk_insert
from reckon.stored_index import prepared_entities, refresh_index

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class ResolveResult:
    run: int
    full: bool
    records: int
    repaired: int  # records (re)paired this run
    pairs_scored: int
    clusters: int
    merged_clusters: int  # clusters of more than one record
    review: int  # pairs waiting for a judgement
    redirected: int  # canonical ids retired this run
    seconds: float


PairRow = tuple[str, str, float, str, str, str, str | None]


def _stored_pairs(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], PairRow]:
    rows = con.execute(
        "SELECT left_key, right_key, score, rule, explanation, decision, reason FROM resolve_pairs"
    ).fetchall()
    return {(r[0], r[1]): r for r in rows}


def resolve(
    con: duckdb.DuckDBPyConnection, *, full: bool = False, progress: Progress | None = None
) -> ResolveResult:
    """Resolve current records into canonical entities (see the module docstring)."""
    started = time.perf_counter()
    say = progress or (lambda _: None)
    digests = current_digests(con)
    previous = {
        str(r): (str(d), str(c))
        for r, d, c in con.execute("SELECT record, digest, canonical_id FROM resolve_records").fetchall()
    }
    full = full or not previous
    say("reading records")
    refresh_index(con)
    # A full run needs every record whole; an incremental one only the rules' facts of
    # all, and the changed records and their candidates whole.
    prepared, facts_list = resolution_records(con, names=full)
    facts = {f.key: f for f in facts_list}
    todo = sorted(k for k in facts if full or previous.get(k, ("", ""))[0] != digests.get(k))
    todo_set = set(todo)

    stored = {} if full else _stored_pairs(con)
    kept = [
        Pair(a, b, score, rule, why)
        for (a, b, score, rule, why, _, _) in stored.values()
        if a in facts and b in facts and a not in todo_set and b not in todo_set
    ]
    strong = [Pair(s.left, s.right, 1.0, s.rule, s.explanation) for s in strong_links(facts_list, todo)]
    strong = _names_meet_where_needed(con, strong, prepared)
    group = groups((p.left, p.right) for p in (*strong, *kept) if p.rule != "score")
    say(f"pairing {len(todo)} records")
    if full:
        reps = representatives(prepared, group)
        index = Index(prepared)
        queries = representatives((p for p in prepared if p.id in todo_set), group).values()
        positions = {p.id: i for i, p in enumerate(prepared)}
        candidates = candidates_in_memory(index, sorted(positions[q.id] for q in queries), group)
    else:
        queries = representatives(prepared_entities(con, todo), group).values()
        grouped: dict[str, list[str]] = {}
        for k, g in group.items():
            grouped.setdefault(g, []).append(k)
        candidates, read = candidates_from_store(
            con, sorted(queries, key=lambda p: p.id or ""), group, {k: grouped[g] for k, g in group.items()}
        )
        reps = representatives(read.values(), group)
    scored, n_scored = score_candidates(candidates, group, reps)
    pairs = sorted((*kept, *strong, *scored), key=lambda p: (p.left, p.right))

    say("clustering")
    result = cluster(facts, pairs, current_verdicts(con))
    old_ids = {r: c for r, (_, c) in previous.items()}
    moved = redirects(old_ids, result)
    records = {k: (digests[k], result.canonical[k]) for k in facts}
    pair_rows = {
        (d.pair.left, d.pair.right): (
            d.pair.left,
            d.pair.right,
            d.pair.score,
            d.pair.rule,
            d.pair.explanation,
            d.decision,
            d.reason,
        )
        for d in result.decisions
    }
    run = _write(con, (previous, records), (stored, pair_rows), moved, full, len(todo), n_scored, started)
    return ResolveResult(
        run=run,
        full=full,
        records=len(facts),
        repaired=len(todo),
        pairs_scored=n_scored,
        clusters=len(result.clusters),
        merged_clusters=sum(1 for m in result.clusters.values() if len(m) > 1),
        review=sum(1 for d in result.decisions if d.decision == "review"),
        redirected=len(moved),
        seconds=time.perf_counter() - started,
    )


def _names_meet_where_needed(
    con: duckdb.DuckDBPyConnection, links: list[Pair], prepared: Sequence[Prepared]
) -> list[Pair]:
    """The strong links, without those whose rule needs names to meet and whose
    records' names do not (rules.IdRule.names_must_meet): blocking finds such a pair
    through the shared number, and the scorer sends it to review."""
    doubtful = [p for p in links if names_must_meet(p.rule)]
    if not doubtful:
        return links
    records = {p.id: p for p in prepared if p.names}
    missing = sorted({k for p in doubtful for k in (p.left, p.right)} - records.keys())
    records.update((p.id, p) for p in prepared_entities(con, missing))
    dropped = {
        (p.left, p.right)
        for p in doubtful
        if p.left in records and p.right in records and not names_meet(records[p.left], records[p.right])
    }
    return [p for p in links if (p.left, p.right) not in dropped]


def _write(
    con: duckdb.DuckDBPyConnection,
    records: tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]],
    pairs: tuple[dict[tuple[str, str], PairRow], dict[tuple[str, str], PairRow]],
    moved: dict[str, str],
    full: bool,
    repaired: int,
    scored: int,
    started: float,
) -> int:
    """Write the new state in one transaction. Only rows that changed are touched: an
    incremental run after a small update writes little. A full run rewrites the pairs."""
    (old_records, new_records), (old_pairs, new_pairs) = records, pairs
    con.execute("BEGIN TRANSACTION")
    try:
        row = con.execute("SELECT coalesce(max(run), 0) + 1 FROM resolve_runs").fetchone()
        run = int(row[0]) if row else 1
        stale = sorted(k for k, v in old_records.items() if new_records.get(k) != v)
        con.execute("DELETE FROM resolve_records WHERE record IN (SELECT unnest(?::VARCHAR[]))", [stale])
        bulk_insert(
            con,
            "resolve_records",
            ("record", "digest", "canonical_id"),
            [(k, *v) for k, v in sorted(new_records.items()) if old_records.get(k) != v],
        )
        if full:
            con.execute("DELETE FROM resolve_pairs")
            old_pairs = {}
        gone = sorted(f"{a}\x1f{b}" for (a, b), v in old_pairs.items() if new_pairs.get((a, b)) != v)
        con.execute(
            "DELETE FROM resolve_pairs WHERE left_key || chr(31) || right_key IN (SELECT unnest(?::VARCHAR[]))",
            [gone],
        )
        bulk_insert(
            con,
            "resolve_pairs",
            ("left_key", "right_key", "score", "rule", "explanation", "decision", "reason"),
            [v for k, v in sorted(new_pairs.items()) if old_pairs.get(k) != v],
        )
        # An id that is live again (a split undone) no longer redirects.
        live = sorted({c for _, c in new_records.values()})
        con.execute("DELETE FROM resolve_redirects WHERE old_id IN (SELECT unnest(?::VARCHAR[]))", [live])
        con.execute(
            "DELETE FROM resolve_redirects WHERE old_id IN (SELECT unnest(?::VARCHAR[]))", [sorted(moved)]
        )
        bulk_insert(
            con,
            "resolve_redirects",
            ("old_id", "new_id", "run"),
            [(old, new, run) for old, new in sorted(moved.items())],
        )
        con.execute(
            "INSERT INTO resolve_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run,
                datetime.now(UTC).replace(tzinfo=None),
                full,
                len(new_records),
                repaired,
                scored,
                len(set(c for _, c in new_records.values())),
                time.perf_counter() - started,
            ],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return run
