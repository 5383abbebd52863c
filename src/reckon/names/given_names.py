"""Given names and patronymics that are one name across Russian, Ukrainian and Belarusian.

The table (reckon/data/names/given_names.tsv) holds Cyrillic forms per language and a
few Western spellings. Every Latin spelling is found through `skeleton`, so one row
covers Aleksandr, Alexandr, Oleksandr, Aliaksandr and all their romanisations. Each
class is named by its Russian form in ICAO spelling ("aleksandr").

Patronymics are derived from the male rows by each language's rules (Александрович /
Олександрович / Аляксандравіч, and the female -овна / -івна / -аўна), so that
`patronymic_class("Oleksandrovych") == patronymic_class("Aleksandrovich") == "aleksandr"`.

The table is read on first use, not at import: it costs a few milliseconds and many
callers of reckon.names never need it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reckon.names.normalize import normalize
from reckon.names.tables import tsv_rows
from reckon.names.translit import latinize, skeleton

_LANGS = ("ru", "uk", "be")

# Stems that change before a patronymic suffix (fleeting vowels, alternations).
_STEM_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("ru", "павел"): "павл",
    ("ru", "лев"): "льв",
    ("uk", "лев"): "льв",
    ("uk", "федір"): "федор",
    ("uk", "микола"): "миколай",
    ("uk", "гліб"): "глiб",
    ("be", "леў"): "льв",
    ("be", "павел"): "паўл",
}
_SIBILANTS = frozenset("жшчщц")
# Skeleton endings of patronymics (ru -ovich/-evich/-ovna/-evna/-ichna, uk -ovych/-ivna,
# be -avich/-auna/-euna), for names the table does not know.
_PATRONYMIC_ENDINGS = ("oviH", "eviH", "aviH", "ovna", "evna", "iHna", "ivna", "auna", "euna")


@dataclass(frozen=True, slots=True)
class GivenNameTable:
    given: dict[str, str]  # skeleton -> class
    patronymic: dict[str, str]  # skeleton -> class
    sex: dict[str, str]  # class -> "m" / "f"


def _patronymics(lang: str, name: str) -> list[str]:
    """Cyrillic masculine and feminine patronymics of a male given name (lowercase)."""
    stem = _STEM_EXCEPTIONS.get((lang, name))
    if lang == "ru":
        if stem:
            return [stem + "ович", stem + "овна"]
        if name.endswith("ий"):
            s = name[:-2]
            return [s + "ьевич", s + "ьевна", s + "иевич", s + "иевна"]
        if name[-1] in "йь" or name[-1] in _SIBILANTS:
            s = name[:-1] if name[-1] in "йь" else name
            return [s + "евич", s + "евна"]
        if name[-1] in "ая":
            s = name[:-1] if name[-1] == "а" else name[:-1] + "ь"
            return [s + "ич", s + "ична", s + "инична"]
        return [name + "ович", name + "овна"]
    if lang == "uk":
        s = stem or name
        if s.endswith("ій"):
            return [s + "ович", s[:-1] + "ївна"]
        if s[-1] in "оа":
            s = s[:-1]
        if s.endswith("ь"):
            return [s + "ович", s[:-1] + "івна"]
        if s.endswith("й"):
            return [s + "ович", s[:-1] + "ївна"]
        return [s + "ович", s + "івна"]
    # Belarusian: -авіч / -аўна after hard consonants, -евіч / -еўна after soft ones.
    s = stem or name
    if s.endswith("ый") or s.endswith("ій"):
        return [s[:-2] + "ьевіч", s[:-2] + "ьеўна"]
    if s[-1] in "йь":
        return [s[:-1] + "евіч", s[:-1] + "еўна"]
    if s[-1] in "ая":
        return [s[:-1] + "іч", s[:-1] + "ічна"]
    return [s + "авіч", s + "аўна"]


def _keys(form: str, lang: str) -> set[str]:
    """Skeletons of a Cyrillic form read as `lang` and, for uk/be, as Russian too.

    A Ukrainian name without ї/є/ґ/і (Ганна) may reach us with no mark of its language.
    """
    norm = normalize(form)
    keys = {skeleton(latinize(norm, lang))}
    if lang != "ru":
        keys.add(skeleton(latinize(norm, "ru")))
    return keys


@cache
def load_table() -> GivenNameTable:
    given: dict[str, str] = {}
    patronymic: dict[str, str] = {}
    sex: dict[str, str] = {}
    for row in tsv_rows("given_names.tsv"):
        cls = row["class"]
        sex[cls] = row["sex"]
        # First row wins a shared skeleton: rows are ordered so the commoner name is first.
        given.setdefault(skeleton(cls), cls)
        for lang in _LANGS:
            for form in filter(None, row.get(lang, "").split("|")):
                for key in _keys(form, lang):
                    given.setdefault(key, cls)
                if row["sex"] == "m":
                    for patr in _patronymics(lang, normalize(form)):
                        for key in _keys(patr, lang):
                            patronymic.setdefault(key, cls)
        for latin in filter(None, row.get("latin", "").split("|")):
            given.setdefault(skeleton(latin), cls)
    return GivenNameTable(given, patronymic, sex)


def given_name_class(token: str) -> str | None:
    """The class of a given name in any script or romanisation, or None if unknown."""
    return load_table().given.get(skeleton(token))


def patronymic_class(token: str) -> str | None:
    """The given-name class a patronymic derives from (Sergeevich → "sergei"), or None."""
    return load_table().patronymic.get(skeleton(token))


def given_name_sex(cls: str) -> str | None:
    """ "m" or "f" for a class returned by `given_name_class`."""
    return load_table().sex.get(cls)


def looks_like_patronymic(token: str) -> bool:
    """A known patronymic, or a token with a patronymic ending (-ovich, -ovna, -ivna…).

    Surnames share the -ovich endings (Abramovich), so callers decide by position.
    """
    key = skeleton(token)
    return key in load_table().patronymic or (len(key) > 5 and key.endswith(_PATRONYMIC_ENDINGS))
