"""FtM-shaped entities prepared for comparison: plain tuples computed once.

The scorer runs millions of times (screening, resolution), so everything that can be
decided about one entity alone — normalised name tokens and their roles, given-name
classes, legal forms, birth dates, countries, identifiers — is decided here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from sys import intern
from zlib import crc32

from reckon.match.identifiers import normalise_identifier
from reckon.model import NAME_KINDS
from reckon.names import (
    descientific,
    j_as_dzh,
    latinize,
    legal_form_class,
    ocr_letters,
    org_name,
    parse_person_name,
    phonetic,
    romanize_other_scripts,
    surname_stem,
)
from reckon.names.abjad import abjad_keys, is_abjad
from reckon.names.given_names import given_name_classes, patronymic_classes
from reckon.names.normalize import as_displayed, undress, unhide

PERSON_SCHEMATA = frozenset({"Person"})
COUNTRY_PROPS = ("nationality", "citizenship", "country", "birthCountry", "jurisdiction", "flag")
# Identifiers unique to one entity: sharing one is strong evidence, differing values
# of the same scheme a conflict. Passports are not here: people hold several.
UNIQUE_IDS = ("imoNumber", "mmsi", "innCode", "ogrnCode", "swiftBic", "leiCode", "cryptoWallet", "unscId")
OTHER_IDS = (
    "passportNumber",
    "idNumber",
    "taxNumber",
    "registrationNumber",
    "okpoCode",
    "isinCode",
    "vatCode",
)
# What vessel names are prefixed with on some lists and not others (M/T KEMEROVO).
# A lower-case letter followed by a capital inside a word: words written together
# (SiemensAG, РоманИванович). Names like MacDonald split too; the scorer re-joins
# neighbouring tokens when the other side writes them as one.
# One lower-case letter after capitals is an OCR slip inside a word in capitals
# (PACIFlQUE), not two words.
_CAMEL = re.compile(r"(?<=[a-zа-яёіїєґ])(?<![A-ZА-ЯЁІЇЄҐ]{2}[a-zа-яёіїєґ])(?=[A-ZА-ЯЁІЇЄҐ])")
VESSEL_PREFIXES = frozenset({"mt", "mv", "m", "t", "v", "ss", "tss", "lng", "lpg"})
# A slash between words: most of the organisation names that have one join two names
# of one body (AL-QA'IDA/ISLAMIC ARMY; ADF/NALU; Central Bank of Syria/Banque centrale
# de Syrie). Between one-letter words it is an abbreviation (M/V, J/V, I/E, A/S, C/O),
# between digits a number (DEPARTMENT 140/14). Al-Qaida in Iraq's names use it for "in"
# (THE ORGANIZATION BASE OF JIHAD/COUNTRY OF THE TWO RIVERS), and their parts are read
# as names too: 3 such names among the 107 with a slash in the lists in shared/data.
_SLASH = re.compile(r"(?:(?<=[^\W\d_]{2})|(?<=[^\W\d_]{2}[)'’\"»]))\s*/\s*(?=[('‘\"«]?[^\W\d_]{2})")
# A part is a name of its own with at least this many words other than legal forms,
# generic words and what brackets hold: a shorter one is a word of a name it shares
# with the other part (LORD'S RESISTANCE MOVEMENT/ARMY, ISFAHAN/ESFAHAN, the Levant,
# General Trading/Information Technologies), which alone would match any body so named.
SLASH_PART_WORDS = 2
_BRACKETED = re.compile(r"\([^()]*\)")


# Tokens compare by identity: `token()` hands out one object per distinct token, so the
# scorer's pair cache hashes a pointer instead of five strings.
@dataclass(frozen=True, slots=True, eq=False)
class Token:
    key: str  # romanisation-invariant skeleton; digits for numbers
    role: str  # surname, given, patronymic, initial, particle, unknown; org: core, generic; number
    # Given-name / patronymic classes, sorted: RU/UK/BE forms share one; a nickname may
    # have several (Ted: Edward's, Theodore's). Two tokens are one name if theirs meet.
    cls: tuple[str, ...] | None
    stem: str  # surname stem (Ivanova and Ivanov share one), else the key
    text: str  # the token latinised, for spelling distance (skeletons exaggerate typos: x → ks)


@dataclass(frozen=True, slots=True)
class PreparedName:
    text: str
    kind: str
    tokens: tuple[Token, ...]
    legal_forms: frozenset[str]
    # Decided once per name, read by every comparison (see match/names.py).
    # Blocking keys (see match/index.py), sorted: a tuple is a fifth of the memory of a
    # frozenset, and the index holds one per name.
    keys: tuple[str, ...]
    significant: int  # tokens other than patronymics and particles
    person: bool  # has a surname or given name
    # To spot words the other side writes joined (SergeiLavrov), two 128-bit Bloom
    # masks in one int: of the token texts (the low half), and of neighbouring token
    # texts written together (the high half). Far smaller than sets of strings; bits
    # met only mean "look closer" (see `may_join`).
    words: int
    # Has a word in the Arabic script: compared with a name in Latin letters, its words
    # may join or split the other way (see match/names._written_alike). Derived from the
    # tokens, not stored.
    abjad: bool


_TOKENS: dict[tuple[str, str, tuple[str, ...] | None, str, str], Token] = {}
_MAX_TOKENS = 1 << 20
OPTIONAL_ROLES = frozenset({"patronymic", "particle"})
# Words written apart on one side and as one on the other, up to this many:
# Rami Makhlouf / Ramimakhlouf, van der Bilt / Vanderbilt, Plat Ono Vich / Platonovich.
JOIN_MAX = 3


def token(key: str, role: str, cls: tuple[str, ...] | None, stem: str, text: str) -> Token:
    """The one Token with these fields (interned; see Token)."""
    fields = (key, role, cls, stem, text)
    t = _TOKENS.get(fields)
    if t is None:
        if len(_TOKENS) >= _MAX_TOKENS:
            _TOKENS.clear()  # screening millions of names: forget, stay correct
        t = _TOKENS[fields] = Token(key, role, cls, stem, text)
    return t


def token_block_keys(t: Token) -> list[str]:
    """A token's blocking keys: skeleton, phonetic key, given-name class, surname stem."""
    if len(t.key) < 2:
        return []  # initials block on nothing
    keys = ["s:" + t.key]
    if is_abjad(t.key):
        # No phonetic key of its own (the script has no romanisation here): the keys of
        # its Latin spellings, to fetch the records that write the name in Latin letters.
        keys.extend("p:" + k for k in abjad_keys(t.key))
    elif len(t.key) >= 3:
        keys.append("p:" + phonetic(t.key))
        if "j" in t.text or "gi" in t.text:
            # Jalolov meets Джалолов (Dzhalolov): see names.j_as_dzh.
            alt = phonetic(j_as_dzh(t.text))
            if alt != keys[-1][2:]:
                keys.append("p:" + alt)
    if t.cls:
        keys.extend("g:" + c for c in t.cls)  # Ted meets Edward and Theodore
    if t.stem != t.key:
        keys.append("n:" + t.stem)
    return keys


