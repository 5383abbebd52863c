"""From the gazetteer's matches in a text to its mentions: read the context of each
match, score it with the shared scorer (match.scorer), and link, call ambiguous or drop.

A person is found by a form of the surname (see gazetteer.py); the given names,
patronymic and initials written next to it, a birth date after it and a title before
it are read from the text, and the name they make is scored against every listed
person of that surname, as screening scores a query. What keeps precision:
- a full name (a given name, patronymic or initial with the surname) links to the best
  entity at or above the threshold. Entities the scorer finds the same as the best,
  with nothing telling them apart (no birth date years apart, no other identifier, no
  other father's name), are one the resolution kept apart: the mention links the one
  of most records and carries the records of all. Another entity within `MARGIN`
  makes it ambiguous, with the candidates, unless the text tells them apart: a position
  the lists give one of them names a body written near the mention (глава «Ростеха»
  Сергей Чемезов: Chair of Rostec, not his son), or the text says father or son
  ("Andrei Guriev and his son", отец, Jr). A father and his son of one name (the son's
  patronymic is the father's given name) are never told apart by who is listed more
  widely; other namesakes are, where one is listed by `WIDELY` jurisdictions or more
  and twice as many as any other (the one a text means);
- a surname alone links to the person the text named more fully before (Roman
  Abramovich … Mr Abramovich; remembered under every surname the form may be of:
  Дмитрия Пескова … Песков), or, where the surname is no word of other names nor of
  the language, to the one listed person who bears it, or the one listed twice as
  widely as the others (Putin, not his relatives on two lists; not after the text has
  named two people so called). A surname of a few listed people is otherwise
  ambiguous; of more, it is dropped. A family ("the Rotenberg brothers", "братья
  Ротенберги") is ambiguous between its listed members: the text names several
  people, and a mention links one entity. A form of two surnames (Путина: Путин's
  genitive, Putina's nominative) is decided by each; the reading that links is taken
  where only one does (both: decided among them all). A Cyrillic dictionary word
  (путина, a fishing season) is a surname only where the dictionary reads it as one
  too, it is capitalised within a sentence, not quoted, and the text never writes it
  in lower case;
- coreference beyond the surname: a given name and patronymic alone (Денис
  Валентинович) refers back to the person named in full before (Денисом Мантуровым)
  where he is the one person of that given name the text names and the scorer finds
  the patronymic his. A name dropped only for where it stands (a Latin surname or a
  company's one-word name as a sentence's or headline's first word) or for want of a
  legal form (Severgroup without "Limited Liability Company") links to the one entity
  of that name the text links elsewhere, before or after it (a headline names him
  before the text does in full), not where it links or leaves ambiguous two. Each
  such reason says "refers back to <mention> at <offset>" (or "refers to", later). A
  given name joined by и/and to a full name whose surname is written once for both
  (Борис и Аркадий Ротенберги) is a person of that surname; of namesakes, the one who
  shares a father's name with the other (his brother). A mention of people who fit a
  name equally, one of whom the text linked before (Борис Ротенберг after that), is
  that one. An editor's brackets do not part a given name from its surname
  ("[президента России Владимира] Путина"), and a capitalised word before a surname
  that is, letter for letter, the given name of a listed person of it (Нурид Саламов:
  NURID) is read as a given name though no dictionary knows it;
- the surname must be capitalised, and in Latin letters not a sentence's first word;
  given names, places and numbers never anchor a mention;
- an organisation's name of one word (Gazprom) links where it is capitalised, not a
  sentence's or headline's first word, and no ordinary word (in the Russian or
  Ukrainian dictionary; generic in company names, or written in lower case in the
  text); a name left by taking its legal form off (UNITED COMPANY OJSC → United) only
  with a legal form or quotes in the text;
- an organisation's name with a country said of it, an adjective before it or a
  genitive after it (американского Минфина, Минфин США), is not a listed body of
  another country (by the countries the lists give it or its own name says);
- a vessel's name links only with a vessel's context (vessel, tanker, IMO …, or a list
  of names after "the tankers"). A name that is a word, a place or a given name too
  (Valera, Kira K, Pierre) is a vessel in a list only where most of the list's other
  names are listed vessels' names; no list after a preposition of place is one of
  vessels ("ports of Primorsk and Murmansk", "in the Baltic Sea area"), whether or not
  a vessel is listed by the name. Where the text says the kind of vessel (tankers), a
  vessel of the name the lists call another kind (the yacht Tango) is not the one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reckon.match.prepare import Prepared, prepare
from reckon.match.scorer import MatchResult, compatible, score_prepared, score_reaching
from reckon.names import (
    given_name_class,
    is_generic,
    is_place,
    latinize,
    legal_form_class,
    looks_like_patronymic,
    normalize,
    skeleton,
)
from reckon.screening import split_birth_date

from .gazetteer import ORG, ORG_CORE, PERSON, VESSEL, Entry, Gazetteer, core_name, hits, match_of
from .lookups import Entity, Lookups
from .model import Annotation, Candidate, Mention
from .morph import is_common_word, is_place_name, lemma
from .text import fold, normalise

MARGIN = 0.02
MAX_SCORES = 1 << 17  # scores kept with the gazetteer (see `_Document._scored`)
# Entities the scorer finds this alike (and nothing tells apart) are one the resolution
# kept apart; they are looked for this far below the best.
TWIN = 0.8
TWIN_MARGIN = 0.1
WIDELY = 3
MAX_AMBIGUOUS = 3  # a surname alone of more listed people than this is dropped
COMMON_DF = 12  # a word of more list names (records) than this is an ordinary word
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*\.?")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sir",
        "lord",
        "president",
        "minister",
        "general",
        "colonel",
        "senator",
        "deputy",
        "governor",
        "mayor",
        "chairman",
        "ceo",
        "director",
        "oligarch",
        "businessman",
        "premier",
        "prime",
        "judge",
        "commander",
        "admiral",
        "господин",
        "г-н",
        "гражданин",
        "президент",
        "президента",
        "президентом",
        "министр",
        "министра",
        "министром",
        "генерал",
        "генерала",
        "глава",
        "главы",
        "депутат",
        "депутата",
        "губернатор",
        "губернатора",
        "сенатор",
        "сенатора",
        "председатель",
        "председателя",
        "бизнесмен",
        "бизнесмена",
        "олигарх",
        "олигарха",
        "пан",
        "пані",
        "президентові",
        "міністр",
        "міністра",
        "генерала",
        "голова",
        "голови",
        "депутата",
        "губернатора",
        "бізнесмен",
        "бізнесмена",
        "олігарх",
        "олігарха",
    ]
)
_FAMILY_AFTER = re.compile(r"^\s*(?:brothers|family|sisters|family's)\b", re.IGNORECASE)
_FAMILY_BEFORE = re.compile(
    r"\b(?:братья|братьев|братьям|братьями|брати|братів|семья|семьи|семье|родина|родини)\s*$", re.IGNORECASE
)
_VESSEL_BEFORE = re.compile(
    r"(?:vessel|tanker|ship|carrier|freighter|m/t|m/v|mv|mt|судно|судна|танкер|танкера|корабль|корабля|"
    r"судно|танкер|корабель)\W{0,3}$",
    re.IGNORECASE,
)
_NUMBERS = frozenset(
    [
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
        "hundred",
    ]
)
_CONNECTORS = frozenset({"of", "and", "the", "for", "de", "du", "la", "&", "in", "on", "и"})
_VESSEL_WORD = re.compile(
    r"\b(?:vessels|tankers|ships|carriers|tanker|vessel|ship|танкеры|танкеров|суда|судов|танкери|судна)\b",
    re.IGNORECASE,
)
_LIST_GLUE = frozenset({"and", "or", "the", "including", "named", "such", "as", "и", "та", "й", "imo"})
_IMO = re.compile(r"\bIMO\W{0,3}(\d{7})\b", re.IGNORECASE)


@dataclass(slots=True)
class _Part:
    start: int
    end: int
    word: str  # as written
    role: str  # given, patronymic, initial
    form: str  # the form put into the query (the nominative of a Cyrillic word)


@dataclass(slots=True)
class _Match:
    start: int  # original offsets
    end: int
    entries: list[Entry]


def annotate_text(text: str, gazetteer: Gazetteer, *, threshold: float = 0.7) -> Annotation:
    """The mentions of listed people, organisations and vessels in `text` (see the module docstring)."""
    look = _lookups(gazetteer)
    notes: list[str] = []
    if not text.strip():
        notes.append("the text is empty")
        return Annotation(len(text), [], notes, look.lists(), text)
    matches = _scan(text, gazetteer)
    doc = _Document(text, gazetteer, look, threshold)
    for m in matches:
        mention = doc.decide(m)
        if mention is not None:
            doc.mentions.append(mention)
    # A name dropped for its place alone (a sentence's first word, a headline; a company's
    # name without its legal form) is the one entity the text links by that name elsewhere.
    for m in doc.deferred:
        mention = doc.refer(m)
        if mention is not None:
            doc.mentions.append(mention)
    doc.mentions += doc.addressed()
    doc.mentions.sort(key=lambda x: x.start)
    doc.mentions += doc.coordinated()
    doc.mentions.sort(key=lambda x: x.start)
    doc.mentions = [doc.settled(x) for x in doc.mentions]
    doc.mentions.sort(key=lambda x: x.start)
    return Annotation(len(text), doc.mentions, notes, look.lists(), text)


def _lookups(g: Gazetteer) -> Lookups:
    look = g.memo.get("lookups")
    if look is None:
        assert g.con is not None, "a gazetteer without its store has no statuses to give"
        look = g.memo["lookups"] = Lookups(g.con)
    assert isinstance(look, Lookups)
    return look


def _scan(text: str, g: Gazetteer) -> list[_Match]:
    """The gazetteer's whole-word matches in `text`, the longest where they overlap."""
    norm = normalise(text)
    found = sorted(hits(g, norm, text), key=lambda f: (f[0], -f[1]))
    out: list[_Match] = []
    reach = -1
    for start, end, index in found:
        if start < reach:
            continue
        reach = end
        a, b = norm.span(start, end)
        out.append(_Match(a, b, g.entry(index)))
    return out


