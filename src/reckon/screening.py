"""Screening names against every loaded list: the library behind `reckon screen`.

Two ways to the same scorer, both over the index kept in the store (see
stored_index.py). For one query, a new process answers without loading 50,000
records: it fetches the candidates the query's keys point at, and only those. For
batches, `load_index` loads every record into memory once.

Hits are the canonical entities of the last `reckon resolve` (`match.index.Grouping`):
the records found are looked up in `resolve_records`, and each entity is scored once on
the evidence of all its members. A store never resolved answers per record, and says so
(`resolution_note`). Where each hit is listed comes from analysis.status (`where_listed`).
"""

from __future__ import annotations

import atexit
import gc
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import duckdb

from reckon.analysis.status import (
    LISTED,
    NOT_LISTED,
    POSSIBLY_LISTED,
    UNKNOWN,
    EntityStatus,
    JurisdictionStatus,
    all_statuses,
    entity_status,
)
from reckon.match.index import (
    Grouping,
    Hit,
    Index,
    KeyWeights,
    candidates_for,
    entity_keys,
    reading_hits,
    readings,
    token_weight,
)
from reckon.match.prepare import Prepared
from reckon.match.scorer import Contribution
from reckon.model import IDENTIFIER_SCHEMES, SCHEMATA
from reckon.names.normalize import hidden_characters
from reckon.names.script import detect_script
from reckon.resolve.views import cluster_view
from reckon.sources.common import country_code, parse_date
from reckon.sources.registry import sources
from reckon.stored_index import index_is_current, prepared_entities, stored_postings

MAX_NAME_LENGTH = 500


class ScreenError(ValueError):
    """A query that cannot be screened; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    schema: str = "LegalEntity"
    birth_date: str | None = None
    country: str | None = None
    identifiers: tuple[tuple[str, str], ...] = ()  # (scheme or its short name, value)


# Short names users type for the identifier schemes (FtM property names) banks screen with.
ID_ALIASES = {
    "imo": "imoNumber",
    "mmsi": "mmsi",
    "inn": "innCode",
    "ogrn": "ogrnCode",
    "okpo": "okpoCode",
    "kpp": "kppCode",
    "passport": "passportNumber",
    "id": "idNumber",
    "tax": "taxNumber",
    "registration": "registrationNumber",
    "reg": "registrationNumber",
    "vat": "vatCode",
    "lei": "leiCode",
    "swift": "swiftBic",
    "bic": "swiftBic",
    "isin": "isinCode",
    "crypto": "cryptoWallet",
    "wallet": "cryptoWallet",
    "callsign": "callSign",
    "icao": "icaoCode",
    "un": "unscId",
}


def identifier_scheme(given: str) -> str:
    """The FtM property for a scheme as typed (`imo`, `INN`, `imoNumber`); ScreenError if none."""
    key = given.strip()
    if key in IDENTIFIER_SCHEMES:
        return key
    found = ID_ALIASES.get(key.lower()) or next(
        (s for s in IDENTIFIER_SCHEMES if s.lower() == key.lower()), None
    )
    if found is None:
        known = ", ".join(sorted(ID_ALIASES))
        raise ScreenError(f"unknown identifier scheme {given!r}; use an FtM property or one of {known}")
    return found


def parse_identifier(text: str) -> tuple[str, str]:
    """`SCHEME:VALUE` as typed (`imo:9083330`), checked."""
    scheme, sep, value = text.partition(":")
    if not sep or not value.strip():
        raise ScreenError(f"identifier {text!r} is not SCHEME:VALUE (e.g. imo:9083330, inn:7707083893)")
    return identifier_scheme(scheme), value.strip()


def require_lists(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The sources with records on their lists now; none is an error, not "0 hits"."""
    loaded = [
        str(r[0])
        for r in con.execute(
            "SELECT DISTINCT source FROM records WHERE removed_version IS NULL ORDER BY 1"
        ).fetchall()
    ]
    if not loaded:
        raise ScreenError("no list is loaded in this store; run `reckon ingest --bundled` first")
    return loaded


def load_index(con: duckdb.DuckDBPyConnection) -> Index:
    """Every record currently on a loaded list, prepared for screening, grouped into the
    canonical entities of the last `reckon resolve` (if any)."""
    index = Index(prepared_entities(con, lean=True))
    index.grouping = load_grouping(con, index.entities)
    # The index is a few million long-lived objects; left to the cyclic garbage
    # collector, each full collection walks them all (a ~100 ms pause in some query).
    gc.freeze()
    # …and are handed back at exit, so that extension modules see them released.
    atexit.register(gc.unfreeze)
    return index


