"""Load the real list records and turn them into FtM entity dicts (yente's /match shape)."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reckon.model import Name, Record

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("RECKON_SHARED_DATA", ROOT.parent / "shared" / "data"))
LISTS = SHARED / "lists"
DEV = SHARED / "matching-dev"

# short name -> (parser import path, file); the record keys use the parsers' own source names.
FILES: dict[str, tuple[str, str, Path]] = {
    "ofsi": ("reckon.sources.uk", "parse_ofsi", LISTS / "uk_ofsi" / "ConList_2025-04-14.xlsx"),
    "fcdo": ("reckon.sources.uk_fcdo", "parse_fcdo_ods", LISTS / "uk_fcdo" / "FCDO_SL_Mon_Aug 11 2025.ods"),
    "ofac": ("reckon.sources.ofac", "parse_legacy_csv", LISTS / "ofac_sdn_history" / "sdn_2024-05-03.csv"),
    "csl": ("reckon.sources.csl", "parse_csl", LISTS / "us_csl" / "consolidated.csv.gz"),
    "un": ("reckon.sources.un", "parse_un", LISTS / "un" / "UN_consolidated_2026-02-27.xml"),
    "au": (
        "reckon.sources.au",
        "parse_dfat",
        LISTS / "au" / "Australian_Sanctions_Consolidated_List_2026-02.xlsx",
    ),
    "ua": (
        "reckon.sources.ftm",
        "parse_targets_simple",
        SHARED / "candidates" / "ua_war_sanctions.targets.simple.csv.gz",
    ),
}

SCHEMATA = ("Person", "Company", "Organization", "LegalEntity", "Vessel")
NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
OTHER_PROPS = ("nationality", "citizenship", "country", "gender")
ID_PROPS = (
    "passportNumber", "idNumber", "innCode", "ogrnCode", "okpoCode", "kppCode", "taxNumber",
    "registrationNumber", "vatCode", "leiCode", "swiftBic", "imoNumber", "mmsi", "callSign",
    "cryptoWallet", "socialSecurityNumber", "dunsCode",
)  # fmt: skip


@dataclass
class Lists:
    by_list: dict[str, list[Record]]
    by_key: dict[str, Record]

    def records(self, *names: str, schema: Iterable[str] = SCHEMATA) -> list[Record]:
        wanted = set(schema)
        out = [r for n in names for r in self.by_list[n] if r.schema in wanted]
        return sorted(out, key=lambda r: r.key)


def load() -> Lists:
    import importlib

    by_list: dict[str, list[Record]] = {}
    for short, (module, func, path) in FILES.items():
        parse = getattr(importlib.import_module(module), func)
        by_list[short] = list(parse(path).records)
    by_key = {r.key: r for recs in by_list.values() for r in recs}
    return Lists(by_list, by_key)


# ---------------------------------------------------------------- text helpers

CYRL = re.compile(r"[\u0400-\u04ff]")
LATN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def script_of(name: Name) -> str | None:
    if name.script:
        return name.script
    if CYRL.search(name.full):
        return "Cyrl"
    if LATN.search(name.full):
        return "Latn"
    return None


def fold(text: str) -> str:
    """Case, accents, punctuation and spacing folded away (for comparing, never for output)."""
    text = unicodedata.normalize("NFKD", text.replace("ё", "е").replace("Ё", "Е"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[^\w]+", " ", text, flags=re.UNICODE).replace("_", " ")
    return " ".join(text.split())


def tokens_key(text: str) -> str:
    return " ".join(sorted(fold(text).split()))


def imo_digits(value: str) -> str | None:
    digits = re.sub(r"\D", "", value)
    if len(digits) != 7:
        return None
    check = sum(int(d) * w for d, w in zip(digits[:6], range(7, 1, -1), strict=True)) % 10
    return digits if check == int(digits[6]) else None


def id_key(value: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", value).upper()


def years(rec: Record) -> set[int]:
    """Birth years a record allows: ranges expanded, approximate dates widened by a year."""
    out: set[int] = set()
    for d in rec.birth_dates:
        try:
            start = int(d.value[:4])
            end = int(d.until[:4]) if d.until else start
        except ValueError:
            continue
        if d.approximate:
            start, end = start - 1, end + 1
        out.update(range(start, end + 1))
    return out


def dob_conflict(a: Record, b: Record, gap: int = 2) -> bool:
    ya, yb = years(a), years(b)
    return bool(ya and yb) and min(abs(x - y) for x in ya for y in yb) >= gap


def full_dates(rec: Record) -> set[str]:
    return {d.value for d in rec.birth_dates if len(d.value) == 10 and not d.approximate and not d.until}


# ---------------------------------------------------------------- FtM entities


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for v in values:
        v = v.strip()
        if v and v not in seen:
            seen[v] = None
    return list(seen)


def entity(
    rec: Record,
    names: Sequence[Name] | None = None,
    *,
    with_id: bool = True,
    ids: bool = True,
    dates: bool = True,
) -> dict[str, object]:
    """A candidate: the record trimmed to what matching uses (names, DOB, countries, gender, ids)."""
    props: dict[str, list[str]] = {}
    chosen = rec.names if names is None else names
    for kind in NAME_PROPS:
        vals = _unique(n.full for n in chosen if n.kind == kind)
        if vals:
            props[kind] = vals
    if "name" not in props:  # a record whose only names were filtered out keeps its first as name
        for kind in NAME_PROPS[1:]:
            if kind in props:
                props["name"] = [props[kind].pop(0)]
                if not props[kind]:
                    del props[kind]
                break
    if dates and rec.schema == "Person":
        bd = _unique(d.value for d in rec.birth_dates)
        if bd:
            props["birthDate"] = bd
    for prop in OTHER_PROPS + (("flag",) if rec.schema == "Vessel" else ()):
        vals = _unique(rec.properties.get(prop, []))
        if vals:
            props[prop] = vals
    if ids:
        for scheme in ID_PROPS:
            vals = _unique(i.value for i in rec.identifiers if i.scheme == scheme)
            if vals:
                props[scheme] = vals
    out: dict[str, object] = {"schema": rec.schema, "properties": dict(sorted(props.items()))}
    if with_id:
        out = {"id": rec.key, **out}
    return out


def query(schema: str, name: str | list[str], **props: list[str] | str | None) -> dict[str, object]:
    """A query entity: what a user would type or hold."""
    out: dict[str, list[str]] = {"name": [name] if isinstance(name, str) else list(name)}
    for key, val in props.items():
        if val:
            out[key] = [val] if isinstance(val, str) else list(val)
    return {"schema": schema, "properties": dict(sorted(out.items()))}


def names_in(rec: Record, script: str | None = None, kinds: Iterable[str] = NAME_PROPS) -> list[Name]:
    ks = set(kinds)
    return [n for n in rec.names if n.kind in ks and (script is None or script_of(n) == script)]


def primary(rec: Record, script: str | None = "Latn") -> Name | None:
    for kinds in (("name",), ("alias",), ("previousName",)):
        got = names_in(rec, script, kinds)
        if got:
            return got[0]
    return None


def query_dob(rec: Record) -> str | None:
    """One birth date as a user would hold it (a full date if the record has one)."""
    full = sorted(full_dates(rec))
    if full:
        return full[0]
    vals = sorted(d.value for d in rec.birth_dates if not d.until)
    return vals[0] if vals else None
