"""Which AWS accounts a scan covers, and a session for each.

Three shapes: the caller's own account (profile / environment), one account through an
assumed role (`--role-arn`), or every active account of an AWS Organization through a
named read-only role (`--org --org-role NAME`). An account whose role cannot be assumed
becomes a gap for that account; the others are still scanned.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import botocore.session
from botocore.credentials import RefreshableCredentials
from botocore.exceptions import BotoCoreError, ClientError

from providers.aws.options import OrgSelection, role_account
from providers.aws.task import error_code, fault_message
from providers.base import MAX_MESSAGE
from scanner.errors import CollectionError, UsageError
from scanner.model import Gap
from scanner.shards import plan_digest, select

ROLE_SESSION_NAME = "hipaa-scan"
ROLE_SESSION_SECONDS = 3600


@dataclass(frozen=True)
class AccountTarget:
    """One account to scan: its id and the boto3 session that reaches it."""

    account_id: str
    session: boto3.session.Session


def assumed_session(
    sts: Any, role_arn: str, external_id: str | None, region: str
) -> boto3.session.Session:
    """A session whose credentials come from `sts:AssumeRole` and refresh before expiry."""

    def fetch() -> dict[str, str]:
        params: dict[str, Any] = {
            "RoleArn": role_arn,
            "RoleSessionName": ROLE_SESSION_NAME,
            "DurationSeconds": ROLE_SESSION_SECONDS,
        }
        if external_id:
            params["ExternalId"] = external_id
        creds = sts.assume_role(**params)["Credentials"]
        expiry = creds.get("Expiration")
        if not isinstance(expiry, datetime):
            # Some endpoints (and fakes) omit or stringify the expiry; refresh hourly anyway.
            expiry = datetime.now(UTC) + timedelta(seconds=ROLE_SESSION_SECONDS)
        return {
            "access_key": creds["AccessKeyId"],
            "secret_key": creds["SecretAccessKey"],
            "token": creds["SessionToken"],
            "expiry_time": expiry.isoformat(),
        }

    credentials = RefreshableCredentials.create_from_metadata(
        metadata=fetch(),
        refresh_using=fetch,
        method="sts-assume-role",
    )
    core = botocore.session.Session()
    core._credentials = credentials  # botocore's documented-by-use hook for custom credentials
    return boto3.session.Session(botocore_session=core, region_name=region)


def role_arn_for(partition: str, account_id: str, role_name: str) -> str:
    """The ARN of `role_name` in `account_id` (a name may carry a path: ``audit/ReadOnly``)."""
    return f"arn:{partition}:iam::{account_id}:role/{role_name.strip('/')}"


def org_accounts(organizations: Any) -> list[str]:
    """The ids of every ACTIVE account of the caller's organization, sorted."""
    try:
        pages = organizations.get_paginator("list_accounts").paginate()
        accounts = [a for page in pages for a in page.get("Accounts", [])]
    except (ClientError, BotoCoreError) as exc:
        raise CollectionError(
            f"cannot list the organization's accounts ({exc}); run --org from the management "
            "account or a delegated administrator with organizations:ListAccounts"
        ) from None
    return sorted(a["Id"] for a in accounts if a.get("Status", "ACTIVE") == "ACTIVE")


def resolve_targets(
    *,
    base: boto3.session.Session,
    caller_account: str,
    sts: Any,
    organizations: Callable[[], Any],
    role_arn: str | None,
    external_id: str | None,
    org: OrgSelection | None,
    partition: str,
    region: str,
    record_gap: Callable[[Gap], None],
    workers: int = 8,
    record_plan: Callable[[str], None] | None = None,
) -> list[AccountTarget]:
    """The accounts to scan; roles that cannot be assumed become gaps, not errors.

    With a shard in `org`, only that shard's part of the (filtered) organization is
    returned, and `record_plan` receives the digest of the whole list it was cut from.
    """
    if role_arn and org:
        raise UsageError("--role-arn and --org exclude each other; give one of them")
    if role_arn:
        account_id = role_account(role_arn)
        refused: list[Gap] = []

        def keep(gap: Gap) -> None:
            refused.append(gap)
            record_gap(gap)

        target = _assume(sts, role_arn, external_id, region, account_id, keep)
        if target is None:
            # The one account asked for cannot be read: the scan stops, saying why.
            raise CollectionError(f"{refused[0].message} ({refused[0].error_code})")
        return [target]
    if org is None:
        return [AccountTarget(caller_account, base)]

    def target_for(account_id: str) -> AccountTarget | None:
        if account_id == caller_account:
            # The management account scans with the caller's own credentials: the member
            # role is usually not deployed there.
            return AccountTarget(account_id, base)
        arn = role_arn_for(partition, account_id, org.role_name)
        return _assume(sts, arn, external_id, region, account_id, record_gap)

    listed = org_accounts(organizations())
    missing = [a for a in org.include if a not in listed]
    if missing:
        raise UsageError(
            f"--account {missing[0]} is not an active account of the organization "
            f"({len(listed)} listed); nothing was scanned"
        )
    members = [a for a in listed if org.wants(a)]
    if not members:
        why = (
            "listed no active account"
            if not listed
            else "has no account left after --exclude-account"
        )
        raise CollectionError(
            f"the organization {why}; nothing was scanned (not even the "
            f"caller's own account {caller_account})"
        )
    if org.shard is not None:
        if record_plan is not None:
            record_plan(plan_digest(members))
        # A shard may own none of a small organization's accounts: an empty part of a
        # plan is a complete (if empty) statement, and the merge checks every part arrived.
        members = select(members, org.shard)
    # One AssumeRole per member: a large organization assumes them concurrently.
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        found = list(pool.map(target_for, members))
    return [target for target in found if target is not None]


def _assume(
    sts: Any,
    role_arn: str,
    external_id: str | None,
    region: str,
    account_id: str,
    record_gap: Callable[[Gap], None],
) -> AccountTarget | None:
    try:
        return AccountTarget(account_id, assumed_session(sts, role_arn, external_id, region))
    except (ClientError, BotoCoreError) as exc:
        record_gap(
            Gap(
                provider="aws",
                account=account_id,
                region="global",
                service="sts",
                operation="AssumeRole",
                error_code=error_code(exc),
                # fault_message redacts: a connection error quotes the endpoint URL,
                # which may carry credentials.
                message=f"cannot assume {role_arn}; account not scanned: {fault_message(exc)}"[
                    :MAX_MESSAGE
                ],
            )
        )
        return None
