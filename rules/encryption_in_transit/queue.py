"""Message queues that hold ePHI must refuse sending and receiving over plain HTTP."""

from __future__ import annotations

from typing import Any

from rules.hipaa import TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY
from rules.support import TERRAFORM_ANYONE_WITHOUT_TLS, judge_policy_tls
from scanner.kinds.messaging import Queue
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule

_FIX = ProviderFix(
    console=(
        "Amazon SQS console > Queues > choose the queue > Edit > Access policy: keep the "
        'existing statements and add a Deny statement for Principal "*", Action "sqs:*", '
        "Resource the queue ARN, with Condition "
        '{"Bool": {"aws:SecureTransport": "false"}}; then Save.'
    ),
    cli=(
        "aws sqs get-queue-attributes --queue-url <queue-url> --attribute-names Policy "
        "--query Attributes.Policy --output text > queue-policy.json\n"
        "# add to its Statement list (the policy is replaced as a whole):\n"
        '#   {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*",\n'
        '#    "Action": "sqs:*", "Resource": "<queue-arn>",\n'
        '#    "Condition": {"Bool": {"aws:SecureTransport": "false"}}}\n'
        "# then write it back as the Policy attribute, e.g. with a file attrs.json of\n"
        '#   {"Policy": "<the policy JSON as one escaped string>"}\n'
        "aws sqs set-queue-attributes --queue-url <queue-url> --attributes file://attrs.json"
    ),
    terraform=(
        'data "aws_iam_policy_document" "phi_queue" {\n'
        "  # keep the queue's other statements here too: this document replaces the policy\n"
        "  statement {\n"
        '    sid       = "DenyInsecureTransport"\n'
        '    effect    = "Deny"\n'
        '    actions   = ["sqs:*"]\n'
        "    resources = [aws_sqs_queue.phi.arn]\n"
        + TERRAFORM_ANYONE_WITHOUT_TLS
        + 'resource "aws_sqs_queue_policy" "phi" {\n'
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
    id="EIT-QUEUE-01",
    title="SQS queue policy denies access without TLS",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_IN_TRANSIT,
    citations=(TRANSMISSION_ENCRYPTION, TRANSMISSION_SECURITY),
    kinds=(Queue.KIND,),
    remediation={"aws": _FIX},
)
def queue_tls_required(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """SQS accepts requests over plain HTTP unless the queue policy refuses them.

    A misconfigured producer or consumer can then move ePHI unencrypted across the network.
    A Deny on sqs:SendMessage and sqs:ReceiveMessage for every principal when
    aws:SecureTransport is false guarantees that message bodies only travel over TLS.
    """
    props: Queue = resource.props
    return judge_policy_tls(
        props.tls_required,
        props.has_policy,
        subject=f"Queue {resource.name}",
        passed="denies sending and receiving over connections without TLS",
        failed="accepts messages over plain HTTP",
        missing_deny="a Deny on sqs:SendMessage and sqs:ReceiveMessage",
    )
