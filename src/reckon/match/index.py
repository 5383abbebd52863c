"""An in-memory index of prepared entities: blocking keys → candidates → scores.

Keys per name token: its skeleton (`s:`), a coarse phonetic key (`p:`), its given-name
class (`g:`) and surname stem (`n:`); per identifier `i:scheme:value`. A query collects
the entities its keys point at, weighting each key by its rarity, so a match on
IVANOV alone ranks below one on IVANOV and ALEKSANDR, and keys carried by a large
share of the index (OOO, MOHAMMED) only count when nothing rarer does.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from heapq import nlargest
from operator import itemgetter
from typing import TYPE_CHECKING, TypeVar

from reckon.match.features import birth_date, gender, name_similarity, unique_identifier
from reckon.match.names import GENERIC_WEIGHT, Weigher
from reckon.match.prepare import UNIQUE_IDS, Prepared, PreparedName, prepare, token_block_keys
from reckon.match.scorer import MatchResult, compatible, score_reaching

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

# Keys that more entities share than this fraction are too common to fetch candidates by.
COMMON_KEY_SHARE = 0.02
MAX_CANDIDATES = 40
# Posting entries tallied per query, rarest keys first: entities with many names have
# many keys, and their commonest keys cost the most and say the least.
POSTINGS_BUDGET = 2000
# Of those, how many are scored after the cheap re-ranking (see `shortlist`).
SCORED_CANDIDATES = 20
# Names of a candidate whose key overlap is below this share of its best are not compared.
NAME_SHARE = 0.6
MAX_NAME_TOTALS = 1 << 20
# Entities as the postings name them (index positions, stored ids): hashable, ordered.
T = TypeVar("T", bound="SupportsRichComparison")


@dataclass(frozen=True, slots=True)
class Hit:
    entity: Prepared
    result: MatchResult
    # The records the hit stands for (`source:id`): the members of a canonical entity
    # (see `Grouping`); empty where the index has no grouping and the entity is a record.
    members: tuple[str, ...] = ()
    name: str = ""  # the candidate's name that matched the query best (with a grouping)

    @property
    def score(self) -> float:
        return self.result.score

    @property
    def records(self) -> tuple[str, ...]:
        return self.members or ((self.entity.id,) if self.entity.id else ())


@dataclass(frozen=True, slots=True)
class Grouping:
    """Records as members of the canonical entities of a resolution: screening answers
    with one hit per entity, scored on the evidence of all its members (`merged`).
    Records it does not know (not resolved yet) stay entities of their own."""

    entity_of: Mapping[str, str]  # record → canonical id
    members: Mapping[str, Sequence[Prepared]]  # canonical id → its current records, prepared
    heads: Mapping[str, tuple[str, str]]  # canonical id → (schema, caption)
    fingerprint: str = ""  # which resolution: a digest of its record → entity map
    # Each entity's members merged (`merged`, before any query) and their ids, made on
    # first use: a batch meets the same entities again and again.
    made: dict[str, tuple[Prepared, tuple[str, ...]]] = field(default_factory=dict, compare=False)


def entity_keys(p: Prepared) -> set[str]:
    keys: set[str] = set().union(*(n.keys for n in p.names))
    keys.update(f"i:{scheme}:{value}" for scheme, value in p.identifiers)
    return keys


def token_weight(df: int, n: int) -> float:
    """A name token's weight in the scorer: rare tokens count more than common ones."""
    idf = math.log((n + 1) / (df + 1))
    return 0.3 + 0.7 * min(1.0, idf / 7.0)


