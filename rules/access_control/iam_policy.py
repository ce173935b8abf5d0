"""Least privilege in identity policies: no full admin, no whole-service wildcards on `*`.

Judges `iam.policy` resources (customer-managed policies by their default version, and
inline policies of users, groups and roles). What counts as "full admin" (including
``NotAction``) is defined in `providers.aws.iam_analysis`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rules.hipaa import ACCESS_AUTHORIZATION, ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from scanner.kinds.iam import IamPolicy
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import Check, Rule, RuleContext, Verdict, rule


def _policy_rule(**meta: Any) -> Callable[[Check], Rule]:
    """`rule` with what every identity-policy rule shares: account-level access control."""
    return rule(concern=Concern.ACCESS_CONTROL, kinds=(IamPolicy.KIND,), phi_scoped=False, **meta)


def _label(resource: Resource[IamPolicy]) -> str:
    props = resource.props
    if props.owner_type:
        return f"Inline policy {resource.name}"
    return f"Managed policy {resource.name} (version {props.default_version})"


def _judge_grants(
    resource: Resource[IamPolicy],
    found: tuple[str, ...] | None,
    key: str,
    failed: Callable[[tuple[str, ...]], str],
    passed: str,
    **fail_evidence: JSONValue,
) -> Verdict:
    """The verdict on one list of risky grants: unreadable, some found, or none."""
    label = _label(resource)
    if found is None:
        return Verdict.unknown(f"{label} could not be read or parsed.")
    if found:
        grants: list[JSONValue] = list(found)
        return Verdict.fail(f"{label} {failed(found)}", **{key: grants}, **fail_evidence)
    return Verdict.passed(f"{label} {passed}", **{key: []})


@_policy_rule(
    id="IAM-POLICY-01",
    title="Identity policies do not grant full administrative access (*:*)",
    severity=Severity.HIGH,
    citations=(ACCESS_CONTROL, ACCESS_AUTHORIZATION, INFORMATION_ACCESS_MANAGEMENT),
    providers=("aws",),
)
def policy_grants_no_full_admin(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A policy allowing every action on every resource opens all ePHI to whoever holds it.

    Its holders can read, copy, re-key or delete ePHI and switch off the audit trail;
    access to ePHI must be limited to what each role needs.
    """
    return _judge_grants(
        resource,
        resource.props.admin_statements,
        "admin_statements",
        lambda found: f"grants full administrative access: {'; '.join(found)}.",
        "grants no statement of all actions on all resources.",
        attachment_count=resource.props.attachment_count,
    )


@_policy_rule(
    id="IAM-POLICY-02",
    title="Identity policies do not grant whole services (service:*) on every resource",
    severity=Severity.MEDIUM,
    citations=(ACCESS_AUTHORIZATION, ACCESS_CONTROL),
    providers=("aws",),
)
def policy_grants_no_service_wildcard(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Granting a whole service (every storage or key action) on every resource opens its ePHI.

    It often gives a path to more (every identity action); access should be authorized per
    resource and per action.
    """
    return _judge_grants(
        resource,
        resource.props.service_wildcards,
        "service_wildcards",
        lambda found: f"allows {', '.join(found)} on every resource.",
        "grants no whole-service wildcard on every resource.",
    )


@_policy_rule(
    id="IAM-POLICY-03",
    title="Identity policies do not grant all actions on named resources",
    severity=Severity.LOW,
    citations=(ACCESS_AUTHORIZATION, INFORMATION_ACCESS_MANAGEMENT),
    providers=("aws",),
)
def policy_grants_no_all_actions_on_resources(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Action `*` on one resource is not admin, but it can still destroy or expose that data.

    On a bucket of ePHI it allows deleting the bucket, rewriting its policy and reading every
    object; access should be authorized per action.
    """
    return _judge_grants(
        resource,
        resource.props.all_action_grants,
        "all_action_grants",
        lambda found: f"allows every action on named resources: {'; '.join(found)}.",
        "grants no Action * on named resources.",
    )
