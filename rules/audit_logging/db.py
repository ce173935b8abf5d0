"""Audit logging for managed database instances and clusters: access logs leave the host."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, AUDIT_CONTROLS, LOGIN_MONITORING
from rules.support import database_log_evidence, judge_database_log_exports
from scanner.kinds.database import DatabaseCluster, DatabaseInstance
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="LOG-DB-01",
    title="Database exports its audit or connection logs",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ACTIVITY_REVIEW, LOGIN_MONITORING),
    kinds=(DatabaseInstance.KIND, DatabaseCluster.KIND),
    providers=("aws", "gcp"),
    precision="high",
)
def db_instance_audit_logs_exported(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Connection and statement logs show who reached ePHI and when.

    Exported to a log service they survive the instance or cluster and can be reviewed and
    alerted on.
    """
    if isinstance(resource.props, DatabaseCluster):
        cluster: DatabaseCluster = resource.props
        return judge_database_log_exports(
            cluster,
            subject=f"Database cluster {resource.name}",
            evidence=database_log_evidence(cluster),
        )
    props: DatabaseInstance = resource.props
    return judge_database_log_exports(
        props,
        subject=f"Database instance {resource.name}",
        evidence={**database_log_evidence(props), "cluster_uid": props.cluster_uid},
    )
