"""What `hipaa-scan aws` may be asked: its flags and the validated `AwsOptions`.

This module imports no SDK, so the CLI can show `hipaa-scan aws --help` and validate flags
before boto3 is loaded (or when it is not installed).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import click

from scanner.errors import UsageError
from scanner.redact import redact_url
from scanner.shards import Shard, parse_shard

_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")


@dataclass(frozen=True)
class OrgSelection:
    """Which organization accounts to scan: all active ones, narrowed by ids."""

    role_name: str
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    shard: Shard | None = None

    def wants(self, account_id: str) -> bool:
        """True when `account_id` passes `--account` / `--exclude-account`."""
        if self.include and account_id not in self.include:
            return False
        return account_id not in self.exclude


@dataclass(frozen=True)
class AwsOptions:
    """What `hipaa-scan aws` was asked to scan, and how hard it may push."""

    profile: str | None = None
    regions: tuple[str, ...] = ()
    endpoint_url: str | None = None
    max_workers: int = 16
    max_attempts: int = 5
    collectors: tuple[str, ...] = field(default=())
    role_arn: str | None = None
    external_id: str | None = None
    org: OrgSelection | None = None


def cli_params() -> list[click.Parameter]:
    """The flags of `hipaa-scan aws`, in the order `--help` shows them."""
    return [
        click.Option(
            ["--profile"], help="AWS profile name (default: the standard credential chain)."
        ),
        click.Option(
            ["--region", "regions"],
            multiple=True,
            help="Region to scan (repeat). Default: every region enabled for the account.",
        ),
        click.Option(
            ["--endpoint-url"], help="Send every AWS call to this base URL (also AWS_ENDPOINT_URL)."
        ),
        click.Option(
            ["--role-arn"], help="Scan the account of this IAM role, assumed with sts:AssumeRole."
        ),
        click.Option(["--external-id"], help="ExternalId for --role-arn / --org-role."),
        click.Option(
            ["--org"],
            is_flag=True,
            help="Scan every active account of the AWS Organization (needs --org-role).",
        ),
        click.Option(["--org-role"], help="Read-only role NAME present in every member account."),
        click.Option(
            ["--account", "accounts"], multiple=True, help="With --org: only these account ids."
        ),
        click.Option(
            ["--exclude-account", "exclude_accounts"],
            multiple=True,
            help="With --org: skip these account ids.",
        ),
        click.Option(
            ["--shard"],
            metavar="I/N",
            help="With --org: scan only shard I of N (a stable partition of the "
            "accounts); merge the shards' snapshots with 'hipaa-scan evaluate'.",
        ),
        click.Option(
            ["--max-workers"],
            default=16,
            show_default=True,
            type=click.IntRange(1, 256),
            help="Concurrent collector tasks (accounts x regions x services).",
        ),
        click.Option(
            ["--max-attempts"],
            default=5,
            show_default=True,
            type=click.IntRange(1, 20),
            help="Attempts per API call (adaptive retry with backoff on throttling and 5xx).",
        ),
    ]


def options_from_flags(flags: Mapping[str, Any]) -> AwsOptions:
    """Validate the parsed `hipaa-scan aws` flags into `AwsOptions` (`UsageError` if bad)."""
    org_flag = bool(flags.get("org"))
    accounts = tuple(flags.get("accounts") or ())
    excluded = tuple(flags.get("exclude_accounts") or ())
    if (accounts or excluded) and not org_flag:
        raise UsageError("--account and --exclude-account only apply with --org")
    shard = parse_shard(str(flags["shard"])) if flags.get("shard") else None
    if shard is not None and not org_flag:
        raise UsageError(
            "--shard only applies with --org (it splits the organization's accounts across jobs)"
        )
    org = None
    if org_flag:
        if not flags.get("org_role"):
            raise UsageError(
                "--org needs --org-role NAME: a read-only role present in every "
                "member account (there is no default, so no write role is assumed)"
            )
        org = OrgSelection(
            str(flags["org_role"]), wanted_accounts(accounts), wanted_accounts(excluded), shard
        )
    elif flags.get("org_role"):
        raise UsageError("--org-role only applies with --org")
    if flags.get("role_arn"):
        role_account(str(flags["role_arn"]))
    if flags.get("external_id") and not (flags.get("role_arn") or org_flag):
        raise UsageError("--external-id only applies with --role-arn or --org")
    if flags.get("external_id") is not None:
        check_external_id(str(flags["external_id"]))
    for region in flags.get("regions") or ():
        check_region_name(str(region))
    endpoint = flags.get("endpoint_url")
    if endpoint is not None:
        check_endpoint(str(endpoint), "--endpoint-url")
    elif os.environ.get("AWS_ENDPOINT_URL"):
        endpoint = os.environ["AWS_ENDPOINT_URL"]
        check_endpoint(endpoint, "AWS_ENDPOINT_URL")
    return AwsOptions(
        profile=flags.get("profile"),
        regions=tuple(flags.get("regions") or ()),
        endpoint_url=endpoint or None,
        max_workers=int(flags.get("max_workers", 16)),
        max_attempts=int(flags.get("max_attempts", 5)),
        role_arn=flags.get("role_arn"),
        external_id=flags.get("external_id"),
        org=org,
    )


# STS's ExternalId: 2 to 1,224 characters from this set (AssumeRole's API reference).
_EXTERNAL_ID = re.compile(r"[\w+=,.@:/-]{2,1224}", re.ASCII)


def check_external_id(value: str) -> None:
    """A `UsageError` unless `value` is an ExternalId STS accepts."""
    if not _EXTERNAL_ID.fullmatch(value):
        raise UsageError(
            "--external-id must be 2 to 1,224 characters of letters, digits and +=,.@:/-_ "
            f"(got {len(value)} characters); STS would refuse it"
        )


def check_endpoint(url: str, source: str) -> None:
    """A `UsageError` unless `url` is an http(s) URL with a host."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        shown = redact_url(url) if parts is not None else "(unparsable)"
        raise UsageError(
            f"{source} {shown!r} is not an http:// or https:// URL with a "
            "host, such as https://gateway.example:8443"
        )


def check_region_name(region: str) -> None:
    """A `UsageError` unless `region` is shaped like an AWS region name (``eu-west-1``).

    Whether the region exists is checked against the SDK's list of known regions when
    the scan starts (`providers.aws.provider`).
    """
    if not _REGION.fullmatch(region):
        raise UsageError(f"--region {region!r} is not an AWS region name (e.g. us-east-1)")


def role_account(role_arn: str) -> str:
    """The account id of an IAM role ARN; a `UsageError` when it is not one."""
    parts = role_arn.split(":")
    if len(parts) < 6 or parts[2] != "iam" or not parts[4].isdigit():
        raise UsageError(
            f"--role-arn {role_arn!r} is not an IAM role ARN "
            "(expected arn:aws:iam::123456789012:role/NAME)"
        )
    return parts[4]


def wanted_accounts(selection: Sequence[str]) -> tuple[str, ...]:
    """Validate `--account` / `--exclude-account` ids (12 digits)."""
    for account_id in selection:
        if not (account_id.isdigit() and len(account_id) == 12):
            raise UsageError(f"account id {account_id!r} is not 12 digits")
    return tuple(selection)
