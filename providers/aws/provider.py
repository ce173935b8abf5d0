"""The AWS provider: resolve accounts and regions, run every collector, build a snapshot.

Work is split into tasks of (account, region, collector) run on one bounded thread pool;
each task fans its per-resource calls out on a small pool of its own. Every failed call is
a gap; only the absence of any usable credential stops the scan.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ProfileNotFound,
)

from providers.aws import services
from providers.aws.accounts import AccountTarget, resolve_targets
from providers.aws.clients import ClientFactory
from providers.aws.options import AwsOptions
from providers.aws.task import FAULTS, GLOBAL, AwsTask, error_code, partition_of
from providers.base import (
    CallCounter,
    Collector,
    Fanout,
    GapRecorder,
    ProgressFn,
    find_collectors,
)
from scanner import __version__
from scanner.errors import CollectionError
from scanner.model import Gap, Resource, Scope, Snapshot
from scanner.redact import redact_text, redact_url

log = logging.getLogger(__name__)

DEFAULT_REGION = "us-east-1"

# The calls the provider itself makes (identity and region discovery), declared like a
# collector's so that `hipaa-scan permissions aws` and the read-only test see them.
CORE_CALLS = {
    "sts.GetCallerIdentity": "sts:GetCallerIdentity",
    "sts.AssumeRole": "sts:AssumeRole",
    "ec2.DescribeRegions": "ec2:DescribeRegions",
    "organizations.ListAccounts": "organizations:ListAccounts",
}


@dataclass
class _Account:
    account_id: str
    clients: ClientFactory
    regions: tuple[str, ...]


def all_collectors() -> tuple[Collector, ...]:
    """Every AWS collector in `providers.aws.services`."""
    return find_collectors(services)


def permissions() -> dict[str, str]:
    """Every API operation the AWS provider may call, with the IAM permission it needs."""
    calls = dict(CORE_CALLS)
    for coll in all_collectors():
        calls.update(coll.calls)
    return dict(sorted(calls.items()))


def collect(options: AwsOptions, progress: ProgressFn | None = None,
            counter: CallCounter | None = None) -> Snapshot:
    """Read the AWS estate the options describe into a snapshot."""
    counter = counter or CallCounter()
    started = _now()
    gaps = GapRecorder()
    plans: list[str] = []
    accounts = _accounts(options, counter, gaps, plans.append)
    resources = _run(options, accounts, gaps, progress)
    scanned = sorted({*(a.account_id for a in accounts), *(g.account for g in gaps.all())})
    shard = options.org.shard if options.org else None
    return Snapshot(
        tool_version=__version__,
        scope=Scope(provider="aws", accounts=tuple(scanned),
                    regions=tuple(sorted({r for a in accounts for r in a.regions})),
                    profile=options.profile, endpoint_url=redact_url(options.endpoint_url),
                    shard=str(shard) if shard else None, plan=plans[0] if plans else None),
        started_at=started,
        finished_at=_now(),
        resources=tuple(sorted(resources, key=lambda r: (r.kind, r.uid))),
        gaps=gaps.all(),
        api_calls=counter.total,
    )


def _accounts(options: AwsOptions, counter: CallCounter, gaps: GapRecorder,
              record_plan: Callable[[str], None]) -> list[_Account]:
    base = _session(options.profile)
    pool_size = max(10, options.max_workers)

    def factory(session: boto3.session.Session) -> ClientFactory:
        return ClientFactory(session, endpoint_url=options.endpoint_url,
                             max_attempts=options.max_attempts, pool_size=pool_size,
                             counter=counter)

    home = factory(base)
    # GovCloud and China accounts cannot call us-east-1: start from the regions the user
    # gave, else the profile's configured region.
    home_region = options.regions[0] if options.regions else base.region_name or DEFAULT_REGION
    targets = resolve_targets(
        base=base, caller_account=_caller_account(home, home_region),
        sts=home.client("sts", home_region),
        organizations=lambda: home.client("organizations", home_region),
        role_arn=options.role_arn, external_id=options.external_id, org=options.org,
        partition=partition_of(home_region), region=home_region, record_gap=gaps.add,
        workers=options.max_workers, record_plan=record_plan,
    )

    def account(target: AccountTarget) -> _Account:
        clients = home if target.session is base else factory(target.session)
        regions = options.regions or tuple(
            _enabled_regions(clients, target.account_id, home_region, gaps))
        return _Account(target.account_id, clients, tuple(regions))

    # Region discovery is one call per account: in an organization, ask them all at once.
    with ThreadPoolExecutor(max_workers=max(1, options.max_workers)) as pool:
        return list(pool.map(account, targets))


def _session(profile: str | None) -> boto3.session.Session:
    try:
        return boto3.session.Session(profile_name=profile)
    except ProfileNotFound:
        raise CollectionError(
            f"AWS profile {profile!r} not found; check ~/.aws/config or drop --profile"
        ) from None


def _caller_account(factory: ClientFactory, region: str) -> str:
    sts = factory.client("sts", region)
    try:
        return str(sts.get_caller_identity()["Account"])
    except (EndpointConnectionError, ConnectTimeoutError) as exc:
        raise CollectionError(
            f"cannot reach AWS ({exc}); check the network, --endpoint-url or AWS_ENDPOINT_URL"
        ) from None
    except (ClientError, BotoCoreError) as exc:
        raise CollectionError(
            f"cannot identify the AWS account ({type(exc).__name__}: {exc}); "
            "check credentials (AWS_PROFILE, --profile, 'aws sso login')"
        ) from None


def _enabled_regions(factory: ClientFactory, account: str, home_region: str,
                     gaps: GapRecorder) -> list[str]:
    ec2 = factory.client("ec2", home_region)
    try:
        answer = ec2.describe_regions(AllRegions=False)
        found = sorted(str(r["RegionName"]) for r in answer.get("Regions") or [])
        if not found:
            # Every task needs a region (global collectors call the first one).
            raise ValueError("DescribeRegions listed no region")
        return found
    except (*FAULTS, KeyError, TypeError) as exc:
        gaps.add(Gap(provider="aws", account=account, region=GLOBAL, service="ec2",
                     operation="DescribeRegions", error_code=error_code(exc),
                     message=redact_text(
                         f"region discovery failed; scanned {home_region} only: {exc}")))
        return [home_region]


def _run(options: AwsOptions, accounts: Sequence[_Account], gaps: GapRecorder,
         progress: ProgressFn | None) -> list[Resource[Any]]:
    chosen = [c for c in all_collectors()
              if not options.collectors or c.service in options.collectors]
    item_workers = max(1, options.max_workers // 2)
    tasks = [
        AwsTask(collector=coll, account=acct.account_id, region=region,
                api_region=region if coll.fanout is Fanout.REGION else acct.regions[0],
                scan_regions=acct.regions,
                clients=acct.clients, gaps=gaps, item_workers=item_workers)
        for acct in accounts
        for coll in chosen
        for region in (acct.regions if coll.fanout is Fanout.REGION else [GLOBAL])
    ]
    resources: list[Resource[Any]] = []
    # About ten progress lines per scan, however many accounts x regions x services: an
    # organization scan must not flood a CI log.
    step = max(1, len(tasks) // 10)
    with ThreadPoolExecutor(max_workers=max(1, options.max_workers)) as pool:
        futures = {pool.submit(_run_task, task): task for task in tasks}
        for done, future in enumerate(as_completed(futures), start=1):
            task = futures[future]
            resources.extend(future.result())
            if progress and (done % step == 0 or done == len(tasks)):
                progress(f"[{done}/{len(tasks)}] collected; last: {task.account} "
                         f"{task.region} {task.collector.service}")
    return resources


def _run_task(task: AwsTask) -> list[Resource[Any]]:
    try:
        return list(task.collector.fn(task))
    except Exception as exc:  # one broken collector must not stop the others; it is a gap
        log.debug("collector %s failed", task.collector.name, exc_info=True)
        task.gap("*", "CollectorError",
                 f"collector {task.collector.name} stopped: {type(exc).__name__}: {exc}")
        return []


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
