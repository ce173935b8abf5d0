"""Cloud SQL only: automated backups and point-in-time recovery on primary instances."""

from __future__ import annotations

from typing import Any

from rules.hipaa import DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN
from scanner.kinds.database import DatabaseInstance
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="BAK-DB-04",
    title="Cloud SQL primary has automated backups and point-in-time recovery",
    severity=Severity.HIGH,
    concern=Concern.BACKUP_RECOVERY,
    citations=(DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN),
    kinds=(DatabaseInstance.KIND,),
    providers=("gcp",),
)
def cloud_sql_backups(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A database of ePHI must be restorable to a point before corruption or deletion.

    Automated backups restore yesterday; point-in-time recovery restores the minute before
    the mistake. Read replicas copy their primary and cannot hold backups of their own, so
    they are not judged.
    """
    del ctx
    props: DatabaseInstance = resource.props
    detail = props.gcp
    if detail is None:
        return Verdict.not_applicable("not a Cloud SQL instance")
    if detail.replica:
        return Verdict.not_applicable("read replicas take their backups from the primary")
    evidence: dict[str, JSONValue] = {
        "backup_enabled": detail.backup_enabled,
        "point_in_time_recovery": detail.point_in_time_recovery,
        "backup_retention_days": props.backup_retention_days,
    }
    name = f"Cloud SQL instance {resource.name}"
    if detail.backup_enabled is None or detail.point_in_time_recovery is None:
        return Verdict.unknown(f"{name}: its backup configuration could not be read.",
                               **evidence)
    missing = [label for label, on in (("automated backups", detail.backup_enabled),
                                       ("point-in-time recovery",
                                        detail.point_in_time_recovery)) if not on]
    if missing:
        return Verdict.fail(f"{name} has {' and '.join(missing)} off.", **evidence)
    return Verdict.passed(f"{name} has automated backups and point-in-time recovery.",
                          **evidence)
