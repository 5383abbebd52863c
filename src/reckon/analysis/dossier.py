"""Dossiers: one entity, or every entity of a gap, as a document to send to a ministry.

A dossier is built as plain data first (`entity_dossier`, `gaps_dossier`) from the same
functions every other surface calls: `status.entity_status` for where the entity is
listed, `gaps.gaps` for a gap, `resolve.profile` for its names and facts, and the
`versions` table for the provenance appendix. It is then rendered to HTML by a Jinja2
template (`render_html`) and from HTML to PDF by WeasyPrint (`render_pdf`).

The document's rules are the store's: every date says what it is as of (a list version
named in the appendix with its file and SHA-256), "unknown" is never "not listed", and an
entry of a dataset of allegations is shown apart, never as a designation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import duckdb

from reckon.analysis.status import (
    DELISTED,
    LISTED,
    NOT_LISTED,
    POSSIBLY_LISTED,
    SINCE_HISTORY,
    SINCE_LIST,
    SINCE_ON_OR_BEFORE,
    UNKNOWN,
    EntityStatus,
    JurisdictionStatus,
    Listing,
    ListState,
    all_statuses,
    entity_status,
    list_states,
)
from reckon.sources.registry import Source, sources

if TYPE_CHECKING:
    from reckon.analysis.gaps import GapQuery
    from reckon.resolve.profile import Provenance, Value

# How the document names a jurisdiction: in a table, and in a sentence.
_JURISDICTIONS = {
    "us": ("US", "the US"),
    "gb": ("UK", "the UK"),
    "eu": ("EU", "the EU"),
    "un": ("UN", "the UN"),
    "au": ("Australia", "Australia"),
    "ca": ("Canada", "Canada"),
}

_FACT_LABELS = {
    "birthDate": "birth date",
    "birthPlace": "birth place",
    "birthCountry": "birth country",
    "deathDate": "death date",
    "nationality": "nationality",
    "citizenship": "citizenship",
    "gender": "gender",
    "position": "position",
    "title": "title",
    "passportNumber": "passport",
    "idNumber": "identity number",
    "innCode": "INN",
    "ogrnCode": "OGRN",
    "taxNumber": "tax number",
    "registrationNumber": "registration number",
    "imoNumber": "IMO number",
    "mmsi": "MMSI",
    "callSign": "call sign",
    "incorporationDate": "incorporation date",
    "address": "address",
    "country": "country",
    "notes": "notes",
    "sourceUrl": "source URL",
    "website": "website",
    "email": "email",
}

# How a version's date is known (`versions.date_origin`).
_ORIGINS = {
    "file": "stated in the file",
    "filename": "from the file name",
    "option": "given at import",
    "imported": "date of import",
}

_NAME_KINDS = {"name": "name", "alias": "alias", "weakAlias": "weak alias", "previousName": "previous name"}


def jurisdiction_label(code: str) -> str:
    return _JURISDICTIONS.get(code, (code.upper(), code.upper()))[0]


def _in_sentence(code: str) -> str:
    return _JURISDICTIONS.get(code, (code.upper(), code.upper()))[1]


def _day(version_date: str | None) -> str:
    # SDN versions are dated to the second; a sentence cites the day, the appendix the
    # full stamp, so a reader finds one from the other.
    return (version_date or "")[:10]


# ---------------------------------------------------------------------------- the data


@dataclass(frozen=True, slots=True)
class Seen:
    """Where a name or fact comes from: a record, and the first and last list version
    that state it."""

    record: str
    first: str
    last: str
    allegation: bool  # stated by a dataset of allegations, not by a list


@dataclass(slots=True)
class NameLine:
    name: str
    kind: str
    seen: list[Seen]


@dataclass(slots=True)
class FactLine:
    label: str
    value: str
    seen: list[Seen]


@dataclass(slots=True)
class StatusLine:
    jurisdiction: str
    label: str
    status: str
    statement: str  # one sober sentence, with its dates and what they are as of
    records: list[str]
    programmes: list[str]


@dataclass(slots=True)
class DesignationLine:
    jurisdiction: str
    label: str
    record: str
    list_title: str
    authorities: list[str]
    programmes: list[str]
    kinds: list[str]  # "theme; measure" of its programmes, as the taxonomy reads them
    since: str  # the date and how it is known
    standing: str  # on the list as of which version, or absent from which
    legal_basis: list[str]
    reasons: list[str]


@dataclass(slots=True)
class AllegationLine:
    dataset: str
    dataset_title: str
    record: str
    statement: str  # "documented by … as …, not a sanction"
    categories: list[str]
    reasons: list[str]
    urls: list[str]
    as_of: str  # the dataset version the entry is read from


@dataclass(slots=True)
class EntitySection:
    id: str
    caption: str
    schema: str
    resolved: bool
    members: list[str]
    gap_statement: str
    statuses: list[StatusLine]
    names: dict[str, list[NameLine]]  # script -> names
    facts: list[FactLine]
    designations: list[DesignationLine]
    allegations: list[AllegationLine]


@dataclass(frozen=True, slots=True)
class VersionLine:
    source: str
    title: str
    authority: str
    version_date: str
    date_origin: str  # how the version's date is known
    complete: bool
    file_name: str
    sha256: str
    imported_at: str
    record_count: int


@dataclass(frozen=True, slots=True)
class SourceLine:
    source: str
    title: str
    authority: str
    kind: str
    licence: str
    url: str
    loaded: str  # how many versions are loaded, first and last


@dataclass(slots=True)
class GapLine:
    entity: str
    caption: str
    schema: str
    documented_as: str
    cells: list[str]  # the status statement in each jurisdiction of the question


@dataclass(slots=True)
class GapSummary:
    title: str
    jurisdictions: list[str]  # labels, in the order of `GapLine.cells`
    question: str
    gaps: list[GapLine]
    undecided: list[GapLine]
    delisted: list[GapLine]
    documented: bool  # the question names a dataset of allegations


@dataclass(slots=True)
class Dossier:
    title: str
    generated_at: str
    reckon_version: str
    store: str
    entities: list[EntitySection]
    versions: list[VersionLine]
    sources: list[SourceLine]
    gap: GapSummary | None = None
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------- building


def entity_dossier(
    con: duckdb.DuckDBPyConnection,
    entity: str,
    *,
    max_age_days: int | None = None,
    today: date | None = None,
    store: str = "",
) -> Dossier | None:
    """The dossier of one entity (`rk-…` or `source:id`), or None if there is no such entity."""
    st = entity_status(con, entity, max_age_days=max_age_days, today=today)
    if st is None:
        return None
    used: set[tuple[str, str]] = set()
    states = list_states(con)
    section = _section(st, _names_and_facts(con, [st])[st.entity], states, used)
    return Dossier(
        title=section.caption or section.id,
        generated_at=_now(),
        reckon_version=_version(),
        store=store,
        entities=[section],
        versions=_versions(con, used),
        sources=_sources(con, used),
        notes=_notes(st.resolved),
    )


def gaps_dossier(
    con: duckdb.DuckDBPyConnection,
    query: GapQuery,
    *,
    max_age_days: int | None = None,
    today: date | None = None,
    store: str = "",
) -> Dossier:
    """The dossier of a gap: a summary table of `gaps.gaps(query)` and one section per
    entity in the gap. Entities possibly listed, of unknown status or delisted where they
    should be missing are listed apart in the summary, without a section: they are not in
    the gap. Raises `gaps.GapError` for a question that cannot be asked."""
    from reckon.analysis.gaps import gaps

    report = gaps(con, query, max_age_days=max_age_days, today=today)
    states = list_states(con)
    used: set[tuple[str, str]] = set()
    wanted = [*query.listed_in, *(j for j in query.not_listed_in if j not in query.listed_in)]
    for j in wanted:
        for s in states.values():
            if s.jurisdiction == j:
                used.add((s.source, s.complete_as_of or s.latest_version))
    # A section shows every jurisdiction, not only the question's: the reader of one
    # person's page asks where else they are listed. Past a few hundred entities one pass
    # over all of them is cheaper than a status query per entity.
    if len(report.gaps) > _ONE_PASS_FROM:
        every = {s.entity: s for s in all_statuses(con, max_age_days=max_age_days, today=today)}
        full = [every.get(st.entity, st) for st in report.gaps]
    else:
        full = [
            entity_status(con, st.entity, max_age_days=max_age_days, today=today) or st for st in report.gaps
        ]
    read = _names_and_facts(con, full)
    sections = [_section(st, read[st.entity], states, used) for st in full]

    def line(st: EntityStatus) -> GapLine:
        documented = ""
        if query.candidates:
            documented = "; ".join(
                sorted({p for a in st.allegations if a.source == query.candidates for p in a.programs})
            )
        return GapLine(
            st.entity,
            st.caption,
            st.schema,
            documented,
            [_brief(st.jurisdictions[j]) for j in wanted],
        )

    summary = GapSummary(
        title=_gap_title(query),
        jurisdictions=[jurisdiction_label(j) for j in wanted],
        question=_gap_question(query),
        gaps=[line(s) for s in report.gaps],
        undecided=[line(s) for s in report.undecided],
        delisted=[line(s) for s in report.delisted],
        documented=query.candidates is not None,
    )
    return Dossier(
        title=summary.title,
        generated_at=_now(),
        reckon_version=_version(),
        store=store,
        entities=sections,
        versions=_versions(con, used),
        sources=_sources(con, used),
        gap=summary,
        notes=_notes(all(s.resolved for s in report.gaps)),
    )


# Gap dossiers with more entities than this read every status in one pass (see above): one
# entity's status costs ~12 ms on the demo store, every entity's ~3 s (docs/benchmarks.md).
_ONE_PASS_FROM = 250


def _section(
    st: EntityStatus,
    prof: _NamesAndFacts,
    states: dict[str, ListState],
    used: set[tuple[str, str]],
) -> EntitySection:
    registry = sources()
    statuses: list[StatusLine] = []
    designations: list[DesignationLine] = []
    for code, js in sorted(st.jurisdictions.items(), key=lambda kv: jurisdiction_label(kv[0])):
        for s in js.lists:
            used.add((s.source, s.complete_as_of or s.latest_version))
        for x in js.listings:
            used.update(_listing_versions(x, states))
        for p in js.possible:
            source = p.record.split(":", 1)[0]
            if source in states:
                used.add((source, states[source].latest_version))
        statuses.append(
            StatusLine(
                jurisdiction=code,
                label=jurisdiction_label(code),
                status=js.status,
                statement=_statement(js, states),
                records=[x.record for x in js.listings] + [p.record for p in js.possible],
                programmes=sorted({p for x in js.listings for p in x.programs}),
            )
        )
        designations.extend(_designation(code, x, registry.get(x.source)) for x in js.listings)
    allegations = []
    for x in st.allegations:
        used.update(_listing_versions(x, states))
        allegations.append(_allegation(x, registry.get(x.source), prof))
    names = {
        script: [
            NameLine(v.value, _NAME_KINDS.get(v.kind, v.kind), _seen(v.provenance, registry, used))
            for v in values
        ]
        for script, values in prof.names.items()
    }
    facts = [
        FactLine(_FACT_LABELS.get(prop, prop), v.value, _seen(v.provenance, registry, used))
        for prop, values in prof.facts.items()
        for v in values
    ]
    return EntitySection(
        id=st.entity,
        caption=st.caption,
        schema=st.schema,
        resolved=st.resolved,
        members=st.members,
        gap_statement=gap_statement(st, states),
        statuses=statuses,
        names=names,
        facts=facts,
        designations=designations,
        allegations=allegations,
    )


@dataclass(slots=True)
class _NamesAndFacts:
    names: dict[str, list[Value]]  # script -> names
    facts: dict[str, list[Value]]  # property -> values


def _names_and_facts(
    con: duckdb.DuckDBPyConnection, statuses: list[EntityStatus]
) -> dict[str, _NamesAndFacts]:
    """Each entity's names by script and other facts, merged over its members as
    `resolve.profile` merges them for `reckon show` (its own helpers do the merging), but
    read for every entity at once from the current statements: `profile` reads each
    member's whole history, ~20 ms a record, and a gap dossier has hundreds."""
    from reckon.model import NAME_KINDS
    from reckon.resolve.profile import _SKIP, Provenance, _add, _script

    dates = {
        int(v): str(d) for v, d in con.execute("SELECT version_id, version_date FROM versions").fetchall()
    }
    latest = {
        str(src): str(d)
        for src, d in con.execute("SELECT source, max(version_date) FROM versions GROUP BY source").fetchall()
    }
    keys = {m for st in statuses for m in st.members}
    pairs = [k.split(":", 1) for k in sorted(keys)]
    rows = con.execute(
        "SELECT source, record_id, prop, value, detail, first_version FROM statements "
        "WHERE until_version IS NULL AND entity_id = source || ':' || record_id "
        "AND source IN (SELECT unnest(?::VARCHAR[])) AND record_id IN (SELECT unnest(?::VARCHAR[])) "
        "ORDER BY source, record_id, first_version, prop, value",
        [sorted({p[0] for p in pairs}), sorted({p[1] for p in pairs})],
    ).fetchall()
    by_record: dict[str, list[tuple[str, str, str, str, str | None, int]]] = {}
    for source, rid, prop, value, detail, first in rows:
        key = f"{source}:{rid}"
        if key in keys:
            by_record.setdefault(key, []).append(
                (str(source), str(rid), str(prop), str(value), detail, int(first))
            )
    out = {}
    for st in statuses:
        names: dict[str, list[Value]] = {}
        facts: dict[str, list[Value]] = {}
        for key in sorted(st.members):
            for source, rid, prop, value, detail, first in by_record.get(key, []):
                prov = Provenance(source, rid, dates[first], latest[source])
                if prop in NAME_KINDS:
                    _add(names.setdefault(_script(value, detail), []), value, prop, prov)
                elif prop not in _SKIP:
                    _add(facts.setdefault(prop, []), value, prop, prov)
        out[st.entity] = _NamesAndFacts(dict(sorted(names.items())), dict(sorted(facts.items())))
    return out


