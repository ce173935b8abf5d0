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

    Without them, access cannot be reviewed or reconstructed after an incident. Only the
    standard (legacy) logging setting is read; log delivery to a log service is not.
    """
    return judge_access_logs(
        resource.props.logging_enabled,
        resource.props.log_bucket,
        subject=f"CDN distribution {resource.name}",
        unknown="its configuration (logging) could not be read",
        enabled_key="logging_enabled",
        destination_key="log_bucket",
    )
