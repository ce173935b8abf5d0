"""Notification topics must not be open to any AWS principal through their access policy."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from rules.support import judge_open_statements
from scanner.kinds.messaging import Topic
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule

_FIX = ProviderFix(
    console=(
        "Amazon SNS console > Topics > choose the topic > Edit > Access policy: in every "
        'Allow statement whose Principal is "*", name the accounts or services that need '
        "access, or add a condition that pins the caller (aws:SourceAccount, aws:SourceArn, "
        "aws:PrincipalOrgID); then Save changes."
    ),
    cli=(
        "aws sns get-topic-attributes --topic-arn <topic-arn> "
        "--query Attributes.Policy --output text > topic-policy.json\n"
        '# replace "Principal": "*" with {"AWS": "arn:aws:iam::<account-id>:root"} or add\n'
        '#   "Condition": {"StringEquals": {"aws:SourceAccount": "<account-id>"}}\n'
        "aws sns set-topic-attributes --topic-arn <topic-arn> --attribute-name Policy "
        "--attribute-value file://topic-policy.json"
    ),
    terraform=(
        'data "aws_iam_policy_document" "phi_topic" {\n'
        "  statement {\n"
        '    actions   = ["sns:Publish"]\n'
        "    resources = [aws_sns_topic.phi.arn]\n"
        "    principals {\n"
        '      type        = "Service"\n'
        '      identifiers = ["events.amazonaws.com"]\n'
        "    }\n"
        "    condition {\n"
        '      test     = "StringEquals"\n'
        '      variable = "aws:SourceAccount"\n'
        "      values   = [data.aws_caller_identity.current.account_id]\n"
        "    }\n"
        "  }\n"
        "}\n\n"
        'resource "aws_sns_topic_policy" "phi" {\n'
        "  arn    = aws_sns_topic.phi.arn\n"
        "  policy = data.aws_iam_policy_document.phi_topic.json\n"
        "}"
    ),
    docs_url="https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html",
)


@rule(
    id="PUB-TOPIC-01",
    title="SNS topic policy is not open to everyone",
    severity=Severity.HIGH,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(Topic.KIND,),
    remediation={"aws": _FIX},
)
def topic_not_public(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A topic policy open to any principal lets anyone on the internet use the topic.

    An Allow for Principal "*" with no condition that pins the caller's account,
    organisation, source or network lets outsiders subscribe an endpoint and receive every
    future message carrying ePHI, or publish forged ones.
    """
    props: Topic = resource.props
    return judge_open_statements(
        props.public_policy_statements,
        subject=f"Topic {resource.name}",
        has_policy=props.has_policy,
    )
