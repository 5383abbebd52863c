"""Resource limits on reading input: compression bombs, devices and FIFOs, huge files,
archives of versions, and temporary files that must not outlive the process.

Every input is a real list file or a copy the test cuts or pads; the padding is what a
bomb is made of (a run that compresses a thousandfold), inserted where the format allows
blank space, so the files stay valid and only the limits can refuse them.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import signal
import subprocess
import sys
import tarfile
import tempfile
import textwrap
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

import reckon.ingest as ingest
import reckon.sources.spreadsheet as spreadsheet
from reckon import batch
from reckon.ingest import ingest_paths, iter_archive
from reckon.sources.common import MAX_INPUT_BYTES, SourceError, read_bytes
from reckon.sources.detect import detect
from reckon.sources.ofac_xml import parse_enhanced_xml
from reckon.sources.spreadsheet import read_ods, read_xlsx
from reckon.store import connect
from tests.conftest import REPO, SHARED_DATA, rezip, run_cli, shared

DFAT = "au/Australian_Sanctions_Consolidated_List_2026-02.xlsx"
OFSI = "uk_ofsi/ConList_2025-04-14.xlsx"
FCDO_ODS = "uk_fcdo/FCDO_SL_Mon_Aug 11 2025.ods"
ENHANCED = "ofac_consolidated/CONS_ENHANCED_2025-01-14.ZIP"
UN = "un/UN_consolidated_2026-02-27.xml"
ACF_HISTORY = (
    SHARED_DATA
    / "candidates"
    / "acf_war_enablers"
    / "acf_contributors_to_the_war_history_2022-06_2024-05.tar.xz"
)
SDN_A = "ofac_sdn_history/sdn_2022-02-23.csv"
SDN_B = "ofac_sdn_history/sdn_2022-02-26.csv"

MiB = 1 << 20


def _pad_after_declaration(xml: bytes, n: int) -> bytes:
    """The XML with n bytes of blank space after its declaration: still the same document."""
    end = xml.index(b"?>") + 2
    return xml[:end] + b" " * n + xml[end:]


@contextmanager
def _within(seconds: float) -> Iterator[None]:
    """Fail instead of hanging: SIGALRM interrupts even a blocked open() or read()."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _peak_bytes(fn: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture
def tmpdir_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary folder of the test's own, for this process and any it starts."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


# ------------------------------------------------------------------ zip-based formats


def test_xlsx_member_past_the_ratio_is_refused_as_it_inflates(tmp_path: Path) -> None:
    # 10 MB of blank space in xl/workbook.xml: ~10 kB compressed, 1000:1.
    out = rezip(
        shared(DFAT),
        tmp_path / "bomb.xlsx",
        {"xl/workbook.xml": lambda x: _pad_after_declaration(x, 10 * MiB)},
    )
    with pytest.raises(
        SourceError,
        match=r"bomb\.xlsx: zip member xl/workbook\.xml: inflates more than 100 times its compressed size",
    ):
        read_xlsx(out, out.read_bytes())


def test_spreadsheet_total_is_bounded_across_members(monkeypatch: pytest.MonkeyPatch) -> None:
    # The real ConList inflates to 17.0 MB; under an 8 MiB budget the sheet meets it.
    monkeypatch.setattr(spreadsheet, "MAX_SHEET_BYTES", 8 * MiB)
    path = shared(OFSI)
    with pytest.raises(
        SourceError, match=r"ConList_2025-04-14\.xlsx: zip member .*: inflates to more than 8 MiB"
    ):
        read_xlsx(path, path.read_bytes(), "Data")


def test_real_spreadsheets_stay_inside_the_limits() -> None:
    for rel in (DFAT, OFSI, "uk_ofsi/ConList_2023-06-05.xlsx"):
        path = shared(rel)
        names, rows = read_xlsx(path, path.read_bytes())
        assert names and rows
    path = shared(FCDO_ODS)
    assert read_ods(path, path.read_bytes())[1]


def test_ods_content_past_the_ratio_is_refused(tmp_path: Path) -> None:
    # content.xml is 43.3:1 already (the highest real ratio); 30 MB of blank space makes it ~180:1.
    out = rezip(
        shared(FCDO_ODS),
        tmp_path / "bomb.ods",
        {"content.xml": lambda x: _pad_after_declaration(x, 30 * MiB)},
    )
    with pytest.raises(
        SourceError, match=r"bomb\.ods: zip member content\.xml: inflates more than 100 times"
    ):
        read_ods(out, out.read_bytes())


def test_ofac_enhanced_zip_past_the_ratio_is_refused(tmp_path: Path) -> None:
    src = shared(ENHANCED)
    out = rezip(
        src,
        tmp_path / "CONS_ENHANCED.ZIP",
        {"CONS_ENHANCED.XML": lambda x: _pad_after_declaration(x, 40 * MiB)},
    )
    with pytest.raises(
        SourceError, match=r"CONS_ENHANCED\.ZIP: zip member CONS_ENHANCED\.XML: inflates more than 100 times"
    ):
        parse_enhanced_xml(out)
    parse_enhanced_xml(src)  # 16.5:1, 3.4 MB: well inside


_COMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    "gz": gzip.compress,
    "xz": lzma.compress,
    "bz2": bz2.compress,
}


@pytest.mark.parametrize("suffix", sorted(_COMPRESSORS))
def test_compressed_file_past_the_ratio_is_refused(tmp_path: Path, suffix: str) -> None:
    raw = shared(UN).read_bytes()
    bomb = tmp_path / f"UN_consolidated.xml.{suffix}"
    bomb.write_bytes(_COMPRESSORS[suffix](_pad_after_declaration(raw[:20_000], 5 * MiB)))
    with pytest.raises(
        SourceError,
        match=rf"xml\.{suffix}: compressed stream: inflates more than 100 times its compressed size",
    ):
        read_bytes(bomb)
    fine = tmp_path / f"UN_ok.xml.{suffix}"
    fine.write_bytes(_COMPRESSORS[suffix](raw))
    assert read_bytes(fine) == raw


def test_detect_inflates_only_the_head(tmp_path: Path) -> None:
    # 30 MB of blank space after the sheet names, and before the UN list's records.
    xlsx = rezip(
        shared(DFAT),
        tmp_path / "wide.xlsx",
        {"xl/workbook.xml": lambda x: x.replace(b"</workbook>", b" " * (30 * MiB) + b"</workbook>")},
    )
    gz = tmp_path / "UN_consolidated.xml.gz"
    un = shared(UN).read_bytes()
    root_end = un.index(b">", un.index(b"<CONSOLIDATED_LIST")) + 1
    gz.write_bytes(gzip.compress(un[:root_end] + b" " * (30 * MiB) + un[root_end:]))
    for path, expected in ((xlsx, "dfat-xlsx"), (gz, "un-xml")):
        found: list[str] = []

        def sniff(path: Path = path, found: list[str] = found) -> None:
            found.append(detect(path)[0])

        peak = _peak_bytes(sniff)
        assert found == [expected]
        assert peak < 4 * MiB, f"{path.name}: detect held {peak} bytes"


# ------------------------------------------------------------- plain files, devices


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "UN_consolidated.xml"
    os.mkfifo(fifo)
    with _within(5):
        with pytest.raises(SourceError, match=r"UN_consolidated\.xml: is a FIFO, not a regular file"):
            read_bytes(fifo)
        with pytest.raises(SourceError, match=r"is a FIFO, not a regular file"):
            detect(fifo)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_link_to_a_device_is_refused(tmp_path: Path, device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    link = tmp_path / "sdn.csv"
    link.symlink_to(device)
    with _within(5):
        with pytest.raises(SourceError, match=r"sdn\.csv: is a device, not a regular file; refusing"):
            read_bytes(link)
        with pytest.raises(SourceError, match=r"is a device"):
            detect(link)


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"is a directory, not a regular file"):
        read_bytes(tmp_path)


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    # A sparse file: 1 GiB + 1 byte long, no disk used. The real largest list here is 3.9 MB.
    big = tmp_path / "UN_consolidated.xml"
    with big.open("wb") as fh:
        fh.write(shared(UN).read_bytes()[:1000])
        fh.truncate(MAX_INPUT_BYTES + 1)

    def refused() -> None:
        with pytest.raises(SourceError, match=r"UN_consolidated\.xml: larger than 1 GiB; refusing"):
            read_bytes(big)

    start = time.monotonic()
    peak = _peak_bytes(refused)
    assert time.monotonic() - start < 2 and peak < MiB


def test_cli_refuses_a_device_in_one_line(tmp_path: Path) -> None:
    link = tmp_path / "UN_consolidated.xml"
    link.symlink_to("/dev/zero")
    for extra in ([], ["--format", "un-xml"]):
        with _within(20):
            code, _, stderr = run_cli("ingest", str(link), "--db", str(tmp_path / "db.duckdb"), *extra)
        lines = [line for line in stderr.splitlines() if line.strip()]
        assert code == 2, stderr
        assert len(lines) == 1 and "UN_consolidated.xml: is a device" in lines[0], stderr


# ------------------------------------------------------------------ archives of versions


def _acf_history() -> Path:
    if not ACF_HISTORY.exists():
        pytest.skip(f"real data not available: {ACF_HISTORY}")
    return ACF_HISTORY


def _drain(path: Path) -> None:
    for _ in iter_archive(path):
        pass


