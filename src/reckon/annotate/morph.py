"""Russian and Ukrainian word forms of the names in the lists, and the lemma of a word
met in a text.

The lists give a surname once, in the nominative (Путин, Лукашенко); texts decline it
(Путина, Путиным; Ukrainian Лукашенка). Forms come from pymorphy3's dictionaries where
they know the word as a surname, and from the endings below where they do not (most
surnames of the lists are not in them), so a surname the dictionary misreads (Пригожин
as a plural adjective, Абрамович as a patronymic) still gets a surname's forms.
pymorphy3 takes ~0.4 s and ~20 MB to load: it is imported on first use, by annotation only.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

# Russian declension of surnames by their ending (nominative ending → endings of the
# other cases, both genders and the plural: "the Rotenbergs"). Longest ending first.
_RU_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ский", ("ского", "скому", "ским", "ском", "ская", "ской", "скую", "ские", "ских", "скими")),
    ("цкий", ("цкого", "цкому", "цким", "цком", "цкая", "цкой", "цкую", "цкие", "цких", "цкими")),
    ("ская", ("ской", "скую")),
    ("цкая", ("цкой", "цкую")),
    ("ой", ("ого", "ому", "ым", "ом", "ая", "ую", "ие", "их")),
    ("ый", ("ого", "ому", "ым", "ом", "ая", "ую", "ые", "ых")),
    ("ий", ("его", "ему", "им", "ем", "ия", "ии", "ию", "ией")),
    ("ова", ("овой", "ову", "овою")),
    ("ева", ("евой", "еву")),
    ("ина", ("иной", "ину")),
    ("ына", ("ыной", "ыну")),
    ("ов", ("ова", "ову", "овым", "ове", "овы", "овых", "овыми", "ова", "овой")),
    ("ев", ("ева", "еву", "евым", "еве", "евы", "евых", "евыми", "евой")),
    ("ин", ("ина", "ину", "иным", "ине", "ины", "иных", "иными", "иной")),
    ("ын", ("ына", "ыну", "ыным", "ыне", "ыны", "ыных")),
    ("енко", ()),  # not declined in Russian
    ("ко", ()),
    ("их", ()),
    ("ых", ()),
    ("ия", ("ии", "ию", "ией")),
    ("ья", ("ьи", "ью", "ьей")),
    ("а", ("ы", "е", "у", "ой")),
    ("я", ("и", "е", "ю", "ей")),
    ("ь", ("я", "ю", "ем", "е")),
    ("й", ("я", "ю", "ем", "е")),
)
# Ukrainian: -енко and -ко are declined (Лукашенка, Лукашенкові), as are consonant stems.
_UK_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ський", ("ського", "ському", "ським", "ськім", "ська", "ської", "ську", "ською")),
    ("цький", ("цького", "цькому", "цьким", "цькім", "цька", "цької", "цьку", "цькою")),
    ("енко", ("енка", "енку", "енкові", "енком", "енкові", "енки")),
    ("ко", ("ка", "ку", "кові", "ком")),
    ("ов", ("ова", "ову", "овим", "ові", "овій", "ової", "овою")),
    ("ев", ("ева", "еву", "евим", "еві")),
    ("єв", ("єва", "єву", "євим", "єві")),
    ("ін", ("іна", "іну", "іним", "іні", "інові", "іної", "іною")),
    ("ин", ("ина", "ину", "иним", "ині", "инові")),
    ("а", ("и", "і", "у", "ою", "ої")),
    ("я", ("і", "ю", "ею")),
    ("ь", ("я", "ю", "ем", "і")),
    ("й", ("я", "ю", "єм", "ї")),
)
_VOWELS = frozenset("аеёиоуыэюяіїє")
_UK_LETTERS = frozenset("іїєґ")  # letters of Ukrainian's own
_CONSONANT_RU = ("а", "у", "ом", "е", "ы", "ов", "ам", "ами", "ах")
_CONSONANT_UK = ("а", "у", "ові", "ом", "і", "ем", "ові")
# Russian letters Ukrainian spells otherwise, for the Ukrainian spelling of a surname
# the lists give in Russian (Путин → Путін); a first guess, checked by nothing.
_UK_SPELLING = str.maketrans({"и": "і", "ы": "и", "э": "е", "ъ": "'"})


@cache
def analyzer(lang: str) -> Any:
    """pymorphy3's analyzer for `lang` ("ru" or "uk"), loaded once."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


