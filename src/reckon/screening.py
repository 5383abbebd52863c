"""Screening names against every loaded list: the library behind `reckon screen`."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from reckon.match.index import Hit, Index
from reckon.model import SCHEMATA
from reckon.sources.common import country_code, parse_date
from reckon.store.queries import current_entities

MAX_NAME_LENGTH = 500


class ScreenError(ValueError):
    """A query that cannot be screened; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    schema: str = "LegalEntity"
    birth_date: str | None = None
    country: str | None = None


def load_index(con: duckdb.DuckDBPyConnection) -> Index:
    """Every record currently on a loaded list, prepared for screening."""
    return Index(current_entities(con))


def query_entity(q: Query) -> dict[str, object]:
    """Check a query and turn it into the FtM-shaped entity the scorer takes."""
    name = " ".join(q.name.split())
    if not name or not any(ch.isalnum() for ch in name):
        raise ScreenError("the name is empty")
    if len(name) > MAX_NAME_LENGTH:
        raise ScreenError(f"the name is {len(name)} characters long; at most {MAX_NAME_LENGTH} are screened")
    if q.schema not in SCHEMATA:
        raise ScreenError(f"unknown schema {q.schema!r}; choose one of {', '.join(SCHEMATA)}")
    props: dict[str, list[str]] = {"name": [name]}
    if q.birth_date:
        date = parse_date(q.birth_date)
        if date is None:
            raise ScreenError(f"cannot read birth date {q.birth_date!r}; use YYYY, YYYY-MM or YYYY-MM-DD")
        props["birthDate"] = [date.value]
    if q.country:
        code = country_code(q.country)
        if code is None:
            raise ScreenError(f"unknown country {q.country!r}")
        props["country"] = [code]
    return {"schema": q.schema, "properties": props}


def screen(index: Index, q: Query, *, limit: int = 10, threshold: float = 0.7) -> list[Hit]:
    return index.search(query_entity(q), limit=limit, threshold=threshold)
