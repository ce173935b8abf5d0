"""Block volumes must be encrypted at rest."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from rules.support import judge_encrypted
from scanner.kinds.compute import Volume
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-VOLUME-01",
    title="Volume is encrypted",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(Volume.KIND,),
    providers=("aws",),
)
def volume_encrypted(resource: Resource[Volume], ctx: RuleContext) -> Verdict:
    """An unencrypted volume leaves the ePHI written to it readable on the storage.

    Every snapshot taken of it is unencrypted too.
    """
    del ctx
    props = resource.props
    evidence: dict[str, Any] = {"encrypted": props.encrypted, "kms_key_id": props.kms_key_id}
    return judge_encrypted(
        props.encrypted,
        subject=f"Volume {resource.name}",
        unknown="its encryption setting could not be read",
        evidence=evidence,
    )
