"""Request and response shapes. /match speaks yente's protocol (the field names its
clients read); reckon's own routes return the library's dataclasses as they are."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from reckon.store.queries import Change


class ErrorResponse(BaseModel):
    detail: str = Field(examples=["unknown dataset 'xx'"])


class EntityExample(BaseModel):
    """One query: an FtM-shaped entity (`schema` is required, as yente requires it)."""

    model_config = ConfigDict(populate_by_name=True)

    id: str | None = Field(None, max_length=200)
    schema_: str = Field(alias="schema", max_length=40, examples=["Person"])
    properties: dict[str, str | list[str]] = Field(
        default_factory=dict, examples=[{"name": ["Roman Abramovich"], "birthDate": ["1966-10-24"]}]
    )


class MatchRequest(BaseModel):
    queries: dict[str, EntityExample]
    # Accepted for yente's clients; reckon's feature weights are declared in
    # reckon.match.features and are not changed per request.
    weights: dict[str, float] = Field(default_factory=dict)
    config: dict[str, Any] = Field(default_factory=dict)


class Total(BaseModel):
    value: int
    relation: str = "eq"


class FeatureExplanation(BaseModel):
    score: float  # the feature's evidence, -1 (conflicts) to 1 (agrees)
    weight: float
    detail: str


class EntityResponse(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str
    caption: str
    schema_: str = Field(alias="schema")
    properties: dict[str, list[str]]
    datasets: list[str]
    referents: list[str]
    target: bool
    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None


class ScoredEntityResponse(EntityResponse):
    score: float
    match: bool
    explanations: dict[str, FeatureExplanation]
    features: dict[str, float]  # yente's older map of feature → score


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntityResponse]
    total: Total
    query: EntityExample


class MatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    limit: int


class FeatureDoc(BaseModel):
    description: str
    coefficient: float


class Algorithm(BaseModel):
    name: str
    description: str
    features: dict[str, FeatureDoc]


class AlgorithmResponse(BaseModel):
    algorithms: list[Algorithm]
    default: str
    best: str


class CatalogList(BaseModel):
    name: str
    title: str
    jurisdiction: str
    kind: str  # "list" (designations) or "allegations" (never counted as sanctions)
    licence: str
    url: str | None
    version: str  # date of the newest loaded version
    versions: int
    complete: bool  # the newest version is the whole list, not a sample
    complete_as_of: str | None  # the newest complete version: what "not listed as of" rests on
    records: int


class CatalogResponse(BaseModel):
    datasets: list[CatalogList]
    collections: dict[str, list[str]]  # `default`, `sanctions`: the datasets /match may take


class StatusResponse(BaseModel):
    status: str = "ok"


class StatusLineResponse(BaseModel):
    jurisdiction: str
    status: str  # listed, delisted, possibly_listed, not_listed, unknown
    summary: str


class SearchEntityResponse(EntityResponse):
    """A search hit: yente's entity, with the name the score rests on, the scorer's
    explanation, and where the entity is listed in short (the whole of it at /status/{id})."""

    name: str
    score: float
    match: bool
    explanations: dict[str, FeatureExplanation]
    statuses: list[StatusLineResponse]
    documented_by: list[str]  # allegation datasets holding it: never a designation


class SearchFacetItem(BaseModel):
    name: str = Field(examples=["ru"])
    label: str = Field(examples=["Russia"])
    count: int


class SearchFacet(BaseModel):
    label: str = Field(examples=["Countries"])
    values: list[SearchFacetItem]


class SearchResponse(BaseModel):
    results: list[SearchEntityResponse]
    total: Total
    limit: int
    offset: int
    facets: dict[str, SearchFacet]


# --- the W3C reconciliation API (v0.2), as OpenRefine speaks it


class ReconType(BaseModel):
    id: str = Field(examples=["Person"])
    name: str = Field(examples=["People"])


class ReconView(BaseModel):
    url: str


class ReconPreview(BaseModel):
    url: str
    width: int
    height: int


class ReconService(BaseModel):
    service_url: str
    service_path: str


class ReconSuggest(BaseModel):
    entity: ReconService
    type: ReconService
    property: ReconService


class ReconManifest(BaseModel):
    versions: list[str]
    name: str
    identifierSpace: str  # the specification's names
    schemaSpace: str
    defaultTypes: list[ReconType]
    view: ReconView
    preview: ReconPreview
    suggest: ReconSuggest
    batchSize: int
    documentation: str | None = None


class ReconSuggestion(BaseModel):
    id: str
    name: str
    description: str | None = None
    notable: list[ReconType] = Field(default_factory=list)


class ReconSuggestResponse(BaseModel):
    result: list[ReconSuggestion]


ReconValue = str | int | float | bool | dict[str, Any] | None


class ReconProperty(BaseModel):
    pid: str = Field(max_length=200, examples=["birthDate"])
    v: ReconValue | list[ReconValue] = Field(examples=["1966-10-24"])


class ReconQuery(BaseModel):
    query: str | None = Field(None, max_length=1000, examples=["Roman Abramovich"])
    type: str | list[str] | None = Field(None, examples=["Person"])
    limit: int | None = Field(None, ge=0, le=100)
    properties: list[ReconProperty] = Field(default_factory=list, max_length=50)
    type_strict: str | None = Field(None, max_length=20)


class ReconRequest(BaseModel):
    """A batch of queries as a JSON body (OpenRefine sends it as the form field `queries`)."""

    queries: dict[str, ReconQuery]


class ReconCandidate(BaseModel):
    id: str
    name: str
    type: list[ReconType]
    score: float
    match: bool
    description: str


class ReconResult(BaseModel):
    result: list[ReconCandidate]


class ChangesResponse(BaseModel):
    """A page of `reckon changes --json`, oldest first."""

    title: str
    total: int
    limit: int
    offset: int
    changes: list[Change]