class _Document:
    def __init__(self, text: str, g: Gazetteer, look: Lookups, threshold: float) -> None:
        self.text = text
        self.g = g
        self.look = look
        self.threshold = threshold
        self.mentions: list[Mention] = []
        # Surnames (their skeletons) of the people linked with more than the surname: a
        # later mention of the surname alone is theirs (coreference within the text).
        self.named: dict[str, tuple[Entity, Prepared, str, int]] = {}
        self.taken = 0  # the end of the last mention: context words are not read across it
        # Surnames of ambiguous mentions: the text has named two people so called, and
        # the surname alone is not taken for the more widely listed.
        self.unsure: set[str] = set()
        # Matches dropped only for where they stand (see `refer`), and the entities linked.
        self.deferred: list[_Match] = []
        self.vessel_names: dict[str, bool] = {}

    # ------------------------------------------------------------------ one match

    def decide(self, m: _Match) -> Mention | None:
        if m.start < self.taken:
            return None  # within the context of the previous mention (Путин Владимир Владимирович)
        by_kind: dict[str, list[Entry]] = {}
        for e in m.entries:
            by_kind.setdefault(e.kind, []).append(e)
        surface = self.text[m.start : m.end]
        mention = None
        if PERSON in by_kind and (surface[:1].isupper() or self._lowered_name(surface)):
            mention = self._person(m, surface, by_kind[PERSON])
        if mention is None and (ORG in by_kind or ORG_CORE in by_kind):
            mention = self._org(m, surface, by_kind.get(ORG, []) + by_kind.get(ORG_CORE, []))
        if mention is None and VESSEL in by_kind:
            mention = self._vessel(m, surface, by_kind[VESSEL])
        if mention is not None:
            self.taken = mention.end
        return mention

    # ------------------------------------------------------------------ coreference

    def refer(self, m: _Match) -> Mention | None:
        """A match dropped only for where it stands (a capitalised first word of a sentence
        or headline) or for want of a legal form (a company's name without it), linked to the
        one entity of that name the text links elsewhere, before it or after (a headline
        names him before the text does in full); not where the text links or leaves
        ambiguous two entities of that name."""
        if any(x.start < m.end and m.start < x.end for x in self.mentions):
            return None
        records = {self.g.records[r] for e in m.entries for r in e.records}
        ids = {e.id for e in self.look.entities(records)}
        refs = [x for x in self.mentions if x.decision == "linked" and x.entity in ids]
        if len({x.entity for x in refs}) != 1 or any(
            x.decision == "ambiguous" and ids.intersection(c.entity for c in x.candidates)
            for x in self.mentions
        ):
            return None
        before = [x for x in refs if x.start < m.start]
        ref = before[-1] if before else refs[0]
        entity = next(e for e in self.look.entities(ref.records) if e.id == ref.entity)
        if skeleton(m.entries[0].lemma) in self.unsure:
            return None
        surface = self.text[m.start : m.end]
        kinds = {e.kind for e in m.entries}
        person = entity.schema == "Person"
        if person and PERSON not in kinds:
            return None
        name = _best_lemma([e for e in m.entries if (e.kind == PERSON) == person], surface)
        q = prepare({"schema": "Person" if person else "Company", "properties": {"name": [name.title()]}})
        result = score_prepared(q, entity.for_query(q), self.look.weigh)
        where = "back to" if before else "to"
        later = "earlier" if before else "later"
        reasons = [
            f"{'surname' if person else 'name'} {surface!r}",
            f"refers {where} {ref.surface!r} at {ref.start} (the one entity of this name the text links, "
            f"{later} in the text)",
        ]
        return self._linked(m.start, m.end, entity, result, reasons)

    def settled(self, m: Mention) -> Mention:
        """An ambiguous person of whose candidates the text linked exactly one before
        (Борис Ротенберг after «Борис и Аркадий Ротенберги»): that one."""
        if (
            m.decision != "ambiguous"
            or m.schema != "Person"
            or any(r.startswith("a family") for r in m.reasons)
        ):
            return m  # a family (братья Ротенберги) is all its members, not the one linked before
        ids = {c.entity for c in m.candidates}
        before = [
            x for x in self.mentions if x.decision == "linked" and x.start < m.start and x.entity in ids
        ]
        if len({x.entity for x in before}) != 1:
            return m
        ref = before[-1]
        entity = next(e for e in self.look.entities(ref.records) if e.id == ref.entity)
        q = prepare({"schema": "Person", "properties": {"name": [m.surface]}})
        result = score_prepared(q, entity.for_query(q), self.look.weigh)
        reasons = [
            *m.reasons,
            f"refers back to {ref.surface!r} at {ref.start} (of the {len(ids)} listed people of this name, "
            "the one the text linked before)",
        ]
        return self._linked(m.start, m.end, entity, result, reasons)

    def coordinated(self) -> list[Mention]:
        """A given name joined by "и"/"and" to a full name whose surname is written once
        for both (Борис и Аркадий Ротенберги): a person of that surname. Of listed people
        who fit it equally, the one who shares a father's name with the other (his
        brother) is taken, where only one does."""
        out: list[Mention] = []
        linked = [x for x in self.mentions if x.decision == "linked" and x.schema == "Person"]
        for pair in _COORDINATED.finditer(self.text):
            start, end = pair.span(1)
            other = next((x for x in linked if x.start == pair.start(2)), None)
            part = _name_part(pair.group(1))
            if other is None or part is None or part[0] != "given":
                continue
            if any(x.start < end and start < x.end for x in self.mentions):
                continue
            brother = next(e for e in self.look.entities(other.records) if e.id == other.entity)
            surname = next((t.text for n in brother.whole.names for t in n.tokens if t.role == "surname"), "")
            value = self.g.automaton.get(" ".join(fold(surname).split()), None) if surname else None
            if value is None:
                continue
            records = [
                self.g.records[r]
                for e in self.g.entry(match_of(value)[0])
                if e.kind == PERSON
                for r in e.records
            ]
            candidates = [
                e for e in self.look.entities(records) if e.schema == "Person" and e.id != brother.id
            ]
            q = prepare({"schema": "Person", "properties": {"name": [f"{surname}, {part[1]}"]}})
            scored = self._scored(q, candidates, self.threshold)
            if not scored:
                continue
            close = [x for x in scored if x[1].score >= scored[0][1].score - MARGIN]
            if len(close) > 1:
                close = [x for x in close if _fathers(x[0].whole) & _fathers(brother.whole)]
            if len(close) != 1:
                continue
            best, result = close[0]
            reasons = [
                f"given name {part[2]!r}",
                f"the surname written once for both in {pair.group(0)!r}, with {other.surface!r} at {other.start}",
            ]
            if len(scored) > 1:
                reasons.append("of the listed people of this name, the one of his brother's father's name")
            out.append(self._linked(start, end, best, result, reasons))
        return out

    def addressed(self) -> list[Mention]:
        """A given name and patronymic alone (Денис Валентинович), as Russian addresses a
        person the text named in full before (Денисом Мантуровым): linked to that person
        where the scorer finds the patronymic his, and no other person the text names
        has that given name."""
        out: list[Mention] = []
        taken = [(x.start, x.end) for x in self.mentions]
        for pair in _GIVEN_PATRONYMIC.finditer(self.text):
            start, end = pair.span()
            if any(a < end and start < b for a, b in taken):
                continue
            given, patronymic = _name_part(pair.group(1)), _name_part(pair.group(2))
            if not given or not patronymic or given[0] != "given" or patronymic[0] != "patronymic":
                continue
            wanted = _given_classes(prepare({"schema": "Person", "properties": {"name": [f"X, {given[1]}"]}}))
            earlier = {
                e.id: (e, q, written, at)
                for e, q, written, at in self.named.values()
                if at < start and _given_classes(e.whole) & wanted
            }
            if len(earlier) != 1 or self._others_named(given[1], start):
                continue
            entity, q, written, at = next(iter(earlier.values()))
            surname = next((t.text for n in q.names for t in n.tokens if t.role == "surname"), "")
            asked = prepare(
                {"schema": "Person", "properties": {"name": [f"{surname}, {given[1]} {patronymic[1]}"]}}
            )
            result = score_prepared(asked, entity.for_query(asked), self.look.weigh)
            if result.score < self.threshold:
                continue  # another father's name: someone else
            reasons = [
                f"given name {given[2]!r} and patronymic {patronymic[2]!r}",
                f"refers back to {written!r} at {at} (the one person of this given name the text names)",
            ]
            out.append(self._linked(start, end, entity, result, reasons))
        return out

    def _others_named(self, given: str, pos: int) -> bool:
        """Whether the text names someone of this given name other than the people it
        links: the given name before a capitalised word that is no mention of theirs."""
        spans = [(x.start, x.end) for x in self.mentions if x.decision == "linked"]
        for w in _NAME_WORD.finditer(self.text):
            part = _name_part(w.group(0))
            if part is None or part[0] != "given" or part[1] != given:
                continue
            if any(a <= w.start() < b for a, b in spans):
                continue
            after = (
                _NAME_WORD.match(self.text, w.end() + 1) if self.text[w.end() : w.end() + 1] == " " else None
            )
            if after is None or not after.group(0)[:1].isupper():
                continue
            role = _name_part(after.group(0))
            if role is None or role[0] not in ("patronymic",):
                return True  # Денис Петров: another Denis
        return False

    # ------------------------------------------------------------------ people

    def _person(self, m: _Match, surface: str, entries: list[Entry]) -> Mention | None:
        lemma_ = _best_lemma(entries, surface)
        records = [self.g.records[r] for e in entries for r in e.records]
        left = self._words_left(m.start)
        right = [] if left else self._words_right(m.end)
        parts = left + right
        if not parts:
            parts = self._listed_given_before(m.start, records)
        start = min([m.start, *(p.start for p in parts)])
        end = max([m.end, *(p.end for p in parts)])
        reasons = [f"surname {surface!r}" + (f" (a form of {lemma_!r})" if lemma_ != surface.lower() else "")]
        title = self._title_before(start)
        if title:
            reasons.append(f"title {title!r} before it")
        born = self._birth_date(end)
        props: dict[str, list[str]] = {}
        if born:
            props["birthDate"] = [born]
            reasons.append(f"birth date {born} written after it")
        candidates = [e for e in self.look.entities(records) if e.schema == "Person"]
        if not candidates:
            return None
        if parts:
            for p in parts:
                reasons.append(f"{p.role} {p.word!r} next to it")
            given = " ".join(p.form for p in parts)
            props["name"] = [f"{lemma_.title()}, {given}"]
            q = prepare({"schema": "Person", "properties": props})
            keys = tuple(dict.fromkeys(skeleton(e.lemma) for e in entries))
            return self._decided(start, end, q, candidates, reasons, keys)
        # A form of two surnames (Путина: Путин's genitive, Putina's nominative) is each
        # decided alone; the reading that links is taken where only one does.
        groups: dict[str, list[Entry]] = {}
        for e in entries:
            groups.setdefault(skeleton(e.lemma), []).append(e)
        if len(groups) == 1:
            return self._surname_alone(m, surface, lemma_, props, candidates, reasons)
        found = []
        for key, group in groups.items():
            own = {self.g.records[r] for e in group for r in e.records}
            mine = [c for c in candidates if own.intersection(c.records)]
            if not mine:
                continue
            x = self._surname_alone(m, surface, _best_lemma(group, surface), dict(props), mine, list(reasons))
            earlier = self.named.get(key)
            if x is not None and earlier is not None and x.entity == earlier[0].id:
                return x  # the reading of the person the text named before
            found.append(x)
        links = [x for x in found if x is not None and x.decision == "linked"]
        if len({x.entity for x in links}) == 1:
            return links[0]
        if links:  # each reading a person: decided among them all, as one surname
            return self._surname_alone(m, surface, lemma_, props, candidates, reasons)
        return next((x for x in found if x is not None), None)

    def _surname_alone(
        self,
        m: _Match,
        surface: str,
        lemma_: str,
        props: dict[str, list[str]],
        candidates: list[Entity],
        reasons: list[str],
    ) -> Mention | None:
        key = skeleton(lemma_)
        family = bool(
            _FAMILY_AFTER.search(self.text[m.end : m.end + 20])
            or _FAMILY_BEFORE.search(self.text[max(0, m.start - 20) : m.start])
        )
        earlier = self.named.get(key)
        if earlier is not None and not family:
            entity, q, written, at = earlier
            if any(c.id == entity.id for c in candidates):
                q = prepare({"schema": "Person", "properties": {**props, "name": [n.text for n in q.names]}})
                result = score_prepared(q, entity.for_query(q), self.look.weigh)
                reasons.append(f"refers back to {written!r} at {at} (the same person earlier in the text)")
                return self._linked(m.start, m.end, entity, result, reasons)
        if not self._rare(key, len({r for c in candidates for r in c.records}), surface, m.start):
            return None
        q = prepare({"schema": "Person", "properties": {**props, "name": [lemma_.title()]}})
        scored = self._scored(q, candidates)
        if family and len(candidates) > 1:
            reasons.append("a family named together: each of its listed members is a candidate")
            return self._ambiguous(m.start, m.end, scored, reasons)
        if surface.isascii() and surface.lower() in _NUMBERS:
            return None  # "Three Ukrainians…"
        if surface.isascii() and self._weak_position(m.start):
            self.deferred.append(m)  # a capitalised first word: only as a name linked elsewhere
            return None
        if _is_given_name(surface):
            return None  # Галина: a woman's given name, and a form of the surname Галин
        if len(candidates) == 1:
            entity, result = scored[0]
            if result.score < 0.3:
                return None  # the birth date written by it says it is someone else
            if not _a_surname_of(entity, key):
                return None  # "Lord", "Italian": a word of a by-name (THE LORD, Abu the Italian)
            reasons.append("the only listed person of this surname, and the surname is rare in the lists")
            return self._linked(m.start, m.end, entity, result, reasons)
        widely = None if key in self.unsure else self._most_listed(scored)
        if widely is not None:
            (entity, result), count = widely
            reasons.append(
                f"of the {len(candidates)} listed people of this surname, the one listed in {count} "
                "jurisdictions, twice as many as any other"
            )
            return self._linked(m.start, m.end, entity, result, reasons)
        if 1 < len(candidates) <= MAX_AMBIGUOUS:
            reasons.append(f"a surname alone, of {len(candidates)} listed people")
            return self._ambiguous(m.start, m.end, scored, reasons)
        return None

    def _most_listed(
        self, scored: list[tuple[Entity, MatchResult]]
    ) -> tuple[tuple[Entity, MatchResult], int] | None:
        """Of several people of one surname, the one listed by `WIDELY` jurisdictions or
        more, and by twice as many as any other: who a text means by the surname alone
        (Putin, listed by four, not his relatives listed by two; Shoigu, not his
        daughters listed by the UK)."""
        counts = [
            (x, sum(1 for s in self.look.status(x[0].id) if s.status == "listed"))
            for x in scored
            if x[1].score >= 0.3  # not where a birth date written by the surname says otherwise
        ]
        counts.sort(key=lambda c: -c[1])
        if len(counts) >= 2 and counts[0][1] >= WIDELY and counts[0][1] >= 2 * counts[1][1]:
            return counts[0]
        return None

    def _lowered_name(self, surface: str) -> bool:
        """A Cyrillic surname some outlets write in lower case on purpose (путіна): no
        word of the dictionary, so no ordinary word written so."""
        return bool(_CYRILLIC.search(surface)) and not is_common_word(surface) and not is_place_name(surface)

    def _rare(self, key: str, records: int, surface: str, pos: int) -> bool:
        """A surname that is no word of other names: the records whose names have it are
        (all but two) those of the listed people so named; and no ordinary word: not in
        the Russian or Ukrainian dictionary, unless the dictionary reads it as a surname
        too, capitalised within a sentence, not in quotes and never written in lower case
        in the text (Путина: a fishing season in lower case); in Latin letters not written
        in lower case elsewhere in the text."""
        if self.look.df(key) > records + 2:
            return False
        lowered = bool(re.search(rf"(?<!\w){re.escape(surface.lower())}(?!\w)", self.text))
        if _CYRILLIC.search(surface):
            # Львову: the dative of the city as much as a form of the surname Львов.
            if is_place_name(surface):
                return False
            return not is_common_word(surface) or (
                lemma(surface)[1] == "Surn"
                and surface[:1].isupper()
                and not lowered
                and not self._weak_position(pos)
                and not self._quoted(pos)
            )
        return not lowered

    def _quoted(self, pos: int) -> bool:
        return pos > 0 and self.text[pos - 1] in "\"'«„“"

    # ------------------------------------------------------------------ organisations and vessels

    def _org(self, m: _Match, surface: str, entries: list[Entry]) -> Mention | None:
        records = [self.g.records[r] for e in entries for r in e.records]
        reasons = [f"organisation name {surface!r}"]
        start, end = m.start, m.end
        form_before = self._legal_form_before(start)
        form_after = self._legal_form_after(end)
        quoted = (
            start > 0
            and self.text[start - 1] in "\"'«„“"
            and end < len(self.text)
            and self.text[end] in "\"'»“”"
        )
        support = []
        if form_before:
            support.append(f"legal form {form_before[2]!r} before it")
        if form_after:
            support.append(f"legal form {form_after[2]!r} after it")
        if quoted:
            support.append("written in quotes")
        words = surface.split()
        # The name less its legal form (UNITED COMPANY OJSC → united), or of words that
        # are no name by themselves (RUSSIAN FINANCIAL CORPORATION → russian financial):
        # a name only where the text writes a legal form or quotes with it.
        stripped = all(e.kind == ORG_CORE for e in entries)
        if (
            stripped
            and (
                len(words) == 1
                or all(
                    self._ordinary(w) or is_place(w.lower()) or is_place(skeleton(w.lower())) for w in words
                )
            )
            and not support
        ):
            if not any(self._ordinary(w) for w in words):
                self.deferred.append(m)  # Severgroup: a name, where the text gives its legal form elsewhere
            return None
        if not support:
            # Russian and Ukrainian capitalise a name's first word only (Басманного суда Москвы).
            capitalised = words[:1] if _CYRILLIC.search(surface) else words
            if any(w[:1].islower() and w not in _CONNECTORS for w in capitalised):
                return None  # "Russian financial": words, not a name
            if len(words) == 1 and self._ordinary(surface):
                return None
            if len(words) == 1 and self._weak_position(m.start):
                self.deferred.append(m)
                return None
        reasons += support
        folded = " ".join(fold(surface).replace('"', " ").split())
        lemmas = [e.lemma for e in entries]
        name = surface if folded in lemmas or not lemmas else lemmas[0]
        if name != surface:
            reasons.append(f"a form of {name!r}")
        if form_before:
            name = f"{form_before[2]} {name}"
            start = form_before[0] if not quoted else start
        if form_after:
            name = f"{name} {form_after[2]}"
            end = form_after[1]
        q = prepare({"schema": "Company", "properties": {"name": [name]}})
        candidates = [
            e for e in self.look.entities(records) if e.schema not in ("Person", "Vessel", "Airplane")
        ]
        country = self._country_said(m.start, m.end)
        if country is not None:
            # «американского Минфина», "Минфин США": that country's body, not Russia's of the name.
            candidates = [e for e in candidates if country in _countries_of(e) or not _countries_of(e)]
            reasons.append(f"{country} said of it")
        if not candidates:
            return None
        return self._decided(start, end, q, candidates, reasons, None)

    def _country_said(self, start: int, end: int) -> str | None:
        """The country a word right before an organisation's name (американского, US) or
        right after it (США, Великобритании) says it is of."""
        before = re.search(r"([^\W\d_][\w.]*)[\s\"'«„“]*$", self.text[max(0, start - 25) : start])
        after = re.match(r"[\s\"'»”]*([^\W\d_][\w.]*)", self.text[end : end + 25])
        for m in (before, after):
            if m is not None:
                word = m.group(1).lower()
                found = next(
                    (c for c, stems in _COUNTRY_WORDS for stem in stems if word.startswith(stem)), None
                )
                if found is not None:
                    return found
        return None

    def _ordinary(self, word: str) -> bool:
        """A word of the language rather than a name: in the Russian or Ukrainian
        dictionary; in Latin letters, a generic word of company names (Group, Bank) or
        one the text itself writes in lower case."""
        if _CYRILLIC.search(word):
            return is_common_word(word) or is_place_name(word)
        low = word.lower()
        return (
            low in _TITLES
            or is_generic(skeleton(low))
            or bool(re.search(rf"\b{re.escape(low)}\b", self.text))
        )

    def _weak_position(self, pos: int) -> bool:
        """Where a capital letter says nothing: a sentence's or line's first word, or a
        word of a title written with every word capitalised."""
        before = self.text[max(0, pos - 3) : pos].rstrip(" \t\"'«„“(")
        if not before.strip() or before.endswith(("\n", ".", "!", "?", ":", ";")) or pos < 3:
            return True
        line_start = self.text.rfind("\n", 0, pos) + 1
        line_end = self.text.find("\n", pos)
        line = self.text[line_start : line_end if line_end >= 0 else len(self.text)]
        # A headline: a short line, no sentence in it, most of its words capitalised.
        long_words = [w for w in _NAME_WORD.findall(line) if len(w) >= 4]
        return (
            3 <= len(long_words) <= 12
            and not re.search(r"[.;!?]\s", line)
            and sum(w[0].isupper() for w in long_words) >= 0.6 * len(long_words)
        )

    def _vessel_list(self, pos: int, end: int, plain: bool) -> re.Match[str] | None:
        """A vessel word (tankers, vessels, судна) earlier in the sentence, with only a
        list of capitalised names between it and `pos` (the tankers Pearl, Valera and …),
        for a `plain` name (no word, place or given name); for any name, a list of names
        most of which are listed vessels' (Pearl, Valera, Elephant, Fiesta, Kira K), a
        vessel word a sentence or two before."""
        start = max(0, pos - 400)
        sentence = re.split(r"[.!?]\s|\n\n", self.text[start:pos])[-1]
        m = _VESSEL_WORD.search(sentence)
        if m is not None and plain:
            between = sentence[m.end() :]
            words = [w for w in re.findall(r"[^\W\d_]+", between) if w.lower() not in _LIST_GLUE]
            if all(w[0].isupper() for w in words):
                return m
        word = _last(_VESSEL_WORD, self.text[start:pos])
        if word is None:
            return None  # no passage about ships
        # A plain name in a list or after "the", in a passage about ships (the vessel word a
        # sentence or two before), unless the list follows a preposition of place ("ports
        # of Primorsk and Murmansk", "in the Baltic Sea area").
        listed = re.search(r"(?:,\s*|\band\s+|\bthe\s+)$", self.text[max(0, pos - 6) : pos]) or re.match(
            r"\s*(?:,|and\b)", self.text[end : end + 6]
        )
        if plain and listed and not self._after_place_preposition(pos):
            return word
        return word if self._vessels_listed_with(pos, end) >= 2 else None

    def _after_place_preposition(self, pos: int) -> bool:
        """Whether the name at `pos`, or the list of capitalised names it ends, follows a
        preposition of place (in, of, from, near, в, из …): a place, not a ship."""
        words = re.findall(r"[^\W_]+|[,]", self.text[max(0, pos - 200) : pos])
        while words and (words[-1] in (",", "the", "and", "or", "и", "та") or words[-1][:1].isupper()):
            words.pop()
        return bool(words) and words[-1].lower() in _PLACE_PREPOSITIONS

    def _vessels_listed_with(self, pos: int, end: int) -> int:
        """How many of the other items of the list the name at [pos, end) is an item of
        (names between commas, "and", brackets) are listed vessels' names, where they are
        at least half of them."""
        lo = max(self.text.rfind(c, 0, pos) for c in ".!?\n(:;—") + 1
        his = [i for i in (self.text.find(c, end) for c in ".!?\n):;—") if i >= 0]
        segment = self.text[lo : min(his) if his else len(self.text)]
        items = [
            re.sub(r"^(?:the|and|or|и|та)\s+", "", x.strip(), flags=re.IGNORECASE)
            for x in re.split(r",|\band\b|\bor\b|\bи\b|\bта\b", segment)
        ]
        items = [_trailing_name(x) for x in items]
        surface = self.text[pos:end]
        if surface not in items or len(items) < 3:
            return 0
        others = [x for x in items if x and x != surface]
        vessels = sum(1 for x in others if self._vessel_name(x))
        return vessels if 2 * vessels >= len(others) else 0

    def _vessel_name(self, name: str) -> bool:
        """Whether the lists name a vessel so (asked once per name and text)."""
        found = self.vessel_names.get(name)
        if found is None:
            value = (
                self.g.automaton.get(" ".join(fold(name).split()), None) if len(name.split()) <= 4 else None
            )
            found = value is not None and any(e.kind == VESSEL for e in self.g.entry(match_of(value)[0]))
            self.vessel_names[name] = found
        return found

    def _vessel(self, m: _Match, surface: str, entries: list[Entry]) -> Mention | None:
        before = self.text[max(0, m.start - 25) : m.start]
        after = self.text[m.end : m.end + 30]
        imo = _IMO.search(after) or _IMO.search(before)
        context = _VESSEL_BEFORE.search(before)
        if not imo and not context:
            # Only a list of names in a passage about ships: a name, not a word, a place or
            # a given name, unless most of the list's other names are listed vessels' too.
            plain = surface[:1].isupper() and not any(
                self._ordinary(w) or is_place(w.lower()) or _is_given_name(w) for w in surface.split()
            )
            if not surface[:1].isupper():
                return None
            context = self._vessel_list(m.start, m.end, plain)
        if not imo and not context:
            return None
        reasons = [f"vessel name {surface!r}"]
        props: dict[str, list[str]] = {"name": [surface]}
        if context:
            reasons.append(f"{context.group(0).strip()!r} before it")
        if imo:
            props["imoNumber"] = [imo.group(1)]
            reasons.append(f"IMO {imo.group(1)} next to it")
        q = prepare({"schema": "Vessel", "properties": props})
        records = [self.g.records[r] for e in entries for r in e.records]
        candidates = [e for e in self.look.entities(records) if e.schema == "Vessel"]
        said = _vessel_class(context.group(0)) if context else None
        if said and len(candidates) > 1:
            # "the tankers … Tango": not the yacht Tango, whose list says it is a yacht.
            kept = [
                c for c in candidates if _vessel_class(" ".join(self.look.values(c, "type"))) in (None, said)
            ]
            if kept and len(kept) < len(candidates):
                reasons.append(
                    f"not {len(candidates) - len(kept)} vessel(s) of this name the lists call another type"
                )
                candidates = kept
        if not candidates:
            return None
        return self._decided(m.start, m.end, q, candidates, reasons, None)

    # ------------------------------------------------------------------ scoring

    def _scored(
        self, q: Prepared, candidates: list[Entity], floor: float | None = None
    ) -> list[tuple[Entity, MatchResult]]:
        """Each candidate scored against `q` (only those reaching `floor`, if given), best
        first. Scores are kept with the gazetteer: texts name the same people again and
        again, and scoring is most of the time annotating takes."""
        memo: dict[tuple[object, ...], MatchResult | None] = self.g.memo.setdefault("scores", {})
        if len(memo) > MAX_SCORES:
            memo.clear()
        query = (q.schema, tuple(n.text for n in q.names), q.birth_dates, q.identifiers, floor)
        out = []
        for c in candidates:
            key = (query, c.id)
            if key not in memo:
                target = c.for_query(q)
                memo[key] = (
                    score_prepared(q, target, self.look.weigh)
                    if floor is None
                    else score_reaching(q, target, floor, self.look.weigh)
                )
            result = memo[key]
            if result is not None:
                out.append((c, result))
        out.sort(key=lambda x: (-x[1].score, x[0].id))
        return out

    def _decided(
        self,
        start: int,
        end: int,
        q: Prepared,
        candidates: list[Entity],
        reasons: list[str],
        remember: tuple[str, ...] | None,
    ) -> Mention | None:
        scored = self._scored(q, candidates, self.threshold)
        if not scored:
            return None
        top = scored[0][1].score
        near = [x for x in scored if x[1].score >= top - TWIN_MARGIN]
        twins = self._twins(near)
        rivals = [x for x in scored if x[1].score >= top - MARGIN and x not in twins]
        if rivals:
            close = [x for x in scored if x[1].score >= top - MARGIN]
            before = {x.entity: x for x in self.mentions if x.decision == "linked"}
            prior = [x for x in close if x[0].id in before]
            if len(prior) == 1 and close[0][0].schema == "Person":
                # Борис Ротенберг, after the text linked Boris Romanovich: the same man.
                best, result = prior[0]
                ref = before[best.id]
                reasons.append(
                    f"refers back to {ref.surface!r} at {ref.start} (of the {len(close)} listed "
                    "people of this name, the one the text linked before)"
                )
                for key in remember or ():
                    self.named[key] = (best, q, self.text[start:end], start)
                return self._linked(start, end, best, result, reasons)
            said_of = self._position_said(start, end, close) if close[0][0].schema == "Person" else None
            if said_of is not None:
                (best, result), word, position = said_of
                reasons.append(
                    f"{word!r} written near it, of the position its list gives ({position}); "
                    f"not the other {len(close) - 1} of this name"
                )
                for key in remember or ():
                    self.named[key] = (best, q, self.text[start:end], start)
                return self._linked(start, end, best, result, reasons)
            children = _children(close)
            if children:
                # A father and his son of one name (Andrey Guryev, Andrey Andreyevich): only
                # the text tells which ("Guriev and his son"), never who is listed more widely.
                said = self._kinship(start, end)
                kept = [x for x in close if (x[0].id in children) == (said == "child")] if said else []
                if kept and all(x is kept[0] or self._alike(kept[0][0], x[0]) for x in kept):
                    best, result = kept[0]
                    reasons.append(
                        f"the {'son' if said == 'child' else 'father'}, as the text says, of the "
                        f"{len(close)} listed people of this name"
                    )
                    for key in remember or ():
                        self.named[key] = (best, q, self.text[start:end], start)
                    return self._linked(start, end, best, result, reasons, others=[c for c, _ in kept[1:]])
                if remember is not None:
                    self.unsure.update(remember)
                reasons.append(f"{len(close)} listed people fit the name about equally, a father and his son")
                return self._ambiguous(start, end, close, reasons)
            widely = self._most_listed(close) if remember is not None else None
            if widely is None:
                if remember is not None:
                    self.unsure.update(remember)
                reasons.append(f"{len(close)} listed entities fit the name about equally")
                return self._ambiguous(start, end, close, reasons)
            (best, result), count = widely
            reasons.append(
                f"{len(close)} listed people fit the name about equally; this one is listed in {count} "
                "jurisdictions, twice as many as any other"
            )
            for key in remember or ():
                self.named[key] = (best, q, self.text[start:end], start)
            return self._linked(start, end, best, result, reasons)
        best, result = twins[0]
        if len(twins) > 1:
            reasons.append(
                f"also {', '.join(c.id for c, _ in twins[1:])}: the scorer finds them one with it, "
                "the resolution kept them apart (their records are given with it)"
            )
        for key in remember or ():
            self.named[key] = (best, q, self.text[start:end], start)
        return self._linked(start, end, best, result, reasons, others=[c for c, _ in twins[1:]])

    def _position_said(
        self, start: int, end: int, close: list[tuple[Entity, MatchResult]]
    ) -> tuple[tuple[Entity, MatchResult], str, str] | None:
        """Of people who fit the name about equally, the one whose position the lists
        give names a body the text writes near the mention (глава «Ростеха» Сергей
        Чемезов: Chair of Rostec; Evraz … Александр Фролов: Former CEO, Evraz plc), if
        only one does."""
        lo = max(0, start - 150, self.text.rfind("\n\n", 0, start) + 1)
        near = {
            skeleton(latinize(normalize(w)))
            for w in _NAME_WORD.findall(self.text[lo:start] + " " + self.text[end : end + 80])
            if w[:1].isupper() and len(w) >= 4
        }
        said = []
        for x in close:
            position = " ".join(self.look.values(x[0], "position"))
            words = {
                skeleton(latinize(normalize(w)))
                for w in _NAME_WORD.findall(position)
                if w[:1].isupper()
                and len(w) >= 4
                and not is_generic(skeleton(w.lower()))
                and not _ordinary_en(w)
            }
            hit = next((w for w in sorted(words) if any(n.startswith(w) for n in near if len(w) >= 4)), None)
            if hit is not None:
                said.append((x, hit, position))
        return said[0] if len(said) == 1 else None

    def _kinship(self, start: int, end: int) -> str | None:
        """ "parent" where the text writes a son after the name or a father before it
        (Guriev and his son; отец …), "child" where a son before or junior after it."""
        before, after = self.text[max(0, start - 30) : start], self.text[end : end + 30]
        if _PARENT_AFTER.match(after) or _FATHER_BEFORE.search(before):
            return "parent"
        if _CHILD_AFTER.match(after) or _SON_BEFORE.search(before):
            return "child"
        return None

    def _twins(self, near: list[tuple[Entity, MatchResult]]) -> list[tuple[Entity, MatchResult]]:
        """The best fitting entity and those the scorer finds the same as it (lists the
        resolution did not merge: the trade list's copy of an OFAC record), the one of
        most records first."""
        best = near[0][0]
        same = [near[0]] + [x for x in near[1:] if self._alike(best, x[0])]
        if best.schema != "Person":
            seen = {e.id for e, _ in near}
            same += [(e, near[0][1]) for e in self._named_alike(best) if e.id not in seen]
        return sorted(same, key=lambda s: (-len(s[0].records), -s[1].score, s[0].id))

    def _named_alike(self, entity: Entity) -> list[Entity]:
        """Organisations and vessels the lists call by one of `entity`'s names (with or
        without its legal form) that the scorer finds the same: the text named one
        of them, and which record a list keeps it under is no matter of the text."""
        found = self.g.memo.setdefault("named_alike", {})
        if entity.id not in found:
            records: list[str] = []
            for n in entity.whole.names[:12]:
                for key in {" ".join(fold(n.text).replace('"', " ").split()), core_name(fold(n.text))}:
                    value = self.g.automaton.get(key, None) if key else None
                    if value is not None:
                        records += [
                            self.g.records[r] for e in self.g.entry(match_of(value)[0]) for r in e.records
                        ]
            others = [e for e in self.look.entities(records) if e.id != entity.id]
            found[entity.id] = [e for e in others if self._alike(entity, e)]
        result: list[Entity] = found[entity.id]
        return result

    def _alike(self, a: Entity, b: Entity) -> bool:
        """One person or body by the scorer, with nothing that tells them apart: no
        birth date years apart, no other identifier, no other father's name."""
        if (a.schema == "Person") != (b.schema == "Person") or not compatible(a.whole, b.whole):
            return False
        memo: dict[tuple[str, str], bool] = self.g.memo.setdefault("alike", {})
        key = (a.id, b.id)
        if key not in memo:
            alike = score_prepared(a.whole, b.whole, self.look.weigh)
            memo[key] = (
                alike.score >= TWIN
                and all(c.value >= -0.5 for c in alike.contributions)
                and _same_fathers(a.whole, b.whole)
            )
        return memo[key]

    def _linked(
        self,
        start: int,
        end: int,
        entity: Entity,
        result: MatchResult,
        reasons: list[str],
        others: list[Entity] | None = None,
    ) -> Mention:
        why = (*reasons, *(c.detail for c in result.contributions if c.detail))
        records = tuple(sorted({r for e in (entity, *(others or ())) for r in e.records}))
        return Mention(
            start=start,
            end=end,
            surface=self.text[start:end],
            decision="linked",
            entity=entity.id,
            records=records,
            caption=entity.caption,
            schema=entity.schema,
            score=round(result.score, 4),
            reasons=why,
            status=self.look.status(entity.id),
        )

    def _ambiguous(
        self, start: int, end: int, scored: list[tuple[Entity, MatchResult]], reasons: list[str]
    ) -> Mention | None:
        if not scored:
            return None
        return Mention(
            start=start,
            end=end,
            surface=self.text[start:end],
            decision="ambiguous",
            entity=None,
            records=(),
            caption=" / ".join(c.caption for c, _ in scored[:5]),
            schema=scored[0][0].schema,
            score=round(scored[0][1].score, 4),
            reasons=tuple(reasons),
            candidates=tuple(Candidate(c.id, c.caption, c.records, round(r.score, 4)) for c, r in scored),
        )

    # ------------------------------------------------------------------ context

    def _words_left(self, pos: int) -> list[_Part]:
        """Given names, patronymics and initials written right before `pos`, in order."""
        window = self.text[max(self.taken, pos - 80) : pos]
        offset = pos - len(window)
        words = list(_NAME_WORD.finditer(window))
        parts: list[_Part] = []
        edge = len(window)
        for w in reversed(words):
            gap = window[w.end() : edge]
            # An editor's brackets are no break ("[президента России Владимира] Путина").
            if gap.strip(" []") or "\n\n" in gap or len(parts) >= 3:
                break
            part = _name_part(w.group(0))
            if part is None:
                break
            role, form, word = part
            parts.append(_Part(offset + w.start(), offset + w.start() + len(word), word, role, form))
            edge = w.start()
        return parts[::-1]

    def _listed_given_before(self, pos: int, records: list[str]) -> list[_Part]:
        """A capitalised word right before the surname that no dictionary knows as a given
        name but that is, letter for letter, the given name of a listed person of that
        surname (Нурид Саламов: NURID): read as the given name, for the scorer to weigh."""
        m = re.search(r"(?<![\w-])([^\W\d_]{3,}) $", self.text[max(self.taken, pos - 30) : pos])
        if m is None or not m.group(1)[:1].isupper() or m.group(1).lower() in _TITLES:
            return []
        word = m.group(1)
        key = skeleton(latinize(normalize(word)))
        for e in self.look.entities(records):
            if e.schema == "Person" and any(
                t.key == key for n in e.whole.names for t in n.tokens if t.role == "given"
            ):
                return [_Part(pos - len(word) - 1, pos - 1, word, "given", word)]
        return []

    def _words_right(self, pos: int) -> list[_Part]:
        """Given name and patronymic written after a surname (Путин Владимир Владимирович)."""
        window = self.text[pos : pos + 60]
        parts: list[_Part] = []
        edge = 0
        for w in _NAME_WORD.finditer(window):
            gap = window[edge : w.start()]
            if gap.strip() or "\n" in gap or len(parts) >= 2:
                break
            part = _name_part(w.group(0))
            if part is None:
                break
            role, form, word = part
            if role == "initial" or (not parts and role != "given"):
                break  # after a surname only a given name, then a patronymic
            parts.append(_Part(pos + w.start(), pos + w.start() + len(word), word, role, form))
            edge = w.start() + len(word)
        return parts if any(p.role == "given" for p in parts) else []

    def _title_before(self, pos: int) -> str | None:
        window = self.text[max(0, pos - 30) : pos]
        words = _NAME_WORD.findall(window)
        if words and words[-1].rstrip(".").lower() in _TITLES and window.endswith((" ", ".")):
            return str(words[-1]).rstrip(".")
        return None

    def _birth_date(self, pos: int) -> str | None:
        window = self.text[pos : pos + 40].split("\n")[0]
        if not window.strip() or window[:1].isalnum():
            return None
        _, born = split_birth_date("x " + _MONTH_DAY.sub(_numeric_date, window))
        return str(born) if born else None

    def _legal_form_before(self, pos: int) -> tuple[int, int, str] | None:
        window = self.text[max(0, pos - 12) : pos]
        m = re.search(r"([^\W\d_]{2,6})[\s\"'«„“]*$", window)
        if m and m.group(1)[0].isupper() and legal_form_class(m.group(1)):
            return pos - len(window) + m.start(1), pos - len(window) + m.end(1), m.group(1)
        return None

    def _legal_form_after(self, pos: int) -> tuple[int, int, str] | None:
        window = self.text[pos : pos + 12]
        m = re.match(r"[\"'»”]?,?\s*([^\W\d_]{2,6})\b", window)
        if m and m.group(1)[0].isupper() and legal_form_class(m.group(1)):
            return pos + m.start(1), pos + m.end(1), m.group(1)
        return None


