"""The review queue, its side-by-side diff, and the terminal UI driven by textual's Pilot,
on stores built from the real bundled lists."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from reckon.cli import app as cli_app
from reckon.resolve import current_verdicts, history, judge, resolve, undo
from reckon.resolve.review import AGREE, DIFFER, LEFT, RIGHT, diff, priority, review_queue
from reckon.resolve.rules import AUTO_MERGE, REVIEW
from reckon.review_tui import ReviewApp
from reckon.store import connect
from reckon.store.queries import current_entities
from tests.conftest import open_copy
from tests.resolve.conftest import AU, EU, UN_OLD, load

MID = (REVIEW + AUTO_MERGE) / 2


# ---------------------------------------------------------------- ordering


def test_priority_prefers_uncertain_scores_then_large_and_sanctioned_clusters() -> None:
    # Uncertainty: the middle of the review band first, its edges last, symmetric.
    assert priority(MID, 2, 0) > priority(0.8, 2, 0) > priority(0.9, 2, 0) > priority(0.99, 2, 0)
    assert priority(MID - 0.05, 2, 0) == pytest.approx(priority(MID + 0.05, 2, 0))
    edges = [priority(s, 2, 0) for s in (REVIEW, AUTO_MERGE, 1.0)]
    assert edges == pytest.approx([edges[0]] * 3) and edges[0] > 0
    # Size: a judgement joining more records matters more; two single records are the unit.
    assert priority(0.9, 8, 0) > priority(0.9, 4, 0) > priority(0.9, 2, 0) == priority(0.9, 1, 0)
    # Sanctioned: each listed side counts.
    assert priority(0.9, 2, 2) > priority(0.9, 2, 1) > priority(0.9, 2, 0)
    # Weights can overtake uncertainty: a clear pair of two large sanctioned entities
    # comes before an uncertain pair of two unlisted single records...
    assert priority(0.99, 16, 2) > priority(MID, 2, 0)
    # ...but not before an uncertain pair of the same weight.
    assert priority(MID, 16, 2) > priority(0.99, 16, 2)


# ---------------------------------------------------------------- a resolved real store


@pytest.fixture(scope="module")
def resolved_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The UN list and the EU sample, resolved: six pairs wait for review."""
    path = tmp_path_factory.mktemp("review") / "resolved.duckdb"
    con = connect(path)
    load(con, UN_OLD)
    load(con, EU)
    resolve(con)
    con.close()
    return path


