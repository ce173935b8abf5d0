"""Key-value tables: point-in-time recovery and deletion protection."""

from __future__ import annotations

from typing import Any

from rules.backup_coverage import overrule
from rules.hipaa import DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN, INTEGRITY
from rules.support import judge_switch
from scanner.kinds.nosql import Table
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="BAK-TABLE-01",
    title="Table has point-in-time recovery enabled",
    severity=Severity.MEDIUM,
    concern=Concern.BACKUP_RECOVERY,
    citations=(DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN),
    kinds=(Table.KIND,),
    providers=("aws",),
)
def dynamodb_point_in_time_recovery_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Point-in-time recovery keeps continuous backups of the table for up to 35 days.

    A table holding ePHI can then be restored after accidental writes, deletes or
    ransomware-style corruption; without it there is no retrievable copy of recent ePHI.
    A table a backup plan protects passes too (the evidence says so).
    """
    return overrule(_point_in_time(resource), ctx, resource, f"Table {resource.name}")


def _point_in_time(resource: Resource[Any]) -> Verdict:
    enabled = resource.props.point_in_time_recovery
    if enabled is None:
        return Verdict.unknown(
            f"Table {resource.name}: its continuous-backup settings could not be read."
        )
    if not enabled:
        return Verdict.fail(
            f"Table {resource.name} has point-in-time recovery off.",
            point_in_time_recovery=False,
        )
    return Verdict.passed(
        f"Table {resource.name} has point-in-time recovery on.",
        point_in_time_recovery=True,
        recovery_period_days=resource.props.recovery_period_days,
    )


@rule(
    id="BAK-TABLE-02",
    title="Table has deletion protection enabled",
    severity=Severity.LOW,
    concern=Concern.BACKUP_RECOVERY,
    citations=(INTEGRITY, DATA_BACKUP_PLAN),
    kinds=(Table.KIND,),
    providers=("aws",),
)
def dynamodb_deletion_protection_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Deleting a table destroys its ePHI and its point-in-time-recovery history at once.

    Deletion protection makes deletion a deliberate two-step action.
    """
    return judge_switch(
        resource.props.deletion_protection,
        subject=f"Table {resource.name}",
        setting="deletion protection",
        unknown="its description (deletion protection) could not be read",
        evidence_key="deletion_protection_enabled",
    )
