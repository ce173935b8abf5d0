"""Fixtures: one fake Google server per session, reset and loaded with the estate per test."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from providers.base import CallCounter
from providers.gcp import provider
from providers.gcp.demo_estate import estate
from providers.gcp.fake import FakeGoogle, Running, serve
from providers.gcp.options import GcpOptions
from scanner.model import Snapshot


@pytest.fixture(scope="session")
def google() -> Iterator[Running]:
    running = serve()
    yield running
    running.stop()


@pytest.fixture
def fake(google: Running) -> FakeGoogle:
    google.fake.reset()
    google.fake.projects.update(estate())
    return google.fake


Scan = Callable[..., Snapshot]


@pytest.fixture
def scan(google: Running, fake: FakeGoogle) -> Scan:
    """Collect from the fake: ``scan("proj", ..., collectors=("storage",))``."""

    def run(*projects: str, counter: CallCounter | None = None, **overrides: Any) -> Snapshot:
        settings: dict[str, Any] = {
            "projects": projects,
            "api_endpoint": google.endpoint,
            "anonymous": True,
            "max_attempts": 3,
            "backoff_seconds": 0.01,
            "max_workers": 4,
        }
        settings.update(overrides)
        return provider.collect(GcpOptions(**settings), counter=counter)

    return run


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection to an address other than 127.0.0.1 fails the test (no Google, no
    metadata server), whatever the client library tries."""
    original = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise AssertionError(f"a GCP test tried to connect to {address!r}")
        return original(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
