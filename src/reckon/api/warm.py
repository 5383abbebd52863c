"""What a generation of the store works out as soon as it serves (`Provider`'s warming),
rather than the first visitor of a page waiting for it: the search index's caches, every
entity's status (the coverage, timeline and lag charts: ~4 s, up to 22 s on a loaded
machine), the control graph (~3-4 s) and the review queue (~3 s). Each is kept with the loaded store by `Loaded.memo`,
under the key its page reads it by, so a request arriving first works it out and the
warming waits for it, or the other way round: never twice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reckon.api.provider import Loaded, WarmStep

if TYPE_CHECKING:
    from reckon.analysis.status import EntityStatus
    from reckon.resolve.review import ReviewItem

# The key web/routes/review.py keeps the queue under (`waiting`).
REVIEW_QUEUE = ("review_queue", "with refused")


def search_index(store: Loaded) -> None:
    """The index's caches (`Index.warm`), and the country names /search labels its facets
    with: followthemoney's registry, ~1.3 s of CPU to import, the first search's otherwise."""
    from reckon.api.routers.search import facet_labels

    store.index.warm()
    facet_labels("countries", ["ru"])


def coverage_statuses(store: Loaded) -> list[EntityStatus]:
    """Every entity's status, as /coverage, /timeline, /lag and their pages read it."""
    from reckon.api.routers.charts import statuses

    return statuses(store, None)


def review_queue(store: Loaded) -> list[ReviewItem]:
    """The review queue as /review reads it (`web.routes.review.waiting`): both lists in one
    reading, without the records' properties (read for the pair shown)."""
    from reckon.resolve.review import review_queue as read

    def queue() -> list[ReviewItem]:
        with store.cursor() as cur:
            return read(cur, details=False, properties=False, include_refused=True)

    return store.memo(REVIEW_QUEUE, queue)


def control_graph(store: Loaded) -> None:
    """The control graph the entity pages' "Ownership and control", /exposure and /companies
    read (`api.routers.control.control_graph`): ~3-4 s on the bundled lists."""
    from reckon.api.routers.control import control_graph as read

    read(store)


STEPS: tuple[WarmStep, ...] = (
    ("search index", search_index),
    ("control graph", control_graph),
    ("coverage statuses", coverage_statuses),
    ("review queue", review_queue),
)
