"""Positive pairs (match: true) built from the real records."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable

from rapidfuzz import fuzz

from bench.eval import translit
from bench.eval.data import (
    Lists,
    dob_conflict,
    entity,
    fold,
    full_dates,
    id_key,
    imo_digits,
    names_in,
    primary,
    query,
    query_dob,
    tokens_key,
)
from bench.eval.pairs import Pair, rng_for, sample
from reckon.model import Name, Record

PERSONS = ("Person",)
ORGS = ("Company", "Organization", "LegalEntity")


def _with_dob(q: dict[str, object], rec: Record, on: bool) -> dict[str, object]:
    dob = query_dob(rec) if on and rec.schema == "Person" else None
    if dob:
        props = q["properties"]
        assert isinstance(props, dict)
        props["birthDate"] = [dob]
        q["properties"] = dict(sorted(props.items()))
    return q


def _first_name_of(rec: Record, script: str, lang: str | None = None) -> Name | None:
    for kinds in (("name",), ("alias",)):
        for n in names_in(rec, script, kinds):
            if lang is None or n.lang == lang:
                return n
    return None


# ---------------------------------------------------------------- cross-script


def _bi_script(L: Lists) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = {}
    for lst in ("ofsi", "au", "un", "ua"):
        out[lst] = [
            r
            for r in L.records(lst, schema=PERSONS + ORGS)
            if names_in(r, "Cyrl", ("name", "alias")) and names_in(r, "Latn", ("name", "alias"))
        ]
    return out


QUOTAS = {"ofsi": 70, "au": 15, "un": 15, "ua": 60}


def cyrillic_to_latin(L: Lists) -> list[Pair]:
    rng = rng_for("cyrillic_to_latin")
    out = []
    for lst, pool in _bi_script(L).items():
        for i, rec in enumerate(sample(rng, pool, QUOTAS[lst])):
            cyr = names_in(rec, "Cyrl", ("name", "alias"))
            qn = cyr[rng.randrange(len(cyr))]
            q = _with_dob(query(rec.schema, qn.full), rec, i % 3 == 0)
            cand = entity(rec, [n for n in rec.names if n.script not in ("Cyrl",)])
            out.append(
                Pair(
                    "cyrillic_to_latin",
                    q,
                    cand,
                    True,
                    {
                        "query_from": rec.key,
                        "how": "record's own Cyrillic name; candidate's Cyrillic names removed",
                    },
                )
            )
    return out


def latin_to_cyrillic(L: Lists) -> list[Pair]:
    rng = rng_for("latin_to_cyrillic")
    out = []
    for lst, pool in _bi_script(L).items():
        for i, rec in enumerate(sample(rng, pool, QUOTAS[lst])):
            lat = names_in(rec, "Latn", ("name", "alias"))
            qn = lat[0] if i % 2 == 0 else lat[rng.randrange(len(lat))]
            q = _with_dob(query(rec.schema, qn.full), rec, i % 3 == 0)
            cand = entity(rec, names_in(rec, "Cyrl"))
            out.append(
                Pair(
                    "latin_to_cyrillic",
                    q,
                    cand,
                    True,
                    {
                        "query_from": rec.key,
                        "how": "record's own Latin name; candidate keeps only its Cyrillic names",
                    },
                )
            )
    return out


def romanisation_schemes(L: Lists) -> list[Pair]:
    """Russian Cyrillic names romanised by iuliia schemes whose output the list does not carry."""
    rng = rng_for("romanisation_schemes")
    pool = []
    for rec in L.records("ofsi", "au", "un", "ua", schema=PERSONS):
        cyr = (
            _first_name_of(rec, "Cyrl", "rus")
            if rec.source == "ua_war_sanctions"
            else _first_name_of(rec, "Cyrl")
        )
        if cyr and names_in(rec, "Latn") and translit.ru(cyr.full, "WIKIPEDIA"):
            pool.append((rec, cyr))
    out = []
    schemes = translit.RU_SCHEMES
    for i, (rec, cyr) in enumerate(sample(rng, pool, 400)):
        latin = {fold(n.full) for n in names_in(rec, "Latn")} | {
            tokens_key(n.full) for n in names_in(rec, "Latn")
        }
        for step in range(len(schemes)):
            scheme = schemes[(i + step) % len(schemes)]
            rom = translit.ru(cyr.full, scheme)
            if rom and fold(rom) not in latin and tokens_key(rom) not in latin:
                break
        else:
            continue
        q = _with_dob(query("Person", rom), rec, i % 4 == 0)
        cand = entity(rec, [n for n in rec.names if n.script != "Cyrl"])
        out.append(
            Pair(
                "romanisation_schemes",
                q,
                cand,
                True,
                {"query_from": rec.key, "scheme": scheme.lower(), "cyrillic": cyr.full},
            )
        )
        if len(out) >= 192:
            break
    return out


def ru_vs_uk_forms(L: Lists) -> list[Pair]:
    rng = rng_for("ru_vs_uk_forms")
    out: list[Pair] = []
    both = []
    for rec in L.records("ua", schema=PERSONS):
        ukn, run = _first_name_of(rec, "Cyrl", "ukr"), _first_name_of(rec, "Cyrl", "rus")
        if not (ukn and run and fold(ukn.full) != fold(run.full)):
            continue
        rom = translit.uk(ukn.full)
        latin = {fold(n.full) for n in names_in(rec, "Latn")}
        if rom and fold(rom) not in latin:
            both.append((rec, ukn, run, rom))
    for i, (rec, ukn, run, rom) in enumerate(sample(rng, both, 130)):
        q = _with_dob(query("Person", rom), rec, i % 3 == 0)
        if i % 4 == 3:  # Ukrainian form, romanised, against the Russian Cyrillic form only
            cand = entity(rec, [run])
            how = "Ukrainian form (KMU 2010) vs the record's Russian Cyrillic name only"
        else:
            cand = entity(rec, [n for n in rec.names if n.script != "Cyrl"])
            how = "Ukrainian form (KMU 2010) vs the record's Latin names (Russian form romanised)"
        out.append(
            Pair("ru_vs_uk_forms", q, cand, True, {"query_from": rec.key, "ukrainian": ukn.full, "how": how})
        )
    out.extend(_ua_cross_list(L, {r.key: (u, rom) for r, u, _, rom in both}))
    return out


def _ua_cross_list(L: Lists, ua_uk: dict[str, tuple[Name, str]]) -> list[Pair]:
    """ua person = the same person on OFSI/AU/UN (same Russian Cyrillic name and exact DOB) or
    on OFAC (shared INN or passport and a shared exact DOB)."""
    cyr_index: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for rec in L.records("ofsi", "au", "un", schema=PERSONS):
        for n in names_in(rec, "Cyrl"):
            for d in full_dates(rec):
                cyr_index[(tokens_key(n.full), d)].append(rec)
    id_index: dict[str, list[Record]] = defaultdict(list)
    for rec in L.records("ofac", "ofsi", "au", "un", schema=PERSONS):
        for i in rec.identifiers:
            if i.scheme in ("innCode", "passportNumber") and len(id_key(i.value)) >= 8:
                id_index[id_key(i.value)].append(rec)
    out = []
    for key in sorted(ua_uk):
        rec = L.by_key[key]
        ukn, rom = ua_uk[key]
        others: dict[str, str] = {}
        for n in names_in(rec, "Cyrl"):
            for d in full_dates(rec):
                for o in cyr_index.get((tokens_key(n.full), d), []):
                    others.setdefault(o.key, "same Cyrillic name and birth date")
        for i in rec.identifiers:
            for o in id_index.get(id_key(i.value), []):
                if full_dates(rec) & full_dates(o):
                    others.setdefault(o.key, f"shared {i.scheme} {i.value} and birth date")
        for okey, why in sorted(others.items()):
            o = L.by_key[okey]
            if dob_conflict(rec, o, 1):
                continue
            q = query("Person", rom, birthDate=sorted(full_dates(rec))[0])
            out.append(
                Pair(
                    "ru_vs_uk_forms",
                    q,
                    entity(o),
                    True,
                    {"query_from": rec.key, "ukrainian": ukn.full, "how": f"cross-list: {why}"},
                )
            )
    return out


# ---------------------------------------------------------------- name order and parts


def _title(s: str) -> str:
    return " ".join(w.capitalize() if w.isupper() else w for w in s.split())


def name_order_and_parts(L: Lists) -> list[Pair]:
    rng = rng_for("name_order_and_parts")
    pool = []
    for rec in L.records("ofsi", "ua", "un", "ofac", schema=PERSONS):
        n = primary(rec)
        if (
            n
            and n.first
            and n.last
            and len(n.last) > 1
            and not re.search(r"[.,()'\d]", (n.first or "") + (n.father or "") + (n.middle or ""))
        ):
            pool.append((rec, n))
    variants: list[tuple[str, Callable[[Name], str | None]]] = [
        ("surname_comma", lambda n: f"{n.last}, {' '.join(p for p in (n.first, n.father or n.middle) if p)}"),
        (
            "drop_patronymic",
            lambda n: f"{n.first} {_title(n.last or '')}" if (n.father or n.middle) else None,
        ),
        (
            "initials",
            lambda n: (
                " ".join(
                    f"{p[0].upper()}."
                    for p in " ".join(x for x in (n.first, n.father or n.middle) if x).split()
                )
                + " "
                + _title(n.last or "")
            ),
        ),
        ("surname_first", lambda n: f"{n.last} {' '.join(p for p in (n.first, n.father or n.middle) if p)}"),
        (
            "given_surname_lower",
            lambda n: f"{n.first} {n.father or n.middle or ''} {n.last}".lower().replace("  ", " "),
        ),
        (
            "drop_middle_given",
            lambda n: f"{n.first.split()[0]} {n.last}" if n.first and len(n.first.split()) > 1 else None,
        ),
    ]
    out = []
    per = 30
    for vname, fn in variants:
        cands = [(r, n) for r, n in pool if fn(n)]
        got = 0
        for rec, n in sample(rng, cands, 10 * per):
            qn = fn(n)
            assert qn
            if fold(qn) in {fold(x.full) for x in rec.names}:
                continue
            q = _with_dob(query("Person", qn), rec, got % 3 == 0)
            out.append(
                Pair(
                    "name_order_and_parts",
                    q,
                    entity(rec),
                    True,
                    {"query_from": rec.key, "variant": vname, "from_name": n.full},
                )
            )
            got += 1
            if got >= per:
                break
    return out


# ---------------------------------------------------------------- noise

QWERTY = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
NEIGHBOURS: dict[str, str] = {}
for r, row in enumerate(QWERTY):
    for c, ch in enumerate(row):
        near = [row[c - 1] if c > 0 else "", row[c + 1] if c + 1 < len(row) else ""]
        for rr in (r - 1, r + 1):
            if 0 <= rr < 3:
                near += [QWERTY[rr][cc] for cc in (c - 1, c, c + 1) if 0 <= cc < len(QWERTY[rr])]
        NEIGHBOURS[ch] = "".join(x for x in near if x)
OCR = [
    ("O", "0"),
    ("o", "0"),
    ("l", "1"),
    ("I", "1"),
    ("I", "l"),
    ("m", "rn"),
    ("rn", "m"),
    ("S", "5"),
    ("B", "8"),
    ("d", "cl"),
    ("e", "c"),
    ("Z", "2"),
]
LAT2CYR = dict(zip("AaBCcEeHKMOoPpTXxy", "АаВСсЕеНКМОоРрТХху", strict=True))
CYR2LAT = {v: k for k, v in LAT2CYR.items()}
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
ACCENT = {"a": "á", "e": "é", "i": "í", "o": "ó", "u": "ü", "c": "ç", "n": "ñ", "s": "š", "z": "ž"}


def _letters(s: str) -> list[int]:
    """Positions of letters inside words, not a word's first letter."""
    return [i for i, c in enumerate(s) if c.isalpha() and i > 0 and s[i - 1].isalpha()]


