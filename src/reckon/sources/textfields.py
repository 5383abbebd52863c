"""Reading the free-text cells of spreadsheet-style lists (UK OFSI/FCDO, Australia DFAT).

These lists pack several values into one cell ("(1) Russia (2) Israel"), label
identifiers in prose ("(1) OGRN: 1027700041830 (2) TIN: 7717043113") and write
countries as historical names ("Former USSR Currently Ukraine"). The helpers here
turn such cells into typed values; they never raise on odd text, they return less.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

from reckon.model import FuzzyDate, Identifier, Name
from reckon.sources.common import (
    add_unique,
    clean,
    country_code,
    make_name,
    parse_date,
    parse_dates,
)

# ---------------------------------------------------------------------- multi-values

_NUMBERED = re.compile(r"\(\s*\d{1,2}(?:\s*(?:-|to)\s*\d{1,2})?\s*\)|(?:^|(?<=\s))[a-z]\)\s")


def numbered(text: str | None) -> list[str | None]:
    """The parts of "(1) x (2) y" / "a) x b) y" in order; a '-' part stays as None."""
    if not text:
        return []
    if not _NUMBERED.search(text):
        return [clean(text)]
    parts = _NUMBERED.split(text)
    if parts and not clean(parts[0]):
        parts = parts[1:]
    return [clean(p.strip(" .;,")) for p in parts]


def values(text: str | None) -> list[str]:
    return [p for p in numbered(text) if p]


# ------------------------------------------------------------------------- countries

# Spellings the shared table does not know, or gets wrong: "Congo (Democratic
# Republic)" would otherwise fall back to "Congo" (the Republic of the Congo).
_COUNTRY_FIXES = {
    "congo (democratic republic)": "cd",
    "democratic republic of the congo": "cd",
    "occupied palestinian territories": "ps",
    "united kingdom of great britain": "gb",
    "montenegrin": "me",
    "uzbekhistan": "uz",
    "belrus": "by",
    "sundan": "sd",
    "britain": "gb",
    "guinea-bisau": "gw",
    "repubic of moldova": "md",
    "republic of moldovia": "md",
}
# "Ukrainian SSR", "Russian Soviet Federative Socialist Republic (RSFSR)": the republic's
# successor state is named by the adjective before the Soviet designation.
_SOVIET = re.compile(r"\s+(?:soviet\s+(?:federative\s+)?socialist\s+republic|s?sr|sfsr)\b.*$", re.I)
_NOW = re.compile(r"\b(?:now|currently)\s+(?:the\s+)?([^()]+?)\s*\)?\s*$", re.I)


@lru_cache(maxsize=8192)
def country(text: str | None) -> str | None:
    """ISO code for one country cell, preferring the present-day name of a former state."""
    text = clean(text)
    if not text:
        return None
    text = text.replace("’", "'")
    key = text.lower().strip(" .")
    if key in _COUNTRY_FIXES:
        return _COUNTRY_FIXES[key]
    if m := _NOW.search(text):
        code = country(m[1])
        if code:
            return code
    code = country_code(text)
    if code:
        return code
    soviet = _SOVIET.sub("", text)
    if soviet != text and "autonomous" not in soviet.lower():
        code = country_code(soviet)
        if code:
            return code
    for part in re.split(r"[.,;:/]", text):
        part = part.strip()
        if part and part.lower() in _COUNTRY_FIXES:
            return _COUNTRY_FIXES[part.lower()]
        code = country_code(part) if part else None
        if code:
            return code
    return None


def countries(text: str | None, unmapped: set[str] | None = None) -> list[str]:
    """Every country in a numbered or comma-separated cell; unknown names go to `unmapped`."""
    codes, unknown = _countries(text)
    if unmapped is not None:
        unmapped.update(unknown)
    return list(codes)


@lru_cache(maxsize=8192)
def _countries(text: str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    out: list[str] = []
    missing: list[str] = []
    for part in values(text):
        code = country(part)
        if code:
            add_unique(out, code)
            continue
        found = False
        for piece in re.split(r"[,;:]|\band\b", part):
            code = country(piece)
            if code:
                add_unique(out, code)
                found = True
        if not found:
            missing.append(part)
    return tuple(out), tuple(missing)


_LEAD_WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def lead_country(text: str | None) -> str | None:
    """A country named at the start of a details cell ("Afghanistan number, issued ...")."""
    if not text:
        return None
    words = _LEAD_WORDS.findall(text[:60])[:4]
    for n in range(len(words), 0, -1):
        code = country(" ".join(words[:n]))
        if code:
            return code
    return None


# ----------------------------------------------------------------------------- dates

_MONTH_YEAR = re.compile(r"^(\d{1,2})/(\d{4})$")


def dates(value: object) -> list[FuzzyDate]:
    """Birth dates from a cell (see `_text_dates`); Excel datetimes and bare years too."""
    if value is None:
        return []
    if isinstance(value, datetime):
        return [FuzzyDate(value=value.date().isoformat())]
    if isinstance(value, int | float):
        year = int(value)
        return [FuzzyDate(value=f"{year:04d}")] if 1000 <= year <= 2100 else []
    return list(_text_dates(str(value)))


@lru_cache(maxsize=16384)
def _text_dates(value: str) -> tuple[FuzzyDate, ...]:
    """Birth dates from a cell: Excel datetimes, bare years, and the lists' text forms.

    Beyond what `parse_dates` reads this handles FCDO's `dd/mm/1945` placeholders and
    `mm/yyyy` (OFSI writes `05/1973`). An unknown year (`15/08/19yy`) yields nothing.
    """
    text = clean(value.replace("\xa0", " "))
    if not text:
        return ()
    text = re.sub(r"\bdd(?=/)", "00", text, flags=re.I)
    text = re.sub(r"(?<=/)mm(?=/)", "00", text, flags=re.I)
    out: list[FuzzyDate] = []
    for part in re.split(r"\s*\(\d+\)\s*|\s*[a-z]\)\s+|,\s*|;\s*|\s+(?=\d{1,2}/\d{1,2}/\d{4})", text):
        part = part.strip(" .")
        if not part:
            continue
        if m := _MONTH_YEAR.match(part):
            month, year = int(m[1]), int(m[2])
            if 1 <= month <= 12 and 1000 <= year <= 2100:
                add_unique(out, FuzzyDate(value=f"{year:04d}-{month:02d}", original=part))
            continue
        for d in parse_dates(part):
            add_unique(out, d)
    return tuple(out)


@lru_cache(maxsize=8192)
def one_date(value: object) -> str | None:
    """An ISO date from a date cell (datetime, dd/mm/yyyy or dd-mm-yyyy text)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    text = clean(str(value))
    if not text:
        return None
    if re.fullmatch(r"\d{1,2}-\d{1,2}-\d{4}", text):
        text = text.replace("-", "/")
    d = parse_date(text)
    return d.value if d else None


