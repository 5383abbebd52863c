"""Ingest list files into the store: detect, parse, date, import.

This is the one library entry point behind `reckon ingest`; it ties the pure parsers
in `sources/` to the transactional importer in `store/`.
"""

from __future__ import annotations

import hashlib
import itertools
import lzma
import os
import shutil
import tarfile
import tempfile
import tomllib
import zlib
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from reckon.dates import iso_date
from reckon.model import ListVersion
from reckon.sources.common import (
    MAX_INPUT_BYTES,
    Inflation,
    SourceError,
    date_from_filename,
    paused_gc,
    read_bytes,
    regular_file,
)
from reckon.sources.completeness import require_whole
from reckon.sources.detect import identify
from reckon.sources.registry import get_source, parse_file
from reckon.store.importer import ImportResult, Progress, StoreError, find_version, import_version
from reckon.store.statements import StatementMemo

REPO_DATA = Path(__file__).resolve().parents[2] / "data"


@dataclass(frozen=True, slots=True)
class Job:
    """One list version to import."""

    path: Path
    fmt: str | None = None
    source: str | None = None
    date: str | None = None
    complete: bool = True
    history: bool = False  # an archive of past versions, replayed oldest first
    # A version known to remove more than the guard allows (a list that renumbered its
    # records: data/bundled.toml says which and why).
    allow_removals: bool = False


# A callback receiving (description, total records or None) for each job, returning a
# per-record progress callback. The CLI draws rich progress bars through it.
ProgressFactory = Callable[[str, int | None], Progress | None]


def content_sha256(path: Path) -> str:
    """SHA-256 of what a file says, decompressed: a .gz copy of a list is the same list."""
    h = hashlib.sha256()
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for f in files:
        if path.is_dir():
            h.update(f.name.removesuffix(".gz").encode())
        h.update(read_bytes(f))
    return h.hexdigest()


def version_date_for(published: str | None, path: Path, explicit: str | None) -> tuple[str, str]:
    """The date a version is filed under, and where it came from. Versions of a source are
    ordered by this date as text, so it must be a real ISO date (see reckon.dates)."""
    if explicit:
        try:
            return iso_date(explicit, "--date"), "option"
        except ValueError as exc:
            raise SourceError(path, None, str(exc)) from None
    if published:
        try:
            return iso_date(published, "the date the file states"), "file"
        except ValueError as exc:
            raise SourceError(path, None, str(exc)) from None
    # Fetched files sit in a folder named by the UTC time of the download.
    from_name = date_from_filename(path.name) or date_from_filename(path.parent.name)
    if from_name:
        return from_name, "filename"
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "imported"


def ingest_one(
    con: duckdb.DuckDBPyConnection,
    job: Job,
    *,
    progress: ProgressFactory | None = None,
    file_name: str | None = None,
    memo: StatementMemo | None = None,
    allow_removals: bool = False,
) -> ImportResult:
    """Import one list version; `allow_removals` lifts the limit on what it may remove."""
    fmt, source = identify(job.path, job.fmt, job.source)
    sha256 = content_sha256(job.path)
    if source is not None:
        # Known content is skipped before parsing: re-running an ingest costs a checksum.
        dup = find_version(con, source, sha256)
        if dup is not None:
            return dup
    with paused_gc():
        version = parse_file(job.path, fmt, source)
    return _import_parsed(con, job, fmt, version, sha256, progress, file_name, memo, allow_removals)


def _import_parsed(
    con: duckdb.DuckDBPyConnection,
    job: Job,
    fmt: str,
    version: ListVersion,
    sha256: str,
    progress: ProgressFactory | None,
    file_name: str | None,
    memo: StatementMemo | None,
    allow_removals: bool,
) -> ImportResult:
    """A parsed version checked, dated and imported: the step every way in shares."""
    if job.complete:
        require_whole(job.path, fmt, version)
    date, origin = version_date_for(version.published, job.path, job.date)
    tick = progress(f"{version.source} {date[:10]}", len(version.records)) if progress else None
    with paused_gc():
        return import_version(
            con,
            version,
            sha256=sha256,
            file_name=file_name or job.path.name,
            version_date=date,
            date_origin=origin,
            complete=job.complete,
            allow_removals=allow_removals,
            progress=tick,
            memo=memo,
        )


