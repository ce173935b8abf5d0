"""The AWS provider object the registry hands out (`providers.aws.plugin:PROVIDER`).

Importing this module loads no SDK: boto3 is imported only when a scan or the demo is
asked for, so `hipaa-scan --help`, flag validation and `hipaa-scan permissions aws` work
without it (the collector modules import botocore lazily, on their first call).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import click

from providers.aws.options import AwsOptions, cli_params, options_from_flags
from providers.base import (
    Collector,
    Permission,
    ProgressFn,
    ProviderBase,
    find_collectors,
    union_permissions,
)
from scanner.model import Snapshot

# The verbs of AWS's read-only API operations (IAM's access levels "List" and "Read").
# API Gateway names its management reads after the HTTP verb: ``apigateway:GET`` is its one
# read action (its writes are POST, PUT, PATCH and DELETE).
READ_ONLY_PREFIXES = ("Get", "List", "Describe", "Lookup", "Search", "BatchGet", "Head", "GET")
# Identity calls the scanner needs that are not reads of configuration: they mint
# short-lived read credentials for the roles it is told to assume, and change nothing.
IDENTITY_CALLS = frozenset({"sts.AssumeRole"})


# The calls the provider itself makes (identity and region discovery), declared like a
# collector's so that `hipaa-scan permissions aws` and the read-only test see them.
CORE_CALLS = {
    "sts.GetCallerIdentity": "sts:GetCallerIdentity",
    "sts.AssumeRole": "sts:AssumeRole",
    "ec2.DescribeRegions": "ec2:DescribeRegions",
    "organizations.ListAccounts": "organizations:ListAccounts",
}


def all_collectors() -> tuple[Collector, ...]:
    """Every AWS collector in `providers.aws.services` (their modules load no SDK)."""
    from providers.aws import services  # noqa: PLC0415

    return find_collectors(services)


class AwsProvider(ProviderBase):
    """Amazon Web Services through boto3: accounts, organizations, regions."""

    name = "aws"
    title = "AWS"
    sdk_module = "providers.aws.provider"
    sdk_requirement = "boto3"
    extra = "aws"

    def cli_params(self) -> Sequence[click.Parameter]:
        """The `hipaa-scan aws` flags."""
        return cli_params()

    def options(self, flags: Mapping[str, Any]) -> AwsOptions:
        """Validated `AwsOptions` from the parsed flags."""
        return options_from_flags(flags)

    def collectors(self) -> Sequence[Collector]:
        """Every collector in `providers.aws.services`."""
        return all_collectors()

    def permissions(self) -> Sequence[Permission]:
        """The provider's identity and discovery calls plus every collector's."""
        core = [Permission(op, grant) for op, grant in CORE_CALLS.items()]
        return union_permissions(core, self.collectors())

    def permission_document(self) -> str:
        """An IAM policy document granting exactly the needed read-only actions."""
        document = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "HipaaScanReadOnly",
                    "Effect": "Allow",
                    "Action": sorted({p.grant for p in self.permissions()}),
                    "Resource": "*",
                }
            ],
        }
        return json.dumps(document, indent=2)

    def is_read_only(self, permission: Permission) -> bool:
        """A Get/List/Describe-style call allowed by a read action, or an identity call.

        The identity call (`sts:AssumeRole`) changes nothing in the scanned account.
        """
        if permission.operation in IDENTITY_CALLS:
            return True
        operation = permission.operation.split(".", 1)[-1]
        action = permission.grant.split(":", 1)[-1]
        return operation.startswith(READ_ONLY_PREFIXES) and action.startswith(READ_ONLY_PREFIXES)

    def demo(self, *, progress: ProgressFn | None = None, max_workers: int = 8) -> Snapshot:
        """The Northwind Health sample estate, seeded into moto inside this process."""
        from providers.aws.demo import run_demo  # noqa: PLC0415

        return run_demo(progress=progress, max_workers=max_workers)


PROVIDER = AwsProvider()
