"""Ingest list files into the store: detect, parse, date, import.

This is the one library entry point behind `reckon ingest`; it ties the pure parsers
in `sources/` to the transactional importer in `store/`.
"""

from __future__ import annotations

import hashlib
import tarfile
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from reckon.sources.common import SourceError, date_from_filename
from reckon.sources.detect import detect
from reckon.sources.registry import get_source, parse_file, sources
from reckon.store.importer import ImportResult, Progress, import_version

REPO_DATA = Path(__file__).resolve().parents[2] / "data"


@dataclass(frozen=True, slots=True)
class Job:
    """One list version to import."""

    path: Path
    fmt: str | None = None
    source: str | None = None
    date: str | None = None
    complete: bool = True


# A callback receiving (description, total records or None) for each job, returning a
# per-record progress callback. The CLI draws rich progress bars through it.
ProgressFactory = Callable[[str, int | None], Progress | None]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for f in files:
        if path.is_dir():
            h.update(f.name.encode())
        with f.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


def version_date_for(
    published: str | None, path: Path, explicit: str | None
) -> tuple[str, str]:
    """The date a version is filed under, and where it came from."""
    if explicit:
        return explicit, "option"
    if published:
        return published, "file"
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
) -> ImportResult:
    fmt, detected_source = (job.fmt, job.source) if job.fmt else detect(job.path)
    source = job.source or detected_source
    if source is not None:
        get_source(source)
    version = parse_file(job.path, fmt, source)
    date, origin = version_date_for(version.published, job.path, job.date)
    tick = progress(f"{version.source} {date[:10]}", len(version.records)) if progress else None
    return import_version(
        con,
        version,
        sha256=file_sha256(job.path),
        file_name=file_name or job.path.name,
        version_date=date,
        date_origin=origin,
        complete=job.complete,
        progress=tick,
    )


def iter_archive(path: Path) -> Iterator[tuple[str, Path]]:
    """Members of a tar archive of list versions, oldest first, each as a temporary file.

    The history archive unpacks to ~840 MB, so members are extracted one at a time.
    """
    try:
        with tarfile.open(path, "r:*") as tar, tempfile.TemporaryDirectory(prefix="reckon-") as tmp:
            members = sorted((m for m in tar.getmembers() if m.isfile()), key=lambda m: m.name)
            if not members:
                raise SourceError(path, "tar", "archive holds no files")
            for m in members:
                name = Path(m.name).name
                if not name or name.startswith(".") or "/" in name:
                    continue
                fh = tar.extractfile(m)
                if fh is None:
                    continue
                target = Path(tmp) / name
                target.write_bytes(fh.read())
                try:
                    yield m.name, target
                finally:
                    target.unlink(missing_ok=True)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise SourceError(path, "tar", f"corrupt or truncated archive ({exc})") from exc


def ingest_archive(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    fmt: str | None = None,
    source: str | None = None,
    progress: ProgressFactory | None = None,
) -> list[ImportResult]:
    results = []
    for member, tmp in iter_archive(path):
        job = Job(tmp, fmt, source)
        results.append(ingest_one(con, job, progress=progress, file_name=f"{path.name}:{member}"))
    return results


def is_archive(path: Path) -> bool:
    low = path.name.lower()
    return path.is_file() and any(low.endswith(s) for s in (".tar", ".tar.xz", ".tar.gz", ".tgz", ".tar.bz2"))


def ingest_paths(
    con: duckdb.DuckDBPyConnection,
    paths: list[Path],
    *,
    fmt: str | None = None,
    source: str | None = None,
    date: str | None = None,
    complete: bool = True,
    progress: ProgressFactory | None = None,
) -> list[ImportResult]:
    if source is not None and source not in sources():
        get_source(source)  # raises with the list of known names
    results: list[ImportResult] = []
    for path in paths:
        if not path.exists():
            raise SourceError(path, None, "no such file or directory")
        if is_archive(path):
            results.extend(ingest_archive(con, path, fmt=fmt, source=source, progress=progress))
        else:
            results.append(ingest_one(con, Job(path, fmt, source, date, complete), progress=progress))
    return results


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
        )
        for e in entries
    ]


def ingest_bundled(
    con: duckdb.DuckDBPyConnection,
    *,
    data_dir: Path = REPO_DATA,
    progress: ProgressFactory | None = None,
) -> list[ImportResult]:
    results: list[ImportResult] = []
    for job in bundled_jobs(data_dir):
        if is_archive(job.path):
            results.extend(ingest_archive(con, job.path, fmt=job.fmt, source=job.source, progress=progress))
        else:
            results.append(ingest_one(con, job, progress=progress))
    return results
