"""Encryption in transit for object-storage buckets (TLS-only bucket policy)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from scanner.kinds.storage import Bucket
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule

_POLICY = (
    '{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny",'
    '"Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::BUCKET",'
    '"arn:aws:s3:::BUCKET/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}'
)
_TERRAFORM = """data "aws_iam_policy_document" "tls_only" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.phi.arn, "${aws_s3_bucket.phi.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "phi" {
  bucket = aws_s3_bucket.phi.id
  policy = data.aws_iam_policy_document.tls_only.json
}"""


@rule(
    id="EIT-BUCKET-01",
    title="Bucket policy denies requests not sent over TLS",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=[TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY],
    kinds=[Bucket.KIND],
    remediation={
        "aws": ProviderFix(
            console="S3 console > the bucket > Permissions > Bucket policy > Edit: add a Deny "
            "statement for Principal *, Action s3:*, Resources the bucket ARN and "
            "ARN/*, with Condition Bool aws:SecureTransport = false; keep the existing "
            "statements.",
            cli="# put-bucket-policy replaces the whole policy: merge this statement into the "
            "existing one (aws s3api get-bucket-policy --bucket BUCKET) first.\n"
            f"aws s3api put-bucket-policy --bucket BUCKET --policy '{_POLICY}'",
            terraform=_TERRAFORM,
            docs_url="https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule",
        )
    },
)
def bucket_tls_required(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A bucket holding ePHI must refuse plain-HTTP requests, which S3 endpoints still accept.

    Only a bucket-policy Deny on aws:SecureTransport=false guarantees ePHI is never sent to
    or from the bucket unencrypted.
    The Deny must apply to every principal and every S3 action, on the bucket and its objects.
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
