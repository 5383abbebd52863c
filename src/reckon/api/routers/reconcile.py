"""The W3C reconciliation API (v0.2) at /reconcile/{dataset}, so that OpenRefine can
reconcile a spreadsheet column against reckon, as it can against yente: the service
manifest, batches of queries (a name, a type, properties such as birthDate or country)
scored by the one scorer exactly as /match scores them (api.search.match), and a small
preview of an entity."""

from __future__ import annotations

import json
from html import escape
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from reckon.analysis.status import LISTED
from reckon.api import search
from reckon.api.app import json_depth
from reckon.api.models import (
    ErrorResponse,
    ReconCandidate,
    ReconManifest,
    ReconPreview,
    ReconQuery,
    ReconRequest,
    ReconResult,
    ReconService,
    ReconSuggest,
    ReconSuggestion,
    ReconSuggestResponse,
    ReconType,
    ReconView,
)
from reckon.api.provider import Loaded
from reckon.api.routers.deps import loaded, settings
from reckon.api.routers.match import scope
from reckon.api.settings import Settings
from reckon.model import IDENTIFIER_SCHEMES, NAME_KINDS

router = APIRouter(tags=["reconciliation"])

# The types a column can be reconciled to (FtM schemata, named as FtM names them).
TYPES = {
    "Person": "People",
    "Organization": "Organizations",
    "Company": "Companies",
    "Vessel": "Vessels",
    "LegalEntity": "Legal entities",
    "Airplane": "Airplanes",
}
DEFAULT_TYPES = ("Person", "Organization", "Company", "Vessel", "LegalEntity")
# What the scorer reads of a query's properties (api.search.query_entity_of); a property
# it does not read is left out, as the specification lets a service do.
READ = frozenset(
    {
        *NAME_KINDS,
        *IDENTIFIER_SCHEMES,
        "firstName",
        "lastName",
        "birthDate",
        "incorporationDate",
        "country",
        "nationality",
        "citizenship",
        "jurisdiction",
        "mainCountry",
    }
)
DEFAULT_LIMIT = 5
MAX_DEPTH = 8  # a reconciliation query nests 4 deep (queries → query → properties → v)
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Queries that are not JSON, too many, or an unknown type"},
    404: {"model": ErrorResponse, "description": "Unknown dataset"},
    413: {"model": ErrorResponse, "description": "Request body too large"},
    422: {"model": ErrorResponse, "description": "Queries of the wrong shape"},
}
_BATCH = TypeAdapter(dict[str, ReconQuery])


def inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """A pydantic model's JSON schema with its `$defs` written in place (they are not
    recursive), to describe a body FastAPI does not parse itself."""
    defs = schema.pop("$defs", {})

    def walk(node: object) -> object:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(defs[ref.rsplit("/", 1)[-1]])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    out = walk(schema)
    assert isinstance(out, dict)
    return out


_FORM_BODY = {
    "requestBody": {
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "queries": {"type": "string", "description": "The batch of queries, as JSON"}
                    },
                    "required": ["queries"],
                }
            },
            "application/json": {"schema": inlined(ReconRequest.model_json_schema())},
        },
        "required": True,
    }
}


def manifest(request: Request, dataset: str, config: Settings) -> ReconManifest:
    base = str(request.base_url).rstrip("/")
    return ReconManifest(
        versions=["0.2"],
        name=f"reckon ({dataset})",
        identifierSpace=f"{base}/entities/",
        schemaSpace="https://followthemoney.tech/explorer/schemata/",
        defaultTypes=[ReconType(id=t, name=TYPES[t]) for t in DEFAULT_TYPES],
        view=ReconView(url=f"{base}/entity/{{{{id}}}}"),
        preview=ReconPreview(url=f"{base}/reconcile/{dataset}/preview?id={{{{id}}}}", width=400, height=160),
        suggest=ReconSuggest(
            **{
                kind: ReconService(service_url=f"{base}/reconcile/{dataset}", service_path=f"/suggest/{kind}")
                for kind in ("entity", "type", "property")
            }
        ),
        batchSize=min(10, config.max_queries),
        documentation=f"{base}/openapi.json",
    )