def import_mapped(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    mapping: Path,
    *,
    source: str | None = None,
    date: str | None = None,
    complete: bool = True,
    allow_removals: bool = False,
    progress: ProgressFactory | None = None,
) -> ImportResult:
    """Import one version of a candidates dataset read through a user's mapping file.

    The source must be registered as `kind = "allegations"`: the registry is what status,
    gaps and profiles consult to keep allegations apart from sanctions, so a dataset it
    does not know would be counted as neither.
    """
    from reckon.sources.tabular import load_mapping, parse_mapped

    spec = load_mapping(mapping)
    name = source or spec.source
    try:
        entry = get_source(name)
    except KeyError:
        raise SourceError(
            mapping,
            "dataset.source",
            f'{name!r} is not in registry.toml; register it with kind = "allegations"',
        ) from None
    # A dataset of companies' stances (kind "companies") comes in the same way.
    if entry.kind not in ("allegations", "companies"):
        raise SourceError(mapping, "dataset.source", f"{name} is a sanctions list, not a candidates dataset")
    if not path.exists():
        raise SourceError(path, None, "no such file or directory")
    sha256 = content_sha256(path)
    joined = path.parent / spec.join.file if spec.join is not None else None
    if joined is not None and joined.exists():
        # The joined table is part of the version: a new one (new grades) is a new version.
        sha256 = hashlib.sha256(f"{sha256}+{content_sha256(joined)}".encode()).hexdigest()
    dup = find_version(con, name, sha256)
    if dup is not None:
        return dup
    with paused_gc():
        version = parse_mapped(path, spec, name)
    job = Job(path, version.format, name, date, complete)
    return _import_parsed(con, job, version.format, version, sha256, progress, None, None, allow_removals)


# What replaying an archive may unpack. Measured: the SDN history (308 versions,
# 2021-08 to 2024-05) unpacks to 879 MB from 2.7 MB of tar.xz, 324:1 (successive versions
# differ little and xz finds the repeats; its largest member 3.9 MB); the ACF history
# 125 MB from 678 kB, 184:1. 4 GiB leaves the SDN history room for 4 times its versions,
# 1000:1 three times its ratio; each member is a list file, at most MAX_INPUT_BYTES.
MAX_ARCHIVE_BYTES = 4 << 30
MAX_ARCHIVE_RATIO = 1000
_UNPACK_PREFIX = "reckon-unpack-"


def iter_archive(path: Path) -> Generator[tuple[str, Path], None, None]:
    """Members of a tar archive of list versions, in name (= date) order, as files.

    A compressed tar can only be read front to back and its members need not be in
    date order, so they are unpacked to a temporary folder first (the SDN history is
    ~880 MB unpacked), then handed out sorted by name and deleted once imported; the
    folder goes when the generator is closed or fails. Sizes are checked as they unpack,
    and errors name the archive and member, never the temporary copy.
    """
    fd = regular_file(path)
    with os.fdopen(fd, "rb") as raw, _unpack_folder() as tmp:
        budget = Inflation(path, os.fstat(fd).st_size, limit=MAX_ARCHIVE_BYTES, ratio=MAX_ARCHIVE_RATIO)
        unpacked: list[tuple[str, Path]] = []
        where = "tar"
        try:
            with tarfile.open(fileobj=raw, mode="r|*") as tar:
                for i, m in enumerate(tar):
                    name = Path(m.name).name
                    if not m.isfile() or not name or name.startswith("."):
                        continue
                    where = f"member {m.name}"
                    if m.size > MAX_INPUT_BYTES:
                        raise SourceError(path, where, f"{m.size} bytes, more than a list may be; refusing")
                    fh = tar.extractfile(m)
                    if fh is None:
                        continue
                    # Keep the member's own file name (it carries the date), in a folder
                    # of its own so that equal names in different folders cannot collide.
                    target = Path(tmp) / str(i) / name
                    target.parent.mkdir()
                    with target.open("wb") as out:
                        while chunk := fh.read(1 << 20):
                            budget.add(len(chunk), where)
                            out.write(chunk)
                    unpacked.append((m.name, target))
                    where = "tar"
        except (tarfile.TarError, EOFError, lzma.LZMAError, zlib.error) as exc:
            raise SourceError(path, where, f"corrupt or truncated archive ({exc})") from exc
        except OSError as exc:
            # Reading the archive or writing the copy (a full disk): say which, not where to.
            raise SourceError(path, where, f"cannot unpack ({exc.strerror or exc})") from exc
        if not unpacked:
            raise SourceError(path, "tar", "archive holds no list files")
        for member, target in sorted(unpacked, key=lambda mt: (Path(mt[0]).name, mt[0])):
            try:
                yield member, target
            finally:
                target.unlink(missing_ok=True)


