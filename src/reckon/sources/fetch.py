"""Download current lists from their official addresses (kept in registry.toml).

Downloads have timeouts and retries with backoff, are written atomically, and every
file's SHA-256 is logged to `fetch-log.jsonl` beside it so a later reader can tell
exactly which publication an import came from.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from reckon import __version__
from reckon.sources.registry import Source, get_source, sources

MAX_DOWNLOAD_BYTES = 512 << 20
USER_AGENT = f"reckon/{__version__} (+https://github.com/reckon-sanctions/reckon)"


class FetchError(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class Fetched:
    source: str
    url: str
    path: str
    sha256: str
    bytes: int
    fetched_at: str
    attempts: int


def file_name_for(source: Source, url: str) -> str:
    name = Path(urllib.parse.urlparse(url).path).name
    if "." not in name:
        # Some endpoints (the EU's) end in a bare word; name the file after the source.
        name = f"{source.name}.xml"
    return name


def mirrored(source: Source, url: str, mirror: str | None) -> str:
    """The address to use when lists are served from a mirror (`RECKON_MIRROR`).

    A mirror holds each source's files under a folder named after the source, as
    `reckon fetch --dest` writes them, because official file names collide
    (the UN and OFAC both publish `consolidated.xml`).
    """
    if not mirror:
        return url
    return f"{mirror.rstrip('/')}/{source.name}/{file_name_for(source, url)}"


def download(
    url: str,
    target: Path,
    *,
    timeout: float = 60.0,
    retries: int = 3,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[str, int, int]:
    """Fetch `url` into `target` atomically; returns (sha256, bytes, attempts)."""
    last: Exception | None = None
    for attempt in range(1, retries + 1):
        tmp = target.with_name(target.name + ".part")
        try:
            req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
            with urllib.request.urlopen(req, timeout=timeout) as resp, tmp.open("wb") as out:
                h = hashlib.sha256()
                size = 0
                while chunk := resp.read(1 << 16):
                    size += len(chunk)
                    if size > MAX_DOWNLOAD_BYTES:
                        raise FetchError(f"{url}: larger than {MAX_DOWNLOAD_BYTES >> 20} MiB; refusing")
                    h.update(chunk)
                    out.write(chunk)
            if size == 0:
                raise FetchError(f"{url}: empty response")
            os.replace(tmp, target)
            return h.hexdigest(), size, attempt
        except urllib.error.HTTPError as exc:
            tmp.unlink(missing_ok=True)
            last = exc
            if exc.code < 500 and exc.code != 429:
                raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
            tmp.unlink(missing_ok=True)
            last = exc
        except FetchError:
            tmp.unlink(missing_ok=True)
            raise
        if attempt < retries:
            sleep(backoff * 2 ** (attempt - 1))
    raise FetchError(f"{url}: failed after {retries} attempts ({last})")


def fetch(
    names: list[str] | None,
    dest: Path,
    *,
    mirror: str | None = None,
    timeout: float = 60.0,
    retries: int = 3,
    backoff: float = 1.0,
) -> list[tuple[Source, Path, list[Fetched]]]:
    """Download each source's files into `dest/<source>/<UTC timestamp>/`.

    Returns, per source, the folder that holds its files (ready for `reckon ingest`).
    """
    mirror = mirror or os.environ.get("RECKON_MIRROR")
    chosen = [get_source(n) for n in names] if names else list(sources().values())
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out: list[tuple[Source, Path, list[Fetched]]] = []
    for source in chosen:
        folder = dest / source.name / stamp
        folder.mkdir(parents=True, exist_ok=True)
        got: list[Fetched] = []
        for url in source.urls:
            target = folder / file_name_for(source, url)
            real_url = mirrored(source, url, mirror)
            sha, size, attempts = download(
                real_url, target, timeout=timeout, retries=retries, backoff=backoff
            )
            item = Fetched(
                source.name,
                real_url,
                str(target),
                sha,
                size,
                datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                attempts,
            )
            got.append(item)
            with (dest / "fetch-log.jsonl").open("a", encoding="utf-8") as log:
                log.write(json.dumps(asdict(item)) + "\n")
        out.append((source, folder, got))
    return out


def ingest_target(folder: Path, files: list[Fetched]) -> Path:
    """What to hand to `ingest`: the folder for multi-file sets (OFAC CSV), else the file."""
    return folder if len(files) > 1 else Path(files[0].path)
