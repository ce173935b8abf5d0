"""Role bindings (GCP IAM bindings today): broad roles to people and workloads."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_AUTHORIZATION, ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from scanner.kinds.iam import MemberType, RoleBinding
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

_IAM_DOCS = "https://cloud.google.com/iam/docs/"
_REMOVE = "gcloud projects remove-iam-policy-binding PROJECT_ID --member MEMBER --role ROLE"


def _evidence(binding: RoleBinding) -> dict[str, JSONValue]:
    return {
        "member": binding.member,
        "member_type": binding.member_type.value,
        "role": binding.role,
        "scope": binding.scope,
        "condition": binding.condition,
        "basic_role": binding.basic_role,
        "admin_equivalent": binding.admin_equivalent,
    }


@rule(
    id="IAM-BINDING-01",
    title="No basic owner/editor role is granted to a user or service account",
    severity=Severity.HIGH,
    concern=Concern.ACCESS_CONTROL,
    citations=(INFORMATION_ACCESS_MANAGEMENT, ACCESS_AUTHORIZATION),
    kinds=(RoleBinding.KIND,),
    providers=("gcp",),
    phi_scoped=False,
)
def no_basic_admin_roles(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Basic roles grant thousands of permissions across every service, ePHI stores included.

    Owner and Editor (basic roles that can change resources and access) given directly to a
    user or a service account break least privilege; groups are judged by the public and
    service-account rules instead.
    """
    del ctx
    binding: RoleBinding = resource.props
    if binding.member_type not in (MemberType.USER, MemberType.SERVICE):
        return Verdict.not_applicable("only users and service accounts are judged")
    if binding.basic_role is None or binding.admin_equivalent is None:
        return Verdict.unknown(
            f"{resource.name}: the role could not be classified.", **_evidence(binding)
        )
    if binding.basic_role and binding.admin_equivalent:
        return Verdict.fail(
            f"{binding.member} holds the basic role {binding.role} on {binding.scope}.",
            **_evidence(binding),
        )
    return Verdict.passed(
        f"{binding.member} holds {binding.role}, not a basic admin role.", **_evidence(binding)
    )


@rule(
    id="IAM-BINDING-02",
    title="No service account holds an admin-equivalent role",
    severity=Severity.HIGH,
    concern=Concern.ACCESS_CONTROL,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(RoleBinding.KIND,),
    providers=("gcp",),
    phi_scoped=False,
)
def no_admin_service_accounts(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A workload identity that can change access or mint credentials is a path to all ePHI.

    Anyone who compromises the workload (or can act as the service account) inherits the
    power to grant itself anything in the project.
    """
    del ctx
    binding: RoleBinding = resource.props
    if binding.member_type is not MemberType.SERVICE:
        return Verdict.not_applicable("only service accounts are judged")
    if binding.admin_equivalent is None:
        return Verdict.unknown(
            f"{resource.name}: the role could not be classified.", **_evidence(binding)
        )
    if binding.admin_equivalent:
        return Verdict.fail(
            f"Service account {binding.member} holds the admin-equivalent role {binding.role}.",
            **_evidence(binding),
        )
    return Verdict.passed(
        f"Service account {binding.member} holds {binding.role}.", **_evidence(binding)
    )
