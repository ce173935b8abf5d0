"""Public exposure of big-data analytics clusters."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from rules.support import judge_flag
from scanner.kinds.streams_analytics import AnalyticsCluster
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-ANALYTICS-01",
    title="Analytics cluster's primary node has no public IP address",
    severity=Severity.HIGH,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(AnalyticsCluster.KIND,),
    providers=("aws",),
)
def analytics_primary_not_public(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """The primary node runs the cluster's web consoles, SSH and job APIs.

    With a public IP address, one permissive firewall rule exposes every dataset the
    cluster reads to the internet.
    """
    del ctx
    props: AnalyticsCluster = resource.props
    evidence: dict[str, JSONValue] = {
        "primary_node_public": props.primary_node_public,
        "primary_public_ips": list(props.primary_public_ips or ()),
    }
    subject = f"Analytics cluster {resource.name}"
    return judge_flag(
        props.primary_node_public,
        good=False,
        passed=f"{subject}: its primary node has no public IP address.",
        failed=(
            f"{subject}: its primary node has public IP address "
            f"{', '.join(props.primary_public_ips or ())}."
        ),
        unknown=f"{subject}: whether its primary node has a public IP could not be read.",
        evidence=evidence,
    )
