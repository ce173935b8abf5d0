"""Audit logging for managed database clusters."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, AUDIT_CONTROLS, LOGIN_MONITORING
from rules.support import database_log_evidence, judge_database_log_exports
from scanner.kinds.database import DatabaseCluster
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="LOG-DBCLUSTER-01",
    title="Database cluster exports its audit or connection logs",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ACTIVITY_REVIEW, LOGIN_MONITORING),
    kinds=(DatabaseCluster.KIND,),
    providers=("aws",),
    precision="high",
)
def dbcluster_audit_logs_exported(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A cluster's audit or connection logs show who reached ePHI and when.

    Exported to a log service they survive the cluster and can be reviewed and alerted on.
    """
    props: DatabaseCluster = resource.props
    return judge_database_log_exports(
        props, subject=f"Database cluster {resource.name}", evidence=database_log_evidence(props)
    )
