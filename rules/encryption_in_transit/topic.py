"""Notification topics that carry ePHI must refuse publishing over plain HTTP."""

from __future__ import annotations

from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from rules.support import TERRAFORM_ANYONE_WITHOUT_TLS, judge_policy_tls
from scanner.kinds.messaging import Topic
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule

_FIX = ProviderFix(
    console=(
        "Amazon SNS console > Topics > choose the topic > Edit > Access policy: keep the "
        'existing statements and add a Deny statement for Principal "*", Action '
        '"SNS:Publish", Resource the topic ARN, with Condition '
        '{"Bool": {"aws:SecureTransport": "false"}}; then Save changes.'
    ),
    cli=(
        "aws sns get-topic-attributes --topic-arn <topic-arn> "
        "--query Attributes.Policy --output text > topic-policy.json\n"
        "# add to its Statement list (the policy is replaced as a whole):\n"
        '#   {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",\n'
        '#    "Action": "SNS:Publish", "Resource": "<topic-arn>",\n'
        '#    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}\n'
        "aws sns set-topic-attributes --topic-arn <topic-arn> --attribute-name Policy "
        "--attribute-value file://topic-policy.json"
    ),
    terraform=(
        'data "aws_iam_policy_document" "phi_topic" {\n'
        "  # keep the topic's other statements here too: this document replaces the policy\n"
        "  statement {\n"
        '    sid       = "DenyInsecureTransport"\n'
        '    effect    = "Deny"\n'
        '    actions   = ["sns:Publish"]\n'
        "    resources = [aws_sns_topic.phi.arn]\n"
        + TERRAFORM_ANYONE_WITHOUT_TLS
        + 'resource "aws_sns_topic_policy" "phi" {\n'
        "  arn    = aws_sns_topic.phi.arn\n"
        "  policy = data.aws_iam_policy_document.phi_topic.json\n"
        "}"
    ),
    docs_url="https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html",
)


@rule(
    id="EIT-TOPIC-01",
    title="SNS topic policy denies publishing without TLS",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY),
    kinds=(Topic.KIND,),
    remediation={"aws": _FIX},
)
def topic_tls_required(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """SNS accepts requests over plain HTTP unless the topic policy refuses them.

    A misconfigured publisher can then send ePHI unencrypted across the network. A Deny on
    sns:Publish for every principal when aws:SecureTransport is false guarantees that
    message bodies only reach the topic over TLS.
    """
    props: Topic = resource.props
    return judge_policy_tls(
        props.tls_required,
        props.has_policy,
        subject=f"Topic {resource.name}",
        passed="denies publishing over connections without TLS",
        failed="accepts publishing over plain HTTP",
        missing_deny="a Deny on sns:Publish",
    )
