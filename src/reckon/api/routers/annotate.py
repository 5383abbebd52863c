"""POST /annotate and POST /annotate/file: the listed people, organisations and vessels a
text mentions, as `reckon annotate` finds them (reckon.annotate): each mention with its
offsets, the entity it is linked to (or its candidates, when ambiguous), the reasons and
the entity's status per jurisdiction, as of the list versions named in `lists`.

The gazetteer is built once per loaded store (a served store is a read-only copy, so a
gazetteer cached in it is read, else built in memory) and shared by every request."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, UploadFile
from pydantic import BaseModel, Field

from reckon.api.models import ErrorResponse
from reckon.api.provider import Loaded
from reckon.api.routers.deps import loaded

if TYPE_CHECKING:
    from reckon.annotate import Annotation, Gazetteer

router = APIRouter(tags=["annotate"])

MAX_TEXT = 1_000_000  # characters; the request body limit (RECKON_API_MAX_BODY) applies first
_building = threading.Lock()  # one gazetteer build at a time: seconds of CPU and ~200 MB each


def gazetteer(store: Loaded) -> Gazetteer:
    """The loaded store's gazetteer, read or built on first use and kept with the store."""
    from reckon.annotate import load_gazetteer

    key = ("annotate", "gazetteer")
    with _building:
        return store.memo(key, lambda: load_gazetteer(store.con))


class AnnotateRequest(BaseModel):
    text: str = Field(
        max_length=MAX_TEXT, examples=["Санкции против Романа Абрамовича ввела Великобритания."]
    )
    threshold: float = Field(0.7, ge=0.0, le=1.0, description="The least score of a linked mention")


class StatusModel(BaseModel):
    jurisdiction: str
    status: str = Field(description="listed, delisted, possibly_listed, not_listed or unknown")
    summary: str


class CandidateModel(BaseModel):
    entity: str
    caption: str
    records: list[str]
    score: float


class MentionModel(BaseModel):
    start: int = Field(description="Offset of the first character in the text (Unicode code points)")
    end: int
    surface: str
    decision: Literal["linked", "ambiguous"]
    entity: str | None = Field(description="The linked entity (/entities/{id}); null when ambiguous")
    records: list[str]
    caption: str
    schema_: str = Field(alias="schema")
    score: float
    reasons: list[str]
    candidates: list[CandidateModel]
    status: list[StatusModel]


class AnnotateResponse(BaseModel):
    text_length: int
    lists: dict[str, str] = Field(description="The list versions the statuses are as of: source → date")
    notes: list[str]
    mentions: list[MentionModel]
    text: str | None = Field(
        None, description="For a file: the text read from it, which the offsets are into"
    )


def response(annotation: Annotation, text: str | None = None) -> AnnotateResponse:
    return AnnotateResponse(
        text=text,
        text_length=annotation.text_length,
        lists=annotation.lists,
        notes=annotation.notes,
        mentions=[
            MentionModel(
                start=m.start,
                end=m.end,
                surface=m.surface,
                decision=m.decision,
                entity=m.entity,
                records=list(m.records),
                caption=m.caption,
                schema=m.schema,
                score=round(m.score, 4),
                reasons=list(m.reasons),
                candidates=[
                    CandidateModel(entity=c.entity, caption=c.caption, records=list(c.records), score=c.score)
                    for c in m.candidates
                ],
                status=[
                    StatusModel(jurisdiction=s.jurisdiction, status=s.status, summary=s.summary)
                    for s in m.status
                ],
            )
            for m in annotation.mentions
        ],
    )


ERRORS: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorResponse, "description": "A file that cannot be read as text"},
    413: {"model": ErrorResponse, "description": "A body over the server's limit"},
    503: {"model": ErrorResponse, "description": "The store is still loading"},
}


@router.post(
    "/annotate",
    response_model=AnnotateResponse,
    response_model_by_alias=True,
    responses=ERRORS,
    summary="The listed entities a text mentions",
)
def annotate(body: AnnotateRequest, store: Annotated[Loaded, Depends(loaded)]) -> AnnotateResponse:
    """Every mention of a listed person, organisation or vessel in `text` (English, Russian,
    Ukrainian; inflected and shortened forms too), linked to its entity with the reasons,
    or marked ambiguous with its candidates; a namesake is not linked."""
    from reckon.annotate import annotate_text

    return response(annotate_text(body.text, gazetteer(store), threshold=body.threshold))


@router.post(
    "/annotate/file",
    response_model=AnnotateResponse,
    response_model_by_alias=True,
    responses=ERRORS,
    summary="The listed entities a document mentions (.txt, .md, .html, .pdf)",
)
def annotate_file(
    file: Annotated[UploadFile, File(description="A text, Markdown, HTML or PDF (with a text layer) file")],
    store: Annotated[Loaded, Depends(loaded)],
    threshold: Annotated[float, Form(ge=0.0, le=1.0)] = 0.7,
) -> AnnotateResponse:
    """As POST /annotate, for a file: its text is read as `reckon annotate FILE` reads it,
    and the offsets are into that text. A file that cannot be read is a 400 saying why."""
    from reckon.annotate import AnnotateError, annotate_document

    data = file.file.read()
    try:
        text, result = annotate_document(data, file.filename, gazetteer(store), threshold=threshold)
    except AnnotateError as exc:
        raise HTTPException(400, detail=str(exc)) from None
    return response(result, text)
