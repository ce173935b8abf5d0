"""Role bindings must not grant anything to everyone (GCP allUsers / allAuthenticatedUsers)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, PERSON_AUTHENTICATION
from scanner.kinds.iam import MemberType, RoleBinding
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-BINDING-01",
    title="No role is granted to everyone or to every signed-in account",
    severity=Severity.CRITICAL,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, PERSON_AUTHENTICATION),
    kinds=(RoleBinding.KIND,),
    providers=("gcp",),
    phi_scoped=False,
)
def no_public_bindings(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Every signed-in account means any Google account in the world, not just yours.

    A project-level grant to allAuthenticatedUsers, or to allUsers, gives that role on
    every resource of the project, ePHI stores included.
    """
    del ctx
    binding: RoleBinding = resource.props
    evidence = {"member": binding.member, "role": binding.role, "scope": binding.scope}
    if binding.member_type is MemberType.OTHER:
        # A member prefix this scanner does not know may name anyone: never "not public".
        return Verdict.unknown(
            f"{binding.role} is granted to {binding.member}, a member of unknown kind.",
            **evidence,
        )
    if binding.member_type in (MemberType.PUBLIC, MemberType.ALL_AUTHENTICATED):
        return Verdict.fail(
            f"{binding.role} is granted to {binding.member} on {binding.scope}.", **evidence
        )
    return Verdict.passed(
        f"{binding.role} is granted to {binding.member}, not the public.", **evidence
    )
