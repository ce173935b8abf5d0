"""Environment variables of functions holding ePHI must be encrypted with a customer key."""

from __future__ import annotations

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from rules.support import key_state_failure
from scanner.kinds.workloads import Function
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-FUNCTION-01",
    title="Function environment variables are encrypted with a customer-managed key",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(Function.KIND,),
    providers=("aws",),
)
def function_environment_cmk(resource: Resource[Function], ctx: RuleContext) -> Verdict:
    """Environment variables often carry connection strings and keys to ePHI stores.

    With the platform's own key anyone allowed to read the function's configuration sees
    them; a customer-managed key adds a key policy and an audit record of every
    decryption. A function without environment variables passes. With `--phi-tag`, only
    tagged functions are judged.
    """
    props = resource.props
    subject = f"Function {resource.name}"
    evidence = {"has_environment": props.has_environment, "kms_key": props.environment_kms_key}
    if props.has_environment is None:
        return Verdict.unknown(f"{subject}: its configuration could not be read.", **evidence)
    if not props.has_environment:
        return Verdict.passed(f"{subject} has no environment variables.", **evidence)
    if props.environment_kms_key:
        unusable = key_state_failure(
            ctx, props.environment_kms_key, f"{subject}'s environment", **evidence
        )
        if unusable is not None:
            return unusable
        return Verdict.passed(
            f"{subject} encrypts its environment variables with {props.environment_kms_key}.",
            **evidence,
        )
    return Verdict.fail(
        f"{subject} encrypts its environment variables only with the service's own key.",
        **evidence,
    )
