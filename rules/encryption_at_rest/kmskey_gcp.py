"""Cloud KMS only: keys rotate at least as often as the parameter says."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from scanner.kinds.kms import Key
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule


@rule(
    id="EAR-CLOUDKMS-01",
    title="Cloud KMS key rotates automatically within the maximum period",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(Key.KIND,),
    providers=("gcp",),
    params={"max_rotation_days": 90},
    remediation={
        "gcp": ProviderFix(
            console="Security > Key Management > the key ring > the key > Edit rotation "
            "period: 90 days or less.",
            cli="gcloud kms keys update KEY --keyring RING --location LOCATION "
            "--rotation-period 90d --next-rotation-time +P1D",
            terraform='resource "google_kms_crypto_key" "phi" {\n'
            '  rotation_period = "7776000s"\n}',
            docs_url="https://cloud.google.com/kms/docs/key-rotation",
        )
    },
)
def cloud_kms_rotation_period(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Rotation limits how much ePHI one key version protects and how long a leak matters.

    Only symmetric encryption keys rotate automatically; other keys are not judged. No
    rotation period at all fails.
    """
    props: Key = resource.props
    if props.gcp is None:
        return Verdict.not_applicable("not a Cloud KMS key")
    if props.rotation_applicable is False:
        return Verdict.not_applicable("Cloud KMS rotates only symmetric encryption keys")
    maximum = int(ctx.param("max_rotation_days"))
    days = props.gcp.rotation_period_days
    evidence: dict[str, JSONValue] = {"rotation_period_days": days,
                                      "max_rotation_days": maximum}
    name = f"Key {resource.name}"
    if props.gcp.rotation_set is None or props.rotation_applicable is None:
        return Verdict.unknown(f"{name}: its rotation could not be read.", **evidence)
    if days is None:
        return Verdict.fail(f"{name} has no automatic rotation.", **evidence)
    if days > maximum:
        return Verdict.fail(f"{name} rotates every {days} days (maximum {maximum}).",
                            **evidence)
    return Verdict.passed(f"{name} rotates every {days} days.", **evidence)
