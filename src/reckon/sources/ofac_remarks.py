"""OFAC's labelled facts: the Remarks field of the legacy CSV, and the same labels in XML.

The legacy `sdn.csv` has no columns for birth dates, documents, nationalities, e-mail,
crypto wallets or relations: OFAC writes them all into Remarks as `; `-separated items
such as `DOB 10 Dec 1948; Passport 1084010 (Egypt); Linked To: HAMAS.`. The classic XML
puts the same labels into `idList/id/idType` and the enhanced XML into feature and
document types, so one label table (`LABELS`) serves all three formats.

Everything here is pure. It is also tuned for the SDN history replay (millions of
rows): labels are found by first word plus `startswith`, not by a regex alternation,
and the facts of an item are memoised, since half of all items recur verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from reckon.model import FuzzyDate, Identifier, Link, Name
from reckon.names.script import detect_script
from reckon.sources.common import add_unique, clean, country_code, extend_unique, parse_date

# OFAC cuts the Remarks cell of sdn.csv at this many characters and continues the text
# in sdn_comments.csv; without that file the last item of a full-length cell is a stub.
REMARKS_LIMIT = 1000


@dataclass(slots=True)
class RemarksFacts:
    """What a Remarks cell (or a list of labelled XML values) says, typed."""

    names: list[Name] = field(default_factory=list)
    birth_dates: list[FuzzyDate] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    properties: dict[str, list[str]] = field(default_factory=dict)
    measures: list[str] = field(default_factory=list)  # sanctions information, directives
    notes: list[str] = field(default_factory=list)  # free text, kept verbatim
    unrecognised: list[str] = field(default_factory=list)  # items no label matched
    unmapped_countries: list[str] = field(default_factory=list)
    items: int = 0

    def add(self, prop: str, value: str | None) -> None:
        if value:
            values = self.properties.setdefault(prop, [])
            if value not in values:
                values.append(value)


# ---------------------------------------------------------------------------- labels
#
# kind, argument:
#   id <scheme>     a document or register number: `VALUE (Country) issued … expires …`
#   tax / reg / gazette   like id, with the scheme refined by country (Russian INN, OGRN, OKPO)
#   mmsi, swift     like id, with the value normalised
#   dob, pob, gender, crypto, alias <name kind>, link <relation>
#   country <prop>  a country name mapped to ISO
#   prop <prop>     the value as written;  whole <prop>  the whole item (prose positions)
#   date <prop>     an ISO date
#   measure         sanctions information, kept whole in Designation.measures
#   note            recognised free text, kept whole in notes
Rule = tuple[str, str]

LABELS: dict[str, Rule] = {
    # --- people
    "DOB": ("dob", ""),
    "Birthdate": ("dob", ""),
    "POB": ("pob", ""),
    "Place of Birth": ("pob", ""),
    "nationality": ("country", "nationality"),
    "Nationality Country": ("country", "nationality"),
    "citizen": ("country", "citizenship"),
    "Citizenship Country": ("country", "citizenship"),
    "Gender": ("gender", ""),
    "a.k.a.": ("alias", "weakAlias"),
    "f.k.a.": ("alias", "previousName"),
    "n.k.a.": ("alias", "weakAlias"),
    "Linked To:": ("link", "linked"),
    "Associated with": ("link", "associated with"),
    "wife of": ("link", "wife of"),
    "husband of": ("link", "husband of"),
    "son of": ("link", "son of"),
    "daughter of": ("link", "daughter of"),
    "brother of": ("link", "brother of"),
    "sister of": ("link", "sister of"),
    "half-brother of": ("link", "half-brother of"),
    "daughter-in-law of": ("link", "daughter-in-law of"),
    "sister-in-law of": ("link", "sister-in-law of"),
    "ethnicity": ("prop", "ethnicity"),
    "Title": ("prop", "position"),
    "Alternate Title,": ("prop", "position"),
    # Positions written as prose; the whole item is the position.
    "Former Minister": ("whole", "position"),
    "Minister of": ("whole", "position"),
    "Ba'th party": ("whole", "position"),
    "Former Ba'th party": ("whole", "position"),
    "presidential advisor": ("whole", "position"),
    # --- personal documents
    "Passport": ("id", "passportNumber"),
    "Diplomatic Passport": ("id", "passportNumber"),
    "British National Overseas Passport": ("id", "passportNumber"),
    "Stateless Person Passport": ("id", "passportNumber"),
    "Travel Document Number": ("id", "passportNumber"),
    "National ID No.": ("id", "idNumber"),
    "National Foreign ID Number": ("id", "idNumber"),
    "Identification Number": ("id", "idNumber"),
    "Personal ID Card": ("id", "idNumber"),
    "Cedula No.": ("id", "idNumber"),
    "C.U.R.P.": ("id", "idNumber"),
    "C.U.I.P.": ("id", "idNumber"),
    "D.N.I.": ("id", "idNumber"),
    "N.I.E.": ("id", "idNumber"),
    "C.I.N.": ("id", "idNumber"),
    "I.F.E.": ("id", "idNumber"),
    "Credencial electoral": ("id", "idNumber"),
    "Electoral Registry No.": ("id", "idNumber"),
    "Kenyan ID No.": ("id", "idNumber"),
    "Bosnian Personal ID No.": ("id", "idNumber"),
    "Moroccan Personal ID No.": ("id", "idNumber"),
    "Turkish Identification Number": ("id", "idNumber"),
    "CNP (Personal Numerical Code)": ("id", "idNumber"),
    "Romanian Permanent Resident": ("id", "idNumber"),
    "Tazkira National ID Card": ("id", "idNumber"),
    "UAE Identification": ("id", "idNumber"),
    "Citizen's Card Number": ("id", "idNumber"),
    "Numero de Identidad": ("id", "idNumber"),
    "Residency Number": ("id", "idNumber"),
    "Immigration No.": ("id", "idNumber"),
    "Public Security and Immigration No.": ("id", "idNumber"),
    "Refugee ID Card": ("id", "idNumber"),
    "Stateless Person ID Card": ("id", "idNumber"),
    "VisaNumberID": ("id", "idNumber"),
    "Birth Certificate Number": ("id", "idNumber"),
    "Driver's License No.": ("id", "idNumber"),
    "Cartilla de Servicio Militar Nacional": ("id", "idNumber"),
    "Military Registration Number": ("id", "idNumber"),
    "Pilot License Number": ("id", "idNumber"),
    "Seafarer's Identification Document": ("id", "idNumber"),
    "SRE Permit No.": ("id", "idNumber"),
    "SSN": ("id", "socialSecurityNumber"),
    # --- tax numbers
    "Tax ID No.": ("tax", "taxNumber"),
    "R.F.C.": ("id", "taxNumber"),
    "RFC": ("id", "taxNumber"),
    "NIT #": ("id", "taxNumber"),
    "RUC #": ("id", "taxNumber"),
    "RIF #": ("id", "taxNumber"),
    "C.U.I.T.": ("id", "taxNumber"),
    "C.U.I.": ("id", "taxNumber"),
    "C.I.F.": ("id", "taxNumber"),
    "N.I.F.": ("id", "taxNumber"),
    "RTN": ("id", "taxNumber"),
    "RSIN": ("id", "taxNumber"),
    "US FEIN": ("id", "taxNumber"),
    "Italian Fiscal Code": ("id", "taxNumber"),
    "Fiscal Code": ("id", "taxNumber"),
    "Romanian Tax Registration": ("id", "taxNumber"),
    "Paraguayan tax identification number": ("id", "taxNumber"),
    "Numero Unico de Identificacao Tributaria (NUIT)": ("id", "taxNumber"),
    "V.A.T. Number": ("id", "vatCode"),
    # --- company registers
    "Registration ID": ("reg", "registrationNumber"),
    "Registration Number": ("reg", "registrationNumber"),
    "Business Registration Number": ("reg", "registrationNumber"),
    "Business Registration Document #": ("reg", "registrationNumber"),
    "Public Registration Number": ("reg", "registrationNumber"),
    "Central Registration System Number": ("reg", "registrationNumber"),
    "Russian State Individual Business Registration Number Pattern (OGRNIP)": ("id", "ogrnCode"),
    "Government Gazette Number": ("gazette", "registrationNumber"),
    "Commercial Registry Number": ("id", "registrationNumber"),
    "Company Number": ("id", "registrationNumber"),
    "UK Company Number": ("id", "registrationNumber"),
    "Certificate of Incorporation Number": ("id", "registrationNumber"),
    "Chamber of Commerce Number": ("id", "registrationNumber"),
    "Dubai Chamber of Commerce Membership No.": ("id", "registrationNumber"),
    "Istanbul Chamber of Comm. No.": ("id", "registrationNumber"),
    "Registration Certificate Number (Dubai)": ("id", "registrationNumber"),
    "Romanian C.R.": ("id", "registrationNumber"),
    "C.R. No.": ("id", "registrationNumber"),
    "Folio Mercantil No.": ("id", "registrationNumber"),
    "Matricula Mercantil No": ("id", "registrationNumber"),
    "Trade License No.": ("id", "registrationNumber"),
    "Tourism License No.": ("id", "registrationNumber"),
    "License": ("id", "registrationNumber"),
    "Permit Number": ("id", "registrationNumber"),
    "Trademark number": ("id", "registrationNumber"),
    "Registered Charity No.": ("id", "registrationNumber"),
    "LE Number": ("id", "registrationNumber"),
    "Enterprise Number": ("id", "registrationNumber"),
    "Business Number": ("id", "registrationNumber"),
    "Branch Unit Number": ("id", "registrationNumber"),
    "Organization Code": ("id", "registrationNumber"),
    "File Number": ("id", "registrationNumber"),
    "Unified Social Credit Code (USCC)": ("id", "registrationNumber"),
    "United Social Credit Code Certificate (USCCC)": ("id", "registrationNumber"),
    "Economic Register Number (CBLS)": ("id", "registrationNumber"),
    "MSB Registration Number": ("id", "registrationNumber"),
    "Afghan Money Service Provider License Number": ("id", "registrationNumber"),
    "Global Intermediary Identification Number": ("id", "registrationNumber"),
    "Legal Entity Number": ("id", "leiCode"),
    "SWIFT/BIC": ("swift", "swiftBic"),
    "ISIN": ("id", "isinCode"),
    "D-U-N-S Number": ("id", "dunsCode"),
    "Serial No.": ("id", "serialNumber"),
    # --- vessels and aircraft
    "Vessel Registration Identification": ("id", "registrationNumber"),
    "MMSI": ("mmsi", "mmsi"),
    "Other Vessel Call Sign": ("id", "callSign"),
    "Vessel Call Sign": ("id", "callSign"),
    "Call Sign": ("id", "callSign"),
    "Vessel Flag": ("country", "flag"),
    "Other Vessel Flag": ("country", "flag"),
    "Former Vessel Flag": ("country", "pastFlags"),
    "Vessel Type": ("prop", "type"),
    "Other Vessel Type": ("prop", "type"),
    "Vessel Year of Build": ("date", "buildDate"),
    "Vessel Tonnage": ("prop", "tonnage"),
    "Vessel Gross Registered Tonnage": ("prop", "grossRegisteredTonnage"),
    "Vessel Owner": ("link", "owner"),
    "Aircraft Manufacturer's Serial Number (MSN)": ("id", "serialNumber"),
    "Aircraft Serial Identification": ("id", "serialNumber"),
    "Aircraft Construction Number (also called L/N or S/N or F/N)": ("id", "serialNumber"),
    "Aircraft Tail Number": ("id", "registrationNumber"),
    "Previous Aircraft Tail Number": ("id", "registrationNumber"),
    "Aircraft Mode S Transponder Code": ("id", "icaoCode"),
    "Aircraft Manufacture Date": ("date", "buildDate"),
    "Aircraft Model": ("prop", "model"),
    "Aircraft Operator": ("link", "operator"),
    # --- organisations
    "Organization Established Date": ("date", "incorporationDate"),
    "Organization Type:": ("prop", "sector"),
    "Target Type": ("prop", "classification"),
    "Nationality of Registration": ("country", "jurisdiction"),
    "Registration Country": ("country", "jurisdiction"),
    "Equity Ticker": ("prop", "ticker"),
    "Issuer Name": ("prop", "issuer"),
    "BIK (RU)": ("prop", "bikCode"),
    # --- contact
    "Website": ("prop", "website"),
    "Email Address": ("prop", "email"),
    "EMAIL": ("prop", "email"),
    "Phone Number": ("prop", "phone"),
    "Telephone": ("prop", "phone"),
    "Telephone Number": ("prop", "phone"),
    "Phone": ("prop", "phone"),
    "Fax": ("prop", "phone"),
    "Fax Number": ("prop", "phone"),
    # --- crypto (the currency code follows the dash)
    "Digital Currency Address -": ("crypto", "cryptoWallet"),
    # --- sanctions information: measures that qualify the designation
    "Secondary sanctions risk:": ("measure", ""),
    "Additional Sanctions Information -": ("measure", ""),
    "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions:": (
        "measure",
        "",
    ),
    "Executive Order 13662 Directive Determination -": ("measure", ""),
    "Executive Order 13846 information:": ("measure", ""),
    "Executive Order 14014 Directive Information:": ("measure", ""),
    "Executive Order 14024 Directive Information -": ("measure", ""),
    "Executive Order 14024 Directive Information": ("measure", ""),
    "Executive Order 14059 information:": ("measure", ""),
    "CAATSA Section 235 Information:": ("measure", ""),
    "IFCA Determination -": ("measure", ""),
    "PEESA Information:": ("measure", ""),
    "Listing Date": ("measure", ""),
    "Effective Date": ("measure", ""),
    "Purchase/Sales For Divestment Date (CMIC)": ("measure", ""),
    # --- recognised free text
    "For more information": ("note", ""),
    "HAMAS -": ("note", ""),
    "all offices worldwide": ("note", ""),
    "ICTY indictee": ("note", ""),
    "and all other offices worldwide": ("note", ""),
    "and all other locations worldwide": ("note", ""),
    "All Branches Worldwide": ("note", ""),
    "Member ETA": ("note", ""),
    "Member of": ("note", ""),
    "currently incarcerated": ("note", ""),
    "arrested": ("note", ""),
    "UN/LOCODE": ("note", ""),
    "Tribe:": ("note", ""),
    "Chinese Commercial Code": ("note", ""),
}


def _first_word(text: str) -> str:
    return text.split(" ", 1)[0].rstrip(":,")


def _index_labels() -> dict[str, tuple[tuple[str, str], ...]]:
    """Labels by their first word, longest first, so `Registration Number` is tried
    before `Registration ID`'s shorter cousins and `Passport` never shadows a longer
    label. A dict lookup plus a few `startswith` beat one 200-way regex alternation."""
    index: dict[str, list[tuple[str, str]]] = {}
    for label in LABELS:
        low = label.lower()
        index.setdefault(_first_word(low), []).append((low, label))
    return {k: tuple(sorted(v, key=lambda x: len(x[0]), reverse=True)) for k, v in index.items()}


_LABEL_INDEX = _index_labels()
_LABEL_END = frozenset(" :,(")


def match_label(item: str) -> tuple[str, str] | None:
    """(canonical label, the text after it) for an item such as `alt. Passport 123 (Iran)`."""
    text = item[5:].lstrip() if item[:5].lower() == "alt. " else item
    low = text.lower()
    for low_label, label in _LABEL_INDEX.get(low.split(" ", 1)[0].rstrip(":,"), ()):
        if low.startswith(low_label):
            n = len(low_label)
            if n == len(low) or low[n] in _LABEL_END:
                return label, text[n:].lstrip(" :")
    return None


_ID_KINDS = frozenset({"id", "tax", "reg", "gazette", "mmsi", "swift"})

_SPLIT = re.compile(r";\s*")
_PARENS = re.compile(r"\s*\(([^()]*)\)")
_VALIDITY = re.compile(r"\b(issued|expires|expired|issue date|expiration date)\b", re.I)
_IMO = re.compile(r"^IMO\s*(\d{7})$", re.I)
_DIGITS = re.compile(r"\D")
_QUOTED = re.compile(r"^'(.*)'$", re.S)
_CRYPTO = re.compile(r"^([A-Z0-9]{2,6})\s+(\S+)$")
_GENDER = {"male": "male", "female": "female"}

# Second given name endings that make it a patronymic (Russian, Ukrainian, Belarusian).
_PATRONYMIC_ENDINGS = (
    "vich",
    "vitch",
    "vych",
    "vna",
    "ichna",
    "ilyich",
    "ilich",
    "kuzmich",
    "lukich",
    "fomich",
    "вич",
    "вна",
    "ична",
    "ьич",
)


def split_items(text: str) -> list[str]:
    """The `; `-separated items of a Remarks cell, re-joining quoted names split apart."""
    body = text.strip()
    if body.endswith("."):
        body = body[:-1]
    items: list[str] = []
    for part in _SPLIT.split(body):
        part = part.strip()
        if not part:
            continue
        # A weak a.k.a. whose quoted name contains `; ` was split: glue it back.
        if items:
            prev = items[-1]
            if prev[1:8] == ".k.a. '" and prev[-1] != "'" and prev[0] in "afn":
                items[-1] = f"{prev}; {part}"
                continue
        items.append(part)
    return items


def squash(text: str) -> str:
    """Whitespace collapsed; the common case (nothing to collapse) costs one scan."""
    text = text.strip()
    if "  " in text or "\n" in text or "\t" in text or "\r" in text:
        return " ".join(text.split())
    return text


def cell(value: str | None) -> str | None:
    """A CSV cell, stripped, with OFAC's `-0-` (and the other common nulls) as None."""
    if value is None:
        return None
    text = squash(value)
    if not text or text == "-0-":
        return None
    if len(text) <= 7 and clean(text) is None:
        return None
    return text


