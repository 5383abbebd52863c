"""Organisation names: legal forms, quotes and generic words.

`org_name("ООО «Ромашка Трейдинг»")` gives the comparison tokens ("romashka",
"treiding"), the legal forms as classes ({"llc"}) and the generic words among the
tokens ({"treiding"} is not one; "trading" is). Legal forms are removed from the tokens
because "OOO Romashka" and "Romashka LLC" are one name; they stay available as a feature
because "Romashka JSC" and "Romashka LLC" may be two companies. Generic words stay in
the tokens: the scorer decides how little they weigh.

Terms live in reckon/data/names/org_terms.tsv and are matched by token skeletons, so
"Obshchestvo s Ogranichennoy Otvetstvennostyu", "Общество с ограниченной
ответственностью" and "OOO" / "ООО" / "O.O.O." all find the class "llc".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz.distance import OSA

from reckon.names.normalize import normalize
from reckon.names.tables import country_table, tsv_rows
from reckon.names.translit import latinize, skeleton


@dataclass(frozen=True, slots=True)
class OrgTerms:
    legal: dict[tuple[str, ...], str]  # skeleton sequence -> legal-form class
    generic: frozenset[str]  # skeletons of generic words
    # Skeleton of each generic word -> the business it names (see org_terms.tsv).
    business: dict[str, str]
    longest: int
    # Words of legal forms written out (limited, liability, joint…), latinised: a
    # misspelt one next to a correct one is corrected (LIMITD LIABILITY COMPANY).
    legal_words: frozenset[str]


@dataclass(frozen=True, slots=True)
class OrgWords:
    """Words of organisation names and their English meaning (data/names/org_words.tsv)."""

    exact: dict[str, str]  # skeleton -> skeleton of the meaning's English word
    stems: dict[str, str]  # stem skeleton -> same
    shortest: int  # the shortest stem


# Legal forms that are one form under another name: the Russian joint-stock company
# reform of 2014 made OAO/ZAO into PAO/AO, and lists translate ООО as LLC or Ltd.
# "Company" alone says nothing about the form.
_FAMILY = {"ojsc": "jsc", "cjsc": "jsc", "pjsc": "jsc", "njsc": "jsc", "ltd": "llc", "company": ""}


@dataclass(frozen=True, slots=True)
class OrgName:
    tokens: tuple[str, ...]  # latinised, normalised comparison tokens, legal forms removed
    keys: tuple[str, ...]  # skeleton of each token
    legal_forms: frozenset[str]  # legal-form classes found ("llc", "jsc", ...)
    generic: frozenset[str]  # the tokens that are generic words


def _skeletons(text: str) -> tuple[str, ...]:
    return tuple(filter(None, (skeleton(t) for t in latinize(normalize(text)).split())))


@cache
def load_terms() -> OrgTerms:
    legal: dict[tuple[str, ...], str] = {}
    generic: set[str] = set()
    business: dict[str, str] = {}
    words: set[str] = set()
    for row in tsv_rows("org_terms.tsv"):
        kind, cls, forms = row["kind"], row["class"], row["forms"]
        for form in forms.split("|"):
            keys = _skeletons(form)
            if not keys:
                continue
            if kind == "legal":
                legal.setdefault(keys, cls)
                if len(keys) > 1:
                    words.update(w for w in latinize(normalize(form)).split() if len(w) >= 4)
            else:
                generic.update(keys)
                for k in keys:
                    business.setdefault(k, k if cls == "generic" else cls)
    return OrgTerms(legal, frozenset(generic), business, max(len(k) for k in legal), frozenset(words))


@cache
def load_words() -> OrgWords:
    exact: dict[str, str] = {}
    stems: dict[str, str] = {}
    for row in tsv_rows("org_words.tsv"):
        meaning, forms = row["meaning"], row["forms"]
        target = skeleton(meaning)
        for form in forms.split("|"):
            key = skeleton(form.rstrip("*"))
            if key:
                (stems if form.endswith("*") else exact).setdefault(key, target)
    return OrgWords(exact, stems, min(map(len, stems)))


@lru_cache(maxsize=1 << 16)
def translate_key(key: str) -> str:
    """The key of an organisation word by its English meaning, if the table knows it
    ("zavod", "завод" and "plant" all give skeleton("plant")), else `key`."""
    words = load_words()
    hit = words.exact.get(key)
    if hit is not None:
        return hit
    for n in range(len(key), words.shortest - 1, -1):
        hit = words.stems.get(key[:n])
        if hit is not None:
            return hit
    return key


@cache
def _places() -> frozenset[str]:
    """One-word names of countries and their peoples in reckon/data/countries.tsv,
    latinised; not the codes, which collide with words and acronyms (CAN, AND)."""
    names = (latinize(normalize(name)) for name in country_table())
    return frozenset(name for name in names if len(name) >= 4 and " " not in name)


def is_place(token: str) -> bool:
    """Whether a latinised token is a country's name or its people's (mexico, russian)."""
    return token in _places()


def legal_forms_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sets of legal-form classes name different forms (JSC vs LLC), not
    one form under two names (PJSC vs JSC, Ltd vs LLC) or no form at all ("Company")."""
    fa = {f for f in (_FAMILY.get(x, x) for x in a) if f}
    fb = {f for f in (_FAMILY.get(x, x) for x in b) if f}
    return bool(fa and fb and not fa & fb)


