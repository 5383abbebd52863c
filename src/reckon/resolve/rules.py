"""Strong evidence, declared as data: which identifiers make two records one entity on
their own, and which differences forbid a merge whatever the scores say.

A rule applies to a pair when both records are of a kind the rule names. The scorer
(`match/`) weighs all evidence; these rules are the cases where one fact settles it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from reckon.match.features import day_month_swapped, name_similarity
from reckon.match.identifiers import comparable
from reckon.match.prepare import Prepared

PERSON, ORGANISATION, VESSEL, AIRCRAFT = "person", "organisation", "vessel", "aircraft"
ALL_KINDS = frozenset({PERSON, ORGANISATION, VESSEL, AIRCRAFT})

KIND_OF_SCHEMA: Mapping[str, str] = {
    "Person": PERSON,
    "Organization": ORGANISATION,
    "Company": ORGANISATION,
    "LegalEntity": ORGANISATION,
    "Vessel": VESSEL,
    "Airplane": AIRCRAFT,
}

# A pair scoring at least AUTO_MERGE merges without a person; between REVIEW and
# AUTO_MERGE it waits for a judgement. A perfect name alone scores 0.95 and a shared
# unique identifier is floored at 0.99: neither merges by score alone. A person needs
# the birth date (0.9975) or birth year and country (0.9955) to agree as well, an
# organisation a shared registration or passport-like number (0.999).
AUTO_MERGE = 0.995
REVIEW = 0.7

# Records of one list are distinct entries in the publisher's own reckoning, so the
# scorer is only asked about pairs from different lists. Rules and judgements still
# link records within a list.
SCORE_WITHIN_SOURCE = False

# A "unique" value carried by more records than this is a placeholder ("N/A", "0000000"),
# not an identity.
MAX_SHARED = 20


@dataclass(frozen=True, slots=True)
class IdRule:
    """One identifier scheme (an FtM property) and what it proves for some kinds."""

    scheme: str
    kinds: frozenset[str]
    merges: bool  # a shared value is enough to merge
    conflicts: bool  # both sides having values, none shared, forbids a merge
    with_birth_date: bool  # the merge also needs an identical birth date
    why: str
    # Within one list, records sharing a company number are a company and its branches
    # (Russian branches carry the parent's INN and OGRN): the list keeps them apart.
    within_source: bool = True
    # Whether a shared value outweighs two people's conflicting birth dates. A UN
    # reference names a listing, and lists quoting it miswrite birth years; a number
    # copied into a record's details can be the wrong person's (the US screening list
    # gives Arkady Rotenberg, born 1951, the INN OFAC gives his brother Boris, born 1957).
    outweighs_birth_dates: bool = True
    # Whether a shared value merges only records whose names have something in common.
    # Company numbers get copied into a neighbouring row: the US screening list gives
    # "Research and Design Institute Sea Thermal Engineering" (Lomonosov) the INN and
    # OGRN of "Verkhneufaleiskii Zavod Uralelement" (Verkhniy Ufaley), the next entry.
    # Such a pair is scored like any other (a shared number floors it at 0.99), so it
    # waits for a person instead of merging: a renamed company is one of them too.
    names_must_meet: bool = False


ID_RULES: tuple[IdRule, ...] = (
    IdRule("unscId", ALL_KINDS, True, True, False, "a UN reference number names one UN listing"),
    IdRule("imoNumber", frozenset({VESSEL}), True, True, False, "an IMO number stays with one hull for life"),
    IdRule(
        "mmsi",
        frozenset({VESSEL}),
        True,
        False,
        False,
        "an MMSI names one ship at a time; a reflagged ship gets a new one, so different MMSIs prove nothing",
    ),
    IdRule(
        "innCode",
        frozenset({ORGANISATION, PERSON}),
        True,
        True,
        False,
        "a Russian taxpayer number is issued once per company or person",
        within_source=False,
        outweighs_birth_dates=False,
        names_must_meet=True,
    ),
    IdRule(
        "ogrnCode",
        frozenset({ORGANISATION}),
        True,
        True,
        False,
        "one state registration per company",
        within_source=False,
        names_must_meet=True,
    ),
    IdRule("leiCode", frozenset({ORGANISATION}), True, True, False, "the global Legal Entity Identifier"),
    IdRule(
        "swiftBic",
        frozenset({ORGANISATION}),
        True,
        False,
        False,
        "a BIC names one bank; branches have their own, so different BICs prove nothing",
        within_source=False,
    ),
    IdRule(
        "passportNumber",
        frozenset({PERSON}),
        True,
        False,
        True,
        "passport numbers repeat across countries; with the same birth date they name one person,"
        " and people hold several, so different ones prove nothing",
    ),
)
RULE_SCHEMES = tuple(r.scheme for r in ID_RULES)
RULE_SCHEME_SET = frozenset(RULE_SCHEMES)
RULES = {r.scheme: r for r in ID_RULES}
SAME_AS = "same_as"  # the lists' own cross-references (OFSI Group ID ↔ FCDO id, CSL ↔ OFAC)

# Canonical ids are derived from one member, the anchor: the member from the first of
# these sources, then by record id. Long-lived, authoritative lists come first so that a
# cluster's anchor (and id) rarely moves when another list adds a record to it.
ANCHOR_SOURCES: tuple[str, ...] = (
    "un_sc_sanctions",
    "us_ofac_sdn",
    "eu_fsf",
    "gb_hmt_sanctions",
    "gb_fcdo_sanctions",
    "au_dfat_sanctions",
    "ca_dfatd_sema_sanctions",
    "us_ofac_cons",
    "us_trade_csl",
    "ua_war_sanctions",
)


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules read of one record: computed from raw values, no scorer needed."""

    key: str  # source:record_id
    schema: str
    ids: frozenset[tuple[str, str]]  # (scheme, normalised value) for schemes a rule names
    birth_dates: tuple[str, ...]
    same_as: tuple[str, ...]  # record keys the list says are this entry
    # Derived once: clustering compares the facts of member pairs many times over.
    kind: str = field(init=False)
    kinds: frozenset[str] = field(init=False)  # what it may be: a LegalEntity is a person or an organisation
    schemes: frozenset[str] = field(init=False)
    source: str = field(init=False)

    def __post_init__(self) -> None:
        kind = KIND_OF_SCHEMA.get(self.schema, ORGANISATION)
        object.__setattr__(self, "kind", kind)
        kinds = frozenset({PERSON, ORGANISATION}) if self.schema == "LegalEntity" else frozenset({kind})
        object.__setattr__(self, "kinds", kinds)
        object.__setattr__(self, "schemes", frozenset(s for s, _ in self.ids))
        object.__setattr__(self, "source", self.key.split(":", 1)[0])


