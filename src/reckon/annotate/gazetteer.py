"""The gazetteer: every name form of the listed people, organisations and vessels that
a text may write, in one Aho-Corasick automaton, cached in the store.

Keys are written as `text.normalise` writes a text (lower case, ё as е, one space):
- people: their surnames, each in the scripts the lists give it, with its Russian and
  Ukrainian case forms and Ukrainian spellings (see morph.py), a double surname
  (Львова-Белова) whole and by halves. A surname is only the anchor of a mention: the
  given names, patronymics and initials around it are read from the text when it is
  found (decide.py), and the scorer compares the whole;
- organisations: each name as the list writes it, and without its legal form and
  quotes (ПАО «Газпром нефть» → газпром нефть), so the text's own legal form and
  quotes may surround it; a Russian name of two to five words declined, with the
  stump compound of Государственн- (Госдумы); a body named with its state's official
  name also with the short one (Government of Russia); its acronym (see
  `_Builder.acronym`), matched only where a text writes it in capitals;
- vessels: their names, without the M/T, MV prefixes some lists add.

Beside the keys (see `hits`), the skeleton (names.skeleton) of every Latin Slavic
surname: a capitalised word of a text that is no key but has such a skeleton is a hit
on the people so named (Stremusov for STREMOUSOV), as screening would find them,
without a key for every romanisation.

The cached form is stored in the store beside the match index (table
`annotate_gazetteer`), keyed by the index's state (store version and the name rules'
fingerprint), the resolution and this package's own code: any change builds it again.
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import re
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from sys import intern
from typing import Any, NamedTuple

import duckdb

from reckon.match.prepare import prepare
from reckon.match.serial import FORMAT as SERIAL_FORMAT
from reckon.names import is_generic, latinize, normalize, skeleton
from reckon.names.normalize import undress, unhide
from reckon.names.orgs import load_terms
from reckon.store.queries import matching_entities
from reckon.stored_index import fingerprint, index_is_current, small_buffer

from .morph import analyzer, cyrillic_spellings, noun_forms, phrase_forms, surname_forms
from .text import Normalised, fold

FORMAT = 4
_LENGTH_BITS = 10
# Flag bits of an automaton value (see `hits`), between the key's length and its index.
_CASED = 1 << _LENGTH_BITS
_BRACKETED = 1 << (_LENGTH_BITS + 1)
_INDEX_SHIFT = _LENGTH_BITS + 2
_ACRONYM = re.compile(r"[^\W\d_]{2,4}")
# The shortest text word looked up by its skeleton (see `hits`): shorter ones are
# names of several languages at once.
_VARIANT_MIN = 5
_LATIN_WORD = re.compile(r"(?<![^\W_])[a-z]+(?:'[a-z]+)?(?![^\W_])")
PERSON, ORG, ORG_CORE, VESSEL = "person", "org", "org_core", "vessel"
_ORG_SCHEMATA = frozenset({"Company", "Organization", "LegalEntity", "PublicBody"})
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_VESSEL_PREFIX = re.compile(r"^(?:m/?[tv]|mv|mt|m\.v\.|m\.t\.|ss)\s+", re.IGNORECASE)
_SLAVIC = (
    "ov",
    "ev",
    "in",
    "yn",
    "ova",
    "eva",
    "ina",
    "sky",
    "skiy",
    "skii",
    "ko",
    "uk",
    "yuk",
    "ich",
    "aya",
)
_QUOTES = "\"'«»„“”"


class Entry(NamedTuple):
    """What one key stands for, of one kind: the name as the lists write it (a surname
    in the nominative, an organisation's name) and the records so named. Kept as plain
    tuples (`RawEntry`), each `marshal`led on its own: 170,000 keys held as bytes take a
    fifth of the memory of as many tuples, and only the keys a text meets are read."""

    kind: str
    lemma: str
    records: tuple[int, ...]


RawEntry = tuple[tuple[str, str, tuple[int, ...]], ...]


@dataclass(slots=True)
class Gazetteer:
    automaton: Any  # ahocorasick.Automaton: key → (key length, index into `entries`)
    entries: list[bytes]  # by key (see `match_of`): a marshalled RawEntry; then the variants'
    records: list[str]  # record keys (source:id), by the ints of `Entry.records`
    con: duckdb.DuckDBPyConnection | None = None
    built: bool = False  # built now (not read from the cache)
    cached: bool = False  # stored in the store's cache
    # A Latin surname's skeleton → index into `entries` of its people (see `hits`).
    variants: dict[str, int] = field(default_factory=dict)
    # Worked out on first use (see decide.py): the store's lookups.
    memo: dict[str, Any] = field(default_factory=dict)

    def entry(self, index: int) -> list[Entry]:
        return [Entry(*e) for e in marshal.loads(self.entries[index])]


def _state(con: duckdb.DuckDBPyConnection) -> str:
    """What the gazetteer depends on: the lists (store version), the name rules and the
    code of this package. Not the resolution: keys lead to records, and which entity a
    record is part of is read when a text is annotated."""
    h = hashlib.blake2b(digest_size=12)
    row = con.execute("SELECT coalesce(max(version_id), 0) FROM versions").fetchone()
    h.update(f"{FORMAT} {row[0] if row else 0} {fingerprint()}".encode())
    package = resources.files("reckon").joinpath("annotate")
    for name in ("gazetteer.py", "morph.py", "text.py"):
        h.update(package.joinpath(name).read_bytes())
    return h.hexdigest()


# A record as the gazetteer reads it: key, schema, and per name its text and its
# tokens' (key, role, text).
_Names = list[tuple[str, str, list[tuple[str, str, str]]]]  # text, kind, tokens
_Raw = tuple[str, str, _Names]


def _entities(con: duckdb.DuckDBPyConnection) -> Iterator[_Raw]:
    """Every current record's names: read from the match index where it is current,
    else prepared now. The stored tuples are read as `serial.encode` writes them, not
    made into `Prepared` objects: a third of the time, for the few fields needed here."""
    if not index_is_current(con):
        for e in matching_entities(con):
            p = prepare(e)
            yield (
                p.id or "",
                p.schema,
                [(n.text, n.kind, [(t.key, t.role, t.text) for t in n.tokens]) for n in p.names],
            )
        return
    assert SERIAL_FORMAT == 2, "the layout read below is serial.encode's of format 2"
    cur = con.cursor()
    cur.execute("SELECT data FROM match_prepared")
    while rows := cur.fetchmany(10_000):
        for (data,) in rows:
            entity_id, schema, _, names, *_ = marshal.loads(data)
            yield entity_id, schema, [(n[0], n[1], [(t[0], t[1], t[4]) for t in n[2]]) for n in names]


def _lean(con: duckdb.DuckDBPyConnection) -> Iterator[_Raw]:
    """`_entities` with DuckDB's buffer pool kept small (see stored_index.small_buffer):
    40 MB less at the peak of a build."""
    read = 0
    try:
        with small_buffer(con):
            for row in _entities(con):
                read += 1
                yield row
    except duckdb.OutOfMemoryException:
        if read:
            raise
        yield from _entities(con)  # a transaction's own rows count against the limit


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(undress(unhide(text))))


class _Builder:
    def __init__(self) -> None:
        # key → [kind, lemma, record, record, …], the one name a key stands for (nearly
        # every key); or [None, {(kind, lemma): [record, …]}] for several: a dict a key
        # was a third of a build's memory.
        self.keys: dict[str, list[Any]] = {}
        self.records: list[str] = []
        # Acronyms the lists write in capitals (VTB, RT): found only where a text does too;
        # those of weak aliases only only in brackets after a name, as texts introduce them.
        self.cased: set[str] = set()
        self.strong: set[str] = set()  # the cased keys that are not a weak alias's only
        self.acronyms: dict[str, list[int]] = {}  # acronym → records, posted last (see `build`)
        # A Slavic surname's skeleton → its Latin spellings in the lists (see `hits`).
        self.latin: dict[str, set[str]] = {}

    def add(self, key: str, kind: str, lemma: str, record: int) -> None:
        key = " ".join(key.split())
        if len(key) < 3 or not any(ch.isalpha() for ch in key):
            return
        self.post(key, kind, lemma, record)

    def acronym(self, written: str, core: str, record: int, name_kind: str) -> None:
        """An organisation's acronym (VTB, USM, SCF, RT, ВТБ): a word of two to four
        letters the list writes in capitals, as a name of its own (in any name kind:
        OFAC gives SCF as a weak alias) or beside generic words only (VTB Bank, Банк ВТБ,
        USM Holdings Limited; `core` is the name without its legal form, folded).
        Keyed in lower case like any key, and marked: a text's
        match counts only where the text writes it in capitals too (`hits`), so that
        "rt" or "Yota" in running text is no acronym; a weak alias's only in brackets
        (Sovcomflot (SCF)), not as the first word of another name (SCF Management)."""
        words = [w.strip(_QUOTES + ",.()") for w in written.split()]
        short = [w for w in words if _ACRONYM.fullmatch(w) and w.isupper() and not _generic(fold(w))]
        if len(short) != 1:
            return
        key = fold(short[0])
        if len(key) == 2 and name_kind != "name":
            return  # of two letters (EC, SE, CP) only where it is the body's name itself (RT)
        # The words beside it, less the legal form (Банк ВТБ (публичное акционерное общество)).
        others = [w for w in core.split() if w != key]
        if any(not _generic(w) for w in others):
            return
        if name_kind != "weakAlias":
            self.strong.add(key)
        self.acronyms.setdefault(key, []).append(record)

    def post(self, key: str, kind: str, lemma: str, record: int) -> None:
        found = self.keys.get(key)
        if found is None:
            self.keys[key] = [kind, intern(lemma), record]
            return
        if found[0] is not None:
            if found[0] == kind and found[1] == lemma:
                if found[-1] != record:
                    found.append(record)
                return
            found = self.keys[key] = [None, {(found[0], found[1]): found[2:]}]
        posting = found[1].setdefault((kind, intern(lemma)), [])
        if not posting or posting[-1] != record:
            posting.append(record)

    def person(self, names: _Names, r: int) -> None:
        forms: set[tuple[str, str]] = set()  # (form, lemma): the record's names repeat their surname
        # A record that gives no name in Cyrillic: its surname's Russian spelling, as a
        # text may write it (VOLODIN → Володин, Володина, …; KHARATYAN → Харатян).
        latin_only = not any(_CYRILLIC.search(text) for text, _, _ in names)
        for text, _, tokens in names:
            surnames = [(key, written) for key, role, written in tokens if role == "surname"]
            if not surnames or len(tokens) < 2:
                continue  # a nickname or a name of one word anchors nothing
            for key, written in surnames:
                if written.isascii():
                    forms.add((written, written))
                    if written.endswith(_SLAVIC) and len(written) >= _VARIANT_MIN:
                        self.latin.setdefault(key, set()).add(written)
                    if latin_only:
                        forms.update(
                            (form, cyr) for cyr in _spelt(written, key) for form in surname_forms(cyr)
                        )
            if text.isascii():
                continue
            keys = {key for key, _ in surnames}
            for w in _words(text):
                # A double surname (Львова-Белова) is a word of the text and two of the name.
                if w.isascii() or not all(skeleton(half) in keys for half in w.split("-")):
                    continue
                if _CYRILLIC.search(w):
                    forms.update((form, w) for form in surname_forms(w))
                else:  # the surname as written in Latin letters with diacritics (Łukaszenko)
                    forms.add((w, w))
        for form, lemma in forms:
            if len(form) >= 3:
                self.post(form, PERSON, lemma, r)

    def org(self, names: _Names, r: int, kind: str) -> None:
        latin_only = not any(_CYRILLIC.search(text) for text, _, _ in names)
        for written, name_kind, tokens in names:
            text = fold(undress(unhide(written)))
            if kind == VESSEL:
                text = _VESSEL_PREFIX.sub("", text)
            core = core_name(text)
            if kind == ORG:
                self.acronym(unhide(written), core or text, r, name_kind)
            if name_kind == "weakAlias" and len(text.split()) < 2:
                continue  # a weak alias of one word (YOTA) is a word more often than the name
            full = " ".join(text.replace('"', " ").split())
            self.add(full, kind, full, r)
            if core and core != full:
                self.add(core, ORG_CORE if kind == ORG else kind, full, r)
            if kind != ORG:
                continue
            one = core or full
            derived = ORG_CORE if core and core != full else ORG
            if len(one.split()) > 1:
                # The name with its state's short name (Government of the Russian
                # Federation → government of russia), as texts write it.
                short = _short_state(one)
                if short:
                    self.add(short, derived, one, r)
                # A Cyrillic name of several words, declined (Государственной Думы,
                # Госдумы: see morph.phrase_forms).
                if _CYRILLIC.search(one):
                    for name in (one, short) if short else (one,):
                        for form in phrase_forms(name):
                            if form != one:
                                self.add(form, derived, one, r)
                continue
            # A name of one word, declined as Russian texts decline it (Роснефти), and
            # where the lists write it in Latin letters only, its Cyrillic spellings too.
            if len(one) < 4 or not one.isalpha():
                continue
            if _CYRILLIC.search(one):
                spellings: list[str] = [one]
            elif latin_only:
                key = next((t[0] for t in tokens if t[2] == one), None)
                spellings = _spelt(one, key, soft_end=True) if key else []
            else:
                spellings = []
            for cyr in spellings:
                for form in noun_forms(cyr):
                    if form != one:
                        # The lemma is the nominative, which the query is made of.
                        self.add(form, derived, cyr, r)

    def build(self) -> tuple[list[str], list[bytes], list[int], dict[str, int]]:
        """The keys, their entries, the flags of the cased keys (position << 2 | flags >>
        `_LENGTH_BITS`), and the variants: per skeleton of a Latin surname, one entry more,
        of the people of its spellings."""
        for key, records in self.acronyms.items():
            found = self.keys.get(key)
            if found and (found[0] == PERSON or (found[0] is None and _has_person(found[1]))):
                continue  # also a surname (Kim, New): no acronym
            for r in records:
                self.post(key, ORG, key, r)
            self.cased.add(key)
        entries: list[bytes] = []
        keys: list[str] = []
        cased: list[int] = []
        for key, found in self.keys.items():
            if len(key) > MAX_KEY or (len(key) < 3 and key not in self.cased):
                continue
            if key in self.cased:
                cased.append(len(keys) << 2 | (1 if key in self.strong else 3))
            keys.append(key)
            entries.append(marshal.dumps(_raw(found)))
        variants: dict[str, int] = {}
        for skel, spellings in self.latin.items():
            people = [
                e for w in sorted(spellings) if w in self.keys for e in _raw(self.keys[w]) if e[0] == PERSON
            ]
            if people:
                variants[skel] = len(entries)
                entries.append(marshal.dumps(tuple(people)))
        return keys, entries, cased, variants


def _raw(found: list[Any]) -> RawEntry:
    if found[0] is not None:
        return ((found[0], found[1], tuple(found[2:])),)
    return tuple((kind, lemma, tuple(recs)) for (kind, lemma), recs in found[1].items())


def _has_person(postings: dict[tuple[str, str], list[int]]) -> bool:
    return any(kind == PERSON for kind, _ in postings)


# A state's official name in the lists' names of its bodies, and the short name texts
# use for it (the Government of Russia, Минобороны России); the genitive in Russian.
_STATES = (
    ("the russian federation", "russia"),
    ("russian federation", "russia"),
    ("российской федерации", "россии"),
    ("the republic of belarus", "belarus"),
    ("республики беларусь", "беларуси"),
    ("the islamic republic of iran", "iran"),
    ("the syrian arab republic", "syria"),
    ("the democratic people's republic of korea", "north korea"),
)
_STATE_RE = re.compile(r"\b(?:" + "|".join(re.escape(o) for o, _ in _STATES) + r")\b")


def _short_state(name: str) -> str | None:
    """`name` with the official name of a state in it replaced by its short name, or None."""
    short = dict(_STATES)
    out = _STATE_RE.sub(lambda m: short[m.group(0)], name)
    # Not a state's name alone (Russian Federation → Russia): a name of the country, not of a body.
    return out if out != name and len(out.split()) > 1 else None


@lru_cache(maxsize=1 << 12)
def _generic(word: str) -> bool:
    """A word of a company's name that says what it is, not which (Bank, Holdings, банк,
    LLC, АО): generic in names.orgs, or a legal form of one word."""
    keys = _word_keys(word)
    return bool(keys) and (all(is_generic(k) for k in keys) or keys in load_terms().legal)


MAX_KEY = (1 << _LENGTH_BITS) - 1


def make_automaton(keys: list[str], cased: list[int] | tuple[int, ...] = ()) -> Any:
    """The automaton of `keys`, each valued by its position, its length and whether it
    is cased (see `match_of`): integers, which the automaton stores and saves without
    pickling an object each."""
    import ahocorasick

    flags = {c >> 2: (c & 3) << _LENGTH_BITS for c in cased}
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for i, key in enumerate(keys):
        automaton.add_word(key, i << _INDEX_SHIFT | flags.get(i, 0) | len(key))
    automaton.make_automaton()
    return automaton


def match_of(value: int) -> tuple[int, int]:
    """(entry index, key length) of an automaton value."""
    return value >> _INDEX_SHIFT, value & MAX_KEY


_NEIGHBOUR_BEFORE = re.compile(r"([^\W\d_]{2,})[^\w]{1,3}$")
_NEIGHBOUR_AFTER = re.compile(r"^[^\w]{1,3}([^\W\d_]{2,})")


def _shouted(text: str, a: int, b: int) -> bool:
    """Whether the words around text[a:b] are in capitals too (a headline in capitals,
    NEW TECHNOLOGIES), where a word in capitals is no acronym by that alone."""
    before = _NEIGHBOUR_BEFORE.search(text[max(0, a - 20) : a])
    after = _NEIGHBOUR_AFTER.search(text[b : b + 20])
    words = [m.group(1) for m in (before, after) if m]
    return bool(words) and all(w.isupper() for w in words)


def hits(g: Gazetteer, norm: Normalised, text: str) -> Iterator[tuple[int, int, int]]:
    """The gazetteer's whole-word matches in the normalised `norm` of `text`: (start, end,
    entry index), in `norm`'s positions, unordered and overlapping. A cased key (an
    acronym) only where `text` writes it in capitals. Then, for a capitalised Latin word
    of `_VARIANT_MIN` letters or more that is no key, the people whose Slavic surname's
    Latin spellings have its skeleton (names.skeleton): the spellings texts use beside
    the lists' (Stremusov for STREMOUSOV, Novitskiy for NOVITSKY), as screening finds them."""
    t = norm.text
    size = len(t)
    for last, value in g.automaton.iter(t):
        index, length = match_of(value)
        start = last - length + 1
        if (start and t[start - 1].isalnum()) or (last + 1 < size and t[last + 1].isalnum()):
            continue
        if value & _CASED:
            a, b = norm.span(start, last + 1)
            if not text[a:b].isupper():
                continue
            if value & _BRACKETED and not (text[a - 1 : a] == "(" and text[b : b + 1] == ")"):
                continue
            if _shouted(text, a, b):
                continue
        yield start, last + 1, index
    if not g.variants:
        return
    for m in _LATIN_WORD.finditer(t):
        word = m.group(0)
        if len(word) < _VARIANT_MIN or not word.isalpha() or g.automaton.exists(word):
            continue
        at = norm.span(m.start(), m.end())[0]
        if not text[at].isupper():
            continue
        found = g.variants.get(skeleton(word))
        if found is not None:
            yield m.start(), m.end(), found


