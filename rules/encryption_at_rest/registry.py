"""Container image repositories must be encrypted with a KMS key."""

from __future__ import annotations

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from scanner.kinds.workloads import ContainerRegistry
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

KMS = "KMS"


@rule(
    id="EAR-REGISTRY-01",
    title="Container repository is encrypted with a KMS key",
    severity=Severity.LOW,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(ContainerRegistry.KIND,),
    providers=("aws",),
)
def registry_kms_encrypted(resource: Resource[ContainerRegistry], ctx: RuleContext) -> Verdict:
    """With a KMS key, a key policy decides who can decrypt the images and every use is logged.

    Images are always encrypted at rest, by default with the service's own key. Images of
    ePHI workloads carry their configuration; a KMS key keeps access to them under the
    same controls as the data.
    """
    del ctx
    props = resource.props
    subject = f"Container repository {resource.name}"
    evidence = {"encryption_type": props.encryption_type, "kms_key": props.kms_key}
    if props.encryption_type is None:
        return Verdict.unknown(f"{subject}: its encryption setting could not be read.", **evidence)
    if props.encryption_type.upper() == KMS:
        return Verdict.passed(f"{subject} is encrypted with KMS key {props.kms_key}.", **evidence)
    return Verdict.fail(
        f"{subject} is encrypted with the service's own key ({props.encryption_type}), "
        "not a KMS key.",
        **evidence,
    )
