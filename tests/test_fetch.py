"""`reckon fetch` against a local HTTP server serving the real shared files."""

from __future__ import annotations

import http.server
import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from reckon.ingest import ingest_paths
from reckon.sources.fetch import FetchError, download, fetch, ingest_target
from reckon.store import connect
from tests.conftest import shared


class _Handler(http.server.SimpleHTTPRequestHandler):
    failures: ClassVar[dict[str, int]] = {}  # path -> how many more 503s to send
    slow: ClassVar[set[str]] = set()
    truncated: ClassVar[dict[str, int]] = {}  # path -> how many more half bodies to send
    drip: ClassVar[set[str]] = set()  # the body 512 bytes at a time, 0.2 s apart
    drip_headers: ClassVar[set[str]] = set()  # a header a byte at a time, 0.2 s apart
    unsized: ClassVar[set[str]] = set()  # no Content-Length: the body ends when the connection does

    def do_GET(self) -> None:
        left = self.failures.get(self.path, 0)
        if left:
            self.failures[self.path] = left - 1
            self.send_error(503, "try later")
            return
        if self.path in self.slow:
            time.sleep(1.0)
        if self.path in self.drip_headers:
            self.wfile.write(b"HTTP/1.0 200 OK\r\nX-Drip: ")
            for _ in range(50):  # 10 s at most, then the server gives up
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)
            return
        if self.truncated.get(self.path) or self.path in self.drip or self.path in self.unsized:
            self._send_oddly()
            return
        super().do_GET()

    def _send_oddly(self) -> None:
        data = (Path(self.directory) / self.path.lstrip("/")).read_bytes()
        self.send_response(200)
        if self.path not in self.unsized:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.close_connection = True
        if self.truncated.get(self.path):
            self.truncated[self.path] -= 1
            self.wfile.write(data[: len(data) // 2])
        elif self.path in self.drip:
            for start in range(0, len(data), 512):
                self.wfile.write(data[start : start + 512])
                self.wfile.flush()
                time.sleep(0.2)
        else:
            self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "mirror"
    (root / "un_sc_sanctions").mkdir(parents=True)
    shutil.copy(shared("un/UN_consolidated_2026-02-27.xml"), root / "un_sc_sanctions" / "consolidated.xml")
    (root / "us_ofac_sdn").mkdir()
    for name in ("sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"):
        shutil.copy(shared(f"ofac_sdn/fixture_watchman_ofactest/{name}"), root / "us_ofac_sdn" / name)

    def handler(*args: object, **kw: object) -> _Handler:
        return _Handler(*args, directory=str(root), **kw)  # type: ignore[arg-type]

    class QuietServer(http.server.ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # clients that time out on purpose leave broken pipes behind

    server = QuietServer(("127.0.0.1", 0), handler)  # type: ignore[arg-type]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()  # waits for request threads: none outlives its test
        for state in (_Handler.failures, _Handler.slow, _Handler.truncated, _Handler.drip):
            state.clear()
        _Handler.drip_headers.clear()
        _Handler.unsized.clear()


def test_fetch_downloads_logs_checksums_and_ingests(mirror: tuple[str, Path], tmp_path: Path) -> None:
    url, root = mirror
    dest = tmp_path / "downloads"
    ((source, folder, files),) = fetch(["un_sc_sanctions"], dest, mirror=url)
    assert source.name == "un_sc_sanctions"
    (item,) = files
    import hashlib

    expected = hashlib.sha256((root / "un_sc_sanctions" / "consolidated.xml").read_bytes()).hexdigest()
    assert item.sha256 == expected
    assert Path(item.path).read_bytes() == (root / "un_sc_sanctions" / "consolidated.xml").read_bytes()
    log = [json.loads(line) for line in (dest / "fetch-log.jsonl").read_text().splitlines()]
    assert log[0]["sha256"] == expected and log[0]["source"] == "un_sc_sanctions"
    con = connect(tmp_path / "db.duckdb")
    (result,) = ingest_paths(con, [ingest_target(folder, files)], source="un_sc_sanctions")
    assert result.records == 1003
    assert result.version_date == "2026-02-27"


def test_fetch_multi_file_source_gives_a_folder(mirror: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = mirror
    ((_, folder, files),) = fetch(["us_ofac_sdn"], tmp_path / "d", mirror=url)
    assert sorted(Path(f.path).name for f in files) == ["add.csv", "alt.csv", "sdn.csv", "sdn_comments.csv"]
    con = connect(tmp_path / "db.duckdb")
    # watchman's 17-row fixture has no end-of-file marker: a sample, not a complete list.
    (result,) = ingest_paths(con, [ingest_target(folder, files)], source="us_ofac_sdn", complete=False)
    assert result.records == 17


def test_server_errors_are_retried(mirror: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = mirror
    _Handler.failures["/un_sc_sanctions/consolidated.xml"] = 2
    _sha, size, attempts = download(
        f"{url}/un_sc_sanctions/consolidated.xml", tmp_path / "x.xml", retries=3, sleep=lambda s: None
    )
    assert attempts == 3
    assert size == (tmp_path / "x.xml").stat().st_size


def test_missing_file_fails_at_once_without_partial_file(mirror: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = mirror
    with pytest.raises(FetchError, match="HTTP 404"):
        download(f"{url}/nope.xml", tmp_path / "nope.xml", retries=3, sleep=lambda s: None)
    assert not list(tmp_path.glob("nope.xml*"))


def test_timeouts_give_up_after_retries(mirror: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = mirror
    _Handler.slow.add("/un_sc_sanctions/consolidated.xml")
    with pytest.raises(FetchError, match="failed after 2 attempts"):
        download(
            f"{url}/un_sc_sanctions/consolidated.xml",
            tmp_path / "slow.xml",
            timeout=0.2,
            retries=2,
            sleep=lambda s: None,
        )
    assert not (tmp_path / "slow.xml").exists()


UN_PATH = "/un_sc_sanctions/consolidated.xml"
SDN_PATH = "/us_ofac_sdn/sdn.csv"  # 7.3 kB: dripped whole, it takes 3 s


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """Where downloads go, apart from the mirror's files."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def test_body_shorter_than_its_content_length_is_refused(mirror: tuple[str, Path], out: Path) -> None:
    url, _ = mirror
    _Handler.truncated[UN_PATH] = 5  # more than the attempts: every one of them is cut short
    with pytest.raises(
        FetchError, match=r"failed after 2 attempts \(connection closed after \d+ of \d+ bytes\)"
    ):
        download(f"{url}{UN_PATH}", out / "un.xml", retries=2, sleep=lambda s: None)
    assert list(out.iterdir()) == []


def test_short_body_is_retried(mirror: tuple[str, Path], out: Path) -> None:
    url, root = mirror
    _Handler.truncated[UN_PATH] = 1
    _sha, size, attempts = download(f"{url}{UN_PATH}", out / "un.xml", retries=3, sleep=lambda s: None)
    assert attempts == 2
    assert (out / "un.xml").read_bytes() == (root / UN_PATH.lstrip("/")).read_bytes()
    assert size == (out / "un.xml").stat().st_size
    assert sorted(p.name for p in out.iterdir()) == ["un.xml"]


def test_dripping_body_meets_the_deadline(mirror: tuple[str, Path], out: Path) -> None:
    # Every read brings data within the 1 s allowed, so only a deadline on the whole ends it.
    url, _ = mirror
    _Handler.drip.add(SDN_PATH)
    start = time.monotonic()
    with pytest.raises(
        FetchError, match=r"failed after 2 attempts \(not finished in 1 s \(\d+ bytes so far\)\)"
    ):
        download(f"{url}{SDN_PATH}", out / "sdn.csv", timeout=1.0, retries=2, sleep=lambda s: None)
    assert time.monotonic() - start < 2.8
    assert list(out.iterdir()) == []


def test_dripping_headers_meet_the_deadline(mirror: tuple[str, Path], out: Path) -> None:
    url, _ = mirror
    _Handler.drip_headers.add(UN_PATH)
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"failed after 2 attempts \(not finished in 1 s\b"):
        download(f"{url}{UN_PATH}", out / "un.xml", timeout=1.0, retries=2, sleep=lambda s: None)
    assert time.monotonic() - start < 2.8
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("sized", [True, False])
def test_body_over_the_limit_is_refused_at_once(mirror: tuple[str, Path], out: Path, sized: bool) -> None:
    # The real UN list is 2.0 MB; under a 1 MiB limit it is refused, by its declared
    # length before any byte is read, or as it streams when it declares none.
    url, _ = mirror
    if not sized:
        _Handler.unsized.add(UN_PATH)
    with pytest.raises(FetchError, match=r"consolidated\.xml: (\d+ bytes, )?larger than 1 MiB; refusing"):
        download(f"{url}{UN_PATH}", out / "un.xml", retries=3, sleep=lambda s: None, max_bytes=1 << 20)
    assert list(out.iterdir()) == []


def test_body_without_length_is_read_to_the_end(mirror: tuple[str, Path], out: Path) -> None:
    url, root = mirror
    _Handler.unsized.add(UN_PATH)
    _sha, _size, attempts = download(f"{url}{UN_PATH}", out / "un.xml", sleep=lambda s: None)
    assert attempts == 1
    assert (out / "un.xml").read_bytes() == (root / UN_PATH.lstrip("/")).read_bytes()