def parse_queries(raw: str | bytes | dict[str, Any], max_queries: int) -> dict[str, ReconQuery]:
    """A batch of queries from the JSON OpenRefine sends (a mapping of keys to queries,
    or `{"queries": {...}}`); 400 for what is not JSON, 422 for the wrong shape."""
    if isinstance(raw, str | bytes):
        if json_depth(raw.encode() if isinstance(raw, str) else raw) > MAX_DEPTH:
            raise HTTPException(400, detail=f"the queries nest deeper than {MAX_DEPTH} levels")
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            raise HTTPException(400, detail="the queries are not JSON") from None
    else:
        data = raw
    if isinstance(data, dict) and isinstance(data.get("queries"), dict | str) and len(data) == 1:
        return parse_queries(data["queries"], max_queries)
    if not isinstance(data, dict):
        raise HTTPException(400, detail="the queries must be a JSON object of keys to queries")
    if len(data) > max_queries:
        raise HTTPException(400, detail=f"{len(data)} queries; at most {max_queries} a request")
    try:
        return _BATCH.validate_python(data)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False, include_input=False)) from None


def _values(v: object) -> list[str]:
    if isinstance(v, list):
        return [x for item in v for x in _values(item)]
    if isinstance(v, dict):
        found = v.get("id") or v.get("name")
        return [found] if isinstance(found, str) else []
    if v is None or isinstance(v, bool):
        return []
    return [str(v)]


def schema_of(q: ReconQuery) -> str | None:
    """The query's type as an FtM schema (None: any); 400 for a type reckon has not."""
    given = [q.type] if isinstance(q.type, str) else list(q.type or ())
    if not given:
        return None
    for t in given:
        if t in TYPES:
            return t
    raise HTTPException(400, detail=f"unknown type {given[0][:40]!r}; choose one of {', '.join(TYPES)}")


def properties_of(q: ReconQuery) -> dict[str, list[str]]:
    props: dict[str, list[str]] = {}
    if q.query and q.query.strip():
        props["name"] = [q.query]
    for p in q.properties:
        pid = p.pid.rsplit(":", 1)[-1]  # FtM's qualified names: Person:birthDate
        if pid in READ:
            props.setdefault(pid, []).extend(v for v in _values(p.v) if v.strip())
    return props


def describe(store: Loaded, schema: str, entity_id: str) -> str:
    """The entity in a line: its type and where it is listed now."""
    brief = store.briefs.get(entity_id)
    listed = [s.jurisdiction for s in brief.statuses if s.status == LISTED] if brief else []
    where = f"listed in {', '.join(listed)}" if listed else "listed in no jurisdiction loaded"
    return f"{schema}, {where}"


def answer(
    store: Loaded, sources: frozenset[str] | None, queries: dict[str, ReconQuery], threshold: float
) -> dict[str, ReconResult]:
    """Each query scored as /match scores it; a property value the scorer cannot read (an
    unreadable date or country) is left out rather than failing the batch, and a query
    with nothing to match (no name, no identifier) finds nothing."""
    filters = search.Filters(sources)
    out: dict[str, ReconResult] = {}
    for key, q in queries.items():
        schema = schema_of(q)
        kinds = search.schema_kinds(schema)
        props = properties_of(q)
        limit = DEFAULT_LIMIT if q.limit is None else q.limit
        hits = []
        if limit and props:
            wanted = limit if kinds is None else limit + 20
            qs = search.query_schema(schema)
            try:
                hits = search.match(store, qs, props, wanted, search.SEARCH_MIN_SCORE, filters)
            except search.QueryError:
                names = {k: v for k, v in props.items() if k in NAME_KINDS or k in IDENTIFIER_SCHEMES}
                try:
                    hits = (
                        search.match(store, qs, names, wanted, search.SEARCH_MIN_SCORE, filters)
                        if names
                        else []
                    )
                except search.QueryError:
                    hits = []
        results = [
            ReconCandidate(
                id=h.entity.id or "",
                name=h.entity.caption,
                type=[ReconType(id=h.entity.schema, name=TYPES.get(h.entity.schema, h.entity.schema))],
                score=round(h.score, 4),
                match=h.score >= threshold,
                description=describe(store, h.entity.schema, h.entity.id or ""),
            )
            for h in hits
            if kinds is None or h.entity.schema in kinds
        ]
        out[key] = ReconResult(result=results[:limit])
    return out


