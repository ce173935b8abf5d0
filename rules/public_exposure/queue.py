"""Message queues must not be open to any AWS principal through their access policy."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from rules.support import judge_open_statements
from scanner.kinds.messaging import Queue
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule

_FIX = ProviderFix(
    console=(
        "Amazon SQS console > Queues > choose the queue > Edit > Access policy: in every "
        'Allow statement whose Principal is "*", name the accounts or services that need '
        "access, or add a condition that pins the caller (aws:SourceArn, aws:SourceAccount, "
        "aws:PrincipalOrgID); then Save."
    ),
    cli=(
        "aws sqs get-queue-attributes --queue-url <queue-url> --attribute-names Policy "
        "--query Attributes.Policy --output text > queue-policy.json\n"
        '# replace "Principal": "*" with {"AWS": "arn:aws:iam::<account-id>:root"} or add\n'
        '#   "Condition": {"ArnEquals": {"aws:SourceArn": "<sender-arn>"}}\n'
        '# then write it back as the Policy attribute (attrs.json = {"Policy": "..."}):\n'
        "aws sqs set-queue-attributes --queue-url <queue-url> --attributes file://attrs.json"
    ),
    terraform=(
        'data "aws_iam_policy_document" "phi_queue" {\n'
        "  statement {\n"
        '    actions   = ["sqs:SendMessage"]\n'
        "    resources = [aws_sqs_queue.phi.arn]\n"
        "    principals {\n"
        '      type        = "Service"\n'
        '      identifiers = ["sns.amazonaws.com"]\n'
        "    }\n"
        "    condition {\n"
        '      test     = "ArnEquals"\n'
        '      variable = "aws:SourceArn"\n'
        "      values   = [aws_sns_topic.phi.arn]\n"
        "    }\n"
        "  }\n"
        "}\n\n"
        'resource "aws_sqs_queue_policy" "phi" {\n'
        "  queue_url = aws_sqs_queue.phi.id\n"
        "  policy    = data.aws_iam_policy_document.phi_queue.json\n"
        "}"
    ),
    docs_url=(
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/"
        "sqs-security-best-practices.html"
    ),
)


@rule(
    id="PUB-QUEUE-01",
    title="SQS queue policy is not open to everyone",
    severity=Severity.CRITICAL,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(Queue.KIND,),
    remediation={"aws": _FIX},
)
def queue_not_public(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A queue policy open to any principal lets anyone on the internet act on the queue.

    An Allow for Principal "*" with no condition that pins the caller's account,
    organisation, source or network is public; when it allows receiving messages, the
    ePHI already waiting in the queue (kept up to 14 days) can be read right away.
    """
    props: Queue = resource.props
    return judge_open_statements(
        props.public_policy_statements,
        subject=f"Queue {resource.name}",
        has_policy=props.has_policy,
    )
