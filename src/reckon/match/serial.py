"""Prepared entities as bytes, so that each record is prepared once per version of its
facts and kept in the store (see reckon/prepared.py): preparing is the costly step of
building an index, about 0.2 ms a name, and reading it back is some fifty times cheaper.

The bytes are `marshal`led plain tuples: the fastest stdlib round trip for strings,
numbers and tuples, and safe here because only reckon writes them, to its own store
(they are never read from elsewhere). Blocking keys and Bloom masks are stored too;
masks use a hash that is stable across processes (see prepare.bloom).
"""

from __future__ import annotations

import marshal
from collections.abc import Callable
from sys import intern
from typing import Any

from reckon.match.prepare import Prepared, PreparedName, has_abjad, token

# Bumped when the layout of the tuples changes.
FORMAT = 2


def encode(p: Prepared) -> bytes:
    names = tuple(
        (
            n.text,
            n.kind,
            tuple((t.key, t.role, t.cls, t.stem, t.text) for t in n.tokens),
            tuple(sorted(n.legal_forms)),
            n.keys,
            n.significant,
            n.person,
            n.words,
        )
        for n in p.names
    )
    return marshal.dumps(
        (
            p.id,
            p.schema,
            p.caption,
            names,
            p.birth_dates,
            tuple(sorted(p.countries)),
            p.gender,
            tuple(sorted(p.identifiers)),
        )
    )


_NO_IDS: frozenset[tuple[str, str]] = frozenset()


def _name(raw: tuple[Any, ...], shared: Callable[[tuple[str, ...]], frozenset[str]]) -> PreparedName:
    text, kind, raw_tokens, legal_forms, keys, significant, person, words = raw
    tokens = tuple(token(*t) for t in raw_tokens)
    return PreparedName(
        text=text,
        kind=kind,
        tokens=tokens,
        legal_forms=shared(legal_forms),
        keys=tuple(map(intern, keys)),
        significant=significant,
        person=person,
        words=words,
        abjad=has_abjad(tokens),
    )


def decoder(*, names: bool = True) -> Callable[[bytes], Prepared]:
    """A decoding function that hands out one object per distinct name, and per distinct
    set of countries or legal forms, as preparing does through its caches: lists repeat
    names (a CSL row and its OFAC record) and countries, and an index holds them all.
    Its memory goes when the function does. Without `names`, records come without their
    names: what resolution's rules read of every record, at a fifth of the cost."""
    seen: dict[tuple[Any, ...], PreparedName] = {}
    sets: dict[tuple[str, ...], frozenset[str]] = {}

    def name(raw: tuple[Any, ...]) -> PreparedName:
        n = seen.get(raw)
        if n is None:
            n = seen[raw] = _name(raw, shared)
        return n

    def shared(values: tuple[str, ...]) -> frozenset[str]:
        s = sets.get(values)
        if s is None:
            s = sets[values] = frozenset(values)
        return s

    def decode(data: bytes) -> Prepared:
        entity_id, schema, caption, raw_names, birth_dates, countries, gender, identifiers = marshal.loads(
            data
        )
        return Prepared(
            id=entity_id,
            schema=schema,
            caption=caption,
            names=tuple(map(name, raw_names)) if names else (),
            birth_dates=birth_dates,
            countries=shared(countries),
            gender=gender,
            identifiers=frozenset(identifiers) if identifiers else _NO_IDS,
        )

    return decode
