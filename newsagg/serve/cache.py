"""A small, thread-safe LRU with a time limit, for views that are costly to compute and rarely change."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any, Generic, TypeVar

V = TypeVar("V")


class ViewCache(Generic[V]):
    """A small LRU of computed views keyed by what would change them (story id, article count, last update),
    each entry trusted for ``ttl`` seconds at most (an article can change without its story's record)."""

    def __init__(self, size: int, ttl: float) -> None:
        self._entries: OrderedDict[tuple[Any, ...], tuple[float, V]] = OrderedDict()
        self._size = size
        self._ttl = ttl
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> V | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None or time.monotonic() - found[0] > self._ttl:
                return None
            self._entries.move_to_end(key)
            return found[1]

    def put(self, key: tuple[Any, ...], value: V) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
