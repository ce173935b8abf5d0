"""The Azure provider: resolve subscriptions, run every collector, build a snapshot.

Work is split into tasks of (subscription, collector) run on one bounded thread pool;
each task fans its per-resource reads out on a small pool of its own. Every failed read is
a gap; only a credential that yields no token at all stops the scan.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import UTC, datetime
from typing import Any

from azure.core.credentials import TokenCredential

from providers.azure import services
from providers.azure.arm import Arm, ArmError
from providers.azure.options import TOKEN_ENV, AzureOptions
from providers.azure.task import GLOBAL, AzureTask
from providers.base import (
    CallCounter,
    Collector,
    GapRecorder,
    ProgressFn,
    find_collectors,
    progress_due,
)
from scanner import __version__
from scanner.errors import CollectionError
from scanner.model import Gap, Resource, Scope, Snapshot
from scanner.redact import redact_url
from scanner.shards import plan_digest, select

log = logging.getLogger(__name__)

SUBSCRIPTIONS_API = "2022-12-01"
# The calls the provider itself makes (subscription discovery), declared like a
# collector's so that `hipaa-scan permissions azure` and the read-only test see them.
CORE_CALLS = {
    "GET Microsoft.Resources/subscriptions": "Microsoft.Resources/subscriptions/read",
    "GET Microsoft.Management/managementGroups/descendants": "Microsoft.Management/managementGroups/descendants/read",  # noqa: E501
}
MANAGEMENT_GROUPS_API = "2020-05-01"
# Statuses meaning the subscription itself cannot be read: scanning it would only
# repeat the same gap once per collector.
_UNREADABLE = (401, 403, 404)
# Subscription states whose resources run and can be read. Warned and PastDue are
# active subscriptions with a billing problem; Disabled, Expired and Deleted ones have
# their resources stopped or removed, so they are skipped (as a gap when selected).
SCANNABLE_STATES = ("enabled", "warned", "pastdue")
NOT_ACTIVE = "SubscriptionNotActive"


def all_collectors() -> tuple[Collector, ...]:
    """Every Azure collector in `providers.azure.services`."""
    return find_collectors(services)


def credential(options: AzureOptions) -> TokenCredential:
    """The static token from the environment, else azure-identity's default chain."""
    token = os.environ.get(TOKEN_ENV)
    if token:
        from providers.azure.arm import StaticToken  # noqa: PLC0415

        return StaticToken(token)
    try:
        from azure.identity import DefaultAzureCredential  # noqa: PLC0415
    except ImportError:
        raise CollectionError(
            f"no Azure credential: set {TOKEN_ENV}, or install azure-identity "
            "(pip install 'hipaa-scan[azure]') for DefaultAzureCredential"
        ) from None

    authority = {"usgov": "login.microsoftonline.us", "china": "login.chinacloudapi.cn"}
    return DefaultAzureCredential(
        authority=authority.get(options.cloud, "login.microsoftonline.com"),
        exclude_interactive_browser_credential=True,
    )


def collect(
    options: AzureOptions,
    progress: ProgressFn | None = None,
    counter: CallCounter | None = None,
    token: TokenCredential | None = None,
) -> Snapshot:
    """Read the Azure estate the options describe into a snapshot."""
    counter = counter or CallCounter()
    started = _now()
    gaps = GapRecorder()
    arm = Arm(
        endpoint=options.arm_endpoint,
        credential=token or credential(options),
        scope=options.token_scope,
        ca_bundle=options.ca_bundle,
        max_attempts=options.max_attempts,
        pool_size=options.max_workers * 2,
        on_call=counter.add,
    )
    plan: str | None = None
    try:
        subscriptions = _subscriptions(options, arm, gaps)
        if options.shard is not None:
            # The plan is the whole list the shard was cut from, so a merge can tell
            # whether every part arrived and all were cut from the same list.
            plan = plan_digest(subscriptions)
            subscriptions = select(subscriptions, options.shard)
        resources = _run(options, arm, subscriptions, gaps, progress)
    finally:
        arm.close()
    scanned = sorted({*subscriptions, *(g.account for g in gaps.all())})
    return Snapshot(
        tool_version=__version__,
        scope=Scope(
            provider="azure",
            accounts=tuple(scanned),
            regions=tuple(sorted({r.region for r in resources} | {GLOBAL})),
            profile=None,
            endpoint_url=redact_url(options.arm_endpoint) if options.custom_endpoint else None,
            shard=str(options.shard) if options.shard else None,
            plan=plan,
        ),
        started_at=started,
        finished_at=_now(),
        resources=tuple(sorted(resources, key=lambda r: (r.kind, r.uid))),
        gaps=gaps.all(),
        api_calls=counter.total,
    )


def _gap(subscription: str, exc: ArmError, message: str) -> Gap:
    return _subscription_gap(subscription, exc.code, f"{message}: {exc.message}")


def _subscription_gap(subscription: str, code: str, message: str) -> Gap:
    return Gap(
        provider="azure",
        account=subscription,
        region=GLOBAL,
        service="resources",
        operation="Microsoft.Resources/subscriptions",
        error_code=code,
        message=message[:300],
    )


