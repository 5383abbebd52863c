"""Screening names against every loaded list: the library behind `reckon screen`.

Two ways to the same scorer, both over the index kept in the store (see
stored_index.py). For one query, a new process answers without loading 50,000
records: it fetches the candidates the query's keys point at, and only those. For
batches, `load_index` loads every record into memory once.
"""

from __future__ import annotations

import atexit
import gc
import re
from dataclasses import dataclass, replace

import duckdb

from reckon.match.index import (
    Hit,
    Index,
    KeyWeights,
    candidates_for,
    entity_keys,
    reading_hits,
    readings,
    token_weight,
)
from reckon.match.scorer import Contribution
from reckon.model import IDENTIFIER_SCHEMES, SCHEMATA
from reckon.names.normalize import hidden_characters
from reckon.names.script import detect_script
from reckon.sources.common import country_code, parse_date
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
    """Every record currently on a loaded list, prepared for screening."""
    index = Index(prepared_entities(con))
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


def screen(index: Index, q: Query, *, limit: int = 10, threshold: float = 0.7) -> list[Hit]:
    return noting_hidden(q, index.search(query_entity(q), limit=limit, threshold=threshold))


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
    con: duckdb.DuckDBPyConnection, q: Query, *, limit: int = 10, threshold: float = 0.7
) -> list[Hit]:
    """Screen one query against the stored keys (see the module docstring)."""
    ways = readings(query_entity(q))
    state = con.execute("SELECT entities FROM match_state").fetchone()
    if state is None or not index_is_current(con):
        raise ScreenError("the screening index is out of date; run `reckon index`")
    n = max(int(state[0]), 1)
    ranked = [candidates_for(query, stored_postings(con, entity_keys(query)), n) for query, _ in ways]
    by_id = {p.id: p for p in prepared_entities(con, sorted({i for ids in ranked for i in ids}))}
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
    return noting_hidden(q, reading_hits(ways, found, weigh, key_weights, limit=limit, threshold=threshold))
