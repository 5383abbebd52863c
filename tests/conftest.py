"""Shared fixtures: where the real list files live, and a fresh store per test."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

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