def bloom(words: Iterable[str]) -> int:
    """A 128-bit mask with two bits per word, one in each half. CRC-32, not `hash`, which
    changes from one process to the next: masks are stored with the prepared records
    (match/serial.py)."""
    mask = 0
    for w in words:
        h = crc32(w.encode("utf-8", "surrogatepass"))
        mask |= 1 << (h & 63) | 1 << (64 + ((h >> 6) & 63))
    return mask


_HALF = (1 << 64) - 1


def may_join(a: PreparedName, b: PreparedName) -> bool:
    """Whether `b` may write as one word some neighbouring words of `a`: the masks of
    a's joins and b's words meet in both halves. With one bit a word in 64, they met by
    chance in a fifth of the name pairs screening compares."""
    both = (a.words >> 128) & b.words
    return bool(both & _HALF and both >> 64)


def prepared_name(
    text: str, kind: str, tokens: tuple[Token, ...], legal_forms: frozenset[str]
) -> PreparedName:
    joins = [
        "".join(t.text for t in tokens[k : k + n])
        for n in range(2, JOIN_MAX + 1)
        for k in range(len(tokens) - n + 1)
        if all(t.role != "number" for t in tokens[k : k + n])
    ]
    return PreparedName(
        text=text,
        kind=kind,
        tokens=tokens,
        legal_forms=legal_forms,
        keys=tuple(sorted({intern(k) for t in tokens for k in token_block_keys(t)})),
        significant=sum(1 for t in tokens if t.role not in OPTIONAL_ROLES),
        person=any(t.role in ("surname", "given") for t in tokens),
        words=bloom(t.text for t in tokens) | bloom(joins) << 128,
        abjad=has_abjad(tokens),
    )


def has_abjad(tokens: tuple[Token, ...]) -> bool:
    return any(is_abjad(t.key) for t in tokens)


@dataclass(frozen=True, slots=True)
class Prepared:
    id: str | None
    schema: str
    caption: str
    names: tuple[PreparedName, ...]
    birth_dates: tuple[str, ...]
    countries: frozenset[str]
    gender: str | None
    identifiers: frozenset[tuple[str, str]]  # (scheme, normalised value)

    @property
    def is_person(self) -> bool:
        return self.schema in PERSON_SCHEMATA


def _split_camel(text: str) -> str:
    """Words written together split apart (SiemensAG, РоманИванович), but not a legal
    form written in mixed case (GmbH, KGaA, SpA)."""
    if not _CAMEL.search(text):
        return text
    return " ".join(w if legal_form_class(w) else _CAMEL.sub(" ", w) for w in text.split())


