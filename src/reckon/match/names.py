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
from itertools import product
from operator import itemgetter

from rapidfuzz.distance import OSA

from reckon.match.prepare import (
    JOIN_MAX,
    OPTIONAL_ROLES,
    PARTS_KIND,
    PreparedName,
    Token,
    may_join,
    prepared_name,
    token,
)
from reckon.names import (
    business_of,
    is_place,
    j_as_dzh,
    legal_forms_conflict,
    legal_kinds_conflict,
    looks_like_patronymic,
    phonetic,
    romanize_other_scripts,
    skeleton,
)
from reckon.names.abjad import abjad_joins, abjad_similarity, is_abjad

# An unmatched initial stands for a given name the other side lacks: half a token.
INITIAL_WEIGHT = 0.5
# A person named by one word alone (a surname, a nickname) identifies nobody for sure.
SINGLE_TOKEN_CAP = 0.75
# Generic words of organisation names (TRADING, GROUP) weigh this much of a core word.
GENERIC_WEIGHT = 0.25
# Edits (insert, delete, substitute, swap neighbours) forgiven as a typo, by length.
TYPO_EDITS = ((4, 1), (8, 2))
# A person's name word of up to this many letters whose first consonant differs is
# another name (see `_other_onset`) unless the two letters spell one sound: the
# romanisations of Korean (Tong / Dong, Kim / Gim, Pak / Bak, Chong / Jong) and
# Latin letters (V / W, C / K).
SYLLABLE = 4
ONSET_VARIANTS = frozenset(
    p for pair in ("td", "kg", "pb", "ck", "cj", "vw", "fv", "sz", "qk", "yj") for p in (pair, pair[::-1])
)
VOWELS = frozenset("aeiou")
# Unmatched extra tokens of the longer name (middle names, lineage) weigh this much
# when the shorter name is fully matched: people are known by fewer names than lists give.
EXTRA_WEIGHT = 0.5
# Organisation words that differ only in their ending (INDUSTRY / INDUSTRIAL) from this length.
PREFIX_MIN = 6
ORG_ROLES = frozenset({"core", "generic"})
_GIVEN_AND_FATHER = frozenset({"given", "patronymic"})
_GIVEN_AND_SURNAME = frozenset({"given", "surname"})
ARABIC_ARTICLES = frozenset({"al", "el"})
PERSON_ROLES = frozenset({"surname", "given", "unknown"})
# Words that may write дж as j: people's names and organisations' (Джихад, jihad).
DZH_ROLES = PERSON_ROLES | ORG_ROLES
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
# A non-profit and a company of one name (ANO / LLC): two bodies, as sure as two
# given names make two people.
KIND_CONFLICT = GIVEN_CONFLICT
# Two names of syllables (Korean, Chinese, Burmese: words of up to SYLLABLE_MAX letters)
# share their words in an order no rotation gives. Names of longer words are spared: lists
# do swap middle names (Reinaldo Gregorio Lenin / Lenin Gregorio).
ORDER_CONFLICT = 0.85
SYLLABLE_MAX = 5
# Letters from which a one-word name a typo away from another is the same name
# (Hanniball / Hannibal); shorter words a letter apart are other names (Maria / Mario).
MONONYM_MIN = 6
# Patronymics of one father written in two languages start alike at least this far.
FATHER_PREFIX = 4

Weigher = Callable[[str], float]


@dataclass(frozen=True, slots=True)
class NameComparison:
    score: float
    query: str
    candidate: str
    notes: tuple[str, ...]


