"""Companies and their stance on Russia against the lists: `reckon companies` (issue 22).

A dataset of `kind = "companies"` (Yale CELI, see `data/mappings/yale_celi.toml`) gives
each company its stance (grade A–F, action) and the INN of its Russian entity. For each
company the report says, per jurisdiction with a list, the strongest of:

- listed: the company's own canonical entity is listed there (its record was resolved
  into a listed entity, by a shared identifier or by a person's judgement);
- Russian entity listed: a record on a list of the jurisdiction carries the INN the
  dataset gives for the company's Russian entity (evidence: that record and its list
  version). The INN names the Russian entity, not the parent: the two are never merged
  by it (the dataset stores it as `russianEntityInn`, not `innCode`). An INN that fails
  its check digits, or that the dataset gives to different companies (ING Bank, Bank of
  Cyprus and UL all get Sberbank's), is doubtful, reported, and not looked up;
- path: a listed entity within two hops of the company's entity or of its Russian
  entity in the control graph (`reckon.control.exposure`), each edge with its record;
- possibly listed: a pending review pair links the company to a listed record;
- otherwise its own status: "not listed as of <version>" only where the jurisdiction's
  list of targeted sanctions is loaded complete, "unknown" elsewhere.

Datasets of allegations (Ukraine's portal) are never a listing: a record there carrying
the INN is shown apart, as "documented by".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import duckdb

from reckon.analysis.status import (
    LISTED,
    NOT_LISTED,
    POSSIBLY_LISTED,
    EntityStatus,
    JurisdictionStatus,
    all_statuses,
    entity_status,
)
from reckon.control import ControlGraph, ExposurePath, exposure, load_graph
from reckon.match.identifiers import check_fails
from reckon.names.translit import latinize
from reckon.resolve.views import canonical_of
from reckon.sources.registry import sources
from reckon.sources.tabular import normalise_key

COMPANIES = "companies"
GRADES = ("A", "B", "C", "D", "F")
HOPS = 2

# The verdicts of one company in one jurisdiction, strongest first.
OWN_LISTED = "listed"
RUSSIAN_LISTED = "Russian entity listed"
PATH = "path to a listed entity"
VERDICTS = (OWN_LISTED, RUSSIAN_LISTED, PATH, POSSIBLY_LISTED)


class CompaniesError(ValueError):
    """A question the store cannot answer (unknown dataset, bad grade): a one-line message."""


@dataclass(frozen=True, slots=True)
class RussianEntity:
    """The entity of the records (of lists or datasets) carrying the INN the company's row gives."""

    inn: str
    record: str  # the first record carrying it, source:record_id
    records: tuple[str, ...]  # every record of the entity carrying it
    caption: str  # the first record's first name
    entity: str  # their canonical entity (the record key where unresolved)
    version: str  # date of the list version the first record is read from
    listed_in: tuple[str, ...]  # jurisdictions listing that entity now
    # The listing records of that entity, per jurisdiction: "record (list of DATE)".
    evidence: tuple[tuple[str, str], ...]
    # Records of datasets of allegations among `records`: documented, never a listing.
    documented_by: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CompanyJurisdiction:
    jurisdiction: str
    verdict: str  # one of VERDICTS, or the own status ("not listed", "unknown", ...)
    as_of: str | None
    evidence: tuple[str, ...]  # one line each: the record, its list version, the relation


@dataclass(slots=True)
class CompanyLine:
    record: str  # the dataset's record, source:record_id
    name: str
    grade: str | None
    actions: tuple[str, ...]
    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    inn: str | None
    inn_note: str | None  # why the INN is doubtful (check digits, shared by companies)
    entity: str  # the company's canonical entity
    russian: list[RussianEntity]
    paths: list[ExposurePath]
    jurisdictions: list[CompanyJurisdiction]
    allegations: tuple[str, ...]  # records of allegation datasets about it or its Russian entity

    @property
    def listed_in(self) -> tuple[str, ...]:
        return tuple(j.jurisdiction for j in self.jurisdictions if j.verdict in (OWN_LISTED, RUSSIAN_LISTED))

    @property
    def exposed_in(self) -> tuple[str, ...]:
        return tuple(
            j.jurisdiction for j in self.jurisdictions if j.verdict in (OWN_LISTED, RUSSIAN_LISTED, PATH)
        )


@dataclass(slots=True)
class CompaniesReport:
    dataset: str
    version_id: int
    version_date: str
    companies: list[CompanyLine]
    as_of: dict[str, str]  # jurisdiction -> the list version date its "not listed" rests on
    problems: list[str] = field(default_factory=list)  # the import's warnings, doubtful INNs