def fast_name(
    full: str,
    kind: str = "name",
    *,
    first: str | None = None,
    father: str | None = None,
    middle: str | None = None,
    last: str | None = None,
) -> Name:
    """make_name for text already squashed, without a per-character scan for ASCII."""
    script = ("Latn" if full.lower() != full.upper() else None) if full.isascii() else detect_script(full)
    return Name(full=full, kind=kind, first=first, father=father, middle=middle, last=last, script=script)


def person_name(full: str, kind: str = "name") -> Name | None:
    """OFAC writes people `SURNAME, Given names`; keep that as the full name, split the parts."""
    text = squash(full)
    if not text:
        return None
    if ", " not in text:
        return fast_name(text, kind)
    last, given = text.split(", ", 1)
    tokens = given.split()
    first: str | None = given or None
    father: str | None = None
    if len(tokens) == 2 and tokens[1].lower().endswith(_PATRONYMIC_ENDINGS):
        first, father = tokens
    return fast_name(text, kind, first=first, father=father, last=last or None)


def entity_name(full: str, kind: str = "name") -> Name | None:
    text = squash(full)
    return fast_name(text, kind) if text else None


@lru_cache(maxsize=8192)
def cached_date(text: str) -> FuzzyDate | None:
    """parse_date, memoised: the same DOB strings recur across entries and versions."""
    return parse_date(text)