def _sources(store: Loaded, dataset: str) -> frozenset[str] | None:
    chosen = scope(store, dataset, [], [])
    return None if chosen == frozenset(store.loaded_sources) else chosen


@router.get(
    "/reconcile/{dataset}",
    response_model=ReconManifest | dict[str, ReconResult],
    responses=_ERRORS,
    summary="Reconciliation: the service manifest, or the answers to `queries`",
)
async def reconcile(
    request: Request,
    dataset: Annotated[str, Path(max_length=200, description="default, sanctions, or a source name")],
    store: Annotated[Loaded, Depends(loaded)],
    config: Annotated[Settings, Depends(settings)],
    queries: Annotated[
        str | None, Query(max_length=100_000, description="A batch of queries, as JSON")
    ] = None,
    threshold: Annotated[
        float, Query(ge=0.0, le=1.0, description="A candidate scoring this is a match")
    ] = 0.7,
) -> ReconManifest | dict[str, ReconResult]:
    """Without `queries`, the service manifest OpenRefine reads when the service is
    added (W3C reconciliation API v0.2); with them, their answers as POST gives them."""
    sources = _sources(store, dataset)
    if queries is None:
        return manifest(request, dataset, config)
    batch = parse_queries(queries, config.max_queries)
    return await run_in_threadpool(answer, store, sources, batch, threshold)


@router.post(
    "/reconcile/{dataset}",
    response_model=dict[str, ReconResult],
    responses=_ERRORS,
    openapi_extra=_FORM_BODY,
    summary="Reconciliation: a batch of queries",
)
async def reconcile_post(
    request: Request,
    dataset: Annotated[str, Path(max_length=200, description="default, sanctions, or a source name")],
    store: Annotated[Loaded, Depends(loaded)],
    config: Annotated[Settings, Depends(settings)],
    threshold: Annotated[
        float, Query(ge=0.0, le=1.0, description="A candidate scoring this is a match")
    ] = 0.7,
) -> dict[str, ReconResult]:
    """A batch of queries, as OpenRefine posts it: the form field `queries` holding
    `{"q0": {"query": "Roman Abramovich", "type": "Person", "limit": 3,
    "properties": [{"pid": "birthDate", "v": "1966-10-24"}]}}`; a JSON body of the same
    mapping (or `{"queries": {...}}`) is read too. Each answer lists candidates best
    first with the scorer's score (0 to 1) and `match` at `threshold`."""
    sources = _sources(store, dataset)
    body = await request.body()
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    raw: str | bytes
    if kind == "application/json":
        raw = body
    else:
        if kind not in ("", "application/x-www-form-urlencoded", "text/plain"):
            raise HTTPException(415, detail="send the queries as a form field `queries=` or as a JSON body")
        form = parse_qs(body.decode("utf-8", errors="replace"), max_num_fields=10)
        if "queries" not in form:
            if "extend" in form:
                raise HTTPException(400, detail="data extension is not offered; send `queries`")
            raise HTTPException(400, detail="no `queries` field in the form")
        raw = form["queries"][0]
    batch = parse_queries(raw, config.max_queries)
    return await run_in_threadpool(answer, store, sources, batch, threshold)


