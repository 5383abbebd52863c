"""GET /exposure/{entity}: the paths of relations the lists state from an entity to listed
ones, and per jurisdiction what they amount to, as `reckon exposure --json` gives them
(reckon.control.entity_exposure). The graph is read once per loaded store and shared."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from reckon.api.models import ErrorResponse
from reckon.api.provider import Loaded
from reckon.api.routers.deps import loaded
from reckon.control import MAX_HOPS, ControlGraph

router = APIRouter(tags=["control"])


def control_graph(store: Loaded) -> ControlGraph:
    """The loaded store's control graph, read on first use and kept with the store."""
    from reckon.control import load_graph

    def read() -> ControlGraph:
        with store.cursor() as cur:
            return load_graph(cur)

    return store.memo("control.graph", read)


class _Model(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class EdgeModel(_Model):
    subject: str = Field(description="Entity id; for an owner edge, the owner")
    object: str
    relation: str = Field(description="owner, director, family, associate or linked")
    directed: bool = Field(description="False for relations without a direction (linked, family, associate)")
    percentage: float | None = Field(description="The share stated, where the source states one")
    source: str = Field(description="The list (or dataset) whose record states the relation")
    version_id: int
    record_id: str
    text: str = Field(description="The relation as the list states it, e.g. 'Linked To: BANK ROSSIYA'")


class PathModel(_Model):
    edges: list[EdgeModel] = Field(description="From the entity asked to `end`")
    end: str
    end_listed_in: list[str] = Field(description="Jurisdictions that list `end` now")


class JurisdictionExposureModel(_Model):
    jurisdiction: str
    entity_listed: bool | None = Field(description="null: unknown (the jurisdiction's list missing or stale)")
    owned_share: float | None = Field(
        description="Share held by entities this jurisdiction lists, from stated percentages only (50% rule view)"
    )
    controlled_by: list[str] = Field(
        description="Listed entities owning or directing it with no share stated: a weaker claim"
    )
    linked_to: list[str] = Field(description="Listed entities related to it otherwise (the weakest)")


class ExposureModel(_Model):
    entity: str
    caption: str
    paths: list[PathModel]
    by_jurisdiction: list[JurisdictionExposureModel]
    as_of: dict[str, str] = Field(description="Jurisdiction -> the list version date its status is as of")
    captions: dict[str, str] = Field(description="Entity id -> caption, for every entity on a path")
    version_dates: dict[int, str] = Field(description="Version id -> date, for the versions the edges cite")


@router.get(
    "/exposure/{entity_id:path}",
    response_model=ExposureModel,
    responses={404: {"model": ErrorResponse}},
    summary="Paths of stated relations to listed entities, and per jurisdiction what they amount to",
)
def exposure(
    entity_id: Annotated[str, Path(max_length=300, description="rk-… or a record source:id")],
    store: Annotated[Loaded, Depends(loaded)],
    hops: Annotated[int, Query(ge=1, le=MAX_HOPS, description="Longest path, in relations")] = 2,
    max_age: Annotated[int | None, Query(ge=0, le=100_000)] = None,
) -> ExposureModel:
    """Owner, director, family, associate and "Linked To" relations the lists state, as
    edges between canonical entities each with its record; per jurisdiction: whether the
    entity is listed itself (null: unknown), the share its listed owners hold where
    percentages are stated, listed owners or directors without a stated share (a weaker
    claim), and listed entities linked otherwise. Allegation datasets never count as a listing."""
    from reckon.control import entity_exposure

    graph = control_graph(store)
    with store.cursor() as cur:
        result = entity_exposure(cur, entity_id, hops=hops, max_age_days=max_age, graph=graph)
    if result is None:
        raise HTTPException(404, detail=f"no entity {entity_id[:300]!r}")
    return ExposureModel.model_validate(result)