def _seen(provs: Iterable[Provenance], registry: dict[str, Source], used: set[tuple[str, str]]) -> list[Seen]:
    out = []
    for p in provs:
        used.add((p.source, p.first_seen))
        used.add((p.source, p.last_seen))
        alleged = p.source in registry and registry[p.source].kind == "allegations"
        out.append(Seen(f"{p.source}:{p.record_id}", _day(p.first_seen), _day(p.last_seen), alleged))
    return out


def _listing_versions(x: Listing, states: dict[str, ListState]) -> set[tuple[str, str]]:
    """The list versions a listing's dates are read from."""
    out = {(x.source, x.version)}
    if x.since and x.since_basis == SINCE_HISTORY:
        out.add((x.source, x.since))
    if x.since_basis == SINCE_ON_OR_BEFORE and x.source in states:
        out.add((x.source, states[x.source].first_version))
    if x.removed_on:
        out.add((x.source, x.removed_on))
    return out


def _since(x: Listing) -> str:
    if x.since_basis == SINCE_LIST:
        return f"since {x.since} (the list's own date)"
    if x.since_basis == SINCE_HISTORY:
        return f"since {_day(x.since)} (the first loaded version of the list with the record)"
    return f"on or before {_day(x.since)} (the first version loaded; no earlier history)"


