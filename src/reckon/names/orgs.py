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

from dataclasses import dataclass
from functools import cache

from reckon.names.normalize import normalize
from reckon.names.translit import latinize, skeleton


@dataclass(frozen=True, slots=True)
class OrgTerms:
    legal: dict[tuple[str, ...], str]  # skeleton sequence -> legal-form class
    generic: frozenset[str]  # skeletons of generic words
    longest: int


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
    # Imported here: importlib.resources costs ~20 ms at import and is needed only now.
    from importlib import resources

    text = resources.files("reckon.data").joinpath("names/org_terms.tsv").read_text(encoding="utf-8")
    legal: dict[tuple[str, ...], str] = {}
    generic: set[str] = set()
    header = True
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if header:
            header = False
            continue
        kind, cls, forms = line.split("\t")
        for form in forms.split("|"):
            keys = _skeletons(form)
            if not keys:
                continue
            if kind == "legal":
                legal.setdefault(keys, cls)
            else:
                generic.update(keys)
    return OrgTerms(legal, frozenset(generic), max(len(k) for k in legal))


def _join_letters(tokens: list[str]) -> list[str]:
    """Glue runs of one-letter tokens: normalize() made "P.J.S.C." into "p j s c"."""
    out: list[str] = []
    run = ""
    for tok in tokens:
        if len(tok) == 1:
            run += tok
            continue
        if run:
            out.append(run)
            run = ""
        out.append(tok)
    if run:
        out.append(run)
    return out


def org_name(text: str) -> OrgName:
    """Split an organisation's name into comparison tokens, legal forms and generic words."""
    terms = load_terms()
    tokens = _join_letters(latinize(normalize(text)).split())
    keys = [skeleton(t) for t in tokens]
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
    out_keys = tuple(keys[i] for i in kept)
    generic = frozenset(t for t, k in zip(out_tokens, out_keys, strict=True) if k in terms.generic)
    return OrgName(out_tokens, out_keys, frozenset(forms), generic)


def legal_form_class(text: str) -> str | None:
    """The class of a legal form written alone ("ПАО", "P.J.S.C.", "Limited"), or None."""
    keys = tuple(skeleton(t) for t in _join_letters(latinize(normalize(text)).split()))
    return load_terms().legal.get(keys)


def is_generic(token: str) -> bool:
    """Whether a token is a generic organisation word (trading, group, holding, bank…)."""
    return skeleton(token) in load_terms().generic
