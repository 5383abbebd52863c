"""How alike two prepared names are, with the reasons.

Tokens are aligned one to one, best pairs first. A pair counts fully when the
skeletons agree (the same name in any romanisation or script), when both are the same
given name in Russian/Ukrainian/Belarusian form (Sergei = Serhii), or the same surname
stem (Ivanov = Ivanova); partly when an initial fits or the spelling is close.
Patronymics, particles and initials the other side lacks cost nothing: lists and
people leave them out all the time. Other unmatched tokens cost their weight.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from reckon.match.prepare import OPTIONAL_ROLES, PreparedName, Token, prepared_name, token
from reckon.names import skeleton

# An unmatched initial stands for a given name the other side lacks: half a token.
INITIAL_WEIGHT = 0.5
# A person named by one word alone (a surname, a nickname) identifies nobody for sure.
SINGLE_TOKEN_CAP = 0.75
# Generic words of organisation names (TRADING, GROUP) weigh this much of a core word.
GENERIC_WEIGHT = 0.25
# Edits (insert, delete, substitute, swap neighbours) forgiven as a typo, by length.
TYPO_EDITS = ((4, 1), (8, 2))
# Unmatched extra tokens of the longer name (middle names, lineage) weigh this much
# when the shorter name is fully matched: people are known by fewer names than lists give.
EXTRA_WEIGHT = 0.5
# Organisation words that differ only in their ending (INDUSTRY / INDUSTRIAL) from this length.
PREFIX_MIN = 6
ORG_ROLES = frozenset({"core", "generic"})
# Both names have a given name the other lacks: two people of one family.
GIVEN_CONFLICT = 0.8

Weigher = Callable[[str], float]


@dataclass(frozen=True, slots=True)
class NameComparison:
    score: float
    query: str
    candidate: str
    notes: tuple[str, ...]


def _typo(a: str, b: str) -> float:
    """Similarity of two spellings when they are a typo apart, else 0."""
    n = min(len(a), len(b))
    allowed = 0
    for length, edits in TYPO_EDITS:
        if n >= length:
            allowed = edits
    if allowed == 0 or abs(len(a) - len(b)) > allowed:
        return 0.0
    d = OSA.distance(a, b, score_cutoff=allowed)
    return 0.0 if d > allowed else 1.0 - 0.5 * d / n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


@lru_cache(maxsize=1 << 18)
def _pair(a: Token, b: Token) -> tuple[float, str | None]:
    """How alike two tokens are, and why; cached: lists and queries repeat tokens."""
    if "number" in (a.role, b.role):
        return (1.0, None) if a.key == b.key else (0.0, None)
    if a.key == b.key:
        return 1.0, None
    # A given name is not a patronymic: Arkady Abramovich is not Roman Arkadyevich.
    if a.cls is not None and a.cls == b.cls and (a.role == "patronymic") == (b.role == "patronymic"):
        return 0.95, f"{a.key}≈{b.key} (same given name)"
    if a.stem == b.stem and len(a.stem) > 3:
        return 0.95, f"{a.key}≈{b.key} (same surname)"
    if a.role == "initial" or b.role == "initial":
        short, long_ = (a, b) if len(a.key) <= len(b.key) else (b, a)
        if len(short.key) == 1 and long_.key.startswith(short.key) and long_.role not in ("surname",):
            return 0.8, f"initial {short.key.upper()}"
        return 0.0, None
    sim = max(_typo(a.text, b.text), _typo(a.key, b.key))
    if sim:
        return sim * 0.95, f"{a.text}~{b.text} (spelling)"
    if a.role in ORG_ROLES and b.role in ORG_ROLES:
        shorter, longer = sorted((a.text, b.text), key=len)
        common = _common_prefix(shorter, longer)
        if common >= PREFIX_MIN and common >= 0.8 * len(shorter):
            return 0.85, f"{shorter}~{longer} (word form)"  # TECHNOLOGY / TECHNOLOGICAL
    return 0.0, None


def _joined(a: PreparedName, b: PreparedName) -> PreparedName:
    """`a` with neighbouring tokens joined where `b` writes them as one word
    (SergeiLavrov, SiemensAG, MOHAMMADHASNI)."""
    if a.joins.isdisjoint(b.texts):
        return a
    tokens = list(a.tokens)
    k = 0
    while k + 1 < len(tokens):
        x, y = tokens[k], tokens[k + 1]
        if x.text + y.text in b.texts and x.role != "number" and y.role != "number":
            text = x.text + y.text
            key = skeleton(text) or text
            tokens[k : k + 2] = [token(key, x.role, None, key, text)]
        k += 1
    return prepared_name(a.text, a.kind, tuple(tokens), a.legal_forms)


def compare_names(q: PreparedName, c: PreparedName, weigh: Weigher) -> NameComparison:
    """Similarity in [0, 1] of two names; symmetric in its arguments' roles."""
    q, c = _joined(q, c), _joined(c, q)
    if min(q.significant, c.significant) == 0:
        # Particles alone ("al", "de la") name nobody.
        return NameComparison(0.0, q.text, c.text, ("particles only",))
    qt, ct = q.tokens, c.tokens
    pairs: list[tuple[float, int, int, str | None]] = []
    for i, a in enumerate(qt):
        for j, b in enumerate(ct):
            s, why = _pair(a, b)
            if s > 0:
                pairs.append((s, i, j, why))
    if len(pairs) > 1:
        pairs.sort(key=_first, reverse=True)
    used_q: dict[int, float] = {}
    used_c: dict[int, float] = {}
    notes: list[str] = []
    for s, i, j, why in pairs:
        if i in used_q or j in used_c:
            continue
        used_q[i] = used_c[j] = s
        if why:
            notes.append(why)
    q_done = len(used_q) == len(qt) or all(k in used_q or t.role in OPTIONAL_ROLES for k, t in enumerate(qt))
    c_done = len(used_c) == len(ct) or all(k in used_c or t.role in OPTIONAL_ROLES for k, t in enumerate(ct))
    total = matched = 0.0
    for side, used, other_done in ((qt, used_q, c_done), (ct, used_c, q_done)):
        for k, t in enumerate(side):
            role = t.role
            w = INITIAL_WEIGHT if role == "initial" else weigh(t.key)
            if role == "generic":
                w *= GENERIC_WEIGHT
            if k in used:
                total += w
                matched += w * used[k]
            elif role == "number":
                total += 2 * w  # the same name with another number is another vessel
            elif role not in OPTIONAL_ROLES:
                total += w * (EXTRA_WEIGHT if other_done else 1.0)
    score = matched / total if total else 0.0
    if _unmatched_given(qt, used_q) and _unmatched_given(ct, used_c):
        score *= GIVEN_CONFLICT
        notes.append("given names differ")
    if (q.person or c.person) and min(q.significant, c.significant) == 1 and score > SINGLE_TOKEN_CAP:
        score = SINGLE_TOKEN_CAP
        notes.append("one name part only")
    if len(used_q) < len(qt):
        missing = [t.key for k, t in enumerate(qt) if k not in used_q and t.role not in OPTIONAL_ROLES]
        if missing:
            notes.append("unmatched " + " ".join(missing))
    if len(used_c) < len(ct) and any(k not in used_c and t.role == "patronymic" for k, t in enumerate(ct)):
        notes.append("patronymic omitted")
    if q.legal_forms and c.legal_forms and not q.legal_forms & c.legal_forms:
        score *= 0.95
        notes.append("legal forms differ")
    return NameComparison(score, q.text, c.text, tuple(notes))


def _first(p: tuple[float, int, int, str | None]) -> float:
    return p[0]


def _unmatched_given(tokens: tuple[Token, ...], used: dict[int, float]) -> bool:
    return len(used) < len(tokens) and any(k not in used and t.role == "given" for k, t in enumerate(tokens))