_DATE_IN_TEXT = re.compile(
    r"\b(\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|\d{1,2}/\d{1,2}/\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2},\s+\d{4})\b"
)


def first_date_in(text: str | None) -> str | None:
    """The first full date written in prose ("Listed on 25 Jan. 2001 (amended ...)")."""
    if not text:
        return None
    for m in _DATE_IN_TEXT.finditer(text):
        d = parse_date(m[1])
        if d and len(d.value) == 10:
            return d.value
    return None


# ----------------------------------------------------------------------------- names

# ISO 639-3 for the languages the UK lists name (including their own misspellings).
LANGUAGES = {
    "russian": "rus",
    "russia": "rus",
    "ukrainian": "ukr",
    "ukraine": "ukr",
    "belarusian": "bel",
    "belarussian": "bel",
    "arabic": "ara",
    "chinese": "zho",
    "korean": "kor",
    "persian": "fas",
    "farsi": "fas",
    "persian/farsi": "fas",
    "georgian": "kat",
    "hebrew": "heb",
    "bulgarian": "bul",
    "turkish": "tur",
    "kazakh": "kaz",
    "serbian": "srp",
    "spanish": "spa",
    "thai": "tha",
    "greek": "ell",
    "bosnian": "bos",
    "japanese": "jpn",
    "burmese": "mya",
    "romanian": "ron",
    "pashto": "pus",
    "urdu": "urd",
    "armenian": "hye",
    "kyrgyz": "kir",
    "uzbek": "uzb",
    "tajik": "tgk",
    "azerbaijani": "aze",
    "french": "fra",
    "german": "deu",
}


