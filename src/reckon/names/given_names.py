"""Given names and patronymics that are one name across Russian, Ukrainian and Belarusian.

The table (reckon/data/names/given_names.tsv) holds Cyrillic forms per language and a
few Western spellings. Every Latin spelling is found through `skeleton`, so one row
covers Aleksandr, Alexandr, Oleksandr, Aliaksandr and all their romanisations. Each
class is named by its Russian form in ICAO spelling ("aleksandr").

Patronymics are derived from the male rows by each language's rules (Александрович /
Олександрович / Аляксандравіч, and the female -овна / -івна / -аўна), so that
`patronymic_class("Oleksandrovych") == patronymic_class("Aleksandrovich") == "aleksandr"`.

A diminutive or nickname may stand for several names: Саша for Aleksandr and
Aleksandra, Ted for Edward and Theodore. `given_name_classes` gives all of them, and two
names are one if their classes meet; Edward and Theodore, whose classes do not, stay
apart. Diminutives are the table's `dim` column; English nicknames come from
reckon/data/names/nicknames.tsv (the `nicknames` package's data). `given_name_class`, which
the name parser asks whether a word is a given name, keeps one class and does not read
the English nicknames: knowing "Will" and "Bill" but not the full names around them
(Brian) would make it misread which word of "Brian Will" is the surname.

Western given names as Russian and Ukrainian write them, where neither romanisation nor
sound gives the Latin spelling back (Грэм: Graham, Пьер: Pierre, Хорхе: Jorge), are in
reckon/data/names/western_given.tsv. `western_spelling` gives such a form's Latin spelling,
which the name parser keys it by, so that Грэм compares as Graham does, and it has that
spelling's classes. Forms are looked up as written, not by skeleton: the skeletons of short
transcriptions are other names' (Хью's is Hu's, Луи's Lui's, Энн's Jon's).

The table is read on first use, not at import: it costs a few milliseconds and many
callers of reckon.names never need it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reckon.names.keys import phonetic
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
# A nickname of more names than this says little and finds many wrong people (Chris has
# 18 in the data, Bert 15): it keeps only its own class, if it is a name itself. Five
# keeps Will (William, Wilfred, Wilhelm, Wilbur, Wilson), Tony and Sam; 2% of the
# nicknames have more. Names that differ only in spelling count once (Catherine,
# Katherine; by phonetic key).
_MAX_NICKNAME_NAMES = 5


@dataclass(frozen=True, slots=True)
class GivenNameTable:
    given: dict[str, str]  # skeleton -> class (of the first row, where rows share a form)
    patronymic: dict[str, str]  # skeleton -> class
    sex: dict[str, str]  # class -> "m" / "f"
    classes: dict[str, tuple[str, ...]]  # skeleton -> every class the form stands for, sorted
    western: dict[str, str]  # a Cyrillic form of western_given.tsv, as written -> its Latin name


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
    diminutives: dict[str, set[str]] = {}
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
        for form in filter(None, row.get("dim", "").split("|")):
            for key in _keys(form, "ru"):
                diminutives.setdefault(key, set()).add(cls)
    classes: dict[str, tuple[str, ...]] = {key: (cls,) for key, cls in given.items()}
    for key, names in diminutives.items():
        # After every row: a full name's form (in `given` already) keeps its class.
        given.setdefault(key, min(names))
        classes[key] = tuple(sorted(names | {given[key]}))
    western = {
        normalize(form): row["name"]
        for row in tsv_rows("western_given.tsv")
        for form in filter(None, row["cyrillic"].split("|"))
    }
    return GivenNameTable(given, patronymic, sex, classes, western)


@cache
def _nicknames() -> dict[str, tuple[str, ...]]:
    """English names and nicknames (nicknames.tsv): spelling -> classes, read only for
    words the table does not know; the table's names keep their one class (the data
    gives Alla as a nickname of Alexandra; in Russian it is a name of its own).

    Keyed by spelling, not skeleton: skeletons are made for romanised Cyrillic and
    would make one word of English names that are not one (Jen, Jon; Chester, Hester).
    A full name's class is the table's (Edward: eduard) or its own (theodore); a
    nickname's are its full names' (Ted: eduard, theodore), and its own too where it
    is a full name in the data (Will), for spellings of it. Two full names meet only
    through the data's word that one is the other's nickname: Edward and Theodore,
    who share Ted, do not.
    """
    # Read apart from the table, on the first word the table does not know: ~15 ms, which
    # the name parser, asking only `given_name_class`, does not need.
    given = load_table().given
    rows = [(r["name"], r["nickname"]) for r in tsv_rows("nicknames.tsv")]
    full = {name: given.get(skeleton(name), name) for name, _ in rows}  # name -> class
    names_of: dict[str, set[str]] = {}  # nickname -> its full names' classes
    for name, nick in rows:
        # Some rows run the wrong way (bill has_nickname william, wilma has_nickname
        # william): between two full names, only the shorter is the nickname.
        if nick.isalpha() and (nick not in full or len(nick) < len(name)):
            names_of.setdefault(nick, set()).add(full[name])
    out: dict[str, tuple[str, ...]] = {name: (cls,) for name, cls in full.items()}
    for nick, names in names_of.items():
        own = {full[nick]} if nick in full else set()
        if len({phonetic(n) for n in names}) <= _MAX_NICKNAME_NAMES:
            own |= names
        if own:
            out[nick] = tuple(sorted(own))
    return out  # a word the table knows never gets here: `given_name_classes` asks it first


def _key(token: str) -> str:
    # Lower case first: skeleton() reads a capital Z, C or H as its own class letter, so
    # it would key "Zhenya" as Z+h, apart from "zhenya" and Женя.
    return skeleton(token.lower())


def given_name_class(token: str) -> str | None:
    """The class of a given name in any script or romanisation, or None if unknown.

    One class, of the table's names and diminutives and of Western names in Cyrillic, not
    of English nicknames (see the module docstring).
    """
    # A Western name in Cyrillic is one too: "Грэм Филлипс" is read given name first.
    return load_table().given.get(_key(token)) or western_spelling(token)


def given_name_classes(token: str) -> tuple[str, ...] | None:
    """Every class a given name, diminutive or English nickname may stand for, sorted
    (Sasha: aleksandr, aleksandra; Ted: eduard, ted, theodore), or None if unknown.
    A Western name in Cyrillic has the classes of its Latin spelling (Пьер: petr, as
    Pierre; Майкл: mikhail, as Michael)."""
    written = normalize(token)
    return load_table().classes.get(_key(token)) or _nicknames().get(written) or _western().get(written)


@cache
def _western() -> dict[str, tuple[str, ...]]:
    """western_given.tsv's Cyrillic forms, as written -> the classes of their Latin names
    that the table or the nickname data know (none for Graham, who compares by spelling)."""
    table = load_table()
    nicknames = _nicknames()
    out: dict[str, tuple[str, ...]] = {}
    for form, name in table.western.items():
        classes = table.classes.get(_key(name)) or nicknames.get(name)
        if classes:
            out[form] = classes
    return out


def western_spelling(token: str) -> str | None:
    """The Latin spelling of a Western given name written in Cyrillic (Грэм: graham,
    П'єр: pierre), or None."""
    return None if token.isascii() else load_table().western.get(normalize(token))


def patronymic_class(token: str) -> str | None:
    """The given-name class a patronymic derives from (Sergeevich → "sergei"), or None."""
    return load_table().patronymic.get(_key(token))


def patronymic_classes(token: str) -> tuple[str, ...] | None:
    """`patronymic_class` in the form of `given_name_classes`, to compare with it."""
    cls = load_table().patronymic.get(_key(token))
    return None if cls is None else _one(cls)


@cache
def _one(cls: str) -> tuple[str, ...]:
    return (cls,)  # one tuple per class, shared by every token of it


def given_name_sex(cls: str) -> str | None:
    """ "m" or "f" for a class returned by `given_name_class`."""
    return load_table().sex.get(cls)


def looks_like_patronymic(token: str) -> bool:
    """A known patronymic, or a token with a patronymic ending (-ovich, -ovna, -ivna…).

    Surnames share the -ovich endings (Abramovich), so callers decide by position.
    """
    key = _key(token)
    return key in load_table().patronymic or (len(key) > 5 and key.endswith(_PATRONYMIC_ENDINGS))