@contextmanager
def _unpack_folder() -> Iterator[str]:
    """A temporary folder named by this process, first removing those of dead ones.

    A process killed outright (SIGKILL, the OOM killer) runs no cleanup and would leave
    up to MAX_ARCHIVE_BYTES behind; the next replay removes it. Only folders of this
    user whose process is gone are touched.
    """
    root = Path(tempfile.gettempdir())
    for stale in root.glob(f"{_UNPACK_PREFIX}*"):
        pid = stale.name.removeprefix(_UNPACK_PREFIX).split("-", 1)[0]
        try:
            if stale.is_symlink() or stale.lstat().st_uid != os.getuid() or not pid.isdigit():
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(stale, ignore_errors=True)
        except OSError:
            continue  # alive under another user, or vanished meanwhile
    with tempfile.TemporaryDirectory(prefix=f"{_UNPACK_PREFIX}{os.getpid()}-") as tmp:
        yield tmp


@contextmanager
def _member_errors(archive: Path, member: str, unpacked: Path) -> Iterator[None]:
    """An error about an unpacked member names `archive:member`, not its temporary copy."""
    try:
        yield
    except SourceError as exc:
        if exc.path != str(unpacked):
            raise
        raise SourceError(f"{archive}:{member}", exc.where, exc.message) from exc


def ingest_archive(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    fmt: str | None = None,
    source: str | None = None,
    allow_removals: bool = False,
    progress: ProgressFactory | None = None,
) -> list[ImportResult]:
    """Replay every version in an archive, oldest first; one transaction per version."""
    return list(_replay(con, path, fmt, source, allow_removals, progress))


def _replay(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    fmt: str | None,
    source: str | None,
    allow_removals: bool,
    progress: ProgressFactory | None,
) -> Iterator[ImportResult]:
    """The versions of an archive imported one by one, each handed out once committed."""
    memo = StatementMemo()
    with closing(iter_archive(path)) as members:  # closed at once on failure: no temp files wait
        first = next(members)  # unpacks the archive
        tick = progress(f"{path.name[:24]} versions", None) if progress else None
        for member, tmp in itertools.chain([first], members):
            job = Job(tmp, fmt, source)
            with _member_errors(path, member, tmp):
                result = ingest_one(
                    con, job, file_name=f"{path.name}:{member}", memo=memo, allow_removals=allow_removals
                )
            yield result
            if tick:
                tick(1)


def is_archive(path: Path) -> bool:
    low = path.name.lower()
    return path.is_file() and any(low.endswith(s) for s in (".tar", ".tar.xz", ".tar.gz", ".tgz", ".tar.bz2"))


def check_paths(paths: list[Path], *, fmt: str | None = None, source: str | None = None) -> None:
    """Refuse files that are missing or not what the caller says, before any is imported.

    A file's completeness is only known once it is parsed, and an archive's versions
    once it is unpacked: those are checked as each is imported.
    """
    if source is not None:
        get_source(source)  # raises with the list of known names
    for path in paths:
        if not path.exists():
            raise SourceError(path, None, "no such file or directory")
        if not is_archive(path):
            identify(path, fmt, source)


