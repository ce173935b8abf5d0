"""Cloud SQL only: point-in-time recovery on primary instances (backups: BAK-DB-01)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN
from scanner.kinds.database import DatabaseInstance
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="BAK-DB-04",
    title="Cloud SQL primary has point-in-time recovery",
    severity=Severity.HIGH,
    concern=Concern.BACKUP_RECOVERY,
    citations=(DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN),
    kinds=(DatabaseInstance.KIND,),
    providers=("gcp",),
)
def cloud_sql_point_in_time_recovery(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A database of ePHI must be restorable to the minute before corruption or deletion.

    Automated backups (judged by BAK-DB-01) restore yesterday; point-in-time recovery
    (PostgreSQL and SQL Server write-ahead logs, MySQL binary logs) restores the minute
    before the mistake. Read replicas copy their primary and keep no recovery logs of
    their own, so they are not judged.
    """
    del ctx
    props: DatabaseInstance = resource.props
    detail = props.gcp
    if detail is None:
        return Verdict.not_applicable("not a Cloud SQL instance")
    if detail.replica:
        return Verdict.not_applicable("read replicas recover through their primary")
    evidence: dict[str, JSONValue] = {
        "backup_enabled": detail.backup_enabled,
        "point_in_time_recovery": detail.point_in_time_recovery,
    }
    name = f"Cloud SQL instance {resource.name}"
    if detail.point_in_time_recovery is None:
        return Verdict.unknown(f"{name}: its backup configuration could not be read.", **evidence)
    if not detail.point_in_time_recovery:
        return Verdict.fail(
            f"{name} has point-in-time recovery off"
            f"{'' if detail.backup_enabled else ' (and automated backups)'}.",
            **evidence,
        )
    return Verdict.passed(f"{name} has point-in-time recovery.", **evidence)
