"""Hard negatives (match: false): different real entities that look alike.

"Different" is decided conservatively: the two records must not be joined by any hard
evidence (a same_as link, a UN reference, a shared INN/OGRN/IMO/passport/registration number,
or the same name with the same exact birth date), and for people the lists' birth dates
must disagree by at least two years on every combination.
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import combinations

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

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
    years,
)
from bench.eval.pairs import Pair, rng_for, sample
from bench.eval.positives import LEGAL_FORMS, ORGS, PERSONS, _find_form
from reckon.model import Record
from reckon.names.tables import country_table

NEG_LISTS = ("ofsi", "ofac", "un", "au", "ua")  # FCDO and CSL are copies of OFSI and OFAC rows


class Clusters:
    """Union-find over every record of every list, joined by hard evidence."""

    def __init__(self, L: Lists) -> None:
        self.parent: dict[str, str] = {k: k for k in L.by_key}
        keyed: dict[str, list[str]] = defaultdict(list)
        for rec in L.by_key.values():
            for lk in rec.links:
                if lk.relation == "same_as" and lk.target_id in self.parent:
                    self.union(rec.key, lk.target_id)
            for d in rec.designations:
                if d.unsc_id:
                    keyed[f"un:{d.unsc_id}"].append(rec.key)
            if rec.source == "un_sc_sanctions":
                keyed[f"un:{rec.id}"].append(rec.key)
            for i in rec.identifiers:
                v = id_key(i.value)
                digits = re.sub(r"\D", "", i.value)
                if i.scheme == "imoNumber" and imo_digits(i.value):
                    keyed[f"imo:{imo_digits(i.value)}"].append(rec.key)
                elif len(v) >= 6:
                    keyed[f"id:{v}"].append(rec.key)
                    if len(digits) >= 6:
                        keyed[f"digits:{digits}"].append(rec.key)
            for n in rec.names:
                for d in full_dates(rec):
                    keyed[f"nd:{tokens_key(n.full)}:{d}"].append(rec.key)
        for keys in keyed.values():
            for k in keys[1:]:
                self.union(keys[0], k)

    def find(self, k: str) -> str:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def same(self, a: Record, b: Record) -> bool:
        return self.find(a.key) == self.find(b.key)


def _names_overlap(a: Record, b: Record, cutoff: float = 92) -> bool:
    """Some name of one is (nearly) some name of the other."""
    fa = {fold(n.full) for n in a.names if n.kind != "weakAlias"}
    fb = {fold(n.full) for n in b.names if n.kind != "weakAlias"}
    return any(fuzz.ratio(x, y) >= cutoff for x in fa for y in fb)


def _programs(rec: Record) -> set[str]:
    return {p for d in rec.designations for p in d.programs}


def _separate_entries(a: Record, b: Record) -> bool:
    """Two entries of one list that the list itself keeps apart within one regime.

    OFSI (and others) sometimes list one person twice under different regimes, with
    different birth dates (e.g. Iran and Iran (Nuclear)); such pairs are not used.
    """
    pa, pb = _programs(a), _programs(b)
    return a.source == b.source and (not pa or not pb or bool(pa & pb))


def _similar(names: list[str], cutoff: int) -> list[tuple[int, int, int]]:
    """Index pairs (i < j) whose fuzz.ratio is at least cutoff (no numpy: one extract per name)."""
    out = []
    for i, name in enumerate(names):
        for _, score, j in process.extract(name, names, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None):
            if j > i:
                out.append((i, j, int(score)))
    return sorted(out)


def _q(rec: Record, name: str, dob: bool) -> dict[str, object]:
    return query(rec.schema, name, birthDate=query_dob(rec) if dob and rec.schema == "Person" else None)


def neg_same_surname(L: Lists, C: Clusters) -> list[Pair]:
    rng = rng_for("neg_same_surname")
    groups: dict[str, list[tuple[Record, str, str]]] = defaultdict(list)
    for rec in L.records(*NEG_LISTS, schema=PERSONS):
        n = primary(rec)
        if n and n.first and n.last and len(fold(n.last)) >= 4 and years(rec):
            groups[fold(n.last)].append((rec, n.full, fold(n.first).split()[0]))
    found = []
    for surname in sorted(groups):
        members = groups[surname]
        pairs = []
        for (a, na, ga), (b, _nb, gb) in combinations(members, 2):
            if fuzz.ratio(ga, gb) >= 60 or ga[:3] == gb[:3] or C.same(a, b) or not dob_conflict(a, b):
                continue
            if _names_overlap(a, b, 85):
                continue
            pairs.append((a, na, b))
        found.extend(sample(rng, pairs, 2))  # at most two pairs per surname
    out = []
    for j, (a, na, b) in enumerate(sample(rng, found, 150)):
        if rng.random() < 0.5:
            a, b = b, a
            na = (primary(a) or a.names[0]).full
        out.append(
            Pair(
                "neg_same_surname",
                _q(a, na, j % 2 == 0),
                entity(b),
                False,
                {"query_from": a.key, "why": "same surname, different given name, birth years >= 2 apart"},
            )
        )
    return out


def neg_conflicting_dob(L: Lists, C: Clusters) -> list[Pair]:
    rng = rng_for("neg_conflicting_dob")
    groups: dict[str, list[tuple[Record, str]]] = defaultdict(list)
    for rec in L.records(*NEG_LISTS, schema=PERSONS):
        if not years(rec):
            continue
        for n in names_in(rec, "Latn", ("name",)):
            key = tokens_key(n.full)
            if len(key.split()) >= 2 and len(key) >= 8:
                groups[key].append((rec, n.full))
    found: dict[tuple[str, str], tuple[Record, str, Record]] = {}
    for key in sorted(groups):
        for (a, na), (b, _nb) in combinations(groups[key], 2):
            # same list only: across lists a namesake "conflict" is too often one person whose
            # birth year one list got wrong (same day and month, same misspelt patronymic)
            if a.key == b.key or not _separate_entries(a, b) or C.same(a, b) or not dob_conflict(a, b, 2):
                continue
            if {d[5:] for d in full_dates(a)} & {d[5:] for d in full_dates(b)}:
                continue
            if True:
                found.setdefault((a.key, b.key), (a, na, b))
    # the same two people on other lists: records joined to each side by hard evidence
    apart = {(C.find(a.key), C.find(b.key)) for a, _, b in found.values()}
    apart |= {(y, x) for x, y in apart}
    for key in sorted(groups):
        for (a, na), (b, _nb) in combinations(groups[key], 2):
            if (C.find(a.key), C.find(b.key)) in apart and dob_conflict(a, b, 2):
                found.setdefault((a.key, b.key), (a, na, b))
    out = []
    for a, na, b in sample(rng, [found[k] for k in sorted(found)], 150):
        out.append(
            Pair(
                "neg_conflicting_dob",
                _q(a, na, True),
                entity(b),
                False,
                {
                    "query_from": a.key,
                    "why": "namesakes on one list (separate entries): same name, birth years >= 2 apart, nothing shared",
                },
            )
        )
    real = len(out)
    if real < 100:  # top up: a real name with the birth date of a different real person
        pool = [r for r in L.records(*NEG_LISTS, schema=PERSONS) if full_dates(r) and primary(r)]
        donors = sample(rng, pool, 2000)
        for rec in sample(rng, pool, 400):
            donor = next((d for d in donors if dob_conflict(rec, d, 5)), None)
            if donor is None:
                continue
            n = primary(rec)
            assert n is not None
            q = query("Person", n.full, birthDate=sorted(full_dates(donor))[0])
            out.append(
                Pair(
                    "neg_conflicting_dob",
                    q,
                    entity(rec),
                    False,
                    {
                        "query_from": rec.key,
                        "dob_from": donor.key,
                        "why": "synthetic: the record's own name with another listed person's birth date (>= 5 years apart)",
                    },
                )
            )
            if len(out) >= 100:
                break
    return out


def neg_near_miss(L: Lists, C: Clusters) -> list[Pair]:
    rng = rng_for("neg_near_miss")
    found = []
    for lst in NEG_LISTS:
        recs = [r for r in L.records(lst, schema=PERSONS) if years(r) and primary(r)]
        names = [fold(primary(r).full) for r in recs]  # type: ignore[union-attr]
        for i, j, score in _similar(names, 85):
            if names[i] == names[j] or tokens_key(names[i]) == tokens_key(names[j]):
                continue
            a, b = recs[i], recs[j]
            if C.same(a, b) or not _separate_entries(a, b) or not dob_conflict(a, b, 2):
                continue
            if Levenshtein.distance(names[i], names[j]) > 4:
                continue  # shared given name and patronymic alone is not a near miss
            found.append((a, b, score))
    found.sort(key=lambda x: (x[0].key, x[1].key))
    uses: dict[str, int] = defaultdict(int)
    kept = []
    for a, b, score in sample(rng, found, len(found)):
        if uses[a.key] < 2 and uses[b.key] < 2:  # no one family or person dominates
            uses[a.key] += 1
            uses[b.key] += 1
            kept.append((a, b, score))
    found = kept
    out = []
    for k, (a, b, score) in enumerate(sample(rng, found, 150)):
        if k % 2:
            a, b = b, a
        n = primary(a)
        assert n is not None
        out.append(
            Pair(
                "neg_near_miss",
                _q(a, n.full, k % 3 == 0),
                entity(b),
                False,
                {
                    "query_from": a.key,
                    "ratio": score,
                    "why": "different listed people, names within small edit distance, birth years >= 2 apart",
                },
            )
        )
    return out


GENERIC = {
    "trading", "trade", "invest", "investment", "investments", "group", "holding", "holdings", "shipping",
    "bank", "industrial", "industries", "industry", "international", "technology", "technologies",
    "engineering", "electronics", "energy", "oil", "gas", "services", "service", "construction",
    "development", "logistics", "finance", "financial", "plant", "factory", "systems", "marine",
    "maritime", "general", "import", "export", "commercial", "enterprise", "enterprises", "management",
    "petroleum", "chemical", "machinery", "equipment", "research", "institute", "design", "bureau",
    "scientific", "production", "association", "global", "capital", "partners", "resources", "tech",
    "national", "state", "federal", "center", "centre", "aviation", "defense", "defence",
    "mining", "metals", "steel", "electric", "power", "transport", "leasing", "insurance", "security",
}  # fmt: skip
FORM_WORDS = {w for ss in LEGAL_FORMS.values() for s in ss for w in fold(s).split()} | {
    "co", "ltd", "limited", "company", "inc", "corp", "corporation", "fze", "llp", "sa", "de", "cv", "s", "a", "the", "of", "and", "for", "gmbh", "pte", "plc",
}  # fmt: skip


def _form_family(name: str) -> str | None:
    got = _find_form(name)
    if got:
        return got[1]
    toks = set(fold(name).split())
    for fam in ("ltd", "fze", "gmbh", "inc", "plc", "pte"):
        if fam in toks or (fam == "ltd" and "limited" in toks):
            return fam
    return None


def neg_company_generic(L: Lists, C: Clusters) -> list[Pair]:
    rng = rng_for("neg_company_generic")
    entries = []
    for rec in L.records(*NEG_LISTS, schema=ORGS):
        n = primary(rec)
        if not n:
            continue
        fam = _form_family(n.full)
        toks = fold(n.full).split()
        generic = {t for t in toks if t in GENERIC}
        distinct = {t for t in toks if t not in GENERIC and t not in FORM_WORDS and len(t) >= 3}
        if fam and generic and distinct:
            entries.append((rec, n.full, fam, generic, distinct))
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    for k, (_, _, fam, generic, _) in enumerate(entries):
        for g in generic:
            index[(fam, g)].append(k)
    found: dict[tuple[str, str], tuple[Record, str, Record, int]] = {}
    for key in sorted(index):
        ks = index[key]
        if len(ks) > 400:
            ks = sample(rng, ks, 400)
        for x, y in combinations(ks, 2):
            a, na, _, _, da = entries[x]
            b, nb, _, _, db = entries[y]
            if (
                a.source != b.source
                or C.same(a, b)
                or any(lk.target_id == b.key for lk in a.links)
                or any(lk.target_id == a.key for lk in b.links)
            ):
                continue
            if max(fuzz.ratio(s, t) for s in da for t in db) >= 67:
                continue
            if _names_overlap(a, b, 80):
                continue
            every_b = " ".join(fold(n.full) for n in b.names)
            every_a = " ".join(fold(n.full) for n in a.names)
            if any(t in every_b.split() for t in da) or any(t in every_a.split() for t in db):
                continue
            score = int(fuzz.token_set_ratio(fold(na), fold(nb)))
            if score >= 55:
                pair = (min(a.key, b.key), max(a.key, b.key))
                found.setdefault(pair, (a, na, b, score))
    ranked = sorted(found.values(), key=lambda x: (-x[3], x[0].key, x[2].key))
    out = []
    for k, (a, na, b, score) in enumerate(sample(rng, ranked[:600], 150)):
        if k % 2:
            a, b = b, a
            na = (primary(a) or a.names[0]).full
        out.append(
            Pair(
                "neg_company_generic",
                query(a.schema, na),
                entity(b),
                False,
                {
                    "query_from": a.key,
                    "token_set_ratio": score,
                    "why": "different listed companies (same list, no shared id) sharing generic words and a legal form",
                },
            )
        )
    return out


def neg_vessel(L: Lists, C: Clusters) -> list[Pair]:
    rng = rng_for("neg_vessel")
    recs = []
    for rec in L.records("ofsi", "ofac", "au", "ua", schema=("Vessel",)):
        imos = {d for i in rec.identifiers if i.scheme == "imoNumber" and (d := imo_digits(i.value))}
        n = primary(rec) or primary(rec, None)
        if imos and n and len(fold(n.full)) >= 4:
            recs.append((rec, n.full, imos))
    names = [fold(n) for _, n, _ in recs]
    found = []
    for i, j, score in _similar(names, 80):
        (a, na, ia), (b, _nb, ib) = recs[i], recs[j]
        if ia & ib or C.same(a, b):
            continue
        found.append((a, na, ia, b, score))
    found.sort(key=lambda x: (x[0].key, x[3].key))
    uses: dict[str, int] = defaultdict(int)
    kept = []
    for item in sample(rng, found, len(found)):
        a, na, _, b, _ = item
        stem = " ".join(fold(na).split()[:2])  # one fleet (FU YUAN YU 7602, 7628 ...) at most 8 pairs
        if uses[a.key] or uses[b.key] or uses[stem] >= 8:
            continue
        uses[a.key] = uses[b.key] = 1
        uses[stem] += 1
        kept.append(item)
    out = []
    for k, (a, na, ia, b, score) in enumerate(kept[:140]):
        name_only = k % 3 == 2 and fold(na) not in {fold(n.full) for n in b.names}
        q = query("Vessel", na) if name_only else query("Vessel", na, imoNumber=f"IMO{sorted(ia)[0]}")
        out.append(
            Pair(
                "neg_vessel",
                q,
                entity(b),
                False,
                {
                    "query_from": a.key,
                    "ratio": score,
                    "why": "different IMO numbers (both valid), similar names"
                    + (", name only" if name_only else ""),
                },
            )
        )
    return out


# Generic words that name one business in other words: a trade (TRADING, IMPORT EXPORT),
# the sea (SHIPPING, MARITIME), oil, power.
ONE_BUSINESS = [
    {"trading", "trade", "import", "export", "commercial"},
    {"shipping", "marine", "maritime"},
    {"oil", "petroleum"},
    {"energy", "power", "electric"},
]
# Generic words that name a kind of body, not its business: translations render one Russian
# НПО, НПП, завод or КБ differently (SCIENTIFIC PRODUCTION ASSOCIATION ISKRA, RESEARCH AND
# PRODUCTION ENTERPRISE ISKRA PLANT), so they never set two bodies apart.
BODY_WORDS = {
    "scientific", "research", "production", "association", "plant", "factory", "institute", "bureau",
    "design", "center", "centre",
}  # fmt: skip
# Words of the names of countries and their peoples (IRAN, SYRIAN, KOREA): a family name
# made of them only is no family (IRAN INSURANCE COMPANY, EXPORT DEVELOPMENT BANK OF IRAN).
PLACE_WORDS = {w for name in country_table() if len(name) > 3 for w in fold(name).split() if len(w) >= 4}


def _name_words(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """A name's distinctive and generic words (folded), its legal form left out."""
    found = _find_form(name)
    if found:
        m = found[2]
        name = name[: m.start()] + " " + name[m.end() :]
    # INTERNATIONAL COMPANY is a Russian legal form (MKAO: INTERNATIONAL COMPANY JOINT STOCK
    # COMPANY HIGHLAND GOLD, the Jersey HIGHLAND GOLD MINING LIMITED moved to Russia)
    folded = re.sub(r"\binternational company\b", " ", fold(name))
    toks = [t for t in folded.split() if t not in FORM_WORDS]
    # ENTERPRISES is ENTERPRISE, a legal-form word, in the plural: neither distinctive nor generic
    generic = frozenset(t for t in toks if t in GENERIC and t.rstrip("s") not in FORM_WORDS)
    distinct = frozenset(t for t in toks if t not in GENERIC)
    return distinct, generic


