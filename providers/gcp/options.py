"""What `hipaa-scan gcp` may be asked: its flags and the validated `GcpOptions`.

This module imports no SDK, so the CLI can show `hipaa-scan gcp --help` and validate flags
before the Google client libraries are loaded (or when they are not installed).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import click

from scanner.errors import UsageError
from scanner.shards import Shard, parse_shard

# Project ids: 6 to 30 lower-case letters, digits and hyphens, starting with a letter
# (https://cloud.google.com/resource-manager/docs/creating-managing-projects). Legacy
# domain-scoped ids ("example.com:project") are accepted too.
_PROJECT_ID = re.compile(r"^([a-z][a-z0-9.-]*[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class GcpOptions:
    """What `hipaa-scan gcp` was asked to scan, and how hard it may push.

    `api_endpoint` is one base URL every Google API call goes to (each API's own service
    path is appended, as on googleapis.com); `storage_endpoint` overrides it for Cloud
    Storage alone (``STORAGE_EMULATOR_HOST``). `backoff_seconds` is the first wait before
    retrying a throttled or failed call; it doubles on each attempt.
    """

    projects: tuple[str, ...] = ()
    all_projects: bool = False
    exclude_projects: tuple[str, ...] = ()
    folders: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    api_endpoint: str | None = None
    storage_endpoint: str | None = None
    anonymous: bool = False
    impersonate_service_account: str | None = None
    max_workers: int = 16
    max_attempts: int = 5
    backoff_seconds: float = 1.0
    timeout_seconds: float = 60.0
    collectors: tuple[str, ...] = ()
    shard: Shard | None = None

    def wants(self, project_id: str) -> bool:
        """True when `project_id` is not excluded by `--exclude-project`."""
        return project_id not in self.exclude_projects


def cli_params() -> list[click.Parameter]:
    """The flags of `hipaa-scan gcp`, in the order `--help` shows them."""
    return [
        click.Option(["--project", "projects"], multiple=True, help="Project id to scan (repeat)."),
        click.Option(
            ["--all-projects"],
            is_flag=True,
            help="Scan every ACTIVE project the credentials can list.",
        ),
        click.Option(
            ["--shard"],
            metavar="I/N",
            help="With --all-projects: scan only shard I of N (a stable partition); merge "
            "the shards' snapshots with 'hipaa-scan evaluate'.",
        ),
        click.Option(
            ["--exclude-project", "exclude_projects"],
            multiple=True,
            help="With --all-projects: skip this project id (repeat).",
        ),
        click.Option(
            ["--folder", "folders"],
            multiple=True,
            metavar="ID",
            help="With --all-projects: only projects under this folder, at any depth (repeat).",
        ),
        click.Option(
            ["--organization", "organizations"],
            multiple=True,
            metavar="ID",
            help="With --all-projects: only projects under this organization (repeat).",
        ),
        click.Option(
            ["--api-endpoint"],
            help="Send every Google API call to this base URL (private gateways, "
            "local fakes); STORAGE_EMULATOR_HOST is honoured for Cloud Storage.",
        ),
        click.Option(
            ["--anonymous"],
            is_flag=True,
            help="Use no credentials at all (emulators and local fakes).",
        ),
        click.Option(
            ["--impersonate-service-account"],
            metavar="EMAIL",
            help="Scan as this service account, impersonated with the Application "
            "Default Credentials (needs roles/iam.serviceAccountTokenCreator).",
        ),
        click.Option(
            ["--max-workers"],
            default=16,
            show_default=True,
            type=click.IntRange(1, 256),
            help="Concurrent collector tasks (projects x services).",
        ),
        click.Option(
            ["--max-attempts"],
            default=5,
            show_default=True,
            type=click.IntRange(1, 20),
            help="Attempts per API call (backoff on 429 and 5xx).",
        ),
    ]


def options_from_flags(flags: Mapping[str, Any]) -> GcpOptions:
    """Validate the parsed `hipaa-scan gcp` flags into `GcpOptions` (`UsageError` if bad)."""
    projects = _project_ids(flags.get("projects") or (), "--project")
    excluded = _project_ids(flags.get("exclude_projects") or (), "--exclude-project")
    all_projects = bool(flags.get("all_projects"))
    if all_projects and projects:
        raise UsageError(
            "--project and --all-projects exclude each other: give project ids, "
            "or --all-projects (with --exclude-project to skip some)"
        )
    if not all_projects and not projects:
        raise UsageError("name what to scan: --project ID (repeatable) or --all-projects")
    if excluded and not all_projects:
        raise UsageError("--exclude-project only applies with --all-projects")
    shard = parse_shard(str(flags["shard"])) if flags.get("shard") else None
    if shard is not None and not all_projects:
        raise UsageError(
            "--shard only applies with --all-projects (it splits the projects across jobs)"
        )
    folders = _numeric_ids(flags.get("folders") or (), "--folder")
    organizations = _numeric_ids(flags.get("organizations") or (), "--organization")
    if (folders or organizations) and not all_projects:
        raise UsageError("--folder and --organization only apply with --all-projects")
    anonymous = bool(flags.get("anonymous"))
    impersonate = flags.get("impersonate_service_account") or None
    if impersonate is not None:
        if anonymous:
            raise UsageError(
                "--anonymous and --impersonate-service-account exclude each "
                "other: impersonation needs credentials"
            )
        if not _EMAIL.match(str(impersonate)):
            raise UsageError(
                f"--impersonate-service-account {impersonate!r} is not a "
                "service-account email (NAME@PROJECT.iam.gserviceaccount.com)"
            )
    return GcpOptions(
        projects=projects,
        all_projects=all_projects,
        exclude_projects=excluded,
        shard=shard,
        folders=folders,
        organizations=organizations,
        api_endpoint=_endpoint(flags.get("api_endpoint"), "--api-endpoint"),
        storage_endpoint=_endpoint(
            os.environ.get("STORAGE_EMULATOR_HOST"), "STORAGE_EMULATOR_HOST"
        ),
        anonymous=anonymous,
        impersonate_service_account=impersonate,
        max_workers=int(flags.get("max_workers", 16)),
        max_attempts=int(flags.get("max_attempts", 5)),
    )


def _project_ids(values: Sequence[str], flag: str) -> tuple[str, ...]:
    for value in values:
        if not _PROJECT_ID.match(value):
            raise UsageError(
                f"{flag} {value!r} is not a project id (6-30 lower-case "
                "letters, digits and hyphens, starting with a letter)"
            )
    return tuple(dict.fromkeys(values))


def _numeric_ids(values: Sequence[str], flag: str) -> tuple[str, ...]:
    """Folder and organization ids are numbers (``folders/123`` is accepted too)."""
    found = []
    for value in values:
        number = str(value).rsplit("/", 1)[-1]
        if not number.isdigit():
            raise UsageError(f"{flag} {value!r} is not a numeric id (e.g. 123456789012)")
        found.append(number)
    return tuple(dict.fromkeys(found))


def _endpoint(value: object, name: str) -> str | None:
    """A base URL without its trailing slash; a bare host:port gets ``http://``."""
    if not value:
        return None
    text = str(value).strip()
    if "://" not in text:
        # STORAGE_EMULATOR_HOST is commonly a bare host:port.
        text = f"http://{text}"
    parsed = urlparse(text)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise UsageError(f"{name} {value!r} is not an http(s) URL")
    return text.rstrip("/")
