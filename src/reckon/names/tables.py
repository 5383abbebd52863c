"""The name tables under src/reckon/data/names: tab-separated, a header row, `#` comments."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache


def tsv_rows(file_name: str) -> Iterator[dict[str, str]]:
    """Each data row of `data/names/<file_name>` as a dict keyed by the header's columns."""
    # Imported here: importlib.resources costs ~20 ms at import and is needed only now.
    from importlib import resources

    text = resources.files("reckon.data").joinpath(f"names/{file_name}").read_text(encoding="utf-8")
    header: list[str] | None = None
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        yield dict(zip(header, cells, strict=False))


@cache
def country_table() -> dict[str, str]:
    """`data/countries.tsv`: country names, demonyms and codes (lower case) -> ISO 3166-1
    alpha-2 code. Shared by the importers (country_code) and the name rules (places)."""
    from importlib import resources

    text = resources.files("reckon.data").joinpath("countries.tsv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        name, code = line.split("\t", 1)
        table[name] = code.strip()
    return table
