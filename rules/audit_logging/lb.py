"""Load balancers: access logs are delivered (ELBv2 and classic ELB)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, AUDIT_CONTROLS
from rules.support import judge_access_logs
from scanner.kinds.delivery import ClassicLoadBalancer, LoadBalancer
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="LOG-LB-01",
    title="Load balancer access logging is enabled",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ACTIVITY_REVIEW),
    kinds=(LoadBalancer.KIND, ClassicLoadBalancer.KIND),
    providers=("aws",),
)
def load_balancer_access_logs_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Access logs record every request that reached an application handling ePHI.

    They hold the client address, path, status and TLS protocol; without them, access to
    ePHI cannot be reviewed or investigated after an incident.
    """
    return judge_access_logs(
        resource.props.access_logs_enabled,
        resource.props.access_log_bucket,
        subject=f"Load balancer {resource.name}",
        unknown="its attributes (access logs) could not be read",
        enabled_key="access_logs_enabled",
        destination_key="access_log_bucket",
    )
