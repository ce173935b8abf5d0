"""The AWS provider: resolve accounts and regions, run every collector, build a snapshot.

Work is split into tasks of (account, region, collector) run on one bounded thread pool;
each task fans its per-resource calls out on a small pool of its own. Every failed call is
a gap; only the absence of any usable credential stops the scan.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConfigParseError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
    SSLError,
)
from botocore.loaders import create_loader
from botocore.parsers import ResponseParserError

from providers.aws.accounts import AccountTarget, resolve_targets
from providers.aws.clients import CONNECT_TIMEOUT, READ_TIMEOUT, ClientFactory
from providers.aws.options import AwsOptions
from providers.aws.plugin import CORE_CALLS, all_collectors
from providers.aws.task import GLOBAL, AwsTask, error_code, fault_message, faults, partition_of
from providers.base import (
    CallCounter,
    Fanout,
    GapRecorder,
    ProgressFn,
    progress_due,
)
from scanner import __version__
from scanner.errors import CollectionError, UsageError
from scanner.model import Gap, Resource, Scope, Snapshot
from scanner.redact import redact_text, redact_url

log = logging.getLogger(__name__)

DEFAULT_REGION = "us-east-1"


@dataclass
class _Account:
    account_id: str
    clients: ClientFactory
    regions: tuple[str, ...]


def _every_kind() -> tuple[str, ...]:
    # An account whose role cannot be assumed is not read at all: every kind is unknown.
    return tuple(sorted({kind for coll in all_collectors() for kind in coll.produces}))


def permissions() -> dict[str, str]:
    """Every API operation the AWS provider may call, with the IAM permission it needs."""
    calls = dict(CORE_CALLS)
    for coll in all_collectors():
        calls.update(coll.calls)
    return dict(sorted(calls.items()))


def collect(
    options: AwsOptions, progress: ProgressFn | None = None, counter: CallCounter | None = None
) -> Snapshot:
    """Read the AWS estate the options describe into a snapshot."""
    counter = counter or CallCounter()
    started = _now()
    gaps = GapRecorder()
    plans: list[str] = []
    accounts = _accounts(options, counter, gaps, plans.append, progress)
    resources = _run(options, accounts, gaps, progress)
    scanned = sorted({*(a.account_id for a in accounts), *(g.account for g in gaps.all())})
    shard = options.org.shard if options.org else None
    return Snapshot(
        tool_version=__version__,
        scope=Scope(
            provider="aws",
            accounts=tuple(scanned),
            regions=tuple(sorted({r for a in accounts for r in a.regions})),
            profile=options.profile,
            endpoint_url=redact_url(options.endpoint_url),
            shard=str(shard) if shard else None,
            plan=plans[0] if plans else None,
        ),
        started_at=started,
        finished_at=_now(),
        resources=tuple(sorted(resources, key=lambda r: (r.kind, r.uid))),
        gaps=gaps.all(),
        api_calls=counter.total,
    )


def known_regions() -> frozenset[str]:
    """Every region the installed SDK knows, in every partition."""
    # From the SDK's endpoint data, not a session: a session would already read the
    # profile and config file, whose faults `_session` names.
    data = create_loader().load_data("endpoints")
    return frozenset(
        region
        for partition in data.get("partitions", [])
        for region in partition.get("regions", {})
    )


def _check_regions(regions: Sequence[str]) -> None:
    unknown = sorted(set(regions) - known_regions())
    if unknown:
        raise UsageError(
            f"--region {unknown[0]!r} is not a region this AWS SDK knows; "
            "see 'aws ec2 describe-regions' (or upgrade boto3 for a new region)"
        )


def _accounts(
    options: AwsOptions,
    counter: CallCounter,
    gaps: GapRecorder,
    record_plan: Callable[[str], None],
    progress: ProgressFn | None = None,
) -> list[_Account]:
    _check_regions(options.regions)
    base = _session(options.profile)
    pool_size = max(10, options.max_workers)

    def factory(session: boto3.session.Session) -> ClientFactory:
        return ClientFactory(
            session,
            endpoint_url=options.endpoint_url,
            max_attempts=options.max_attempts,
            pool_size=pool_size,
            counter=counter,
        )

    home = factory(base)
    # GovCloud and China accounts cannot call us-east-1: start from the regions the user
    # gave, else the profile's configured region.
    home_region = options.regions[0] if options.regions else base.region_name or DEFAULT_REGION
    targets = resolve_targets(
        base=base,
        caller_account=_caller_account(home, home_region, options.endpoint_url, progress),
        sts=home.client("sts", home_region),
        organizations=lambda: home.client("organizations", home_region),
        role_arn=options.role_arn,
        external_id=options.external_id,
        org=options.org,
        partition=partition_of(home_region),
        region=home_region,
        record_gap=lambda gap: gaps.add(dataclasses.replace(gap, kinds=_every_kind())),
        workers=options.max_workers,
        record_plan=record_plan,
    )

    def account(target: AccountTarget) -> _Account:
        clients = home if target.session is base else factory(target.session)
        regions = options.regions or tuple(
            _enabled_regions(clients, target.account_id, home_region, gaps)
        )
        return _Account(target.account_id, clients, tuple(regions))

    # Region discovery is one call per account: in an organization, ask them all at once.
    with _pool(options.max_workers) as pool:
        return list(pool.map(account, targets))


def _session(profile: str | None) -> boto3.session.Session:
    try:
        session = boto3.session.Session(profile_name=profile)
        # The configuration file is parsed lazily: read it now, so a broken file is named
        # here rather than as a failure of the first API call.
        session._session.get_scoped_config()
        return session
    except ProfileNotFound:
        if profile:
            raise CollectionError(
                f"AWS profile {profile!r} (--profile) not found in the AWS config; "
                "check the name ('aws configure list-profiles')"
            ) from None
        from_env = os.environ.get("AWS_PROFILE") or os.environ.get("AWS_DEFAULT_PROFILE")
        raise CollectionError(
            f"AWS profile {from_env!r} (from AWS_PROFILE) not found in the AWS config; "
            "fix or unset AWS_PROFILE ('aws configure list-profiles')"
        ) from None
    except ConfigParseError as exc:
        raise CollectionError(
            f"cannot parse the AWS config file {exc.kwargs.get('path', '')}: fix its syntax "
            "(or point AWS_CONFIG_FILE elsewhere)"
        ) from None


def _caller_account(
    factory: ClientFactory, region: str, endpoint: str | None, progress: ProgressFn | None
) -> str:
    where = redact_url(endpoint) or f"AWS STS in {region}"
    if progress:
        progress(f"identifying the caller (sts:GetCallerIdentity) at {where}")
    try:
        sts = factory.client("sts", region)
        return str(sts.get_caller_identity()["Account"])
    except Exception as exc:  # identity_failure names each cause, re-raises the unknown
        raise CollectionError(identity_failure(exc, where)) from None


def identity_failure(exc: Exception, where: str) -> str:
    """The one line that names why the first call (who am I?) failed, and what to do."""
    if isinstance(exc, SSLError):
        return (
            f"TLS handshake with {where} failed ({_reason(exc)}); if the endpoint "
            "speaks plain HTTP, give it as http://"
        )
    if isinstance(exc, ConnectTimeoutError):
        return (
            f"no connection to {where} within {CONNECT_TIMEOUT} s; check the network, "
            "a proxy, --endpoint-url or AWS_ENDPOINT_URL"
        )
    if isinstance(exc, ReadTimeoutError):
        return (
            f"{where} accepted the connection but did not answer within {READ_TIMEOUT} s; "
            "is it an AWS API endpoint?"
        )
    if isinstance(exc, EndpointConnectionError):
        return f"cannot reach {where}; check the network, --endpoint-url or AWS_ENDPOINT_URL"
    if isinstance(exc, ResponseParserError):
        return (
            f"{where} did not answer like AWS STS (its answer is not AWS XML); "
            "is --endpoint-url (or AWS_ENDPOINT_URL) an AWS API endpoint?"
        )
    if isinstance(exc, NoCredentialsError):
        return (
            "no AWS credentials found; set AWS_PROFILE or --profile, run "
            "'aws sso login', or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"
        )
    if isinstance(exc, (ProfileNotFound, ConfigParseError)):
        return f"the AWS configuration is unusable: {_reason(exc)}"
    if isinstance(exc, ClientError):
        code = error_code(exc)
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code == "Unknown" or code.isdigit():
            # botocore found no AWS error in the answer (an HTML page, an empty body).
            return (
                f"{where} did not answer like AWS STS (HTTP {status}, not an AWS error); "
                "is --endpoint-url (or AWS_ENDPOINT_URL) an AWS API endpoint?"
            )
        if code in _CREDENTIAL_CODES:
            return (
                f"AWS rejected the credentials ({code}); check them (AWS_PROFILE, "
                "--profile, 'aws sso login')"
            )
        return (
            f"cannot identify the AWS account: {where} answered HTTP {status} {code}: "
            f"{fault_message(exc)}"
        )
    if isinstance(exc, (BotoCoreError, OSError, ValueError)):
        return f"cannot identify the AWS account at {where}: {_reason(exc)}"
    raise exc


# Error codes that mean "these credentials are not accepted", not "no such endpoint".
_CREDENTIAL_CODES = frozenset(
    {
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "ExpiredTokenException",
        "AccessDenied",
        "UnrecognizedClientException",
        "InvalidAccessKeyId",
        "AuthFailure",
    }
)


def _reason(exc: BaseException) -> str:
    return fault_message(exc) or type(exc).__name__


def _enabled_regions(
    factory: ClientFactory, account: str, home_region: str, gaps: GapRecorder
) -> list[str]:
    ec2 = factory.client("ec2", home_region)
    expected: tuple[type[Exception], ...] = (*faults(), KeyError, TypeError)
    try:
        answer = ec2.describe_regions(AllRegions=False)
        found = sorted(str(r["RegionName"]) for r in answer.get("Regions") or [])
        if not found:
            # Every task needs a region (global collectors call the first one).
            raise ValueError("DescribeRegions listed no region")
        return found
    except expected as exc:
        gaps.add(
            Gap(
                provider="aws",
                account=account,
                region=GLOBAL,
                service="ec2",
                operation="DescribeRegions",
                error_code=error_code(exc),
                message=redact_text(f"region discovery failed; scanned {home_region} only: {exc}"),
            )
        )
        return [home_region]


def _run(
    options: AwsOptions,
    accounts: Sequence[_Account],
    gaps: GapRecorder,
    progress: ProgressFn | None,
) -> list[Resource[Any]]:
    chosen = [
        c for c in all_collectors() if not options.collectors or c.service in options.collectors
    ]
    item_workers = max(1, options.max_workers // 2)
    tasks = [
        AwsTask(
            collector=coll,
            account=acct.account_id,
            region=region,
            api_region=region if coll.fanout is Fanout.REGION else acct.regions[0],
            scan_regions=acct.regions,
            clients=acct.clients,
            gaps=gaps,
            item_workers=item_workers,
        )
        for acct in accounts
        for coll in chosen
        for region in (acct.regions if coll.fanout is Fanout.REGION else [GLOBAL])
    ]
    resources: list[Resource[Any]] = []
    # Tasks are queued account by account; once an account's last task is done its clients
    # are dropped, so memory follows the accounts in flight, not every account scanned.
    pending = Counter(task.account for task in tasks)
    factories = {acct.account_id: acct.clients for acct in accounts}
    with _pool(options.max_workers) as pool:
        futures = {pool.submit(_run_task, task): task for task in tasks}
        for done, future in enumerate(as_completed(futures), start=1):
            task = futures[future]
            resources.extend(future.result())
            pending[task.account] -= 1
            if not pending[task.account]:
                factories[task.account].release()
            if progress and progress_due(done, len(tasks)):
                progress(
                    f"[{done}/{len(tasks)}] collected; last: {task.account} "
                    f"{task.region} {task.collector.service}"
                )
    return resources


@contextlib.contextmanager
def _pool(workers: int) -> Iterator[ThreadPoolExecutor]:
    """A thread pool that, when the scan is interrupted, cancels what has not started.

    `with ThreadPoolExecutor()` waits for every queued task on the way out, so Ctrl-C
    would keep scanning; here pending tasks are dropped and running ones are left to
    the process exit.
    """
    pool = ThreadPoolExecutor(max_workers=max(1, workers))
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _run_task(task: AwsTask) -> list[Resource[Any]]:
    return task.run_guarded()


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