def _one_business(x: str, y: str) -> bool:
    """Two generic words that may name one business: in one group of ONE_BUSINESS, an
    abbreviation (TECH / TECHNOLOGY, INVEST / INVESTMENT), another ending (INDUSTRY /
    INDUSTRIAL, FINANCE / FINANCIAL) or another spelling (DEFENSE / DEFENCE)."""
    if any(x in g and y in g for g in ONE_BUSINESS):
        return True
    short, long_ = sorted((x, y), key=len)
    letters = iter(long_)
    if short[0] == long_[0] and all(c in letters for c in short):
        return True
    return x[:5] == y[:5] or (len(short) >= 5 and Levenshtein.distance(x, y) <= 2)


def _linked(a: Record, b: Record) -> bool:
    """A link from one record to the other, by id or by one of its names (STARS
    INTERNATIONAL LTD is linked to STARS GROUP HOLDING by name only)."""
    for x, y in ((a, b), (b, a)):
        names = {fold(n.full) for n in y.names}
        if any(lk.target_id == y.key or fold(lk.target_name or "") in names for lk in x.links):
            return True
    return False


def neg_related_bodies(L: Lists, C: Clusters) -> list[Pair]:
    rng = rng_for("neg_related_bodies")
    # every non-weak name of every organisation, grouped by its distinctive words
    groups: dict[frozenset[str], list[tuple[Record, str, frozenset[str]]]] = defaultdict(list)
    for rec in L.records(*NEG_LISTS, schema=ORGS):
        for n in rec.names:
            if n.kind == "weakAlias":
                continue
            distinct, generic = _name_words(n.full)
            generic -= BODY_WORDS
            # the family name: distinctive words, not only a country's (KOREA, IRANIAN)
            if generic and len("".join(distinct)) >= 3 and not distinct <= PLACE_WORDS:
                groups[distinct].append((rec, n.full, generic))
    found = []
    for distinct in sorted(groups, key=lambda d: sorted(d)):
        pairs: dict[tuple[str, str], tuple[Record, str, Record, str]] = {}
        for (a, na, ga), (b, nb, gb) in combinations(groups[distinct], 2):
            if a.key == b.key or (a.key, b.key) in pairs or (b.key, a.key) in pairs:
                continue
            only_a, only_b = ga - gb, gb - ga
            # each side names a business the other does not: BANK / SHIPPING, GROUP / HOLDING
            if not only_a or not only_b or any(_one_business(x, y) for x in only_a for y in only_b):
                continue
            if not _separate_entries(a, b) or C.same(a, b) or _linked(a, b):
                continue
            # a name on both records: the list itself allows that they are one body
            if {fold(n.full) for n in a.names} & {fold(n.full) for n in b.names}:
                continue
            pairs[(a.key, b.key)] = (a, na, b, nb)
        found.extend(sample(rng, [pairs[k] for k in sorted(pairs)], 2))  # at most two per family
    # one pair of records may meet under several distinctive-word sets (their aliases)
    unique: dict[tuple[str, str], tuple[Record, str, Record, str]] = {}
    for a, na, b, nb in found:
        unique.setdefault((min(a.key, b.key), max(a.key, b.key)), (a, na, b, nb))
    out = []
    for k, (a, na, b, nb) in enumerate(sample(rng, [unique[p] for p in sorted(unique)], 100)):
        if k % 2:
            a, na, b, nb = b, nb, a, na
        out.append(
            Pair(
                "neg_related_bodies",
                query(a.schema, na),
                entity(b),
                False,
                {
                    "query_from": a.key,
                    "candidate_name": nb,
                    "why": "different organisations on one list (no shared id, no link, no shared name) whose "
                    "names share every distinctive word and each have a generic word the other lacks",
                },
            )
        )
    return out


ALL = [
    neg_same_surname,
    neg_conflicting_dob,
    neg_near_miss,
    neg_company_generic,
    neg_vessel,
    neg_related_bodies,
]