@lru_cache(maxsize=1 << 12)
def _spelt(latin: str, key: str, soft_end: bool = False) -> list[str]:
    """The likeliest Cyrillic spelling of a Latin name whose skeleton is the name's key
    (with a final ь too, for `soft_end`)."""
    found = [c for c in cyrillic_spellings(latin) if skeleton(c) == key][:1]
    if soft_end and found and found[0].endswith(tuple("тдлнсзр")):
        found.append(found[0] + "ь")  # Rosneft → роснефть: its forms are a soft noun's (роснефти)
    return found


@lru_cache(maxsize=1 << 16)
def _word_keys(word: str) -> tuple[str, ...]:
    """A word's comparison keys as the legal-form table is keyed (names.orgs): organisation
    names repeat their words (LLC, BANK, TRADING), each is worked out once."""
    return tuple(skeleton(t) for t in latinize(normalize(word)).split())


def core_name(text: str) -> str:
    """An organisation's name without the legal forms (of up to four words: public joint
    stock company) and quotes around it."""
    words = [w.strip(_QUOTES + ",.()") for w in text.replace('"', " ").split()]
    words = [w for w in words if w]
    legal = load_terms().legal

    def is_form(part: list[str]) -> bool:
        return tuple(k for w in part for k in _word_keys(w)) in legal

    changed = True
    while words and changed:
        changed = False
        for size in range(min(4, len(words) - 1), 0, -1):
            if is_form(words[:size]):
                del words[:size]
                changed = True
                break
            if is_form(words[-size:]):
                del words[-size:]
                changed = True
                break
    return " ".join(words)


