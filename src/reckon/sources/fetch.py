"""Download current lists from their official addresses (kept in registry.toml).

Downloads have timeouts and retries with backoff, are written atomically, and every
file's SHA-256 is logged to `fetch-log.jsonl` beside it so a later reader can tell
exactly which publication an import came from.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.client
import json
import os
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reckon import __version__
from reckon.sources.registry import Source, get_source, sources

MAX_DOWNLOAD_BYTES = 512 << 20
# Seconds one attempt at a file may take in all: at 300 s a 25 MB list arrives over an
# 85 kB/s link; slower is a broken one. A read that brings nothing for STALL_SECONDS
# ends the attempt sooner.
DEFAULT_TIMEOUT = 300.0
STALL_SECONDS = 60.0
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
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = 3,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
) -> tuple[str, int, int]:
    """Fetch `url` into `target` atomically; returns (sha256, bytes, attempts).

    `timeout` is the time one attempt at the file may take in all, not per read: a
    server that sends a byte now and then would otherwise hold the download forever.
    A body shorter than its Content-Length is a broken transfer and is retried, never
    kept; a body over `max_bytes` is refused at once.
    """
    last: Exception | None = None
    tmp = target.with_name(target.name + ".part")
    for attempt in range(1, retries + 1):
        try:
            h, size = _attempt(url, tmp, timeout, max_bytes)
            os.replace(tmp, target)
            return h, size, attempt
        except urllib.error.HTTPError as exc:
            last = exc
            if exc.code < 500 and exc.code != 429:
                raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
        except (urllib.error.URLError, http.client.HTTPException, OSError, _Broken) as exc:
            last = exc  # TimeoutError and ConnectionError are OSErrors
        finally:
            tmp.unlink(missing_ok=True)  # gone after the replace; otherwise a broken transfer
        if attempt < retries:
            sleep(backoff * 2 ** (attempt - 1))
    raise FetchError(f"{url}: failed after {retries} attempts ({last})")


class _Broken(Exception):
    """A transfer that ended wrong (short, too slow); worth another attempt."""


class _Deadline:
    """Ends an attempt when its time is up, wherever it waits: in the headers or the body.

    Socket timeouts bound each read, not their sum, so a server dripping a byte at a time
    would never time out; shutting the attempt's sockets down wakes any blocked read.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._socks.append(sock)
            if self.expired:
                _shutdown(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._socks:
                _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    # The plain socket's method: an SSLSocket's own would drop its SSL state under the
    # reading thread; this only makes the pending read return. Closed already is fine.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _HTTPConnection(http.client.HTTPConnection):
    """A connection whose socket the attempt's deadline can shut down."""

    def __init__(self, *args: Any, deadline: _Deadline, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._deadline = deadline

    def connect(self) -> None:
        super().connect()  # for HTTPS, the TLS socket: the MRO puts HTTPSConnection next
        self._deadline.watch(self.sock)


class _HTTPSConnection(_HTTPConnection, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_HTTPConnection, deadline=self._deadline), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline
        self._ssl = ssl.create_default_context()

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        conn = functools.partial(_HTTPSConnection, deadline=self._deadline)
        return self.do_open(conn, req, context=self._ssl)


def _attempt(url: str, tmp: Path, timeout: float, max_bytes: int) -> tuple[str, int]:
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with _Deadline(timeout) as deadline:
        opener = urllib.request.build_opener(_HTTPHandler(deadline), _HTTPSHandler(deadline))
        try:
            h, size, declared = _receive(url, opener, req, tmp, timeout, max_bytes)
        except OSError:
            if deadline.expired:
                raise _Broken(f"not finished in {timeout:g} s") from None
            raise
        if deadline.expired:  # the shutdown looks like the end of the body
            raise _Broken(f"not finished in {timeout:g} s ({size} bytes so far)")
    if declared is not None and size != declared:
        raise _Broken(f"connection closed after {size} of {declared} bytes")
    if size == 0:
        raise FetchError(f"{url}: empty response")
    return h, size


def _receive(
    url: str,
    opener: urllib.request.OpenerDirector,
    req: urllib.request.Request,
    tmp: Path,
    timeout: float,
    max_bytes: int,
) -> tuple[str, int, int | None]:
    """(sha256, bytes, Content-Length) of one response body written to `tmp`."""
    with opener.open(req, timeout=min(timeout, STALL_SECONDS)) as resp, tmp.open("wb") as out:
        declared = _content_length(resp.headers.get("Content-Length"))
        if declared is not None and declared > max_bytes:
            raise FetchError(f"{url}: {declared} bytes, larger than {max_bytes >> 20} MiB; refusing")
        h = hashlib.sha256()
        size = 0
        while chunk := resp.read(1 << 16):
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"{url}: larger than {max_bytes >> 20} MiB; refusing")
            h.update(chunk)
            out.write(chunk)
    return h.hexdigest(), size, declared


def _content_length(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None  # absent, or a value http.client itself would not trust
    return int(value.strip())


def fetch(
    names: list[str] | None,
    dest: Path,
    *,
    mirror: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = 3,
    backoff: float = 1.0,
) -> list[tuple[Source, Path, list[Fetched]]]:
    """Download each source's files into `dest/<source>/<UTC timestamp>/`.

    Returns, per source, the folder that holds its files (ready for `reckon ingest`).
    """
    mirror = mirror or os.environ.get("RECKON_MIRROR")
    # A dataset published at no fixed address (ACF's CSV changes name with each update)
    # has no urls: left out of "fetch everything", refused when named.
    chosen = [get_source(n) for n in names] if names else [s for s in sources().values() if s.urls]
    for source in chosen:
        if not source.urls:
            raise FetchError(f"{source.name} has no download address; fetch it by hand and ingest the file")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out: list[tuple[Source, Path, list[Fetched]]] = []
    for source in chosen:
        folder = dest / source.name / stamp
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # --dest is a file, or not writable
            raise FetchError(f"{dest}: cannot make the download folder {folder} ({exc.strerror})") from None
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