def _primary(registry: dict[str, Source], source: str) -> bool:
    return source in registry and registry[source].primary


def _short_since(x: Listing) -> str:
    if x.since_basis == SINCE_ON_OR_BEFORE:
        return f"on or before {_day(x.since)}"
    return f"since {_day(x.since)}"


def _statement(js: JurisdictionStatus, states: dict[str, ListState]) -> str:
    """One sentence on the status of an entity in one jurisdiction, with its dates."""
    current = [x for x in js.listings if x.on_list]
    if js.status == LISTED and current:
        registry = sources()
        # The earliest date; on a tie, the jurisdiction's main list (OFSI before FCDO).
        current.sort(key=lambda x: (x.since or "", not _primary(registry, x.source), x.record))
        on = ", ".join(f"{x.record} in the list of {_day(x.version)}" for x in current)
        return f"listed {_since(current[0])}; on the list: {on}"
    if js.status == DELISTED and js.listings:
        last = max(js.listings, key=lambda x: x.removed_on or "")
        return (
            f"delisted: absent from the version of {_day(last.removed_on)} ({last.record}), "
            f"after being listed {_short_since(last)}"
        )
    if js.status == POSSIBLY_LISTED and js.possible:
        best = js.possible[0]
        source = best.record.split(":", 1)[0]
        on = f" (on the list as of {_day(states[source].latest_version)})" if source in states else ""
        return (
            f"possibly listed: {best.record}{on} pairs with {best.member} at a score of {best.score:.2f}, "
            "not yet decided by a reviewer; counted neither as listed nor as not listed"
        )
    if js.status == NOT_LISTED:
        registry = sources()
        lists = [
            s
            for s in js.lists
            if s.source in registry and registry[s.source].primary and s.complete_as_of == js.as_of
        ]
        named = f" ({', '.join(s.source for s in lists)}, loaded whole)" if lists else ""
        return f"not listed as of {_day(js.as_of)}{named}"
    # Unknown: status.py's summary carries the reason (no list, a sample, too old).
    return js.summary if js.summary.startswith(UNKNOWN) else f"{UNKNOWN}: {js.summary}"


