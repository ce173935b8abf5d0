"""Encryption in transit for managed database clusters (cluster parameter groups)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from rules.support import database_tls_evidence, judge_database_tls
from scanner.kinds.database import DatabaseCluster
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule


@rule(
    id="EIT-DBCLUSTER-01",
    title="Database cluster requires TLS for every connection",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_SECURITY, TRANSMISSION_ENCRYPTION),
    kinds=(DatabaseCluster.KIND,),
    remediation={
        "aws": ProviderFix(
            console=(
                "Create a custom DB cluster parameter group for the engine family, set "
                "rds.force_ssl = 1 (Aurora PostgreSQL) or require_secure_transport = ON "
                "(Aurora MySQL), attach it to the cluster and reboot its instances."
            ),
            cli=(
                "aws rds create-db-cluster-parameter-group --db-cluster-parameter-group-name "
                'phi-tls --db-parameter-group-family aurora-mysql8.0 --description "TLS"\n'
                "aws rds modify-db-cluster-parameter-group --db-cluster-parameter-group-name "
                'phi-tls --parameters "ParameterName=require_secure_transport,'
                'ParameterValue=ON,ApplyMethod=immediate"\n'
                "aws rds modify-db-cluster --db-cluster-identifier CLUSTER "
                "--db-cluster-parameter-group-name phi-tls --apply-immediately"
            ),
            terraform=(
                'resource "aws_rds_cluster_parameter_group" "phi_tls" {\n'
                '  name   = "phi-tls"\n'
                '  family = "aurora-mysql8.0"\n'
                "  parameter {\n"
                '    name  = "require_secure_transport" # rds.force_ssl for PostgreSQL\n'
                '    value = "ON"\n'
                "  }\n"
                "}\n"
                'resource "aws_rds_cluster" "phi" {\n'
                "  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.phi_tls.name\n"
                "}"
            ),
            docs_url="https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.SSL.html",
        )
    },
    precision="high",
)
def dbcluster_tls_enforced(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """The database cluster must refuse connections that are not encrypted.

    Unless the cluster requires TLS, clients may send credentials and ePHI to any of its
    instances in clear text; the cluster parameter group decides this for all of them.
    """
    props: DatabaseCluster = resource.props
    return judge_database_tls(
        props,
        subject=f"Database cluster {resource.name}",
        group="cluster parameter group",
        evidence=database_tls_evidence(props),
    )
