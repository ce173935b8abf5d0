"""Customer-managed KMS keys must rotate their key material, and stay usable.

EAR-KEY-02 judges every customer-managed key's state: disabled, pending deletion or
unavailable keys leave the ePHI they protect unreadable (or, once deleted, lost).

Only keys whose rotation the customer controls are judged (`Key.rotation_applicable`:
customer-managed, symmetric, KMS-generated material, enabled). Every other key is not
applicable and gets no finding: AWS rotates AWS-managed keys every year whatever anyone
sets, and KMS cannot rotate asymmetric, HMAC, imported-material or custom-key-store keys
automatically, so neither a PASS nor a FAIL would be true of them.
"""

from __future__ import annotations

from rules.hipaa import DATA_BACKUP_PLAN, ENCRYPTION_AND_DECRYPTION
from scanner.kinds.kms import Key
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-KEY-01",
    title="Customer-managed encryption key has automatic rotation enabled",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(Key.KIND,),
    providers=("aws", "gcp"),
)
def kms_key_rotation_enabled(resource: Resource[Key], ctx: RuleContext) -> Verdict:
    """Rotating key material limits how much ePHI one compromised key version can expose.

    For customer-managed symmetric keys, the key service does it only when asked.
    """
    del ctx
    props = resource.props
    name = f"Key {resource.name}"
    evidence: dict[str, JSONValue] = {
        "key_manager": props.key_manager,
        "key_spec": props.key_spec,
        "origin": props.origin,
        "key_state": props.key_state,
        "rotation_applicable": props.rotation_applicable,
        "rotation_enabled": props.rotation_enabled,
    }
    if props.rotation_applicable is None:
        return Verdict.unknown(f"{name}: its key metadata could not be read.", **evidence)
    if props.rotation_applicable:
        if props.rotation_enabled is None:
            return Verdict.unknown(f"{name}: its rotation status could not be read.", **evidence)
        if not props.rotation_enabled:
            return Verdict.fail(
                f"{name} does not rotate its key material automatically.", **evidence
            )
        return Verdict.passed(f"{name} rotates its key material automatically.", **evidence)
    if props.key_manager == "AWS":
        return Verdict.not_applicable(f"{name} is managed by the cloud provider, which rotates it.")
    return Verdict.not_applicable(
        f"{name}: the key service cannot rotate it automatically (spec {props.key_spec}, origin "
        f"{props.origin}, state {props.key_state})."
    )


@rule(
    id="EAR-KEY-02",
    title="Customer-managed key is not disabled or pending deletion",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION, DATA_BACKUP_PLAN),
    kinds=(Key.KIND,),
    providers=("aws", "gcp"),
)
def kms_key_usable(resource: Resource[Key], ctx: RuleContext) -> Verdict:
    """A disabled key makes the ePHI it protects unreadable; a deleted one, unrecoverable.

    Deleting a key destroys its material after the waiting period: every object, table,
    volume and backup encrypted under it becomes permanently undecryptable.
    """
    del ctx
    props = resource.props
    name = f"Key {resource.name}"
    evidence: dict[str, JSONValue] = {
        "key_manager": props.key_manager,
        "key_state": props.key_state,
        "usable": props.usable,
    }
    if props.key_manager == "AWS":
        return Verdict.not_applicable(
            f"{name} is managed by the cloud provider, which keeps it enabled."
        )
    if props.key_manager is None or props.usable is None:
        return Verdict.unknown(f"{name}: its key metadata could not be read.", **evidence)
    if not props.usable:
        return Verdict.fail(
            f"{name} is {props.key_state}: data encrypted under it cannot be decrypted "
            "(and after deletion never can be).",
            **evidence,
        )
    return Verdict.passed(f"{name} is {props.key_state}.", **evidence)
