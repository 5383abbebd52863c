"""What a designation is about and what it does: the theme and kind of measure of a programme.

`data/programmes.toml` maps each programme code of each list to a theme (russia_ukraine,
belarus, human_rights, ...) and a kind of measure (targeted, sectoral, export_control,
allegation, other); its header defines both vocabularies and the matching rules. This module
only reads it: `classify` answers for one code, `unmapped` names the codes it does not know.

Counts keep the kinds of measure apart: a sectoral restriction on a bank and a freeze of an
official's assets are different answers to "who is sanctioned for this war".
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_FILE = "programmes.toml"


@dataclass(frozen=True, slots=True)
class Programme:
    """A programme as the taxonomy reads it. `code` is the file's spelling ("" when the
    designation had no programme and its part of the list answered)."""

    code: str
    theme: str
    measure: str
    label: str


@dataclass(frozen=True, slots=True)
class _Part:
    field: str  # "authority" or "authority_id", the Designation attribute it is matched on
    prefix: str  # normalised
    measure: str | None
    programme: Programme | None  # for designations that name no programme


@dataclass(frozen=True, slots=True)
class _Taxonomy:
    themes: dict[str, str]
    measures: dict[str, str]
    codes: dict[tuple[str, str], Programme]  # (source, normalised code)
    parts: dict[str, tuple[_Part, ...]]  # source -> its parts, longest prefix first


_SPACES = re.compile(r"\s+")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-"})


def normalise(code: str) -> str:
    """The key a code is compared by: lists vary case, spacing, dashes and OFAC's brackets."""
    text = unicodedata.normalize("NFKC", code).translate(_DASHES)
    text = _SPACES.sub(" ", text).strip(" []")
    return text.casefold()


def themes() -> dict[str, str]:
    """The closed vocabulary of themes, each with its display label."""
    return dict(_taxonomy().themes)


def measures() -> dict[str, str]:
    """The closed vocabulary of kinds of measure, each with its display label."""
    return dict(_taxonomy().measures)


def classify(
    source: str, program: str, *, authority: str | None = None, authority_id: str | None = None
) -> Programme | None:
    """Theme, measure and label of `program` as `source` writes it, or None if unknown.

    `authority` and `authority_id` are the designation's (FtM `authority`, `authorityId`);
    they matter for lists made of parts (the US CSL, Canada's schedules), where the part
    decides the measure and classifies a designation with no programme (`program=""`).
    """
    tax = _taxonomy()
    part = _part(tax, source, authority, authority_id)
    key = normalise(program)
    if not key:
        return part.programme if part is not None else None
    found = tax.codes.get((source, key))
    if found is None:
        return None
    if part is not None and part.measure is not None and part.measure != found.measure:
        return Programme(found.code, found.theme, part.measure, found.label)
    return found


def uses_authority_id(source: str) -> bool:
    """Whether some part of `source` is told apart by a designation's own id (Canada's
    schedules): callers that cache classifications must then key on that id too."""
    return any(part.field == "authority_id" for part in _taxonomy().parts.get(source, ()))


def unmapped(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (source, programme) pairs the taxonomy does not know, once each, sorted.

    An empty programme is not a code and is never reported; whether a designation without
    one is classified depends on its part of the list (see `classify`).
    """
    tax = _taxonomy()
    missing: dict[tuple[str, str], tuple[str, str]] = {}
    for source, program in pairs:
        key = (source, normalise(program))
        if key[1] and key not in tax.codes:
            missing.setdefault(key, (source, program))
    return sorted(missing.values())


def _part(tax: _Taxonomy, source: str, authority: str | None, authority_id: str | None) -> _Part | None:
    values = {"authority": authority, "authority_id": authority_id}
    for part in tax.parts.get(source, ()):
        value = values[part.field]
        # An empty prefix is the whole list: it answers even when the caller has no authority.
        if not part.prefix or (value is not None and normalise(value).startswith(part.prefix)):
            return part
    return None


@lru_cache(maxsize=1)
def _taxonomy() -> _Taxonomy:
    # Imported here: importlib.resources costs ~20 ms at import and is needed only now.
    from importlib import resources

    text = resources.files("reckon.data").joinpath(_FILE).read_text(encoding="utf-8")
    return _build(tomllib.loads(text))


def _build(data: dict[str, Any]) -> _Taxonomy:
    """Check the file whole: a wrong theme or an ambiguous code is an error at load, not a
    silently miscounted designation later."""
    theme_names: dict[str, str] = dict(data["themes"])
    measure_names: dict[str, str] = dict(data["measures"])

    def checked(where: str, theme: str | None, measure: str | None) -> None:
        if theme is not None and theme not in theme_names:
            raise ValueError(f"{_FILE}: {where}: unknown theme {theme!r}")
        if measure is not None and measure not in measure_names:
            raise ValueError(f"{_FILE}: {where}: unknown measure {measure!r}")

    codes: dict[tuple[str, str], Programme] = {}
    owner: dict[tuple[str, str], str] = {}
    for vocabulary, table in data["vocabulary"].items():
        for code, entry in table["codes"].items():
            where = f"[vocabulary.{vocabulary}] {code!r}"
            checked(where, entry["theme"], entry["measure"])
            programme = Programme(code, entry["theme"], entry["measure"], entry["label"])
            for source in table["sources"]:
                key = (source, normalise(code))
                if key in owner:
                    raise ValueError(f"{_FILE}: {where} is also {owner[key]} for {source}")
                owner[key] = where
                codes[key] = programme

    parts: dict[str, list[_Part]] = {}
    for entry in data.get("part", []):
        fields = [f for f in ("authority", "authority_id") if f in entry]
        if len(fields) != 1:
            raise ValueError(f"{_FILE}: a part of {entry['source']} needs authority or authority_id")
        field = fields[0]
        where = f"part {entry['source']} {entry[field]!r}"
        theme, measure = entry.get("theme"), entry.get("measure")
        checked(where, theme, measure)
        default: Programme | None = None
        if theme is not None:
            if measure is None:
                raise ValueError(f"{_FILE}: {where}: a theme for entries without programme needs a measure")
            default = Programme("", theme, measure, entry["label"])
        parts.setdefault(entry["source"], []).append(_Part(field, normalise(entry[field]), measure, default))
    return _Taxonomy(
        themes=theme_names,
        measures=measure_names,
        codes=codes,
        parts={s: tuple(sorted(p, key=lambda x: -len(x.prefix))) for s, p in parts.items()},
    )
