"""yente's /match over reckon's screening: a query's FtM properties checked as `reckon
screen` checks its options (`screening.query_entity`), screened by `screening.screen`'s
own primitive on the loaded index, and each hit (a canonical entity with its members)
shaped as yente's scored entity. No scoring happens here."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import zip_longest

from reckon.api.kept import Recent
from reckon.match.features import FEATURES
from reckon.match.index import SCORED_CANDIDATES, Hit, entity_keys, key_scales, reading_hits, readings
from reckon.match.prepare import Prepared
from reckon.model import IDENTIFIER_SCHEMES, NAME_KINDS, SCHEMATA
from reckon.screening import ID_ALIASES, Query, ScreenError, noting_hidden, query_entity, source_filter

from .provider import Loaded, StatusLine

ALGORITHM = "reckon"
# yente's clients name an algorithm (yente's own: logic-v1 is its default and "best",
# name-based and name-qualified its simpler ones, regression-v1 an older one); reckon
# has one scorer, which these names all mean, so a client pinned to one works unchanged.
YENTE_ALGORITHMS = ("logic-v1", "logic-v2", "name-based", "name-qualified", "regression-v1")
ALGORITHMS = frozenset({ALGORITHM, "best", "default", *YENTE_ALGORITHMS})

_COUNTRY_PROPS = ("country", "nationality", "citizenship", "jurisdiction", "mainCountry")
_DATE_PROPS = ("birthDate", "incorporationDate")


class QueryError(ValueError):
    """A query reckon cannot screen; the message says why (HTTP 400)."""


def values(props: Mapping[str, str | Sequence[str]], prop: str) -> list[str]:
    raw = props.get(prop)
    given = [raw] if isinstance(raw, str) else list(raw or ())
    return [v for v in dict.fromkeys(" ".join(v.split()) for v in given) if v]


def query_entity_of(schema: str, props: Mapping[str, str | Sequence[str]]) -> tuple[dict[str, object], str]:
    """The scorer's entity for a yente query, each name with its birth date and country
    checked by `query_entity` as one `reckon screen` would be, and the text whose hidden
    characters the explanations should note."""
    names = [v for kind in NAME_KINDS for v in values(props, kind)]
    first, last = " ".join(values(props, "firstName")), " ".join(values(props, "lastName"))
    if not names and (first or last):
        names = [f"{first} {last}".strip()]
    dates = [v for p in _DATE_PROPS for v in values(props, p)]
    countries = [v for p in _COUNTRY_PROPS for v in values(props, p)]
    identifiers = tuple((p, v) for p in IDENTIFIER_SCHEMES for v in values(props, p))
    if not names and not identifiers:
        raise QueryError("the query has no name and no identifier")
    merged: dict[str, list[str]] = {}
    try:
        for i, (name, date, country) in enumerate(zip_longest(names or [""], dates, countries)):
            checked = query_entity(
                Query(
                    name=name or (names[0] if names else ""),
                    schema=schema,
                    birth_date=date,
                    country=country,
                    identifiers=identifiers if i == 0 else (),
                )
            )
            got = checked["properties"]
            assert isinstance(got, dict)
            for prop, vs in got.items():
                have = merged.setdefault(prop, [])
                have.extend(v for v in vs if v not in have)
    except ScreenError as exc:
        raise QueryError(str(exc)) from None
    return {"schema": schema, "properties": merged}, " ".join(names)


@dataclass(frozen=True, slots=True)
class Filters:
    sources: frozenset[str] | None  # records of these sources may be hits (None: all)
    exclude_schema: frozenset[str] = frozenset()
    exclude_entities: frozenset[str] = frozenset()  # canonical ids (members mapped to theirs)
    changed_since: str | None = None  # ISO date

    @property
    def after_scoring(self) -> bool:
        return bool(self.exclude_schema or self.exclude_entities or self.changed_since)


def canonical_ids(loaded: Loaded, ids: Sequence[str]) -> frozenset[str]:
    """Each id as an entity: a member record stands for its canonical entity, and an id
    merged away by a later resolution (a client's reviewed hit) for the one it went to."""
    grouping = loaded.index.grouping
    out = set()
    for given in ids:
        found = grouping.entity_of.get(given, given) if grouping else given
        seen = {found}
        while found in loaded.redirects and loaded.redirects[found] not in seen:
            found = loaded.redirects[found]
            seen.add(found)
        out.add(found)
    return frozenset(out)


def match(
    loaded: Loaded,
    schema: str,
    props: Mapping[str, str | Sequence[str]],
    limit: int,
    cutoff: float,
    f: Filters,
) -> list[Hit]:
    """The hits of one query, best first, at most `limit`, scored at least `cutoff`."""
    entity, names = query_entity_of(schema, props)
    # Filters on entities apply after scoring: ask for enough to still fill `limit`.
    wanted = limit + len(f.exclude_entities) + 20 if f.after_scoring else limit
    hits = loaded.index.search(entity, limit=wanted, threshold=cutoff, keep=source_filter(f.sources))
    hits = noting_hidden(Query(name=names), hits)
    kept = []
    for h in hits:
        eid = h.entity.id or ""
        if eid in f.exclude_entities or h.entity.schema in f.exclude_schema:
            continue
        if f.changed_since and (changed := last_change(loaded, h)) is not None and changed < f.changed_since:
            continue
        kept.append(h)
    return kept[:limit]


def last_change(loaded: Loaded, h: Hit) -> str | None:
    found = [d.last_change for r in h.records if (d := loaded.dates.get(r)) is not None]
    return max(found) if found else None


def properties(h: Hit) -> dict[str, list[str]]:
    """What the members of a hit say, as FtM properties (names by kind, dates,
    countries, identifiers as normalised for matching)."""
    e = h.entity
    props: dict[str, list[str]] = {}
    for n in e.names:
        have = props.setdefault(n.kind if n.kind in NAME_KINDS else "alias", [])
        if n.text not in have:
            have.append(n.text)
    if e.birth_dates:
        props["birthDate" if e.is_person else "incorporationDate"] = list(e.birth_dates)
    if e.countries:
        props["country"] = sorted(e.countries)
    for scheme, value in sorted(e.identifiers):
        props.setdefault(scheme, []).append(value)
    if e.gender:
        props["gender"] = [e.gender]
    return props


def result(loaded: Loaded, h: Hit, threshold: float) -> dict[str, object]:
    """One hit in yente's shape: the canonical entity, its member records as `referents`,
    the lists they are on as `datasets`, and the scorer's contributions as explanations."""
    records = list(h.records)
    dates = [d for r in records if (d := loaded.dates.get(r)) is not None]
    eid = h.entity.id or ""
    explained = explanations(h)
    return {
        "id": eid,
        "caption": h.entity.caption,
        "schema": h.entity.schema,
        "properties": properties(h),
        "datasets": sorted({r.split(":", 1)[0] for r in records}),
        "referents": [r for r in records if r != eid],
        "target": eid in loaded.targets,
        "first_seen": min((d.first_seen for d in dates), default=None),
        "last_seen": max((d.last_seen for d in dates), default=None),
        "last_change": max((d.last_change for d in dates), default=None),
        "score": round(h.score, 4),
        "match": h.score >= threshold,
        "explanations": explained,
        "features": {k: v["score"] for k, v in explained.items()},
    }


def algorithm_docs() -> list[dict[str, object]]:
    """The one scorer, each feature documented by its own docstring and weight."""
    features = {f.name: {"description": f.doc, "coefficient": f.weight} for f in FEATURES}
    return [
        {
            "name": name,
            "description": "reckon's scorer (reckon.match): a logistic combination of the features below; "
            "transliteration-aware names, birth dates, countries, identifiers"
            + ("" if name == ALGORITHM else f" ('{name}' names it for yente's clients)"),
            "features": features,
        }
        for name in sorted(ALGORITHMS, key=lambda n: n != ALGORITHM)
    ]


# ---------------------------------------------------------------------------- text search

# The entities a search may stop at when a schema is asked for: FtM's hierarchy over
# the schemata the lists use (model.SCHEMATA).
_SCHEMA_KINDS: dict[str, frozenset[str]] = {
    "LegalEntity": frozenset({"LegalEntity", "Person", "Organization", "Company", "PublicBody"}),
    "Organization": frozenset({"Organization", "Company", "PublicBody"}),
}


def schema_kinds(schema: str | None) -> frozenset[str] | None:
    """The schemata of entities a query for `schema` may find (None: any)."""
    return _SCHEMA_KINDS.get(schema, frozenset({schema})) if schema else None


def query_schema(schema: str | None) -> str:
    """The schema a name is read as for a search of `schema` (LegalEntity: as a person's
    name and as an organisation's)."""
    return _QUERY_SCHEMA.get(schema or "", schema or "LegalEntity")


# How the typed text is read for each schema asked (None: both as a person's and as an
# organisation's name, as `reckon screen NAME` reads it).
_QUERY_SCHEMA = {"PublicBody": "Organization"}
# A hit with no evidence at all (score 0) is a blocking key shared by chance, not a result.
SEARCH_MIN_SCORE = 0.01
# Every hit the index gives for the text. It scores at most SCORED_CANDIDATES entities
# per reading of the query, so a matched set that large may not be all the entities
# carrying the words (its total's relation is then "gte").
_SEARCH_WANTED = 500
_SHORTLIST = SCORED_CANDIDATES


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One canonical entity found by a text search, with where it is listed in short."""

    id: str
    caption: str
    schema: str
    name: str  # the entity's name the score rests on
    score: float
    match: bool  # scored at least the threshold a /match would call a match
    explanations: dict[str, dict[str, object]]  # per feature: score, weight, detail
    datasets: tuple[str, ...]
    referents: tuple[str, ...]  # member records other than the id itself
    countries: tuple[str, ...]
    properties: dict[str, list[str]]  # what the members say, as FtM properties (see `properties`)
    target: bool  # listed by some jurisdiction now
    first_seen: str | None
    last_seen: str | None
    last_change: str | None
    statuses: tuple[StatusLine, ...]  # status per jurisdiction (provider.Brief)
    documented_by: tuple[str, ...]  # allegation datasets holding it: never a designation


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    results: list[SearchHit]  # the page asked for (offset, limit), best first
    total: int  # entities matched (after the filters)
    relation: str  # "eq", or "gte" when the index's shortlist may have cut the matched set
    limit: int
    offset: int
    # Counts over the whole matched set: facet → value → entities.
    facets: dict[str, dict[str, int]]


def explanations(h: Hit) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for c in h.result.contributions:
        key = c.feature if c.feature not in out else f"{c.feature}_{len(out)}"
        out[key] = {"score": round(c.value, 4), "weight": c.weight, "detail": c.detail}
    return out


def search_text(
    store: Loaded,
    q: str,
    *,
    schema: str | None = None,
    countries: Sequence[str] = (),
    datasets: frozenset[str] | None = None,
    limit: int = 10,
    offset: int = 0,
    target: bool | None = None,
    threshold: float = 0.7,
    min_score: float = SEARCH_MIN_SCORE,
) -> SearchResult:
    """Entities whose names are like the text `q` (Latin or Cyrillic, a birth date written
    into it counts, as in `reckon screen`), best first: the same screening as /match, on
    the loaded index, with the scorer's scores and explanations. `schema` narrows to
    that schema and those under it in FtM's hierarchy, `countries` (ISO codes) to
    entities with one of them, `datasets` to entities with a member on one of those
    sources (None: all), `target` to entities listed somewhere now (True) or not (False).
    Facets count the whole matched set by schema, country and dataset. Blank text finds
    nothing; QueryError (a 400) for text with no letter or digit, too long a text or an
    unknown schema."""
    if schema is not None and schema not in SCHEMATA:
        raise QueryError(f"unknown schema {schema[:40]!r}; choose one of {', '.join(SCHEMATA)}")
    text = " ".join(q.split())
    if not text:
        return SearchResult(text, [], 0, "eq", limit, offset, {"schema": {}, "countries": {}, "datasets": {}})
    wanted_countries = tuple(sorted({c.strip().lower() for c in countries if c.strip()}))
    key = (text, schema, wanted_countries, datasets, target, threshold, min_score)
    cache: Recent[_Matched] = store.memo(_CACHE_KEY, lambda: Recent(SEARCH_CACHE_SIZE))
    found = cache.get(key)
    if found is None:
        found = _matched(
            store, text, schema, frozenset(wanted_countries), datasets, target, threshold, min_score
        )
        cache.put(key, found)
    return SearchResult(
        query=text,
        results=found.page(store, offset, limit),
        total=len(found.hits),
        relation=found.relation,
        limit=limit,
        offset=offset,
        facets=found.facets,
    )


@dataclass(slots=True)
class _Matched:
    """The whole matched set of one search, its facets, and its hits as shown (made
    when a page first shows them)."""

    hits: list[Hit]
    relation: str
    facets: dict[str, dict[str, int]]
    threshold: float
    shown: list[SearchHit | None]

    def page(self, store: Loaded, offset: int, limit: int) -> list[SearchHit]:
        out = []
        for i in range(offset, min(offset + limit, len(self.hits))):
            made = self.shown[i]
            if made is None:
                made = self.shown[i] = _search_hit(store, self.hits[i], self.threshold)
            out.append(made)
        return out


def _matched(
    store: Loaded,
    text: str,
    schema: str | None,
    countries: frozenset[str],
    datasets: frozenset[str] | None,
    target: bool | None,
    threshold: float,
    min_score: float,
) -> _Matched:
    filters = Filters(datasets)
    # A name, read as the schema asked; without one, as a person's or an organisation's
    # (LegalEntity) and as a vessel's or an aircraft's, which FtM does not count as
    # legal entities: a search box does not say which it is.
    ways = [query_schema(schema)] if schema else ["LegalEntity", *_ASSETS]
    found = name_hits(store, text, ways, datasets)
    shortlisted = max(len(hits) for hits in found)
    identifier = identifier_query(text)
    if identifier is not None:  # an IMO, INN, OGRN, passport number ... typed as it is
        found.append(match(store, query_schema(schema), identifier, _SEARCH_WANTED, 0.0, filters))
    best: dict[str, Hit] = {}
    for hits in found:
        for h in hits:
            eid = h.entity.id or ""
            if eid not in best or h.score > best[eid].score:
                best[eid] = h
    hits = sorted(best.values(), key=lambda h: (-h.score, h.entity.id or ""))
    kinds = schema_kinds(schema)
    kept = [
        h
        for h in hits
        if h.score >= min_score
        and (kinds is None or h.entity.schema in kinds)
        and (not countries or h.entity.countries & countries)
        and (target is None or ((h.entity.id or "") in store.targets) == target)
    ]
    facets: dict[str, dict[str, int]] = {"schema": {}, "countries": {}, "datasets": {}}
    for h in kept:
        _count(facets["schema"], (h.entity.schema,))
        _count(facets["countries"], h.entity.countries)
        _count(facets["datasets"], {r.split(":", 1)[0] for r in h.records})
    return _Matched(
        kept,
        "gte" if shortlisted >= _SHORTLIST else "eq",
        {k: dict(sorted(v.items(), key=lambda kv: (-kv[1], kv[0]))) for k, v in facets.items()},
        threshold,
        [None] * len(kept),
    )


def name_hits(
    store: Loaded, text: str, ways: Sequence[str], datasets: frozenset[str] | None
) -> list[list[Hit]]:
    """For each schema of `ways`, the hits of `text` read as a name of that schema: what
    `match(store, way, {"name": [text]}, _SEARCH_WANTED, 0.0, Filters(datasets))` finds,
    way by way, with the work the ways share done once. An organisation's, a vessel's and
    an aircraft's reading of a name have the same blocking keys (unless a vessel's prefix
    such as MV goes), so their candidates are ranked once; the query is checked once."""
    entity, names = query_entity_of(ways[0], {"name": [text]})
    index = store.index
    keep = source_filter(datasets)
    ranked: dict[object, list[Prepared]] = {}

    def candidates(q: Prepared) -> list[Prepared]:
        # `candidates_for` is a function of the query's keys and their scales alone.
        key = (frozenset(entity_keys(q)), tuple(sorted(key_scales(q).items())))
        found = ranked.get(key)
        if found is None:
            found = ranked[key] = [index.entities[pos] for pos in index.candidates(q)]
        return found

    out = []
    for way in ways:
        # The same entity for every schema: `query_entity` checks the schema and nothing
        # it makes depends on it.
        read = readings({**entity, "schema": way})
        hits = reading_hits(
            read,
            [candidates(q) for q, _ in read],
            index.weigh,
            index.key_weights,
            limit=_SEARCH_WANTED,
            threshold=0.0,
            grouping=index.grouping,
            keep=keep,
        )
        out.append(noting_hidden(Query(name=names), hits))
    return out


_ASSETS = ("Vessel", "Airplane")
_ID_PREFIX = re.compile(r"^([A-Za-z]{2,8})[\s.:#-]*(?=\S*\d)")
_ID_LIKE = re.compile(r"^(?=(?:\D*\d){5})[\w./-]{5,64}$")


def identifier_query(text: str) -> dict[str, list[str]] | None:
    """The text as an identifier of any scheme (or of the scheme it is prefixed with, as
    in "IMO 9083330" or "INN 7707083893"), if it is one word with at least five digits."""
    scheme: str | None = None
    value = text
    prefix = _ID_PREFIX.match(text)
    if prefix and prefix[1].lower() in ID_ALIASES:
        scheme, value = ID_ALIASES[prefix[1].lower()], text[prefix.end() :]
    if value.replace(" ", "").isdigit():  # 7707 083893
        value = value.replace(" ", "")
    if not _ID_LIKE.match(value):
        return None
    return {s: [value] for s in ([scheme] if scheme else IDENTIFIER_SCHEMES)}


_CACHE_KEY = ("api.search", "search_text cache")
SEARCH_CACHE_SIZE = 1024  # a matched set holds at most ~100 hits


def _count(counts: dict[str, int], keys: Iterable[str]) -> None:
    for k in keys:
        counts[k] = counts.get(k, 0) + 1


def _search_hit(store: Loaded, h: Hit, threshold: float) -> SearchHit:
    eid = h.entity.id or ""
    records = h.records
    brief = store.briefs.get(eid)
    dates = [d for r in records if (d := store.dates.get(r)) is not None]
    return SearchHit(
        id=eid,
        caption=h.entity.caption,
        schema=h.entity.schema,
        name=h.name or h.entity.caption,
        score=round(h.score, 4),
        match=h.score >= threshold,
        explanations=explanations(h),
        datasets=tuple(sorted({r.split(":", 1)[0] for r in records})),
        referents=tuple(r for r in records if r != eid),
        countries=tuple(sorted(h.entity.countries)),
        properties=properties(h),
        target=eid in store.targets,
        first_seen=min((d.first_seen for d in dates), default=None),
        last_seen=max((d.last_seen for d in dates), default=None),
        last_change=max((d.last_change for d in dates), default=None),
        statuses=brief.statuses if brief else (),
        documented_by=brief.documented_by if brief else (),
    )