def _noise(kind: str, s: str, rng: object) -> str | None:
    import random

    assert isinstance(rng, random.Random)
    pos = _letters(s)
    if not pos:
        return None
    if kind == "typo_adjacent_key":
        cands = [i for i in pos if s[i].lower() in NEIGHBOURS]
        if not cands:
            return None
        i = rng.choice(cands)
        rep = rng.choice(NEIGHBOURS[s[i].lower()])
        return s[:i] + (rep.upper() if s[i].isupper() else rep) + s[i + 1 :]
    if kind == "typo_transposition":
        cands = [i for i in pos if i + 1 < len(s) and s[i + 1].isalpha() and s[i] != s[i + 1]]
        if not cands:
            return None
        i = rng.choice(cands)
        return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    if kind == "typo_deletion":
        i = rng.choice(pos)
        return s[:i] + s[i + 1 :]
    if kind == "ocr_confusion":
        opts = [(a, b) for a, b in OCR if a in s[1:]]
        if not opts:
            return None
        a, b = rng.choice(opts)
        idx = [m.start() for m in re.finditer(re.escape(a), s) if m.start() > 0]
        i = rng.choice(idx)
        return s[:i] + b + s[i + len(a) :]
    if kind == "homoglyph":
        table = CYR2LAT if re.search(r"[\u0400-\u04ff]", s) else LAT2CYR
        idx = [i for i, c in enumerate(s) if c in table]
        if len(idx) < 2:
            return None
        chosen = sorted(rng.sample(idx, min(len(idx), rng.choice((1, 2, 3)))))
        return "".join(table[c] if i in chosen else c for i, c in enumerate(s))
    if kind == "invisible_chars":
        i = rng.choice(pos)
        return s[:i] + rng.choice(INVISIBLE) + s[i:]
    if kind == "spacing_case":
        words = s.split()
        choice = rng.randrange(3)
        if choice == 0:
            return "  ".join(words).lower() if len(words) > 1 else None
        if choice == 1:
            return " " + " ".join(w.upper() for w in words) + "  "
        return " ".join(w.swapcase() if k % 2 else w for k, w in enumerate(words)).replace(" ", " \t", 1)
    if kind == "diacritics":
        stripped = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
        if stripped != s:
            return unicodedata.normalize("NFC", stripped)
        cands = [i for i in pos if s[i].lower() in ACCENT]
        if not cands:
            return None
        i = rng.choice(cands)
        rep = ACCENT[s[i].lower()]
        return s[:i] + (rep.upper() if s[i].isupper() else rep) + s[i + 1 :]
    raise ValueError(kind)


