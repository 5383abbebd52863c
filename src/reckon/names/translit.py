"""Cyrillic to Latin, and a key that does not care which romanisation a list used.

`latinize(text)` writes Russian, Ukrainian, Belarusian and Kazakh Cyrillic in one
canonical Latin scheme: ICAO Doc 9303, except that ъ is dropped as the lists do (the scheme of Russian passports since 2013 and
of Ukrainian and Belarusian passports, which is also close to the Ukrainian and
Belarusian national schemes). The language is guessed from the letters of the whole
text (і ї є ґ → Ukrainian, ў → Belarusian, қ ғ ң ө ұ ү һ ә → Kazakh), so that и and г
in "Путін Володимир" are read the Ukrainian way; pass `lang` to force it.

`skeleton(token)` maps a Latin token, whether a list spelling or latinize() output, to
a key that is the same under ICAO, BGN/PCGN, GOST 7.79 (system B), ALA-LC, scientific,
the French-style Soviet passport spellings and German spellings. It merges, in order:

- sibilants and velar fricatives into one class H: ch, sh, shch, sch, tch, tsch,
  shtch, schtsch, kh, h, cz, sz, initial x. This is forced by the spellings the lists
  use: "ch" is ч in English (Abramovich), ш in French (Chostakovitch) and х in German
  and Polish (Chodorkowski), while "h" is х in others (Hodorkovskiy);
- ж and з (zh, z; ž is z after normalize); ц (ts, tz, and c before e/i/y); final c
  is ч (the -ić/-ič of ASCII-fied Slavic names);
- w→v, ph→f, q→k, ck→k, x→ks, gu before e/i→g (Serguei), French ou→u, French jou→zu;
- y and j→i; a glide before e is dropped (Yevgeniy/Evgenii, Vasilyeva/Vasileva), and
  before u inside a word (Lyudmila/Ludmila); glide + o is ё, written e (Pyotr, Piotr,
  Petr). A glide before a, and at the start before u, is kept, so that Yana is not
  Anna and Yulia is not Ulia;
- runs of one letter collapse (Gennadiy/Genadi, ii/iy/y endings), French final -ine→-in
  (Poutine);
- -off at the end is -ov (Smirnoff).

The key is for equality and blocking, not display: "khodorkovskiy" becomes "Hodorkovski".
Russian and Ukrainian forms of one given name (Aleksandr, Oleksandr) are different
names with different skeletons: `given_names` links them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from reckon.names.normalize import normalize
from reckon.names.script import script_run_pattern

_COMMON = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",  # ICAO writes "ie"; the lists and most schemes drop it (Podyarsky)
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
    # Letters of other Cyrillic alphabets that turn up in names on the lists.
    "і": "i",
    "ї": "i",
    "є": "ie",
    "ґ": "g",
    "ў": "u",
    "ј": "j",
    "ђ": "dj",
    "ћ": "c",
    "љ": "lj",
    "њ": "nj",
    "џ": "dz",
    "ѓ": "g",
    "ќ": "k",
    "ѕ": "dz",
    "ә": "a",
    "ғ": "g",
    "қ": "k",
    "ң": "n",
    "ө": "o",
    "ұ": "u",
    "ү": "u",
    "һ": "h",
    "ӏ": "",
}
# Ukrainian: г is h, и is y (ICAO and the 2010 national scheme agree).
_UK = {"г": "h", "и": "y"}
# Belarusian: г is h; ў is u in passports (Viachaslau).
_BE = {"г": "h"}
_LANG_TABLES: dict[str, dict[int, str]] = {}
for _lang, _over in (("ru", {}), ("uk", _UK), ("be", _BE), ("kk", {})):
    _table = {ord(k): v for k, v in _COMMON.items()}
    _table.update({ord(k): v for k, v in _over.items()})
    _LANG_TABLES[_lang] = _table
# Letters that identify the language of a Cyrillic text, checked in this order:
# Belarusian і also occurs in Ukrainian, so ў decides first; Kazakh letters win over і.
_LANG_MARKERS = (("kk", frozenset("әғқңөұүһ")), ("be", frozenset("ў")), ("uk", frozenset("іїєґ")))
_ALL_MARKERS = frozenset().union(*(m for _, m in _LANG_MARKERS))
_CYRILLIC = re.compile(r"[\u0400-\u052f]")


def cyrillic_language(text: str) -> str:
    """ISO 639-1 code of the Cyrillic alphabet of `text`'s letters; "ru" by default."""
    chars = _ALL_MARKERS.intersection(text.lower())
    if chars:
        for lang, markers in _LANG_MARKERS:
            if chars & markers:
                return lang
    return "ru"


