"""Snapshots of the store for `reckon serve`: the server reads a copy, never the store.

DuckDB lets one process write a file or several read it, never both. A server that kept
the store open would lock `reckon ingest` out for as long as it runs. So the server copies
the store into `<store>.serve/<generation>.duckdb` while it holds a read-only connection
on the store (no writer can be half-way through a transaction then), lets the store go,
and reads the copy. A copy is named by the store's state (size, mtime and inode of the file
and of its `.wal`): the workers of one server share a copy, and only one makes it.

Three kinds of `flock` keep several processes honest:
- `<folder>/lock`, held exclusively while a process copies, looks for a copy, or removes
  copies: one copy per generation, and no copy removed while another process opens it;
- each copy in use is held shared by every process that reads it (`Snapshot.fd`): a copy
  nobody holds is removed by `sweep` (after a reload, at shutdown, or left by a killed server);
- `<folder>/turn`, held exclusively by the one worker loading (and warming) a new generation
  (`Snapshots.turn`): workers reload in turns, the others answering at full speed meanwhile.

Beware POSIX record locks (DuckDB's): closing *any* descriptor of a file drops the locks this
process holds on it. The copy therefore keeps its descriptors of the store open until the
read-only connection is closed.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from reckon.store import StoreError, connect

SUFFIX = ".duckdb"
TURN = "turn"  # the file whose flock says which worker loads a new generation now


def wal_of(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def folder_of(store: Path) -> Path:
    """Where the copies of `store` go: beside it, so that they are on the same disk."""
    return store.with_name(store.name + ".serve")


@dataclass(frozen=True, slots=True)
class Stamp:
    """A store's state as the file system shows it: (size, mtime ns, inode) of the file and
    of its write-ahead log, if any. Any write changes it."""

    file: tuple[int, int, int]
    wal: tuple[int, int, int] | None

    @property
    def generation(self) -> str:
        """A name for this state that sorts by time: `20261207T061530-1a2b3c4d`."""
        when = datetime.fromtimestamp(self.file[1] / 1e9, UTC).strftime("%Y%m%dT%H%M%S")
        digest = hashlib.sha256(repr((self.file, self.wal)).encode()).hexdigest()[:8]
        return f"{when}-{digest}"


def _triple(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def stamp(store: Path) -> Stamp | None:
    """The store's state, or None if it is missing."""
    file = _triple(store)
    return None if file is None else Stamp(file, _triple(wal_of(store)))


class Busy(Exception):
    """A writer holds the store: try again later."""


@dataclass(slots=True)
class Snapshot:
    """One copy of the store, held (shared flock) by this process until `release`."""

    path: Path
    stamp: Stamp  # of the store it copied
    fd: int | None

    @property
    def generation(self) -> str:
        return self.stamp.generation

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # drops the shared flock
            self.fd = None


