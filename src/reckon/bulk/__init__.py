"""Screening files too large for one process: the local engine's scorer run by Apache Spark.

`reckon screen --engine spark --input big.parquet --output out/` screens every row of
the input with the same functions as `reckon screen --input` (reckon.batch: the readers'
row functions, `row_entity`, `screen_row`, the output lines), so that both engines give
the same rows; only who runs them differs. The index is built once from the store, on
the driver (the only process that reads the store), and shipped to the executors
(reckon.bulk.ship): a Spark broadcast, or a file on storage every executor reads. Each
Python worker builds its index from it once and keeps it for every partition it screens.

pyspark is imported by reckon.bulk.spark only, and only when that engine is asked for:
the base install neither needs nor loads it (`pip install 'reckon[spark]'` adds it).
"""

from __future__ import annotations

import importlib.util

INSTALL_HINT = "the Spark engine needs pyspark: pip install 'reckon[spark]'"


def spark_available() -> bool:
    """pyspark and pyarrow importable (without importing them)."""
    return all(importlib.util.find_spec(m) is not None for m in ("pyspark", "pyarrow"))
