"""Audit logging for managed database clusters."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, AUDIT_CONTROLS, LOGIN_MONITORING
from rules.support import database_log_evidence, judge_database_log_exports
from scanner.kinds.database import DatabaseCluster
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule


@rule(
    id="LOG-DBCLUSTER-01",
    title="Database cluster exports its audit or connection logs",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ACTIVITY_REVIEW, LOGIN_MONITORING),
    kinds=(DatabaseCluster.KIND,),
    remediation={
        "aws": ProviderFix(
            console=(
                "RDS > Databases > the cluster > Modify > Log exports: tick audit (Aurora "
                "MySQL, with server_audit_logging = 1 in the cluster parameter group) or "
                "postgresql (Aurora PostgreSQL)."
            ),
            cli=(
                "aws rds modify-db-cluster --db-cluster-identifier CLUSTER "
                '--cloudwatch-logs-export-configuration \'{"EnableLogTypes":["audit"]}\' '
                "--apply-immediately"
            ),
            terraform=(
                'resource "aws_rds_cluster" "phi" {\n'
                '  enabled_cloudwatch_logs_exports = ["audit"] # ["postgresql"] for PostgreSQL\n'
                "}"
            ),
            docs_url="https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/publishing_cloudwatchlogs.html",
        )
    },
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