def rank_candidates(
    postings: Mapping[str, Sequence[T]],
    n: int,
    limit: int = MAX_CANDIDATES,
    scale: Mapping[str, float] | None = None,
) -> list[T]:
    """The entities a query's keys point at, best supported first (ties: by id).

    `postings` holds, for each of the query's keys found in the index, the entities
    carrying it; `n` is the size of the index; `scale` multiplies the weight of some
    keys (see `key_scales`).
    """
    scale = scale or {}
    common = max(50, int(n * COMMON_KEY_SHARE))
    keys = sorted((k for k in postings if len(postings[k]) <= common), key=lambda k: (len(postings[k]), k))
    keys = keys or sorted(postings)
    cap = common * 4
    tally: dict[T, float] = {}
    get = tally.get
    budget = POSTINGS_BUDGET
    for k in keys:
        post = postings[k]
        if budget <= 0 and tally:
            break  # the rarest keys have spoken; the commoner rest would only add noise and time
        budget -= len(post)
        w = key_weight(len(post), n) * scale.get(k, 1.0) + (5.0 if k.startswith("i:") else 0.0)
        for e in post if len(post) <= cap else post[:cap]:
            tally[e] = get(e, 0.0) + w
    if len(tally) > limit:
        # Nothing below the limit-th highest tally (ties counted) by more than a
        # rounding slip makes the cut.
        cut = nlargest(limit, tally.values())[-1] - 1e-6
        ranked = [item for item in tally.items() if item[1] >= cut]
    else:
        ranked = list(tally.items())
    ranked.sort(key=_tally, reverse=True)
    # Rounded so that the order does not hinge on the order the floats were added in:
    # entities whose tallies round alike (neighbours in `ranked`) go by id.
    out: list[T] = []
    i = 0
    while i < len(ranked) and len(out) < limit:
        v = ranked[i][1]
        r = round(v, 9)
        j = i + 1
        while j < len(ranked) and (ranked[j][1] == v or round(ranked[j][1], 9) == r):
            j += 1
        out.extend(sorted(map(_entity, ranked[i:j])))
        i = j
    return out[:limit]


_entity, _tally = itemgetter(0), itemgetter(1)


def key_scales(q: Prepared) -> dict[str, float]:
    """Keys the query has only from generic words of organisation names (EXPORT,
    TRADING) count for GENERIC_WEIGHT in the tally, as those words do in the scorer:
    else "Gazprom Export" fetches forty exporters, all a little rarer than Gazprom,
    and no Gazprom."""
    if not any(t.role == "generic" for name in q.names for t in name.tokens):
        return {}  # people, and most organisations: no token's keys to work out again
    core: set[str] = set()
    generic: set[str] = set()
    for name in q.names:
        for t in name.tokens:
            (generic if t.role == "generic" else core).update(token_block_keys(t))
    return dict.fromkeys(generic - core, GENERIC_WEIGHT)


def key_weight(df: int, n: int) -> float:
    """How much sharing one blocking key says: the rarer, the more."""
    return math.log((n + 1) / (df + 1))


class KeyWeights(dict[str, float]):
    """The weight of each blocking key (see `key_weight`), worked out on first use."""

    def __init__(self, df: Callable[[str], int], n: int) -> None:
        super().__init__()
        self._df = df
        self._n = n

        self._names: dict[int, tuple[PreparedName, float]] = {}

    def __missing__(self, key: str) -> float:
        w = self[key] = key_weight(self._df(key), self._n)
        return w

    def total(self, keys: Iterable[str]) -> float:
        return sum(map(self.__getitem__, keys))

    def name_total(self, name: PreparedName) -> float:
        """The weight of all of one name's keys; kept per name object, which the
        index holds for its lifetime (prepared names are shared, see prepare_name)."""
        entry = self._names.get(id(name))
        if entry is not None and entry[0] is name:
            return entry[1]
        if len(self._names) > MAX_NAME_TOTALS:
            self._names.clear()
        t = self.total(name.keys)
        self._names[id(name)] = (name, t)  # the name is kept alive so its id stays its own
        return t


def _name_overlaps(
    query: list[tuple[frozenset[str], float]], c: Prepared, weights: KeyWeights
) -> list[float]:
    """For each name of `c`, a cheap estimate of how alike it is to the query's closest
    name (given as its keys and their total weight): Dice over their blocking keys,
    each weighted by its rarity. Unrounded: the caller rounds only what it ranks by."""
    weight = weights.__getitem__
    out = []
    for cn in c.names:
        best = 0.0
        keys = cn.keys
        for q_keys, q_total in query:
            # Weights are 0 for keys every entity has: in an index of two records, all of them.
            if not q_keys.isdisjoint(keys) and (total := q_total + weights.name_total(cn)) > 0:
                x = 2 * sum(map(weight, q_keys.intersection(keys))) / total
                if x > best:
                    best = x
        out.append(best)
    return out