def _by_rules(
    word: str, table: tuple[tuple[str, tuple[str, ...]], ...], consonant: tuple[str, ...]
) -> set[str]:
    for ending, others in table:
        if word.endswith(ending):
            stem = word[: -len(ending)]
            return {stem + o for o in others} if len(stem) >= 2 else set()
    if word[-1] not in _VOWELS and word[-1].isalpha():
        return {word + _spelling_rule(word[-1], o) for o in consonant}
    return set()


def _spelling_rule(last: str, ending: str) -> str:
    """Russian spelling after г к х and the hushing letters: ы is written и
    (Ротенберги), an unstressed о after ж ш ч щ ц is е (Абрамовичем)."""
    if ending.startswith("ы") and last in "гкхжшчщ":
        return "и" + ending[1:]
    if ending.startswith("о") and last in "жшчщц":
        return "е" + ending[1:]
    return ending


def _dictionary(word: str, lang: str) -> set[str]:
    """The forms pymorphy3's dictionary gives where it knows `word` as a surname."""
    out: set[str] = set()
    morph = analyzer(lang)
    if not morph.word_is_known(word):
        return out  # most surnames of the lists: a parse would only guess, slowly
    for p in morph.parse(word):
        if (
            "Surn" in p.tag.grammemes
            and p.normal_form == word
            and p.methods_stack[0][0].__class__.__name__ == ("DictionaryAnalyzer")
        ):
            out.update(f.word for f in p.lexeme)
    return out


_SOFT_SIGN_VOWEL = re.compile(r"ь([яюе])")
_UK_IOTATED = {"я": "я", "ю": "ю", "е": "є"}


def ukrainian_spelling(word: str) -> str:
    """The Ukrainian spelling of a Russian name, by the letters that differ (и → і,
    ы → и, э → е, ъ and ь before a vowel → ': Лукьянов → Лук'янов); a first guess."""
    word = _SOFT_SIGN_VOWEL.sub(lambda m: "'" + _UK_IOTATED[m.group(1)], word)
    return word.translate(_UK_SPELLING)


# Ukrainian writes no soft sign before я and ю after a dental: the letter itself softens
# it (Татьяна → Тетяна, Харатьян → Харатян).
_DENTAL_SOFT = re.compile(r"(?<=[дтзсцлн])ь(?=[яю])")
# Russian ё after a hushing consonant, which the lists write е (Бордачёв as Бордачев), is
# о in Ukrainian (Бордачов, Горбачов, Хрущов): the -ев ending of such a surname.
_HUSHING_YO = re.compile(r"(?<=[жчшщ])е(?=в(?:а|ы|и)?$)")


def ukrainian_spellings(word: str) -> tuple[str, ...]:
    """`ukrainian_spelling` and the other Ukrainian spellings a text may give a Russian
    name: without the soft sign a dental makes needless (Харатьян → Харатян), and with о
    for the ё the lists write е after ж ч ш щ (Бордачев → Бордачов). First guesses all."""
    out = [ukrainian_spelling(word)]
    for variant in (_DENTAL_SOFT.sub("", word), _HUSHING_YO.sub("о", word)):
        if variant != word:
            out.append(variant.translate(_UK_SPELLING))
    return tuple(dict.fromkeys(out))