def language(text: str | None) -> str | None:
    return LANGUAGES.get((clean(text) or "").lower())


_PATRONYMIC = re.compile(r"(?:ovich|evich|ich|ovna|evna|ichna|inichna|ych|ovych|ivna|yevna|ievna)$", re.I)


def is_patronymic(word: str | None) -> bool:
    return bool(word) and bool(_PATRONYMIC.search(word or ""))


_PARTICLE = re.compile(r"^(?:al|el|bin|ibn|abu|de|van|von)[-']", re.I)


def _is_surname_token(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    if len(letters) < 2:
        return False
    # "Al-HOUTHI", "bin LADEN": a lower-case particle glued to a capitalised surname.
    core = _PARTICLE.sub("", token)
    return any(c.isalpha() for c in core) and core.upper() == core


def surname_first(full: str, kind: str = "name") -> Name | None:
    """A "SURNAME Given names" string (FCDO summary) with its parts."""
    tokens = full.split()
    n = 0
    while n < len(tokens) and _is_surname_token(tokens[n]):
        n += 1
    if 0 < n < len(tokens):
        return make_name(full, kind=kind, last=" ".join(tokens[:n]), first=" ".join(tokens[n:]))
    return make_name(full, kind=kind)


def surname_last(full: str, kind: str = "name") -> Name | None:
    """A "Given SURNAME" string (DFAT) with `last` set to the trailing capitals."""
    tokens = full.split()
    n = len(tokens)
    while n > 0 and _is_surname_token(tokens[n - 1]):
        n -= 1
    if 0 < n < len(tokens):
        return make_name(full, kind=kind, last=" ".join(tokens[n:]))
    return make_name(full, kind=kind)


# ------------------------------------------------------------------------ identifiers

_ID_LABEL = re.compile(
    r"(?P<label>"
    r"registration number\s*/\s*ogrn|tax id number\s*/\s*inn|bin\s*/\s*ogrn|inn\s*/\s*tin|унн\s*/\s*инн"
    r"|legal entity (?:identifier|number)|lei"
    r"|swift\s*/\s*bic|swift|bic"
    r"|vat(?: tax)? number|vat"
    r"|ogrn|psrn|state registration number|srn"
    r"|kpp|okpo|oktmo"
    r"|taxpayer identification number|tax identification number(?:\s*:\s*inn)?|taxpayer id|tax id(?: no\.?)?"
    r"|tax number|belarusian tax number|inn|tin|инн|унн"
    r"|unified social credit code|uscc"
    r"|company registration number|registration number|commercial register number|trade register number"
    r"|business registration number|business identification number|company no\.?"
    r"|cr no\.?|cr number|crn|brn|br|cr"
    r"|bin|uen id|usreou code|spark code|license number|government gazette number"
    r")(?![\w])"
    r"(?:\s*\((?:[^()]{0,40})\))?"
    r"[\s:.\-–]*(?:no\.?|number)?[\s:.\-–]*"
    r"(?P<value>[A-Z0-9][A-Z0-9/.\-]*(?:\s\d[\d]*)*)",
    re.I,
)
_DIGITS = re.compile(r"\D")
_LINES = re.compile(r"\s*\n\s*")
_PIECES = re.compile(r"\s*[;·]\s*|\.\s+")
_BARE_ID = re.compile(r"^([A-Z0-9][A-Za-z0-9 ./\-]*\d[A-Za-z0-9]*)\s*(?:\((.+?)\))?")


def _scheme(label: str, value: str, russian: bool) -> tuple[str, str]:
    label = " ".join(label.lower().split())
    digits = _DIGITS.sub("", value)
    if "ogrn" in label or label in ("psrn", "srn", "state registration number"):
        if len(digits) in (13, 15) and digits == value:
            return "ogrnCode", digits
        return "registrationNumber", value
    if label in ("kpp",):
        return "kppCode", value
    if label in ("okpo",):
        return "okpoCode", value
    if label in ("lei", "legal entity identifier", "legal entity number"):
        return "leiCode", value
    if label in ("swift/bic", "swift", "bic", "swift / bic"):
        return "swiftBic", value
    if label.startswith("vat"):
        return "vatCode", value
    if "inn" in label or "инн" in label or "tin" in label or "tax" in label:
        if digits == value and len(digits) in (10, 12) and (russian or "inn" in label):
            return "innCode", digits
        return "taxNumber", value
    return "registrationNumber", value


def registration_ids(text: str | None, russian: bool = False) -> list[Identifier]:
    """Company identifiers from a "Business Reg No"-style cell.

    Labelled values get their FtM scheme (INN, OGRN, KPP, LEI, SWIFT, VAT, tax and
    registration numbers); unlabelled numbers become registration numbers. The list's
    own label is kept in `note`. `russian` lets an unlabelled-country TIN count as INN.
    """
    out: list[Identifier] = []
    if not text:
        return out
    text = text.replace("\xa0", " ")
    russian = russian or "russia" in text.lower()
    parts = [p for chunk in values(text) for p in _LINES.split(chunk) if p.strip()]
    for part in parts:
        found = False
        for m in _ID_LABEL.finditer(part):
            value = m["value"].strip(" .-/")
            if not any(ch.isdigit() for ch in value):
                continue
            scheme, value = _scheme(m["label"], value, russian)
            note = " ".join(m["label"].split())
            land = "ru" if scheme in ("innCode", "ogrnCode", "kppCode", "okpoCode") else None
            add_unique(out, Identifier(scheme=scheme, value=value, country=land, note=note))
            found = True
        if not found:
            for piece in _PIECES.split(part):
                m2 = _BARE_ID.match(piece.strip())
                if m2:
                    label = clean(m2[2])
                    add_unique(
                        out,
                        Identifier(
                            scheme="registrationNumber",
                            value=m2[1].strip(),
                            country=country(label) if label else None,
                            note=label,
                        ),
                    )
    return out


# Values written after a label in prose: "Passport no.: Afghan SE-011697, issued ...".
_CLAUSE_END = re.compile(r"\.\s|\n|;")
_VALUE_TOKEN = re.compile(r"(?<![\w-])([A-Z]{0,3}[ -]?\d[\dA-Z/\-]{2,}|[A-Z]{1,3}\d[\dA-Z/\-]+)")


def labelled_numbers(text: str, label: re.Pattern[str], window: int = 45) -> list[tuple[str, str]]:
    """(number, text before it) for each occurrence of `label` followed by a number."""
    out: list[tuple[str, str]] = []
    for m in label.finditer(text):
        tail = text[m.end() : m.end() + window]
        tail = _CLAUSE_END.split(tail, maxsplit=1)[0]
        v = _VALUE_TOKEN.search(tail)
        if v:
            out.append((v[1].strip(" .-"), text[max(0, m.start() - 25) : m.end()] + tail[: v.start()]))
    return out


_NOT_COUNTRIES = {
    "passport",
    "national",
    "identification",
    "identity",
    "number",
    "card",
    "no",
    "issued",
    "travel",
}


def countries_in(words: Iterable[str]) -> str | None:
    """The first capitalised word that names a country ("Tunisian passport number ...")."""
    for w in words:
        if not w[:1].isupper() or w.lower() in _NOT_COUNTRIES:
            continue
        code = country(w)
        if code:
            return code
    return None
