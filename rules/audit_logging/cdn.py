"""CDN distributions: standard access logging is enabled (CloudFront)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, AUDIT_CONTROLS
from rules.support import judge_access_logs
from scanner.kinds.delivery import CdnDistribution
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="LOG-CDN-01",
    title="CDN distribution access logging is enabled",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ACTIVITY_REVIEW),
    kinds=(CdnDistribution.KIND,),
    precision="high",
    providers=("aws",),
)
def cdn_access_logging_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Access logs record every viewer request for content that may include ePHI.

    Without them, access cannot be reviewed or reconstructed after an incident. Standard
    logging, standard logging v2 (a log delivery) and real-time logs all count.
    """
    props = resource.props
    name = f"CDN distribution {resource.name}"
    if not props.logging_enabled:
        if props.delivery_logging:
            return Verdict.passed(
                f"{name} delivers its access logs through a log delivery (standard logging v2).",
                logging_enabled=props.logging_enabled,
                delivery_logging=True,
            )
        if props.realtime_logging:
            return Verdict.passed(
                f"{name} sends real-time logs from every cache behavior.",
                logging_enabled=props.logging_enabled,
                realtime_logging=True,
            )
        if props.logging_enabled is False and props.delivery_logging is None:
            return Verdict.unknown(
                f"{name} has standard logging off, and its log deliveries (standard logging "
                "v2) could not be read.",
                logging_enabled=False,
                delivery_logging=None,
            )
    return judge_access_logs(
        resource.props.logging_enabled,
        resource.props.log_bucket,
        subject=f"CDN distribution {resource.name}",
        unknown="its configuration (logging) could not be read",
        enabled_key="logging_enabled",
        destination_key="log_bucket",
    )
