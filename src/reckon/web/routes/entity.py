"""GET /entity/{id}: one canonical entity's page: its names by script, its status in
each jurisdiction with the evidence (analysis.status), allegations apart, the dated
designations (analysis.timeline) and what its member records say (resolve.profile).
A member record `source:id` or a merged-away id redirects (308) to the canonical one.

GET /record/{source}:{id}: one record as its list states it (store.records.get_record,
as `reckon show` shows it): every fact with the versions it was seen in, and its history."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reckon.analysis.coverage import Filters, check_query
from reckon.analysis.dossier import jurisdiction_label
from reckon.analysis.status import entity_status
from reckon.analysis.timeline import entity_timeline_of
from reckon.api.kept import Recent
from reckon.api.provider import Loaded
from reckon.api.routers.deps import provider
from reckon.model import Link
from reckon.resolve.profile import profile
from reckon.resolve.rules import SAME_AS
from reckon.resolve.views import canonical_of
from reckon.sources.registry import sources
from reckon.store.queries import versions
from reckon.store.records import get_record
from reckon.store.statements import Statement, record_from_statements
from reckon.web.templating import render

router = APIRouter(include_in_schema=False)

EntityId = Annotated[str, Path(max_length=300)]
ENTITY_PAGES = 256  # the latest rendered entity pages kept per loaded store


def not_found(request: Request, what: str) -> HTMLResponse:
    return render(request, "not_found.html.j2", status_code=404, what=what)


def maybe_loaded(request: Request) -> Loaded | None:
    """The loaded store, or None while it loads (a page says so, rather than the API's JSON 503)."""
    return provider(request).loaded


def loading(request: Request) -> HTMLResponse:
    """503 while the store loads (or could not be loaded), as a page that tries again."""
    reply = render(request, "loading.html.j2", status_code=503, error=provider(request).error)
    reply.headers["Retry-After"] = "5"
    return reply


MaybeLoaded = Annotated[Loaded | None, Depends(maybe_loaded)]


# Every current relation child (FtM UnknownLink) of every record, in one read.
_LINKS = """
SELECT source, record_id, id, entity_id, schema, prop, value, lang, original_value, detail
FROM statements
WHERE schema = 'UnknownLink' AND until_version IS NULL AND prop <> 'subject'
ORDER BY source, record_id, entity_id
"""


def stated_links(store: Loaded) -> dict[str, list[Link]]:
    """The relations each current record states in words (OFAC's "Linked To", owners,
    relatives), by `source:id`, decoded as `get_record` decodes them; not the lists'
    cross-references between records of one entity (resolution reads those). One read
    of the store (~1 s on every bundled list) instead of a record read per member on each
    page (~50 ms each): the store is read-only while loaded, so it is kept (Loaded.memo)."""
    rows: dict[tuple[str, str], list[Statement]] = {}
    with store.cursor() as cur:
        for source, record_id, *statement in cur.execute(_LINKS).fetchall():
            rows.setdefault((str(source), str(record_id)), []).append(Statement(*statement))
    out: dict[str, list[Link]] = {}
    for (source, record_id), statements in rows.items():
        found = [
            x for x in record_from_statements(source, record_id, statements).links if x.relation != SAME_AS
        ]
        if found:
            out[f"{source}:{record_id}"] = found
    return out


def _entity_of(store: Loaded, record: str | None) -> str | None:
    """The canonical entity of a record a list refers to, if that record is loaded."""
    grouping = store.index.grouping
    if not record or grouping is None:
        return None
    return grouping.entity_of.get(record)


@router.get("/entity/{entity_id:path}", response_class=HTMLResponse, name="entity_page")
def entity_page(entity_id: EntityId, request: Request, store: MaybeLoaded) -> Response:
    if store is None:
        return loading(request)
    # An entity asked for again (a popular one, a page reloaded) is sent as rendered.
    pages: Recent[bytes] = store.memo(("web", "entity pages"), lambda: Recent(ENTITY_PAGES))
    if (page := pages.get(entity_id)) is not None:
        return HTMLResponse(page)
    with store.cursor() as cur:
        # An entity's profile follows its redirects: read once, it tells where an id leads.
        prof = profile(cur, entity_id) if entity_id.startswith("rk-") else None
        cid = prof.id if prof is not None else canonical_of(cur, entity_id)
        if cid is None:
            return not_found(request, entity_id)
        if cid != entity_id:
            # A path, not an address: right behind a proxy too.
            return RedirectResponse(f"/entity/{quote(cid)}", status_code=308)
        st = entity_status(cur, cid)
        if prof is None or st is None:  # the store is read-only while served: never
            return not_found(request, entity_id)
    links = store.memo(("web", "stated links"), lambda: stated_links(store))
    relations = [
        (m, link, _entity_of(store, link.target_id)) for m in prof.members for link in links.get(m, ())
    ]
    timeline = entity_timeline_of(st, Filters(), check_query(Filters()))
    from reckon.web.routes.control import page_exposure  # that module builds on this one

    reply = render(
        request,
        "entity.html.j2",
        profile=prof,
        status=st,
        timeline=timeline,
        relations=relations,
        control=page_exposure(store, cid),
        registry=sources(),
        label=jurisdiction_label,
    )
    pages.put(cid, bytes(reply.body))
    return reply


@router.get("/record/{key:path}", response_class=HTMLResponse, name="record_page")
def record_page(key: EntityId, request: Request, store: MaybeLoaded) -> Response:
    if store is None:
        return loading(request)
    with store.cursor() as cur:
        rec = get_record(cur, key)
        if rec is None:
            return not_found(request, key)
        cid = canonical_of(cur, key)
        # The version the record is read from: the newest of its list that still has it.
        version = next(
            (v for v in reversed(versions(cur, rec.source)) if v.version_date <= rec.last_seen), None
        )
    return render(
        request,
        "record.html.j2",
        rec=rec,
        key=f"{rec.source}:{rec.record_id}",
        entity=cid,
        version=version,
        registry=sources(),
    )
