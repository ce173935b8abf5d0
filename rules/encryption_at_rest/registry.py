"""Container image repositories must be encrypted with a key from the key-management service."""

from __future__ import annotations

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from scanner.kinds.workloads import ContainerRegistry
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

# The service encrypting with a key it owns; anything else names a key-management key.
SERVICE_OWNED = "AES256"


@rule(
    id="EAR-REGISTRY-01",
    title="Container repository is encrypted with a key-management key",
    severity=Severity.LOW,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(ContainerRegistry.KIND,),
    providers=("aws",),
)
def registry_kms_encrypted(resource: Resource[ContainerRegistry], ctx: RuleContext) -> Verdict:
    """With a key-management key, a key policy decides who can decrypt the images.

    Every use of the key is logged too. Images are always encrypted at rest, by default
    with the service's own key. Images of ePHI workloads carry their configuration; a
    managed key keeps access to them under the same controls as the data.
    """
    del ctx
    props = resource.props
    subject = f"Container repository {resource.name}"
    evidence = {"encryption_type": props.encryption_type, "kms_key": props.kms_key}
    if props.encryption_type is None:
        return Verdict.unknown(f"{subject}: its encryption setting could not be read.", **evidence)
    if props.encryption_type.upper() != SERVICE_OWNED:
        return Verdict.passed(
            f"{subject} is encrypted with key {props.kms_key} ({props.encryption_type}).",
            **evidence,
        )
    return Verdict.fail(
        f"{subject} is encrypted only with the service's own key ({props.encryption_type}).",
        **evidence,
    )