_MONTHS = {
    m: i + 1
    for names in (
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
        "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
    )
    for i, m in enumerate(names.split())
}
_MONTH_DAY = re.compile(r"\b(\d{1,2})\s+([а-яіїє]+)\s+(\d{4})", re.IGNORECASE)


def _numeric_date(m: re.Match[str]) -> str:
    """A Russian or Ukrainian date (1 апреля 1983) as screening reads dates (01.04.1983)."""
    month = _MONTHS.get(m.group(2).lower())
    return f"{int(m.group(1)):02d}.{month:02d}.{m.group(3)}" if month else m.group(0)


_PLACE_PREPOSITIONS = frozenset(
    [
        "in",
        "of",
        "from",
        "to",
        "near",
        "off",
        "into",
        "at",
        "via",
        "across",
        "through",
        "around",
        "outside",
        "в",
        "во",
        "из",
        "на",
        "у",
        "до",
        "з",
        "із",
        "біля",
        "под",
    ]
)


def _trailing_name(item: str) -> str:
    """The capitalised words an item of a list ends with ("these were the Pearl" → Pearl)."""
    words = item.split()
    kept: list[str] = []
    for w in reversed(words):
        if not (w[:1].isupper() or w.isdigit()):
            break
        kept.append(w)
    return " ".join(reversed(kept))


