"""What the explore pages (routes/explore_*.py) share: the choices their forms offer, read
from the loaded store once, and how a form's values become a library query.

A form sends every field, empty ones too: an empty value means "any", never an error."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import Request

from reckon.api.provider import Loaded
from reckon.sources.registry import sources

# A query string longer than this is not one of our forms (the API's guard limits bodies).
MAX_QUERY = 4000


@dataclass(frozen=True, slots=True)
class Choices:
    """What a form may ask about in this store."""

    jurisdictions: tuple[str, ...]  # of the loaded lists of designations, sorted
    every_jurisdiction: tuple[str, ...]  # with a list in the registry, loaded or not (unknown)
    themes: tuple[tuple[str, str], ...]  # code, label (data/programmes.toml)
    measures: tuple[tuple[str, str], ...]
    schemas: tuple[str, ...]  # of the records on a list now
    candidates: tuple[str, ...]  # loaded datasets of allegations (never designations)
    categories: dict[str, tuple[str, ...]]  # dataset -> the categories (programmes) it uses
    sources: tuple[str, ...]  # every loaded source


_CATEGORIES = """
SELECT DISTINCT source, unnest(string_split(split_part(facts, chr(30), 1), chr(31))) AS category
FROM record_listings WHERE source IN (SELECT unnest(?::VARCHAR[]))
ORDER BY 1, 2
"""


def choices(store: Loaded) -> Choices:
    """The form's choices, worked out once per loaded store."""
    return store.memo(("web.explore", "choices"), lambda: _choices(store))


def _choices(store: Loaded) -> Choices:
    from reckon.analysis.taxonomy import measures, themes

    registry = sources()
    loaded = [n for n in store.loaded_sources if n in registry]
    datasets = tuple(n for n in loaded if registry[n].kind == "allegations")
    categories: dict[str, list[str]] = {n: [] for n in datasets}
    with store.cursor() as cur:
        schemas = tuple(
            str(r[0])
            for r in cur.execute(
                "SELECT DISTINCT schema FROM records WHERE removed_version IS NULL ORDER BY 1"
            ).fetchall()
        )
        if datasets:
            for source, category in cur.execute(_CATEGORIES, [list(datasets)]).fetchall():
                if category:
                    categories[str(source)].append(str(category))
    return Choices(
        jurisdictions=tuple(sorted({registry[n].jurisdiction for n in loaded if registry[n].kind == "list"})),
        every_jurisdiction=tuple(sorted({s.jurisdiction for s in registry.values() if s.kind == "list"})),
        themes=tuple(themes().items()),
        measures=tuple(measures().items()),
        schemas=schemas,
        candidates=datasets,
        categories={k: tuple(v) for k, v in categories.items()},
        sources=tuple(sorted(store.loaded_sources)),
    )


def opt(value: str | None) -> str | None:
    """A form's value: None when it is empty (the "any" choice)."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def number(value: str | None, what: str, *, low: int = 0, high: int = 100_000) -> int | None:
    """A whole number from a form field, or None if empty; ValueError with a message a
    reader understands otherwise."""
    text = opt(value)
    if text is None:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        raise ValueError(f"{what} must be a whole number from {low} to {high}, not {text[:40]!r}")
    return int(text)


def query_string(request: Request) -> str:
    """The request's query string as it came (for a link to the same answer in another
    form: the CSV of a table, the chart of a page)."""
    return request.url.query[:MAX_QUERY]


def with_query(path: str, request: Request) -> str:
    q = query_string(request)
    return f"{path}?{q}" if q else path


def checked(values: Sequence[str]) -> set[str]:
    """Which checkboxes to show ticked: what the query named, however it was spelt."""
    from reckon.analysis.gaps import parse_jurisdictions

    return set(parse_jurisdictions(values))


@dataclass(frozen=True, slots=True)
class Pages:
    prev: str | None
    next: str | None


def pages(request: Request, offset: int, size: int, total: int) -> Pages:
    """Links to the rows before and after these, with the rest of the query as it came."""
    from urllib.parse import urlencode

    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]

    def at(start: int) -> str:
        return f"{request.url.path}?{urlencode([*kept, ('offset', str(start))])}"

    return Pages(
        at(max(0, offset - size)) if offset > 0 else None,
        at(offset + size) if offset + size < total else None,
    )
