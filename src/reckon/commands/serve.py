"""`reckon serve`: the HTTP API and the pages (reckon.api, reckon.web) over a copy of the
store, reloaded when the store changes; `--check` starts it, asks it a few questions and
stops it (what `make demo SERVE=check` and CI run).

FastAPI and uvicorn are imported inside the handler: the other commands never pay for them."""

from __future__ import annotations

import http.client
import json
import logging
import os
import threading
import time
from typing import TYPE_CHECKING, Annotated

import typer

from reckon.cli import DbOption, _fail, app, err

if TYPE_CHECKING:
    from reckon.api.settings import Settings

# A query for --check: any answer with status 200 will do, hits or none.
CHECK_QUERY = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Vladimir Putin"]}}}}
CHECK_READY_SECONDS = 600.0


@app.command()
def serve(
    host: Annotated[
        str | None,
        typer.Option("--host", help="Address to listen on (default $RECKON_API_HOST or 127.0.0.1)."),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            "--port",
            min=0,
            max=65535,
            help="Port (default $RECKON_API_PORT or 8000; 0: any free one; --check: any free one).",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Processes answering requests, each with the store loaded (default $RECKON_API_WORKERS or 1).",
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Start, wait until ready, request /readyz, /healthz, one /match and the home page, "
            "print a one-line summary and stop (exit 2 on any failure).",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Serve the HTTP API and the web pages: yente's POST /match/{dataset}, /entities/{id},
    /status/{id}, /gaps, /catalog, /algorithms, /healthz, /readyz, /serving, the OpenAPI
    document at /openapi.json, the pages at /. The server reads a copy of the store (in
    <db>.serve/), so `reckon ingest` and the other commands can write meanwhile; each new
    state of the store is loaded without a restart once the writer is done. Stops on
    Ctrl-C or SIGTERM, finishing the requests under way."""
    from reckon.api.settings import Settings
    from reckon.api.snapshots import Snapshots
    from reckon.screening import ScreenError, require_lists
    from reckon.store import StoreError, connect

    try:
        settings = Settings.from_env(db, host, 0 if check and port is None else port, workers)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    # Refuse a store that could never be served (missing, not a reckon store, no list
    # loaded, no place for its copies) now, rather than start a server that stays unready.
    try:
        con = connect(settings.db, read_only=True, create=False)
        try:
            require_lists(con)
        finally:
            con.close()
        Snapshots.beside(settings.db, settings.snapshots).sweep()  # and copies left by a killed server
    except (StoreError, ScreenError) as exc:
        raise _fail(str(exc)) from None

    if check:
        _check(settings)
        return

    import uvicorn

    where = f"http://{settings.host}:{settings.port}"
    shown = f"{settings.workers} workers" if settings.workers > 1 else "1 process"
    err.print(f"serving {settings.db} on {where} ({shown}); Ctrl-C stops", highlight=False)
    common: dict[str, object] = {
        "host": settings.host,
        "port": settings.port,
        "access_log": False,  # reckon's own, one JSON line a request (RECKON_API_ACCESS_LOG)
        "log_level": "info",
        "timeout_graceful_shutdown": 10,
    }
    if settings.workers > 1:
        # Each worker builds the app from the settings, passed on in its environment.
        os.environ.update(settings.environ())
        import inspect

        if "timeout_worker_healthcheck" in inspect.signature(uvicorn.run).parameters:
            # The supervisor kills a worker that does not answer its ping in time; a worker
            # loading a new state of the store shares the GIL with that load (seconds).
            common["timeout_worker_healthcheck"] = 60
        uvicorn.run("reckon.api.app:create_app_from_env", factory=True, workers=settings.workers, **common)  # type: ignore[arg-type]
    else:
        from reckon.api.app import create_app

        uvicorn.run(create_app(settings), **common)  # type: ignore[arg-type]


def _check(settings: Settings) -> None:
    """Serve in this process on a free port, ask it what a user would, stop it."""
    from dataclasses import replace

    import uvicorn

    from reckon.api.app import create_app

    started = time.monotonic()
    served = create_app(replace(settings, access_log=False))  # one summary line, not a log
    logging.getLogger("reckon").setLevel(logging.WARNING)  # the summary says it all
    config = uvicorn.Config(
        served,
        host=settings.host,
        port=settings.port,
        access_log=False,
        log_level="warning",
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="reckon-serve-check", daemon=True)
    thread.start()
    try:
        summary = _ask(server, thread, started)
    except (OSError, http.client.HTTPException, ValueError, KeyError) as exc:
        summary = f"error: {type(exc).__name__}: {exc}"
    finally:
        server.should_exit = True
        thread.join(30)
    if isinstance(summary, str) and summary.startswith("error:"):
        raise _fail(f"serve --check: {summary.removeprefix('error:').strip()}")
    err.print(f"serve --check: {summary}; stopped", highlight=False, soft_wrap=True)


def _ask(server: object, thread: threading.Thread, started: float) -> str:
    """The server's answers in one line, or `error: …` for the first that is wrong."""
    while not getattr(server, "started", False):
        if not thread.is_alive():
            return "error: the server did not start (is the address in use?)"
        if time.monotonic() - started > 60:
            return "error: the server did not start in 60 s"
        time.sleep(0.05)
    servers = getattr(server, "servers", [])
    host, port = servers[0].sockets[0].getsockname()[:2]

    def ask(method: str, path: str, body: bytes | None = None) -> tuple[int, bytes, float]:
        conn = http.client.HTTPConnection(str(host), int(port), timeout=60)
        t0 = time.perf_counter()
        try:
            headers = {"Content-Type": "application/json"} if body else {}
            conn.request(method, path, body, headers)
            resp = conn.getresponse()
            return resp.status, resp.read(), (time.perf_counter() - t0) * 1000
        finally:
            conn.close()

    while True:
        status, body, _ = ask("GET", "/readyz")
        if status == 200:
            break
        if status != 503:
            return f"error: /readyz answered {status}"
        if time.monotonic() - started > CHECK_READY_SECONDS:
            return f"error: not ready in {CHECK_READY_SECONDS:g} s"
        detail = json.loads(body).get("status", "")
        if detail and detail != "loading":  # the load failed: no use waiting
            return f"error: the store could not be loaded: {detail}"
        time.sleep(0.2)
    ready = time.monotonic() - started
    parts = [f"ready in {ready:.1f} s"]
    status, body, _ = ask("GET", "/serving")
    if status == 200:
        info = json.loads(body)
        parts.append(f"generation {info['generation']} ({len(info['versions'])} lists)")
    for method, path, payload in (
        ("GET", "/readyz", None),
        ("GET", "/healthz", None),
        ("POST", "/match/default", json.dumps(CHECK_QUERY).encode()),
        ("GET", "/", None),
    ):
        status, body, ms = ask(method, path, payload)
        if status != 200:
            return f"error: {method} {path} answered {status}: {body[:200].decode('utf-8', 'replace')}"
        if path.startswith("/match"):
            hits = len(json.loads(body)["responses"]["q"]["results"])
            parts.append(f"{path} 200 ({hits} hits, {ms:.0f} ms)")
        else:
            parts.append(f"{path} 200 ({ms:.0f} ms)")
    return ", ".join(parts)
