"""Cloud SQL only: the engine's audit-logging flags are on."""

from __future__ import annotations

from typing import Any

from rules.hipaa import AUDIT_CONTROLS, LOGIN_MONITORING
from scanner.kinds.database import DatabaseInstance
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule


@rule(
    id="LOG-CLOUDSQL-01",
    title="Cloud SQL instance turns on its engine's audit logging",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, LOGIN_MONITORING),
    kinds=(DatabaseInstance.KIND,),
    providers=("gcp",),
    remediation={
        "gcp": ProviderFix(
            console="SQL > the instance > Edit > Flags: PostgreSQL cloudsql.enable_pgaudit=on "
            "(then CREATE EXTENSION pgaudit), log_connections=on, log_disconnections=on; "
            "MySQL cloudsql_mysql_audit=ON.",
            cli="gcloud sql instances patch INSTANCE --database-flags="
            "cloudsql.enable_pgaudit=on,log_connections=on,log_disconnections=on",
            docs_url="https://cloud.google.com/sql/docs/postgres/pg-audit",
        )
    },
    precision="high",
)
def cloud_sql_audit_flags(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Statement and connection logs show who read or changed ePHI inside the database.

    Cloud SQL writes them to Cloud Logging once the engine's flags are on; at least one
    audit flag of the engine must be on. Engines without such flags are not judged.
    """
    del ctx
    props: DatabaseInstance = resource.props
    if props.gcp is None:
        return Verdict.not_applicable("not a Cloud SQL instance")
    if props.gcp.database_flags is None:
        return Verdict.unknown(f"Cloud SQL instance {resource.name}: its flags could not be "
                               "read.", audit_flags_on=None)
    if props.audit_log_exports is None:
        return Verdict.not_applicable(f"no audit flags are known for engine {props.engine}")
    on: list[JSONValue] = list(props.audit_log_exports)
    if on:
        flags = ", ".join(props.audit_log_exports)
        return Verdict.passed(f"Cloud SQL instance {resource.name} has {flags} on.",
                              audit_flags_on=on)
    return Verdict.fail(f"Cloud SQL instance {resource.name} ({props.engine}) has no "
                        "audit-logging flag on.", audit_flags_on=[])