def _brief(js: JurisdictionStatus) -> str:
    """The status in a few words for the summary table; the entity's section has the evidence."""
    current = [x for x in js.listings if x.on_list]
    if js.status == LISTED and current:
        return f"listed {_short_since(min(current, key=lambda x: x.since or ''))}"
    if js.status == DELISTED and js.listings:
        return f"delisted: absent from the version of {_day(max(x.removed_on or '' for x in js.listings))}"
    if js.status == POSSIBLY_LISTED and js.possible:
        return f"possibly listed ({js.possible[0].record}, score {js.possible[0].score:.2f}, undecided)"
    if js.status == NOT_LISTED:
        return f"not listed as of {_day(js.as_of)}"
    return js.summary


def gap_statement(st: EntityStatus, states: dict[str, ListState]) -> str:
    """Where the entity is listed and where it is not, with dates, in one paragraph:
    "Listed by the UK (since 2022-03-10) and Australia (…); not listed by the US as of
    2024-05-03; the EU: unknown (…)." Only a listing somewhere and a "not listed"
    elsewhere make a gap; otherwise the paragraph says why there is none."""
    by = {s: [j for j, js in st.jurisdictions.items() if js.status == s] for s in (LISTED, NOT_LISTED)}
    order = sorted(st.jurisdictions, key=jurisdiction_label)
    listed = [
        f"{_in_sentence(j)} ({_short_since(min(cur, key=lambda x: x.since or ''))})"
        for j in order
        if st.jurisdictions[j].status == LISTED
        and (cur := [x for x in st.jurisdictions[j].listings if x.on_list])
    ]
    missing = [
        f"{_in_sentence(j)} as of {_day(st.jurisdictions[j].as_of)}" for j in order if j in by[NOT_LISTED]
    ]
    others = []
    for j in order:
        js = st.jurisdictions[j]
        if js.status == DELISTED:
            others.append(f"{_in_sentence(j)} {_statement(js, states).split(', after', 1)[0]}")
        elif js.status == POSSIBLY_LISTED and js.possible:
            p = js.possible[0]
            others.append(f"{_in_sentence(j)} possibly listed ({p.record}, score {p.score:.2f}, undecided)")
        elif js.status == UNKNOWN:
            others.append(f"{_in_sentence(j)} {_statement(js, states)}")
    if listed and missing:
        text = f"Listed by {_join(listed)}; not listed by {_join(missing, 'or')}"
    elif listed:
        text = f"No gap to state: listed by {_join(listed)}, and no jurisdiction is known not to list it"
    elif missing and st.allegations:
        # The campaigners' gap: documented as responsible, sanctioned by none of these.
        registry = sources()
        datasets = sorted(
            {registry[x.source].title if x.source in registry else x.source for x in st.allegations}
        )
        text = f"Documented by {_join(datasets)} (not a sanction); not listed by {_join(missing, 'or')}"
    else:
        text = "No gap to state: no jurisdiction whose list is loaded lists it"
        if missing:
            text += f"; not listed by {_join(missing, 'or')}"
    return text + (f"; {'; '.join(others)}." if others else ".")


