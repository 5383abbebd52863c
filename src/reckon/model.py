"""Typed records that parsers produce and the store keeps.

Property and schema names follow FollowTheMoney (FtM) so that data moves between
reckon, OpenSanctions and Aleph without a translation table. These are plain data
holders: parsing lives in `sources/`, persistence in `store/`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCHEMATA = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane")

# FtM name properties, strongest first. `weakAlias` is what OFAC calls a weak a.k.a.
# and what the UK calls a "low quality" alias: too short or generic to match on alone.
NAME_KINDS = ("name", "alias", "previousName", "weakAlias")

# Identifier schemes are FtM property names wherever FtM has one.
IDENTIFIER_SCHEMES = (
    "passportNumber",
    "idNumber",
    "innCode",
    "ogrnCode",
    "okpoCode",
    "kppCode",
    "taxNumber",
    "registrationNumber",
    "vatCode",
    "leiCode",
    "swiftBic",
    "isinCode",
    "imoNumber",
    "mmsi",
    "callSign",
    "icaoCode",
    "serialNumber",
    "cryptoWallet",
    "unscId",
    "socialSecurityNumber",
    "dunsCode",
)


@dataclass(frozen=True, slots=True)
class Name:
    """One name of an entity, keeping the parts the list gave and the script it is in."""

    full: str
    kind: str = "name"
    first: str | None = None
    father: str | None = None
    middle: str | None = None
    last: str | None = None
    script: str | None = None  # ISO 15924: Latn, Cyrl, Arab, Hani, ...
    lang: str | None = None  # ISO 639-3 when the list states a language


@dataclass(frozen=True, slots=True)
class FuzzyDate:
    """A date as precise as the list made it: `value` is an ISO 8601 prefix.

    YYYY, YYYY-MM or YYYY-MM-DD; the length is the precision. A range keeps its start
    in `value` and its end in `until`.
    """

    value: str
    approximate: bool = False
    until: str | None = None
    original: str | None = None


@dataclass(frozen=True, slots=True)
class Identifier:
    scheme: str  # one of IDENTIFIER_SCHEMES
    value: str
    country: str | None = None  # ISO 3166-1 alpha-2, lowercase
    note: str | None = None  # issuer, validity, the list's own label


@dataclass(frozen=True, slots=True)
class Address:
    full: str
    street: str | None = None
    city: str | None = None
    postal_code: str | None = None
    region: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2, lowercase


@dataclass(frozen=True, slots=True)
class Designation:
    """One listing of the entity by one authority (an FtM Sanction)."""

    jurisdiction: str  # "us", "eu", "gb", "un", "au", "ca", "ua"
    authority: str
    programs: tuple[str, ...] = ()
    listing_date: str | None = None  # ISO prefix, as precise as the list says
    end_date: str | None = None
    legal_basis: str | None = None
    authority_id: str | None = None  # the list's own reference for the listing
    unsc_id: str | None = None  # UN reference number, where the list quotes it
    measures: tuple[str, ...] = ()  # asset freeze, travel ban, ...
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A relation the list states in words, e.g. OFAC's "Linked To: X"."""

    relation: str
    target_name: str
    target_id: str | None = None
    # The share held, as the source states it (FtM Ownership.percentage), where it does.
    percentage: str | None = None


@dataclass(slots=True)
class Record:
    """One entry of one list version."""

    source: str
    id: str  # the list's own stable record id
    schema: str
    names: list[Name] = field(default_factory=list)
    birth_dates: list[FuzzyDate] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    designations: list[Designation] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    # Every other FtM property: nationality, citizenship, country, birthPlace,
    # gender, position, title, notes, email, website, phone, flag, buildDate, ...
    properties: dict[str, list[str]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.source}:{self.id}"


@dataclass(slots=True)
class ListVersion:
    """Everything one parser read from one published file."""

    source: str
    format: str
    records: list[Record]
    published: str | None = None  # the date the publisher stamped on the file
    warnings: list[str] = field(default_factory=list)
