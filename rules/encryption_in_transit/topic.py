"""Notification topics that carry ePHI must refuse publishing over plain HTTP."""

from __future__ import annotations

from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from rules.support import TERRAFORM_ANYONE_WITHOUT_TLS, judge_policy_tls
from scanner.kinds.messaging import Topic
from scanner.model import Concern, JSONValue, Resource, Severity
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


def _subscriptions_verdict(resource: Resource[Topic], protocols: frozenset[str], what: str,
                           passed: str) -> Verdict:
    subscriptions = resource.props.subscriptions
    name = f"Topic {resource.name}"
    if subscriptions is None:
        return Verdict.unknown(f"{name}: its subscriptions could not be read.")
    listed: list[JSONValue] = [
        {"protocol": s.protocol, "endpoint_host": s.endpoint_host} for s in subscriptions
    ]
    bad = sorted({s.protocol for s in subscriptions if s.protocol in protocols})
    if bad:
        return Verdict.fail(f"{name} delivers messages {what} ({', '.join(bad)}).",
                            subscriptions=listed)
    return Verdict.passed(f"{name} {passed}.", subscriptions=listed)


@rule(
    id="EIT-TOPIC-02",
    title="Topic delivers no messages over plain HTTP",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_SECURITY, TRANSMISSION_ENCRYPTION),
    kinds=(Topic.KIND,),
    remediation={
        "aws": ProviderFix(
            console="SNS console > Topics > the topic > Subscriptions: delete each subscription "
            "whose protocol is HTTP and subscribe the same receiver with an HTTPS endpoint.",
            cli="aws sns unsubscribe --subscription-arn <http-subscription-arn> && "
            "aws sns subscribe --topic-arn <topic-arn> --protocol https "
            "--notification-endpoint https://receiver.example.com/sns",
            terraform='resource "aws_sns_topic_subscription" "receiver" {\n'
            "  topic_arn = aws_sns_topic.phi.arn\n"
            '  protocol  = "https"\n'
            '  endpoint  = "https://receiver.example.com/sns"\n'
            "}",
            docs_url="https://docs.aws.amazon.com/sns/latest/dg/sns-http-https-endpoint-as-subscriber.html",
        )
    },
)
def topic_no_plain_http_delivery(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """An HTTP subscription sends every message body across the network in clear text.

    Message bodies of a topic carrying ePHI must reach web receivers over HTTPS.
    """
    del ctx
    return _subscriptions_verdict(resource, frozenset({"http"}), "over plain HTTP",
                                  "delivers no messages over plain HTTP")


@rule(
    id="EIT-TOPIC-03",
    title="Topic does not deliver messages by email or SMS",
    severity=Severity.LOW,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_SECURITY,),
    kinds=(Topic.KIND,),
    remediation={
        "aws": ProviderFix(
            console="SNS console > Topics > the topic > Subscriptions: remove email, "
            "email-json and SMS subscriptions from topics that carry ePHI; notify people "
            "through a separate topic that carries no ePHI.",
            cli="aws sns unsubscribe --subscription-arn <email-or-sms-subscription-arn>",
            terraform="# Remove the aws_sns_topic_subscription resources with protocol "
            '"email", "email-json" or "sms" from topics that carry ePHI.',
            docs_url="https://docs.aws.amazon.com/sns/latest/dg/sns-email-notifications.html",
        )
    },
)
def topic_no_email_or_sms_delivery(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Email and SMS leave the cloud for mailboxes and phones outside the entity's control.

    Neither guarantees encryption end to end; a PHI topic should not fan out to them.
    """
    del ctx
    return _subscriptions_verdict(resource, frozenset({"email", "email-json", "sms"}),
                                  "by email or SMS", "delivers no messages by email or SMS")
