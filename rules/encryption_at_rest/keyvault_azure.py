"""Key hygiene in Azure Key Vaults: expiry dates and rotation policies."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from scanner.kinds.kms import KeyVault
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-AZKEYVAULT-01",
    title="Key Vault keys expire and rotate",
    severity=Severity.LOW,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=[ENCRYPTION_AND_DECRYPTION],
    kinds=[KeyVault.KIND],
    providers=("azure",),
    precision="high",
)
def key_vault_keys_rotate(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A key that never expires or rotates protects more ePHI the longer it lives.

    Fails when a key has no expiry date or no rotation policy with a rotate action.
    """
    props: KeyVault = resource.props
    no_expiry, no_rotation = props.keys_without_expiry, props.keys_without_rotation
    if no_expiry is None or no_rotation is None:
        return Verdict.unknown(f"Key Vault {resource.name}: its keys could not be listed.")
    evidence: dict[str, JSONValue] = {
        "keys_without_expiry": list(no_expiry),
        "keys_without_rotation": list(no_rotation),
    }
    if no_expiry or no_rotation:
        return Verdict.fail(
            f"Key Vault {resource.name} has keys without expiry "
            f"({', '.join(no_expiry) or 'none'}) or rotation "
            f"({', '.join(no_rotation) or 'none'}).",
            **evidence,
        )
    return Verdict.passed(f"Key Vault {resource.name}: every key expires and rotates.", **evidence)
