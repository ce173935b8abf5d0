"""Encryption at rest for object-storage buckets (S3 default encryption and its key)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from scanner.kinds.storage import Bucket, BucketEncryption
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule
from scanner.serde import to_json


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
    providers=("aws",),
)
def bucket_default_encryption_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Objects holding ePHI must be encrypted at rest so a leaked disk or copy is unreadable.

    A bucket with no encryption configuration of its own whose platform encrypts every new
    object by default is judged encrypted, with `platform_default` true in the evidence.
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
    title="PHI bucket is encrypted with a customer-managed key",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=[ENCRYPTION_AND_DECRYPTION],
    kinds=[Bucket.KIND],
    providers=("aws", "gcp"),
)
def bucket_encrypted_with_customer_managed_key(
    resource: Resource[Any], ctx: RuleContext
) -> Verdict:
    """A customer-managed key lets the covered entity control, audit and revoke decryption of ePHI.

    Platform-managed keys encrypt the data, but their key policy cannot be restricted, their
    use cannot be revoked, and the audit log cannot separate ePHI decryptions from any other
    use of the storage service.
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
    elif enc.algorithm in (None, "AES256"):
        what = "SSE-S3 (keys owned by AWS)"
    else:
        what = f"keys managed by the cloud provider ({enc.algorithm})"
    return Verdict.fail(
        f"Bucket {resource.name} uses {what}, not a customer-managed KMS key.", encryption=evidence
    )