def build_gazetteer(con: duckdb.DuckDBPyConnection) -> Gazetteer:
    """The gazetteer of every current record of the store (not cached: see `load_gazetteer`)."""
    b = _Builder()
    for record, schema, names in _lean(con):
        r = len(b.records)
        b.records.append(record)
        if schema == "Person":
            b.person(names, r)
        elif schema == "Vessel":
            b.org(names, r, VESSEL)
        elif schema in _ORG_SCHEMATA:
            b.org(names, r, ORG)
    # The word forms worked out once per store are not needed again: their caches go
    # before the automaton is made, which is the peak of a build; and so does the
    # dictionary they came from (~20 MB), which annotating loads again in 0.4 s where
    # the same process goes on to annotate (not a store's later runs: they read the cache).
    # The skeletons of the build's words go too (up to 130,000 kept): later callers only
    # work them out again.
    for cached in (surname_forms, noun_forms, phrase_forms, _spelt, _word_keys, _generic, analyzer, skeleton):
        cached.cache_clear()
    gc.collect()
    keys, entries, cased, variants = b.build()
    del b.keys, b.latin
    g = Gazetteer(make_automaton(keys, cased), entries, b.records, con, built=True, variants=variants)
    g.memo["keys"] = keys, cased  # for the cache, which stores the keys and not the automaton
    return g