def comparable_names(a: Prepared, b: Prepared) -> tuple[Prepared, Prepared]:
    """Both entities with only the names that share a blocking key with the other side:
    two records with twenty aliases each are compared on the few pairs that could match,
    not on four hundred. Symmetric; a side with no such name keeps all of its names."""

    def narrow(p: Prepared, keys: frozenset[str]) -> Prepared:
        names = tuple(n for n in p.names if not keys.isdisjoint(n.keys))
        return replace(p, names=names) if names and len(names) < len(p.names) else p

    a_keys = frozenset().union(*(n.keys for n in a.names))
    b_keys = frozenset().union(*(n.keys for n in b.names))
    return narrow(a, b_keys), narrow(b, a_keys)


def shortlist(
    q: Prepared, candidates: Sequence[Prepared], weights: KeyWeights, limit: int = SCORED_CANDIDATES
) -> list[tuple[Prepared, Prepared]]:
    """The candidates worth scoring, each with the names worth comparing.

    The entity tally of `rank_candidates` favours entities with many aliases; this
    ranks them by their best single name instead, and keeps of each only the names
    close to its best (an entity with forty aliases is compared on the few that could
    match). A candidate sharing an identifier with the query is always kept whole.
    """
    query = [(frozenset(n.keys), weights.total(n.keys)) for n in q.names]
    q_ids = q.identifiers
    # Sorted as tuples, best first: (-overlap, id, position, the names' overlaps).
    ranked: list[tuple[float, str, int, list[float] | None]] = []
    for k, c in enumerate(candidates):
        if q_ids and not q_ids.isdisjoint(c.identifiers):
            ranked.append((-2.0, c.id or "", k, None))
            continue
        per_name = _name_overlaps(query, c, weights)
        # Rounded so that the order does not hinge on float noise; rounding is monotonic,
        # so the rounded best is the best of the rounded overlaps.
        ranked.append((-round(max(per_name, default=0.0), 9), c.id or "", k, per_name))
    ranked.sort()
    out = []
    for neg_best, _, k, overlaps in ranked[:limit]:
        c = candidates[k]
        if overlaps is not None:
            floor = NAME_SHARE * -neg_best
            names = tuple(
                n for n, x in zip(c.names, overlaps, strict=True) if (o := round(x, 9)) > 0 and o >= floor
            )
            if names and len(names) < len(c.names):
                out.append((c, replace(c, names=names)))
                continue
        out.append((c, c))
    return out