def parse_remarks(
    text: str | None,
    *,
    titles: tuple[str, ...] = (),
    person: bool = False,
    truncated: bool = False,
) -> RemarksFacts:
    """Type every item of a Remarks cell; what no label matches is kept in `notes`.

    `titles` are the entry's Title segments, which OFAC repeats in Remarks; `person`
    splits quoted a.k.a.s as `SURNAME, Given`; `truncated` says the cell was cut at
    REMARKS_LIMIT with no continuation, so the last item is kept verbatim, not parsed.
    """
    facts = RemarksFacts()
    body = cell(text)
    if body is None:
        return facts
    items = split_items(body)
    facts.items = len(items)
    title_set = {t.lower() for t in titles}
    last = len(items) - 1
    for pos, item in enumerate(items):
        if truncated and pos == last:
            facts.notes.append(item)
            continue
        if title_set and item.lower().rstrip(".") in title_set:
            continue  # the Title column already holds it
        part = _item_facts(item, person)
        if part is None and item.startswith("(") and item.endswith(")"):
            # The classic XML wraps some items in parentheses: "(Linked To: HAMAS)".
            part = _item_facts(item[1:-1].strip(), person)
        if part is None:
            facts.notes.append(item)
            facts.unrecognised.append(item)
        else:
            _merge(facts, part)
    return facts