_TABLE = "CREATE TABLE IF NOT EXISTS annotate_gazetteer (state VARCHAR, part INTEGER, data BLOB)"
# Written in parts: DuckDB holds a value in one block, and a block of the whole
# (~35 MB) would add as much again to the peak of a build.
_PART = 1 << 20


def _read_cache(con: duckdb.DuckDBPyConnection, state: str) -> Gazetteer | None:
    blob = bytearray()
    cur = con.cursor()
    try:
        # Part by part, with DuckDB's buffer pool kept small: read whole, the parts were
        # held four times over (~160 MB for 40 MB).
        with small_buffer(cur, "32MB"):
            row = cur.execute("SELECT count(*) FROM annotate_gazetteer WHERE state = ?", [state]).fetchone()
            for part in range(int(row[0]) if row else 0):
                found = cur.execute(
                    "SELECT data FROM annotate_gazetteer WHERE state = ? AND part = ?", [state, part]
                ).fetchone()
                if found is None:
                    return None
                blob += found[0]
    except (duckdb.CatalogException, duckdb.BinderException):
        return None  # no cache yet, or one of an older layout
    finally:
        cur.close()
    if not blob:
        return None
    # Written by this code, in the user's own store (as the match index's tuples are).
    keys, cased, entries, records, variants = marshal.loads(blob)
    del blob
    return Gazetteer(make_automaton(keys, cased), entries, records, con, cached=True, variants=variants)