@pytest.fixture
def con(resolved_db: Path, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    yield from open_copy(resolved_db, tmp_path / "review.duckdb")


def test_queue_holds_review_pairs_by_priority_with_both_records_and_reasons(
    con: duckdb.DuckDBPyConnection,
) -> None:
    stored = {
        (str(a), str(b)): float(s)
        for a, b, s in con.execute(
            "SELECT left_key, right_key, score FROM resolve_pairs WHERE decision = 'review'"
        ).fetchall()
    }
    assert len(stored) == 6
    queue = review_queue(con)
    assert {it.pair for it in queue} == set(stored)
    assert [it.priority for it in queue] == sorted((it.priority for it in queue), reverse=True)
    for it in queue:
        assert it.score == pytest.approx(stored[it.pair])
        # The one scorer, re-run on the same records, gives the stored score and its reasons.
        assert it.rescored == pytest.approx(it.score)
        assert "name" in {c.feature for c in it.contributions}
        assert it.left.sanctioned and it.right.sanctioned  # UN and EU designations, current
        records = it.left.cluster_size + it.right.cluster_size
        assert it.priority == pytest.approx(priority(it.score, records, 2))
        assert it.left.properties["name"] and it.right.properties["name"]
    # Abdul Manan (EU) vs Abdul Manan Nyazi (UN), 0.84: nearest the middle of the band.
    top = queue[0]
    assert top.pair == ("eu_fsf:514", "un_sc_sanctions:TAi.097")
    assert abs(top.score - MID) == min(abs(it.score - MID) for it in queue)
    assert top.left.designations == ["eu: TAQA"] and top.right.designations == ["un: Taliban"]
    assert top.right.properties["unscId"] == ["TAi.097"]
    # Janan Agha, 0.71, at the bottom edge of the band, comes last.
    assert queue[-1].pair == ("eu_fsf:514", "un_sc_sanctions:TAi.091")
    assert [it.pair for it in review_queue(con, limit=2)] == [it.pair for it in queue[:2]]

    # A judgement takes a pair out of the queue at once; undoing it puts it back.
    judge(con, *top.pair, "different", user="ana")
    assert top.pair not in {it.pair for it in review_queue(con)}
    undo(con, *top.pair, user="ana")
    assert review_queue(con)[0].pair == top.pair


def test_queue_json_from_the_cli(resolved_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    shutil.copy(resolved_db, db)
    result = CliRunner().invoke(cli_app, ["review", "--db", str(db), "--json", "--limit", "3"])
    assert result.exit_code == 0, result.stderr
    items = json.loads(result.stdout)
    assert items[0]["pair"] == ["eu_fsf:514", "un_sc_sanctions:TAi.097"]
    assert len(items) == 3
    first = items[0]
    assert {"left", "right", "score", "priority", "contributions", "diff"} <= set(first)
    assert {r["status"] for r in first["diff"]} <= {AGREE, DIFFER, LEFT, RIGHT}


# ---------------------------------------------------------------- the diff


def test_diff_shows_script_and_case_variants_as_agreement(store: duckdb.DuckDBPyConnection) -> None:
    # Tarkhan Gaziev and Doku Umarov as the UN and Australia list them (Australia adds
    # Cyrillic forms of most names; the UN writes the name in capitals).
    load(store, UN_OLD, ["QDi.366", "QDi.290"])
    load(store, AU, ["3128", "1241"])
    ents = {str(e["id"]): e for e in current_entities(store)}

    def props(key: str) -> dict[str, list[str]]:
        p = ents[key]["properties"]
        assert isinstance(p, dict)
        return p

    rows = diff(props("un_sc_sanctions:QDi.366"), props("au_dfat_sanctions:3128"), "Person", "Person")
    by_pair = {(r.left, r.right): r for r in rows}
    assert by_pair["TARKHAN ISMAILOVICH GAZIEV", "Tarkhan Ismailovich Gaziev"].status == AGREE
    for latin, cyrillic in (("Husan", "Хусан"), ("Ramzan Oduev", "Рамзан Одуев"), ("Sever", "Север")):
        row = by_pair[latin, cyrillic]
        assert row.status == AGREE and "Latin→Cyrillic" in row.note, row
    # Only Australia gives this name (the UN has Abu Asim and Abu Yasir, not Abu Yasim).
    assert by_pair[None, "Абу Ясим"].status == RIGHT
    assert by_pair["1965-11-11", "1965-11-11"].status == AGREE
    assert by_pair["ru", "ru"].status == AGREE
    # Every value of either side is shown.
    for side, key in ((0, "un_sc_sanctions:QDi.366"), (1, "au_dfat_sanctions:3128")):
        shown = {(r.left, r.right)[side] for r in rows}
        assert {v for vs in props(key).values() for v in vs} <= shown

    rows = diff(props("un_sc_sanctions:QDi.290"), props("au_dfat_sanctions:1241"), "Person", "Person")
    status = {(r.group, r.left, r.right): r.status for r in rows}
    # Passport numbers written differently are a difference the reviewer must see.
    assert status["passportNumber", "96 03 464086", "464086"] == DIFFER
    # The UN adds the Soviet Union beside Russia; Russia agrees, so that is an extra.
    assert status["country", "ru", "ru"] == AGREE
    assert status["country", "suhh", None] == LEFT
    assert status["names", "Умаров Доку Хаматович", "Умаров Доку Хаматович"] == AGREE


# ---------------------------------------------------------------- the UI


def test_review_ui_keys_write_judgements_at_once(con: duckdb.DuckDBPyConnection) -> None:
    queue = review_queue(con, details=False)  # as the CLI does: the UI fills them in
    assert all(it.rescored is None and not it.diff for it in queue)
    first, second, third = (it.pair for it in queue[:3])

    @contextmanager
    def writer() -> Iterator[duckdb.DuckDBPyConnection]:
        yield con  # this test's one connection; the CLI opens the store per decision

    async def drive() -> ReviewApp:
        app = ReviewApp(writer, queue, user="tester")
        async with app.run_test(size=(140, 45)) as pilot:
            assert app.progress_text() == "0 of 6 decided · pair 1"
            await pilot.press("y")  # first pair: same
            assert current_verdicts(con).get(first) == "same"  # written before quitting
            await pilot.press("n")  # second pair: different...
            assert app.progress_text() == "2 of 6 decided · pair 3"
            await pilot.press("z")  # ...undone: back on the second pair
            assert app.pos == 1 and app.progress_text() == "1 of 6 decided · pair 2"
            await pilot.press("s")  # skip it
            assert app.pos == 2
            await pilot.press("q")
        return app

    app = asyncio.run(drive())
    assert app.status[:3] == ["same", "skipped", None]
    assert all(it.diff and it.contributions for it in app.items[:3])  # shown, so worked out

    verdicts = current_verdicts(con)
    assert verdicts == {first: "same"}
    assert [(e.verdict, e.user) for e in history(con, *first)] == [("same", "tester")]
    # The undone verdict stays in the log, followed by its undo.
    assert [(e.verdict, e.user) for e in history(con, *second)] == [
        ("different", "tester"),
        ("undo", "tester"),
    ]
    assert history(con, *third) == []
    # The pair decided left the queue; the skipped and the undone one did not.
    left = {it.pair for it in review_queue(con)}
    assert first not in left and {second, third} <= left