class Index:
    """Prepared entities and their blocking keys; `search` is the screening primitive."""

    def __init__(self, entities: Iterable[Mapping[str, object] | Prepared]) -> None:
        """From FtM-shaped entities, or entities already prepared (see match/serial.py)."""
        self.entities: list[Prepared] = [e if isinstance(e, Prepared) else prepare(e) for e in entities]
        lists: dict[str, list[int]] = {}
        token_df: Counter[str] = Counter()
        for pos, p in enumerate(self.entities):
            for key in entity_keys(p):
                lists.setdefault(key, []).append(pos)
            token_df.update({t.key for n in p.names for t in n.tokens})
        # Positions as C ints: a quarter of the memory of a list of Python ints.
        self.postings = {k: array("i", v) for k, v in lists.items()}
        self._n = max(len(self.entities), 1)
        self._token_df = token_df
        self._weights: dict[str, float] = {}
        postings = self.postings  # not `self`: a closure over the index would make a reference cycle
        self.key_weights = KeyWeights(lambda key: len(postings.get(key, ())), self._n)
        # Set by screening (reckon.screening.load_index): hits are then canonical entities.
        self.grouping: Grouping | None = None

    def __len__(self) -> int:
        return len(self.entities)

    def weigh(self, token_key: str) -> float:
        w = self._weights.get(token_key)
        if w is None:
            w = self._weights[token_key] = token_weight(self._token_df.get(token_key, 0), self._n)
        return w

    def candidates(self, q: Prepared, limit: int = MAX_CANDIDATES) -> list[int]:
        return candidates_for(q, self.postings, self._n, limit)

    def warm(self) -> None:
        """Work out now what searches otherwise work out the first time they meet it: each
        blocking key's weight, each name's total of them, and each canonical entity's
        members merged (`Grouping.made`): ~1.3 s of CPU on the demo store, ~0.5 ms of
        each of the first searches otherwise. Safe beside searches (each entry is worked
        out alike by whoever comes first)."""
        weights = self.key_weights
        for key in self.postings:
            weights[key]
        for p in self.entities:
            for n in p.names:
                weights.name_total(n)
        grouping = self.grouping
        if grouping is not None:
            for cid, members in grouping.members.items():
                if members:
                    _made(grouping, cid, members[0], members)

    def search(
        self,
        query: Mapping[str, object],
        *,
        limit: int = 10,
        threshold: float = 0.7,
        grouping: Grouping | None = None,
        keep: Callable[[Prepared], bool] | None = None,
    ) -> list[Hit]:
        """The best hits for `query`: records, or with a `grouping` canonical entities;
        `keep` chooses the records that count (e.g. those of some lists). Without a
        `grouping`, the index's own (if screening set one)."""
        ways = readings(query)
        found = [[self.entities[pos] for pos in self.candidates(q)] for q, _ in ways]
        return reading_hits(
            ways,
            found,
            self.weigh,
            self.key_weights,
            limit=limit,
            threshold=threshold,
            grouping=grouping or self.grouping,
            keep=keep,
        )


def candidates_for(
    q: Prepared, postings: Mapping[str, Sequence[T]], n: int, limit: int = MAX_CANDIDATES
) -> list[T]:
    """The entities worth scoring against `q`: its blocking keys looked up in `postings`
    (which may hold other queries' keys too) and ranked by `rank_candidates`, generic
    words weighed as `key_scales` says. Screening and resolution, in memory and through
    the store, all block with this."""
    found = {k: postings[k] for k in entity_keys(q) if k in postings}
    return rank_candidates(found, n, limit, key_scales(q))


Admits = Callable[[Prepared], bool]


def _anyone(_: Prepared) -> bool:
    return True


def _person(p: Prepared) -> bool:
    return p.schema == "Person"


def _not_person(p: Prepared) -> bool:
    return p.schema != "Person"


def readings(query: Mapping[str, object]) -> list[tuple[Prepared, Admits]]:
    """The query prepared for screening, each reading with the candidates it is for.

    A query whose schema is LegalEntity does not say whether it names a person or an
    organisation (`reckon screen NAME` without --schema): "ABRAMOVICH, Roman" has a
    surname and a given name only if read as a person's. So it is read both ways, as a
    person's name against people and as an organisation's against everything else."""
    q = prepare(query)
    if q.schema != "LegalEntity":
        return [(q, _anyone)]
    ways: list[tuple[Prepared, Admits]] = [
        (prepare({**query, "schema": "Person"}), _person),
        (q, _not_person),
    ]
    props = query.get("properties")
    if isinstance(props, Mapping) and any(props.get(s) for s in VESSEL_IDS):
        # A vessel is no legal entity in FtM: an IMO or MMSI given without --schema may be
        # a ship's (or, on the lists, a shipping company's), so it is also read as a vessel's.
        ways.append((prepare({**query, "schema": "Vessel"}), _vessel))
    return ways


VESSEL_IDS = ("imoNumber", "mmsi", "callSign")


def _vessel(p: Prepared) -> bool:
    return p.schema == "Vessel"