NOISE_KINDS = (
    "typo_adjacent_key",
    "typo_transposition",
    "typo_deletion",
    "ocr_confusion",
    "homoglyph",
    "invisible_chars",
    "spacing_case",
    "diacritics",
)


def noise(L: Lists) -> list[Pair]:
    rng = rng_for("noise")
    pool = []
    for rec in L.records("ofsi", "ofac", "un", "au", "ua", schema=PERSONS + ORGS):
        for script in ("Latn", "Cyrl"):
            n = primary(rec, script)
            if n and len(n.full) >= 10 and len(n.full.split()) >= 2:
                pool.append((rec, n))
    out = []
    per = 20
    for kind in NOISE_KINDS:
        got = 0
        for rec, n in sample(rng, pool, 20 * per):
            if kind != "homoglyph" and script_is_cyrl(n.full) and got % 4:
                continue  # mostly Latin names, a quarter Cyrillic
            noisy = _noise(kind, n.full, rng)
            if not noisy or noisy == n.full:
                continue
            q = _with_dob(query(rec.schema, noisy), rec, got % 4 == 0)
            out.append(
                Pair(
                    "noise", q, entity(rec), True, {"query_from": rec.key, "noise": kind, "original": n.full}
                )
            )
            got += 1
            if got >= per:
                break
    return out


