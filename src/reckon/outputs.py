"""Files that commands write: never the store, never an input, never half a file.

Paths are compared as files (device and inode), not as text, so that a store or input
reached through a symlink, a hard link or `..` is recognised as itself. Outputs are
written to a temporary file beside the target and renamed into place: a failure
leaves the old file as it was and no partial one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

_F = TypeVar("_F", bound=IO[Any])


class OutputError(ValueError):
    """An output path that must not be written; the message names it, in one line."""


def same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # either does not exist
        return False


def store_files(store: Path) -> list[Path]:
    """The store and the files DuckDB keeps beside it."""
    return [store, store.with_name(store.name + ".wal")]


def check_output(path: Path, *, store: Path | None = None, inputs: Iterable[Path] = ()) -> None:
    """Refuse an output that is a directory, sits in a missing folder, or is the store
    or an input by any name."""
    if path.is_dir():
        raise OutputError(f"{path}: is a directory; give a file name")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{path}: folder {parent} does not exist")
    if store is not None and any(same_file(path, f) for f in store_files(store)):
        raise OutputError(f"{path}: is the store itself; refusing to overwrite it")
    for given in inputs:
        if same_file(path, given):
            raise OutputError(f"{path}: is the input {given}; refusing to overwrite it")


@contextmanager
def atomic_output(path: Path, *, newline: str | None = None) -> Iterator[IO[str]]:
    """A text file that appears at `path` only once complete (UTF-8)."""
    with _staged(path, lambda fd: os.fdopen(fd, "w", encoding="utf-8", newline=newline)) as fh:
        yield fh


@contextmanager
def atomic_binary_output(path: Path) -> Iterator[IO[bytes]]:
    """A binary file (a PDF, an image) that appears at `path` only once complete."""
    with _staged(path, lambda fd: os.fdopen(fd, "wb")) as fh:
        yield fh


@contextmanager
def _staged(path: Path, open_: Callable[[int], _F]) -> Iterator[_F]:
    parent = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        fh = open_(fd)
        with fh:  # `with open_(fd) as fh` would type fh as IO[Any], not the caller's kind
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    # mkstemp creates 0600; an output should get the permissions any new file would.
    mask = os.umask(0)
    os.umask(mask)
    return mask
