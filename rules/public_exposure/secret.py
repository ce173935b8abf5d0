"""Secrets are not open to anyone through their resource policy."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from rules.support import judge_open_statements
from scanner.kinds.secrets import Secret
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-SECRET-01",
    title="Secret resource policy is not open to any principal",
    severity=Severity.CRITICAL,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(Secret.KIND,),
    providers=("aws",),
)
def secret_not_public(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A secret open to any principal hands its credential to any account in the world.

    The credential then opens whatever ePHI store it guards. Statements narrowed to the
    organisation, an account or a network endpoint are not open.
    """
    del ctx
    props: Secret = resource.props
    return judge_open_statements(
        props.public_policy_statements,
        subject=f"Secret {resource.name}",
        has_policy=props.has_policy,
    )