def company_datasets() -> list[str]:
    return sorted(n for n, s in sources().items() if s.kind == COMPANIES)


def parse_grades(text: str | None) -> tuple[str, ...]:
    """ "D,F" → ("D", "F"); an unknown grade is a CompaniesError."""
    if not text:
        return ()
    grades = tuple(dict.fromkeys(g.strip().upper() for g in text.split(",") if g.strip()))
    bad = [g for g in grades if g not in GRADES]
    if bad:
        raise CompaniesError(f"unknown grade {bad[0]!r} (grades: {', '.join(GRADES)})")
    return grades


def parse_jurisdictions(text: str | None) -> tuple[str, ...]:
    """ "us,gb" → ("us", "gb"); a jurisdiction with no list in the registry is a CompaniesError."""
    if not text:
        return ()
    known = sorted({s.jurisdiction for s in sources().values() if s.kind == "list"})
    wanted = tuple(dict.fromkeys(j.strip().lower() for j in text.split(",") if j.strip()))
    bad = [j for j in wanted if j not in known]
    if bad:
        raise CompaniesError(f"no list of jurisdiction {bad[0]!r} (known: {', '.join(known)})")
    return wanted


def companies_report(
    con: duckdb.DuckDBPyConnection,
    *,
    dataset: str = "yale_celi",
    grades: Sequence[str] = (),
    exposed_in: Sequence[str] = (),
    graph: ControlGraph | None = None,
    max_age_days: int | None = None,
) -> CompaniesReport:
    """Each company of `dataset` (of those `grades`; of those listed or with a path in one
    of `exposed_in`) with its status per jurisdiction and the evidence. `graph` is the
    control graph, loaded here when not given (a caller asking often loads it once)."""
    registry = sources()
    if dataset not in registry or registry[dataset].kind != COMPANIES:
        raise CompaniesError(
            f"{dataset!r} is not a dataset of companies (known: {', '.join(company_datasets()) or 'none'})"
        )
    version = con.execute(
        "SELECT version_id, version_date, warnings FROM versions WHERE source = ? "
        "ORDER BY version_date DESC, version_id DESC LIMIT 1",
        [dataset],
    ).fetchone()
    if version is None:
        raise CompaniesError(
            f"{dataset} is not imported: reckon candidates import FILE --mapping "
            f"src/reckon/data/mappings/{dataset}.toml"
        )
    version_id, version_date, warnings = int(version[0]), str(version[1])[:10], list(version[2] or [])
    graph = graph if graph is not None else load_graph(con)
    facts = _facts(con, dataset)
    statuses = {
        m: st for st in all_statuses(con, having=[[dataset]], max_age_days=max_age_days) for m in st.members
    }
    inn_users: dict[str, list[str]] = {}
    for f in facts.values():
        for number in f.get("russianEntityInn", ()):
            inn_users.setdefault(number, []).append((f.get("name") or [""])[0])
    carriers = _carriers(con, sorted(inn_users), dataset, max_age_days)
    dates = {
        int(v): str(d)[:10]
        for v, d in con.execute("SELECT version_id, version_date FROM versions").fetchall()
    }

    lines = []
    doubtful = 0
    for key, f in sorted(facts.items(), key=lambda kv: (kv[1].get("name", [""])[0].casefold(), kv[0])):
        grade = _first(f, "celiGrade")
        if grades and grade not in grades:
            continue
        st = statuses.get(key)
        inn = _first(f, "russianEntityInn")
        note: str | None = None
        if inn is not None and check_fails("innCode", inn, "Company"):
            padded = "0" + inn
            lost = len(inn) == 9 and not check_fails("innCode", padded, "Company")
            note = "fails the INN check digits: not looked up" + (
                f" ({padded} passes: a leading zero lost in a spreadsheet?)" if lost else ""
            )
        elif inn is not None and not _one_company(inn_users[inn]):
            users = inn_users[inn]
            note = (
                f"given to {len(users)} different companies of the dataset ({', '.join(users[:4])}): "
                "the Russian entity of at most one of them; not looked up"
            )
        if note:
            doubtful += 1
        russian = carriers.get(inn, []) if inn is not None and not note else []
        line = _line(key, f, grade, inn, note, st, russian, graph, dates)
        if exposed_in and not set(exposed_in) & set(line.exposed_in):
            continue
        lines.append(line)
    as_of: dict[str, str] = {}
    for st in statuses.values():
        for j, js in st.jurisdictions.items():
            if js.status == NOT_LISTED and js.as_of and j not in as_of:
                as_of[j] = js.as_of[:10]
    if doubtful:
        warnings.append(f"{doubtful} companies' INNs are doubtful (see each company's inn_note)")
    return CompaniesReport(dataset, version_id, version_date, lines, as_of, warnings)


