"""Automated snapshots for data warehouse clusters."""

from __future__ import annotations

from typing import Any

from rules.hipaa import DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN
from rules.support import judge_minimum
from scanner.kinds.database import DatabaseWarehouse
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="BAK-WAREHOUSE-01",
    title="Data warehouse keeps automated snapshots long enough",
    severity=Severity.MEDIUM,
    concern=Concern.BACKUP_RECOVERY,
    citations=(DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN),
    kinds=(DatabaseWarehouse.KIND,),
    params={"min_backup_retention_days": 7},
    providers=("aws",),
)
def warehouse_backup_retention_sufficient(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Automated snapshots are how a warehouse of ePHI is recovered after a bad load.

    They also cover deletion and corruption; 0 days turns them off and 1 day (the default)
    is a thin margin.
    """
    props: DatabaseWarehouse = resource.props
    minimum = int(ctx.param("min_backup_retention_days"))
    evidence: dict[str, JSONValue] = {
        "backup_retention_days": props.backup_retention_days,
        "min_backup_retention_days": minimum,
    }
    days = props.backup_retention_days
    subject = f"Data warehouse {resource.name}"
    kept = f"{subject} keeps automated snapshots for {days} days"
    return judge_minimum(
        days,
        minimum,
        passed=f"{kept}.",
        failed=f"{kept} (minimum {minimum}).",
        unknown=f"{subject}: its snapshot retention could not be read.",
        evidence=evidence,
    )
