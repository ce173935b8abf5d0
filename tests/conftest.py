"""Shared fixtures: a sealed environment (no real credentials, no metadata address)."""

from __future__ import annotations

import json
import os
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    """Before any fixture of any scope: moto must never load its ~1,300 public AMIs.

    moto reads MOTO_AMIS_PATH when an EC2 backend is first built in a process; a
    module-scoped fixture (which runs before the function-scoped `sealed_env`) or a
    server thread could otherwise build it with the public snapshots, and every later
    EC2 test in that worker would see them as the account's own.
    """
    del config
    empty = Path(tempfile.mkdtemp(prefix="hipaa-scan-tests-")) / "no-amis.json"
    empty.write_text("[]", encoding="utf-8")
    os.environ.setdefault("MOTO_AMIS_PATH", str(empty))


@pytest.fixture(autouse=True)
def sealed_env(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Fake AWS credentials and no metadata lookups, for every test."""
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_ENDPOINT_URL",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_ROLE_ARN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    empty = tmp_path_factory.getbasetemp() / "empty-amis.json"
    if not empty.exists():
        empty.write_text(json.dumps([]))
    monkeypatch.setenv("MOTO_AMIS_PATH", str(empty))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path_factory.getbasetemp() / "no-aws-config"))
    monkeypatch.setenv(
        "AWS_SHARED_CREDENTIALS_FILE", str(tmp_path_factory.getbasetemp() / "no-aws-credentials")
    )
    # Google: no credentials file, no gcloud config, and a metadata server address that
    # is a closed loopback port, so a stray google.auth.default() never leaves the host.
    for name in (
        "GOOGLE_APPLICATION_CREDENTIALS",
        "STORAGE_EMULATOR_HOST",
        "GOOGLE_CLOUD_PROJECT",
        "CLOUDSDK_CORE_PROJECT",
    ):
        monkeypatch.delenv(name, raising=False)
    closed = f"127.0.0.1:{CLOSED_PORT}"
    monkeypatch.setenv("GCE_METADATA_HOST", closed)
    monkeypatch.setenv("GCE_METADATA_IP", closed)
    monkeypatch.setenv("NO_GCE_CHECK", "true")
    monkeypatch.setenv("DISABLE_GCS_PYTHON_CLIENT_OTEL_BUCKET_METADATA", "true")
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path_factory.getbasetemp() / "no-gcloud"))
    # The text report's width and colour follow these: tests must not inherit a terminal's.
    for name in ("COLUMNS", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    yield


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


CLOSED_PORT = _closed_port()
