"""The loaded store behind the API: a read-only connection, the screening index and
what /match reports of every current record, loaded once per generation of the store.

The server never reads the store itself: it reads a copy (`api/snapshots.py`), so that
`reckon ingest` and every other writer can use the store while it serves. A thread loads the
first copy (/healthz answers meanwhile, /readyz once it is done), then watches the store:
once a write has settled it copies and loads the new state beside the old one and swaps
them in one assignment. A request keeps the generation it started with to its end (see
`Provider.enter`); the old one is closed, and its copy removed, when no request uses it.
"""

from __future__ import annotations

import contextvars
import gc
import logging
import os
import threading
import time
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar, cast

import duckdb

from reckon.analysis.status import LISTED, all_statuses
from reckon.api.snapshots import Busy, Snapshot, Snapshots, Stamp, stamp
from reckon.match.index import Index
from reckon.resolve.views import is_resolved
from reckon.screening import load_index, require_lists
from reckon.sources.registry import sources
from reckon.store import connect

T = TypeVar("T")
log = logging.getLogger("reckon.api")


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
    # The answers being worked out, by key: whoever asks meanwhile waits for that one.
    _pending: dict[Hashable, threading.Event] = field(default_factory=dict, repr=False)
    generation: str = ""  # the state of the store loaded (api/snapshots.py), "" if read in place
    versions: dict[str, str] = field(default_factory=dict)  # source → its newest version date

    def memo(self, key: Hashable, work: Callable[[], T]) -> T:
        """`work()`'s answer for `key`, worked out once for this loaded store (its
        answers go with it when a new version is loaded). Whoever asks while another
        works it out (a request, or the warming after a load) waits for that answer
        rather than work out the same seconds-long read a second time; if that work
        fails, the next in line works it out."""
        while True:
            with self._lock:
                if key in self.answers:
                    return cast(T, self.answers[key])
                pending = self._pending.get(key)
                mine = pending is None
                if pending is None:
                    pending = self._pending[key] = threading.Event()
            if not mine:
                pending.wait()
                continue
            try:
                value = work()
                with self._lock:
                    self.answers.setdefault(key, value)
                    return cast(T, self.answers[key])
            finally:
                with self._lock:
                    del self._pending[key]
                pending.set()

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


def load(path: Path, generation: str = "") -> Loaded:
    """Open the store (or a copy of it) read-only and load what every request needs
    (ScreenError or StoreError when it cannot be served: no list loaded, not a reckon store)."""
    con = connect(path, read_only=True, create=False)
    try:
        loaded_sources = tuple(require_lists(con))
        versions = {
            str(source): str(date)
            for source, date in con.execute(
                "SELECT source, max(version_date) FROM versions GROUP BY source ORDER BY source"
            ).fetchall()
        }
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
    return Loaded(
        con,
        index,
        dates,
        targets,
        briefs,
        loaded_sources,
        redirects,
        generation=generation,
        versions=versions,
    )


def collections(loaded_sources: tuple[str, ...]) -> dict[str, frozenset[str]]:
    """The names /match/{dataset} takes besides each source: `default` (every loaded
    list and dataset) and `sanctions` (lists only, no allegation datasets)."""
    registry = sources()
    every = frozenset(loaded_sources)
    # Only sanctions lists: allegations, companies' stances and registries' relations are not.
    lists = frozenset(s for s in every if s not in registry or registry[s].kind == "list")
    return {"default": every, "sanctions": lists}


@dataclass(eq=False, slots=True)
class Served:
    """One generation as the server holds it: the loaded copy, the copy's file (held, so
    that no other worker removes it), and how many requests use it now."""

    loaded: Loaded
    snapshot: Snapshot | None
    stamp: Stamp | None
    loaded_at: float  # time.time() when it started serving
    refs: int = 0
    retired: bool = False
    warmed: list[str] = field(default_factory=list)  # the warming steps done (see `Provider`)


# The generation the request under way started with (set by `app.gate`, read by
# `Provider.loaded`): FastAPI's thread pool runs a handler in a copy of this context.
_REQUEST: contextvars.ContextVar[tuple[Provider, Served] | None] = contextvars.ContextVar(
    "reckon_generation", default=None
)


# One step of warming a generation: a name (/serving lists those done) and the work, which
# keeps what it works out with the loaded store (`Loaded.memo`, or the index's own caches).
WarmStep = tuple[str, Callable[[Loaded], object]]


