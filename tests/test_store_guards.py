"""The store is never lost to a command: outputs, read commands, missing or foreign
stores, strict dates, unknown sources, locks, and taking back a version.

Each case runs the CLI as a user would and checks the exit code, the one-line message
and that the store is as it was: every table (tests/fingerprint.py) and, for read
commands, the file's very bytes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from reckon.outputs import atomic_output
from tests.conftest import BUNDLED, run_cli, shared
from tests.fingerprint import fingerprint

UN_OLD = "un/UN_consolidated_2025-11-20.xml"
UN_NEW = "un/UN_consolidated_2026-02-27.xml"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the real UN list, two versions, built once for the module."""
    path = tmp_path_factory.mktemp("guards") / "template.duckdb"
    for f in (UN_OLD, UN_NEW):
        code, _, stderr = run_cli("ingest", str(shared(f)), "--db", str(path), "--json")
        assert code == 0, stderr
    return path


@pytest.fixture
def store(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store.duckdb"
    shutil.copy(template, path)
    return path


def _bytes(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line_error(code: int, stderr: str, *needles: str) -> None:
    assert code == 2, stderr
    text = " ".join(stderr.split())
    assert "Traceback" not in stderr and "internal error" not in stderr
    for needle in needles:
        assert needle in text, text


# ---------------------------------------------------------------- outputs


def test_export_onto_the_store_by_any_name_is_refused(store: Path, tmp_path: Path) -> None:
    before = fingerprint(store)
    link = tmp_path / "link.json"
    link.symlink_to(store)
    hard = tmp_path / "hard.json"
    os.link(store, hard)
    (tmp_path / "sub").mkdir()
    for target in (store, link, hard, tmp_path / "sub" / ".." / store.name):
        code, _, stderr = run_cli("export", "-o", str(target), "--db", str(store))
        _one_line_error(code, stderr, "is the store itself")
    assert fingerprint(store) == before
    assert link.is_symlink()


def test_judgements_export_onto_the_store_is_refused(store: Path) -> None:
    before = _bytes(store)
    code, _, stderr = run_cli("judgements", "export", str(store), "--db", str(store))
    _one_line_error(code, stderr, "is the store itself")
    assert _bytes(store) == before


def test_batch_output_onto_the_store_or_the_input_is_refused(store: Path, tmp_path: Path) -> None:
    rows = tmp_path / "in.csv"
    rows.write_text("id,name\n1,Ayman al-Zawahiri\n", encoding="utf-8")
    before = fingerprint(store)
    code, _, stderr = run_cli("screen", "--input", str(rows), "--output", str(store), "--db", str(store))
    _one_line_error(code, stderr, "is the store itself")
    other = tmp_path / "same-rows.csv"
    os.link(rows, other)
    code, _, stderr = run_cli("screen", "--input", str(rows), "--output", str(other), "--db", str(store))
    _one_line_error(code, stderr, "is the input")
    assert rows.read_text(encoding="utf-8").startswith("id,name")
    assert fingerprint(store) == before


def test_output_in_a_missing_folder_or_a_directory_is_one_line(store: Path, tmp_path: Path) -> None:
    before = sorted(p.name for p in tmp_path.iterdir())
    code, _, stderr = run_cli("export", "-o", str(tmp_path / "nowhere" / "x.json"), "--db", str(store))
    _one_line_error(code, stderr, "does not exist")
    assert not (tmp_path / "nowhere").exists()  # no folder made, no half file left
    code, _, stderr = run_cli("export", "-o", str(tmp_path), "--db", str(store))
    _one_line_error(code, stderr, "is a directory")
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_failed_write_leaves_the_old_file_and_no_part(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("the old export\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_output(target) as fh:
        fh.write("half of a new one")
        raise RuntimeError("disk full")
    assert target.read_text(encoding="utf-8") == "the old export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_export_replaces_the_file_whole(store: Path, tmp_path: Path) -> None:
    target = tmp_path / "un.json"
    target.write_text("x" * 10_000_000, encoding="utf-8")
    code, _, stderr = run_cli("export", "-o", str(target), "--db", str(store))
    assert code == 0, stderr
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("{") and not any(line.startswith("x") for line in lines)


# ---------------------------------------------------------------- stores that cannot answer


READ_COMMANDS = [
    ["lists"],
    ["show", "un_sc_sanctions:QDi.430"],
    ["changes", "un_sc_sanctions"],
    ["export", "--source", "un_sc_sanctions"],
    ["screen", "Ayman al-Zawahiri"],
    ["clusters"],
    ["judgements", "history"],
    ["versions", "list"],
]


def test_read_commands_never_write(store: Path) -> None:
    before = _bytes(store)
    for args in READ_COMMANDS:
        code, _, stderr = run_cli(*args, "--db", str(store))
        assert code == 0, (args, stderr)
    assert _bytes(store) == before


def test_another_programs_duckdb_file_is_refused_untouched(tmp_path: Path) -> None:
    foreign = tmp_path / "analytics.duckdb"
    con = duckdb.connect(str(foreign))
    con.execute("CREATE TABLE sales AS SELECT range AS id FROM range(1000)")
    con.close()
    before = _bytes(foreign)
    for args in [*READ_COMMANDS, ["index"], ["resolve"], ["ingest", str(shared(UN_NEW))]]:
        code, _, stderr = run_cli(*args, "--db", str(foreign))
        _one_line_error(code, stderr, "not a reckon store")
    assert _bytes(foreign) == before


def test_a_file_that_is_no_database_and_a_truncated_store_are_refused(store: Path, tmp_path: Path) -> None:
    text = tmp_path / "notes.duckdb"
    text.write_text("not a database\n", encoding="utf-8")
    code, _, stderr = run_cli("screen", "Putin", "--db", str(text))
    _one_line_error(code, stderr, "not a reckon store")
    cut = tmp_path / "cut.duckdb"
    data = store.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    for args in (["lists"], ["screen", "Ayman al-Zawahiri"], ["resolve"]):
        code, _, stderr = run_cli(*args, "--db", str(cut))
        _one_line_error(code, stderr, str(cut))
    # Neither file was touched: a store is never "repaired" into an empty one.
    assert text.read_text(encoding="utf-8") == "not a database\n"
    assert cut.read_bytes() == data[: len(data) // 2]


def test_a_mistyped_store_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "reckon.duckbd"
    for args in (
        ["index"],
        ["resolve"],
        ["judge", "un_sc_sanctions:QDi.430", "un_sc_sanctions:QDi.431", "--same"],
        ["screen", "Putin"],
        ["lists"],
        ["versions", "remove", "un_sc_sanctions"],
    ):
        code, _, stderr = run_cli(*args, "--db", str(missing))
        _one_line_error(code, stderr, "no reckon store here")
        assert not missing.exists()


def test_screening_a_store_with_no_list_is_an_error_not_no_hits(store: Path) -> None:
    for _ in range(2):  # both versions of the only source taken back
        code, _, stderr = run_cli("versions", "remove", "un_sc_sanctions", "--db", str(store))
        assert code == 0, stderr
    code, _, stderr = run_cli("screen", "Vladimir Putin", "--db", str(store))
    _one_line_error(code, stderr, "no list is loaded")


def test_an_older_store_is_not_migrated_by_a_read_command(store: Path) -> None:
    con = duckdb.connect(str(store))
    con.execute("DROP TABLE version_removals")
    for index in ("resolve_records_canonical", "resolve_pairs_left", "resolve_pairs_right"):
        con.execute(f"DROP INDEX {index}")
    con.execute("DROP TABLE record_listings")
    con.execute("DROP TABLE record_histories")
    con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    con.close()
    before = _bytes(store)
    code, _, stderr = run_cli("lists", "--db", str(store))
    _one_line_error(code, stderr, "older than this reckon", "reckon index")
    assert _bytes(store) == before
    code, _, stderr = run_cli("index", "--db", str(store))
    assert code == 0, stderr
    assert run_cli("lists", "--db", str(store))[0] == 0


# ---------------------------------------------------------------- names, dates, numbers


def test_unknown_source_names_are_errors(store: Path) -> None:
    for args in (["changes", "un"], ["export", "--source", "un"], ["versions", "list", "un"]):
        code, stdout, stderr = run_cli(*args, "--db", str(store))
        _one_line_error(code, stderr, "'un'", "loaded: un_sc_sanctions")
        assert stdout == ""


@pytest.mark.parametrize("bad", ["2022-13-45", "2026-3-5", "yesterday", "2022-02-30"])
def test_dates_are_strict(store: Path, bad: str) -> None:
    code, stdout, stderr = run_cli("changes", "un_sc_sanctions", "--since", bad, "--db", str(store))
    _one_line_error(code, stderr, repr(bad), "YYYY-MM-DD")
    assert stdout == ""  # no range compared as text, no table
    # The same command with a real date answers: the refusal is the date's.
    assert run_cli("changes", "un_sc_sanctions", "--since", "2026-02-27", "--db", str(store))[0] == 0


def test_changes_range_is_by_calendar_date(store: Path) -> None:
    code, stdout, _ = run_cli(
        "changes",
        "un_sc_sanctions",
        "--since",
        "2026-02-27",
        "--until",
        "2026-02-27",
        "--json",
        "--db",
        str(store),
    )
    assert code == 0
    assert stdout.count('"version_date": "2026-02-27"') == 7  # 4 added, 2 amended, 1 removed


@pytest.mark.parametrize("bad", ["nan", "inf", "-0.1", "1.5"])
def test_threshold_must_be_a_number_from_0_to_1(store: Path, bad: str) -> None:
    code, _, stderr = run_cli("screen", "Putin", "--threshold", bad, "--db", str(store))
    assert code == 2 and "threshold" in stderr.lower(), stderr


def test_batch_with_an_unknown_schema_is_refused_before_any_row(store: Path, tmp_path: Path) -> None:
    rows = tmp_path / "in.csv"
    rows.write_text("id,name\n1,Ayman al-Zawahiri\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, _, stderr = run_cli(
        "screen", "--input", str(rows), "--output", str(out), "--schema", "Nonsense", "--db", str(store)
    )
    _one_line_error(code, stderr, "unknown schema 'Nonsense'")
    assert not out.exists()


# ---------------------------------------------------------------- taking back a version


def test_removing_the_newest_version_restores_the_store_before_it(store: Path, tmp_path: Path) -> None:
    only_old = tmp_path / "old.duckdb"
    code, _, stderr = run_cli("ingest", str(shared(UN_OLD)), "--db", str(only_old), "--json")
    assert code == 0, stderr
    code, stdout, stderr = run_cli(
        "versions", "remove", "un_sc_sanctions", "--note", "wrong file", "--db", str(store)
    )
    assert code == 0, stderr
    assert "now at 2025-11-20" in stdout
    expected, got = fingerprint(only_old), fingerprint(store)
    removals = got.pop("version_removals")
    expected.pop("version_removals")
    # Import times differ between the two stores; everything else of the version is equal.
    assert _versions(store) == _versions(only_old)
    got.pop("versions")
    expected.pop("versions")
    # Records, statements, changes and versions as if the newer file had never come,
    # and the match index rebuilt to the same keys.
    assert got == expected
    assert removals[0] == 1
    # The removed file imports again as a new version.
    code, _, stderr = run_cli("ingest", str(shared(UN_NEW)), "--db", str(store), "--json")
    assert code == 0, stderr


def _versions(path: Path) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT * EXCLUDE (imported_at) FROM versions ORDER BY version_id").fetchall()
    finally:
        con.close()


def test_removing_from_a_source_not_loaded_is_an_error(store: Path) -> None:
    before = fingerprint(store)
    code, _, stderr = run_cli("versions", "remove", "gb_hmt_sanctions", "--db", str(store))
    _one_line_error(code, stderr, "no version of this source")
    assert fingerprint(store) == before


# ---------------------------------------------------------------- locks


def _hold(store: Path, tmp_path: Path, seconds: float) -> subprocess.Popen[bytes]:
    """A process named `reckon resolve` that holds the store for writing."""
    script = tmp_path / "reckon"
    script.write_text(
        textwrap.dedent(
            f"""
            import sys, time
            from reckon.store import connect
            con = connect({str(store)!r}, create=False)
            print("held", flush=True)
            time.sleep({seconds})
            """
        ),
        encoding="utf-8",
    )
    proc = subprocess.Popen([sys.executable, str(script), "resolve"], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"held"
    return proc


def test_a_reader_waits_for_a_writer_then_names_it(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECKON_LOCK_WAIT", "0.5")
    proc = _hold(store, tmp_path, 30)
    try:
        started = time.monotonic()
        code, _, stderr = run_cli("screen", "Ayman al-Zawahiri", "--db", str(store))
        _one_line_error(code, stderr, "in use by `reckon resolve`", f"PID {proc.pid}")
        assert time.monotonic() - started < 10
    finally:
        proc.kill()
        proc.wait()


def test_a_reader_gets_the_store_once_the_writer_is_done(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECKON_LOCK_WAIT", "30")
    proc = _hold(store, tmp_path, 1.0)
    try:
        code, stdout, stderr = run_cli("screen", "Ayman al-Zawahiri", "--json", "--db", str(store))
        assert code == 0, stderr
        assert "un_sc_sanctions:QDi.006" in stdout
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize("bad", ["2026-3-5", "yesterday", "2026-02-30"])
def test_ingest_date_is_strict(store: Path, bad: str) -> None:
    """A --date that sorts wrongly as text would block every genuine later version."""
    before = fingerprint(store)
    code, _, stderr = run_cli("ingest", str(shared(UN_NEW)), "--date", bad, "--db", str(store))
    _one_line_error(code, stderr, repr(bad), "YYYY-MM-DD")
    assert fingerprint(store) == before


def test_wrong_files_for_other_commands_are_one_line_errors(store: Path, tmp_path: Path) -> None:
    before = fingerprint(store)
    # A list file given where a judgements export is expected (gzip: not UTF-8 text).
    code, _, stderr = run_cli(
        "judgements",
        "import",
        str(BUNDLED / "lists/un/UN_consolidated_2026-02-27.xml.gz"),
        "--db",
        str(store),
    )
    _one_line_error(code, stderr, "not UTF-8 text")
    code, _, stderr = run_cli("score-pairs", str(tmp_path))
    _one_line_error(code, stderr, "not a file")
    blocker = tmp_path / "downloads"
    blocker.write_text("a file where the download folder should go\n", encoding="utf-8")
    code, _, stderr = run_cli("fetch", "un_sc_sanctions", "--dest", str(blocker), "--retries", "1")
    _one_line_error(code, stderr, "cannot make the download folder")
    assert fingerprint(store) == before
