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


# Members judged by the role rules: one identity or a named set of them. allUsers and
# allAuthenticatedUsers are PUB-BINDING-01's; an unrecognised member type is unknown.
_IDENTIFIED = (
    MemberType.USER,
    MemberType.SERVICE,
    MemberType.GROUP,
    MemberType.DOMAIN,
    MemberType.FEDERATED,
)
# Members that are workloads, or too many people to be an administrator: a service
# account, a workload or workforce identity pool, every account of a domain.
_NOT_ADMINISTRATORS = (MemberType.SERVICE, MemberType.FEDERATED, MemberType.DOMAIN)


def _unrecognised(resource: Resource[Any], binding: RoleBinding) -> Verdict:
    return Verdict.unknown(
        f"{resource.name}: the member {binding.member} is of a kind this scanner does not know.",
        **_evidence(binding),
    )


@rule(
    id="IAM-BINDING-01",
    title="No basic owner/editor role is granted to an account, group, domain or workload",
    severity=Severity.HIGH,
    concern=Concern.ACCESS_CONTROL,
    citations=(INFORMATION_ACCESS_MANAGEMENT, ACCESS_AUTHORIZATION),
    kinds=(RoleBinding.KIND,),
    providers=("gcp",),
    phi_scoped=False,
)
def no_basic_admin_roles(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Basic roles grant thousands of permissions across every service, ePHI stores included.

    Owner and Editor (basic roles that can change resources and access) given to a user, a
    service account, a group, every account of a domain or a workload identity pool break
    least privilege. allUsers and allAuthenticatedUsers are judged by PUB-BINDING-01; a
    member of a kind the scanner does not know is unknown.
    """
    del ctx
    binding: RoleBinding = resource.props
    if binding.member_type is MemberType.OTHER:
        return _unrecognised(resource, binding)
    if binding.member_type not in _IDENTIFIED:
        return Verdict.not_applicable("the public is judged by PUB-BINDING-01")
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
    title="No service account, identity pool or whole domain holds an admin-equivalent role",
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
    power to grant itself anything in the project. The same holds for a workload or
    workforce identity pool (``principal://``, ``principalSet://``: possibly every identity
    of an external provider) and for every account of a Google Workspace domain. People
    and groups named one by one are not judged here: administrators need these roles.
    """
    del ctx
    binding: RoleBinding = resource.props
    if binding.member_type is MemberType.OTHER:
        return _unrecognised(resource, binding)
    if binding.member_type not in _NOT_ADMINISTRATORS:
        return Verdict.not_applicable("only workloads, identity pools and domains are judged")
    if binding.admin_equivalent is None:
        return Verdict.unknown(
            f"{resource.name}: the role could not be classified.", **_evidence(binding)
        )
    who = _WHO.get(binding.member_type, "Member")
    if binding.admin_equivalent:
        return Verdict.fail(
            f"{who} {binding.member} holds the admin-equivalent role {binding.role}.",
            **_evidence(binding),
        )
    return Verdict.passed(f"{who} {binding.member} holds {binding.role}.", **_evidence(binding))


_WHO = {
    MemberType.SERVICE: "Service account",
    MemberType.FEDERATED: "Identity pool member",
    MemberType.DOMAIN: "Domain",
}