_GIVEN_PATRONYMIC = re.compile(
    r"(?<![\w-])([А-ЯЁІЇЄҐ][а-яёіїєґ']+)\s([А-ЯЁІЇЄҐ][а-яёіїєґ']+(?:вич|вна|ична|ичем|вичем|вичу|вича|вной|вну|вны))(?![\w-])"
)
# Words that say which country a body is of (a stem each): "американского Минфина".
_COUNTRY_WORDS = (
    ("us", ("сша", "американск", "америк", "us", "u.s.", "american")),
    ("gb", ("великобритан", "британ", "uk", "british")),
    ("ua", ("украин", "україн", "ukrain")),
    ("ru", ("росси", "російськ", "росії", "рф", "russia")),
    ("by", ("белорус", "беларус", "білорус", "belarus")),
    ("ca", ("канад", "canad")),
    ("au", ("австрали", "австралі", "australia")),
)


def _countries_of(entity: Entity) -> set[str]:
    """The countries the lists give an organisation, or its names say (MINISTRY OF FINANCE
    OF THE RUSSIAN FEDERATION)."""
    out = set(entity.whole.countries)
    for name in entity.whole.names:
        for word in name.text.lower().split():
            out.update(
                c
                for c, stems in _COUNTRY_WORDS
                if any(word.startswith(stem) for stem in stems if len(stem) > 3)
            )
    return out


