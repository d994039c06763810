"""One instance per container, made on first use: the single way services and adapters are held.

``per_container(factory)`` is called like the factory; the first call builds (once, even under
concurrent calls), later calls return the same object. ``set`` replaces it (tests, benchmarks),
``reset`` forgets it so the next call builds anew. Nothing is built at import time.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class PerContainer(Generic[T]):
    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._value: T | None = None
        self._lock = threading.Lock()
        functools.update_wrapper(self, factory)

    def __call__(self) -> T:
        value = self._value
        if value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._factory()
                value = self._value
        return value

    def set(self, value: T | None) -> None:
        """Use ``value`` from now on; None builds anew on the next call."""
        with self._lock:
            self._value = value

    def reset(self) -> None:
        self.set(None)


def per_container(factory: Callable[[], T]) -> PerContainer[T]:
    return PerContainer(factory)
