"""AWS WAF web ACLs must log the requests they inspect."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, AUDIT_CONTROLS
from rules.support import judge_flag
from scanner.kinds.monitoring_edge import WebAcl
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="LOG-WEBACL-01",
    title="WAF web ACL logging is enabled",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ACTIVITY_REVIEW),
    kinds=(WebAcl.KIND,),
    providers=("aws",),
    phi_scoped=False,
)
def web_acl_logging_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """The firewall's log is the record of attacks on the applications in front of ePHI.

    Without it, blocked and allowed requests (injection attempts, credential stuffing)
    leave no trace to review or to investigate an incident with.
    """
    props: WebAcl = resource.props
    subject = f"Web ACL {resource.name}"
    return judge_flag(
        props.logging_enabled,
        passed=f"{subject} logs to {', '.join(props.log_destinations)}.",
        failed=f"{subject} has no logging configuration.",
        unknown=f"{subject}: its logging configuration could not be read.",
        evidence={
            "logging_enabled": props.logging_enabled,
            "log_destinations": list(props.log_destinations),
        },
    )
