"""What handlers share: the loaded store (503 until it is), and errors as yente gives them."""

from __future__ import annotations

from fastapi import HTTPException, Request

from reckon.api.provider import Loaded, Provider
from reckon.api.settings import Settings


def provider(request: Request) -> Provider:
    found: Provider = request.app.state.provider
    return found


def settings(request: Request) -> Settings:
    found: Settings = request.app.state.settings
    return found


def loaded(request: Request) -> Loaded:
    """The store, loaded; 503 while it loads or if it could not be."""
    p = provider(request)
    if p.loaded is None:
        raise HTTPException(503, detail=p.error or "the store is still loading; try again shortly")
    return p.loaded
