"""Encryption at rest for object-storage buckets (S3 default encryption and its key)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from scanner.kinds.storage import Bucket, BucketEncryption
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule
from scanner.serde import to_json

_KMS_CONFIG = (
    '{"Rules":[{"ApplyServerSideEncryptionByDefault":'
    '{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"KEY_ARN"},"BucketKeyEnabled":true}]}'
)
_TERRAFORM_KMS = """resource "aws_kms_key" "phi" {
  description         = "PHI bucket key"
  enable_key_rotation = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "phi" {
  bucket = aws_s3_bucket.phi.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.phi.arn
    }
    bucket_key_enabled = true
  }
}"""


def _default_encryption(resource: Resource[Bucket], disabled: str) -> BucketEncryption | Verdict:
    """The bucket's default encryption, or the verdict when it is unreadable or off.

    `disabled` completes "Bucket <name> ..." for the FAIL when encryption is off.
    """
    enc = resource.props.encryption
    if enc is None:
        return Verdict.unknown(f"Bucket {resource.name}: its default encryption could not be read.")
    if not enc.enabled:
        return Verdict.fail(f"Bucket {resource.name} {disabled}.", encryption=to_json(enc))
    return enc


@rule(
    id="EAR-BUCKET-01",
    title="Bucket default encryption at rest is enabled",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=[ENCRYPTION_AND_DECRYPTION],
    kinds=[Bucket.KIND],
    remediation={
        "aws": ProviderFix(
            console="S3 console > the bucket > Properties > Default encryption > Edit: choose "
            "SSE-KMS with a customer-managed key (or at least SSE-S3) and save.",
            cli=f"aws s3api put-bucket-encryption --bucket BUCKET "
            f"--server-side-encryption-configuration '{_KMS_CONFIG}'",
            terraform=_TERRAFORM_KMS,
            docs_url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html",
        )
    },
)
def bucket_default_encryption_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Objects holding ePHI must be encrypted at rest so a leaked disk or copy is unreadable.

    Since January 2023 S3 encrypts every new object with SSE-S3 by default; a bucket with no
    encryption configuration of its own (what older endpoints report) is judged encrypted,
    with `platform_default` true in the evidence.
    """
    enc = _default_encryption(resource, "has no default encryption at rest")
    if isinstance(enc, Verdict):
        return enc
    evidence = to_json(enc)
    if enc.platform_default:
        # Decision: "no configuration" means the platform default SSE-S3 applies (S3 has
        # encrypted every new object since January 2023), so this passes, flagged as such.
        return Verdict.passed(
            f"Bucket {resource.name} has no encryption configuration of its own; the "
            "platform default (SSE-S3, AES256) applies.",
            encryption=evidence,
        )
    return Verdict.passed(
        f"Bucket {resource.name} encrypts new objects by default with {enc.algorithm}.",
        encryption=evidence,
    )


@rule(
    id="EAR-BUCKET-02",
    title="PHI bucket is encrypted with a customer-managed KMS key",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=[ENCRYPTION_AND_DECRYPTION],
    kinds=[Bucket.KIND],
    remediation={
        "aws": ProviderFix(
            console="Create a customer-managed KMS key with rotation on (KMS console > Create "
            "key), then S3 console > the bucket > Properties > Default encryption > Edit: "
            "SSE-KMS, choose that key, enable Bucket Key, save. Existing objects keep "
            "their old key until rewritten (e.g. S3 Batch Operations copy).",
            cli=f"aws s3api put-bucket-encryption --bucket BUCKET "
            f"--server-side-encryption-configuration '{_KMS_CONFIG}'",
            terraform=_TERRAFORM_KMS,
            docs_url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
        )
    },
)
def bucket_encrypted_with_customer_managed_key(
    resource: Resource[Any], ctx: RuleContext
) -> Verdict:
    """A customer-managed key lets the covered entity control, audit and revoke decryption of ePHI.

    SSE-S3 and the AWS-managed `aws/s3` key encrypt the data, but their key policy cannot be
    restricted, their use cannot be revoked, and CloudTrail cannot separate ePHI decryptions
    from any other use of S3.
    """
    enc = _default_encryption(resource, "has no default encryption, so no customer-managed KMS key")
    if isinstance(enc, Verdict):
        return enc
    evidence = to_json(enc)
    if enc.customer_managed_key is None:
        return Verdict.unknown(
            f"Bucket {resource.name}: KMS key {enc.kms_key_id} could not be described, so "
            "whether it is customer-managed is unknown.",
            encryption=evidence,
        )
    if enc.customer_managed_key and enc.kms_key_usable is False:
        return Verdict.fail(
            f"Bucket {resource.name} is encrypted with customer-managed KMS key "
            f"{enc.kms_key_id}, which is {enc.kms_key_state}: its objects cannot be "
            "decrypted (and after deletion never can be).",
            encryption=evidence,
        )
    if enc.customer_managed_key:
        return Verdict.passed(
            f"Bucket {resource.name} is encrypted with customer-managed KMS key {enc.kms_key_id}.",
            encryption=evidence,
        )
    if enc.algorithm in ("aws:kms", "aws:kms:dsse"):
        what = "the AWS-managed key aws/s3"
    else:
        what = "SSE-S3 (keys owned by AWS)"
    return Verdict.fail(
        f"Bucket {resource.name} uses {what}, not a customer-managed KMS key.", encryption=evidence
    )