@dataclass(frozen=True, slots=True)
class StrongLink:
    left: str
    right: str
    rule: str
    explanation: str


def facts_of(p: Prepared, same_as: Sequence[str] = ()) -> Facts:
    """The rule-relevant facts of a prepared record (its identifiers are normalised)."""
    ids = frozenset(i for i in p.identifiers if i[0] in RULE_SCHEME_SET)
    return Facts(str(p.id), p.schema, ids, tuple(sorted(set(p.birth_dates))), tuple(sorted(same_as)))


def kinds_compatible(a: Facts, b: Facts) -> bool:
    """As the scorer's `compatible`: people with people, craft with craft, and a
    LegalEntity with a person or an organisation."""
    return not a.kinds.isdisjoint(b.kinds)


def _rule_applies(rule: IdRule, a: Facts, b: Facts) -> bool:
    return bool(a.kinds & b.kinds & rule.kinds)


def _dates_agree(a: Sequence[str], b: Sequence[str]) -> bool:
    """Some pair of dates agrees at their common precision, or is one date miswritten:
    day and month swapped (1957-01-03 / 1957-03-01) or one digit off (1959-08-08 /
    1959-09-08), as the real lists disagree about the same people."""
    for x in a:
        for y in b:
            n = min(len(x), len(y))
            if x[:n] == y[:n]:
                return True
            if day_month_swapped(x, y):
                return True
            if len(x) == len(y) and sum(cx != cy for cx, cy in zip(x, y, strict=True)) == 1:
                return True
    return False


@dataclass(frozen=True, slots=True)
class Conflict:
    reason: str
    # Hard conflicts (kinds, unique identifiers) hold against any evidence but a person's
    # `same`; a soft one (birth dates) gives way to a strong link on the same pair whose
    # rule outweighs birth dates: lists that share a UN reference number sometimes
    # disagree about a birth year.
    hard: bool