# Small: a build meets most surnames once or twice (their records' names repeat them
# close together), and each entry holds some twenty forms.
@lru_cache(maxsize=1 << 12)
def surname_forms(word: str) -> frozenset[str]:
    """Every Russian and Ukrainian form of a surname given in the nominative (lower
    case, ё as е), itself included; its Ukrainian spelling and that spelling's forms too.
    Ukrainian forms come from the rules alone: its dictionary adds next to nothing to
    them, at the cost of a second lookup per surname."""
    word = word.replace("ё", "е")
    if len(word) < 3:
        return frozenset({word})
    if "-" in word.strip("-"):
        return _double_forms(word)
    out = {word}
    out |= _by_rules(word, _RU_ENDINGS, _CONSONANT_RU)
    out |= _dictionary(word, "ru")
    for uk in ukrainian_spellings(word):
        out.add(uk)
        out |= _by_rules(uk, _UK_ENDINGS, _CONSONANT_UK)
        if uk != word:
            out |= _by_rules(word, _UK_ENDINGS, _CONSONANT_UK)  # Лукашенко: one spelling, Ukrainian endings
    return frozenset(f.replace("ё", "е") for f in out if len(f) >= 3)


def _double_forms(word: str) -> frozenset[str]:
    """A double surname (Львова-Белова): texts decline both halves, each as a surname,
    and not always in the same case (львови-бєлової, as written); so every form of the
    first half with every form of the second, each half's forms its own too."""
    first, _, second = word.partition("-")
    a, b = surname_forms(first), surname_forms(second)
    return frozenset({f"{x}-{y}" for x in a for y in b} | a | b)


_NAME_TAGS = ("Name", "Patr", "Surn")
_PROPER = frozenset({"Name", "Patr", "Surn", "Orgn", "Geox", "Abbr", "Trad"})


@lru_cache(maxsize=1 << 14)
def lemma(word: str) -> tuple[str, str | None]:
    """A Cyrillic word met in a text, in the nominative where a dictionary reads it as a
    given name, patronymic or surname (Владимиром → владимир), with that tag; else the
    word itself (lower case) and None. Ukrainian is tried where Russian knows no such name,
    and first where the word has a letter of Ukrainian's own (Алішером → алішер, which
    Russian's guesser would read as a plural алішерома)."""
    low = word.lower().replace("ё", "е")
    for lang in ("uk", "ru") if _UK_LETTERS.intersection(low) else ("ru", "uk"):
        for p in analyzer(lang).parse(low):
            for tag in _NAME_TAGS:
                if tag in p.tag.grammemes and p.score >= 0.05:
                    return str(p.normal_form).replace("ё", "е"), tag
    return low, None


@lru_cache(maxsize=1 << 14)
def is_common_word(word: str) -> bool:
    """Whether a Cyrillic word is in the dictionary as an ordinary word rather than as a
    name or an organisation (Альфа, Мир): such a word alone anchors nothing."""
    low = word.lower().replace("ё", "е")
    lang = "uk" if any(ch in "іїєґ" for ch in low) else "ru"
    for p in analyzer(lang).parse(low):
        if p.methods_stack[0][0].__class__.__name__ != "DictionaryAnalyzer":
            continue
        if not p.tag.grammemes & _PROPER:
            return True
    return False


# Latin letters back to Russian Cyrillic, longest first, each with its likelier readings
# first: how the lists' romanisations (BGN/PCGN, passport, ICAO…) write Cyrillic.
_BACK: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("shch", ("щ",)),
    ("zh", ("ж",)),
    ("kh", ("х",)),
    ("ts", ("ц", "тс")),
    ("tz", ("ц",)),
    ("ch", ("ч",)),
    ("sh", ("ш",)),
    ("yu", ("ю",)),
    ("iu", ("ю",)),
    ("ya", ("я",)),
    ("ia", ("ия", "ья", "я")),
    ("yo", ("ье", "е")),
    ("ye", ("е", "ье")),
    ("ie", ("ие", "ье")),
    ("ph", ("ф",)),
    ("oi", ("ой", "ои")),
    ("ai", ("ай", "аи")),
    ("ei", ("ей", "еи")),
    ("ui", ("уй", "уи")),
    ("a", ("а",)),
    ("b", ("б",)),
    ("v", ("в",)),
    ("w", ("в",)),
    ("g", ("г",)),
    ("d", ("д",)),
    ("e", ("е", "э")),
    ("z", ("з",)),
    ("i", ("и",)),
    ("j", ("й", "дж")),
    ("k", ("к",)),
    ("l", ("л",)),
    ("m", ("м",)),
    ("n", ("н",)),
    ("o", ("о",)),
    ("p", ("п",)),
    ("r", ("р",)),
    ("s", ("с",)),
    ("t", ("т",)),
    ("u", ("у",)),
    ("f", ("ф",)),
    ("h", ("х", "г")),
    ("c", ("к", "ц")),
    ("q", ("к",)),
    ("x", ("кс",)),
    ("y", ("ы", "й", "и")),
)
_ENDINGS_BACK = (
    ("tskiy", "цкий"),
    ("tskii", "цкий"),
    ("tsky", "цкий"),
    ("skiy", "ский"),
    ("skii", "ский"),
    ("sky", "ский"),
    ("iy", "ий"),
    ("yy", "ый"),
)
_MAX_SPELLINGS = 12