_COORDINATED = re.compile(
    r"(?<![\w-])([А-ЯЁІЇЄҐA-Z][а-яёіїєґ'a-z]+)\s+(?:и|і|та|and)\s+([А-ЯЁІЇЄҐA-Z][а-яёіїєґ'a-z]+\s+[А-ЯЁІЇЄҐA-Z])"
)
_PARENT_AFTER = re.compile(
    r"\W{0,3}(?:(?:and|&)\s+(?:his|her)\s+sons?\b|(?:'s|’s)\s+sons?\b|sr\b|senior\b|"
    r"(?:и|і|та)\s+(?:его|її|його)\s+(?:сын|сыновья|син|сини)|старш)",
    re.IGNORECASE,
)
_FATHER_BEFORE = re.compile(r"\b(?:father|отец|отца|батько|батька)\W{0,3}$", re.IGNORECASE)
_CHILD_AFTER = re.compile(r"\W{0,3}(?:jr\b|junior\b|младш|молодш)", re.IGNORECASE)
_SON_BEFORE = re.compile(r"\b(?:son|сын|сына|син|сина)\W{0,3}$", re.IGNORECASE)


# Capitalised words of positions that name no body (Former CEO, Member of the State Duma).
_POSITION_WORDS = frozenset(
    [
        "former",
        "chair",
        "chairman",
        "member",
        "director",
        "deputy",
        "head",
        "chief",
        "general",
        "executive",
        "president",
        "vice",
        "first",
        "minister",
        "governor",
        "senator",
        "ambassador",
        "advisor",
        "adviser",
        "board",
        "state",
        "federal",
        "russian",
        "federation",
    ]
)