def latinize(text: str, lang: str | None = None) -> str:
    """`text` with its Cyrillic letters in the canonical Latin scheme, lowercased.

    Non-Cyrillic characters pass through unchanged (lowercased); pass normalize()d text
    to also get rid of punctuation and diacritics.
    """
    text = text.lower()
    if not _CYRILLIC.search(text):
        return text
    table = _LANG_TABLES.get(lang or cyrillic_language(text), _LANG_TABLES["ru"])
    return text.translate(table)


# Steps of `skeleton`, applied in order. Multi-letter spellings become one uppercase
# placeholder so that later steps cannot split them again: H (ч ш щ х), Z (ж з), C (ц).
_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("schtsch", "H"),
    ("shtch", "H"),
    ("shch", "H"),
    ("tsch", "H"),
    ("tch", "H"),
    ("sch", "H"),
    ("zh", "Z"),
    ("kh", "H"),
    ("ch", "H"),
    ("sh", "H"),
    ("cz", "H"),
    ("sz", "H"),
    ("tts", "C"),
    ("tc", "C"),  # GOST 52535 (Russian passports 2010-2013): frantcuzskikh
    ("ts", "C"),
    ("tz", "C"),
    ("ck", "k"),
    ("ph", "f"),
    ("gh", "g"),
    ("jou", "Zu"),
)
_SINGLE = str.maketrans({"h": "H", "w": "v", "q": "k", "y": "i", "j": "i", "z": "Z"})
_C_SOFT = re.compile(r"c(?=[eiy])")
_C_FINAL = re.compile(r"c$")
_GU_SOFT = re.compile(r"gu(?=[ei])")
_GLIDE_O = re.compile(r"i+o")
_GLIDE_E = re.compile(r"i+e")
_GLIDE_U = re.compile(r"(?<=.)i+u")
_RUNS = re.compile(r"(.)\1+")
_OU = re.compile(r"o+u")  # French ou; "o+" so that no "ou" is left to find again
_NOT_LETTER = re.compile(r"[^a-z]+")


_PLAIN = re.compile(r"[a-zHZC]+")


@lru_cache(maxsize=1 << 17)
def skeleton(token: str) -> str:
    """A romanisation-invariant key of one Latin (or Cyrillic) name token.

    Input other than lowercase ASCII letters is normalize()d and latinize()d first.
    The result is ASCII letters, with the classes H, Z and C in uppercase, and ""
    for a token with no letters. skeleton(skeleton(x)) == skeleton(x): the uppercase
    classes are accepted as input and no step undoes another.
    """
    if not _PLAIN.fullmatch(token):
        token = _NOT_LETTER.sub("", latinize(normalize(token)))
        if not token:
            return ""
    # Each pattern is tried only when its letters occur: ~4x fewer regex calls, same result.
    s = ("H" + token[1:] if token[0] == "x" else token).replace("x", "ks")
    for old, new in _DIGRAPHS:
        if old in s:
            s = s.replace(old, new)
    if "ou" in s:
        s = _OU.sub("u", s)
    if "c" in s:
        s = _C_FINAL.sub("H", _C_SOFT.sub("C", s)).replace("c", "k")
    s = s.translate(_SINGLE)
    if "io" in s:
        s = _GLIDE_O.sub("e", s)
    if "ie" in s:
        s = _GLIDE_E.sub("e", s)
    if "iu" in s:
        s = _GLIDE_U.sub("u", s)
    if "ou" in s:
        s = _OU.sub("u", s)
    s = _RUNS.sub(r"\1", s)
    if "gu" in s:
        s = _GU_SOFT.sub("g", s)
    if s.endswith("ine") and len(s) > 4:
        s = s[:-1]
    elif s.endswith("of") and len(s) > 3:
        s = s[:-1] + "v"
    return s


# Where a Latin spelling writes дж as j (English, Uzbek and Tajik: JALOLOV Jahongir,
# Vijay) or, in Italian, gi before a, o, u (Giordano).
_J_SOUND = re.compile(r"(?<!d)j|gi(?=[aou])")


def j_as_dzh(token: str) -> str:
    """The skeleton of a latinised token with j read as дж, the way Russian romanisations
    write it (Джалолов Джахонгир: Dzhalolov Dzhakhongir); `skeleton` reads j as й."""
    return skeleton(_J_SOUND.sub("dzh", token))


def skeleton_text(text: str) -> str:
    """Skeletons of every token of `text`, space-separated (order kept)."""
    return " ".join(filter(None, (skeleton(t) for t in latinize(normalize(text)).split())))


