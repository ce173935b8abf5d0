"""Cloud Storage only: recoverable deletes (versioning or soft delete) and retention policy."""

from __future__ import annotations

from typing import Any

from rules.hipaa import DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN, INTEGRITY
from scanner.kinds.storage import Bucket
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

_DOCS = "https://cloud.google.com/storage/docs/"


@rule(
    id="BAK-BUCKET-02",
    title="Bucket keeps deleted and overwritten objects (versioning or soft delete)",
    severity=Severity.MEDIUM,
    concern=Concern.BACKUP_RECOVERY,
    citations=(DATA_BACKUP_PLAN, INTEGRITY),
    kinds=(Bucket.KIND,),
    providers=("gcp",),
    params={"min_soft_delete_days": 7},
)
def gcs_recoverable_objects(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A deleted or overwritten object of ePHI must be recoverable (ransomware, mistakes).

    Object versioning keeps noncurrent versions; soft delete keeps deleted objects for a
    retention window. Either one, the latter for at least the minimum, passes.
    """
    props: Bucket = resource.props
    minimum = int(ctx.param("min_soft_delete_days"))
    soft = None if props.gcp is None else props.gcp.soft_delete_retention_days
    evidence = {
        "versioning_enabled": props.versioning_enabled,
        "soft_delete_days": soft,
        "min_soft_delete_days": minimum,
    }
    name = f"Bucket {resource.name}"
    if props.versioning_enabled:
        return Verdict.passed(f"{name} keeps noncurrent object versions.", **evidence)
    if soft is not None and soft >= minimum:
        return Verdict.passed(
            f"{name} keeps deleted objects {soft} days (soft delete).", **evidence
        )
    if props.versioning_enabled is None or soft is None:
        return Verdict.unknown(
            f"{name}: its versioning or soft delete could not be read.", **evidence
        )
    return Verdict.fail(
        f"{name} has versioning off and soft delete of {soft} days (minimum {minimum}).", **evidence
    )


@rule(
    id="BAK-BUCKET-03",
    title="PHI bucket has a retention policy",
    severity=Severity.LOW,
    concern=Concern.BACKUP_RECOVERY,
    citations=(INTEGRITY, DISASTER_RECOVERY_PLAN),
    kinds=(Bucket.KIND,),
    providers=("gcp",),
    params={"min_retention_days": 1},
    precision="medium",
)
def gcs_retention_policy(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A retention policy stops anyone, an administrator included, deleting ePHI too early.

    It is a parameter: records schedules differ, so the minimum defaults to one day.
    """
    props: Bucket = resource.props
    minimum = int(ctx.param("min_retention_days"))
    days = None if props.gcp is None else props.gcp.retention_period_days
    locked = None if props.gcp is None else props.gcp.retention_locked
    evidence = {
        "retention_period_days": days,
        "retention_locked": locked,
        "min_retention_days": minimum,
    }
    name = f"Bucket {resource.name}"
    if days is None:
        return Verdict.unknown(f"{name}: its retention policy could not be read.", **evidence)
    if days >= minimum:
        return Verdict.passed(
            f"{name} retains objects for {days} days{' (locked)' if locked else ''}.", **evidence
        )
    state = "has no retention policy" if days == 0 else f"retains objects {days} days"
    return Verdict.fail(f"{name} {state} (minimum {minimum}).", **evidence)
