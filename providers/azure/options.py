"""What `hipaa-scan azure` may be asked: its flags and the validated `AzureOptions`.

This module imports no SDK, so the CLI can show `hipaa-scan azure --help` and validate
flags before azure-core is loaded (or when it is not installed).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from scanner.errors import UsageError
from scanner.shards import Shard, parse_shard

# A static bearer token for ARM (CI systems that mint their own); never logged or stored.
TOKEN_ENV = "HIPAA_SCAN_AZURE_TOKEN"

# Azure Resource Manager of each cloud: (endpoint, token scope).
CLOUDS: Mapping[str, tuple[str, str]] = {
    "public": ("https://management.azure.com", "https://management.azure.com/.default"),
    "usgov": (
        "https://management.usgovcloudapi.net",
        "https://management.usgovcloudapi.net/.default",
    ),
    "china": (
        "https://management.chinacloudapi.cn",
        "https://management.chinacloudapi.cn/.default",
    ),
}

_SUBSCRIPTION_ID = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE
)


@dataclass(frozen=True)
class AzureOptions:
    """What `hipaa-scan azure` was asked to scan, and how hard it may push.

    `subscriptions` are lower-cased ids; empty with `all_subscriptions` means every
    active (Enabled, Warned or PastDue) subscription the credential can list, less
    `exclude`. `ca_bundle` verifies `arm_endpoint` only (it is never installed
    process-wide).
    """

    subscriptions: tuple[str, ...] = ()
    all_subscriptions: bool = False
    management_group: str | None = None
    exclude: tuple[str, ...] = ()
    cloud: str = "public"
    arm_endpoint: str = CLOUDS["public"][0]
    token_scope: str = CLOUDS["public"][1]
    ca_bundle: str | None = None
    max_workers: int = 16
    max_attempts: int = 4
    static_token: bool = False
    shard: Shard | None = None

    @property
    def custom_endpoint(self) -> bool:
        """True when ARM is not the cloud's own endpoint (Azure Stack, a gateway, a fake)."""
        return self.arm_endpoint != CLOUDS[self.cloud][0]


def cli_params() -> list[click.Parameter]:
    """The flags of `hipaa-scan azure`, in the order `--help` shows them."""
    return [
        click.Option(
            ["--subscription", "subscriptions"],
            multiple=True,
            help="Subscription id to scan (repeat).",
        ),
        click.Option(
            ["--all-subscriptions"],
            is_flag=True,
            help="Scan every active (Enabled, Warned, PastDue) subscription the credential "
            "can list.",
        ),
        click.Option(
            ["--management-group"],
            help="Scan every active (Enabled, Warned, PastDue) subscription below this "
            "management group id; the others are reported as gaps.",
        ),
        click.Option(
            ["--exclude-subscription", "exclude_subscriptions"],
            multiple=True,
            help="With --all-subscriptions or --management-group: skip this "
            "subscription id (repeat).",
        ),
        click.Option(
            ["--shard"],
            metavar="I/N",
            help="With --all-subscriptions or --management-group: scan only shard I "
            "of N (a stable partition); merge with 'hipaa-scan evaluate'.",
        ),
        click.Option(
            ["--cloud"],
            type=click.Choice(sorted(CLOUDS)),
            default="public",
            show_default=True,
            help="Azure cloud (sovereign clouds: usgov, china).",
        ),
        click.Option(
            ["--arm-endpoint"],
            help="Azure Resource Manager base URL (Azure Stack, a private gateway, "
            "a local fake). Must be https.",
        ),
        click.Option(
            ["--ca-bundle"], help="PEM file of CA certificates trusted for --arm-endpoint only."
        ),
        click.Option(
            ["--max-workers"],
            default=16,
            show_default=True,
            type=click.IntRange(1, 256),
            help="Concurrent collector tasks (subscriptions x services).",
        ),
        click.Option(
            ["--max-attempts"],
            default=4,
            show_default=True,
            type=click.IntRange(1, 20),
            help="Attempts per ARM call (retries honour Retry-After on 429 and back off on 5xx).",
        ),
    ]