def _join(items: list[str], word: str = "and") -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def _designation(code: str, x: Listing, source: Source | None) -> DesignationLine:
    from reckon.analysis.taxonomy import measures, themes

    theme_names, measure_names = themes(), measures()
    standing = (
        f"on the list as of {_day(x.version)}"
        if x.on_list
        else f"removed: absent from the version of {_day(x.removed_on)} (last in {_day(x.version)})"
    )
    return DesignationLine(
        jurisdiction=code,
        label=jurisdiction_label(code),
        record=x.record,
        list_title=source.title if source else x.source,
        authorities=list(x.authorities),
        programmes=list(x.programs),
        kinds=[f"{theme_names.get(t, t)}; {measure_names.get(m, m)}" for t, m in x.kinds],
        since=_since(x),
        standing=standing,
        legal_basis=list(x.legal_basis),
        reasons=list(x.reasons),
    )


def _allegation(x: Listing, source: Source | None, prof: _NamesAndFacts) -> AllegationLine:
    title = source.title if source else x.source
    record_id = x.record.split(":", 1)[1]
    urls = [
        v.value
        for v in prof.facts.get("sourceUrl", [])
        if any(p.source == x.source and p.record_id == record_id for p in v.provenance)
    ] or _dataset_url(x.source, source)
    categories = list(x.programs)
    as_ = f" as {'; '.join(categories)}" if categories else ""
    return AllegationLine(
        dataset=x.source,
        dataset_title=title,
        record=x.record,
        statement=f"documented by {title}{as_} (its version of {_day(x.version)}); not a sanction",
        categories=categories,
        reasons=list(x.reasons),
        urls=urls,
        as_of=_day(x.version),
    )


