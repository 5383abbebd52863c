"""GET /entity/{id}/graph: the paths of stated relations from an entity to listed ones, as
an SVG drawn on the server (reckon.control.render) and a table of every edge with its
evidence; the same exposure the entity page's "Ownership and control" section sums up and
`reckon exposure` prints (reckon.control.entity_exposure). Registered before the entity
page's route (modules are taken by name), which would otherwise take the whole path."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reckon.api.provider import Loaded
from reckon.api.routers.control import control_graph
from reckon.control import MAX_HOPS, Exposure, entity_exposure
from reckon.control.render import evidence, graph_svg
from reckon.web.routes.entity import EntityId, MaybeLoaded, loading, not_found
from reckon.web.templating import render

router = APIRouter(include_in_schema=False)


def page_exposure(store: Loaded, entity: str, hops: int = 2) -> Exposure | None:
    """The exposure a page shows, over the loaded store's graph (read once per store)."""
    graph = control_graph(store)
    with store.cursor() as cur:
        return entity_exposure(cur, entity, hops=hops, graph=graph)


@router.get("/entity/{entity_id:path}/graph", response_class=HTMLResponse, name="control_graph_page")
def control_graph_page(
    entity_id: EntityId,
    request: Request,
    store: MaybeLoaded,
    hops: Annotated[int, Query(ge=1, le=MAX_HOPS)] = 2,
) -> Response:
    if store is None:
        return loading(request)
    exp = page_exposure(store, entity_id, hops)
    if exp is None:
        return not_found(request, entity_id)
    if exp.entity != entity_id:
        return RedirectResponse(f"/entity/{quote(exp.entity)}/graph?hops={hops}", status_code=308)
    return render(
        request,
        "control_graph.html.j2",
        exp=exp,
        hops=hops,
        max_hops=MAX_HOPS,
        svg=graph_svg(exp),
        evidence=evidence,
    )
