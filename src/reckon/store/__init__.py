"""The DuckDB store: list versions, statements with provenance, change history."""

from reckon.store.importer import ImportResult, StoreError, import_version
from reckon.store.schema import connect, db_path

__all__ = ["ImportResult", "StoreError", "connect", "db_path", "import_version"]