@lru_cache(maxsize=1 << 15)
def _item_facts(item: str, person: bool) -> RemarksFacts | None:
    """What one item states, or None if no label matches. Memoised: half the items of
    a list ("Gender Male", "nationality Russia", sanctions notices, Linked To targets)
    recur across entries. The result is shared, so it is only ever read."""
    hit = match_label(item)
    if hit is None:
        return None
    canon, rest = hit
    # `alt. ` only says "another value"; the kept text is the same without it.
    bare = item[5:].lstrip() if item[:5].lower() == "alt. " else item
    part = RemarksFacts()
    if not apply_rule(part, LABELS[canon], canon, rest, bare, person):
        return None
    return part


def _merge(facts: RemarksFacts, part: RemarksFacts) -> None:
    # An item states one or two facts; test before looping, most fields are empty.
    if part.properties:
        for key, values in part.properties.items():
            for value in values:
                facts.add(key, value)
    if part.identifiers:
        extend_unique(facts.identifiers, part.identifiers)
    if part.measures:
        extend_unique(facts.measures, part.measures)
    if part.birth_dates:
        extend_unique(facts.birth_dates, part.birth_dates)
    if part.links:
        extend_unique(facts.links, part.links)
    if part.names:
        extend_unique(facts.names, part.names)
    if part.notes:
        facts.notes.extend(part.notes)
    if part.unmapped_countries:
        extend_unique(facts.unmapped_countries, part.unmapped_countries)


