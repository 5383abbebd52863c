"""The one error a list parser raises: kept apart from sources/common.py so that the CLI
can name it without importing lxml and the name tables (~0.1 s on every command)."""

from __future__ import annotations

from pathlib import Path


class SourceError(ValueError):
    """A list file that cannot be read. The message is one line naming file and place."""

    def __init__(self, path: str | Path, where: str | None, message: str) -> None:
        self.path = str(path)
        self.where = where
        self.message = " ".join(str(message).split())
        place = f": {where}" if where else ""
        super().__init__(f"{self.path}{place}: {self.message}")