# A birth date written into the name, as people paste one from a report or a list:
# "ABRAMOVICH, Roman b. 1966", "Ivan Ivanov (born 12.03.1975)", "DOB: 24 Oct 1966",
# "Иванов Иван Иванович, 1975 г.р.", "Іванов Іван, 12.03.1975 р.н.".
_DATE = (
    r"(\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}-\d{2}(?:-\d{2})?"
    r"|(?:\d{1,2}\s+)?[^\W\d_]{3,9}\.?\s+\d{4}|\d{4})"
)
_BORN_BEFORE = re.compile(
    r"[\s,;(\[]*(?<!\w)(?:b\.|born|dob|d\.o\.b\.|date of birth|р\.|род\.|родил(?:ся|ась)|нар\.|народил(?:ся|ася))"
    rf"\s*:?\s*{_DATE}(?!\w)[)\]]?",
    re.IGNORECASE,
)
_BORN_AFTER = re.compile(
    rf"[\s,;(\[]*(?<!\w){_DATE}\s*(?:г\.\s*р\.?|р\.\s*н\.?|года рождения)[)\]]?", re.IGNORECASE
)


def split_birth_date(name: str) -> tuple[str, str | None]:
    """The name without a birth date written into it, and that date (None if none)."""
    for pattern in (_BORN_BEFORE, _BORN_AFTER):
        for m in pattern.finditer(name):
            date = parse_date(m[1])
            if date is not None:
                rest = f"{name[: m.start()]} {name[m.end() :]}"
                return " ".join(rest.split()).strip(" ,;"), date.value
    return name, None


# Other names written into the query: "Yevgeny Prigozhin a.k.a. Putin's Chef", and a
# name followed by its own form in another script, as reports give them:
# "Putin, Vladimir Vladimirovich (Путин Владимир Владимирович)".
_AKA = re.compile(
    r"\s*[,;]?\s*(?<!\w)(?:a\.?k\.?a\.?|f\.?k\.?a\.?|also known as|formerly known as|известн(?:ый|ая) как)(?!\w)\s*:?\s*",
    re.IGNORECASE,
)
_OTHER_SCRIPT_AFTER = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<other>[^()]+)\)$")


def split_names(name: str) -> list[str]:
    """The names written into one query string, the first as given (see _AKA)."""
    out = []
    for part in _AKA.split(name):
        part = part.strip(" ,;")
        m = _OTHER_SCRIPT_AFTER.match(part)
        if m and detect_script(m["name"]) != detect_script(m["other"]) and detect_script(m["other"]):
            out += [m["name"].strip(" ,;"), m["other"].strip()]
        elif part:
            out.append(part)
    return out


def query_entity(q: Query) -> dict[str, object]:
    """Check a query and turn it into the FtM-shaped entity the scorer takes. A birth
    date written into the name counts as one given apart, unless one is."""
    name, written = split_birth_date(" ".join(q.name.split()))
    has_name = bool(name) and any(ch.isalnum() for ch in name)
    if not has_name and not q.identifiers:
        raise ScreenError("the name is empty")
    if len(name) > MAX_NAME_LENGTH:
        raise ScreenError(f"the name is {len(name)} characters long; at most {MAX_NAME_LENGTH} are screened")
    if q.schema not in SCHEMATA:
        raise ScreenError(f"unknown schema {q.schema!r}; choose one of {', '.join(SCHEMATA)}")
    props: dict[str, list[str]] = {}
    if has_name:
        first, *others = split_names(name) or [name]
        props["name"] = [first]
        if others:
            props["alias"] = others
    for scheme, value in q.identifiers:
        checked = identifier_scheme(scheme)
        if not value.strip():
            raise ScreenError(f"the {checked} is empty")
        have = props.setdefault(checked, [])
        if value.strip() not in have:
            have.append(value.strip())
    if q.birth_date:
        date = parse_date(q.birth_date)
        if date is None:
            raise ScreenError(f"cannot read birth date {q.birth_date!r}; use YYYY, YYYY-MM or YYYY-MM-DD")
        props["birthDate"] = [date.value]
    elif written:
        props["birthDate"] = [written]
    if q.country:
        code = country_code(q.country)
        if code is None:
            raise ScreenError(f"unknown country {q.country!r}")
        props["country"] = [code]
    return {"schema": q.schema, "properties": props}


def screen(
    index: Index,
    q: Query,
    *,
    limit: int = 10,
    threshold: float = 0.7,
    sources: frozenset[str] | None = None,
) -> list[Hit]:
    hits = index.search(query_entity(q), limit=limit, threshold=threshold, keep=source_filter(sources))
    return noting_hidden(q, hits)


# ---------------------------------------------------------------------------- entities


