"""Azure fixtures: a sealed Azure environment and the fake ARM (one per session, reset)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest

from providers.azure.fake_arm import TOKEN, FakeArm, running
from providers.base import CallCounter
from scanner.model import Snapshot


@pytest.fixture(autouse=True)
def sealed_azure(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No Azure CLI profile, no service-principal variables, a static token only."""
    empty = tmp_path_factory.getbasetemp() / "empty-azure-config"
    empty.mkdir(exist_ok=True)
    monkeypatch.setenv("AZURE_CONFIG_DIR", str(empty))
    for name in (
        "AZURE_CLIENT_ID",
        "AZURE_CLIENT_SECRET",
        "AZURE_TENANT_ID",
        "AZURE_FEDERATED_TOKEN_FILE",
        "AZURE_USERNAME",
        "IDENTITY_ENDPOINT",
        "MSI_ENDPOINT",
        "REQUESTS_CA_BUNDLE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HIPAA_SCAN_AZURE_TOKEN", TOKEN)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a test built DefaultAzureCredential (it probes IMDS)")

    monkeypatch.setattr("azure.identity.DefaultAzureCredential", refuse)


@pytest.fixture(scope="session")
def arm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeArm]:
    with running(tmp_path_factory.mktemp("fake-arm")) as fake:
        yield fake


@pytest.fixture
def arm(arm_server: FakeArm) -> FakeArm:
    """The session's fake ARM, emptied."""
    arm_server.reset()
    arm_server.page_size = 2
    arm_server.latency = 0.0
    return arm_server


def scan(
    fake: FakeArm,
    subscriptions: Sequence[str] = (),
    *,
    everything: bool = False,
    max_attempts: int = 1,
    counter: CallCounter | None = None,
    **flags: Any,
) -> Snapshot:
    """Collect through the real provider against the fake."""
    from providers.azure.options import options_from_flags
    from providers.azure.provider import collect

    options = options_from_flags(
        {
            "subscriptions": tuple(subscriptions),
            "all_subscriptions": everything,
            "arm_endpoint": fake.base_url,
            "ca_bundle": fake.ca_path,
            "max_workers": 4,
            "max_attempts": max_attempts,
            **flags,
        }
    )
    return collect(options, counter=counter)


def by_uid(snapshot: Snapshot) -> dict[str, Any]:
    return {r.uid: r for r in snapshot.resources}
