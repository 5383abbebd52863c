"""Signs that a file holds less than the whole list it stands for.

A complete version removes every record it does not list, so a file cut short (a
download that stopped, a disk that filled) would silently delist whoever was in the
missing part. Some formats say how they end or how much they hold; the parsers report
what they see, and `require_whole` refuses a complete version that fails it. A partial
version (a sample) removes nothing, so it is only warned about.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reckon.model import ListVersion
from reckon.sources.common import SourceError
from reckon.sources.ofac import require_end_marker


class Incomplete(str):
    """A parser's warning that the file contradicts what it declares (e.g. its record count).

    It is a `str` so that it is stored and compared as any other warning.
    """

    path: str
    where: str
    message: str

    def __new__(cls, path: str | Path, where: str, message: str) -> Incomplete:
        self = super().__new__(cls, message)
        self.path = str(path)
        self.where = where
        self.message = message
        return self


# Evidence that samples lack too, so a parser cannot report it as a fault of the file:
# checked only when a version is to be complete. Keyed by format.
_WHOLE_FILE_CHECKS: dict[str, Callable[[Path], None]] = {
    "ofac-legacy-csv": require_end_marker,
}


_SAMPLE_HINT = "import it with --partial if it is a sample"


def require_whole(path: Path, fmt: str, version: ListVersion) -> None:
    """Refuse, as a `SourceError`, a file that does not look like a whole list."""
    for warning in version.warnings:
        if isinstance(warning, Incomplete):
            raise SourceError(warning.path, warning.where, f"{warning.message}; {_SAMPLE_HINT}")
    check = _WHOLE_FILE_CHECKS.get(fmt)
    if check is not None:
        try:
            check(path)
        except SourceError as exc:
            raise SourceError(exc.path, exc.where, f"{exc.message}; {_SAMPLE_HINT}") from None
