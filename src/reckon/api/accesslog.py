"""Access log of `reckon serve`: one JSON line per request on stderr, written when the
response is over:

    {"time": "2026-12-07T06:15:30.123Z", "method": "POST", "path": "/match/default",
     "status": 200, "ms": 4.21, "client": "127.0.0.1", "pid": 4242, "generation": "…"}

The query string is left out on purpose: names people screen are not the server's to keep
(POST bodies never are logged either). Each line is one `write` of less than 4 KiB, so the
lines of several worker processes sharing stderr do not interleave. It costs ~10 µs a
request: no logging framework, one `json.dumps`."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Awaitable, Callable, MutableMapping
from contextlib import suppress
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_PATH_LIMIT = 300


def _now() -> str:
    t = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t % 1 * 1000):03d}Z"


def access_log(app: ASGIApp, fd: int = 2, generation: Callable[[], str] | None = None) -> ASGIApp:
    """`app`, logging each HTTP request to file descriptor `fd` as one JSON line."""
    pid = os.getpid()

    async def logged(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await app(scope, receive, sending)
        finally:
            client = scope.get("client")
            entry = {
                "time": _now(),
                "method": scope["method"],
                "path": str(scope["path"])[:_PATH_LIMIT],
                "status": status or 500,
                "ms": round((time.perf_counter() - started) * 1000, 2),
                "client": client[0] if client else None,
                "pid": pid,
            }
            if generation is not None:
                entry["generation"] = generation()
            with suppress(OSError):  # a closed stderr must not fail the request
                os.write(fd, (json.dumps(entry, ensure_ascii=True) + "\n").encode())

    return logged
