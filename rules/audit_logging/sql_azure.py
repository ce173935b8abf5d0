"""Audit logging for Azure SQL servers (server auditing) and Key Vaults (AuditEvent)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, AUDIT_CONTROLS
from scanner.kinds.database import DatabaseInstance
from scanner.kinds.kms import KeyVault
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="LOG-AZSQL-01",
    title="Azure SQL server auditing is on",
    severity=Severity.HIGH,
    concern=Concern.AUDIT_LOGGING,
    citations=[AUDIT_CONTROLS, ACTIVITY_REVIEW],
    kinds=[DatabaseInstance.KIND],
    providers=("azure",),
)
def sql_auditing_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Server auditing records who queried and changed ePHI in every database of the server."""
    props: DatabaseInstance = resource.props
    detail = props.azure
    if detail is None:
        return Verdict.not_applicable("not an Azure SQL server")
    if detail.auditing_enabled is None:
        return Verdict.unknown(
            f"SQL server {resource.name}: its auditing policy could not be read."
        )
    if detail.auditing_enabled:
        return Verdict.passed(
            f"SQL server {resource.name} audits to "
            f"{', '.join(detail.audit_destinations or ()) or 'its configured target'}.",
            audit_destinations=list(detail.audit_destinations or ()),
        )
    return Verdict.fail(f"SQL server {resource.name} has auditing off.", auditing_enabled=False)


@rule(
    id="LOG-AZKEYVAULT-01",
    title="Key Vault sends its AuditEvent log somewhere",
    severity=Severity.HIGH,
    concern=Concern.AUDIT_LOGGING,
    citations=[AUDIT_CONTROLS, ACTIVITY_REVIEW],
    kinds=[KeyVault.KIND],
    providers=("azure",),
)
def key_vault_audit_logged(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Every use of the keys that protect ePHI must be on record.

    Passes when a diagnostic setting sends AuditEvent (or the audit / allLogs group) to a
    destination.
    """
    props: KeyVault = resource.props
    found = props.log_categories
    if found is None:
        return Verdict.unknown(
            f"Key Vault {resource.name}: its diagnostic settings could not be read."
        )
    lowered = {name.lower() for name in found}
    if lowered & {"auditevent", "audit", "alllogs"}:
        return Verdict.passed(
            f"Key Vault {resource.name} exports its audit log.", exported=list(found)
        )
    return Verdict.fail(
        f"Key Vault {resource.name} exports no AuditEvent log.", exported=list(found)
    )