def select(
    report: CompaniesReport, grades: Sequence[str] = (), exposed_in: Sequence[str] = ()
) -> CompaniesReport:
    """The companies of a whole report of these grades and listed, or with a path, in one of
    `exposed_in`: what `companies_report` answers asked with the same filters."""
    kept = [
        c
        for c in report.companies
        if (not grades or c.grade in grades) and (not exposed_in or set(exposed_in) & set(c.exposed_in))
    ]
    return replace(report, companies=kept)


def _one_company(names: list[str]) -> bool:
    """Whether the rows giving one INN name one company (Daimler Truck, Daimler Truck AG;
    E.ON and Е.ON, FIFA and ФИФА): their names begin with the same word, in Latin letters.
    ING Bank, Bank of Cyprus and UL do not."""
    firsts = {(normalise_key(latinize(n)).split() or [""])[0] for n in names}
    return len(firsts) == 1


def _first(facts: dict[str, list[str]], prop: str) -> str | None:
    values = facts.get(prop)
    return values[0] if values else None


def _facts(con: duckdb.DuckDBPyConnection, dataset: str) -> dict[str, dict[str, list[str]]]:
    """Each current record of the dataset: property → values, in the order stored."""
    rows = con.execute(
        "SELECT record_id, prop, value FROM statements WHERE source = ? AND until_version IS NULL "
        "AND schema <> 'Sanction' ORDER BY record_id, prop, id",
        [dataset],
    ).fetchall()
    out: dict[str, dict[str, list[str]]] = {}
    for rid, prop, value in rows:
        values = out.setdefault(f"{dataset}:{rid}", {}).setdefault(str(prop), [])
        if value not in values:
            values.append(str(value))
    return out


def _carriers(
    con: duckdb.DuckDBPyConnection, inns: list[str], dataset: str, max_age_days: int | None
) -> dict[str, list[RussianEntity]]:
    """The current records of other sources carrying each INN, with their entity's listings."""
    if not inns:
        return {}
    registry = sources()
    rows = con.execute(
        """
        SELECT s.value, s.source, s.record_id, v.version_date,
               (SELECT n.value FROM statements n WHERE n.source = s.source AND n.record_id = s.record_id
                AND n.prop = 'name' AND n.until_version IS NULL ORDER BY n.id LIMIT 1)
        FROM statements s JOIN versions v ON v.version_id = (
            SELECT max(version_id) FROM versions WHERE source = s.source)
        WHERE s.prop = 'innCode' AND s.until_version IS NULL AND s.source <> ?
          AND list_contains(?, s.value)
        ORDER BY s.value, s.source, s.record_id
        """,
        [dataset, inns],
    ).fetchall()
    found: dict[tuple[str, str], list[tuple[str, str, str, bool]]] = {}
    for inn, source, rid, vdate, name in rows:
        entry = registry.get(str(source))
        if entry is None or entry.kind == COMPANIES:
            continue
        key = f"{source}:{rid}"
        entity = canonical_of(con, key) or key
        found.setdefault((str(inn), entity), []).append(
            (key, str(name or rid), str(vdate)[:10], entry.kind == "allegations")
        )
    out: dict[str, list[RussianEntity]] = {}
    for (inn, entity), records in found.items():
        st = entity_status(con, entity, max_age_days=max_age_days)
        lines = st.jurisdictions if st is not None else {}
        listed = tuple(sorted(j for j, s in lines.items() if s.status == LISTED))
        evidence = tuple(
            (j, f"{x.record} (list of {x.version[:10]})")
            for j in listed
            for x in lines[j].listings
            if x.on_list
        )
        # The first record of a list, where there is one, names the entity.
        records.sort(key=lambda r: (r[3], r[0]))
        first = records[0]
        out.setdefault(inn, []).append(
            RussianEntity(
                inn=inn,
                record=first[0],
                records=tuple(r[0] for r in records),
                caption=first[1],
                entity=entity,
                version=first[2],
                listed_in=listed,
                evidence=evidence,
                documented_by=tuple(r[0] for r in records if r[3]),
            )
        )
    return out


