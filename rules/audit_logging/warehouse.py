"""Audit logging for data warehouse clusters."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, AUDIT_CONTROLS, LOGIN_MONITORING
from rules.support import judge_flag
from scanner.kinds.database import DatabaseWarehouse
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="LOG-WAREHOUSE-01",
    title="Data warehouse audit logging is enabled",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ACTIVITY_REVIEW, LOGIN_MONITORING),
    kinds=(DatabaseWarehouse.KIND,),
    providers=("aws",),
)
def warehouse_audit_logging_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A warehouse of ePHI must keep an audit trail of who connected and what changed.

    Warehouse audit logs record every connection and user change (and, with user activity
    logging, every query): the trail needed to review who accessed ePHI.
    """
    props: DatabaseWarehouse = resource.props
    evidence: dict[str, JSONValue] = {
        "audit_logging_enabled": props.audit_logging_enabled,
        "audit_log_destination": props.audit_log_destination,
    }
    subject = f"Data warehouse {resource.name}"
    return judge_flag(
        props.audit_logging_enabled,
        passed=f"{subject} delivers audit logs to "
        f"{props.audit_log_destination or 'a destination'}.",
        failed=f"{subject} has audit logging off.",
        unknown=f"{subject}: its audit logging status could not be read.",
        evidence=evidence,
    )