# What a legal form makes of its holder, where not a company: a non-profit (ANO) or a
# sole trader (IP) is never the company of the same name, where a JSC may well be the
# LLC it was before it changed its form.
_BODY = {"ano": "non-profit", "ip": "sole trader"}


def legal_kinds_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sets of legal-form classes make different kinds of body (ANO, a
    non-profit, vs LLC, a company); "Company" alone says nothing."""
    ka = {_BODY.get(f, "company") for f in (_FAMILY.get(x, x) for x in a) if f}
    kb = {_BODY.get(f, "company") for f in (_FAMILY.get(x, x) for x in b) if f}
    return bool(ka and kb and not ka & kb)


# "N9", "No. 9", "№ 9", "61ST", "Forty-Four" and "First" are numbers: 9, 9, 9, 61, 44, 1.
_NUMBER_SIGN = frozenset({"n", "no", "nr", "nomer"})
_GLUED_NUMBER = re.compile(r"(?:n|no|nr)(\d+)|(\d+)(?:st|nd|rd|th)")
_UNITS = {
    w: n
    for n, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_ORDINALS = {
    w: n
    for n, w in enumerate(
        [
            "_",
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
        ]
    )
    if n
}
# "fourty": as misspelt in real names (Brigade Fourty-four).
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70}
_TENS |= {"eighty": 80, "ninety": 90}
_NUMBER_WORDS = frozenset(_UNITS) | frozenset(_ORDINALS) | frozenset(_TENS) | _NUMBER_SIGN


def _numbers(tokens: list[str]) -> list[str]:
    if not any(tok in _NUMBER_WORDS or any(ch.isdigit() for ch in tok) for tok in tokens):
        return tokens
    tokens = list(tokens)  # "forty four" is rewritten in place as one number
    out: list[str] = []
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if tok in _NUMBER_SIGN and nxt.isdigit():
            continue
        unit = _UNITS.get(nxt, int(nxt) if len(nxt) == 1 and nxt.isdigit() else 0)
        if tok in _TENS and 0 < unit < 10:
            # Forty Four, and Forty 4 as lists mix words and digits: one number.
            tokens[i + 1] = str(_TENS[tok] + unit)
            continue
        word = _UNITS.get(tok, _TENS.get(tok, _ORDINALS.get(tok)))
        if word is not None:
            out.append(str(word))
            continue
        m = _GLUED_NUMBER.fullmatch(tok)
        out.append((m.group(1) or m.group(2)) if m else tok)
    return out


# Roman numerals number funds, trusts and vessels as digits do (Fund II, SEA STAR III,
# XXI CENTURY), up to XXIX: XXX is a word. Not inside a word joined by an apostrophe,
# hyphen, slash or ampersand (XI'AN, JIHAD-I-ISLAMI, J/V), nor after a period (V.I.).
# Cyrillic and Greek I and X count: lists type them for the Latin ones (Sara IІ), and
# Russian and Ukrainian write the century ХХI with a Cyrillic Х.
_ROMAN_WORD = re.compile(r"(?<![\w'’.&/-])[IVXivxІХΙΧіх]+(?![\w'’&/-])")
_ROMAN = re.compile(r"x{0,2}(?:ix|iv|v?i{0,3})")
_ROMAN_LATIN = str.maketrans("ІХΙΧіхIVX", "ixixixivx")
_ROMAN_DIGITS = {"i": 1, "v": 5, "x": 10}
# Just before a word, what makes it no numeral: a letter standing alone, with or
# without its period, then maybe "and" (initials or an acronym written letter by letter:
# V. I. Lenin, A V I, E. X. Co., PSB I AND I LLC); a comma, after which II and III are a
# person's generation (George Charles Budenz, II, which a list types as an entity).
_NOT_NUMERAL_BEFORE = re.compile(r"(?:(?:^|\s)[^\W\d_]\.?\s*(?:(?:and|&)\s*)?|,\s*)$", re.IGNORECASE)


def _roman_value(word: str) -> int:
    values = [_ROMAN_DIGITS[ch] for ch in word]
    return sum(-v if v < w else v for v, w in zip(values, [*values[1:], 0], strict=True))


def _ends_name(rest: str) -> bool:
    """Whether `rest`, the text after a word, leaves that word last in the name but for
    punctuation, a legal form or a country (Fund I, Ltd.; PSB II OOO; Solutions II France)."""
    rest = rest.lstrip()
    if not rest or rest[0] in ",;.()[]":
        return True
    words = rest.split()
    for n in range(min(len(words), load_terms().longest), 0, -1):
        form = " ".join(words[:n])
        # One letter is no legal form here, though its skeleton is OOO's: RESHENIE O
        # LIKVIDATSII I O LIKVIDATORE (decision on the liquidation and on the liquidator).
        if sum(ch.isalpha() for ch in form) > 1 and legal_form_class(form):
            return True
    return is_place(latinize(normalize(words[0])))


def read_roman(text: str) -> str:
    """`text` with its roman numerals written in digits, where they are numerals: in
    capitals (the Polish, Czech and Serbian "i" is "and"), unless the whole name is in
    lower case; never the first word (I JET GLOBAL, XI'AN) nor a letter next to other
    lone letters (V. I. Lenin). One or two letters are also initials, a conjunction or a
    preposition when a word follows (NAMED AFTER VI CHAPAEV, LASHKAR I JHANGVI, INSTITUT
    EKONOMIKI I ORGANIZATSII, V GAZOVOI PROMYSHLENNOSTI): they are read at the end of the
    name only, before a legal form or a country (AGUSTA GRAND I LLC). Persons' names do
    not come here: John Smith III is a generation, not a number."""
    if not _ROMAN_WORD.search(text):
        return text
    any_case = not any(ch.isupper() for ch in text)
    out: list[str] = []
    last = 0
    for m in _ROMAN_WORD.finditer(text):
        word, before, after = m.group(), text[: m.start()], text[m.end() :]
        latin = word.translate(_ROMAN_LATIN)
        if not _ROMAN.fullmatch(latin) or not (word.isupper() or any_case):
            continue
        if not any(ch.isalnum() for ch in before):
            continue
        if (after.startswith(".") and after[1:].strip()) or _NOT_NUMERAL_BEFORE.search(before):
            continue
        if len(word) < 3 and not _ends_name(after):
            continue
        out.append(text[last : m.start()])
        out.append(str(_roman_value(latin)))
        last = m.end()
    return "".join(out) + text[last:] if out else text


# Words that join the parts of a name and say nothing of it: H&M = H and M = HM.
_CONNECTORS = frozenset({"and", "und", "et", "и"})
# The Arabic article as it is said before a "sun letter", whose consonant it takes
# (at-Tawhid, ad-Dawa, ash-Sham; Hizb ut-Tahrir), in Latin and Cyrillic letters: "al".
# Else the Cyrillic ат- of Катиба ат-Таухид (UN QDe.168) reads as the Ukrainian legal
# form АТ, and at-Tawhid is not al-Tawhid. Only before its own consonant: the AD of
# NOVE-AD-HOLDING AD (OFSI) stays a word.
_ARABIC_ARTICLE = re.compile(
    r"(?<![^\W\d_])[aeuау](sh|th|dh|[tdsnrz]|[тдсшнрз])[-‐‑](?=\1)",
    re.IGNORECASE,
)


def _correct_legal(tokens: list[str], keys: list[str], terms: OrgTerms) -> None:
    """Misspelt words of a written-out legal form, next to a correct one, corrected in place."""
    words = terms.legal_words
    for i, tok in enumerate(tokens):
        if len(tok) < 4 or tok in words or translate_key(keys[i]) in terms.generic:
            continue
        near = (i > 0 and tokens[i - 1] in words) or (i + 1 < len(tokens) and tokens[i + 1] in words)
        if not near:
            continue
        fits = [
            w
            for w in words
            if w[0] == tok[0] and abs(len(w) - len(tok)) <= 1 and OSA.distance(w, tok, score_cutoff=1) <= 1
        ]
        if len(fits) == 1:
            tokens[i] = fits[0]
            keys[i] = skeleton(fits[0])


def _join_letters(tokens: list[str]) -> list[str]:
    """Glue runs of one-letter tokens: normalize() made "P.J.S.C." into "p j s c". A
    run that ends in a legal form is two words: "Partners V L.P." is V, then L.P."""
    out: list[str] = []
    run = ""
    for tok in [*tokens, ""]:
        if len(tok) == 1:
            run += tok
            continue
        if run:
            out.extend(_split_run(run))
            run = ""
        if tok:
            out.append(tok)
    return out


_DIGITS_THEN_LETTERS = re.compile(r"(.*\d)(\D+)")


def _split_run(run: str) -> tuple[str, ...]:
    """A run of one-letter tokens as one word, or as a word and the legal form that
    ends it (V L P: V, LP)."""
    legal = load_terms().legal
    digits = _DIGITS_THEN_LETTERS.fullmatch(run)
    if digits:
        # A number is no part of a form (Fund 1 A.G., Partners V L.P. read as 5), though
        # skeletons, which drop digits, would find one in the whole run.
        number, tail = digits.groups()
        form = (skeleton(tail),) in legal or tuple(skeleton(c) for c in tail) in legal
        return (number, tail) if form else (run,)
    if (skeleton(run),) in legal:
        return (run,)
    # The tail is looked up letter by letter (L P, N V, as the table spells them), not
    # glued: skeletons collapse doubled letters, so the "oo" of Sp. z o.o. would be OOO.
    for j in range(1, len(run) - 1):
        if tuple(skeleton(c) for c in run[j:]) in legal:
            return run[:j], run[j:]
    return (run,)


def org_name(text: str) -> OrgName:
    """Split an organisation's name into comparison tokens, legal forms and generic words."""
    terms = load_terms()
    if "-" in text or "‐" in text or "‑" in text:
        text = _ARABIC_ARTICLE.sub("al ", text)
    words = [w for w in normalize(read_roman(text)).split() if w not in _CONNECTORS]
    tokens = _numbers(_join_letters(latinize(" ".join(words)).split()))
    keys = [skeleton(t) for t in tokens]
    _correct_legal(tokens, keys, terms)
    kept: list[int] = []
    forms: set[str] = set()
    i = 0
    while i < len(keys):
        for size in range(min(terms.longest, len(keys) - i), 0, -1):
            cls = terms.legal.get(tuple(keys[i : i + size]))
            if cls is not None:
                forms.add(cls)
                i += size
                break
        else:
            kept.append(i)
            i += 1
    if not kept:
        # The whole name is a legal form ("Company"): keep it rather than return nothing.
        kept = list(range(len(tokens)))
    out_tokens = tuple(tokens[i] for i in kept)
    out_keys = tuple(translate_key(keys[i]) for i in kept)
    generic = frozenset(t for t, k in zip(out_tokens, out_keys, strict=True) if k in terms.generic)
    return OrgName(out_tokens, out_keys, frozenset(forms), generic)


def legal_form_class(text: str) -> str | None:
    """The class of a legal form written alone ("ПАО", "P.J.S.C.", "Limited"), or None."""
    keys = tuple(skeleton(t) for t in _join_letters(latinize(normalize(text)).split()))
    return load_terms().legal.get(keys)


def business_of(key: str) -> str | None:
    """The business a generic word names, by its skeleton ("trade" for trading, import
    and export; the word itself for bank or shipping; "none" for the, of), or None for
    a word that is not generic."""
    return load_terms().business.get(key)


def is_generic(token: str) -> bool:
    """Whether a token is a generic organisation word (trading, group, holding, bank…)."""
    return translate_key(skeleton(token)) in load_terms().generic
