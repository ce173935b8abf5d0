"""What every provider shares: collector declarations and thread-safe gap recording.

A collector is a function that reads one cloud service and yields resources. It declares
the API operations it may call and the read-only permission each needs; the provider
refuses any undeclared call, and `hipaa-scan permissions` prints the union.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from scanner.model import Gap, Resource

READ_ONLY_PREFIXES = ("Get", "List", "Describe", "Lookup", "Search", "BatchGet", "Head")


@dataclass(frozen=True)
class Collector:
    """A declared reader of one service: what it calls and what permission each call needs."""

    name: str
    service: str
    regional: bool
    calls: Mapping[str, str]
    fn: Callable[[Any], Iterable[Resource[Any]]]


def collector(
    service: str, *, regional: bool, calls: Mapping[str, str]
) -> Callable[[Callable[[Any], Iterable[Resource[Any]]]], Collector]:
    """Declare a collector; `calls` maps each API operation name to its IAM permission."""

    def wrap(fn: Callable[[Any], Iterable[Resource[Any]]]) -> Collector:
        return Collector(name=fn.__name__, service=service, regional=regional,
                         calls=dict(calls), fn=fn)

    return wrap


def find_collectors(package: ModuleType) -> tuple[Collector, ...]:
    """Every `Collector` defined in the modules of `package`, ordered by name."""
    found: dict[str, Collector] = {}
    for info in pkgutil.iter_modules(package.__path__, prefix=f"{package.__name__}."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, Collector):
                found[f"{value.service}.{value.name}"] = value
    return tuple(found[key] for key in sorted(found))


class GapRecorder:
    """Collects gaps from many worker threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._gaps: list[Gap] = []

    def add(self, gap: Gap) -> None:
        """Record one gap."""
        with self._lock:
            self._gaps.append(gap)

    def all(self) -> tuple[Gap, ...]:
        """Every gap recorded so far, sorted and without duplicates."""
        with self._lock:
            return tuple(sorted(set(self._gaps), key=Gap.sort_key))


class CallCounter:
    """Counts API calls by ``service.Operation`` across threads (for tests and benchmarks)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counts: Counter[str] = Counter()

    def add(self, key: str) -> None:
        """Count one call."""
        with self._lock:
            self.counts[key] += 1

    @property
    def total(self) -> int:
        """All calls counted."""
        with self._lock:
            return sum(self.counts.values())