def cyrillic_spellings(latin: str, soft_end: bool = False) -> tuple[str, ...]:
    """Russian Cyrillic spellings a Latin name may stand for (Volodin → володин,
    Matviyenko → матвиенко …), likeliest first, unchecked: the caller keeps those whose
    skeleton (names.skeleton) is the Latin name's. `soft_end` adds a final ь (Rosneft →
    роснефть)."""
    word = latin.lower()
    if not word.isascii() or not word.isalpha() or len(word) < 3:
        return ()
    tail = ""
    for ending, cyr in _ENDINGS_BACK:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            word, tail = word[: -len(ending)], cyr
            break
    options: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        for latin_part, cyrillic in _BACK:
            if word.startswith(latin_part, i):
                if latin_part == "e" and i == 0:
                    cyrillic = ("э", "е")
                options.append(cyrillic)
                i += len(latin_part)
                break
        else:
            return ()
    spellings = [""]
    for choice in options:
        spellings = [s + c for s in spellings for c in choice][:_MAX_SPELLINGS]
    out = [s + tail for s in spellings]
    if soft_end and not tail:
        out += [s + "ь" for s in out if s[-1] not in _VOWELS]
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=1 << 14)
def is_place_name(word: str) -> bool:
    """Whether the dictionary knows a Cyrillic word as a place (России, Москва)."""
    low = word.lower().replace("ё", "е")
    lang = "uk" if any(ch in "іїєґ" for ch in low) else "ru"
    return any(
        "Geox" in p.tag.grammemes and p.methods_stack[0][0].__class__.__name__ == "DictionaryAnalyzer"
        for p in analyzer(lang).parse(low)
    )


_NOUN_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ь", ("и", "ью")),
    ("а", ("ы", "е", "у", "ой")),
    ("я", ("и", "е", "ю", "ей")),
    ("й", ("я", "ю", "ем", "е")),
)


@lru_cache(maxsize=1 << 12)
def noun_forms(word: str) -> frozenset[str]:
    """The Russian case forms of an organisation's name of one word (Газпром → газпрома,
    Роснефть → роснефти): the dictionary's where it knows the word, else by its ending."""
    word = word.replace("ё", "е")
    out = {word}
    morph = analyzer("ru")
    if morph.word_is_known(word):
        for p in morph.parse(word):
            if p.normal_form == word and "NOUN" in p.tag.grammemes:
                out.update(f.word for f in p.lexeme if "sing" in f.tag.grammemes)
                break
    for ending, others in _NOUN_ENDINGS:
        if word.endswith(ending):
            out.update(word[: -len(ending)] + o for o in others)
            break
    else:
        if word[-1] not in _VOWELS and word[-1].isalpha():
            out.update(word + o for o in ("а", "у", "ом", "е"))
    return frozenset(f.replace("ё", "е") for f in out)


_CASES = ("gent", "datv", "accs", "ablt", "loct")
# Longer names (Федеральное государственное бюджетное образовательное учреждение …) are
# not declined: texts shorten them rather than write them whole.
_MAX_PHRASE = 5
# The adjective of a state body that Russian shortens into its first syllable before the
# noun (Государственная дума → Госдума, Государственный совет → Госсовет): the productive
# stump compound, the one short form derived here (see `phrase_forms`).
_STUMPS = {"государственный": "гос"}


