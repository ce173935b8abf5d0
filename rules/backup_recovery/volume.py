"""Block-storage volumes are protected by a backup plan."""

from __future__ import annotations

from typing import Any

from rules.backup_coverage import MAX_DAYS_SINCE_BACKUP, Coverage, lookup
from rules.hipaa import DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN
from scanner.kinds.compute import Volume
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="BAK-VOLUME-01",
    title="Volume is protected by a backup plan",
    severity=Severity.MEDIUM,
    concern=Concern.BACKUP_RECOVERY,
    citations=(DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN),
    kinds=(Volume.KIND,),
    providers=("aws",),
)
def volume_in_backup_plan(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A volume has no backup of its own: without a plan, its ePHI dies with the disk.

    A backup plan takes scheduled, retained snapshots of the volume, so it can be restored
    after deletion, corruption or ransomware.
    """
    found = lookup(ctx, resource)
    subject = f"Volume {resource.name}"
    evidence = found.evidence()
    if found.coverage is Coverage.PROTECTED:
        return Verdict.passed(
            f"{subject} is protected by a backup plan{found.last_backup()}.", **evidence
        )
    if found.coverage is Coverage.STALE:
        return Verdict.fail(
            f"{subject} was backed up once but no plan keeps it backed up"
            f"{found.last_backup()} (more than {MAX_DAYS_SINCE_BACKUP}).",
            **evidence,
        )
    if found.coverage is Coverage.NOT_PROTECTED:
        return Verdict.fail(f"{subject} is protected by no backup plan.", **evidence)
    if found.coverage is Coverage.UNREADABLE:
        return Verdict.unknown(
            f"{subject}: which resources backup plans protect could not be read.", **evidence
        )
    return Verdict.unknown(
        f"{subject}: the protected resources of its region were not collected.",
        aws_backup_protected=None,
    )
