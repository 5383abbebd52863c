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

    def do_GET(self) -> None:
        left = self.failures.get(self.path, 0)
        if left:
            self.failures[self.path] = left - 1
            self.send_error(503, "try later")
            return
        if self.path in self.slow:
            time.sleep(1.0)
        super().do_GET()

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
        _Handler.failures.clear()
        _Handler.slow.clear()


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
    (result,) = ingest_paths(con, [ingest_target(folder, files)], source="us_ofac_sdn")
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
