"""Message queues that hold ePHI must encrypt stored messages (SSE-KMS or SSE-SQS)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from rules.support import judge_message_encryption
from scanner.kinds.messaging import MessageEncryption, Queue
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule

_FIX = ProviderFix(
    console=(
        "Amazon SQS console > Queues > choose the queue > Edit > Encryption: enable "
        "server-side encryption, choose a KMS key (SSE-KMS; a customer managed key lets you "
        "restrict and audit decryption) or Amazon SQS key (SSE-SQS), then Save."
    ),
    cli=(
        "aws sqs set-queue-attributes --queue-url <queue-url> "
        "--attributes KmsMasterKeyId=<kms-key-arn-or-alias/aws/sqs>\n"
        "# or, with SQS-owned keys:\n"
        "aws sqs set-queue-attributes --queue-url <queue-url> "
        "--attributes SqsManagedSseEnabled=true"
    ),
    terraform=(
        'resource "aws_sqs_queue" "phi" {\n'
        '  name                              = "phi-jobs"\n'
        "  kms_master_key_id                 = aws_kms_key.phi.arn\n"
        "  kms_data_key_reuse_period_seconds = 300\n"
        "  # or: sqs_managed_sse_enabled = true\n"
        "}"
    ),
    docs_url=(
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/"
        "sqs-server-side-encryption.html"
    ),
)


@rule(
    id="EAR-QUEUE-01",
    title="SQS queue encrypts messages at rest",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(Queue.KIND,),
    remediation={"aws": _FIX},
)
def queue_encrypted_at_rest(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """An SQS queue stores every message until it is consumed or expires (up to 14 days).

    Server-side encryption with a KMS key (SSE-KMS) or with keys owned by SQS (SSE-SQS)
    both encrypt that ePHI at rest; a queue with neither keeps it unencrypted.
    """
    props: Queue = resource.props
    how = (
        f"SSE-KMS with key {props.kms_key_id}"
        if props.encryption is MessageEncryption.KMS
        else "SSE-SQS (keys owned by SQS)"
    )
    return judge_message_encryption(
        props.encryption,
        props.kms_key_id,
        subject=f"Queue {resource.name}",
        how=how,
        missing="neither SSE-KMS nor SSE-SQS is enabled",
    )