def script_is_cyrl(s: str) -> bool:
    return bool(re.search(r"[\u0400-\u04ff]", s))


# ---------------------------------------------------------------- companies

LEGAL_FORMS: dict[str, list[str]] = {
    "llc": [
        "OOO",
        "LLC",
        "Limited Liability Company",
        "Obshchestvo s Ogranichennoy Otvetstvennostyu",
        "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU",
    ],
    "pjsc": [
        "PAO",
        "PJSC",
        "Public Joint Stock Company",
        "Public Joint-Stock Company",
        "Publichnoe Aktsionernoe Obshchestvo",
    ],
    "ojsc": [
        "OAO",
        "OJSC",
        "Open Joint Stock Company",
        "Open Joint-Stock Company",
        "Otkrytoe Aktsionernoe Obshchestvo",
    ],
    "cjsc": [
        "ZAO",
        "CJSC",
        "Closed Joint Stock Company",
        "Closed Joint-Stock Company",
        "Zakrytoe Aktsionernoe Obshchestvo",
    ],
    "jsc": ["AO", "JSC", "Joint Stock Company", "Joint-Stock Company", "Aktsionernoe Obshchestvo"],
    "fsue": ["FGUP", "FSUE", "Federal State Unitary Enterprise"],
}
LEGAL_FORMS_CYRL: dict[str, list[str]] = {
    "llc": ["ООО", "Общество с ограниченной ответственностью"],
    "pjsc": ["ПАО", "Публичное акционерное общество"],
    "ojsc": ["ОАО", "Открытое акционерное общество"],
    "cjsc": ["ЗАО", "Закрытое акционерное общество"],
    "jsc": ["АО", "Акционерное общество"],
}


