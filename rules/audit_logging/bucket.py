"""Audit logging for object-storage buckets (S3 server access logging)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, AUDIT_CONTROLS
from scanner.kinds.storage import Bucket
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule
from scanner.serde import to_json


@rule(
    id="LOG-BUCKET-01",
    title="Bucket server access logging is enabled",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=[AUDIT_CONTROLS, ACTIVITY_REVIEW],
    kinds=[Bucket.KIND],
    providers=("aws",),
)
def bucket_access_logging_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Server access logs record every request to a bucket holding ePHI, as audits require.

    They say who read, wrote or deleted which object, when and from where, which HIPAA audit
    controls and information system activity review need.
    Control-plane audit logs do not record object reads; data-access audit logs or these
    logs do.
    """
    props: Bucket = resource.props
    logging = props.access_logging
    if logging is None:
        return Verdict.unknown(
            f"Bucket {resource.name}: its server access logging setting could not be read."
        )
    if logging.enabled:
        return Verdict.passed(
            f"Bucket {resource.name} delivers server access logs to bucket "
            f"{logging.target_bucket}.",
            access_logging=to_json(logging),
        )
    return Verdict.fail(
        f"Bucket {resource.name} has server access logging turned off.",
        access_logging=to_json(logging),
    )
