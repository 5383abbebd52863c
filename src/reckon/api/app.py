"""The FastAPI application: routers, limits on what a request may carry, errors as
`{"detail": "..."}` whatever went wrong, each request pinned to one generation of the
store, and the access log."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import re
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from reckon.api.accesslog import access_log
from reckon.api.provider import Provider
from reckon.api.settings import Settings
from reckon.api.snapshots import Snapshots

log = logging.getLogger("reckon.api")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


def json_depth(body: bytes) -> int:
    """How deeply `body`'s arrays and objects nest, brackets inside strings left out."""
    depth = deepest = 0
    for m in _BRACKET.finditer(_STRING.sub(b"", body)):
        if m[0] in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


_LOOSE_TYPES = frozenset({"", "application/x-www-form-urlencoded", "text/plain"})


def _content_type(scope: Scope) -> str:
    raw: bytes = dict(scope["headers"]).get(b"content-type", b"")
    return raw.decode("latin-1").split(";", 1)[0].strip().lower()


async def _reply(send: Send, status: int, detail: str) -> None:
    response = JSONResponse({"detail": detail}, status_code=status)
    await response({"type": "http"}, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


def limits(app: ASGIApp, max_body: int, max_depth: int) -> ASGIApp:
    """Refuse a body over `max_body` bytes (413) or JSON nested deeper than `max_depth`
    (400) before anything parses it: Python's JSON parser recurses, and a megabyte of
    `[` would end in a RecursionError (a 500) rather than an answer."""

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > max_body):
            await _reply(send, 413, f"the request body is over {max_body} bytes")
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > max_body:
                await _reply(send, 413, f"the request body is over {max_body} bytes")
                return
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        if json_depth(body) > max_depth:
            await _reply(send, 400, f"the JSON body nests deeper than {max_depth} levels")
            return
        if body.lstrip()[:1] == b"{" and _content_type(scope) in _LOOSE_TYPES:
            # A JSON body posted without its type (no header, or curl -d's form type):
            # read as JSON, as yente's clients expect.
            headers = [(k, v) for k, v in scope["headers"] if k != b"content-type"]
            scope = {**scope, "headers": [*headers, (b"content-type", b"application/json")]}
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await app(scope, replay, send)

    return guarded


def _validation_detail(exc: RequestValidationError) -> str:
    """pydantic's errors in one line: `body.queries.q1.schema: Field required`."""
    parts = []
    for e in exc.errors()[:5]:
        where = ".".join(str(p)[:60] for p in e.get("loc", ()))
        parts.append(f"{where}: {e.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def routers() -> list[APIRouter]:
    """The `router` of every module of reckon.api.routers (the HTTP API) and
    reckon.web.routes (the pages), found by name: a new concern is a new module."""
    import reckon.api.routers
    import reckon.web.routes

    found = []
    for package in (reckon.api.routers, reckon.web.routes):
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            router = getattr(module, "router", None)
            if isinstance(router, APIRouter):
                found.append(router)
    return found


def gate(app: ASGIApp, provider: Provider) -> ASGIApp:
    """Pin each request to the generation of the store that is newest when it starts: a
    reload under way never changes what one request reads, and a replaced generation is
    closed only once its last request is over. Every answer names its generation in the
    `X-Reckon-Generation` header."""

    async def pinned(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        token = provider.enter()
        if token is None:  # still loading: the routes answer 503
            await app(scope, receive, send)
            return
        loaded = provider.loaded
        header = (b"x-reckon-generation", (loaded.generation if loaded else "").encode())

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and header[1]:
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        try:
            await app(scope, receive, sending)
        finally:
            provider.leave(token)

    return pinned


def create_app_from_env() -> FastAPI:
    """The app as `reckon serve --workers N` starts it in each worker process (uvicorn
    takes an import string there): settings from the environment the command set."""
    return create_app(Settings.from_env())


def _log_to_stderr() -> None:
    """reckon's own log lines (reloads, errors) on stderr beside uvicorn's, once."""
    logger = logging.getLogger("reckon")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     [%(process)d] %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def create_app(settings: Settings) -> FastAPI:
    from reckon import __version__

    _log_to_stderr()
    from reckon.api.warm import STEPS

    provider = Provider(
        settings.db,
        poll=settings.poll,
        snapshots=Snapshots.beside(settings.db, settings.snapshots),
        warm=STEPS if settings.warm else (),
        turns=settings.workers > 1,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        provider.start()
        try:
            yield
        finally:
            provider.close()

    app = FastAPI(
        title="reckon",
        version=__version__,
        summary="Sanctions lists of many jurisdictions: matching (yente's /match), entities, status, gaps.",
        lifespan=lifespan,
        # FastAPI's /docs and /redoc pages load their scripts from a CDN; reckon serves
        # nothing from outside (the OpenAPI document stays at /openapi.json).
        docs_url=None,
        redoc_url=None,
    )
    app.state.provider = provider
    app.state.settings = settings
    from reckon.api.serving import router as serving

    for router in [*routers(), serving]:
        app.include_router(router)
    from reckon.web import STATIC

    # Every asset is served from the package: the pages work offline, with no CDN.
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _validation_detail(exc)}, status_code=422)

    @app.exception_handler(Exception)
    async def failed(request: Request, exc: Exception) -> JSONResponse:
        # The cause goes to the log, never to the client (it may quote the store or the input).
        log.exception("internal error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "internal error"}, status_code=500)

    app.add_middleware(limits, max_body=settings.max_body, max_depth=settings.max_depth)
    if settings.access_log:

        def generation() -> str:
            loaded = provider.loaded
            return loaded.generation if loaded else ""

        app.add_middleware(access_log, generation=generation)
    if settings.cors_origins:
        app.add_middleware(cors, origins=settings.cors_origins)
    app.add_middleware(gate, provider=provider)  # the outermost: added last
    return app


def cors_applies(method: str, path: str) -> bool:
    """Whether a browser on another origin may make this request: the read-only routes
    (GET, HEAD) and /match, as yente allows; never the writes (judgements, reviews,
    logins), whose sessions and keys belong to reckon's own pages."""
    return method in ("GET", "HEAD") or (method == "POST" and path.startswith("/match/"))


def cors(app: ASGIApp, origins: tuple[str, ...]) -> ASGIApp:
    """CORS (Starlette's) for the requests `cors_applies` to; any other request (and its
    preflight) is left without CORS headers, which a browser reads as a refusal. No
    credentials: a page elsewhere cannot act with a reviewer's session."""
    from starlette.middleware.cors import CORSMiddleware

    allowed = CORSMiddleware(
        app,
        allow_origins=list(origins),
        allow_methods=["GET", "HEAD", "POST"],
        allow_headers=["Content-Type"],
        expose_headers=["X-Reckon-Generation"],
        max_age=600,
    )

    async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            method = scope["method"]
            if method == "OPTIONS":  # a preflight: the method it asks for
                asked = dict(scope["headers"]).get(b"access-control-request-method", b"")
                method = asked.decode("latin-1").upper()
            if cors_applies(method, scope["path"]):
                await allowed(scope, receive, send)
                return
        await app(scope, receive, send)

    return guarded
