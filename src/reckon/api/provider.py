"""The loaded store behind the API: one read-only connection, the screening index and
what /match reports of every current record, all loaded once (in a thread, so that
/healthz answers while it loads and /readyz says when it is done).

The store is opened read-only and nothing here writes: the answers are those of the
store as it was at start-up (a new import is seen after a restart)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar, cast

import duckdb

from reckon.analysis.status import LISTED, all_statuses
from reckon.match.index import Index
from reckon.resolve.views import is_resolved
from reckon.screening import load_index, require_lists
from reckon.sources.registry import sources
from reckon.store import connect

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RecordDates:
    first_seen: str  # the version the record (last) entered its list
    last_seen: str  # the newest version of its list (it is current)
    last_change: str  # the newest version that added or amended it


@dataclass(frozen=True, slots=True)
class StatusLine:
    """One jurisdiction's status of one entity, as a list of hits shows it."""

    jurisdiction: str
    status: str  # analysis.status: listed, delisted, possibly_listed, not_listed, unknown
    summary: str  # e.g. "listed since 2022-03-10 (gb_hmt_sanctions)"


@dataclass(frozen=True, slots=True)
class Brief:
    """Where an entity is listed, in short: what search results and /match show of every
    hit without a query of its own (the whole status is at /status/{id})."""

    statuses: tuple[StatusLine, ...]
    documented_by: tuple[str, ...]  # allegation datasets holding it: never a designation


@dataclass(slots=True)
class Loaded:
    con: duckdb.DuckDBPyConnection
    index: Index
    dates: dict[str, RecordDates]  # source:id → dates
    targets: frozenset[str]  # entities listed by some jurisdiction now (yente's `target`)
    briefs: dict[str, Brief]  # entity id (rk-… or source:id) → where it is listed
    loaded_sources: tuple[str, ...]
    redirects: dict[str, str] = field(default_factory=dict)  # merged-away id → the id it went to
    # Answers of whole-store analyses (coverage, timeline, lag, gaps) by their query: the
    # store is read-only while loaded, so each is worked out once (see `memo`).
    answers: dict[Hashable, object] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def memo(self, key: Hashable, work: Callable[[], T]) -> T:
        """`work()`'s answer for `key`, worked out once for this loaded store (its
        answers go with it when a new version is loaded)."""
        with self._lock:
            if key in self.answers:
                return cast(T, self.answers[key])
        value = work()
        with self._lock:
            self.answers.setdefault(key, value)
            return cast(T, self.answers[key])

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection of its own for one request: DuckDB connections are not shared between threads."""
        cur = self.con.cursor()
        try:
            yield cur
        finally:
            cur.close()


_DATES = """
SELECT r.source || ':' || r.record_id, fv.version_date, lv.latest,
       coalesce(ch.changed, fv.version_date)
FROM records r
JOIN versions fv ON fv.version_id = r.first_version
JOIN (SELECT source, max(version_date) AS latest FROM versions GROUP BY source) lv ON lv.source = r.source
LEFT JOIN (
    SELECT c.source, c.record_id, max(v.version_date) AS changed
    FROM changes c JOIN versions v ON v.version_id = c.version_id
    WHERE c.change IN ('added', 'amended') GROUP BY ALL
) ch ON ch.source = r.source AND ch.record_id = r.record_id
WHERE r.removed_version IS NULL
"""


def load(path: Path) -> Loaded:
    """Open the store read-only and load what every request needs (ScreenError or
    StoreError when it cannot be served: no list loaded, not a reckon store)."""
    con = connect(path, read_only=True, create=False)
    try:
        loaded_sources = tuple(require_lists(con))
        index = load_index(con)
        dates = {
            str(key): RecordDates(str(first), str(last), str(changed))
            for key, first, last, changed in con.execute(_DATES).fetchall()
        }
        # Where each entity is listed, once for all: the statuses of every entity are
        # one pass (analysis.status), a hit's would be a query each (~12 ms).
        briefs = {
            st.entity: Brief(
                tuple(
                    StatusLine(j.jurisdiction, j.status, j.summary)
                    for j in sorted(st.jurisdictions.values(), key=lambda j: j.jurisdiction)
                ),
                tuple(sorted({a.source for a in st.allegations})),
            )
            for st in all_statuses(con)
        }
        targets = frozenset(e for e, b in briefs.items() if any(line.status == LISTED for line in b.statuses))
        redirects = (
            {
                str(a): str(b)
                for a, b in con.execute("SELECT old_id, new_id FROM resolve_redirects").fetchall()
            }
            if is_resolved(con)
            else {}
        )
    except BaseException:
        con.close()
        raise
    return Loaded(con, index, dates, targets, briefs, loaded_sources, redirects)


def collections(loaded_sources: tuple[str, ...]) -> dict[str, frozenset[str]]:
    """The names /match/{dataset} takes besides each source: `default` (every loaded
    list and dataset) and `sanctions` (lists only, no allegation datasets)."""
    registry = sources()
    every = frozenset(loaded_sources)
    lists = frozenset(s for s in every if s not in registry or registry[s].kind != "allegations")
    return {"default": every, "sanctions": lists}


@dataclass(slots=True)
class Provider:
    """The store as it loads: `loaded` once ready, `error` if loading failed."""

    path: Path
    loaded: Loaded | None = None
    error: str | None = None
    _thread: threading.Thread | None = field(default=None, repr=False)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._load, name="reckon-load", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        try:
            self.loaded = load(self.path)
        except Exception as exc:  # reported by /readyz and every data route
            self.error = f"{type(exc).__name__}: {exc}"

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def close(self) -> None:
        if self.loaded is not None:
            self.loaded.con.close()
