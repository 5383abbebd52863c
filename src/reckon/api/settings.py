"""Settings of `reckon serve`, from the environment (the command's options override them)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"${name} is {raw!r}, not a whole number") from None


@dataclass(frozen=True, slots=True)
class Settings:
    db: Path
    host: str = "127.0.0.1"
    port: int = 8000
    max_body: int = 1 << 20  # bytes of a request body; 413 beyond
    max_depth: int = 32  # nesting of a JSON body: yente's deepest request is 4
    max_queries: int = 100  # per /match request, as yente allows
    max_page: int = 500  # limit of /match results and /gaps rows
    access_log: bool = True

    @classmethod
    def from_env(cls, db: Path | None = None, host: str | None = None, port: int | None = None) -> Settings:
        from reckon.store import db_path

        return cls(
            db=db_path(db),
            host=host or os.environ.get("RECKON_API_HOST") or "127.0.0.1",
            port=port if port is not None else _int("RECKON_API_PORT", 8000),
            max_body=_int("RECKON_API_MAX_BODY", 1 << 20),
            access_log=os.environ.get("RECKON_API_ACCESS_LOG", "1") not in ("0", "false", "no"),
        )