def reading_hits(
    ways: Sequence[tuple[Prepared, Admits]],
    candidates: Sequence[Sequence[Prepared]],
    weigh: Weigher,
    key_weights: KeyWeights,
    *,
    limit: int,
    threshold: float,
    grouping: Grouping | None = None,
    keep: Callable[[Prepared], bool] | None = None,
) -> list[Hit]:
    """`best_hits` for each reading of a query (see `readings`) on the candidates found
    for it that it admits; the best `limit` of all, best first (ties: by id). The
    readings admit disjoint candidates, so no entity comes twice.

    With a `grouping`, see `entity_hits`. `keep` chooses records: without a grouping the
    records that may be hits, with one the entities that may be (those with a member it
    keeps; all members' evidence still counts: it is what is known of that entity)."""
    hits: list[Hit] = []
    for (q, admits), found in zip(ways, candidates, strict=True):
        if grouping is None:
            kept = [c for c in found if admits(c) and (keep is None or keep(c))]
            hits += best_hits(q, kept, weigh, key_weights, limit=limit, threshold=threshold)
        else:
            admitted = [c for c in found if admits(c)]
            hits += entity_hits(q, admitted, grouping, weigh, key_weights, threshold=threshold, keep=keep)
    best: dict[str, Hit] = {}
    for h in hits:  # an entity of records of two kinds may be found by two readings
        key = h.entity.id or ""
        if key not in best or h.score > best[key].score:
            best[key] = h
    return sorted(best.values(), key=lambda h: (-h.score, h.entity.id or ""))[:limit]


def entity_hits(
    q: Prepared,
    candidates: Sequence[Prepared],
    grouping: Grouping,
    weigh: Weigher,
    key_weights: KeyWeights,
    *,
    threshold: float,
    keep: Callable[[Prepared], bool] | None = None,
) -> list[Hit]:
    """The canonical entities of the records `shortlist` keeps, each scored once: on
    the names of its shortlisted records close to the query (a member with a name
    close to it is shortlisted itself) and on the other evidence of every member, as
    `for_query` weighs it. The same work as scoring records, minus the duplicates."""
    order: list[str] = []
    names: dict[str, dict[object, PreparedName]] = {}
    heads: dict[str, tuple[Prepared, tuple[str, ...], Sequence[Prepared]]] = {}
    for c, narrowed in shortlist(q, [c for c in candidates if compatible(q, c)], key_weights):
        cid = grouping.entity_of.get(c.id or "")
        entity: Prepared
        ids: tuple[str, ...]
        members: Sequence[Prepared]
        if cid is None:  # not resolved (yet): an entity of its own
            cid, entity, ids, members = c.id or "", c, (c.id or "",), (c,)
        else:
            members = grouping.members.get(cid) or (c,)
            entity, ids = _made(grouping, cid, c, members)
        if cid not in heads:
            if keep is not None and not any(map(keep, members)):
                continue
            order.append(cid)
            heads[cid] = (entity, ids, members)
            names[cid] = {}
        for n in narrowed.names:
            names[cid].setdefault(_name_key(n), n)
    hits = []
    for cid in order:
        entity, ids, members = heads[cid]
        whole = for_query(q, entity, members)
        close = tuple(names[cid].values())
        scored = replace(whole, names=close) if len(close) < len(whole.names) else whole
        result = score_reaching(q, scored, threshold, weigh)
        if result is not None:
            hits.append(Hit(whole, result, members=ids, name=best_name(q, scored, result, weigh)))
    return hits


def _made(
    grouping: Grouping, cid: str, c: Prepared, members: Sequence[Prepared]
) -> tuple[Prepared, tuple[str, ...]]:
    made = grouping.made.get(cid)
    if made is None:
        schema, caption = grouping.heads.get(cid, (c.schema, c.caption))
        made = grouping.made[cid] = (
            merged(cid, schema, caption, members),
            tuple(sorted(m.id or "" for m in members)),
        )
    return made


def _name_key(n: PreparedName) -> tuple[object, ...]:
    """Names that compare alike: the same tokens (interned: hashed by identity), legal
    forms and weight (a weak alias counts less)."""
    return (n.tokens, n.kind == "weakAlias", n.legal_forms)


def _no_weight(_: str) -> float:
    return 1.0


