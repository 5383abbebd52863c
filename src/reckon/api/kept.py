"""The latest answers of one loaded store, bounded: what the routes and pages keep so
that a question asked again costs nothing (a store is read-only while loaded, so an
answer stays true; each is kept with its store, by `Loaded.memo`)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Recent(Generic[V]):
    """At most `size` answers, the least recently asked dropped first; with a `budget`,
    also at most that many bytes of them (answers as bytes: their length; an answer
    bigger than the whole budget is not kept)."""

    def __init__(self, size: int, budget: int | None = None) -> None:
        self.size = size
        self.budget = budget
        self._kept: OrderedDict[Hashable, V] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @staticmethod
    def _weight(value: object) -> int:
        return len(value) if isinstance(value, bytes) else 0

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, key: Hashable, value: V) -> None:
        weight = self._weight(value)
        if self.budget is not None and weight > self.budget:
            return
        with self._lock:
            old = self._kept.pop(key, None)
            self._bytes -= self._weight(old)
            self._kept[key] = value
            self._bytes += weight
            while len(self._kept) > self.size or (self.budget is not None and self._bytes > self.budget):
                _, dropped = self._kept.popitem(last=False)
                self._bytes -= self._weight(dropped)
