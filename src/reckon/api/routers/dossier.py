"""GET /dossier/{id}.html and /dossier/{id}.pdf: one entity's dossier, as `reckon dossier
ID -o FILE` writes it (analysis.dossier: entity_dossier, render_html, render_pdf). A
member record or a merged-away id answers 308 to its canonical entity's dossier."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from reckon.api.kept import Recent
from reckon.api.models import ErrorResponse
from reckon.api.provider import Loaded
from reckon.api.routers.charts import day
from reckon.api.routers.deps import loaded, provider

router = APIRouter(tags=["analysis"])

MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
_KEPT = ("api.dossier", "documents")
KEPT = 32  # documents kept per loaded store: a PDF takes seconds to lay out
# WeasyPrint lays out one document at a time: a PDF is seconds of CPU, and requests
# queue here rather than take every core.
_laying_out = threading.Lock()


def _split(name: str) -> tuple[str, str]:
    """`rk-….html` → ("rk-…", "html"); 404 for any other ending."""
    stem, dot, ext = name.rpartition(".")
    if not dot or ext not in MEDIA or not stem:
        raise HTTPException(404, detail="a dossier is at /dossier/{id}.html or /dossier/{id}.pdf")
    return stem, ext


@router.get(
    "/dossier/{name:path}",
    response_class=Response,
    responses={
        200: {"content": {"text/html": {}, "application/pdf": {}}, "description": "The dossier"},
        308: {
            "description": "A member record or merged-away id: the canonical entity's dossier is at Location"
        },
        404: {"model": ErrorResponse},
    },
    summary="One entity's dossier, HTML or PDF",
)
def dossier(
    name: Annotated[str, Path(max_length=310, description="rk-….html, rk-….pdf, or a member record's id so")],
    request: Request,
    store: Annotated[Loaded, Depends(loaded)],
    max_age: Annotated[
        int | None, Query(ge=0, le=100_000, description="Lists older than this many days count as unknown")
    ] = None,
) -> Response:
    """The dossier to send on: profile with names by script, status per jurisdiction,
    designations with their reasons, allegations apart, and an appendix naming every
    list version used (file, SHA-256). HTML (every value from the lists escaped) or PDF (A4)."""
    from reckon.analysis.dossier import entity_dossier, render_html, render_pdf
    from reckon.resolve.views import canonical_of, follow, is_resolved

    entity_id, fmt = _split(name)
    kept: Recent[bytes] = store.memo(_KEPT, lambda: Recent(KEPT, 64 << 20))
    key = (entity_id, fmt, max_age, day() if max_age is not None else None)
    body = kept.get(key)
    if body is None:
        with store.cursor() as cur:
            if is_resolved(cur):
                cid = follow(cur, entity_id) if entity_id.startswith("rk-") else canonical_of(cur, entity_id)
                if cid is not None and cid != entity_id:
                    url = request.url_for("dossier", name=f"{cid}.{fmt}")
                    if max_age is not None:
                        url = url.include_query_params(max_age=max_age)
                    return RedirectResponse(str(url), status_code=308)
            doc = entity_dossier(cur, entity_id, max_age_days=max_age, store=provider(request).path.name)
        if doc is None:
            raise HTTPException(404, detail=f"no entity {entity_id[:300]!r}")
        html = render_html(doc)
        if fmt == "html":
            body = html.encode()
        else:
            with _laying_out:
                body = render_pdf(html)
        kept.put(key, body)
    if fmt == "html":
        return HTMLResponse(body)
    return Response(
        body,
        media_type=MEDIA["pdf"],
        headers={"Content-Disposition": f'inline; filename="{_filename(entity_id)}.pdf"'},
    )


def _filename(entity_id: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in entity_id)[:100] or "dossier"