def apply_labelled(
    facts: RemarksFacts,
    label: str,
    value: str | None,
    country: str | None = None,
    *,
    extra: str | None = None,
    person: bool = False,
) -> bool:
    """Type one XML value by its OFAC label (idType, feature or document type).

    `country` is the ISO code from the XML's own country field; `extra` is validity or
    issuer text for documents. Returns False (and keeps the text in notes) when the
    label is unknown.
    """
    value = cell(value)
    label = squash(label)
    if value is None:
        return True
    item = f"{label} {value}"
    hit = match_label(label)
    if hit is None:
        facts.notes.append(item)
        facts.unrecognised.append(item)
        return False
    canon, remainder = hit
    rule = LABELS[canon]
    if rule[0] in _ID_KINDS:
        if "(" in value:
            # The classic XML sometimes leaves the country inside idNumber: `1026… (Russia)`.
            value, inner_country, inner_extra = split_value(value)
            country = country or inner_country
            extra = "; ".join(x for x in (inner_extra, extra) if x) or None
            if not value:
                return True
        return _identifier(facts, rule, label if remainder else canon, value, country, extra)
    if apply_rule(facts, rule, canon, f"{remainder} {value}".strip(), item, person):
        return True
    facts.notes.append(item)
    facts.unrecognised.append(item)
    return False