def _dataset_url(name: str, source: Source | None) -> list[str]:
    """The dataset's own address where its entry names none: the shipped mapping's (the
    publisher's page), else the registry's download address."""
    from reckon.sources.tabular import shipped_mapping

    try:
        url = shipped_mapping(name).url
    except KeyError:
        url = None
    if url:
        return [url]
    return list(source.urls[:1]) if source else []


def _versions(con: duckdb.DuckDBPyConnection, used: set[tuple[str, str]]) -> list[VersionLine]:
    registry = sources()
    rows = con.execute(
        "SELECT source, version_date, date_origin, complete, file_name, sha256, "
        "strftime(imported_at, '%Y-%m-%dT%H:%M:%SZ'), record_count FROM versions ORDER BY source, version_date"
    ).fetchall()
    out = []
    for source, vdate, origin, complete, file_name, sha, imported, count in rows:
        if (str(source), str(vdate)) not in used:
            continue
        reg = registry.get(str(source))
        out.append(
            VersionLine(
                source=str(source),
                title=reg.title if reg else str(source),
                authority=reg.authority if reg else "",
                version_date=str(vdate),
                date_origin=_ORIGINS.get(str(origin), str(origin)),
                complete=bool(complete),
                file_name=str(file_name),
                sha256=str(sha),
                imported_at=str(imported),
                record_count=int(count),
            )
        )
    return out


