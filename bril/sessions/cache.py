"""A small cache for what a session shows at one version.

A version number names one state of a session for ever, so whatever is built from it (the moment,
a rendered view, a stream event) can be kept without ever being invalidated: a change makes a new
version and thus a new key. When a thousand streams ask for the same key at once, one builds it and
the others wait for that result instead of building it too.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

T = TypeVar("T")


class VersionCache(Generic[T]):
    """Keep the most recently used `size` values; build a missing value once, however many ask."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self.values: OrderedDict[Hashable, T] = OrderedDict()
        self.lock = threading.Lock()
        self.building: dict[Hashable, threading.Lock] = {}
        self.builds = 0  # how many values were built; tests and benchmarks read it

    def get(self, key: Hashable, build: Callable[[], T], keep: Callable[[T], bool] | None = None) -> T:
        """The value for `key`, built by `build()` when nobody has built it yet.

        `keep` may refuse to keep a built value under `key` (it is still returned to this caller).
        """
        with self.lock:
            if key in self.values:
                self.values.move_to_end(key)
                return self.values[key]
            gate = self.building.setdefault(key, threading.Lock())
        with gate:
            with self.lock:
                if key in self.values:
                    return self.values[key]
            try:
                value = build()
            finally:
                with self.lock:
                    self.building.pop(key, None)
            with self.lock:
                self.builds += 1
                if keep is None or keep(value):
                    self.values[key] = value
                while len(self.values) > self.size:
                    self.values.popitem(last=False)
            return value

    def peek(self, key: Hashable) -> T | None:
        """The value for `key` if it was built, without building it."""
        with self.lock:
            return self.values.get(key)

    def __len__(self) -> int:
        return len(self.values)

    def clear(self) -> None:
        with self.lock:
            self.values.clear()
