"""End-to-end fixtures: a moto server on 127.0.0.1 in this process, and the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from providers.aws.demo import local_aws
from providers.aws.demo_estate import DEMO_REGIONS, seed


@dataclass(frozen=True)
class CliResult:
    code: int
    stdout: str
    stderr: str


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """One moto server for the session; tests reset it through `fresh_moto`."""
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    with local_aws() as endpoint:
        yield endpoint


def reset(endpoint: str) -> None:
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    # Resetting every backend of a seeded demo estate took 15-25 s on a loaded 2-core
    # host (2026-12), so 30 s timed out now and then: the reset is slow, not stuck.
    with urllib.request.urlopen(request, timeout=120) as answer:
        assert answer.status == 200


@pytest.fixture
def fresh_moto(moto_endpoint: str) -> str:
    reset(moto_endpoint)
    return moto_endpoint


@dataclass(frozen=True)
class Seeded:
    endpoint: str
    ids: dict[str, str]


@pytest.fixture
def seeded(fresh_moto: str) -> Seeded:
    """The demo estate on a fresh server, with the ids moto generated for it."""
    return Seeded(fresh_moto, seed(fresh_moto))


@pytest.fixture
def demo_estate(seeded: Seeded) -> str:
    return seeded.endpoint


def cli_env(tmp_path: Path) -> dict[str, str]:
    # The text report's layout and colour must not depend on the terminal running the tests.
    terminal = ("COLUMNS", "NO_COLOR", "FORCE_COLOR")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k not in terminal}
    env.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
        }
    )
    return env


def hipaa_scan_command() -> list[str]:
    """The installed console script (next to this interpreter), as a user would run it."""
    script = Path(sys.executable).with_name("hipaa-scan")
    found = str(script) if script.exists() else shutil.which("hipaa-scan")
    assert found, "the hipaa-scan console script is not installed (pip install -e '.[test]')"
    return [found]


def run_cli(args: Sequence[str], tmp_path: Path, timeout: float = 300) -> CliResult:
    done = subprocess.run(
        [*hipaa_scan_command(), *args],
        capture_output=True,
        text=True,
        env=cli_env(tmp_path),
        timeout=timeout,
        check=False,
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


def scan_args(endpoint: str, *extra: str) -> list[str]:
    regions = [arg for region in DEMO_REGIONS for arg in ("--region", region)]
    # moto answers APIs it lacks (AWS Artifact) with HTTP 500: one attempt keeps the tests
    # from sleeping through botocore's backoff.
    return [
        "aws",
        "--endpoint-url",
        endpoint,
        *regions,
        "--no-progress",
        "--max-attempts",
        "1",
        *extra,
    ]


def triples(report: dict[str, Any], prefix: str = "") -> set[tuple[str, str, str]]:
    return {
        (f["rule_id"], f["resource"]["uid"], f["status"])
        for f in report["findings"]
        if f["rule_id"].startswith(prefix)
    }


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