def _scannable(state: object) -> bool:
    """True for the states whose resources run; an absent state is tried, not skipped."""
    return state is None or str(state).lower() in SCANNABLE_STATES


def _not_active(subscription: str, state: object) -> Gap:
    return _subscription_gap(
        subscription,
        NOT_ACTIVE,
        f"subscription not scanned: its state is {state} (only Enabled, Warned "
        "and PastDue subscriptions run resources)",
    )


def _subscriptions(options: AzureOptions, arm: Arm, gaps: GapRecorder) -> list[str]:
    if options.all_subscriptions:
        return _listed(options, arm)
    wanted = options.subscriptions
    if options.management_group:
        wanted = _descendants(options, arm)

    def check(subscription: str) -> str | None:
        try:
            body = arm.get(f"/subscriptions/{subscription}", SUBSCRIPTIONS_API)
        except ArmError as exc:
            _stop_on_credential(exc)
            gaps.add(
                _gap(
                    subscription,
                    exc,
                    "subscription not scanned"
                    if exc.status in _UNREADABLE
                    else "subscription not readable",
                )
            )
            return None if exc.status in _UNREADABLE else subscription
        # Named on the command line or found below a management group, a subscription
        # that is not scanned is a gap: the report must not read as if it were clean.
        if not _scannable(body.get("state")):
            gaps.add(_not_active(subscription, body.get("state")))
            return None
        return subscription

    with ThreadPoolExecutor(max_workers=max(1, min(options.max_workers, 8))) as pool:
        return [s for s in pool.map(check, wanted) if s is not None]


def _descendants(options: AzureOptions, arm: Arm) -> tuple[str, ...]:
    path = (
        f"/providers/Microsoft.Management/managementGroups/{options.management_group}/descendants"
    )
    found: set[str] = set()
    try:
        for page in arm.pages(path, MANAGEMENT_GROUPS_API):
            for item in page:
                kind = str(item.get("type") or "").lower()
                sub = str(item.get("name") or "").lower()
                if kind.endswith("/subscriptions") and sub and sub not in options.exclude:
                    found.add(sub)
    except ArmError as exc:
        _stop_on_credential(exc)
        raise CollectionError(
            f"cannot list management group {options.management_group} "
            f"({exc}); check the id and the credential's access"
        ) from None
    if not found:
        raise CollectionError(
            f"management group {options.management_group} holds no "
            "subscription to scan (after --exclude-subscription)"
        )
    return tuple(sorted(found))


def _listed(options: AzureOptions, arm: Arm) -> list[str]:
    found: list[str] = []
    try:
        for page in arm.pages("/subscriptions", SUBSCRIPTIONS_API):
            for item in page:
                sub = str(item.get("subscriptionId") or "").lower()
                if not sub or sub in options.exclude:
                    continue
                if _scannable(item.get("state")):
                    found.append(sub)
                else:
                    # Not selected by name: listed only because the credential sees it.
                    log.info("skipping subscription %s (state %s)", sub, item.get("state"))
    except ArmError as exc:
        _stop_on_credential(exc)
        raise CollectionError(
            f"cannot list the subscriptions ({exc}); check the "
            "credential or name them with --subscription"
        ) from None
    if not found:
        raise CollectionError(
            "the credential sees no Enabled, Warned or PastDue subscription to scan "
            "(after --exclude-subscription)"
        )
    return sorted(set(found))


def _stop_on_credential(exc: ArmError) -> None:
    if exc.code in ("CredentialUnavailable", "CredentialUnavailableError") or exc.status == 401:
        raise CollectionError(
            f"no usable Azure credential ({exc}); sign in (az login, a managed identity, "
            f"AZURE_CLIENT_ID/SECRET/TENANT_ID) or set {TOKEN_ENV}"
        ) from None
    if exc.status is None and exc.code in ("ServiceRequestError", "ServiceRequestTimeoutError"):
        raise CollectionError(
            f"cannot reach Azure Resource Manager ({exc}); check the "
            "network, --cloud, --arm-endpoint or --ca-bundle"
        ) from None


def _run(
    options: AzureOptions,
    arm: Arm,
    subscriptions: Sequence[str],
    gaps: GapRecorder,
    progress: ProgressFn | None,
) -> list[Resource[Any]]:
    item_workers = max(1, options.max_workers // 2)
    tasks = [
        AzureTask(collector=coll, subscription=sub, arm=arm, gaps=gaps, item_workers=item_workers)
        for sub in subscriptions
        for coll in all_collectors()
    ]
    resources: list[Resource[Any]] = []
    with ThreadPoolExecutor(max_workers=max(1, options.max_workers)) as pool:
        futures = {pool.submit(_run_task, task): task for task in tasks}
        for done, future in enumerate(as_completed(futures), start=1):
            task = futures[future]
            resources.extend(future.result())
            if progress and progress_due(done, len(tasks)):
                progress(
                    f"[{done}/{len(tasks)}] collected; last: {task.subscription} "
                    f"{task.collector.service}"
                )
    return resources


def _run_task(task: AzureTask) -> list[Resource[Any]]:
    return task.run_guarded()


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