def options_from_flags(
    flags: Mapping[str, Any], environ: Mapping[str, str] | None = None
) -> AzureOptions:
    """Validate the parsed `hipaa-scan azure` flags into `AzureOptions` (`UsageError` if bad)."""
    env = os.environ if environ is None else environ
    subscriptions = subscription_ids(flags.get("subscriptions") or (), "--subscription")
    excluded = subscription_ids(flags.get("exclude_subscriptions") or (), "--exclude-subscription")
    everything = bool(flags.get("all_subscriptions"))
    group = str(flags.get("management_group") or "").strip() or None
    if sum((bool(subscriptions), everything, group is not None)) > 1:
        raise UsageError(
            "use one of --subscription, --all-subscriptions and --management-group, not several"
        )
    shard = parse_shard(str(flags["shard"])) if flags.get("shard") else None
    if shard is not None and not (everything or group):
        raise UsageError(
            "--shard only applies with --all-subscriptions or --management-group "
            "(it splits their subscriptions across jobs)"
        )
    if excluded and not (everything or group):
        raise UsageError(
            "--exclude-subscription only applies with --all-subscriptions or --management-group"
        )
    if not everything and not subscriptions and group is None:
        raise UsageError(
            "name what to scan: --subscription ID (repeatable), "
            "--all-subscriptions or --management-group ID"
        )
    if group is not None and not re.fullmatch(r"[\w().-]{1,90}", group):
        raise UsageError(f"--management-group {group!r} is not a management group id")
    cloud = str(flags.get("cloud") or "public")
    if cloud not in CLOUDS:
        raise UsageError(f"--cloud {cloud!r}: choose one of {', '.join(sorted(CLOUDS))}")
    endpoint, scope = CLOUDS[cloud]
    arm = flags.get("arm_endpoint")
    if arm:
        endpoint = arm_endpoint(str(arm))
    ca_bundle = flags.get("ca_bundle")
    if ca_bundle:
        if not arm:
            raise UsageError("--ca-bundle only applies with --arm-endpoint")
        if not Path(str(ca_bundle)).is_file():
            raise UsageError(f"--ca-bundle {ca_bundle!r} is not a readable file")
    return AzureOptions(
        subscriptions=subscriptions,
        all_subscriptions=everything,
        management_group=group,
        shard=shard,
        exclude=excluded,
        cloud=cloud,
        arm_endpoint=endpoint,
        token_scope=scope,
        ca_bundle=str(ca_bundle) if ca_bundle else None,
        max_workers=int(flags.get("max_workers", 16)),
        max_attempts=int(flags.get("max_attempts", 4)),
        static_token=bool(env.get(TOKEN_ENV)),
    )


def arm_endpoint(url: str) -> str:
    """A validated ARM base URL without a trailing slash (https only: a bearer token)."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise UsageError(
            f"--arm-endpoint {url!r} must be an https:// URL (ARM takes a "
            "bearer token, which must never travel over plain HTTP)"
        )
    if parts.username or parts.password or parts.query or parts.fragment:
        raise UsageError(
            f"--arm-endpoint {url!r} must be a plain base URL (no credentials, query or fragment)"
        )
    return url.rstrip("/")


def subscription_ids(values: Sequence[str], flag: str) -> tuple[str, ...]:
    """Validate subscription ids (GUIDs); returned lower-cased, without duplicates."""
    seen: dict[str, None] = {}
    for value in values:
        if not _SUBSCRIPTION_ID.match(value.strip()):
            raise UsageError(
                f"{flag} {value!r} is not a subscription id (a GUID such as "
                "00000000-0000-0000-0000-000000000000)"
            )
        seen[value.strip().lower()] = None
    return tuple(seen)
