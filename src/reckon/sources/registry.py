"""The source registry: `registry.toml` read into typed entries."""

from __future__ import annotations

import importlib
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from reckon.model import ListVersion

Parser = Callable[..., ListVersion]


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    title: str
    jurisdiction: str
    authority: str
    record_id: str
    licence: str
    urls: tuple[str, ...]
    parsers: dict[str, str]
    # "list": official designations. "allegations": a dataset that documents or alleges
    # responsibility (civil society, a government's accusations): never a sanction.
    # "companies": companies and their stance (Yale CELI), neither (reckon companies).
    kind: str = "list"
    # The jurisdiction's list of targeted sanctions: with it loaded and complete, reckon
    # may say "not listed" for that jurisdiction (other lists of it only add).
    primary: bool = False


@lru_cache(maxsize=1)
def sources() -> dict[str, Source]:
    text = resources.files("reckon.sources").joinpath("registry.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return {
        name: Source(
            name=name,
            title=entry["title"],
            jurisdiction=entry["jurisdiction"],
            authority=entry["authority"],
            record_id=entry["record_id"],
            licence=entry["licence"],
            urls=tuple(entry.get("urls", ())),
            parsers=dict(entry.get("parsers", {})),
            kind=entry.get("kind", "list"),
            primary=bool(entry.get("primary", False)),
        )
        for name, entry in data.items()
    }


def get_source(name: str) -> Source:
    try:
        return sources()[name]
    except KeyError:
        known = ", ".join(sorted(sources()))
        raise KeyError(f"unknown source {name!r}; known sources: {known}") from None


def parser_for(fmt: str) -> Parser:
    """The parse function registered for a format name (e.g. "un-xml")."""
    for source in sources().values():
        if fmt in source.parsers:
            module, func = source.parsers[fmt].split(":")
            mod = importlib.import_module(f"reckon.sources.{module}")
            parser: Parser = getattr(mod, func)
            return parser
    known = ", ".join(sorted({f for source in sources().values() for f in source.parsers}))
    raise KeyError(f"unknown format {fmt!r}; known formats: {known}")


def parse_file(path: Path, fmt: str, source: str | None = None) -> ListVersion:
    return parser_for(fmt)(path, source=source)