def _find_form(name: str) -> tuple[str, str, re.Match[str]] | None:
    table = LEGAL_FORMS_CYRL if script_is_cyrl(name) else LEGAL_FORMS
    spellings = sorted(((s, fam) for fam, ss in table.items() for s in ss), key=lambda x: -len(x[0]))
    for spelling, fam in spellings:
        pat = (
            r"(?<![\w-])"
            + re.escape(spelling).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]+")
            + r"(?![\w-])"
        )
        found = list(re.finditer(pat, name, flags=re.IGNORECASE))
        if len(found) == 1:
            # "JOINT STOCK COMPANY" inside "PUBLIC JOINT STOCK COMPANY" is caught by the longer spelling first
            before = name[: found[0].start()].rstrip().split()
            if (
                fam == "jsc"
                and before
                and before[-1].upper()
                in {"PUBLIC", "OPEN", "CLOSED", "PRIVATE", "NON-PUBLIC", "NONPUBLIC", "NON", "PROFESSIONAL"}
            ):
                return None
            return spelling, fam, found[0]
        if len(found) > 1:
            return None
    return None


QUOTES = re.compile(r"[\"«»“”„']")


def _swap_form(name: str, rng: object) -> tuple[str, str] | None:
    import random

    assert isinstance(rng, random.Random)
    found = _find_form(name)
    if not found:
        return None
    spelling, fam, m = found
    table = LEGAL_FORMS_CYRL if script_is_cyrl(name) else LEGAL_FORMS
    others = [s for s in table[fam] if fold(s) != fold(spelling)]
    new = rng.choice(others)
    rest = (name[: m.start()] + " " + name[m.end() :]).strip(" ,")
    rest = " ".join(rest.split()).strip(" ,")
    if not rest:
        return None
    core = QUOTES.sub("", rest).strip() if QUOTES.search(rest) else rest
    style = rng.randrange(4)
    if QUOTES.search(rest):
        core = [core, rest][style % 2]  # quotes removed, or kept as they were
    elif style == 0:
        core = f"«{core}»"
    elif style == 1:
        core = f'"{core}"'
    if name.upper() == name:
        new = new.upper()
    result = f"{new} {core}" if rng.random() < 0.6 else f"{core}, {new}" if style == 2 else f"{core} {new}"
    return result, f"{spelling} -> {new}"