def _write_cache(con: duckdb.DuckDBPyConnection, state: str, g: Gazetteer) -> bool:
    """Store `g` under `state`: its keys, not its automaton, which is made again from them
    in a fraction of a second (pickled, it is three times their size, and pickling it
    held twice that again). Each part is written on its own, under a name readers do
    not look for, which one last statement turns into `state`."""
    found = g.memo.pop("keys", None)
    if found is None:
        items = sorted(g.automaton.items(), key=lambda item: int(item[1]))
        keys = [k for k, _ in items]
        cased = [i << 2 | (int(v) >> _LENGTH_BITS & 3) for i, (_, v) in enumerate(items) if int(v) & _CASED]
    else:
        keys, cased = found
    data = marshal.dumps((keys, cased, g.entries, g.records, g.variants))
    del keys
    pending = f"writing {state}"
    try:
        con.execute("DROP TABLE IF EXISTS annotate_gazetteer")
        con.execute(_TABLE)
        try:
            # DuckDB's buffer pool kept small while the parts go in (20 MB less at the
            # peak of a build); where a store's own state needs more, as much as it takes.
            with small_buffer(con, "64MB"):
                _insert_parts(con, pending, data)
        except duckdb.OutOfMemoryException:
            with suppress(duckdb.Error):
                con.execute("ROLLBACK")
            con.execute("DELETE FROM annotate_gazetteer")
            _insert_parts(con, pending, data)
        con.execute("UPDATE annotate_gazetteer SET state = ? WHERE state = ?", [state, pending])
    except (duckdb.InvalidInputException, duckdb.PermissionException, duckdb.TransactionException):
        return False  # a read-only store (the server's copy): the gazetteer lives in memory only
    return True


