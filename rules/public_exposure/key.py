"""Encryption key policies must not open the key to any principal."""

from __future__ import annotations

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from scanner.kinds.kms import Key
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-KEY-01",
    title="Encryption key policy does not allow any principal",
    severity=Severity.HIGH,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(Key.KIND,),
    providers=("aws", "gcp"),
)
def kms_key_policy_not_public(resource: Resource[Key], ctx: RuleContext) -> Verdict:
    """A key policy that allows any principal lets anyone use or manage the key.

    Whoever holds ciphertext of ePHI could then decrypt it.
    """
    del ctx
    name = f"Key {resource.name}"
    public = resource.props.public_policy_statements
    if public is None:
        return Verdict.unknown(
            f"{name}: its key policy could not be read or parsed.", public_statements=None
        )
    if public:
        return Verdict.fail(
            f"{name} has a key policy that allows any principal (statements {', '.join(public)}).",
            public_statements=list(public),
        )
    return Verdict.passed(
        f"{name} has no key-policy statement open to any principal.", public_statements=[]
    )
