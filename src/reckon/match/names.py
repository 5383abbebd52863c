"""How alike two prepared names are, with the reasons.

Tokens are aligned one to one, best pairs first. A pair counts fully when the
skeletons agree (the same name in any romanisation or script), when both are the same
given name in Russian/Ukrainian/Belarusian form (Sergei = Serhii), or the same surname
stem (Ivanov = Ivanova); partly when an initial fits or the spelling is close.
Patronymics, particles and initials the other side lacks cost nothing: lists and
people leave them out all the time. Other unmatched tokens cost their weight.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from reckon.match.prepare import OPTIONAL_ROLES, PreparedName, Token, prepared_name, token
from reckon.names import legal_forms_conflict, skeleton

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
PERSON_ROLES = frozenset({"surname", "given", "unknown"})
# Russian and Ukrainian adjectives of place names, as skeletons and as latinised text
# (Amurskii, Amurskoye, Amurska; Tambovskii): the adjective is the place.
ADJECTIVE_SUFFIXES = ("ski", "sko", "ska", "sky", "skii", "skoi", "skogo", "Cki", "Cko", "Cka")
# Endings of Russian adjectives in the romanisations the lists use.
RU_ADJECTIVE = ("ii", "iy", "yi", "yy", "ij", "yj", "oe", "oye", "aia", "aya", "ogo", "oi", "oy")
# An acronym (GNPP, NPP) stands for the run of words whose initials it spells.
ACRONYM_LEN = (2, 6)
ACRONYM_SCORE = 0.9
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
    if "rn" in a or "rn" in b:
        # OCR reads m as rn (Rarnon for Ramon): that is one slip, not two.
        a, b = a.replace("rn", "m"), b.replace("rn", "m")
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
        # Ordered by lengths, then by the strings: the same either way round.
        short, long_ = sorted((a, b), key=_initial_order)
        # The latinised text too: K. is Khodr, whose skeleton starts with H (kh).
        fits = long_.key.startswith(short.key) or long_.text.startswith(short.text)
        if len(short.key) == 1 and fits and long_.role not in ("surname",):
            return 0.8, f"initial {short.key.upper()}"
        return 0.0, None
    if (
        ("h" in a.text or "h" in b.text)
        and a.role in PERSON_ROLES
        and b.role in PERSON_ROLES
        and abs(len(a.key) - len(b.key)) <= 1
        and _h_as_g(a) == _h_as_g(b)
    ):
        return 0.95, f"{a.text}≈{b.text} (Ukrainian h = Russian g)"
    sim = max(_typo(a.text, b.text), _typo(a.key, b.key))
    if sim:
        return sim * 0.95, f"{a.text}~{b.text} (spelling)"
    if a.role in ORG_ROLES and b.role in ORG_ROLES:
        shorter, longer = sorted((a.text, b.text), key=len)
        common = _common_prefix(shorter, longer)
        if common >= PREFIX_MIN and common >= 0.8 * len(shorter):
            return 0.85, f"{shorter}~{longer} (word form)"  # TECHNOLOGY / TECHNOLOGICAL
        if a.key[:4] != b.key[:4]:
            return 0.0, None
        shorter, longer = sorted((a.key, b.key), key=len)
        common = _common_prefix(shorter, longer)
        if common == len(shorter) >= 4 and longer[common:].startswith(ADJECTIVE_SUFFIXES):
            return 0.85, f"{a.text}~{b.text} (word form)"  # AMUR / AMURSKY, TAMBOV / TAMBOVSKII
        # Across languages, on skeletons: a Russian adjective and its English cognate
        # (ELEKTROMEKHANICHESKII / ELECTROMECHANICAL), a word and its abbreviation
        # (MOSCOMS / МОСКОМСВЯЗЬ). Not two English derivations (CONSTRUCTORS / CONSTRUCTION).
        if common >= PREFIX_MIN and (
            common == len(shorter)
            or (
                common >= 0.8 * len(shorter)
                and (a.text.endswith(RU_ADJECTIVE) or b.text.endswith(RU_ADJECTIVE))
            )
        ):
            return 0.85, f"{a.text}~{b.text} (word form)"
    return 0.0, None


_LONE_H = re.compile(r"(?<![kcszt])h")


def _initial_order(t: Token) -> tuple[int, int, str, str]:
    return len(t.key), len(t.text), t.key, t.text


@lru_cache(maxsize=1 << 16)
def _h_as_g(t: Token) -> str:
    """The token's skeleton with a lone h read as g: Ukrainian writes г as h (Hohin,
    Heorhii), Russian as g (Gogin, Georgii); kh, sh, ch, zh are other letters."""
    if "h" not in t.text:
        return t.key
    return skeleton(_LONE_H.sub("g", t.text)) or t.key


def _joined(a: PreparedName, b: PreparedName) -> PreparedName:
    """`a` with neighbouring tokens joined where `b` writes them as one word
    (SergeiLavrov, SiemensAG, MOHAMMADHASNI)."""
    if not a.joins & b.texts:
        return a
    singles = {t.text for t in b.tokens}
    tokens = list(a.tokens)
    k = 0
    while k + 1 < len(tokens):
        x, y = tokens[k], tokens[k + 1]
        if x.text + y.text in singles and x.role != "number" and y.role != "number":
            text = x.text + y.text
            key = skeleton(text) or text
            tokens[k : k + 2] = [token(key, x.role, None, key, text)]
        k += 1
    if len(tokens) == len(a.tokens):
        return a
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
    if len(used_q) < len(qt) and len(used_c) < len(ct) and not (q.person or c.person):
        for side, other, used_s, used_o in ((qt, ct, used_q, used_c), (ct, qt, used_c, used_q)):
            free = len(other) - len(used_o)
            for k, t in enumerate(side):
                if k not in used_s and ACRONYM_LEN[0] <= len(t.text) <= min(ACRONYM_LEN[1], free):
                    run = _acronym_run(t.text, other, used_o)
                    if run:
                        used_s[k] = ACRONYM_SCORE
                        for j in run:
                            used_o[j] = ACRONYM_SCORE
                        notes.append(f"{t.text.upper()} = {' '.join(other[j].text for j in run)} (acronym)")
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
    if q.legal_forms and c.legal_forms and legal_forms_conflict(q.legal_forms, c.legal_forms):
        score *= 0.95
        notes.append("legal forms differ")
    return NameComparison(score, q.text, c.text, tuple(notes))


def _acronym_run(acronym: str, tokens: tuple[Token, ...], used: dict[int, float]) -> range | None:
    """Unmatched neighbouring tokens whose initials spell `acronym` (GNPP: Gosudarstvennoe
    Nauchno Proizvodstvennoe Predpriyatie), or None."""
    n = len(acronym)
    if n > len(tokens) or not acronym.isalpha():
        return None
    for start in range(len(tokens) - n + 1):
        run = range(start, start + n)
        if all(
            j not in used and tokens[j].role in ORG_ROLES and tokens[j].text[:1] == acronym[i]
            for i, j in enumerate(run)
        ):
            return run
    return None


def _first(p: tuple[float, int, int, str | None]) -> float:
    return p[0]


def _unmatched_given(tokens: tuple[Token, ...], used: dict[int, float]) -> bool:
    return len(used) < len(tokens) and any(k not in used and t.role == "given" for k, t in enumerate(tokens))