def _line(
    key: str,
    f: dict[str, list[str]],
    grade: str | None,
    inn: str | None,
    note: str | None,
    st: EntityStatus | None,
    russian: list[RussianEntity],
    graph: ControlGraph,
    dates: dict[int, str],
) -> CompanyLine:
    entity = st.entity if st is not None else key
    # Paths from the company and from each Russian entity. Most companies are an end of no
    # edge: asking exposure() of each would cost a fifth of the report for nothing.
    paths: list[ExposurePath] = []
    for start in dict.fromkeys([entity, *(r.entity for r in russian)]):
        if graph.adjacent.get(graph.entity_of.get(start, start)):
            paths.extend(exposure(graph, start, hops=HOPS).paths)
    own = st.jurisdictions if st is not None else {}
    jurisdictions = [
        _verdict(j, own.get(j), russian, paths, graph, dates)
        for j in sorted(own or {s.jurisdiction for s in sources().values() if s.kind == "list"})
    ]
    allegations = tuple(
        dict.fromkeys(
            [
                *(x.record for x in (st.allegations if st else ())),
                *(x for r in russian for x in r.documented_by),
            ]
        )
    )
    return CompanyLine(
        record=key,
        name=(f.get("name") or [key])[0],
        grade=grade,
        actions=tuple(f.get("celiAction", ())),
        countries=tuple(f.get("country", ())),
        sectors=tuple(f.get("sector", ())),
        inn=inn,
        inn_note=note,
        entity=entity,
        russian=russian,
        paths=paths,
        jurisdictions=jurisdictions,
        allegations=allegations,
    )


def _verdict(
    j: str,
    own: JurisdictionStatus | None,
    russian: Iterable[RussianEntity],
    paths: list[ExposurePath],
    graph: ControlGraph,
    dates: dict[int, str],
) -> CompanyJurisdiction:
    as_of = own.as_of[:10] if own is not None and own.as_of else None
    if own is not None and own.status == LISTED:
        return CompanyJurisdiction(
            j,
            OWN_LISTED,
            as_of,
            tuple(f"{x.record} on the list of {x.version}" for x in own.listings if x.on_list),
        )
    hits = [r for r in russian if j in r.listed_in]
    if hits:
        return CompanyJurisdiction(
            j,
            RUSSIAN_LISTED,
            as_of,
            tuple(
                f"INN {r.inn} (the dataset's, for its Russian entity) is on {', '.join(r.records)} ({r.caption}); "
                f"that entity is listed: {', '.join(e for jj, e in r.evidence if jj == j)}"
                for r in hits
            ),
        )
    through = [p for p in paths if j in p.end_listed_in]
    if through:
        return CompanyJurisdiction(j, PATH, as_of, tuple(describe_path(p, graph, dates) for p in through))
    if own is None:
        return CompanyJurisdiction(j, "unknown", None, ())
    if own.status == POSSIBLY_LISTED:
        return CompanyJurisdiction(
            j,
            POSSIBLY_LISTED,
            as_of,
            tuple(f"pending pair with {p.record} ({p.score:.3f})" for p in own.possible),
        )
    return CompanyJurisdiction(j, own.status, as_of, (own.summary,))


def describe_path(path: ExposurePath, graph: ControlGraph, dates: dict[int, str]) -> str:
    """One line: each edge as the list states it, with its record and list version."""
    steps = [
        f"{e.text} [{e.source}:{e.record_id}, list of {dates.get(e.version_id, e.version_id)}]"
        for e in path.edges
    ]
    end = graph.captions.get(path.end, path.end)
    return " → ".join(steps) + f" ⇒ {end} (listed in {', '.join(path.end_listed_in)})"


def report_rows(report: CompaniesReport) -> list[dict[str, object]]:
    """The report as flat rows (CSV, JSON, the API): one per company."""
    rows: list[dict[str, object]] = []
    for c in report.companies:
        rows.append(
            {
                "record": c.record,
                "name": c.name,
                "grade": c.grade,
                "action": c.actions[0] if c.actions else None,
                "country": c.countries[0] if c.countries else None,
                "sector": c.sectors[0] if c.sectors else None,
                "inn": c.inn,
                "inn_note": c.inn_note,
                "entity": c.entity,
                "listed_in": list(c.listed_in),
                "exposed_in": list(c.exposed_in),
                "jurisdictions": {
                    j.jurisdiction: {"verdict": j.verdict, "as_of": j.as_of, "evidence": list(j.evidence)}
                    for j in c.jurisdictions
                },
                "russian_entities": [
                    {
                        "inn": r.inn,
                        "record": r.record,
                        "records": list(r.records),
                        "caption": r.caption,
                        "entity": r.entity,
                        "version": r.version,
                        "listed_in": list(r.listed_in),
                        "documented_by": list(r.documented_by),
                    }
                    for r in c.russian
                ],
                "allegations": list(c.allegations),
            }
        )
    return rows
