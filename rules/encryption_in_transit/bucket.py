"""Encryption in transit for object-storage buckets (TLS-only bucket policy)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from scanner.kinds.storage import Bucket
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EIT-BUCKET-01",
    title="Bucket policy denies requests not sent over TLS",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=[TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY],
    kinds=[Bucket.KIND],
    providers=("aws",),
)
def bucket_tls_required(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A bucket holding ePHI must refuse plain-HTTP requests, which storage endpoints accept.

    Only a bucket setting or policy that refuses requests without TLS guarantees ePHI is never
    sent to or from the bucket unencrypted. It must apply to every principal and every
    action, on the bucket and its objects.
    """
    props: Bucket = resource.props
    if props.tls_required is None:
        return Verdict.unknown(
            f"Bucket {resource.name}: its bucket policy could not be read or parsed."
        )
    if props.tls_required:
        return Verdict.passed(
            f"Bucket {resource.name} denies every request not sent over TLS.", tls_required=True
        )
    reason = (
        "its policy has no Deny on aws:SecureTransport=false covering s3:* on the bucket "
        "and its objects"
        if props.has_policy
        else "it has no bucket policy"
    )
    return Verdict.fail(
        f"Bucket {resource.name} accepts plain-HTTP requests: {reason}.",
        tls_required=False,
        has_policy=props.has_policy,
    )
