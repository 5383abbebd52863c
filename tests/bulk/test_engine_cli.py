"""`reckon screen --engine`: fast checks that need no Spark (nor pyspark installed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import reckon.bulk
from tests.conftest import run_cli

DATA = Path(__file__).resolve().parent / "data"


def test_the_base_cli_never_imports_pyspark() -> None:
    code = (
        "import sys; from typer.testing import CliRunner; from reckon.cli import app; "
        "r = CliRunner().invoke(app, ['screen', '--help']); assert r.exit_code == 0, r.output; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('pyspark', 'pyarrow', 'pandas', 'py4j')); "
        "assert not bad, bad; assert '--engine' in r.output"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_spark_without_pyspark_is_one_line_naming_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reckon.bulk, "spark_available", lambda: False)
    code, _, err = run_cli(
        "screen", "--db", str(tmp_path / "none.duckdb"), "--input", str(DATA / "rows.csv"),
        "--output", str(tmp_path / "out"), "--engine", "spark",
    )  # fmt: skip
    assert code == 2
    assert "pip install 'reckon[spark]'" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "none.duckdb").exists()


def test_an_unknown_engine_is_refused(tmp_path: Path) -> None:
    code, _, err = run_cli(
        "screen", "--db", str(tmp_path / "none.duckdb"), "--input", str(DATA / "rows.csv"),
        "--output", str(tmp_path / "out"), "--engine", "dask",
    )  # fmt: skip
    assert code == 2 and "unknown --engine 'dask'" in err