def _number(text: str) -> Token:
    return token(text, "number", None, text, text)


@lru_cache(maxsize=1 << 16)
def prepare_name(text: str, kind: str, schema: str) -> PreparedName:
    """One name's comparison tokens; cached because lists repeat names a lot."""
    tokens: list[Token] = []
    # Invisible characters and full-width letters go before anything splits words: the
    # camel-case split and the parser's clues (case, comma) must see Vladimir\u200bPutin
    # as Vladimir Putin. The name is kept without the invisible characters: the scorer
    # looks at its script, and explanations quote it.
    text = unhide(text)
    words = _split_camel(ocr_letters(descientific(romanize_other_scripts(undress(text)))))
    if schema in PERSON_SCHEMATA:
        for p in parse_person_name(words).parts:
            if p.text.isdigit():
                tokens.append(_number(p.text))
            elif not p.key and any(ch.isalpha() for ch in p.text):
                # Scripts without a romanisation here (Arabic, Hebrew, Greek, Thai…)
                # still compare with themselves, letter for letter.
                tokens.append(token(p.text, p.role, None, p.text, p.text))
            elif p.key:
                cls = (
                    given_name_classes(p.text)
                    if p.role == "given"
                    else patronymic_classes(p.text)
                    if p.role == "patronymic"
                    else None
                )
                stem = surname_stem(p.key) if p.role in ("surname", "unknown") else p.key
                role = "initial" if len(p.text) == 1 else p.role  # "Hans J Friedrich"
                tokens.append(token(p.key, role, cls, stem, p.spelling or latinize(p.text)))
        return prepared_name(text, kind, tuple(tokens), frozenset())
    org = org_name(words)
    for t, k in zip(org.tokens, org.keys, strict=False):
        if t.isdigit():
            tokens.append(_number(t))
        elif not k and any(ch.isalpha() for ch in t):
            tokens.append(token(t, "core", None, t, t))
        elif k:
            tokens.append(token(k, "generic" if t in org.generic else "core", None, k, t))
    if schema in ("Vessel", "Airplane"):
        while len(tokens) > 1 and tokens[0].text in VESSEL_PREFIXES:
            tokens.pop(0)
    return prepared_name(text, kind, tuple(tokens), org.legal_forms)


def slash_parts(text: str, schema: str) -> list[str]:
    """The names an organisation's name joins with slashes, each a name of its own; none
    for a person's, or where a part is one word (see SLASH_PART_WORDS) or the slash is
    inside brackets (MEC Steel Mills (Hmaw Bi/Pyi/Ywama): one place's names)."""
    if "/" not in text or schema in PERSON_SCHEMATA:
        return []
    cuts = [
        m for m in _SLASH.finditer(text) if text.count("(", 0, m.start()) <= text.count(")", 0, m.start())
    ]
    if not cuts:
        return []
    bounds = [0, *(x for m in cuts for x in m.span()), len(text)]
    parts = [text[bounds[k] : bounds[k + 1]].strip() for k in range(0, len(bounds), 2)]
    return [p for p in parts if _name_words(p, schema) >= SLASH_PART_WORDS]


def _name_words(text: str, schema: str) -> int:
    name = prepare_name(_BRACKETED.sub(" ", text), "name", schema)
    return sum(1 for t in name.tokens if t.role in ("core", "number"))


def _values(props: Mapping[str, Sequence[str]], names: Iterable[str]) -> list[str]:
    out: list[str] = []
    for n in names:
        out.extend(v for v in props.get(n, ()) if v)
    return out


def _parts_name(props: Mapping[str, Sequence[str]], schema: str) -> tuple[str, str]:
    """One name (kind, text) from the name parts an entity gives instead of a name. A
    person's with a last name is written "Last, First Middle Father", which
    `parse_person_name` reads as surname, then given names, then patronymics by their
    ending: the roles the parts state, where reading the order would guess them and
    take first name Friedrich, last name Hans for Hans Friedrich."""
    first, middle, father, last = (props.get(p, [""])[0].strip() for p in _PART_PROPS)
    rest = " ".join(p for p in (first, middle, father) if p)
    if schema in PERSON_SCHEMATA and last and "," not in last + rest:
        return PARTS_KIND, f"{last}, {rest}".strip()
    return "name", " ".join(p for p in (first, middle, father, last) if p)


_PART_PROPS = ("firstName", "middleName", "fatherName", "lastName")
# The kind of a person's name joined from its parts, whose roles are stated (see
# match/names._roles_stated). The lists' own "SURNAME, Given" is no such statement: one
# entity's aliases swap the parts (CHAN, Changtrakul / CHANGTRAKUL, Chan; KHAN, Nasir
# Ali / NASIR, Ali Khan): 949 of 21,454 pairs of one OFAC entity's comma-written names.
PARTS_KIND = "nameParts"


