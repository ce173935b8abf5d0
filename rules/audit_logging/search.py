"""Search domains must publish audit logs."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, AUDIT_CONTROLS, LOGIN_MONITORING
from rules.support import judge_flag
from scanner.kinds.data_api import SearchDomain
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="LOG-SEARCH-01",
    title="Search domain publishes audit logs",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ACTIVITY_REVIEW, LOGIN_MONITORING),
    kinds=(SearchDomain.KIND,),
    providers=("aws",),
)
def search_domain_audit_logs(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Audit logs record who signed in, which indexes they read and what they changed.

    Without them nobody can tell who searched the ePHI a domain holds. (Audit logs need
    fine-grained access control on the domain; a domain without it cannot turn them on.)
    """
    del ctx
    props: SearchDomain = resource.props
    subject = f"Search domain {resource.name}"
    return judge_flag(
        props.audit_logs_enabled,
        passed=f"{subject} publishes audit logs to {props.audit_log_destination}.",
        failed=f"{subject} publishes no audit logs.",
        unknown=f"{subject}: its log publishing could not be read.",
        evidence={
            "audit_logs_enabled": props.audit_logs_enabled,
            "audit_log_destination": props.audit_log_destination,
        },
    )
