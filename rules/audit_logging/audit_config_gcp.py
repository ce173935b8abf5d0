"""Google Cloud only: Data Access audit logs record reads and writes of the ePHI services."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, AUDIT_CONTROLS
from scanner.kinds.logging import Access, AuditLogConfig
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

_AUDIT_YAML = (
    "auditConfigs:\n- service: allServices\n  auditLogConfigs:\n"
    "  - logType: DATA_READ\n  - logType: DATA_WRITE\n  - logType: ADMIN_READ"
)


@rule(
    id="LOG-AUDITCONFIG-01",
    title="Data Access audit logs record reads and writes of ePHI services",
    severity=Severity.HIGH,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ACTIVITY_REVIEW),
    kinds=(AuditLogConfig.KIND,),
    providers=("gcp",),
    phi_scoped=False,
    params={
        "services": ["storage.googleapis.com", "bigquery.googleapis.com", "sqladmin.googleapis.com"]
    },
)
def data_access_audit_logs(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """HIPAA audit controls ask who read and who changed ePHI, not only who changed settings.

    Google records admin activity always, but data reads and writes only when Data Access
    audit logs are on (per service or for ``allServices``). Every service in the parameter
    must record both. Exempted members are reported: their access is not recorded.
    """
    config: AuditLogConfig = resource.props
    services = [str(s) for s in ctx.param("services")]
    if config.services is None:
        return Verdict.unknown(
            f"{resource.name}: the audit-log configuration could not be read.",
            services=list(services),
        )
    missing = sorted(
        f"{service}:{access.value}"
        for service in services
        for access in Access
        if not config.records(service, access)
    )
    exempted = sorted({m for service in services for m in config.exempted(service)})
    evidence: dict[str, JSONValue] = {
        "services": list(services),
        "missing": list(missing),
        "exempted_members": list(exempted),
        "configured": [
            f"{s.service}:{'R' if s.data_read else '-'}{'W' if s.data_write else '-'}"
            for s in config.services
        ],
    }
    exemption = f"; exempted from logging: {', '.join(exempted)}" if exempted else ""
    if missing:
        return Verdict.fail(
            f"{resource.name} does not record Data Access logs for "
            f"{', '.join(missing)}{exemption}.",
            **evidence,
        )
    return Verdict.passed(
        f"{resource.name} records data reads and writes of {', '.join(services)}{exemption}.",
        **evidence,
    )
