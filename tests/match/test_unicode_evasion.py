"""Invisible and evasive Unicode never hides a listed name from screening.

The index holds real records: the UN list of 2026-02-27 (Latin and Arabic names), the
Ukrainian portal's records with a Cyrillic name (bundled snapshot), and the FCDO's
Putin and Lavrov as its list of 2025-08-11 writes them. Queries are their own names
disguised the ways an evader would: zero-width characters, soft hyphens, marks of
direction, bidi embeddings, isolates and overrides, full-width letters.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reckon.match.index import Hit, Index
from reckon.model import Record
from reckon.names.normalize import hidden_characters
from reckon.screening import Query, screen
from reckon.sources.detect import detect
from reckon.sources.registry import parse_file
from tests.conftest import BUNDLED

UN = BUNDLED / "lists/un/UN_consolidated_2026-02-27.xml.gz"
UA = BUNDLED / "candidates/ua_war_sanctions.targets.simple.csv.gz"
PUTIN = "gb_fcdo_sanctions:RUS0251"
LAVROV = "gb_fcdo_sanctions:RUS0252"
FCDO: list[dict[str, object]] = [
    {"id": PUTIN, "schema": "Person", "properties": {"name": ["PUTIN Vladimir Vladimirovich"]}},
    {"id": LAVROV, "schema": "Person", "properties": {"name": ["Lavrov Sergei Viktorovich"]}},
]
# Characters that show nothing (zero-width space, non-joiner, joiner, word joiner, soft
# hyphen, BOM, LRM, RLM, Arabic letter mark, invisible separator, combining grapheme
# joiner, variation selector 16, Hangul filler).
HIDDEN = "\u200b\u200c\u200d\u2060\u00ad\ufeff\u200e\u200f\u061c\u2063\u034f\ufe0f\u3164"
# Embeddings, overrides and isolates wrapping a whole name, with what closes them.
WRAPS = [
    ("\u202a", "\u202c"),
    ("\u202b", "\u202c"),
    ("\u202d", "\u202c"),
    ("\u202e", "\u202c"),
    ("\u2066", "\u2069"),
    ("\u2067", "\u2069"),
    ("\u2068", "\u2069"),
]
LIMIT = 20
# A disguised name scores at least this share of its own name's score (in 3,000 examples
# drawn as below, every one scored exactly as its own name).
MARGIN = 0.99


def _entities(path: Path, script: str | None = None) -> list[dict[str, object]]:
    fmt, source = detect(path)
    records = parse_file(path, fmt, source).records
    return [_entity(r) for r in records if script is None or any(n.script == script for n in r.names)]


def _entity(r: Record) -> dict[str, object]:
    props: dict[str, list[str]] = {}
    for n in r.names:
        props.setdefault(n.kind, []).append(n.full)
    return {"id": r.key, "schema": r.schema, "properties": props}


@pytest.fixture(scope="module")
def entities() -> list[dict[str, object]]:
    return [*_entities(UN), *_entities(UA, script="Cyrl"), *FCDO]


@pytest.fixture(scope="module")
def index(entities: list[dict[str, object]]) -> Index:
    return Index(entities)


def scores(index: Index, name: str) -> dict[str, float]:
    return {h.entity.id or "": h.score for h in screen(index, Query(name), limit=LIMIT)}


@pytest.fixture(scope="module")
def listed(index: Index, entities: list[dict[str, object]]) -> list[tuple[str, str, float]]:
    """Names of the index (one in 25, Latin, Cyrillic and Arabic) that screening finds
    their record by, with the score: (record id, name, score)."""
    names = sorted(
        (str(e["id"]), name)
        for e in entities
        for kind, values in cast(dict[str, list[str]], e["properties"]).items()
        for name in values
        if kind in ("name", "alias") and 4 <= len(name) <= 80
    )[::25]
    out = []
    for record, name in names:
        found = scores(index, name).get(record)
        if found is not None:
            out.append((record, name, found))
    assert len(out) > 150
    return out


def hit(hits: list[Hit], record: str) -> Hit:
    (found,) = [h for h in hits if h.entity.id == record]
    return found


@pytest.mark.parametrize(
    ("probe", "record"),
    [
        ("Vladimir\u200bPutin", PUTIN),
        ("Владимир\u200bПутин", PUTIN),
        ("PUTIN\u200bVladimir", PUTIN),
        ("Vladimir\u200c\u200dPutin", PUTIN),
        ("Vladimir\u2060Putin", PUTIN),
        ("Vladimir Pu\u00adtin", PUTIN),  # soft hyphen inside the surname
        ("Путин Влади\u00adмир", PUTIN),
        ("\ufeffVladimir Putin\u200e", PUTIN),
        ("\u202eVladimir Putin\u202c", PUTIN),  # wrapped in an override: shows reversed
        ("\u202enituP rimidalV\u202c", PUTIN),  # stored reversed: shows as Vladimir Putin
        ("\u202eнитуПримидалВ\u202c", PUTIN),
        ("\u2067Путин Владимир\u2069", PUTIN),
        ("ＰＵＴＩＮ，Ｖｌａｄｉｍｉｒ", PUTIN),
        ("Сергей\u200dЛавров", LAVROV),
        ("Lav\u2060rov Sergei", LAVROV),
    ],
)
def test_probes_find_the_listed_name(index: Index, probe: str, record: str) -> None:
    found = hit(screen(index, Query(probe), limit=LIMIT), record)
    assert found.score >= 0.9, found.result.explanation
    assert ("invisible characters removed: U+" in found.result.explanation) == bool(hidden_characters(probe))


def test_the_explanation_says_what_was_removed(index: Index) -> None:
    found = hit(screen(index, Query("Vladimir\u200bPu\u00adtin\u202c"), limit=LIMIT), PUTIN)
    assert found.result.explanation.endswith("invisible characters removed: U+200B, U+00AD, U+202C")
    clean = hit(screen(index, Query("Vladimir Putin"), limit=LIMIT), PUTIN)
    assert "invisible" not in clean.result.explanation
    assert found.score == clean.score


@st.composite
def disguised(draw: st.DrawFn, name: str) -> str:
    """`name` with invisible characters between letters, beside spaces and at its
    edges, in place of spaces where the case shows the boundary (Vladimir|Putin), some
    letters full width, and perhaps a bidi control around it all."""
    chars = list(name)
    for _ in range(draw(st.integers(0, 4))):
        hidden = draw(st.text(st.sampled_from(HIDDEN), min_size=1, max_size=2))
        where = draw(st.integers(0, len(chars)))
        chars.insert(where, hidden)  # anywhere: between letters, beside a space, at an edge
    text = "".join(chars)
    gaps = [
        k
        for k in range(1, len(text) - 2)
        if text[k] == " " and text[k - 1].islower() and text[k + 1].isupper() and text[k + 2].isalpha()
    ]
    if draw(st.booleans()) and gaps:
        gap = draw(st.sampled_from(gaps))
        text = text[:gap] + draw(st.sampled_from(HIDDEN[:4])) + text[gap + 1 :]
    if draw(st.booleans()):
        wide = draw(st.sets(st.integers(0, len(text) - 1)))
        text = "".join(
            chr(ord(c) + 0xFEE0) if k in wide and "!" <= c <= "~" else c for k, c in enumerate(text)
        )
    if draw(st.booleans()):
        opening, closing = draw(st.sampled_from(WRAPS))
        text = opening + text + closing
    return text


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_disguised_names_keep_their_hit(
    index: Index, listed: list[tuple[str, str, float]], data: st.DataObject
) -> None:
    record, name, clean = data.draw(st.sampled_from(listed), label="listed")
    query = data.draw(disguised(name), label="query")
    found = scores(index, query)
    assert record in found, f"{query!r} lost {record}"
    assert found[record] >= MARGIN * clean, f"{query!r}: {found[record]:.3f} < {clean:.3f}"
