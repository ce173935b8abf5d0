"""IAM role trust policies: no role may be assumed by anyone.

Judges `iam.principal` resources of type role. What counts as "open" (and why
``sts:ExternalId`` alone does not restrict) is defined in `providers.aws.iam_analysis`.
"""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT, PERSON_AUTHENTICATION
from scanner.kinds.iam import IamPrincipal, PrincipalType
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="IAM-ROLE-01",
    title="Role trust policies do not let any principal assume the role",
    severity=Severity.CRITICAL,
    concern=Concern.ACCESS_CONTROL,
    citations=(ACCESS_CONTROL, PERSON_AUTHENTICATION, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(IamPrincipal.KIND,),
    where={"principal_type": PrincipalType.ROLE.value},
    phi_scoped=False,
    providers=("aws",),
)
def role_trust_not_open(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A role any principal can assume hands its ePHI access to anyone with a cloud account.

    A trust policy must name the callers it trusts.
    """
    props = resource.props
    label = f"Role {resource.name}"
    statements = props.trust_open_statements
    if statements is None:
        return Verdict.unknown(f"{label}: its trust policy could not be read or parsed.")
    if statements:
        return Verdict.fail(
            f"{label} can be assumed by any principal: {'; '.join(statements)}.",
            open_statements=list(statements),
            trusted_principals=list(props.trusted_principals),
        )
    return Verdict.passed(
        f"{label} trusts only named principals.", trusted_principals=list(props.trusted_principals)
    )


def _admin_verdict(resource: Resource[IamPrincipal], label: str) -> Verdict:
    via = resource.props.admin_via
    if via is None:
        return Verdict.unknown(
            f"{label}: a policy attached to it (or to one of its groups) could not be read, "
            "and none of the readable ones grants administrator access."
        )
    if via:
        return Verdict.fail(
            f"{label} holds administrator access through {'; '.join(via)}.", admin_via=list(via)
        )
    return Verdict.passed(f"{label} holds no administrator access.", admin_via=[])


_ADMIN_CONSOLE = (
    "IAM console > the {what} > Permissions: detach AdministratorAccess (and "
    "PowerUserAccess, IAMFullAccess or customer policies allowing * on *), directly and on "
    "its groups, and attach job-specific policies instead."
)
_ADMIN_TERRAFORM = (
    'resource "aws_iam_role_policy_attachment" "app" {\n'
    "  role       = aws_iam_role.app.name\n"
    "  policy_arn = aws_iam_policy.app_least_privilege.arn\n"
    "}"
)


@rule(
    id="IAM-ROLE-02",
    title="IAM roles do not hold administrator access",
    severity=Severity.MEDIUM,
    concern=Concern.ACCESS_CONTROL,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(IamPrincipal.KIND,),
    where={"principal_type": "role"},
    phi_scoped=False,
    providers=("aws",),
)
def role_holds_no_admin(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Whoever can assume an administrator role can read, copy or destroy every ePHI store.

    Admin roles (break-glass, the organization's access role) should be few and reviewed;
    this lists them with the policies that make them admin.
    """
    del ctx
    return _admin_verdict(resource, f"Role {resource.name}")


@rule(
    id="IAM-ROLE-03",
    title="IAM roles trusted by other accounts require an external id or organization",
    severity=Severity.LOW,
    concern=Concern.ACCESS_CONTROL,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(IamPrincipal.KIND,),
    where={"principal_type": "role"},
    phi_scoped=False,
    providers=("aws",),
)
def role_cross_account_trust_guarded(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Without an external id, a trusted vendor can be tricked into using the role.

    Any of the vendor's other customers could name this role to the vendor's service (the
    confused deputy) and reach this account's ePHI through it.
    """
    del ctx
    label = f"Role {resource.name}"
    found = resource.props.trust_cross_account_unguarded
    if found is None:
        return Verdict.unknown(f"{label}: its trust policy could not be read or parsed.")
    if found:
        return Verdict.fail(
            f"{label} trusts another account without a confused-deputy guard: {'; '.join(found)}.",
            unguarded_statements=list(found),
            trusted_principals=list(resource.props.trusted_principals),
        )
    return Verdict.passed(
        f"{label} trusts no other account without an external id or organization condition.",
        trusted_principals=list(resource.props.trusted_principals),
    )
