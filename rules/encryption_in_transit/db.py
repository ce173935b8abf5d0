"""Encryption in transit for managed database instances: the server must refuse plain text."""

from __future__ import annotations

from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from scanner.kinds.database import DatabaseInstance
from scanner.model import Concern, JSONValue, Resource, Severity
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
    evidence: dict[str, JSONValue] = {
        "tls_enforced": props.tls_enforced,
        "engine": props.engine,
        "engine_version": props.engine_version,
        "parameter_group": props.parameter_group,
        "tls_parameter": props.tls_parameter,
        "tls_parameter_value": props.tls_parameter_value,
        "tls_source": props.tls_source,
        "cluster_uid": props.cluster_uid,
    }
    if props.tls_enforced is None:
        if props.tls_parameter is None:
            why = f"the scanner knows no TLS parameter for engine {props.engine}"
        elif props.tls_source == "engine-default":
            why = (
                f"the default of {props.tls_parameter} for {props.engine} "
                f"{props.engine_version} is not known"
            )
        else:
            why = f"parameter group {props.parameter_group} could not be read"
        return Verdict.unknown(
            f"Database instance {resource.name}: TLS enforcement is unknown ({why}).", **evidence
        )
    setting = (
        f"{props.tls_parameter}={props.tls_parameter_value}"
        if props.tls_source == "parameter-group"
        else f"the engine default for {props.tls_parameter}"
    )
    if props.tls_enforced:
        return Verdict.passed(
            f"Database instance {resource.name} requires TLS ({setting} in "
            f"{props.parameter_group}).",
            **evidence,
        )
    return Verdict.fail(
        f"Database instance {resource.name} accepts unencrypted connections ({setting} in "
        f"{props.parameter_group}).",
        **evidence,
    )
