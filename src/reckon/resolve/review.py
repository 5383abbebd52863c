"""The review queue: pairs waiting for a person, most consequential first, each with
both records side by side, the scorer's reasons and what agrees and what differs.

A pair is queued when the clustering left it for review (its score is in the review
band) and no standing judgement covers it; optionally also refused pairs a person could
still merge (no hard conflict between the two records themselves). The queue is read
from the last `resolve` run plus the judgement log, so a decision taken a moment ago
takes its pair out at once, and an undo puts it back.

Nothing here scores anew by other means: the reasons are the one scorer's
(`match.scorer.score_prepared`) on the records as resolution reads them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace

import duckdb

from reckon.match.identifiers import normalise_identifier
from reckon.match.names import compare_names
from reckon.match.prepare import (
    COUNTRY_PROPS,
    OTHER_IDS,
    UNIQUE_IDS,
    prepare,
    prepare_name,
)
from reckon.match.scorer import Contribution, score_prepared
from reckon.model import NAME_KINDS
from reckon.names import detect_script, normalize
from reckon.resolve.cluster import REFUSED, REVIEW
from reckon.resolve.judgements import current_verdicts
from reckon.resolve.pairing import ordered
from reckon.resolve.records import resolution_records
from reckon.resolve.rules import AUTO_MERGE, conflict
from reckon.resolve.rules import REVIEW as REVIEW_SCORE
from reckon.resolve.views import RESOLVE_SCHEMA
from reckon.store.queries import matching_entities
from reckon.store.schema import current_version

# ------------------------------------------------------------------ ordering

# An uncertain pair still outranks a clear one of the same weight, but a clear pair
# between large or sanctioned clusters can overtake an uncertain pair of obscure records.
CERTAIN_FLOOR = 0.25
SANCTIONED_BONUS = 0.5  # per side currently listed


def priority(score: float, records: int, sanctioned: int) -> float:
    """How much deciding a pair matters; the queue is sorted by it, highest first.

    `(CERTAIN_FLOOR + uncertainty) × log2(records) × (1 + SANCTIONED_BONUS × sanctioned)`:

    - uncertainty is 1 for a score in the middle of the review band (REVIEW..AUTO_MERGE),
      falling linearly to 0 at its edges and beyond: the scorer is least sure there;
    - `records` is how many records the two clusters hold together, so a judgement that
      joins (or keeps apart) larger entities counts more: 1 for two single records, 2 for four;
    - `sanctioned` (0, 1 or 2) is how many of the two records are on their list now,
      under a current designation: a missed link there hides who is sanctioned where.
    """
    mid = (REVIEW_SCORE + AUTO_MERGE) / 2
    half = (AUTO_MERGE - REVIEW_SCORE) / 2
    uncertainty = max(0.0, 1.0 - abs(score - mid) / half)
    return (CERTAIN_FLOOR + uncertainty) * math.log2(max(records, 2)) * (1 + SANCTIONED_BONUS * sanctioned)


# ------------------------------------------------------------------ the diff

AGREE, DIFFER, LEFT, RIGHT = "agree", "differ", "left", "right"
# Two names agree when the scorer's name comparison reaches this: same tokens up to
# case, script and romanisation (Доку Умаров = Doku UMAROV), not a near spelling.
NAME_AGREES = 0.95
_SCRIPTS = {"Latn": "Latin", "Cyrl": "Cyrillic", "Arab": "Arabic", "Hani": "Chinese", "Hang": "Korean"}


@dataclass(frozen=True, slots=True)
class DiffRow:
    """One line of the side-by-side view.

    `status` is `agree` (both sides say it, after normalisation), `differ` (both sides
    state the property and no value agrees: a conflict), `left` or `right` (only that
    side says it: the other is silent on the property, or says it another way that
    already agrees)."""

    group: str  # names, birthDate, country, gender, or the property
    status: str
    left: str | None
    right: str | None
    left_prop: str | None  # the FtM property each side states it under (alias, citizenship …)
    right_prop: str | None
    note: str = ""


# (similarity, how plainly they agree: 2 equal after normalisation, 1 the same words, 0 the
# scorer's judgement; ties go to the plainer agreement, note)
Sim = tuple[float, int, str]
Similarity = Callable[[tuple[str, str], tuple[str, str]], Sim]


def _same(norm: Callable[[str], str]) -> Similarity:
    def sim(a: tuple[str, str], b: tuple[str, str]) -> Sim:
        return (1.0, 2, "") if norm(a[1]) == norm(b[1]) else (0.0, 0, "")

    return sim


def _dates(a: tuple[str, str], b: tuple[str, str]) -> Sim:
    x, y = a[1][:10], b[1][:10]
    n = min(len(x), len(y))
    if x[:n] == y[:n]:
        return (1.0, 2, "") if len(x) == len(y) else (1.0, 1, f"agree to {x[:n]}")
    return 0.0, 0, ""


def _names(left_schema: str, right_schema: str) -> Similarity:
    def sim(a: tuple[str, str], b: tuple[str, str]) -> Sim:
        if normalize(a[1]) == normalize(b[1]):
            return 1.0, 2, ""
        pa, pb = prepare_name(a[1], a[0], left_schema), prepare_name(b[1], b[0], right_schema)
        if not pa.tokens or not pb.tokens:
            return 0.0, 0, ""
        cmp = compare_names(pa, pb, lambda _: 1.0)
        notes = list(cmp.notes)
        score, plain = cmp.score, 0
        if sorted(t.key for t in pa.tokens) == sorted(t.key for t in pb.tokens):
            # The same words up to script, romanisation and order: the scorer caps a
            # one-word name (Хусан ~ Husan) below a match, but as values they agree.
            score, plain = 1.0, 1
            notes = [n for n in notes if n != "one name part only"]
        sa, sb = detect_script(a[1]), detect_script(b[1])
        if sa and sb and sa != sb:
            notes.insert(0, f"{_SCRIPTS.get(sa, sa)}→{_SCRIPTS.get(sb, sb)}")
        return score, plain, f"name {score:.2f}" + (f" ({'; '.join(notes)})" if notes else "")

    return sim


def _groups(left: dict[str, list[str]], right: dict[str, list[str]]) -> list[tuple[str, tuple[str, ...]]]:
    fixed: list[tuple[str, tuple[str, ...]]] = [
        ("names", NAME_KINDS),
        ("birthDate", ("birthDate",)),
        ("country", COUNTRY_PROPS),
        ("gender", ("gender",)),
    ]
    fixed += [(s, (s,)) for s in (*UNIQUE_IDS, *OTHER_IDS)]
    known = {p for _, props in fixed for p in props}
    rest = sorted((set(left) | set(right)) - known)
    return fixed + [(p, (p,)) for p in rest]


def _values(props: dict[str, list[str]], names: Sequence[str]) -> list[tuple[str, str]]:
    """(property, value) pairs of a group, each value once (the first property stating it)."""
    seen: dict[str, str] = {}
    for prop in names:
        for v in props.get(prop, ()):
            if v and v not in seen:
                seen[v] = prop
    return [(p, v) for v, p in seen.items()]


Row = tuple[int | None, int | None, float, str]  # left index, right index, similarity, note


def _match(
    lv: list[tuple[str, str]], rv: list[tuple[str, str]], sim: Similarity, agree_at: float
) -> list[Row]:
    """Rows for one group: agreeing pairs one-to-one, best first; then values that agree
    with a value already shown (next to that value again: a Cyrillic and a Latin spelling
    of one name on one side both agree with the other side's name); then the rest, paired
    side by side best first when nothing in the group agrees (a conflict), else alone
    (one side's extras)."""
    sims = {(i, j): sim(a, b) for i, a in enumerate(lv) for j, b in enumerate(rv)}

    # Plain agreement (no note) before agreement the scorer had to explain.
    def rank(ij: tuple[int, int]) -> tuple[float, int, tuple[int, int]]:
        return (-sims[ij][0], -sims[ij][1], ij)

    best_first = sorted(sims, key=rank)
    used_l: set[int] = set()
    used_r: set[int] = set()
    rows: list[Row] = []
    for i, j in best_first:
        score, _, note = sims[i, j]
        if score >= agree_at and i not in used_l and j not in used_r:
            used_l.add(i)
            used_r.add(j)
            rows.append((i, j, score, note))
    agreed = bool(rows)
    for i in range(len(lv)):
        partner = min(range(len(rv)), key=lambda j: rank((i, j)), default=None)
        if i not in used_l and partner is not None and sims[i, partner][0] >= agree_at:
            used_l.add(i)
            rows.append((i, partner, sims[i, partner][0], sims[i, partner][2]))
    for j in range(len(rv)):
        partner = min(range(len(lv)), key=lambda i: rank((i, j)), default=None)
        if j not in used_r and partner is not None and sims[partner, j][0] >= agree_at:
            used_r.add(j)
            rows.append((partner, j, sims[partner, j][0], sims[partner, j][2]))
    if not agreed:
        for i, j in best_first:
            score, _, note = sims[i, j]
            if i not in used_l and j not in used_r:
                used_l.add(i)
                used_r.add(j)
                rows.append((i, j, score, note))
    rows += [(i, None, 0.0, "") for i in range(len(lv)) if i not in used_l]
    rows += [(None, j, 0.0, "") for j in range(len(rv)) if j not in used_r]
    return rows


def diff(
    left: dict[str, list[str]],
    right: dict[str, list[str]],
    left_schema: str = "LegalEntity",
    right_schema: str = "LegalEntity",
) -> list[DiffRow]:
    """What two records' properties have in common and where they part, group by group.

    Names agree when they are the same after `names.normalize`, have the same words up
    to script and romanisation (the scorer's token keys), or the scorer's name
    comparison reaches NAME_AGREES; birth dates agree at their common precision;
    identifiers compare as the scorer normalises them; other values after
    `names.normalize` (case, width, diacritics). Values with no agreeing counterpart
    `differ` when nothing in their group agrees, and are one side's extras otherwise.
    """
    rows: list[DiffRow] = []
    for group, props in _groups(left, right):
        lv, rv = _values(left, props), _values(right, props)
        if not lv and not rv:
            continue
        agree_at = 1.0
        if group == "names":
            sim, agree_at = _names(left_schema, right_schema), NAME_AGREES
        elif group == "birthDate":
            sim = _dates
        elif group in UNIQUE_IDS or group in OTHER_IDS:
            sim = _same(normalise_identifier)
        else:
            sim = _same(normalize)
        matched = _match(lv, rv, sim, agree_at)
        agreed = any(s >= agree_at for _, _, s, _ in matched)
        for i, j, score, note in matched:
            a = lv[i] if i is not None else None
            b = rv[j] if j is not None else None
            if a and b and score >= agree_at:
                status = AGREE
            elif (a and b) or (not agreed and lv and rv):
                status = DIFFER
            else:
                status = LEFT if a else RIGHT
            rows.append(
                DiffRow(
                    group,
                    status,
                    a[1] if a else None,
                    b[1] if b else None,
                    a[0] if a else None,
                    b[0] if b else None,
                    note if a and b else "",
                )
            )
    return rows


# ------------------------------------------------------------------ the queue


@dataclass(frozen=True, slots=True)
class Side:
    """One record of a pair as the reviewer sees it."""

    key: str  # source:record_id
    schema: str
    caption: str
    canonical_id: str | None
    cluster_size: int  # records in its canonical entity now
    sanctioned: bool  # on its list now, under a current designation
    designations: list[str]  # "un: Al-Qaida", one per current designation
    properties: dict[str, list[str]]  # FtM properties resolution reads (empty if removed since)


@dataclass(frozen=True, slots=True)
class ReviewItem:
    left: Side
    right: Side
    score: float  # as stored by the last resolve run
    rule: str  # "score", or the strong-evidence rule
    decision: str  # review | refused
    reason: str | None  # why a refused pair was refused
    priority: float
    # Filled by `with_details` (review_queue does it unless asked not to):
    rescored: float | None = None  # the scorer on the records as they are now
    contributions: list[Contribution] = field(default_factory=list)
    diff: list[DiffRow] = field(default_factory=list)

    @property
    def pair(self) -> tuple[str, str]:
        return (self.left.key, self.right.key)


def with_details(item: ReviewItem) -> ReviewItem:
    """The item with the scorer's reasons and the diff (~10 ms a pair, so a UI asks for
    them as it shows each pair rather than for a whole queue up front)."""
    if item.rescored is not None:
        return item
    contributions: list[Contribution] = []
    rescored = 0.0
    if item.left.properties and item.right.properties:  # a record removed since has none
        a, b = (
            prepare({"id": s.key, "schema": s.schema, "properties": s.properties})
            for s in (item.left, item.right)
        )
        result = score_prepared(a, b)
        contributions, rescored = list(result.contributions), result.score
    rows = diff(item.left.properties, item.right.properties, item.left.schema, item.right.schema)
    return replace(item, rescored=rescored, contributions=contributions, diff=rows)


def _designations(con: duckdb.DuckDBPyConnection, keys: list[str]) -> dict[str, list[str]]:
    rows = con.execute(
        "SELECT s.source || ':' || s.record_id AS key, s.entity_id, "
        "any_value(s.value) FILTER (WHERE s.prop = 'country'), "
        "list(DISTINCT s.value ORDER BY s.value) FILTER (WHERE s.prop = 'program') "
        "FROM statements s JOIN records r ON r.source = s.source AND r.record_id = s.record_id "
        "WHERE s.schema = 'Sanction' AND s.until_version IS NULL AND r.removed_version IS NULL "
        "AND s.source || ':' || s.record_id IN (SELECT unnest(?::VARCHAR[])) "
        "GROUP BY key, s.entity_id ORDER BY key, s.entity_id",
        [keys],
    ).fetchall()
    out: dict[str, list[str]] = {}
    for key, _, country, programs in rows:
        label = f"{country}: {', '.join(programs)}" if programs else str(country or "designated")
        out.setdefault(str(key), []).append(label)
    return out


def _clusters(con: duckdb.DuckDBPyConnection, keys: list[str]) -> dict[str, tuple[str, int]]:
    rows = con.execute(
        "SELECT c.record, c.canonical_id, n.size FROM resolve_records c JOIN "
        "(SELECT canonical_id, count(*) AS size FROM resolve_records GROUP BY canonical_id) n "
        "USING (canonical_id) WHERE c.record IN (SELECT unnest(?::VARCHAR[]))",
        [keys],
    ).fetchall()
    return {str(r): (str(c), int(n)) for r, c, n in rows}


def _captions(con: duckdb.DuckDBPyConnection, keys: list[str]) -> dict[str, tuple[str, str]]:
    rows = con.execute(
        "SELECT source || ':' || record_id, schema, coalesce(caption, '') FROM records "
        "WHERE source || ':' || record_id IN (SELECT unnest(?::VARCHAR[]))",
        [keys],
    ).fetchall()
    return {str(k): (str(s), str(c)) for k, s, c in rows}


def _candidates(
    con: duckdb.DuckDBPyConnection, include_refused: bool, decided: Collection[tuple[str, str]] = ()
) -> list[tuple[str, str, float, str, str, str | None]]:
    decisions = [REVIEW, REFUSED] if include_refused else [REVIEW]
    rows = con.execute(
        "SELECT left_key, right_key, score, rule, decision, reason FROM resolve_pairs "
        "WHERE decision IN (SELECT unnest(?::VARCHAR[])) ORDER BY left_key, right_key",
        [decisions],
    ).fetchall()
    judged = current_verdicts(con)
    return [
        (str(a), str(b), float(s), str(r), str(d), None if why is None else str(why))
        for a, b, s, r, d, why in rows
        if ordered(str(a), str(b)) not in judged and ordered(str(a), str(b)) not in decided
    ]


def _properties(entity: dict[str, object] | None) -> dict[str, list[str]]:
    props = entity["properties"] if entity else {}
    assert isinstance(props, dict)
    return {str(p): [str(v) for v in dict.fromkeys(vs)] for p, vs in sorted(props.items())}


def with_properties(con: duckdb.DuckDBPyConnection, item: ReviewItem) -> ReviewItem:
    """The item with both sides' properties read, for a queue read without them."""
    by_key = {str(e["id"]): e for e in matching_entities(con, list(item.pair))}
    return replace(
        item,
        left=replace(item.left, properties=_properties(by_key.get(item.left.key))),
        right=replace(item.right, properties=_properties(by_key.get(item.right.key))),
    )


def review_queue(
    con: duckdb.DuckDBPyConnection,
    *,
    limit: int | None = None,
    include_refused: bool = False,
    details: bool = True,
    decided: Collection[tuple[str, str]] = (),
    properties: bool = True,
) -> list[ReviewItem]:
    """Pairs waiting for a judgement, by `priority`, highest first (ties by pair); with
    `details`, each with the scorer's reasons and the diff (see `with_details`).

    With `include_refused`, refused pairs join the queue when the two records themselves
    have no hard conflict (different kinds or unique identifiers): those were kept apart
    by a soft conflict or by other members of their clusters, which a person may overrule.
    `decided` pairs (left < right) are left out too: decisions the log does not hold yet
    (the judgement inbox, store/inbox.py). Without `properties` (and so without
    `details`), the sides' properties are left empty, to be read for the pair shown
    (`with_properties`): a queue of ten thousand pairs is then read in seconds.
    """
    if current_version(con) < RESOLVE_SCHEMA:
        return []
    rows = _candidates(con, include_refused, decided)
    keys = sorted({k for a, b, *_ in rows for k in (a, b)})
    if not keys:
        return []
    # The rules' facts are only needed to find hard conflicts between refused pairs.
    refused = sorted({k for a, b, _, _, d, _ in rows if d == REFUSED for k in (a, b)})
    facts_by_key = {f.key: f for f in resolution_records(con, refused)[1]} if refused else {}
    by_key = {str(e["id"]): e for e in matching_entities(con, keys)} if properties or details else {}
    clusters = _clusters(con, keys)
    designations = _designations(con, keys)
    captions = _captions(con, keys)

    def side(key: str) -> Side:
        schema, caption = captions.get(key, ("LegalEntity", ""))
        cid, size = clusters.get(key, (None, 1))
        return Side(
            key=key,
            schema=schema,
            caption=caption,
            canonical_id=cid,
            cluster_size=size,
            sanctioned=bool(designations.get(key)),
            designations=designations.get(key, []),
            properties=_properties(by_key.get(key)),
        )

    items = []
    for a, b, score, rule, decision, reason in rows:
        if decision == REFUSED:
            fa, fb = facts_by_key.get(a), facts_by_key.get(b)
            if fa is None or fb is None:
                continue
            found = conflict(fa, fb)
            if found is not None and found.hard:
                continue
        left, right = side(a), side(b)
        records = left.cluster_size + (right.cluster_size if left.canonical_id != right.canonical_id else 0)
        items.append(
            ReviewItem(
                left=left,
                right=right,
                score=score,
                rule=rule,
                decision=decision,
                reason=reason,
                priority=priority(score, records, int(left.sanctioned) + int(right.sanctioned)),
            )
        )
    items.sort(key=lambda it: (-it.priority, it.left.key, it.right.key))
    if limit is not None:
        items = items[:limit]
    return [with_details(it) for it in items] if details else items
