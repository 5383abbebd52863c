"""GET /serving: which state of the store this server process answers from, and since when."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from reckon.api.provider import Provider

router = APIRouter(tags=["system"])


class ServingResponse(BaseModel):
    status: str = Field(description="ok, or loading (no generation yet), or the reason it failed")
    generation: str | None = Field(
        None, description="The state of the store served (each answer's X-Reckon-Generation header)"
    )
    versions: dict[str, str] = Field(
        default_factory=dict, description="Each loaded list's newest version date in that state"
    )
    since: str | None = Field(None, description="When this process started serving it (UTC)")
    reloads: int = Field(0, description="New states of the store this process has loaded")
    reload_error: str | None = Field(
        None, description="Why the newest state could not be loaded (the previous one is still served)"
    )
    warmed: list[str] = Field(
        default_factory=list,
        description="What has been worked out ahead for this generation (api/warm.py): search index, "
        "coverage statuses, review queue",
    )
    pid: int


@router.get("/serving", response_model=ServingResponse)
def serving(request: Request) -> ServingResponse:
    """The generation of the store this process serves: the server reads a copy of the store
    and loads each new state once a write has settled, without a restart."""
    provider: Provider = request.app.state.provider
    loaded = provider.loaded
    served = provider.served
    return ServingResponse(
        status="ok" if loaded is not None else (provider.error or "loading"),
        generation=loaded.generation if loaded is not None else None,
        versions=dict(loaded.versions) if loaded is not None else {},
        since=(
            datetime.fromtimestamp(served.loaded_at, UTC).isoformat(timespec="seconds")
            if served is not None
            else None
        ),
        reloads=provider.reloads,
        reload_error=provider.reload_error,
        warmed=list(served.warmed) if served is not None else [],
        pid=os.getpid(),
    )