def test_archive_past_the_ratio_is_refused_naming_the_member(
    tmpdir_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The ACF history is 184:1 (125 MB from 678 kB); at a 100:1 limit it meets it mid-way.
    monkeypatch.setattr(ingest, "MAX_ARCHIVE_RATIO", 100)
    path = _acf_history()
    with pytest.raises(SourceError) as err:
        _drain(path)
    assert str(err.value).startswith(f"{path}: member ./acf_contributors_to_the_war_")
    assert "inflates more than 100 times its size" in str(err.value)
    assert str(tmpdir_env) not in str(err.value)
    assert list(tmpdir_env.iterdir()) == []


def test_archive_total_is_bounded_while_unpacking(tmpdir_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "MAX_ARCHIVE_BYTES", 10 * MiB)
    with pytest.raises(SourceError, match=r"\.tar\.xz: member \./acf_\S+\.csv: inflates to more than 10 MiB"):
        _drain(_acf_history())
    assert list(tmpdir_env.iterdir()) == []


def test_archive_member_larger_than_a_list_is_refused(
    tmpdir_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "MAX_INPUT_BYTES", MiB)
    with pytest.raises(
        SourceError, match=r"\.tar\.xz: member \./acf_\S+\.csv: \d+ bytes, more than a list may be"
    ):
        _drain(_acf_history())
    assert list(tmpdir_env.iterdir()) == []


def _sdn_archive(tmp_path: Path, cut: bool) -> Path:
    """A tar.xz of two real SDN versions; the second cut in half when `cut`."""
    archive = tmp_path / "sdn_history.tar.xz"
    with tarfile.open(archive, "w:xz", preset=0) as tar:
        for rel in (SDN_A, SDN_B):
            data = shared(rel).read_bytes()
            if cut and rel == SDN_B:
                data = data[: len(data) // 2]
            info = tarfile.TarInfo(Path(rel).name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return archive


def test_error_in_an_archived_version_names_archive_and_member(tmpdir_env: Path, tmp_path: Path) -> None:
    archive = _sdn_archive(tmp_path, cut=True)
    con = connect(tmp_path / "db.duckdb")
    with pytest.raises(SourceError) as err:
        ingest_paths(con, [archive], source="us_ofac_sdn")
    con.close()
    message = str(err.value)
    assert message.startswith(f"{archive}:sdn_2022-02-26.csv: "), message
    assert str(tmpdir_env) not in message and "reckon-unpack" not in message
    assert list(tmpdir_env.iterdir()) == []


def test_unpacked_folder_of_a_killed_process_is_swept(tmpdir_env: Path, tmp_path: Path) -> None:
    archive = _sdn_archive(tmp_path, cut=False)
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from reckon.ingest import iter_archive
        for member, path in iter_archive(Path({str(archive)!r})):
            print("unpacked", flush=True)
            time.sleep(60)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, env=os.environ | {"TMPDIR": str(tmpdir_env)}
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == b"unpacked\n"
        left = list(tmpdir_env.glob(f"reckon-unpack-{proc.pid}-*"))
        assert len(left) == 1  # a kill runs no cleanup: this much cannot be helped
    finally:
        proc.kill()
        proc.wait()
    members = [m for m, _ in iter_archive(archive)]  # the next replay sweeps it
    assert members == ["sdn_2022-02-23.csv", "sdn_2022-02-26.csv"]
    assert list(tmpdir_env.iterdir()) == []


# ------------------------------------------------------------------------ temporary files


def test_import_killed_mid_write_leaves_no_temporary_file(tmpdir_env: Path, tmp_path: Path) -> None:
    # The child stops inside bulk_insert, once the CSV for DuckDB is written, and is killed there.
    script = textwrap.dedent(
        f"""
        import csv, time
        from pathlib import Path
        import reckon.store.importer as importer
        from reckon.ingest import Job, ingest_one
        from reckon.store import connect

        real_writer = csv.writer

        class Writer:
            def __init__(self, fh, **kw):
                self.inner = real_writer(fh, **kw)
                self.fh = fh
            def writerows(self, rows):
                self.inner.writerows(rows)
                self.fh.flush()
                print("written", flush=True)
                time.sleep(60)

        importer.csv.writer = Writer
        con = connect(Path({str(tmp_path / "db.duckdb")!r}))
        ingest_one(con, Job(Path({str(shared(UN))!r})))
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        env=os.environ | {"TMPDIR": str(tmpdir_env)},
        cwd=REPO,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == b"written\n"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert list(tmpdir_env.iterdir()) == []


def test_failed_parquet_conversion_leaves_no_half_file(tmp_path: Path) -> None:
    part = tmp_path / "out.parquet.part.jsonl"
    part.write_text('{"row": 1, "id": "x", "status": "no_hits"}\n{"row": 2, "id": \n', encoding="utf-8")
    output = tmp_path / "out.parquet"
    with pytest.raises(duckdb.Error):
        batch._parquet_from_part(part, output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.parquet.part.jsonl"]


def test_interrupted_parquet_conversion_leaves_no_half_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C once DuckDB has written the file, before it is in place

    monkeypatch.setattr(batch.os, "replace", interrupted)
    part = tmp_path / "out.parquet.part.jsonl"
    part.write_text('{"row": 1, "id": "x", "status": "no_hits"}\n', encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        batch._parquet_from_part(part, tmp_path / "out.parquet")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.parquet.part.jsonl"]


def test_interrupted_checkpoint_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(batch.os, "replace", interrupted)
    ckpt = tmp_path / "out.csv.progress.json"
    with pytest.raises(KeyboardInterrupt):
        batch._write_checkpoint(ckpt, {"version": 1}, batch._State())
    assert list(tmp_path.iterdir()) == []