def _nominatives(word: str, lang: str) -> dict[str, Any]:
    """pymorphy3's dictionary parses of `word` in the nominative, by part of speech
    (NOUN, ADJF): the first of each."""
    out: dict[str, Any] = {}
    for p in analyzer(lang).parse(word):
        if "nomn" in p.tag.grammemes and p.methods_stack[0][0].__class__.__name__ == "DictionaryAnalyzer":
            for pos in ("NOUN", "ADJF"):
                if pos in p.tag.grammemes:
                    out.setdefault(pos, p)
    return out


@lru_cache(maxsize=1 << 12)
def phrase_forms(phrase: str) -> frozenset[str]:
    """The case forms of a Russian organisation's name of several words: the adjectives before the head noun agree with it, the words
    after it (a genitive: обороны Российской Федерации) stay as they are (Министерство
    обороны → министерства обороны, министерству обороны …; Государственная Дума →
    государственной думы …). With a stump compound where the first adjective is one of
    `_STUMPS` and the head follows it (госдума, госдумы …); a district court's also
    without районный and города (Басманного суда Москвы), as texts name it. Empty where
    the dictionary does not read the name so: no head noun, a word it does not know."""
    words = phrase.replace("ё", "е").split()
    if not 2 <= len(words) <= _MAX_PHRASE or not all(_CYRILLIC_WORD.fullmatch(w) for w in words):
        return frozenset()
    # Russian names only: the lists give a few dozen in Ukrainian or Belarusian, and
    # loading Ukrainian's dictionary for them would add ~20 MB to the peak of a build.
    if _UK_LETTERS.intersection(phrase) or "ў" in phrase:
        return frozenset()
    return _declined(words, "ru")


def _declined(words: list[str], lang: str) -> frozenset[str]:
    adjectives = []
    head = None
    for i, w in enumerate(words):
        parses = _nominatives(w, lang)
        noun = parses.get("NOUN")
        if noun is not None and (i or "ADJF" not in parses):
            head = (i, noun)
            break
        adjective = parses.get("ADJF")
        if adjective is None:
            return frozenset()
        adjectives.append(adjective)
    if head is None:
        return frozenset()
    at, noun = head
    tags = noun.tag.grammemes
    plural = "plur" in tags
    # Ukrainian's dictionary marks no number on a singular noun, nor gender on a plural.
    number = {"plur"} if plural else ({"sing"} if "sing" in tags else set())
    gender = set() if plural else {g for g in ("masc", "femn", "neut") if g in tags}
    tail = words[at + 1 :]
    out: set[str] = set()
    for case in _CASES:
        inflected = noun.inflect({case} | number)
        if inflected is None:
            continue
        agreed = []
        for a in adjectives:
            wanted = {case} | number | gender
            if case == "accs" and (plural or "masc" in gender) and "anim" not in tags:
                wanted = {"nomn"} | number | gender  # an inanimate's accusative is its nominative
            form = a.inflect(wanted)
            if form is None:
                break
            agreed.append(form.word)
        else:
            out.add(" ".join([*agreed, inflected.word, *tail]))
            stump = _STUMPS.get(adjectives[0].normal_form) if len(adjectives) == 1 else None
            if stump:
                out.add(" ".join([stump + inflected.word, *tail]))
                out.add(" ".join([stump + noun.word, *tail]))
            if noun.normal_form == "суд" and len(adjectives) == 2 and adjectives[1].normal_form == "районный":
                # A district court as texts name it: without районный, nor города before
                # its city (Басманный районный суд города Москвы → Басманного суда Москвы).
                short = [w for w in tail if w != "города"]
                out.add(" ".join([agreed[0], inflected.word, *short]))
                if case == "gent":
                    out.add(" ".join([adjectives[0].word, noun.word, *short]))
    return frozenset(f.replace("ё", "е") for f in out)


_CYRILLIC_WORD = re.compile(r"[а-яёіїєґ'-]+")