def resolved(con: duckdb.DuckDBPyConnection) -> bool:
    """Has `reckon resolve` run on this store (so that hits can be canonical entities)?"""
    try:
        row = con.execute("SELECT EXISTS (SELECT 1 FROM resolve_runs)").fetchone()
    except duckdb.CatalogException:  # a store older than the resolution tables
        return False
    return bool(row and row[0])


def resolution_note(con: duckdb.DuckDBPyConnection) -> str | None:
    """What to tell the user once when hits cannot be canonical entities; None if they are."""
    if resolved(con):
        return None
    return "this store has not been resolved: hits are list records (run `reckon resolve` to merge them)"


def _grouping(
    rows: Iterable[tuple[str, str]], prepared: dict[str, Prepared], fingerprint: str = ""
) -> Grouping:
    """The grouping of the (record, canonical id) `rows` over the current records in `prepared`."""
    entity_of: dict[str, str] = {}
    members: dict[str, list[Prepared]] = {}
    for record, cid in rows:
        p = prepared.get(record)
        if p is not None:  # a record removed since the resolution is no member now
            entity_of[record] = cid
            members.setdefault(cid, []).append(p)
    heads = {}
    for cid, ms in members.items():
        view = cluster_view(cid, [(m.id or "", m.schema, m.caption) for m in ms])
        heads[cid] = (view.schema, view.caption)
    return Grouping(entity_of, members, heads, fingerprint)


def load_grouping(con: duckdb.DuckDBPyConnection, entities: Sequence[Prepared]) -> Grouping | None:
    """Every resolved record's canonical entity, over `entities` (the index's records)."""
    if not resolved(con):
        return None
    rows = sorted(
        (str(r), str(c))
        for r, c in con.execute("SELECT record, canonical_id FROM resolve_records").fetchall()
    )
    digest = hashlib.sha256("\n".join(f"{r}\t{c}" for r, c in rows).encode()).hexdigest()
    return _grouping(rows, {p.id: p for p in entities if p.id}, digest)


def source_filter(sources: frozenset[str] | None) -> Callable[[Prepared], bool] | None:
    """The records of `sources` only (None: every record)."""
    if sources is None:
        return None
    return lambda p: (p.id or "").split(":", 1)[0] in sources


def chosen_sources(datasets: Sequence[str] = (), excluded: Sequence[str] = ()) -> frozenset[str] | None:
    """The sources `--datasets` and `--exclude-datasets` leave (None: all); ScreenError
    naming the known sources for a name the registry does not know."""
    if not datasets and not excluded:
        return None
    known = sources()
    unknown = sorted({d for d in (*datasets, *excluded) if d not in known})
    if unknown:
        raise ScreenError(
            f"unknown dataset {', '.join(map(repr, unknown))}; known: {', '.join(sorted(known))}"
        )
    return frozenset(datasets or known) - frozenset(excluded)


def split_list(values: Sequence[str] | None) -> list[str]:
    """`a,b` (and repeated options) as names."""
    return [v.strip() for given in values or () for v in given.split(",") if v.strip()]


@dataclass(frozen=True, slots=True)
class Where:
    """Where a hit is listed (analysis.status), as screening reports it with the hit."""

    jurisdictions: dict[str, dict[str, str | None]]  # jurisdiction → status, as_of, summary
    listed_in: tuple[str, ...]  # jurisdictions that list it now
    documented_by: tuple[str, ...]  # allegation datasets with an entry of it

    @property
    def only_allegations(self) -> bool:
        """Only datasets of allegations have it: documented, not sanctioned."""
        return bool(self.documented_by) and not any(
            j["status"] not in (UNKNOWN, NOT_LISTED, POSSIBLY_LISTED) for j in self.jurisdictions.values()
        )

    @property
    def note(self) -> str:
        if self.only_allegations:
            return f"documented by {', '.join(self.documented_by)}, not sanctioned"
        if self.listed_in:
            return f"listed in {', '.join(self.listed_in)}"
        return "listed nowhere now"

    def as_json(self) -> dict[str, object]:
        return {
            "listed_in": list(self.listed_in),
            "documented_by": list(self.documented_by),
            "note": self.note,
            "jurisdictions": self.jurisdictions,
        }


# Entities asked one by one before the rest are read in one pass (all_statuses): a
# pass costs about as much as this many single lookups (4.4 s and 27 ms on the bundled
# lists), so a batch pays at most twice the cheaper of the two.
ONE_BY_ONE = 150