def ingest_paths(
    con: duckdb.DuckDBPyConnection,
    paths: list[Path],
    *,
    fmt: str | None = None,
    source: str | None = None,
    date: str | None = None,
    complete: bool = True,
    allow_removals: bool = False,
    progress: ProgressFactory | None = None,
    imported: list[ImportResult] | None = None,
) -> list[ImportResult]:
    """Import list files, archives of versions and OFAC CSV folders, in the order given.

    Every file is checked (it exists, it is the format and source named) before any is
    imported; then each version is imported in its own transaction. When one fails, the
    versions before it stay imported and the error names them. `imported`, if given,
    receives each result as soon as it is committed, so a caller knows what to refresh
    (the screening index) even when a later file fails; a failure also names what that
    list held before the call.
    """
    check_paths(paths, fmt=fmt, source=source)
    done = imported if imported is not None else []
    start = len(done)
    with _naming_imported(done):
        for path in paths:
            if is_archive(path):
                done.extend(_replay(con, path, fmt, source, allow_removals, progress))
            else:
                job = Job(path, fmt, source, date, complete)
                done.append(
                    ingest_one(
                        con, job, progress=progress, allow_removals=allow_removals or job.allow_removals
                    )
                )
    return done[start:]


@contextmanager
def _naming_imported(done: list[ImportResult]) -> Iterator[None]:
    """A failure's message also says which versions were imported before it, and kept."""
    try:
        yield
    except (SourceError, StoreError) as exc:
        kept = _summary([r for r in done if not r.skipped])
        if not kept:
            raise
        note = f"imported before this failure, and kept: {kept}"
        if isinstance(exc, SourceError):
            raise SourceError(exc.path, exc.where, f"{exc.message}; {note}") from exc
        raise StoreError(f"{exc}; {note}") from exc


def _summary(results: list[ImportResult]) -> str:
    """Imported versions in a few words: one source's replay of many versions is one item."""
    by_source: dict[str, list[ImportResult]] = {}
    for r in results:
        by_source.setdefault(r.source, []).append(r)
    items = []
    for source, runs in by_source.items():
        if len(runs) == 1:
            items.append(f"{source} {runs[0].version_date} ({runs[0].records:,} records)")
        else:
            items.append(f"{source} {len(runs)} versions {runs[0].version_date} .. {runs[-1].version_date}")
    return ", ".join(items)


# ------------------------------------------------------------------------- bundled data


def bundled_jobs(data_dir: Path = REPO_DATA) -> list[Job]:
    """The list snapshots shipped in the repo, as listed in data/bundled.toml."""
    manifest = data_dir / "bundled.toml"
    entries = tomllib.loads(manifest.read_text(encoding="utf-8"))["file"]
    return [
        Job(
            path=data_dir / e["path"],
            fmt=e.get("format"),
            source=e.get("source"),
            date=e.get("date"),
            complete=e.get("complete", True),
            history=e.get("history", False),
            allow_removals=e.get("allow_removals", False),
        )
        for e in entries
    ]


def ingest_bundled(
    con: duckdb.DuckDBPyConnection,
    *,
    data_dir: Path = REPO_DATA,
    history: bool = True,
    allow_removals: bool = False,
    progress: ProgressFactory | None = None,
    imported: list[ImportResult] | None = None,
) -> list[ImportResult]:
    """Import the shipped snapshots; `history=False` skips the SDN replay (~3 min).

    As `ingest_paths`, one transaction per version; `imported` receives each result.
    """
    done = imported if imported is not None else []
    start = len(done)
    with _naming_imported(done):
        for job in bundled_jobs(data_dir):
            if job.history and not history:
                continue
            if is_archive(job.path):
                done.extend(_replay(con, job.path, job.fmt, job.source, allow_removals, progress))
            else:
                done.append(
                    ingest_one(
                        con, job, progress=progress, allow_removals=allow_removals or job.allow_removals
                    )
                )
    return done[start:]
