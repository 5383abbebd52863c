"""GET /annotate: a form to paste a text or upload a file (.txt, .md, .html, .pdf);
POST /annotate/view (the form's answer; POST /annotate is the API's): the text with every mention of a listed person, organisation or vessel
marked and linked to its entity page, and a card per entity with its status per
jurisdiction and the reasons for each link; ambiguous mentions with their candidates.

The same library calls as `reckon annotate` and POST /annotate (reckon.annotate), on the
loaded store's gazetteer (api.routers.annotate.gazetteer)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from reckon.analysis.dossier import jurisdiction_label
from reckon.annotate.render import segments
from reckon.api.provider import Loaded
from reckon.api.routers.annotate import MAX_TEXT, gazetteer
from reckon.api.routers.deps import provider
from reckon.web.routes.entity import loading
from reckon.web.templating import render

router = APIRouter(include_in_schema=False)


@dataclass
class Found:
    """One entity the text mentions: its linked mentions, in the order they occur."""

    entity: str
    caption: str
    schema: str
    status: tuple[Any, ...]
    mentions: list[tuple[int, Any]] = field(default_factory=list)  # (number, Mention)


def by_entity(mentions: list[Any]) -> list[Found]:
    out: dict[str, Found] = {}
    for i, m in enumerate(mentions):
        if m.decision != "linked" or m.entity is None:
            continue
        found = out.setdefault(m.entity, Found(m.entity, m.caption, m.schema, m.status))
        found.mentions.append((i, m))
    return list(out.values())


def page(request: Request, status_code: int = 200, **context: Any) -> HTMLResponse:
    defaults: dict[str, Any] = {"text": "", "threshold": 0.7, "error": None, "result": None}
    return render(
        request, "annotate.html.j2", status_code=status_code, label=jurisdiction_label, **(defaults | context)
    )


@router.get("/annotate", response_class=HTMLResponse)
def annotate_form(request: Request) -> HTMLResponse:
    return page(request)


def _threshold(value: object) -> float | None:
    try:
        t = float(str(value))
    except ValueError:
        return None
    return t if 0.0 <= t <= 1.0 else None


def _annotated(store: Loaded, text: str, data: bytes | None, filename: str | None, threshold: float) -> Any:
    from reckon.annotate import annotate_document, annotate_text

    g = gazetteer(store)
    if data is not None:
        return annotate_document(data, filename, g, threshold=threshold)
    return text, annotate_text(text, g, threshold=threshold)


@router.post("/annotate/view", response_class=HTMLResponse)
async def annotate_page(request: Request) -> Response:
    from reckon.annotate import AnnotateError

    store = provider(request).loaded
    if store is None:
        return loading(request)
    form = await request.form(max_files=1, max_fields=4)
    text = str(form.get("text") or "")
    threshold = _threshold(form.get("threshold") or "0.7")
    upload = form.get("file")
    data: bytes | None = None
    filename: str | None = None
    if isinstance(upload, UploadFile) and upload.filename:
        data, filename = await upload.read(), upload.filename
    if threshold is None:
        return page(request, 400, text=text, error="The threshold is a number from 0 to 1.")
    if data is None and not text.strip():
        return page(request, 400, text=text, error="Paste a text or choose a file to annotate.")
    if len(text) > MAX_TEXT:
        return page(request, 413, error=f"The text is over {MAX_TEXT:,} characters: annotate it in parts.")
    try:
        text, result = await run_in_threadpool(_annotated, store, text, data, filename, threshold)
    except AnnotateError as exc:
        return page(request, 400, text="", threshold=threshold, error=str(exc))
    return page(
        request,
        text=text,
        threshold=threshold,
        filename=filename,
        result=result,
        segments=segments(text, result.mentions),
        found=by_entity(result.mentions),
        ambiguous=[(i, m) for i, m in enumerate(result.mentions) if m.decision == "ambiguous"],
    )