def _insert_parts(con: duckdb.DuckDBPyConnection, name: str, data: bytes) -> None:
    view = memoryview(data)
    for part, at in enumerate(range(0, len(view), _PART)):
        con.execute(
            "INSERT INTO annotate_gazetteer VALUES (?, ?, ?)", [name, part, view[at : at + _PART].tobytes()]
        )


def refresh_gazetteer(con: duckdb.DuckDBPyConnection) -> bool:
    """Build and cache the gazetteer unless the cached one is current; True if built."""
    state = _state(con)
    if _has(con, state):
        return False
    _write_cache(con, state, build_gazetteer(con))
    return True


def _has(con: duckdb.DuckDBPyConnection, state: str) -> bool:
    try:
        row = con.execute("SELECT count(*) FROM annotate_gazetteer WHERE state = ?", [state]).fetchone()
    except duckdb.CatalogException:
        return False
    return bool(row and row[0])


def load_gazetteer(con: duckdb.DuckDBPyConnection) -> Gazetteer:
    """The gazetteer cached in the store if current, else built now (and cached when
    the connection can write)."""
    state = _state(con)
    found = _read_cache(con, state)
    if found is not None:
        return found
    g = build_gazetteer(con)
    g.cached = _write_cache(con, state, g)
    return g


def open_gazetteer(path: str | Path | None) -> Gazetteer:
    """The gazetteer of the store at `path`, on a connection of its own: read-only where
    the cached gazetteer is current; else written to the store's cache, if it can be
    opened for writing (not the server's read-only copy, nor held by another process);
    else built in memory. StoreError if there is no store."""
    from reckon.store import StoreError, connect

    con = connect(path, read_only=True, create=False)
    state = _state(con)
    found = _read_cache(con, state)
    if found is not None:
        return found
    con.close()
    try:
        con = connect(path, read_only=False, create=False, wait=1.0)
    except StoreError:
        con = connect(path, read_only=True, create=False)
    return load_gazetteer(con)