def _sources(con: duckdb.DuckDBPyConnection, used: set[tuple[str, str]]) -> list[SourceLine]:
    registry = sources()
    loaded = {
        str(s): (int(n), str(first), str(last))
        for s, n, first, last in con.execute(
            "SELECT source, count(*), min(version_date), max(version_date) FROM versions GROUP BY source"
        ).fetchall()
    }
    out = []
    for name in sorted({s for s, _ in used}):
        reg = registry.get(name)
        n, first, last = loaded.get(name, (0, "", ""))
        span = f"{n} version{'s' if n != 1 else ''} loaded" + (
            f", {_day(first)} to {_day(last)}" if n > 1 else f", of {_day(first)}" if n else ""
        )
        out.append(
            SourceLine(
                source=name,
                title=reg.title if reg else name,
                authority=reg.authority if reg else "",
                kind="allegations (not sanctions)" if reg and reg.kind == "allegations" else "list",
                licence=reg.licence if reg else "",
                url=_source_url(name, reg),
                loaded=span,
            )
        )
    return out


def _source_url(name: str, reg: Source | None) -> str:
    if reg is None:
        return ""
    urls = _dataset_url(name, reg) if reg.kind == "allegations" else list(reg.urls[:1])
    return urls[0] if urls else ""


def _notes(resolved: bool) -> list[str]:
    notes = [
        "Each status holds as of the list version it names. Listed: a record of the entity is on a "
        "list of that jurisdiction. Not listed: the jurisdiction's list of targeted sanctions is "
        "loaded whole and none of its records belongs to the entity. Possibly listed: an undecided "
        "link to a record of that list. Unknown: the list is not loaded, only a sample is loaded, "
        "or it is older than the freshness limit asked for; unknown never means not sanctioned.",
        "A listing date is the list's own date where the list states one; otherwise the first "
        "loaded version that holds the record; otherwise only 'on or before' the first version loaded.",
        "Entries of datasets that document or allege responsibility (civil-society and government "
        "accusations) are shown apart: they are not sanctions.",
        "Every list version cited is named in the appendix with its file name and SHA-256.",
    ]
    if not resolved:
        notes.append(
            "This store is not resolved for this entity: the dossier is of one record; records of the "
            "same person on other lists are not joined to it (run `reckon resolve`)."
        )
    return notes


def _gap_title(q: GapQuery) -> str:
    parts = []
    if q.candidates:
        parts.append(f"Documented by {q.candidates}" + (f" as {q.category}" if q.category else ""))
    if q.listed_in:
        parts.append(f"listed by {_join([_in_sentence(j) for j in q.listed_in])}")
    parts.append(f"not listed by {_join([_in_sentence(j) for j in q.not_listed_in], 'or')}")
    title = ", ".join(parts)
    return title[0].upper() + title[1:]


def _gap_question(q: GapQuery) -> str:
    from reckon.analysis.taxonomy import measures, themes

    bits = []
    if q.theme:
        bits.append(f"theme: {themes().get(q.theme, q.theme)}")
    if q.measure:
        bits.append(f"measure: {measures().get(q.measure, q.measure)}")
    if q.schema:
        bits.append(f"kind of entity: {q.schema}")
    return "; ".join(bits)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _version() -> str:
    from reckon import __version__

    return __version__


# ---------------------------------------------------------------------------- rendering


@lru_cache(maxsize=1)
def template_environment() -> Any:
    """The templates of the documents reckon writes (src/reckon/data/templates): the
    dossier, the annotated text."""
    import jinja2

    # Names, reasons and URLs on lists are untrusted input: every value is escaped.
    return jinja2.Environment(
        loader=jinja2.PackageLoader("reckon.data", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(dossier: Dossier) -> str:
    """The dossier as one HTML document (styles embedded, print-ready on A4)."""
    text: str = template_environment().get_template("dossier.html.j2").render(d=dossier)
    return text


def render_pdf(html: str) -> bytes:
    """A PDF of the HTML, laid out by WeasyPrint (fonts from the system's fontconfig)."""
    import weasyprint

    pdf: bytes | None = weasyprint.HTML(string=html).write_pdf()
    assert pdf is not None  # no target given: the PDF comes back as bytes
    return pdf