def _typo(a: str, b: str, person: bool = False) -> float:
    """Similarity of two spellings when they are a typo apart, else 0. In a person's
    name, two letters apart replaced in place make another name, not a slip: Khakimov
    and Khalikov are two families (see `_two_replaced`)."""
    if "rn" in a or "rn" in b:
        # OCR reads m as rn (Rarnon for Ramon): that is one slip, not two.
        a, b = a.replace("rn", "m"), b.replace("rn", "m")
    if person and _two_replaced(a, b):
        return 0.0
    n = min(len(a), len(b))
    if person and _other_onset(a, b):
        return 0.0
    allowed = 0
    for length, edits in TYPO_EDITS:
        if n >= length:
            allowed = edits
    if allowed == 0 or abs(len(a) - len(b)) > allowed:
        return 0.0
    d = OSA.distance(a, b, score_cutoff=allowed)
    return 0.0 if d > allowed else 1.0 - 0.5 * d / n


def _other_onset(a: str, b: str) -> bool:
    """`b` is `a`, a short word, with its first consonant replaced by another that does
    not spell the same sound: a syllable that begins otherwise is another name, as in
    Korean and Chinese given names (Tong Chol and Song Chol are two men; Mark, Park).
    A vowel replaced (Asad / Ssad) or a digit read for a letter (5uge) stays a slip."""
    return (
        len(a) == len(b) <= SYLLABLE
        and a[0] != b[0]
        and a[1:] == b[1:]
        and a[0].isalpha()
        and b[0].isalpha()
        and a[0] not in VOWELS
        and b[0] not in VOWELS
        and a[0] + b[0] not in ONSET_VARIANTS
    )


