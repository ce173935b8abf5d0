"""Encryption at rest for Azure storage accounts: infrastructure (double) encryption."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from scanner.kinds.storage import Bucket
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-AZSTORAGE-01",
    title="Storage account uses infrastructure (double) encryption",
    severity=Severity.LOW,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=[ENCRYPTION_AND_DECRYPTION],
    kinds=[Bucket.KIND],
    providers=("azure",),
    precision="high",
)
def storage_infrastructure_encryption(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A second layer of AES-256 at the infrastructure level guards against one key leaking.

    Azure always encrypts storage at rest once; infrastructure encryption adds a second,
    independently keyed layer (defence in depth, hence the low severity).
    """
    props: Bucket = resource.props
    detail = props.azure
    if detail is None:
        return Verdict.not_applicable("not an Azure storage account")
    if detail.infrastructure_encryption is None:
        return Verdict.unknown(
            f"Storage account {resource.name}: its encryption settings could not be read."
        )
    if detail.infrastructure_encryption:
        return Verdict.passed(
            f"Storage account {resource.name} encrypts twice (service and infrastructure).",
            infrastructure_encryption=True,
        )
    return Verdict.fail(
        f"Storage account {resource.name} has one layer of encryption at rest only.",
        infrastructure_encryption=False,
    )


@rule(
    id="EAR-AZSTORAGE-02",
    title="Storage account holding ePHI is encrypted with a customer-managed key",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=[ENCRYPTION_AND_DECRYPTION],
    kinds=[Bucket.KIND],
    providers=("azure",),
)
def storage_customer_managed_key(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A customer-managed key in Key Vault lets the covered entity control and revoke access.

    Microsoft-managed keys encrypt the data, but their use cannot be revoked or audited
    apart from every other use of the service. (The neutral EAR-BUCKET-02 judges the same
    control on S3 in S3's terms; this rule gives Azure's.)
    """
    props: Bucket = resource.props
    detail = props.azure
    if detail is None:
        return Verdict.not_applicable("not an Azure storage account")
    source = detail.key_source
    if source is None:
        return Verdict.unknown(
            f"Storage account {resource.name}: its encryption settings could not be read."
        )
    key = props.encryption.kms_key_id if props.encryption else None
    if source.lower() == "microsoft.keyvault":
        return Verdict.passed(
            f"Storage account {resource.name} is encrypted with customer-managed key {key}.",
            key_source=source,
            key=key,
        )
    return Verdict.fail(
        f"Storage account {resource.name} uses Microsoft-managed keys ({source}).",
        key_source=source,
    )