def _ordinary_en(word: str) -> bool:
    return word.lower() in _POSITION_WORDS


def _children(close: list[tuple[Entity, MatchResult]]) -> set[str]:
    """The candidates whose father's name is another candidate's given name: a son
    beside his father of one name (the lists give the son's patronymic)."""
    given = {x[0].id: _given_classes(x[0].whole) for x in close}
    return {
        e.id for e, _ in close if any(_fathers(e.whole) & g for other, g in given.items() if other != e.id)
    }


def _given_classes(p: Prepared) -> set[str]:
    out: set[str] = set()
    for n in p.names:
        for t in n.tokens:
            if t.role == "given":
                out.update(t.cls or (t.key,))
    return out


_VESSEL_CLASSES = (("tanker", re.compile(r"tanker|танкер", re.I)), ("yacht", re.compile(r"yacht|яхт", re.I)))


def _vessel_class(words: str) -> str | None:
    """The kind of vessel a word or a list's type names (tanker, yacht), if one."""
    return next((name for name, pattern in _VESSEL_CLASSES if pattern.search(words)), None)


_BY_NAME = frozenset({"the", "abu", "abou"})  # words of a nom de guerre, not of a family name


def _a_surname_of(entity: Entity, key: str) -> bool:
    """Whether a name of the entity carries the word `key` (a skeleton) as a family name:
    in a name of two words or more that is no by-name ("THE LORD", "Abu the Italian"), whose
    words a lone word in a text could not stand for."""
    for member in entity.members:
        for name in member.names:
            words = re.findall(r"\w+", name.text.lower())
            if len(words) >= 2 and not _BY_NAME.intersection(words) and key in map(skeleton, words):
                return True
    return False