@router.get(
    "/reconcile/{dataset}/preview",
    response_class=HTMLResponse,
    responses={404: {"model": ErrorResponse}},
    summary="Reconciliation: a small preview of an entity",
)
def preview(
    dataset: Annotated[str, Path(max_length=200)],
    id: Annotated[
        str, Query(max_length=300, description="rk-… or a record source:id")
    ],  # the specification's name
    store: Annotated[Loaded, Depends(loaded)],
) -> HTMLResponse:
    """The entity's name, type and status per jurisdiction, in a few lines of HTML
    (every value escaped) for OpenRefine's preview pane."""
    scope(store, dataset, [], [])
    grouping = store.index.grouping
    head = grouping.heads.get(id) if grouping else None
    brief = store.briefs.get(id)
    if head is None or brief is None:
        raise HTTPException(404, detail=f"no entity {id[:300]!r}")
    schema, caption = head
    rows = "".join(f"<li>{escape(s.jurisdiction)}: {escape(s.summary)}</li>" for s in brief.statuses)
    html = (
        '<!doctype html><html><head><meta charset="utf-8"><title>'
        f'{escape(caption)}</title></head><body style="font: 13px sans-serif; margin: 4px">'
        f"<strong>{escape(caption)}</strong> <small>{escape(TYPES.get(schema, schema))}</small>"
        f'<ul style="padding-left: 1.2em; margin: 4px 0">{rows}</ul></body></html>'
    )
    return HTMLResponse(html)


Prefix = Annotated[str, Query(max_length=200, description="What has been typed so far")]


@router.get(
    "/reconcile/{dataset}/suggest/entity",
    response_model=ReconSuggestResponse,
    responses={404: {"model": ErrorResponse}},
    summary="Reconciliation: entities for a name being typed",
)
def suggest_entity(
    dataset: Annotated[str, Path(max_length=200)],
    store: Annotated[Loaded, Depends(loaded)],
    prefix: Prefix = "",
    cursor: Annotated[int, Query(ge=0, le=10_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> ReconSuggestResponse:
    """Entities whose names are like what has been typed, best first (the search of
    /search/{dataset}), for OpenRefine's "search for match"."""
    sources = _sources(store, dataset)
    try:
        found = search.search_text(store, prefix, datasets=sources, limit=limit, offset=cursor)
    except search.QueryError:
        return ReconSuggestResponse(result=[])
    return ReconSuggestResponse(
        result=[
            ReconSuggestion(
                id=h.id,
                name=h.caption,
                description=describe(store, h.schema, h.id),
                notable=[ReconType(id=h.schema, name=TYPES.get(h.schema, h.schema))],
            )
            for h in found.results
        ]
    )


@router.get(
    "/reconcile/{dataset}/suggest/type",
    response_model=ReconSuggestResponse,
    responses={404: {"model": ErrorResponse}},
    summary="Reconciliation: types for a name being typed",
)
def suggest_type(
    dataset: Annotated[str, Path(max_length=200)],
    store: Annotated[Loaded, Depends(loaded)],
    prefix: Prefix = "",
) -> ReconSuggestResponse:
    """The types (FtM schemata) whose id or name starts with, or holds, what has been typed."""
    scope(store, dataset, [], [])
    typed = prefix.strip().lower()
    return ReconSuggestResponse(
        result=[
            ReconSuggestion(id=t, name=name)
            for t, name in TYPES.items()
            if typed in t.lower() or typed in name.lower()
        ]
    )


@router.get(
    "/reconcile/{dataset}/suggest/property",
    response_model=ReconSuggestResponse,
    responses={404: {"model": ErrorResponse}},
    summary="Reconciliation: properties for a name being typed",
)
def suggest_property(
    dataset: Annotated[str, Path(max_length=200)],
    store: Annotated[Loaded, Depends(loaded)],
    prefix: Prefix = "",
) -> ReconSuggestResponse:
    """The properties a query may give (those the scorer reads) that hold what has been typed."""
    scope(store, dataset, [], [])
    typed = prefix.strip().lower()
    return ReconSuggestResponse(
        result=[ReconSuggestion(id=p, name=p) for p in sorted(READ) if typed in p.lower()][:50]
    )
