"""Encryption in transit for managed database instances: the server must refuse plain text."""

from __future__ import annotations

from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from rules.support import database_tls_evidence, judge_database_tls
from scanner.kinds.database import DatabaseInstance
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule


@rule(
    id="EIT-DB-01",
    title="Database instance requires TLS for every connection",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_SECURITY, TRANSMISSION_ENCRYPTION),
    kinds=(DatabaseInstance.KIND,),
    remediation={
        "aws": ProviderFix(
            console=(
                "AWS default parameter groups cannot be changed. Create a custom DB "
                "parameter group for the engine family, set rds.force_ssl = 1 (PostgreSQL, "
                "SQL Server) or require_secure_transport = 1 (MySQL, MariaDB), attach it to "
                "the instance and reboot. For an Aurora member, set it in the cluster "
                "parameter group (EIT-DBCLUSTER-01)."
            ),
            cli=(
                "aws rds create-db-parameter-group --db-parameter-group-name phi-tls "
                '--db-parameter-group-family postgres14 --description "TLS required"\n'
                "aws rds modify-db-parameter-group --db-parameter-group-name phi-tls "
                '--parameters "ParameterName=rds.force_ssl,ParameterValue=1,'
                'ApplyMethod=pending-reboot"\n'
                "aws rds modify-db-instance --db-instance-identifier DB "
                "--db-parameter-group-name phi-tls --apply-immediately\n"
                "aws rds reboot-db-instance --db-instance-identifier DB"
            ),
            terraform=(
                'resource "aws_db_parameter_group" "phi_tls" {\n'
                '  name   = "phi-tls"\n'
                '  family = "postgres14"\n'
                "  parameter {\n"
                '    name         = "rds.force_ssl" # require_secure_transport for MySQL\n'
                '    value        = "1"\n'
                '    apply_method = "pending-reboot"\n'
                "  }\n"
                "}\n"
                'resource "aws_db_instance" "phi" {\n'
                "  parameter_group_name = aws_db_parameter_group.phi_tls.name\n"
                "}"
            ),
            docs_url="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html",
        )
    },
    precision="high",
)
def db_instance_tls_enforced(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """The database server must refuse connections that are not encrypted.

    Unless the server requires TLS, a misconfigured or old client can send credentials and
    ePHI in clear text; requiring it on the server closes that path for every client.
    """
    props: DatabaseInstance = resource.props
    evidence = {**database_tls_evidence(props), "cluster_uid": props.cluster_uid}
    return judge_database_tls(
        props,
        subject=f"Database instance {resource.name}",
        group="parameter group",
        evidence=evidence,
    )
