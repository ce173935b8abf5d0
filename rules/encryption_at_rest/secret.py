"""Secrets holding access to ePHI are encrypted with a customer-managed key."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, ENCRYPTION_AND_DECRYPTION
from rules.support import judge_flag, key_state_failure
from scanner.kinds.kms import Key
from scanner.kinds.secrets import Secret
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-SECRET-01",
    title="Secret is encrypted with a customer-managed key",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION, ACCESS_CONTROL),
    kinds=(Secret.KIND,),
    providers=("aws",),
)
def secret_customer_managed_key(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Any principal of the account allowed to read secrets may use the default key.

    A customer-managed key adds its own key policy (who may decrypt the credentials that
    open ePHI stores), its own audit trail and the ability to revoke access by disabling it.
    """
    props: Secret = resource.props
    subject = f"Secret {resource.name}"
    evidence = {"kms_key_id": props.kms_key_id, "customer_managed_key": props.customer_managed_key}
    broken = key_state_failure(ctx, props.kms_key_id, subject, **evidence)
    if broken is not None:
        return broken
    key = ctx.get(props.kms_key_id) if props.kms_key_id else None
    if key is not None and key.kind == Key.KIND and key.props.key_manager == "AWS":
        # The service's default key named by its id or ARN rather than by its alias.
        return Verdict.fail(
            f"{subject} is encrypted with {key.name}, a key the cloud provider manages.",
            **evidence,
        )
    return judge_flag(
        props.customer_managed_key,
        passed=f"{subject} is encrypted with customer-managed key {props.kms_key_id}.",
        failed=f"{subject} is encrypted with the service's default key.",
        unknown=f"{subject}: its encryption key could not be read.",
        evidence=evidence,
    )
