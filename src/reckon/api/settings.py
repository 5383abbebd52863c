"""Settings of `reckon serve`, from the environment (the command's options override them)."""

from __future__ import annotations

import os
import re
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


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not 0 <= value < 1e6:  # NaN too
        raise ValueError(f"${name} is {raw!r}, not a number of seconds")
    return value


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    return raw.strip().lower() not in ("0", "false", "no", "off")


def _origins(name: str) -> tuple[str, ...]:
    """Comma-separated origins (`https://example.org,http://localhost:3000`, or `*`), each
    as a browser sends it: scheme, host and port, no path. ValueError for one that is not."""
    raw = os.environ.get(name) or ""
    origins = tuple(dict.fromkeys(o.strip().rstrip("/") for o in raw.split(",") if o.strip()))
    for origin in origins:
        if origin != "*" and not _ORIGIN.match(origin):
            raise ValueError(f"${name}: {origin!r} is not an origin such as https://example.org or *")
    return origins


_ORIGIN = re.compile(r"^https?://[^/\s?#]+$")


@dataclass(frozen=True, slots=True)
class Settings:
    db: Path
    host: str = "127.0.0.1"
    port: int = 8000
    max_body: int = 1 << 20  # bytes of a request body; 413 beyond
    max_depth: int = 32  # nesting of a JSON body: yente's deepest request is 4
    max_queries: int = 100  # per /match request, as yente allows
    max_page: int = 500  # limit of /match results and /gaps rows
    access_log: bool = True  # one JSON line per request on stderr (api/accesslog.py)
    workers: int = 1  # processes, each with the store loaded
    poll: float = 2.0  # seconds between looks at the store for a new state; 0: never reload
    snapshots: Path | None = None  # where the copies of the store go (default `<db>.serve/`)
    warm: bool = True  # work out the slow whole-store answers as soon as a generation serves
    # Origins whose pages may call the read-only routes and /match from a browser (CORS):
    # none by default; "*" for any, as yente allows.
    cors_origins: tuple[str, ...] = ()

    @classmethod
    def from_env(
        cls,
        db: Path | None = None,
        host: str | None = None,
        port: int | None = None,
        workers: int | None = None,
    ) -> Settings:
        """Settings from the environment (RECKON_DB, RECKON_API_*), options given here first.
        ValueError names a variable that does not parse."""
        from reckon.store import db_path

        folder = os.environ.get("RECKON_API_SNAPSHOTS")
        settings = cls(
            db=db_path(db).absolute(),
            host=host or os.environ.get("RECKON_API_HOST") or "127.0.0.1",
            port=port if port is not None else _int("RECKON_API_PORT", 8000),
            max_body=_int("RECKON_API_MAX_BODY", 1 << 20),
            access_log=_flag("RECKON_API_ACCESS_LOG", True),
            workers=workers if workers is not None else _int("RECKON_API_WORKERS", 1),
            poll=_float("RECKON_API_POLL", 2.0),
            snapshots=Path(folder).absolute() if folder and folder.strip() else None,
            warm=_flag("RECKON_API_WARM", True),
            cors_origins=_origins("RECKON_API_CORS_ORIGINS"),
        )
        if not 1 <= settings.workers <= 64:
            raise ValueError(f"{settings.workers} workers: give 1 to 64")
        return settings

    def environ(self) -> dict[str, str]:
        """These settings as the environment that `from_env` reads: how `--workers` hands
        them to worker processes, which build the app from an import string."""
        env = {
            "RECKON_DB": str(self.db),
            "RECKON_API_HOST": self.host,
            "RECKON_API_PORT": str(self.port),
            "RECKON_API_MAX_BODY": str(self.max_body),
            "RECKON_API_ACCESS_LOG": "1" if self.access_log else "0",
            "RECKON_API_WORKERS": str(self.workers),
            "RECKON_API_POLL": repr(self.poll),
        }
        if self.snapshots is not None:
            env["RECKON_API_SNAPSHOTS"] = str(self.snapshots)
        env["RECKON_API_WARM"] = "1" if self.warm else "0"
        env["RECKON_API_CORS_ORIGINS"] = ",".join(self.cors_origins)
        return env