def _two_replaced(a: str, b: str) -> bool:
    """`b` is `a` with two letters apart replaced in place (Khakimov, Khalikov): not a
    letter dropped, doubled or moved (Khordorovsky, Khodorkovsky), nor an ending
    rewritten (Narender, Narendra)."""
    if len(a) != len(b):
        return False
    at = [k for k, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return len(at) == 2 and at[1] - at[0] > 1


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
        if {a.role, b.role} == _GIVEN_AND_FATHER and not looks_like_patronymic(a.text):
            # One's given name is the other's father's: Salman bin Muhammad is not
            # Muhammad bin Salman, but his son or his father. (A word with a patronymic
            # ending is the same patronymic, read as a given name on one side.)
            return 0.0, None
        return 1.0, None
    # A given name is not a patronymic: Arkady Abramovich is not Roman Arkadyevich.
    # Classes are sets (Ted: Edward's and Theodore's), so they need only meet.
    if (
        a.cls
        and b.cls
        and not set(a.cls).isdisjoint(b.cls)
        and (a.role == "patronymic") == (b.role == "patronymic")
    ):
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
    if is_abjad(a.key) != is_abjad(b.key):
        return _abjad_pair(a, b)
    if (
        ("h" in a.text or "h" in b.text)
        and a.role in PERSON_ROLES
        and b.role in PERSON_ROLES
        and abs(len(a.key) - len(b.key)) <= 1
        and _h_as_g(a) == _h_as_g(b)
    ):
        return 0.95, f"{a.text}≈{b.text} (Ukrainian h = Russian g)"
    person = a.role in PERSON_ROLES and b.role in PERSON_ROLES
    sim = max(_typo(a.text, b.text, person), _typo(a.key, b.key, person))
    if sim:
        return sim * 0.95, f"{a.text}~{b.text} (spelling)"
    if ("dZ" in a.key) != ("dZ" in b.key) and a.role in DZH_ROLES and b.role in DZH_ROLES:
        plain, dzh = (a, b) if "dZ" in b.key else (b, a)
        if "j" in plain.text or "gi" in plain.text:
            key = j_as_dzh(plain.text) or plain.key
            sim = 1.0 if key == dzh.key else _typo(key, dzh.key)
            if sim:
                return sim * 0.95, f"{plain.text}≈{dzh.text} (j = dzh)"
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


def _abjad_pair(a: Token, b: Token) -> tuple[float, str | None]:
    """A word in Arabic script and a word in Latin letters: alike when the Latin word is
    a spelling the Arabic one allows (see names/abjad.py), less than the same spelling
    would be, as the Arabic writes no short vowels."""
    arabic, latin = (a, b) if is_abjad(a.key) else (b, a)
    s = abjad_similarity(arabic.key, latin.text, latin.role == "particle")
    if not s or {a.role, b.role} == _GIVEN_AND_FATHER:
        return 0.0, None  # one's given name, the other's father's (see `_pair`)
    return s, f"{arabic.text}≈{latin.text} (Arabic script)"


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
    """`a` with runs of neighbouring tokens (up to JOIN_MAX) joined where `b` writes
    them as one word (SergeiLavrov, SiemensAG, MOHAMMADHASNI, Vanderbilt)."""
    if not may_join(a, b):
        return a
    singles = {t.text for t in b.tokens}
    tokens = list(a.tokens)
    k = 0
    while k + 1 < len(tokens):
        for n in range(min(JOIN_MAX, len(tokens) - k), 1, -1):
            run = tokens[k : k + n]
            text = "".join(t.text for t in run)
            if text in singles and all(t.role != "number" for t in run):
                tokens[k : k + n] = [_run_token(run, text)]
                break
        k += 1
    if len(tokens) == len(a.tokens):
        return a
    return prepared_name(a.text, a.kind, tuple(tokens), a.legal_forms)


def _abjad_joined(a: PreparedName, b: PreparedName) -> PreparedName:
    """`a` with runs of neighbouring words joined where `b`, in the other script, writes
    them as one (عبد الله / Abdullah, Abd al-Karim / عبدالكريم; see names/abjad.py)."""
    words = tuple(t.key if is_abjad(t.key) else t.text for t in a.tokens)
    others = tuple(t.key if is_abjad(t.key) else t.text for t in b.tokens if t.role != "number")
    spans = abjad_joins(words, others, JOIN_MAX)
    if not spans:
        return a
    tokens = list(a.tokens)
    for start, end in reversed(spans):
        run = tokens[start:end]
        if all(t.role != "number" for t in run):
            tokens[start:end] = [_run_token(run, "".join(words[start:end]))]
    return prepared_name(a.text, a.kind, tuple(tokens), a.legal_forms)


def _written_alike(q: PreparedName, c: PreparedName) -> tuple[PreparedName, PreparedName]:
    """Both names with the words one writes apart and the other as one joined, in one
    script (van der Bilt / Vanderbilt) or across the Arabic and Latin ones (عبد الله /
    Abdullah): `name_score` and `name_ceiling` must align the same tokens."""
    if may_join(q, c) or may_join(c, q):
        q, c = _joined(q, c), _joined(c, q)
    if q.abjad != c.abjad:
        # One writes in the Arabic script, the other not.
        q, c = _abjad_joined(q, c), _abjad_joined(c, q)
    return q, c


def _run_token(run: list[Token], text: str) -> Token:
    """One token for words written apart. It takes the role of the first word that is
    not a particle: van der Bilt is a surname, not a particle."""
    key = skeleton(text) or text
    role = next((t.role for t in run if t.role not in OPTIONAL_ROLES), run[0].role)
    return token(key, role, None, key, text)


def _parts(q0: PreparedName, c0: PreparedName, q: PreparedName, c: PreparedName) -> int:
    """Name parts of the shorter of two names (`q0`, `c0`; `q`, `c` as joined): a word
    standing for several the other side writes apart (Ramimakhlouf for Rami Makhlouf)
    counts as that many."""
    return min(
        q0.significant + c0.significant - c.significant, c0.significant + q0.significant - q.significant
    )


def compare_names(q: PreparedName, c: PreparedName, weigh: Weigher) -> NameComparison:
    """Similarity in [0, 1] of two names; symmetric in its arguments' roles."""
    score, q_text, c_text, notes = name_score(q, c, weigh)
    return NameComparison(score, q_text, c_text, tuple(notes))


def name_score(q: PreparedName, c: PreparedName, weigh: Weigher) -> tuple[float, str, str, list[str]]:
    """`compare_names` as a plain tuple (score, query text, candidate text, notes): the
    scorer calls it for every pair of names and keeps one."""
    q0, c0 = q, c
    q, c = _written_alike(q, c)
    if not q.significant or not c.significant:
        # Particles alone ("al", "de la") name nobody.
        return 0.0, q.text, c.text, ["particles only"]
    qt, ct = q.tokens, c.tokens
    nq, nc = len(qt), len(ct)
    pairs: list[tuple[float, int, int, str | None]] = []
    stated = _roles_stated(q) and _roles_stated(c)
    for i, a in enumerate(qt):
        for j, b in enumerate(ct):
            s, why = _pair(a, b)
            if s > 0 and not (stated and _crossed(a, b)):
                pairs.append((s, i, j, why))
    if len(pairs) > 1:
        pairs.sort(key=_first, reverse=True)
    used_q: dict[int, float] = {}
    used_c: dict[int, float] = {}
    links: list[tuple[int, int]] = []
    notes: list[str] = []
    for s, i, j, why in pairs:
        if i in used_q or j in used_c:
            continue
        used_q[i] = used_c[j] = s
        links.append((i, j))
        if why:
            notes.append(why)
    if len(used_q) < nq and len(used_c) < nc and not (q.person or c.person):
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
    q_open = len(used_q) < nq
    c_open = len(used_c) < nc
    q_done = not q_open or _done(qt, used_q)
    c_done = not c_open or _done(ct, used_c)
    total = matched = 0.0
    for side, used, other_done in ((qt, used_q, c_done), (ct, used_c, q_done)):
        for k, t in enumerate(side):
            role = t.role
            pair = used.get(k)
            if pair is None and role in OPTIONAL_ROLES:
                continue  # an unmatched patronymic or particle costs nothing
            w = _weight(t, weigh)
            if pair is not None:
                total += w
                matched += w * pair
            elif role == "number":
                total += 2 * w  # the same name with another number is another vessel
            else:
                extra = other_done and not (k > max(used, default=-1) and _national(t))
                total += w * (EXTRA_WEIGHT if extra else 1.0)
    score = matched / total if total else 0.0
    if q_open and c_open and _unmatched_role(qt, used_q, "given") and _unmatched_role(ct, used_c, "given"):
        score *= GIVEN_CONFLICT
        notes.append("given names differ")
    if q_open and c_open and not (q.person or c.person) and _businesses_differ(qt, used_q, ct, used_c):
        score *= GIVEN_CONFLICT
        notes.append("kinds of business differ")
    if q_open and c_open and _unmatched_nisba(qt, used_q) and _unmatched_nisba(ct, used_c):
        # An Arabic family name, "al-" and a tribe, clan or town (al-Tikriti, al-Dulaimi):
        # two of them are two families, where surnames of other kinds may be one name
        # in two romanisations (Dzhos, Jos) or a maiden name.
        score *= GIVEN_CONFLICT
        notes.append("family names differ")
    if q_open and c_open and _surnames_differ(qt, used_q, ct, used_c):
        # Given name and patronymic are shared by thousands (Sergey Nikolayevich): with
        # two surnames they are two people, Mulyaev and Stankevich, unless a maiden name
        # and the birth date say otherwise.
        score *= GIVEN_CONFLICT
        notes.append("surnames differ")
    patronymics_differ = q_open and c_open and _patronymics_differ(qt, used_q, ct, used_c)
    if patronymics_differ:
        # Both state whose son or daughter the person is, and not the same father: as
        # sure a conflict as two given names (Sergey Ivanevich / Viktorovich Lavrov).
        score *= GIVEN_CONFLICT
        notes.append("patronymics differ")
    if (q.person or c.person) and len(links) > 2 and _scrambled(qt, links):
        # Lists move the surname to the front or the back, but the syllables of a Korean
        # or Chinese given name keep their order: Ri Jong Su is not Ri Su Yong, although
        # jong and yong share a skeleton (j and y stand for one Cyrillic letter).
        score *= ORDER_CONFLICT
        notes.append("name order differs")
    if (
        (q.person or c.person)
        and _parts(q0, c0, q, c) == 1
        and score > SINGLE_TOKEN_CAP
        and not _mononym(q0, c0)
    ):
        score = SINGLE_TOKEN_CAP
        notes.append("one name part only")
    if q_open:
        missing = [t.text for k, t in enumerate(qt) if k not in used_q and t.role not in OPTIONAL_ROLES]
        if missing:
            notes.append("unmatched " + " ".join(missing))
    if c_open and not patronymics_differ and _unmatched_role(ct, used_c, "patronymic"):
        notes.append("patronymic omitted")
    if q.legal_forms and c.legal_forms:
        if legal_kinds_conflict(q.legal_forms, c.legal_forms):
            score *= KIND_CONFLICT
            notes.append("kinds of body differ")
        elif legal_forms_conflict(q.legal_forms, c.legal_forms):
            score *= 0.95
            notes.append("legal forms differ")
    return score, q.text, c.text, notes


def name_ceiling(q: PreparedName, c: PreparedName, weigh: Weigher) -> float:
    """At least `compare_names(q, c, weigh).score`, for a fraction of its work.

    A token that pairs with nothing on the other side (nor may be part of an acronym)
    stays unmatched, and costs at least half its weight unless it is optional; a
    token that does pair adds at most its weight times its best pair score to the
    matched weight, and its weight to the total. So matched / total is at most
    live / (live + dead): `live` the tokens' weights times their best scores, `dead`
    half the weight of the unpairable. The adjustments after (given names or
    patronymics differ, legal forms, the one-word cap) only lower the score; words
    joined and the count of name parts are decided here as there. Weights are not
    negative.
    """
    q0, c0 = q, c
    q, c = _written_alike(q, c)
    if not q.significant or not c.significant:
        return 0.0
    qt, ct = q.tokens, c.tokens
    q_best = []
    c_best = [0.0] * len(ct)
    stated = _roles_stated(q) and _roles_stated(c)
    for a in qt:
        best = 0.0
        for j, b in enumerate(ct):
            s = 0.0 if stated and _crossed(a, b) else _pair(a, b)[0]
            if s > best:
                best = s
            if s > c_best[j]:
                c_best[j] = s
        q_best.append(best)
    person = q.person or c.person
    if not person:
        _acronym_reach(qt, ct, q_best, c_best)
        _acronym_reach(ct, qt, c_best, q_best)
    live = dead = 0.0
    for tokens, bests in ((qt, q_best), (ct, c_best)):
        for t, best in zip(tokens, bests, strict=True):
            if best > 0:
                live += _weight(t, weigh) * best
            elif t.role not in OPTIONAL_ROLES:
                dead += 0.5 * _weight(t, weigh)
    if not live:
        return 0.0
    # The slack covers float rounding in either computation, which is far smaller.
    bound = min(1.0, live / (live + dead) + 1e-9)
    if person and _parts(q0, c0, q, c) == 1 and not _mononym(q0, c0):
        return min(bound, SINGLE_TOKEN_CAP)
    return bound


def _scrambled(qt: tuple[Token, ...], links: list[tuple[int, int]]) -> bool:
    """Whether the syllables both names share stand in an order that no rotation of one
    name gives in the other ("Jong Su RI" and "RI Jong Su" are rotations). Words are compared
    by their query-side keys, so a repeated word may stand for either of its places."""
    if any(len(qt[i].text) > SYLLABLE_MAX for i, _ in links):
        return False
    in_query = [qt[i].key for i, _ in sorted(links)]
    in_candidate = [qt[i].key for i, _ in sorted(links, key=itemgetter(1))]
    n = len(in_query)
    return all(in_candidate != in_query[k:] + in_query[:k] for k in range(n))


def _roles_stated(n: PreparedName) -> bool:
    """A person's name given in parts (firstName, lastName): which word is the surname
    is stated, not guessed from the order (see prepare.PARTS_KIND)."""
    return n.kind == PARTS_KIND


def _crossed(a: Token, b: Token) -> bool:
    """One's given name is the other's surname. Where both names state their roles,
    that is two people (first name Friedrich, last name Hans is not Hans Friedrich);
    where either is guessed from the order, it may be the guess that is wrong."""
    return {a.role, b.role} == _GIVEN_AND_SURNAME


def _mononym(q: PreparedName, c: PreparedName) -> bool:
    """Both names are one single word, and the same name (Hannibal, Муслим / Muslim): a
    person known by one name alone, whom the one-word cap would hold below a match
    however the rest agrees. A long word the scorer pairs with the other is that name
    with a typo (Hanniball, Hannibol; Vajiralongkron) or in another spelling (Muhammad /
    Mohammed), if it ends alike: shorter words and other endings make other names one
    letter apart (Maria / Mario; Roberto / Roberta, Ivanov / Ivanova: brother, sister)."""
    if q.significant != 1 or c.significant != 1:
        return False
    a = next(t for t in q.tokens if t.role not in OPTIONAL_ROLES)
    b = next(t for t in c.tokens if t.role not in OPTIONAL_ROLES)
    if a.role in ("initial", "number") or b.role in ("initial", "number"):
        return False
    if a.text != b.text or a.key != b.key:
        near = min(len(a.text), len(b.text)) >= MONONYM_MIN and a.text[-1] == b.text[-1]
        if not near or not _pair(a, b)[0]:
            return False
    # Scripts romanised by sound (Chinese, Japanese, Korean, Thai…) give one spelling to
    # different names, and near spellings to names a syllable apart: 高石早苗 and 高市早苗
    # both read takaishi sanae, 习近朋 / 习近平 read xijinpeng / xijinping. There the word
    # must be the same in its own script.
    romanised = romanize_other_scripts(q.text) != q.text or romanize_other_scripts(c.text) != c.text
    return not romanised or q.text.strip() == c.text.strip()


def _acronym_reach(
    side: tuple[Token, ...], other: tuple[Token, ...], side_best: list[float], other_best: list[float]
) -> None:
    """Raise to ACRONYM_SCORE the best score of each token of `side` that spells the
    initials of a run of `other` (see `_acronym_run`), and of the tokens of each run:
    whichever of them `compare_names` leaves unmatched may match so."""
    # One character per token, so that a run of initials is a substring; NUL for the
    # tokens no run may include.
    initials = "".join(t.text[:1] if t.role in ORG_ROLES and t.text else "\0" for t in other)
    for k, t in enumerate(side):
        acronym = t.text
        if not ACRONYM_LEN[0] <= len(acronym) <= ACRONYM_LEN[1] or not acronym.isalpha():
            continue
        start = initials.find(acronym)
        while start >= 0:
            side_best[k] = max(side_best[k], ACRONYM_SCORE)
            for j in range(start, start + len(acronym)):
                other_best[j] = max(other_best[j], ACRONYM_SCORE)
            start = initials.find(acronym, start + 1)


def _weight(t: Token, weigh: Weigher) -> float:
    """A token's weight in `compare_names`."""
    w = INITIAL_WEIGHT if t.role == "initial" else weigh(t.key)
    return w * GENERIC_WEIGHT if t.role == "generic" else w


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


_first = itemgetter(0)


def _done(tokens: tuple[Token, ...], used: dict[int, float]) -> bool:
    """Every token matched but for patronymics and particles."""
    return all(k in used or t.role in OPTIONAL_ROLES for k, t in enumerate(tokens))


def _patronymics_differ(
    qt: tuple[Token, ...], used_q: dict[int, float], ct: tuple[Token, ...], used_c: dict[int, float]
) -> bool:
    """Both names state a patronymic, and none of one side's can be the other's."""
    qp = [t for k, t in enumerate(qt) if k not in used_q and t.role == "patronymic"]
    cp = [t for k, t in enumerate(ct) if k not in used_c and t.role == "patronymic"]
    return bool(qp and cp) and not any(_same_father(a, b) for a in qp for b in cp)


def _surnames_differ(
    qt: tuple[Token, ...], used_q: dict[int, float], ct: tuple[Token, ...], used_c: dict[int, float]
) -> bool:
    """Both names leave a surname unmatched, and a patronymic matched: all but the
    family name agree. Surnames that sound alike are spared: they may be one name in
    Ukrainian and Russian form (Shchoholiev, Shchegolev) that no token rule pairs."""
    if not (
        any(t.role == "patronymic" for k, t in enumerate(qt) if k in used_q)
        and any(t.role == "patronymic" for k, t in enumerate(ct) if k in used_c)
    ):
        return False
    qs = [t for k, t in enumerate(qt) if k not in used_q and t.role == "surname"]
    cs = [t for k, t in enumerate(ct) if k not in used_c and t.role == "surname"]
    return bool(qs and cs) and not any(phonetic(a.text) == phonetic(b.text) for a in qs for b in cs)


def _same_father(a: Token, b: Token) -> bool:
    """Whether two patronymics that did not pair may still name one father. Where the
    table knows neither, forms of one name in two languages share their start
    (Ukrainian Yakovych, Russian Yakovlevich) or their consonants (Hryhorovych,
    Grigorievich; Khamis, Khemais); patronymics of two names rarely do."""
    if a.cls is not None and b.cls is not None:
        return not set(a.cls).isdisjoint(b.cls)
    return _common_prefix(a.key, b.key) >= FATHER_PREFIX or phonetic(a.text) == phonetic(b.text)


def _national(t: Token) -> bool:
    """A country after an organisation's name, which the other name lacks, marks a
    national branch, another body (Banco Santander Mexico is not Banco Santander): it
    costs in full, not as an extra word. In front it is part of the name (Russian
    Direct Investment Fund)."""
    return t.role in ORG_ROLES and is_place(t.text)


def _unmatched_nisba(tokens: tuple[Token, ...], used: dict[int, float]) -> bool:
    return any(
        k not in used and t.role == "surname" and k > 0 and tokens[k - 1].text in ARABIC_ARTICLES
        for k, t in enumerate(tokens)
    )


def _unmatched_role(tokens: tuple[Token, ...], used: dict[int, float], role: str) -> bool:
    return len(used) < len(tokens) and any(k not in used and t.role == role for k, t in enumerate(tokens))


def _businesses_differ(
    qt: tuple[Token, ...], used_q: dict[int, float], ct: tuple[Token, ...], used_c: dict[int, float]
) -> bool:
    """Both organisation names have a generic word the other lacks, and none of one
    side's may be the other's: SAMAN BANK and SAMAN SHIPPING, DAY BANK and DAY
    INVESTMENT, STROYTRANSGAZ HOLDING and STROYTRANSGAZ GROUP are bodies of one family,
    which the lists name by what each does. Int'l is International abbreviated; trading,
    import and export are one trade (names/orgs.business_of)."""
    qg = _unmatched_business(qt, used_q)
    cg = _unmatched_business(ct, used_c) if qg else []
    return bool(cg) and not any(_one_business(a, b) for a, b in product(qg, cg))


def _unmatched_business(tokens: tuple[Token, ...], used: dict[int, float]) -> list[tuple[Token, str]]:
    """The unmatched generic words that name a business, each with it."""
    out = []
    for k, t in enumerate(tokens):
        if k not in used and t.role == "generic":
            business = business_of(t.key)
            if business and business != "none":
                out.append((t, business))
    return out


def _one_business(a: tuple[Token, str], b: tuple[Token, str]) -> bool:
    if a[1] == b[1]:
        return True
    short, long_ = sorted((a[0].text, b[0].text), key=len)
    letters = iter(long_)
    return len(short) >= 2 and short[0] == long_[0] and all(c in letters for c in short)