def company_legal_forms(L: Lists) -> list[Pair]:
    rng = rng_for("company_legal_forms")
    out = []
    pool = []
    for rec in L.records("ofsi", "ofac", "csl", "au", "ua", schema=ORGS):
        if rec.source == "us_trade_csl" and any(lk.relation == "same_as" for lk in rec.links):
            continue  # CSL's copy of an SDN row: OFAC itself is in the pool
        for script in ("Latn", "Cyrl"):
            n = primary(rec, script)
            if n and _find_form(n.full):
                pool.append((rec, n))
    by_list: dict[str, list[tuple[Record, Name]]] = defaultdict(list)
    for rec, n in pool:
        by_list[rec.source].append((rec, n))
    quotas = {
        "gb_hmt_sanctions": 30,
        "us_ofac_sdn": 35,
        "us_trade_csl": 15,
        "au_dfat_sanctions": 15,
        "ua_war_sanctions": 35,
    }
    for src in sorted(by_list):
        got = 0
        for rec, n in sample(rng, by_list[src], 5 * quotas[src]):
            swapped = _swap_form(n.full, rng)
            if not swapped or fold(swapped[0]) in {fold(x.full) for x in rec.names}:
                continue
            q = query(rec.schema, swapped[0])
            out.append(
                Pair(
                    "company_legal_forms",
                    q,
                    entity(rec),
                    True,
                    {"query_from": rec.key, "original": n.full, "swap": swapped[1]},
                )
            )
            got += 1
            if got >= quotas[src]:
                break
    out.extend(_company_cross_list(L, rng))
    return out


def _company_cross_list(L: Lists, rng: object, k: int = 60) -> list[Pair]:
    """Companies on two lists sharing an INN or OGRN (ua, OFAC, OFSI; CSL and FCDO are copies)."""
    import random

    assert isinstance(rng, random.Random)
    index: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for rec in L.records("ofsi", "ofac", "ua", schema=ORGS):
        for i in rec.identifiers:
            if i.scheme in ("innCode", "ogrnCode") and len(id_key(i.value)) >= 10:
                index[(i.scheme, id_key(i.value))].append(rec)
    found: dict[tuple[str, str], str] = {}
    for (scheme, value), recs in sorted(index.items()):
        for a in recs:
            for b in recs:
                if a.source < b.source:
                    found.setdefault((a.key, b.key), f"{scheme} {value}")
    out = []
    for (ka, kb), why in sample(rng, sorted(found.items()), k):
        a, b = (L.by_key[ka], L.by_key[kb]) if rng.random() < 0.5 else (L.by_key[kb], L.by_key[ka])
        n = primary(a) or primary(a, None)
        if not n:
            continue
        inn = [i.value for i in a.identifiers if i.scheme == "innCode"] if rng.random() < 0.4 else None
        q = query(a.schema, n.full, innCode=inn[:1] if inn else None)
        out.append(
            Pair(
                "company_legal_forms", q, entity(b), True, {"query_from": a.key, "evidence": f"shared {why}"}
            )
        )
    return out


# ---------------------------------------------------------------- vessels

VESSEL_LISTS = ("ofsi", "ofac", "au", "ua")


def vessel_imo_index(L: Lists) -> dict[str, list[Record]]:
    index: dict[str, list[Record]] = defaultdict(list)
    for rec in L.records(*VESSEL_LISTS, schema=("Vessel",)):
        for imo in sorted(
            {d for i in rec.identifiers if i.scheme == "imoNumber" and (d := imo_digits(i.value))}
        ):
            index[imo].append(rec)
    return index


def vessels_imo(L: Lists) -> list[Pair]:
    rng = rng_for("vessels_imo")
    by_pair: dict[tuple[str, str], list[tuple[str, Record, Record]]] = defaultdict(list)
    for imo, recs in sorted(vessel_imo_index(L).items()):
        for a in recs:
            for b in recs:
                if a.source != b.source:
                    by_pair[(a.source, b.source)].append((imo, a, b))
    out = []
    quota = {k: 12 for k in by_pair}
    for k in by_pair:
        if "ua_war_sanctions" in k and ("au_dfat_sanctions" in k or "us_ofac_sdn" in k):
            quota[k] = 30
    for k in sorted(by_pair):
        for j, (imo, a, b) in enumerate(sample(rng, by_pair[k], quota[k])):
            n = primary(a) or primary(a, None)
            if not n:
                continue
            if j % 3 == 2:
                bnames = [fold(x.full) for x in b.names]
                if not any(fuzz.ratio(fold(n.full), bn) >= 90 for bn in bnames):
                    continue
                prefix = rng.choice(["", "MV ", "M/T ", "MT "])
                q = query("Vessel", prefix + n.full)
                how = "name only (a name of the other list's record)"
            else:
                q = query("Vessel", n.full, imoNumber=f"IMO{imo}")
                how = "name + IMO"
            out.append(Pair("vessels_imo", q, entity(b), True, {"query_from": a.key, "imo": imo, "how": how}))
    return out


