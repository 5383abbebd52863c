"""The evidence a match score is made of, declared as data.

Each feature compares one aspect of two prepared entities and returns a value in
[-1, 1] (positive: agrees, negative: conflicts) with the values it compared, or None
when one side has nothing to compare. Its weight says how much that evidence moves
the score; the docstring of each function is its documentation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from reckon.match.identifiers import comparable
from reckon.match.names import Weigher, name_ceiling, name_score
from reckon.match.prepare import UNIQUE_IDS, Prepared, PreparedName
from reckon.names import detect_script

_SCRIPT_NAMES = {"Latn": "Latin", "Cyrl": "Cyrillic", "Arab": "Arabic", "Hani": "Chinese", "Hang": "Korean"}


_script = lru_cache(maxsize=1 << 16)(detect_script)


@dataclass(frozen=True, slots=True)
class Evidence:
    value: float
    detail: str


FeatureFunc = Callable[[Prepared, Prepared, Weigher], Evidence | None]
FeatureBound = Callable[[Prepared, Prepared, Weigher], float]


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    func: FeatureFunc
    weight: float
    # Agreement on a decisive feature is a match whatever else differs: a vessel
    # renamed under the same IMO number is the same vessel.
    decisive: bool = False
    # For a feature slow to work out (names), a cheap upper bound of its value: such
    # features are weighed last, and only where at their bound they could lift the
    # score to the threshold (see scorer.score_reaching; weights are positive).
    bound: FeatureBound | None = None

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip().splitlines()[0]


def name_similarity(q: Prepared, c: Prepared, weigh: Weigher) -> Evidence | None:
    """The best agreement between any name of one side and any name of the other."""
    best = None
    for qn, cn in product(q.names, c.names):
        cmp = name_score(qn, cn, weigh)
        # A weak alias (short, generic) supports a match less than a real name.
        s = cmp[0] * (0.9 if "weakAlias" in (qn.kind, cn.kind) else 1.0)
        if best is None or s > best[0]:
            best = (s, cmp)
            if s >= 1.0:
                break  # no pair of names scores above 1
    if best is None:
        return None
    score, (_, query, candidate, notes) = best
    qs, cs = _script(query), _script(candidate)
    if qs and cs and qs != cs:
        notes.insert(0, f"{_SCRIPT_NAMES.get(qs, qs)}→{_SCRIPT_NAMES.get(cs, cs)}")
    why = f" ({'; '.join(notes)})" if notes else ""
    return Evidence(score, f"name {score:.2f} '{query}' ~ '{candidate}'{why}")


def name_bound(q: Prepared, c: Prepared, weigh: Weigher) -> float:
    """At least the value of `name_similarity` (see names.name_ceiling)."""
    best = 0.0
    for qn, cn in product(q.names, c.names):
        s = name_ceiling(qn, cn, weigh) * (0.9 if "weakAlias" in (qn.kind, cn.kind) else 1.0)
        if s > best:
            best = s
            if best >= 1.0:
                break
    return best


def day_month_swapped(a: str, b: str) -> bool:
    """Two full ISO dates of one year with day and month swapped: one date written
    DD/MM and read MM/DD (1957-01-03, 1957-03-01)."""
    return len(a) == len(b) == 10 and a[:4] == b[:4] and (a[5:7], a[8:10]) == (b[8:10], b[5:7])


def _other_day_and_month(a: str, b: str) -> bool:
    """Two full dates of one year whose day and month both differ (and are not swapped,
    see `birth_date`). The 1st of January stands for an unknown day on some lists (the UN
    gives 1967-01-01 beside 1967-06-16), so it conflicts with no date of its year."""
    if len(a) != 10 or len(b) != 10 or a[4:] == "-01-01" or b[4:] == "-01-01":
        return False
    return a[5:7] != b[5:7] and a[8:10] != b[8:10]


def birth_date(q: Prepared, c: Prepared, weigh: Weigher) -> Evidence | None:
    """Birth dates: the same day agrees most, the same year less, years apart conflict.
    Day and month swapped is the same date read as MM/DD and DD/MM (OFAC gives Boris
    Rotenberg 1957-01-03, the UK 1957-03-01): it agrees as far as the year."""
    if not q.birth_dates or not c.birth_dates:
        return None
    best: Evidence | None = None
    for a in q.birth_dates:
        for b in c.birth_dates:
            n = min(len(a), len(b))
            if a[:n] == b[:n]:
                ev = Evidence(1.0 if n >= 10 else 0.6, f"birth date {a[:n]} agrees")
            elif day_month_swapped(a, b):
                ev = Evidence(0.6, f"birth date {a} vs {b} (day and month swapped)")
            elif a[:4] == b[:4] and _other_day_and_month(a, b):
                ev = Evidence(-1.0, f"birth date {a} conflicts with {b} (other day and month)")
            elif a[:4] == b[:4]:
                ev = Evidence(-0.5, f"birth date {a} vs {b} (same year)")
            elif abs(int(a[:4]) - int(b[:4])) <= 1:
                ev = Evidence(0.0, f"birth year {a[:4]} vs {b[:4]} (one apart)")
            else:
                ev = Evidence(-1.0, f"birth date {a} conflicts with {b}")
            if best is None or ev.value > best.value:
                best = ev
    return best


_FULL_NAME_ROLES = frozenset({"surname", "given", "patronymic"})


def _full_name(n: PreparedName) -> bool:
    return {t.role for t in n.tokens} >= _FULL_NAME_ROLES


def full_name_and_year(q: Prepared, c: Prepared, weigh: Weigher) -> Evidence | None:
    """Surname, given name and patronymic all the same on both sides, and the birth year,
    where a side gives no more than the year (Canada's list of 2025 gives years alone).
    People so named and born in one year are one person on the lists: of 10,594 such
    name-and-year groups among their full dates, 50 hold two dates that do not agree,
    mostly one person's date miswritten on one list."""
    if not q.birth_dates or not c.birth_dates:
        return None
    year_only = False
    for a in q.birth_dates:
        for b in c.birth_dates:
            n = min(len(a), len(b))
            if a[:n] == b[:n]:
                if n >= 10:
                    return None  # the full date agrees: birth_date says all there is
                year_only = year_only or n >= 4
    if not year_only:
        return None
    for qn in q.names:
        if not _full_name(qn):
            continue
        for cn in c.names:
            if _full_name(cn) and name_score(qn, cn, weigh)[0] >= 1.0 - 1e-9:
                return Evidence(1.0, "surname, given name, patronymic and birth year agree")
    return None


def country(q: Prepared, c: Prepared, weigh: Weigher) -> Evidence | None:
    """Nationality, citizenship or country: a shared one agrees, disjoint sets conflict mildly."""
    if not q.countries or not c.countries:
        return None
    shared = q.countries & c.countries
    if shared:
        return Evidence(1.0, f"country {', '.join(sorted(shared)).upper()} agrees")
    return Evidence(
        -1.0, f"country {', '.join(sorted(q.countries)).upper()} vs {', '.join(sorted(c.countries)).upper()}"
    )


def gender(q: Prepared, c: Prepared, weigh: Weigher) -> Evidence | None:
    """Gender, where both sides state it."""
    if q.gender is None or c.gender is None:
        return None
    if q.gender == c.gender:
        return Evidence(1.0, f"gender {q.gender} agrees")
    return Evidence(-1.0, f"gender {q.gender} vs {c.gender}")


def unique_identifier(q: Prepared, c: Prepared, weigh: Weigher) -> Evidence | None:
    """An identifier unique to one entity (IMO, INN, OGRN, SWIFT, crypto address, UN ref).
    A value failing its check digits is a slip in a list: it agrees with the same slip
    elsewhere but conflicts with nothing."""
    if not q.identifiers or not c.identifiers:
        return None
    qi = {i for i in q.identifiers if i[0] in UNIQUE_IDS}
    ci = {i for i in c.identifiers if i[0] in UNIQUE_IDS}
    shared = qi & ci
    if shared:
        scheme, value = sorted(shared)[0]
        return Evidence(1.0, f"{scheme} {value} agrees")
    unchecked = None
    for scheme in sorted({s for s, _ in qi} & {s for s, _ in ci}):
        qv = [v for s, v in qi if s == scheme]
        cv = [v for s, v in ci if s == scheme]
        qok, cok = comparable(scheme, qv, q.schema), comparable(scheme, cv, c.schema)
        if qok and cok:
            return Evidence(-1.0, f"{scheme} {', '.join(sorted(qok))} vs {', '.join(sorted(cok))}")
        if unchecked is None:
            failed = sorted(set(qv) - qok) + sorted(set(cv) - cok)
            unchecked = Evidence(0.0, f"{scheme} {', '.join(failed)} fails its check digit: not compared")
    return unchecked


def other_identifier(q: Prepared, c: Prepared, weigh: Weigher) -> Evidence | None:
    """Passports, national ids, tax and registration numbers: a shared one agrees."""
    if not q.identifiers or not c.identifiers:
        return None
    shared = {i for i in q.identifiers & c.identifiers if i[0] not in UNIQUE_IDS}
    if shared:
        scheme, value = sorted(shared)[0]
        return Evidence(1.0, f"{scheme} {value} agrees")
    return None


FEATURES: tuple[Feature, ...] = (
    Feature("name", name_similarity, 12.0, bound=name_bound),
    Feature("birth_date", birth_date, 3.0),
    # Lifts a perfect full name and birth year (0.9918) over the merge threshold (0.995,
    # resolve/rules.py) by 0.0004; any conflict (gender, country) takes it back under.
    Feature("full_name_and_year", full_name_and_year, 0.6),
    Feature("country", country, 0.6),
    Feature("gender", gender, 2.0),
    Feature("unique_identifier", unique_identifier, 10.0, decisive=True),
    Feature("other_identifier", other_identifier, 4.0),
)
# Where the logistic curve sits: a perfect name alone scores 0.95.
BIAS = -9.0
DECISIVE_FLOOR = 0.99