def apply_rule(facts: RemarksFacts, rule: Rule, label: str, rest: str, item: str, person: bool) -> bool:
    kind, arg = rule
    rest = rest.strip()
    if kind == "dob":
        date = cached_date(rest)
        if date is None:
            return False
        if date not in facts.birth_dates:
            facts.birth_dates.append(date)
    elif kind == "pob":
        facts.add("birthPlace", rest)
        tail = rest.rsplit(",", 1)[-1].strip()
        code = ofac_country(tail)
        if code:
            facts.add("birthCountry", code)
    elif kind == "country":
        code = ofac_country(rest)
        if code is None and rest.lower() in NO_COUNTRY:
            return True
        if code is None:
            if rest not in facts.unmapped_countries:
                facts.unmapped_countries.append(rest)
            facts.notes.append(item)
        else:
            facts.add(arg, code)
    elif kind == "gender":
        gender = _GENDER.get(rest.lower())
        if gender is None:
            return False
        facts.add("gender", gender)
    elif kind == "alias":
        m = _QUOTED.match(rest)
        if m is None:
            return False
        quoted = m.group(1)
        # Nicknames are quoted twice: a.k.a. ''FOOPIE''.
        if len(quoted) > 2 and quoted[0] == quoted[-1] == "'":
            quoted = quoted[1:-1]
        name = person_name(quoted, arg) if person else entity_name(quoted, arg)
        if name is not None and name not in facts.names:
            facts.names.append(name)
    elif kind == "link":
        target = squash(rest)
        if not target:
            return False
        link = Link(relation=arg, target_name=target)
        if link not in facts.links:
            facts.links.append(link)
    elif kind == "crypto":
        m = _CRYPTO.match(rest)
        if m is None:
            return False
        add_unique(facts.identifiers, Identifier(scheme="cryptoWallet", value=m.group(2), note=m.group(1)))
    elif kind == "prop":
        value = squash(rest)
        if not value:
            return False
        facts.add(arg, value)
    elif kind == "date":
        date = cached_date(rest)
        if date is None:
            return False
        facts.add(arg, date.value)
    elif kind == "whole":
        facts.add(arg, item)
    elif kind == "measure":
        if item not in facts.measures:
            facts.measures.append(item)
    elif kind == "note":
        facts.notes.append(item)
    else:
        value, country, extra = split_value(rest)
        if not value:
            return False
        return _identifier(facts, rule, label, value, country, extra)
    return True


