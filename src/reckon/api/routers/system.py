"""The catalog of loaded lists, the matching algorithm, health and readiness."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import Field

from reckon.analysis.status import list_states
from reckon.api import search
from reckon.api.models import AlgorithmResponse, CatalogList, CatalogResponse, StatusResponse
from reckon.api.provider import Loaded, Provider, collections
from reckon.api.routers.deps import loaded, provider
from reckon.sources.registry import sources
from reckon.store.queries import summaries

router = APIRouter(tags=["system"])


@router.get("/catalog", response_model=CatalogResponse)
def catalog(store: Annotated[Loaded, Depends(loaded)]) -> CatalogResponse:
    """Every loaded list and dataset: its newest version, whether it is loaded whole
    (a sample cannot say "not listed"), its licence; what "not listed as of" rests on."""
    registry = sources()
    with store.cursor() as cur:
        found = summaries(cur)
        states = list_states(cur)
    datasets = []
    for s in found:
        src = registry.get(s.source)
        state = states.get(s.source)
        datasets.append(
            CatalogList(
                name=s.source,
                title=src.title if src else s.source,
                jurisdiction=src.jurisdiction if src else "",
                kind=src.kind if src else "list",
                licence=src.licence if src else "",
                url=src.urls[0] if src and src.urls else None,
                version=s.latest.version_date,
                versions=s.versions,
                complete=s.latest.complete,
                complete_as_of=state.complete_as_of if state else None,
                records=s.current_records,
            )
        )
    named = collections(store.loaded_sources)
    return CatalogResponse(datasets=datasets, collections={k: sorted(v) for k, v in named.items()})


@router.get("/algorithms", response_model=AlgorithmResponse)
def algorithms() -> dict[str, object]:
    """The scorer /match uses, feature by feature (weights as declared in reckon.match.features)."""
    return {"algorithms": search.algorithm_docs(), "default": search.ALGORITHM, "best": search.ALGORITHM}


@router.get("/healthz", response_model=StatusResponse)
def healthz() -> StatusResponse:
    """The server answers (the store may still be loading: see /readyz)."""
    return StatusResponse()


class ReadyResponse(StatusResponse):
    generation: str | None = Field(
        None,
        description="The state of the store this process serves (as /serving and each answer's "
        "X-Reckon-Generation header name it); null while loading",
    )


@router.get("/readyz", response_model=ReadyResponse, responses={503: {"model": ReadyResponse}})
def readyz(p: Annotated[Provider, Depends(provider)]) -> ReadyResponse | JSONResponse:
    """Ready when the store and its screening index are loaded; which generation of the
    store is served (a load balancer can tell workers on an old one apart)."""
    loaded = p.loaded
    if loaded is not None:
        return ReadyResponse(generation=loaded.generation)
    return JSONResponse({"status": p.error or "loading", "generation": None}, status_code=503)