def merged(cid: str, schema: str, caption: str, members: Sequence[Prepared]) -> Prepared:
    """The members of one canonical entity as one candidate: every member's names,
    birth dates, countries and identifiers (see `for_query` for conflicts)."""
    if len(members) == 1:
        (m,) = members
        return replace(m, id=cid, schema=schema, caption=caption)
    # Lists write one name alike (Roman Arkadyevich ABRAMOVICH on four of them): each
    # such name is compared once.
    unique: dict[object, PreparedName] = {}
    for m in members:
        for n in m.names:
            unique.setdefault(_name_key(n), n)
    return Prepared(
        id=cid,
        schema=schema,
        caption=caption,
        names=tuple(unique.values()),
        birth_dates=tuple(dict.fromkeys(d for m in members for d in m.birth_dates)),
        countries=frozenset().union(*(m.countries for m in members)),
        gender=next((m.gender for m in members if m.gender), None),
        identifiers=frozenset().union(*(m.identifiers for m in members)),
    )


def for_query(q: Prepared, entity: Prepared, members: Sequence[Prepared]) -> Prepared:
    """`entity` (the `merged` members) as query `q` is to be scored against it.

    Names, countries and identifiers of every member count: a name one list spells the
    query's way is the entity's name, wherever the query's country appears. A birth
    date, gender or unique identifier that conflicts with the query on any member is
    the entity's, as it would be on that record alone (the FCDO summary gives no birth
    date, its OFSI twin the one the query contradicts); where none conflicts, the
    members' values all count and the best agreement wins."""
    if len(members) < 2:
        return entity
    changes: dict[str, object] = {}
    if q.birth_dates and entity.birth_dates:
        worst = _worst(q, members, birth_date)
        if worst is not None:
            changes["birth_dates"] = worst.birth_dates
    if q.identifiers and entity.identifiers:
        worst = _worst(q, members, unique_identifier)
        if worst is not None:
            changes["identifiers"] = worst.identifiers | {
                i for i in entity.identifiers if i[0] not in UNIQUE_IDS
            }
    if q.gender and entity.gender:
        worst = _worst(q, members, gender)
        if worst is not None:
            changes["gender"] = worst.gender
    return replace(entity, **changes) if changes else entity  # type: ignore[arg-type]


def _worst(
    q: Prepared, members: Sequence[Prepared], feature: Callable[[Prepared, Prepared, Weigher], object]
) -> Prepared | None:
    """The member on which `feature` conflicts most with `q` (negative evidence), or None."""
    worst: tuple[float, Prepared] | None = None
    for m in members:
        ev = feature(q, m, _no_weight)
        value = getattr(ev, "value", None)
        if value is not None and value < 0 and (worst is None or value < worst[0]):
            worst = (value, m)
    return worst[1] if worst else None


def best_hits(
    q: Prepared,
    candidates: Sequence[Prepared],
    weigh: Weigher,
    key_weights: KeyWeights,
    *,
    limit: int,
    threshold: float,
) -> list[Hit]:
    """Score the shortlisted candidates; the best `limit` at or above `threshold`, best first."""
    hits = []
    for c, narrowed in shortlist(q, [c for c in candidates if compatible(q, c)], key_weights):
        result = score_reaching(q, narrowed, threshold, weigh)
        if result is not None:
            hits.append(Hit(c, result))
    hits.sort(key=lambda h: (-h.score, h.entity.id or ""))
    return hits[:limit]


def best_name(q: Prepared, c: Prepared, result: MatchResult, weigh: Weigher) -> str:
    """The name of `c` that the name evidence of `result` rests on: the one its detail
    quotes, else (another wording) the one that scores best again."""
    detail = next((x.detail for x in result.contributions if x.feature == "name"), "")
    for n in c.names:
        if f"~ '{n.text}'" in detail:
            return n.text
    best: tuple[float, str] | None = None
    for n in c.names:
        ev = name_similarity(q, replace(c, names=(n,)), weigh)
        if ev is not None and (best is None or ev.value > best[0]):
            best = (ev.value, n.text)
    return best[1] if best else c.caption