# ---------------------------------------------------------------- cross-list gold


def cross_list_gold(L: Lists) -> list[Pair]:
    rng = rng_for("cross_list_gold")
    out: list[Pair] = []

    def add(
        a: Record, b: Record, evidence: str, dob: bool = True, extra: dict[str, list[str]] | None = None
    ) -> None:
        n = primary(a) or primary(a, None)
        if n is None:
            return
        q = query(a.schema, n.full, **(extra or {}))
        q = _with_dob(q, a, dob)
        out.append(Pair("cross_list_gold", q, entity(b), True, {"query_from": a.key, "evidence": evidence}))

    # OFSI Group ID <-> FCDO Unique ID, as OFSI states it
    ofsi_fcdo = []
    for rec in L.records("ofsi"):
        for lk in rec.links:
            if lk.relation == "same_as" and lk.target_id in L.by_key and lk.target_id.startswith("gb_fcdo"):
                ofsi_fcdo.append((rec, L.by_key[lk.target_id]))
    for j, (o, f) in enumerate(sample(rng, ofsi_fcdo, 50)):
        if j % 2:
            add(f, o, f"same_as: {o.key} -> {f.key}")
        else:
            add(o, f, f"same_as: {o.key} -> {f.key}")
    # CSL row <-> OFAC SDN ent_num
    csl_ofac = []
    for rec in L.records("csl"):
        for lk in rec.links:
            if lk.relation == "same_as" and lk.target_id in L.by_key:
                csl_ofac.append((rec, L.by_key[lk.target_id]))
    for c, o in sample(rng, csl_ofac, 50):
        add(c, o, f"same_as: {c.key} -> {o.key}")
    # UN reference numbers quoted by OFSI and AU
    un_refs = {r.id: r for r in L.records("un")}
    quoted = []
    for rec in L.records("ofsi", "au"):
        for ref in sorted({d.unsc_id for d in rec.designations if d.unsc_id}):
            if ref in un_refs:
                quoted.append((rec, un_refs[ref], ref))
    for j, (r, u, ref) in enumerate(sample(rng, quoted, 50)):
        if j % 3 == 2:
            add(u, r, f"UN reference {ref}")
        else:
            add(r, u, f"UN reference {ref}")
    # shared passport number and exact birth date, across lists (CSL and FCDO left out: copies)
    index: dict[str, list[Record]] = defaultdict(list)
    for rec in L.records("ofsi", "ofac", "au", "un", "ua", schema=PERSONS):
        for i in rec.identifiers:
            v = (
                re.sub(r"\D", "", i.value)
                if i.scheme == "passportNumber" and re.search(r"\d{6,}", i.value)
                else None
            )
            if v and len(v) >= 6:
                index[v].append(rec)
    pp = {}
    for num, recs in sorted(index.items()):
        for a in recs:
            for b in recs:
                if a.source < b.source and full_dates(a) & full_dates(b) and not dob_conflict(a, b, 1):
                    pp[(a.key, b.key)] = num
    for (ka, kb), num in sample(rng, sorted(pp.items()), 50):
        a, b = L.by_key[ka], L.by_key[kb]
        if rng.random() < 0.5:
            a, b = b, a
        passport = next(
            i.value
            for i in a.identifiers
            if i.scheme == "passportNumber" and num in re.sub(r"\D", "", i.value)
        )
        add(a, b, f"passport {num} + birth date", extra={"passportNumber": [passport]})
    return out


ALL = [
    cyrillic_to_latin,
    latin_to_cyrillic,
    romanisation_schemes,
    ru_vs_uk_forms,
    name_order_and_parts,
    noise,
    company_legal_forms,
    vessels_imo,
    cross_list_gold,
]
