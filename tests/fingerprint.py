"""A store's fingerprint: every table's row count and a hash of its rows.

Tests of refused input compare the fingerprint before and after: "the database as it
was" means every table, not only what `reckon lists` shows.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb


def fingerprint(store: Path) -> dict[str, tuple[int, str]]:
    """{table: (rows, sha256 of the rows in a fixed order)} of a reckon store file."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        tables = [
            str(t[0])
            for t in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
            ).fetchall()
        ]
        out: dict[str, tuple[int, str]] = {}
        for table in tables:
            cols = [
                str(c[0])
                for c in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                    "ORDER BY ordinal_position",
                    [table],
                ).fetchall()
            ]
            order = ", ".join(f'"{c}"' for c in cols)
            h = hashlib.sha256()
            n = 0
            for row in con.execute(f'SELECT * FROM "{table}" ORDER BY {order}').fetchall():
                h.update(repr(row).encode())
                n += 1
            out[table] = (n, h.hexdigest())
        return out
    finally:
        con.close()