# Spellings OFAC uses that the shared country table does not know.
_OFAC_COUNTRIES = {"st. kitts & nevis": "kn", "cote d ivoire": "ci"}
# Values that say "no country"; they are not worth a warning.
NO_COUNTRY = frozenset({"none identified", "undetermined", "unknown"})


@lru_cache(maxsize=4096)
def ofac_country(text: str | None) -> str | None:
    """ISO code for OFAC's country spellings, incl. inverted ones ("Man, Isle of")."""
    code = country_code(text)
    if code is not None or not text:
        return code
    text = text.strip()
    low = text.lower()
    if low.startswith("possibly "):
        return ofac_country(text[9:])
    if low in _OFAC_COUNTRIES:
        return _OFAC_COUNTRIES[low]
    if low.startswith("region: "):
        # "Region: Northern Mali" names a part of a country.
        region = text[8:]
        return country_code(region) or country_code(region.rsplit(" ", 1)[-1])
    if ", " in text:
        head, tail = text.split(", ", 1)
        return country_code(f"{tail} {head}") or country_code(head)
    return None


def split_value(rest: str) -> tuple[str, str | None, str | None]:
    """`VALUE (Place) (Country) issued 01 Jan 2001` → value, ISO country, the rest as a note."""
    cut = rest.find("(")
    value = (rest if cut < 0 else rest[:cut]).strip().rstrip(",;")
    tail = "" if cut < 0 else rest[cut:]
    country: str | None = None
    extras: list[str] = []
    end = 0
    for m in _PARENS.finditer(tail):
        if m.start() != end:
            break
        end = m.end()
        inner = m.group(1).strip()
        code = ofac_country(inner)
        if code is not None and country is None:
            country = code
        elif inner:
            extras.append(inner)
    rest_text = tail[end:].strip()
    if cut < 0:
        # No brackets: a validity clause may still trail the number.
        v = _VALIDITY.search(value)
        if v is not None and v.start() > 0:
            rest_text = value[v.start() :].strip()
            value = value[: v.start()].strip()
    if rest_text:
        extras.append(rest_text)
    return value, country, "; ".join(extras) or None


def _identifier(
    facts: RemarksFacts, rule: Rule, label: str, value: str, country: str | None, extra: str | None
) -> bool:
    kind, scheme = rule
    value = value.strip()
    note = f"{label}; {extra}" if extra else label
    imo = _IMO.match(value)
    if imo is not None:
        add_unique(facts.identifiers, Identifier("imoNumber", f"IMO{imo.group(1)}", country, note))
        return True
    digits = _DIGITS.sub("", value)
    if kind == "tax" and country == "ru" and len(digits) in (10, 12) and digits == value:
        scheme = "innCode"
    elif kind == "reg" and country == "ru" and len(digits) in (13, 15) and digits == value:
        scheme = "ogrnCode"
    elif kind == "gazette" and country == "ru" and len(digits) in (8, 10) and digits == value:
        # OFAC's "Government Gazette Number" for Russian entities is the OKPO code.
        scheme = "okpoCode"
    elif kind == "mmsi":
        value = digits or value
    elif kind == "swift":
        value = value.upper().replace(" ", "")
    add_unique(facts.identifiers, Identifier(scheme, value, country, note))
    return True