@dataclass(slots=True)
class Snapshots:
    """The copies of one store, shared by every process serving it."""

    store: Path
    folder: Path

    @classmethod
    def beside(cls, store: Path, folder: Path | None = None) -> Snapshots:
        return cls(store, folder or folder_of(store))

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """The folder's lock, exclusively. A lock file removed by `close` while this process
        waited for it is opened again (the inode held must be the one the path names)."""
        try:
            self.folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"{self.folder}: cannot make the folder for the server's copies of the store "
                f"({exc.strerror}); set RECKON_API_SNAPSHOTS to a writable folder"
            ) from None
        lock = self.folder / "lock"
        while True:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    same = os.fstat(fd).st_ino == lock.stat().st_ino
                except FileNotFoundError:
                    same = False
            except BaseException:
                os.close(fd)
                raise
            if same:
                break
            os.close(fd)
        try:
            yield
        finally:
            os.close(fd)

    def take(self) -> Snapshot:
        """A copy of the store as it is now, held by this process: made now, or found if
        another worker made it. `Busy` if a writer holds the store; StoreError if it is not
        a store that can be read."""
        with self._locked():
            before = stamp(self.store)
            if before is None:
                raise StoreError(f"{self.store}: no reckon store here")
            path = self.folder / f"{before.generation}{SUFFIX}"
            if path.exists():
                return self._hold(path, before)
            return self._hold(*self._copy())

    def _copy(self) -> tuple[Path, Stamp]:
        """Copy the store (and its .wal) under a read-only connection, so that no writer
        is in the middle of a transaction; return the copy's path."""
        try:
            con = connect(self.store, read_only=True, create=False, wait=0)
        except StoreError as exc:
            if "in use by" in str(exc):
                raise Busy(str(exc)) from None
            raise
        fds: list[int] = []
        try:
            held = stamp(self.store)
            assert held is not None  # the connection holds it
            path = self.folder / f"{held.generation}{SUFFIX}"
            if path.exists():
                return path, held
            tmp = self.folder / f".{held.generation}.{os.getpid()}.tmp"
            pairs = [(self.store, tmp)]
            if held.wal is not None:
                pairs.append((wal_of(self.store), wal_of(tmp)))
            for source, target in pairs:
                src = os.open(source, os.O_RDONLY | os.O_CLOEXEC)
                fds.append(src)  # closed after the connection: see the module's note
                _copy_fd(src, target)
            if held.wal is not None:
                os.replace(wal_of(tmp), wal_of(path))
            os.replace(tmp, path)
            return path, held
        finally:
            con.close()
            for fd in fds:
                os.close(fd)

    def turn(self) -> int | None:
        """This process's turn to load a new generation, held (an exclusive flock on
        `<folder>/turn`) until the descriptor returned is closed; None while another
        process has its turn. The workers of one server load a new state one after the
        other, so that the others answer at full speed meanwhile."""
        self.folder.mkdir(exist_ok=True)
        path = self.folder / TURN
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            # A file removed by `close` meanwhile is no turn: the path must name the inode held.
            if os.fstat(fd).st_ino == path.stat().st_ino:
                return fd
        except (BlockingIOError, FileNotFoundError):
            pass
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
        return None

    def _hold(self, path: Path, of: Stamp) -> Snapshot:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        fcntl.flock(fd, fcntl.LOCK_SH)
        return Snapshot(path, of, fd)

    def sweep(self) -> list[str]:
        """Remove every copy no process holds (and copies half made by a process that is
        gone); the generations removed."""
        if not self.folder.is_dir():
            return []
        removed = []
        with self._locked():
            for path in sorted(self.folder.iterdir()):
                name = path.name
                if name.endswith(SUFFIX) and _unused(path):
                    _unlink(wal_of(path))
                    _unlink(path)
                    removed.append(name.removesuffix(SUFFIX))
                elif name.startswith(".") and name.endswith((".tmp", ".tmp.wal")):
                    pid = name.split(".")[-2 if name.endswith(".tmp") else -3]
                    if pid.isdigit() and not _alive(int(pid)):
                        _unlink(path)
        return removed

    def close(self) -> None:
        """Remove the copies no process holds; the folder too once nothing is left in it."""
        self.sweep()
        try:
            with self._locked():
                left = [p.name for p in self.folder.iterdir() if p.name not in ("lock", TURN)]
                if not left:
                    _unlink(self.folder / TURN)
                    _unlink(self.folder / "lock")
                    self.folder.rmdir()
        except (OSError, StoreError):
            pass


def _copy_fd(src: int, target: Path) -> None:
    size = os.fstat(src).st_size
    out = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
    try:
        offset = 0
        while offset < size:
            sent = os.sendfile(out, src, offset, min(size - offset, 1 << 30))
            if sent == 0:
                break
            offset += sent
    finally:
        os.close(out)


def _unused(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
            return False
        raise
    finally:
        os.close(fd)
    return True


def _unlink(path: Path) -> None:
    path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
