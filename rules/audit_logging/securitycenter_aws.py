"""AWS Security Hub must be enabled in every scanned region."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, EVALUATION, RISK_MANAGEMENT
from rules.support import judge_flag
from scanner.kinds.monitoring_edge import SecurityCenter
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="LOG-SECURITYCENTER-01",
    title="Security Hub is enabled in the region",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(ACTIVITY_REVIEW, RISK_MANAGEMENT, EVALUATION),
    kinds=(SecurityCenter.KIND,),
    providers=("aws",),
    phi_scoped=False,
)
def security_hub_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A security posture service gathers findings and checks configuration continuously.

    Security Hub aggregates threat-detection, access-analysis and vulnerability findings and
    runs its own configuration checks in each region; without it nobody reviews that region's
    security findings in one place, and drift between periodic scans goes unseen.
    """
    props: SecurityCenter = resource.props
    return judge_flag(
        props.enabled,
        passed=f"Region {resource.region} has Security Hub enabled.",
        failed=f"Region {resource.region} is not subscribed to Security Hub.",
        unknown=f"Region {resource.region}: whether Security Hub is enabled could not be read.",
        evidence={"enabled": props.enabled, "subscribed_at": props.subscribed_at},
    )
