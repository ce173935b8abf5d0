"""Azure RBAC: custom roles that grant everything, and who owns each subscription."""

from __future__ import annotations

from typing import Any

from rules.hipaa import (
    ACCESS_AUTHORIZATION,
    ACCESS_CONTROL,
    INFORMATION_ACCESS_MANAGEMENT,
    WORKFORCE_SECURITY,
)
from scanner.kinds.azure import AzureSubscription, RoleDefinition
from scanner.kinds.iam import MemberType, RoleBinding
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

# Scopes at or above a subscription: an assignment there reaches the whole subscription.
SUBSCRIPTION_WIDE = ("subscription", "management-group", "root")


@rule(
    id="IAM-AZROLE-01",
    title="Custom role does not grant every action",
    severity=Severity.HIGH,
    concern=Concern.ACCESS_CONTROL,
    citations=[ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT],
    kinds=[RoleDefinition.KIND],
    providers=("azure",),
    phi_scoped=False,
)
def custom_role_not_wildcard(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A custom role with the action ``*`` is Owner under another name.

    One with a whole provider (``Microsoft.Storage/*``) grants every present and future
    action there. Least privilege (minimum necessary access to ePHI) needs roles that list
    exact actions.
    """
    props: RoleDefinition = resource.props
    if props.wildcard_actions:
        return Verdict.fail(
            f"Custom role {props.role_name} grants {', '.join(props.wildcard_actions)}.",
            wildcard_actions=list(props.wildcard_actions),
            assignable_scopes=list(props.assignable_scopes),
        )
    return Verdict.passed(f"Custom role {props.role_name} lists its actions.", wildcard_actions=[])


@rule(
    id="IAM-AZOWNER-01",
    title="Few principals, and no service principal, hold Owner-level access to a subscription",
    severity=Severity.MEDIUM,
    concern=Concern.ACCESS_CONTROL,
    citations=[ACCESS_AUTHORIZATION, WORKFORCE_SECURITY],
    kinds=[AzureSubscription.KIND],
    providers=("azure",),
    phi_scoped=False,
    params={"max_owners": 3},
    precision="high",
)
def subscription_owners_limited(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Owner and User Access Administrator can grant themselves any access to ePHI.

    Counts the distinct principals holding a role that can change access (Owner, User
    Access Administrator, RBAC Administrator, or a custom role allowing role-assignment
    writes) at the subscription or above (management group, root); fails above the
    parameter `max_owners`, or when a service principal holds such a role.
    """
    account = resource.account
    bindings = [
        b
        for b in ctx.of_kind(RoleBinding.KIND, account)
        if b.props.scope_level in SUBSCRIPTION_WIDE
    ]
    admins = [b for b in bindings if b.props.admin_equivalent]
    unknown = [b.uid for b in bindings if b.props.admin_equivalent is None]
    principals = sorted({b.props.member for b in admins})
    services = sorted({b.props.member for b in admins if b.props.member_type is MemberType.SERVICE})
    evidence: dict[str, JSONValue] = {
        "principals": list(principals),
        "service_principals": list(services),
    }
    limit = int(ctx.param("max_owners"))
    if services or len(principals) > limit:
        why = []
        if len(principals) > limit:
            why.append(f"{len(principals)} principals (more than {limit})")
        if services:
            why.append(f"service principals {', '.join(services)}")
        return Verdict.fail(
            f"Subscription {resource.name} grants Owner-level access to {' and '.join(why)}.",
            **evidence,
        )
    if ctx.gaps(account, "authorization") or unknown:
        return Verdict.unknown(
            f"Subscription {resource.name}: some role assignments or definitions could not "
            "be read.",
            unknown_assignments=list(unknown),
            **evidence,
        )
    return Verdict.passed(
        f"Subscription {resource.name} grants Owner-level access to {len(principals)} "
        "principal(s), none a service principal.",
        **evidence,
    )


@rule(
    id="IAM-AZCLASSIC-01",
    title="Subscription has no classic co-administrators",
    severity=Severity.MEDIUM,
    concern=Concern.ACCESS_CONTROL,
    citations=[ACCESS_AUTHORIZATION, WORKFORCE_SECURITY],
    kinds=[AzureSubscription.KIND],
    providers=("azure",),
    phi_scoped=False,
)
def no_classic_co_administrators(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A classic co-administrator has Owner-level access that RBAC reviews do not show.

    Classic administrators predate Azure RBAC; Microsoft retired them. Any co-administrator
    still listed should become an RBAC role assignment or be removed.
    """
    props: AzureSubscription = resource.props
    found = props.co_administrators
    if found is None:
        return Verdict.unknown(
            f"Subscription {resource.name}: its classic administrators could not be read."
        )
    if found:
        return Verdict.fail(
            f"Subscription {resource.name} has classic co-administrators: {', '.join(found)}.",
            co_administrators=list(found),
        )
    return Verdict.passed(
        f"Subscription {resource.name} has no classic co-administrator.", co_administrators=[]
    )
