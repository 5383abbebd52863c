"""The bundled lists, resolved (bench.screening.bundled_store), copied once per test run
and read-only: the control graph is read from real relations only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from reckon.control import ControlGraph, load_graph
from tests.conftest import resolved_bundle_copy


@pytest.fixture(scope="package")
def bundled_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return resolved_bundle_copy(tmp_path_factory, "control")


@pytest.fixture(scope="package")
def bundled_con(bundled_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(bundled_path), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="package")
def graph(bundled_con: duckdb.DuckDBPyConnection) -> ControlGraph:
    return load_graph(bundled_con)


def record_entity(graph: ControlGraph, key: str) -> str:
    return graph.entity_of.get(key, key)