# ISO 9 / GOST 7.79 (system A), GOST 16876, UNGEGN 1987 and the scientific
# transliteration write Cyrillic with diacritics: ш ч ж щ are š č ž ŝ (or šč), я ю are
# â û (or ja ju), х is x (scientific) or h, ц is c, ь ъ are ʹ ʺ. normalize() strips the
# marks, which is right for Latin-script names (Karadžić → KARADZIC) but loses ш and ч
# in "ŠILOV Mixail Valerʹevič". A name that shows these schemes' marks is rewritten in
# plain English-style letters first, which skeleton() then reads like any list spelling.
_SCI_LETTERS = {
    "š": "sh",
    "č": "ch",
    "ž": "zh",
    "ŝ": "shch",
    "â": "ja",
    "û": "ju",
    "x": "kh",
    "c": "ts",
    "ʹ": "",
    "ʺ": "",
}
_SCI_STRONG = frozenset("ʹʺŝ")
_SCI_CARONS = frozenset("šžč")
_SCI_VOWELS = frozenset("âû")
_SCI_TOKEN = re.compile(r"[^\W\d_]+|[ʹʺ]")
# "ch"/"sh"/"zh"/"kh" are not in these schemes' alphabets, but a c before h must not
# become ts if a mixed spelling turns up (Mixail Čehov is fine; Chekhov is left alone).
_SCI_C = re.compile(r"c(?!h)")
_SCI_PATRONYMIC = re.compile(r"(?:ovi[cč]|evi[cč]|ovna|evna)\b")


def _looks_scientific(low: str) -> bool:
    chars = set(low)
    if chars & _SCI_STRONG:
        return True
    if chars & _SCI_CARONS and "x" in chars:
        return True
    return bool(chars & _SCI_VOWELS and (chars & _SCI_CARONS or _SCI_PATRONYMIC.search(low)))


def _recase(src: str, out: str, nxt: str) -> str:
    if not src.isupper():
        return out
    return out.upper() if len(out) == 1 or not nxt.islower() else out.capitalize()


def descientific(text: str) -> str:
    """`text` with the letters of ISO 9, GOST 7.79 and the scientific transliteration of
    Cyrillic (š č ž ŝ â û x c ʹ ʺ) written the English way (sh ch zh shch ja ju kh ts),
    when the text shows those schemes' marks; otherwise `text` unchanged.

    "ŠILOV Mixail Valerʹevič" → "SHILOV Mikhail Valerevich"; "LAPPA Âna Igorevna" →
    "LAPPA Jana Igorevna". Case is kept for the name parser. Carons alone do not
    qualify: Karadžić and Šešelj are Latin-script names, and the lists write them
    KARADZIC and SESELJ.
    """
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    low = text.lower()
    if not _looks_scientific(low):
        return text
    out: list[str] = []
    for i, ch in enumerate(text):
        lo = low[i]
        if lo == "c" and not _SCI_C.match(low, i):
            out.append(ch)
            continue
        repl = _SCI_LETTERS.get(lo)
        if repl is None:
            out.append(ch)
        else:
            out.append(_recase(ch, repl, text[i + 1 : i + 2]))
    return "".join(out)


# Scripts with no romanisation of reckon's own, romanised by anyascii so that a name in
# them meets its Latin spelling (Բարակ Օբամա = Barak Obama, ბარაკ ობამა, バラク・オバマ).
# Not the abjads: Arabic and Hebrew write few vowels, and a romanisation without them
# (محمد → mhmd) would meet too many names; they compare letter for letter instead.
ANYASCII_SCRIPTS = frozenset(
    {"Grek", "Armn", "Geor", "Deva", "Thai", "Khmr", "Mymr", "Tibt", "Hang", "Hira", "Kana", "Hani", "Ethi"}
)
_OTHER_SCRIPT = script_run_pattern(ANYASCII_SCRIPTS)
# Chinese writes the parts of a foreign name with a middle dot between them (贝拉克·奥巴马,
# Barack Obama; Taiwan uses ‧), where the Latin-1 dot is otherwise a mark inside a word
# (BGN/PCGN's T·s, see normalize): between two Chinese letters it is a space. (Japanese
# ・ is romanised as a hyphen already.)
_LETTER = _OTHER_SCRIPT.pattern[:-1]  # one letter of those scripts
_NAME_DOT = re.compile(f"(?<={_LETTER})[\u00b7\u2027](?={_LETTER})")


def romanize_other_scripts(text: str) -> str:
    """`text` with its runs in ANYASCII_SCRIPTS romanised, lowercased (anyascii writes
    Chinese syllables capitalised, BeiLaKe, which must not split into words)."""
    if text.isascii() or not _OTHER_SCRIPT.search(text):
        return text
    from anyascii import anyascii  # ~40 ms, only for names that need it

    text = _NAME_DOT.sub(" ", text)
    return _OTHER_SCRIPT.sub(lambda m: anyascii(m.group()).lower().replace("'", ""), text)