_USED_PROPS = frozenset(
    (*NAME_KINDS, *_PART_PROPS, *UNIQUE_IDS, *OTHER_IDS, *COUNTRY_PROPS, "birthDate", "gender")
)


def prepare(entity: Mapping[str, object]) -> Prepared:
    """An FtM-shaped entity (`{"schema", "properties", "id"?}`) ready for scoring."""
    schema = str(entity.get("schema") or "LegalEntity")
    raw = entity.get("properties") or {}
    if not isinstance(raw, Mapping):
        raise ValueError("properties must be an object of property -> list of values")
    props: dict[str, list[str]] = {}
    for k, v in raw.items():
        if k not in _USED_PROPS:
            continue  # list records carry addresses, notes, programmes: none is compared
        values = [v] if isinstance(v, str) else list(v) if isinstance(v, list | tuple) else []
        props[str(k)] = [str(x) for x in values if isinstance(x, str | int | float)]
    texts = [(kind, text) for kind in NAME_KINDS for text in dict.fromkeys(props.get(kind, ()))]
    if not texts:
        # FtM entities may carry only name parts.
        kind, joined = _parts_name(props, schema)
        texts = [(kind, joined)] if joined else []
    # The parts come after every whole name, so the first whole name stays the caption.
    known = {text for _, text in texts}
    for kind, text in list(texts):
        # A name under a bidi override is read both as typed and as it shows: written
        # backwards after a RIGHT-TO-LEFT OVERRIDE, it shows forwards to a reader.
        shown = as_displayed(text)
        if shown not in known:
            known.add(shown)
            texts.append((kind, shown))
    for kind, text in list(texts):
        for part in slash_parts(text, schema):
            if part not in known:
                known.add(part)
                texts.append((kind, part))
    names = tuple(prepare_name(text, kind, schema) for kind, text in texts if text.strip())
    caption = next((n.text for n in names), "")
    ids = frozenset(
        (scheme, norm)
        for scheme in (*UNIQUE_IDS, *OTHER_IDS)
        for v in props.get(scheme, ())
        if (norm := normalise_identifier(v, scheme))
    )
    gender = next((g.lower() for g in props.get("gender", ()) if g.lower() in ("male", "female")), None)
    kept = tuple(n for n in names if n.tokens)
    if schema == "Person":
        kept = _without_forms_of_address(kept)
        if gender is not None and _patronymic_gender(kept) not in (None, gender):
            # ACF's Gender column says "M" of 71 women whose patronymic (Olga Nikolaevna
            # Anufrieva) says otherwise: the name is the record's better witness.
            gender = None
    entity_id = entity.get("id")
    return Prepared(
        id=str(entity_id) if entity_id is not None else None,
        schema=schema,
        caption=caption,
        names=kept,
        birth_dates=tuple(dict.fromkeys(d[:10] for d in props.get("birthDate", ()) if d[:4].isdigit())),
        countries=frozenset(c.lower() for c in _values(props, COUNTRY_PROPS)),
        gender=gender,
        identifiers=ids,
    )


# Russian, Ukrainian and Belarusian patronymic endings by gender, on latinised text.
_MALE_PATRONYMIC = ("vich", "vych", "ich", "ych")
_FEMALE_PATRONYMIC = ("vna", "ovna", "evna", "ivna", "ichna", "inichna")


def _patronymic_gender(names: tuple[PreparedName, ...]) -> str | None:
    """The gender every patronymic of a person's names shows, or None (none, or both)."""
    seen = set()
    for n in names:
        for t in n.tokens:
            if t.role == "patronymic":
                if t.text.endswith(_FEMALE_PATRONYMIC):
                    seen.add("female")
                elif t.text.endswith(_MALE_PATRONYMIC):
                    seen.add("male")
    return seen.pop() if len(seen) == 1 else None


def _without_forms_of_address(names: tuple[PreparedName, ...]) -> tuple[PreparedName, ...]:
    """A person's names without those that are another of its names less the surname:
    given name and patronymic (Canada's "Sergei Nikolaevich" for Sergey Nikolayevich
    STANKEVICH) is how Russian addresses a person, not a name that tells him from the
    many others so called. Compared as skeletons, so another romanisation counts too."""
    full = [
        (given, father)
        for n in names
        if len(n.tokens) >= 3
        for given in (t.key for t in n.tokens if t.role == "given")
        for father in (t.key for t in n.tokens if t.role == "patronymic")
    ]
    if not full:
        return names
    out = []
    for n in names:
        keys = [t.key for t in n.tokens]
        if len(keys) == 2 and any(keys in ([g, f], [f, g]) for g, f in full):
            continue
        out.append(n)
    return tuple(out) if out else names
