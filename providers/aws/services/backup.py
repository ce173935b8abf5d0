"""AWS Backup collectors: plans, vaults, and the resources backups protect.

* `backup_plans`: one paginated ListBackupPlans per region, then one GetBackupPlan per
  plan for its rules (the listing has no schedules).
* `backup_vaults`: one paginated ListBackupVaults per region (lock state, lock date and
  number of recovery points are in it), one ListTags per vault (for the PHI scope), and one
  ListRecoveryPointsByBackupVault only for vaults that hold recovery points: an empty
  vault has no unencrypted point, and the listing already says it is empty.
* `backup_coverage`: one paginated ListProtectedResources per region, kept as one
  `backup.coverage` resource whose map is indexed by resource uid, so the per-service
  backup rules look a resource up in O(1). A failed listing is a `None` map (UNKNOWN).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from providers.aws.iam_analysis import whole_days
from providers.aws.task import AwsTask, fetched_tags
from providers.base import Fanout, collector
from scanner.kinds.backup import (
    BackupCoverage,
    BackupPlan,
    BackupRule,
    BackupVault,
    ProtectedResource,
    VaultLockMode,
)
from scanner.model import Resource

_GONE = frozenset({"ResourceNotFoundException"})
_HOURS_PER_DAY = 24
_WEEK_DAYS = 7
_MONTH_HOURS = 31 * _HOURS_PER_DAY
_YEAR_HOURS = 366 * _HOURS_PER_DAY
_STEP = re.compile(r"^(?:\*|0)/(\d+)$")


def _now() -> datetime:
    """The collection clock (a function so tests can move it)."""
    return datetime.now(UTC)


@collector(
    "backup",
    fanout=Fanout.REGION,
    produces=(BackupPlan.KIND,),
    calls={
        "backup.ListBackupPlans": "backup:ListBackupPlans",
        "backup.GetBackupPlan": "backup:GetBackupPlan",
    },
)
def backup_plans(task: AwsTask) -> list[Resource[BackupPlan]]:
    """Every backup plan of the region with its schedules and retention."""
    client = task.client("backup")
    listed = task.paginate(client, "list_backup_plans", "BackupPlansList") or []

    def build(item: Mapping[str, Any]) -> Resource[BackupPlan]:
        plan_id = str(item["BackupPlanId"])
        uid = str(item.get("BackupPlanArn") or _arn(task, "backup-plan", plan_id))
        fetched = task.call(client, "get_backup_plan", resource_uid=uid, BackupPlanId=plan_id)
        body = fetched.get("BackupPlan") if fetched.ok else None
        rules = None if body is None else tuple(_rule(r) for r in body.get("Rules") or [])
        return task.resource(
            uid=uid,
            kind=BackupPlan.KIND,
            native_type="AWS::Backup::BackupPlan",
            name=str(item.get("BackupPlanName") or plan_id),
            props=BackupPlan(plan_id=plan_id, rules=rules),
        )

    return task.map(build, listed)


def _rule(rule: Mapping[str, Any]) -> BackupRule:
    schedule = rule.get("ScheduleExpression")
    lifecycle = rule.get("Lifecycle") or {}
    delete_after = lifecycle.get("DeleteAfterDays")
    return BackupRule(
        name=str(rule.get("RuleName", "")),
        schedule=str(schedule) if schedule else None,
        interval_hours=interval_hours(str(schedule)) if schedule else None,
        retention_days=None if delete_after is None else int(delete_after),
        retained_forever=delete_after is None,
    )


def interval_hours(expression: str) -> int | None:
    """The longest gap, in hours, between two runs of a backup schedule; `None` if unsure.

    AWS Backup schedules are ``cron(minutes hours day-of-month month day-of-week year)``.
    Read conservatively: hourly steps (``*/4``), hour lists (``0,12``: the longest gap
    wraps past midnight), daily, weekly day lists (``MON-FRI`` counts the weekend's gap),
    monthly days and single months. Anything else (``L``, ``#``, ``W``) is `None`.
    """
    match = re.fullmatch(r"cron\((.*)\)", expression.strip(), re.IGNORECASE)
    if match is None:
        return None
    fields = match.group(1).split()
    if len(fields) != 6:
        return None
    _, hours, day_of_month, month, day_of_week, _ = fields
    if month not in ("*", "?"):
        return _YEAR_HOURS
    if day_of_month not in ("*", "?"):
        return _MONTH_HOURS if re.fullmatch(r"\d+", day_of_month) else None
    daily = _hours_gap(hours)
    if daily is None:
        return None
    if day_of_week in ("*", "?"):
        return daily
    days = _weekdays(day_of_week)
    if not days:
        return None
    return max(daily, _cyclic_gap(sorted(days), _WEEK_DAYS) * _HOURS_PER_DAY)


def _hours_gap(hours: str) -> int | None:
    if hours == "*":
        return 1
    step = _STEP.match(hours)
    if step:
        return min(int(step.group(1)), _HOURS_PER_DAY)
    if re.fullmatch(r"\d+(,\d+)*", hours):
        return _cyclic_gap(sorted({int(h) for h in hours.split(",")}), _HOURS_PER_DAY)
    return None


_DAY_NAMES = {name: i for i, name in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"))}


def _weekdays(field: str) -> set[int]:
    days: set[int] = set()
    for part in field.upper().split(","):
        bounds = part.split("-")
        try:
            numbers = [_DAY_NAMES[b] if b in _DAY_NAMES else int(b) - 1 for b in bounds]
        except ValueError:
            return set()
        if len(numbers) == 1:
            days.add(numbers[0] % _WEEK_DAYS)
        elif len(numbers) == 2:
            start, end = numbers
            days.update(d % _WEEK_DAYS for d in range(start, end + 1))
        else:
            return set()
    return days


def _cyclic_gap(points: list[int], cycle: int) -> int:
    gaps = [b - a for a, b in itertools.pairwise(points)]
    gaps.append(points[0] + cycle - points[-1])
    return max(gaps)


@collector(
    "backup",
    fanout=Fanout.REGION,
    produces=(BackupVault.KIND,),
    calls={
        "backup.ListBackupVaults": "backup:ListBackupVaults",
        "backup.ListTags": "backup:ListTags",
        "backup.ListRecoveryPointsByBackupVault": "backup:ListRecoveryPointsByBackupVault",
    },
)
def backup_vaults(task: AwsTask) -> list[Resource[BackupVault]]:
    """Every backup vault of the region: lock, key and unencrypted recovery points."""
    client = task.client("backup")
    listed = task.paginate(client, "list_backup_vaults", "BackupVaultList") or []

    def build(item: Mapping[str, Any]) -> Resource[BackupVault]:
        name = str(item["BackupVaultName"])
        mode, lock_date, immutable = lock_facts(item)
        uid = str(item.get("BackupVaultArn") or _arn(task, "backup-vault", name))
        count = item.get("NumberOfRecoveryPoints")
        tags = task.call(client, "list_tags", resource_uid=uid, absent=_GONE, ResourceArn=uid)
        return task.resource(
            uid=uid,
            kind=BackupVault.KIND,
            native_type="AWS::Backup::BackupVault",
            name=name,
            tags=fetched_tags(tags, lambda f: f.get("Tags", {})),
            props=BackupVault(
                locked=None if item.get("Locked") is None else bool(item["Locked"]),
                min_retention_days=_int(item.get("MinRetentionDays")),
                max_retention_days=_int(item.get("MaxRetentionDays")),
                encryption_key_arn=item.get("EncryptionKeyArn"),
                recovery_points=_int(count),
                unencrypted_recovery_points=_unencrypted(task, client, uid, name, count),
                lock_mode=mode,
                lock_date=lock_date,
                lock_immutable=immutable,
            ),
        )

    return task.map(build, listed)


def lock_facts(item: Mapping[str, Any]) -> tuple[VaultLockMode | None, str | None, bool | None]:
    """(mode, lock date, immutable) of the lock of one ListBackupVaults entry.

    AWS reports a lock date only for a compliance-mode lock (one made with
    ChangeableForDays); a lock without one is in governance mode. The date is compared with
    the collection clock here, so an offline re-evaluation judges the same way.
    """
    locked = item.get("Locked")
    if locked is None:
        return None, None, None
    if not locked:
        return VaultLockMode.NONE, None, False
    when = item.get("LockDate")
    if when is None:
        return VaultLockMode.GOVERNANCE, None, False
    if not isinstance(when, datetime):
        # A lock date that is not a time: a compliance lock whose end is unknown.
        return VaultLockMode.COMPLIANCE, None, None
    when = (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)
    text = when.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return VaultLockMode.COMPLIANCE, text, when <= _now()


def _unencrypted(
    task: AwsTask, client: Any, uid: str, name: str, count: Any
) -> tuple[str, ...] | None:
    if count is not None and int(count) == 0:
        return ()  # the listing says the vault is empty: nothing to read
    points = task.paginate(
        client,
        "list_recovery_points_by_backup_vault",
        "RecoveryPoints",
        resource_uid=uid,
        BackupVaultName=name,
    )
    if points is None:
        return None
    unread = sum(1 for p in points if not isinstance(p.get("IsEncrypted"), bool))
    if unread:
        # A point that does not say whether it is encrypted might not be: unknown, not clean.
        task.gap(
            "ListRecoveryPointsByBackupVault",
            "MalformedAnswer",
            f"{unread} recovery point(s) without IsEncrypted",
            uid,
        )
        return None
    return tuple(
        sorted(str(p.get("RecoveryPointArn")) for p in points if p.get("IsEncrypted") is False)
    )


@collector(
    "backup",
    fanout=Fanout.REGION,
    produces=(BackupCoverage.KIND,),
    calls={"backup.ListProtectedResources": "backup:ListProtectedResources"},
)
def backup_coverage(task: AwsTask) -> list[Resource[BackupCoverage]]:
    """The resources of the region that have a backup, indexed by uid."""
    client = task.client("backup")
    uid = _arn(task, "protected-resources", "all")
    listed = task.paginate(client, "list_protected_resources", "Results", resource_uid=uid)
    now = _now()
    protected = (
        None
        if listed is None
        else {
            str(item["ResourceArn"]): ProtectedResource(
                resource_type=item.get("ResourceType"),
                days_since_last_backup=whole_days(item["LastBackupTime"], now)
                if item.get("LastBackupTime")
                else None,
            )
            for item in listed
            if item.get("ResourceArn")
        }
    )
    return [
        task.resource(
            uid=uid,
            kind=BackupCoverage.KIND,
            native_type="AWS::Backup::ProtectedResources",
            name=f"protected-resources/{task.region}",
            props=BackupCoverage(protected=protected),
        )
    ]


def _arn(task: AwsTask, kind: str, name: str) -> str:
    return f"arn:{task.partition}:backup:{task.region}:{task.account}:{kind}:{name}"


def _int(value: Any) -> int | None:
    return None if value is None else int(value)