def where_listed(con: duckdb.DuckDBPyConnection) -> Callable[[str], Where | None]:
    """`entity → Where` for the hits of one connection's store, each entity asked once:
    one by one for a few (one name, a small file), then every entity in one pass."""
    cache: dict[str, Where | None] = {}
    shared: _Shared = {}
    asked = 0

    def lookup(entity: str) -> Where | None:
        nonlocal asked
        if entity in cache:
            return cache[entity]
        asked += 1
        if asked == ONE_BY_ONE:
            cache.update((st.entity, _where(st, shared)) for st in all_statuses(con))
            if entity in cache:
                return cache[entity]
        st = entity_status(con, entity)
        cache[entity] = None if st is None else _where(st, shared)
        return cache[entity]

    return lookup


_Shared = dict[int, tuple[JurisdictionStatus, dict[str, str | None]]]


def _where(st: EntityStatus, shared: _Shared) -> Where:
    # Most entities share the status of a jurisdiction they have no record in (one
    # object per jurisdiction, see analysis.status): its dict is made once too. The
    # status is kept with it, so that its id is not another's after it is freed.
    juris = {}
    for j, s in sorted(st.jurisdictions.items()):
        entry = shared.get(id(s))
        if entry is None or entry[0] is not s:
            entry = shared[id(s)] = (s, {"status": s.status, "as_of": s.as_of, "summary": s.summary})
        juris[j] = entry[1]
    return Where(
        juris,
        tuple(j for j, s in sorted(st.jurisdictions.items()) if s.status == LISTED),
        tuple(sorted({x.source for x in st.allegations})),
    )


def noting_hidden(q: Query, hits: list[Hit]) -> list[Hit]:
    """`hits` whose explanations say which invisible characters the query's name held:
    reading past them is why a name that looks unlike the list's matches it, and a
    reviewer should know the name came with them."""
    hidden = hidden_characters(q.name)
    if not hidden or not hits:
        return hits
    note = Contribution("query", 0.0, 0.0, "invisible characters removed: " + ", ".join(hidden))
    return [replace(h, result=replace(h.result, contributions=(*h.result.contributions, note))) for h in hits]


def screen_store(
    con: duckdb.DuckDBPyConnection,
    q: Query,
    *,
    limit: int = 10,
    threshold: float = 0.7,
    sources: frozenset[str] | None = None,
) -> list[Hit]:
    """Screen one query against the stored keys (see the module docstring)."""
    ways = readings(query_entity(q))
    state = con.execute("SELECT entities FROM match_state").fetchone()
    if state is None or not index_is_current(con):
        raise ScreenError("the screening index is out of date; run `reckon index`")
    n = max(int(state[0]), 1)
    ranked = [candidates_for(query, stored_postings(con, entity_keys(query)), n) for query, _ in ways]
    found_ids = sorted({i for ids in ranked for i in ids})
    # The canonical entities of the records found, with all their members, and whether
    # the store was resolved at all (the row of NULLs): one query. The index is current,
    # so the store has the resolution tables.
    membership: list[tuple[str, str]] = []
    is_resolved = False
    if found_ids:
        for r, c in con.execute(
            "SELECT m.record, m.canonical_id FROM resolve_records m WHERE m.canonical_id IN "
            "(SELECT canonical_id FROM resolve_records WHERE record IN (SELECT unnest(?::VARCHAR[]))) "
            "UNION ALL SELECT NULL, NULL WHERE EXISTS (SELECT 1 FROM resolve_runs)",
            [found_ids],
        ).fetchall():
            if r is None:
                is_resolved = True
            else:
                membership.append((str(r), str(c)))
    wanted = sorted(set(found_ids) | {r for r, _ in membership})
    by_id = {p.id: p for p in prepared_entities(con, wanted) if p.id}
    grouping = _grouping(sorted(membership), by_id) if is_resolved else None
    queries = [query for query, _ in ways]
    everyone = [*queries, *by_id.values()]
    tokens = sorted({t.key for p in everyone for nm in p.names for t in nm.tokens})
    df = dict(
        con.execute(
            "SELECT token, df FROM match_tokens WHERE token IN (SELECT unnest(?::VARCHAR[]))", [tokens]
        ).fetchall()
    )
    keys = sorted({k for p in everyone for nm in p.names for k in nm.keys})
    key_df = dict(
        con.execute(
            "SELECT key, count(*) FROM match_keys WHERE key IN (SELECT unnest(?::VARCHAR[])) GROUP BY key",
            [keys],
        ).fetchall()
    )

    def weigh(token: str) -> float:
        return token_weight(int(df.get(token, 0)), n)

    key_weights = KeyWeights(lambda key: int(key_df.get(key, 0)), n)
    found = [[by_id[i] for i in ids if i in by_id] for ids in ranked]
    hits = reading_hits(
        ways,
        found,
        weigh,
        key_weights,
        limit=limit,
        threshold=threshold,
        grouping=grouping,
        keep=source_filter(sources),
    )
    return noting_hidden(q, hits)
