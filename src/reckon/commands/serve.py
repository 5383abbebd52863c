"""`reckon serve`: the HTTP API (reckon.api) over the store, opened read-only.

FastAPI and uvicorn are imported inside the handler: the other commands never pay for them."""

from __future__ import annotations

from typing import Annotated

import typer

from reckon.cli import DbOption, _fail, app, err


@app.command()
def serve(
    host: Annotated[
        str | None,
        typer.Option("--host", help="Address to listen on (default $RECKON_API_HOST or 127.0.0.1)."),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            "--port", min=0, max=65535, help="Port (default $RECKON_API_PORT or 8000; 0: any free one)."
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Serve the HTTP API: yente's POST /match/{dataset}, /entities/{id}, /status/{id},
    /gaps, /catalog, /algorithms, /healthz, /readyz, and the OpenAPI document at
    /openapi.json (/docs). The store is opened read-only and loaded once; /readyz says
    when. Stops on Ctrl-C or SIGTERM, finishing the requests under way."""
    from reckon.api.settings import Settings
    from reckon.screening import ScreenError, require_lists
    from reckon.store import StoreError, connect

    try:
        settings = Settings.from_env(db, host, port)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    # Refuse a store that could never be served (missing, not a reckon store, no list
    # loaded) now, rather than start a server that stays unready.
    try:
        con = connect(settings.db, read_only=True, create=False)
        try:
            require_lists(con)
        finally:
            con.close()
    except (StoreError, ScreenError) as exc:
        raise _fail(str(exc)) from None

    import uvicorn

    from reckon.api.app import create_app

    err.print(f"serving {settings.db} on http://{settings.host}:{settings.port}", highlight=False)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        access_log=settings.access_log,
        log_level="info",
        timeout_graceful_shutdown=10,
    )