def _is_given_name(word: str) -> bool:
    if _CYRILLIC.search(word):
        return lemma(word)[1] == "Name"
    return given_name_class(word) is not None


def _same_fathers(a: Prepared, b: Prepared) -> bool:
    """No patronymics, or one in common (Boris Romanovich and Boris Borisovich Rotenberg,
    father and son, are two people whatever else the lists leave out)."""
    fa, fb = _fathers(a), _fathers(b)
    return not fa or not fb or bool(fa & fb)


def _fathers(p: Prepared) -> set[str]:
    out: set[str] = set()
    for n in p.names:
        for t in n.tokens:
            if t.role == "patronymic":
                out.update(t.cls or (t.key,))
    return out


def _best_lemma(entries: list[Entry], surface: str) -> str:
    low = surface.lower().replace("ё", "е")
    lemmas = [e.lemma for e in entries]
    return low if low in lemmas else lemmas[0]


def _name_part(word: str) -> tuple[str, str, str] | None:
    """(role, form for the query, the word without a full stop) of a word that may be
    part of a person's name next to a surname; None for any other word."""
    bare = word.rstrip(".")
    if not bare or not bare[0].isupper():
        return None
    if len(bare) == 1:
        return ("initial", bare, word if word.endswith(".") else bare)
    if bare.lower() in _TITLES:
        return None
    if _CYRILLIC.search(bare):
        form, tag = lemma(bare)
        if tag == "Name" or (tag is None and given_name_class(form)):
            return ("given", form.title(), bare)
        if tag == "Patr" or looks_like_patronymic(form):
            return ("patronymic", form.title(), bare)
        return None
    if looks_like_patronymic(bare) and len(bare) > 6:
        return ("patronymic", bare, bare)
    if given_name_class(bare):
        return ("given", bare, bare)
    return None


def _last(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The last match of `pattern` in `text`: the vessel word nearest a list of names."""
    matches = list(pattern.finditer(text))
    return matches[-1] if matches else None
