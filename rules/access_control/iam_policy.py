"""Least privilege in identity policies: no full admin, no whole-service wildcards on `*`.

Judges `iam.policy` resources (customer-managed policies by their default version, and
inline policies of users, groups and roles). What counts as "full admin" (including
``NotAction``) is defined in `providers.aws.iam_analysis`.
"""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_AUTHORIZATION, ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from scanner.kinds.iam import IamPolicy
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule


def _label(resource: Resource[IamPolicy]) -> str:
    props = resource.props
    if props.owner_type:
        return f"Inline policy {resource.name}"
    return f"Managed policy {resource.name} (version {props.default_version})"


@rule(
    id="IAM-POLICY-01",
    title="Identity policies do not grant full administrative access (*:*)",
    severity=Severity.HIGH,
    concern=Concern.ACCESS_CONTROL,
    citations=(ACCESS_CONTROL, ACCESS_AUTHORIZATION, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(IamPolicy.KIND,),
    phi_scoped=False,
    remediation={
        "aws": ProviderFix(
            console=(
                "IAM > Policies (or the user, group or role > Permissions): replace the "
                'statement allowing Action "*" on Resource "*" with the specific '
                "actions and resource ARNs the workload needs; IAM Access Analyzer can "
                "generate a policy from CloudTrail activity."
            ),
            cli=(
                "aws iam create-policy-version --policy-arn <policy-arn> "
                "--policy-document file://least-privilege.json --set-as-default\n"
                "aws iam put-role-policy --role-name <role> --policy-name <policy> "
                "--policy-document file://least-privilege.json"
            ),
            terraform=(
                'data "aws_iam_policy_document" "app" {\n'
                "  statement {\n"
                '    actions   = ["s3:GetObject", "s3:PutObject"]\n'
                '    resources = ["${aws_s3_bucket.phi.arn}/*"]\n'
                "  }\n"
                "}\n"
                'resource "aws_iam_policy" "app" {\n'
                '  name   = "app"\n'
                "  policy = data.aws_iam_policy_document.app.json\n"
                "}"
            ),
            docs_url="https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        )
    },
)
def policy_grants_no_full_admin(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A policy allowing every action on every resource opens all ePHI to whoever holds it.

    Its holders can read, copy, re-key or delete ePHI and switch off the audit trail;
    access to ePHI must be limited to what each role needs.
    """
    statements = resource.props.admin_statements
    label = _label(resource)
    if statements is None:
        return Verdict.unknown(f"{label} could not be read or parsed.")
    if statements:
        return Verdict.fail(
            f"{label} grants full administrative access: {'; '.join(statements)}.",
            admin_statements=list(statements),
            attachment_count=resource.props.attachment_count,
        )
    return Verdict.passed(
        f"{label} grants no statement of all actions on all resources.", admin_statements=[]
    )


@rule(
    id="IAM-POLICY-02",
    title="Identity policies do not grant whole services (service:*) on every resource",
    severity=Severity.MEDIUM,
    concern=Concern.ACCESS_CONTROL,
    citations=(ACCESS_AUTHORIZATION, ACCESS_CONTROL),
    kinds=(IamPolicy.KIND,),
    phi_scoped=False,
    remediation={
        "aws": ProviderFix(
            console=(
                'IAM > Policies (or the principal\'s inline policy): replace "<service>:*" '
                'on Resource "*" with the specific actions needed, scoped to the ARNs '
                "of the resources the workload uses."
            ),
            cli=(
                "aws iam create-policy-version --policy-arn <policy-arn> "
                "--policy-document file://scoped.json --set-as-default"
            ),
            terraform=(
                'data "aws_iam_policy_document" "app" {\n'
                "  statement {\n"
                '    actions   = ["s3:GetObject"]\n'
                '    resources = ["${aws_s3_bucket.phi.arn}/*"]\n'
                "  }\n"
                "}"
            ),
            docs_url="https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        )
    },
)
def policy_grants_no_service_wildcard(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Granting a whole service (s3:*, kms:*) on every resource opens all ePHI it holds.

    It often gives a path to more (iam:*); access should be authorized per resource and
    per action.
    """
    wildcards = resource.props.service_wildcards
    label = _label(resource)
    if wildcards is None:
        return Verdict.unknown(f"{label} could not be read or parsed.")
    if wildcards:
        return Verdict.fail(
            f"{label} allows {', '.join(wildcards)} on every resource.",
            service_wildcards=list(wildcards),
        )
    return Verdict.passed(
        f"{label} grants no whole-service wildcard on every resource.", service_wildcards=[]
    )


@rule(
    id="IAM-POLICY-03",
    title="Identity policies do not grant all actions on named resources",
    severity=Severity.LOW,
    concern=Concern.ACCESS_CONTROL,
    citations=(ACCESS_AUTHORIZATION, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(IamPolicy.KIND,),
    phi_scoped=False,
    remediation={
        "aws": ProviderFix(
            console=(
                'IAM > Policies (or the principal\'s inline policy): replace Action "*" on '
                "the named resources with the actions the workload needs (for a bucket, "
                "e.g. s3:GetObject and s3:PutObject on <bucket ARN>/*)."
            ),
            cli=(
                "aws iam create-policy-version --policy-arn <policy-arn> "
                "--policy-document file://scoped.json --set-as-default"
            ),
            terraform=(
                'data "aws_iam_policy_document" "app" {\n'
                "  statement {\n"
                '    actions   = ["s3:GetObject", "s3:PutObject"]\n'
                '    resources = ["${aws_s3_bucket.phi.arn}/*"]\n'
                "  }\n"
                "}"
            ),
            docs_url="https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
        )
    },
)
def policy_grants_no_all_actions_on_resources(resource: Resource[Any], ctx: RuleContext
                                              ) -> Verdict:
    """Action `*` on one resource is not admin, but it can still destroy or expose that data.

    On a bucket of ePHI it allows deleting the bucket, rewriting its policy and reading every
    object; access should be authorized per action.
    """
    grants = resource.props.all_action_grants
    label = _label(resource)
    if grants is None:
        return Verdict.unknown(f"{label} could not be read or parsed.")
    if grants:
        return Verdict.fail(
            f"{label} allows every action on named resources: {'; '.join(grants)}.",
            all_action_grants=list(grants),
        )
    return Verdict.passed(
        f"{label} grants no Action * on named resources.", all_action_grants=[]
    )