class Provider:
    """The store as the server reads it: `loaded` once ready, `error` if the first load
    failed. With `poll` > 0 a thread watches the store every `poll` seconds and loads each
    new state once it has settled (unchanged for one more poll) and no writer holds it.
    With `snapshots` None the store is read in place, once (no writer can open it then).

    Once a generation serves, a thread of its own works out the `warm` steps in turn: what
    the first visitor of a page would otherwise wait for (seconds of whole-store reads).
    Readiness does not wait for them; a request that needs one meanwhile waits for it
    (`Loaded.memo`) rather than work it out a second time.

    With `turns` (one of several worker processes), a new generation is loaded only in this
    worker's turn (`Snapshots.turn`), held until the generation is warm: one worker loads
    while the others answer at full speed from the generation before, so some worker always
    answers, and the others take their turn at a later look at the store."""

    def __init__(
        self,
        path: Path,
        *,
        poll: float = 2.0,
        snapshots: Snapshots | None = None,
        warm: Sequence[WarmStep] = (),
        turns: bool = False,
    ) -> None:
        self.path = path
        self.poll = poll
        self.snapshots = snapshots
        self.warm = tuple(warm)
        self.turns = turns  # one of several workers: load a new generation in turns with the others
        self.error: str | None = None  # why the first load failed
        self.reload_error: str | None = None  # why the newest state could not be loaded
        self.reloads = 0
        self._current: Served | None = None
        self._retired: list[Served] = []
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --------------------------------------------------------------- what requests see

    @property
    def loaded(self) -> Loaded | None:
        """The generation the request under way started with, else the newest."""
        held = _REQUEST.get()
        if held is not None and held[0] is self:
            return held[1].loaded
        current = self._current
        return current.loaded if current is not None else None

    @property
    def served(self) -> Served | None:
        return self._current

    def enter(self) -> contextvars.Token[tuple[Provider, Served] | None] | None:
        """Pin the newest generation for the request starting now (None before the first)."""
        with self._lock:
            current = self._current
            if current is None:
                return None
            current.refs += 1
        return _REQUEST.set((self, current))

    def leave(self, token: contextvars.Token[tuple[Provider, Served] | None] | None) -> None:
        if token is None:
            return
        held = _REQUEST.get()
        _REQUEST.reset(token)
        if held is not None:
            with self._lock:
                held[1].refs -= 1

    # --------------------------------------------------------------- loading

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="reckon-load", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Until the first load has succeeded or failed."""
        self._ready.wait(timeout)

    def _run(self) -> None:
        try:
            self._first()
        finally:
            self._ready.set()
        if self._current is None or self.snapshots is None or self.poll <= 0:
            return
        seen = self._current.stamp  # the state served, or the newest that failed to load
        pending: Stamp | None = None
        while not self._stop.wait(self.poll):
            self._close_retired()
            now = stamp(self.path)
            if now is None or now == seen:
                pending = None
                continue
            if now != pending:  # changed since the last look: let the writer finish
                pending = now
                continue
            if self._reload():
                seen = self._current.stamp if self._current is not None else now
            elif self.reload_error is not None:
                seen = now  # do not retry a state that failed: wait for the next write
            pending = None

    def _first(self) -> None:
        while not self._stop.is_set():
            try:
                if self.snapshots is None:
                    self._swap(Served(_quietly_load(self.path, ""), None, None, time.time()))
                    return
                if self._reload():
                    return
                if self.reload_error is not None:
                    self.error = self.reload_error
                    return
            except Exception as exc:  # reported by /readyz and every data route
                self.error = f"{type(exc).__name__}: {exc}"
                return
            self._stop.wait(0.5)  # a writer holds the store: wait for it

    def _reload(self) -> bool:
        """Copy and load the store as it is now; False if a writer holds it, another
        worker is loading (`turns`: this one's turn comes at a later look), or it could
        not be loaded (`reload_error`, logged; the generation served stays)."""
        assert self.snapshots is not None
        self.reload_error = None
        turn: int | None = None
        if self.turns and self._current is not None:  # the first load waits for no one
            try:
                turn = self.snapshots.turn()
            except OSError as exc:
                self._failed(f"{type(exc).__name__}: {exc}")
                return False
            if turn is None:
                return False
        try:
            outcome = self._load_newest()
        except BaseException:
            if turn is not None:
                os.close(turn)
            raise
        if not isinstance(outcome, Served):
            if turn is not None:
                os.close(turn)
            return outcome
        self._swap(outcome, turn)  # the turn goes with the new generation, until it is warm
        log.info(
            "serving generation %s (%s)",
            outcome.loaded.generation,
            ", ".join(f"{s} {d}" for s, d in outcome.loaded.versions.items()),
        )
        return True

    def _load_newest(self) -> Served | bool:
        """The store's newest state loaded, not yet served; True if it is the state served
        already, False if it could not be loaded now."""
        assert self.snapshots is not None
        try:
            snapshot = self.snapshots.take()
        except Busy:
            return False
        except Exception as exc:
            self._failed(f"{type(exc).__name__}: {exc}")
            return False
        current = self._current
        if (
            current is not None
            and current.snapshot is not None
            and current.snapshot.generation == snapshot.generation
        ):
            snapshot.release()
            return True
        started = time.monotonic()
        log.info("loading generation %s", snapshot.generation)
        try:
            loaded = _quietly_load(snapshot.path, snapshot.generation)
        except Exception as exc:
            snapshot.release()
            self._sweep()
            self._failed(f"generation {snapshot.generation}: {type(exc).__name__}: {exc}")
            return False
        if self._stop.is_set():  # shutting down while it loaded
            loaded.con.close()
            snapshot.release()
            self._sweep()
            return False
        log.info("loaded generation %s in %.1f s", snapshot.generation, time.monotonic() - started)
        return Served(loaded, snapshot, snapshot.stamp, time.time())

    def _failed(self, message: str) -> None:
        self.reload_error = message
        log.error("could not load the store: %s; still serving the generation loaded before", message)

    def _swap(self, served: Served, turn: int | None = None) -> None:
        """Serve `served` from now on; warm it in the background. `turn` (this worker's
        turn to load, see `Snapshots.turn`) is given up once it is warm."""
        with self._lock:
            old, self._current = self._current, served
            if old is not None:
                old.retired = True
                self._retired.append(old)
                self.reloads += 1
            if self.warm:
                served.refs += 1  # held while it warms: not closed under the warming thread
        self._close_retired()
        if self.warm:
            threading.Thread(
                target=self._warming, args=(served, turn), name="reckon-warm", daemon=True
            ).start()
        elif turn is not None:
            os.close(turn)

    def _warming(self, served: Served, turn: int | None = None) -> None:
        """Work out the `warm` steps for a generation now served, in turn; stop early once
        a newer one replaces it or the server stops. The collector is off meanwhile, and
        what the steps made is frozen after, for the reasons of `_quietly_load`."""
        started = time.monotonic()
        was = gc.isenabled()
        gc.disable()
        try:
            for name, step in self.warm:
                if served.retired or self._stop.is_set():
                    break
                try:
                    step(served.loaded)
                except Exception:
                    if not (served.retired or self._stop.is_set()):  # else closed under it: no fault
                        log.exception("warming generation %s: %s", served.loaded.generation, name)
                    continue
                served.warmed.append(name)
            else:
                log.info(
                    "generation %s warmed (%s) in %.1f s",
                    served.loaded.generation or "in place",
                    ", ".join(served.warmed),
                    time.monotonic() - started,
                )
        finally:
            gc.freeze()
            if was:
                gc.enable()
            with self._lock:
                served.refs -= 1
            if turn is not None:
                os.close(turn)

    def _close_retired(self) -> None:
        """Close each replaced generation that no request uses any more, and remove its copy."""
        with self._lock:
            idle = [s for s in self._retired if s.refs == 0]
            self._retired = [s for s in self._retired if s.refs > 0]
        for s in idle:
            _close(s)
        if idle:
            self._sweep()

    def _sweep(self) -> None:
        if self.snapshots is not None:
            try:
                self.snapshots.sweep()
            except Exception:
                log.exception("could not remove old copies of the store")

    def close(self) -> None:
        """Stop watching, close every generation and remove the copies no process uses.
        Called once the server has finished its requests."""
        self._stop.set()
        with self._lock:
            every = [*self._retired, *([self._current] if self._current else [])]
            self._retired = []
            self._current = None
        for s in every:
            _close(s)
        if self.snapshots is not None:
            try:
                self.snapshots.close()
            except Exception:
                log.exception("could not remove the copies of the store")


def _quietly_load(path: Path, generation: str) -> Loaded:
    """`load`, with the cyclic garbage collector off meanwhile. Loading makes millions of
    objects that live on; each full collection on the way walks them all, holding the GIL
    for up to seconds while requests wait. Off, the demo store loads in ~60% of the CPU time
    (8.7 s against 14–17 s) and /match answers on through a reload (`load_index` then
    freezes what was made out of the collector's sight)."""
    was = gc.isenabled()
    gc.disable()
    try:
        return load(path, generation)
    finally:
        if was:
            gc.enable()


def _close(served: Served) -> None:
    """Close a generation no request uses any more."""
    try:
        served.loaded.con.close()
    except Exception:
        log.exception("closing generation %s", served.loaded.generation)
    if served.snapshot is not None:
        served.snapshot.release()
    # The index sits in a reference cycle (its KeyWeights' function refers back to it), and
    # `load_index` froze it out of the cyclic collector's sight: dropped as it is, each reload
    # would keep ~100 MB of the demo store's index for good, and a full collection to find it
    # stalls every request for seconds. Emptying it frees it by reference counting, at once.
    index_attributes = getattr(served.loaded.index, "__dict__", None)
    if index_attributes is not None:
        index_attributes.clear()
    served.loaded.answers.clear()