def conflict(a: Facts, b: Facts) -> Conflict | None:
    """Why `a` and `b` cannot be one entity, or None."""
    if not kinds_compatible(a, b):
        return Conflict(f"{a.schema} vs {b.schema}", True)
    for scheme in sorted(a.schemes & b.schemes):
        rule = RULES[scheme]
        if not rule.conflicts or not _rule_applies(rule, a, b):
            continue
        va = {v for s, v in a.ids if s == rule.scheme}
        vb = {v for s, v in b.ids if s == rule.scheme}
        if va & vb:
            continue
        # A value failing its check digits is a slip in one list (features.unique_identifier).
        va, vb = comparable(scheme, va, a.schema), comparable(scheme, vb, b.schema)
        if va and vb:
            return Conflict(
                f"different {rule.scheme}: {', '.join(sorted(va))} vs {', '.join(sorted(vb))}", True
            )
    both_people = a.kind == PERSON and b.kind == PERSON
    if both_people and a.birth_dates and b.birth_dates and not _dates_agree(a.birth_dates, b.birth_dates):
        return Conflict(f"birth dates {', '.join(a.birth_dates)} vs {', '.join(b.birth_dates)}", False)
    return None


def strong_links(facts: Sequence[Facts], queries: Iterable[str] | None = None) -> list[StrongLink]:
    """Pairs linked by a list's own `same_as` or a shared unique identifier, for the
    records in `queries` (default: all). Each unordered pair once, left < right."""
    by_key = {f.key: f for f in facts}
    by_id: dict[tuple[str, str], list[str]] = {}
    for f in facts:
        for ident in f.ids:
            by_id.setdefault(ident, []).append(f.key)
    pointed_at: dict[str, list[str]] = {}
    for f in facts:
        for target in f.same_as:
            pointed_at.setdefault(target, []).append(f.key)
    found: dict[tuple[str, str], StrongLink] = {}

    def add(a: str, b: str, rule: str, why: str) -> None:
        left, right = (a, b) if a < b else (b, a)
        if a != b and (left, right) not in found:
            found[(left, right)] = StrongLink(left, right, rule, why)

    for key in by_key if queries is None else queries:
        q = by_key.get(key)
        if q is None:
            continue
        for target in (*q.same_as, *pointed_at.get(key, ())):
            if target in by_key:
                add(key, target, SAME_AS, "the list itself says these are one entry")
        for scheme, value in sorted(q.ids):
            rule = RULES[scheme]
            sharing = by_id[(scheme, value)]
            if not rule.merges or len(sharing) > MAX_SHARED:
                continue
            for other in sharing:
                c = by_key[other]
                if other == key or not kinds_compatible(q, c) or not _rule_applies(rule, q, c):
                    continue
                if not rule.within_source and q.source == c.source:
                    continue
                if rule.with_birth_date:
                    # A full date: a passport number and a birth year are not enough
                    # (one real UN and one AU record share both for two people).
                    shared = {d for d in set(q.birth_dates) & set(c.birth_dates) if len(d) == 10}
                    if not shared:
                        continue
                    add(key, other, scheme, f"{scheme} {value} and birth date {min(shared)} shared")
                else:
                    add(key, other, scheme, f"{scheme} {value} shared")
    return sorted(found.values(), key=lambda s: (s.left, s.right))


def names_must_meet(rule: str) -> bool:
    """Whether a strong link of this rule needs the records' names to meet (see
    IdRule.names_must_meet)."""
    found = RULES.get(rule)
    return found is not None and found.names_must_meet


def names_meet(a: Prepared, b: Prepared) -> bool:
    """Some name of one and some name of the other have a part in common, as the one
    scorer compares names (a record without names meets anyone)."""
    if not a.names or not b.names:
        return True
    found = name_similarity(a, b, _uniform)
    return found is not None and found.value > 0


def _uniform(_: str) -> float:
    return 1.0


def outweighs_birth_dates(rule: str) -> bool:
    """Whether a strong link of this rule (a scheme, or SAME_AS) merges two people
    whose birth dates conflict (see IdRule.outweighs_birth_dates)."""
    found = RULES.get(rule)
    return found is None or found.outweighs_birth_dates


def anchor(members: Iterable[str]) -> str:
    """The member a cluster's id is derived from (see ANCHOR_SOURCES)."""

    def rank(key: str) -> tuple[int, str, str]:
        source, record_id = key.split(":", 1)
        pos = ANCHOR_SOURCES.index(source) if source in ANCHOR_SOURCES else len(ANCHOR_SOURCES)
        return (pos, source, record_id)

    return min(members, key=rank)
