"""Shared fixtures: where the real list files live, and a fresh store per test."""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import duckdb

    from reckon.match.index import Index

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("RECKON_SHARED_DATA", REPO.parent / "shared" / "data"))
LISTS = SHARED_DATA / "lists"
BUNDLED = REPO / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared(relpath: str) -> Path:
    """A real file from ../shared/data/lists; the test is skipped if the folder is absent."""
    path = LISTS / relpath
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    return path


@pytest.fixture
def lists_dir() -> Path:
    if not LISTS.exists():
        pytest.skip(f"real data not available: {LISTS}")
    return LISTS


def rezip(src: Path, dst: Path, edits: dict[str, Callable[[bytes], bytes]]) -> Path:
    """A copy of a real zip-based file (xlsx, ods, zip) with some members edited."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, edits[info.filename](data) if info.filename in edits else data)
    return dst


def ingested(path: Path, relpaths: list[str]) -> Path:
    """A store at `path` holding the real files `relpaths` (of ../shared/data/lists)."""
    from reckon.ingest import ingest_paths
    from reckon.store import connect

    con = connect(path)
    ingest_paths(con, [shared(f) for f in relpaths])
    con.close()
    return path


def memory_index(store: Path) -> Index:
    """The in-memory screening index of a store, as `reckon screen --input` builds it."""
    import duckdb

    from reckon.screening import load_index

    con = duckdb.connect(str(store), read_only=True)
    try:
        return load_index(con)
    finally:
        con.close()


def open_copy(template: Path, path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a copy of `template` (a store built once per module), closed after."""
    from reckon.store import connect

    shutil.copy(template, path)
    con = connect(path)
    yield con
    con.close()


def resolved_bundle() -> Path:
    """The resolved bundle tests read: $RECKON_EVAL_STORE, else the one bench/screening.py
    builds once into bench/results/ (every bundled list, the SDN list as its newest snapshot;
    ~2 minutes, under a lock, so test workers build it once). Never written: copy it."""
    from bench.annotate import ensure_store

    given = os.environ.get("RECKON_EVAL_STORE")
    return ensure_store(Path(given) if given else None)


def resolved_bundle_copy(factory: pytest.TempPathFactory, name: str) -> Path:
    """A copy of `resolved_bundle()` of the test's own, which it may write to (a cache)."""
    copy = factory.mktemp(name) / "bundled.duckdb"
    shutil.copyfile(resolved_bundle(), copy)
    return copy


def run_cli(*args: str) -> tuple[int, str, str]:
    """`reckon ARGS…` in process: exit code, stdout, stderr."""
    from typer.testing import CliRunner

    from reckon.cli import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr
