"""What a generation works out ahead (api/warm.py) is what the pages then read: the review
queue under /review's key, every entity's status under the charts' key; over HTTP, /serving
says when it is done, and readiness never waited for it."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from reckon.api import warm
from reckon.api.provider import load
from reckon.api.routers import charts
from reckon.api.settings import Settings
from tests.api.conftest import Server
from tests.api.test_serving import eventually


def test_the_review_page_reads_the_queue_the_warming_worked_out(
    api_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from starlette.requests import Request

    from reckon.web.routes import review

    store = load(api_store)
    try:
        items = warm.review_queue(store)
        assert items, "the api store has pairs to review"

        def again(*args: object, **kwargs: object) -> object:
            raise AssertionError("/review read the queue a second time")

        import reckon.resolve.review

        monkeypatch.setattr(reckon.resolve.review, "review_queue", again)
        app = SimpleNamespace(state=SimpleNamespace(settings=Settings(db=api_store)))
        lists = review.waiting(Request({"type": "http", "app": app}), store)
        assert sum(map(len, lists.values())) == len(items)
        statuses = warm.coverage_statuses(store)
        assert charts.statuses(store, None) is statuses  # the charts' own, not a copy
    finally:
        store.con.close()


def test_a_generation_is_warmed_after_it_is_ready(server: Server) -> None:
    def warmed() -> list[str] | None:
        done = server.get("/serving").json()["warmed"]
        return done if len(done) == len(warm.STEPS) else None

    assert eventually(warmed, "the generation warmed") == [name for name, _ in warm.STEPS]
    coverage = server.get("/coverage")
    assert coverage.status == 200 and coverage.json()["jurisdictions"]
