"""Message queues that hold ePHI must encrypt stored messages (SSE-KMS or SSE-SQS)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from rules.support import judge_message_encryption
from scanner.kinds.messaging import MessageEncryption, Queue
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-QUEUE-01",
    title="SQS queue encrypts messages at rest",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(Queue.KIND,),
    providers=("aws",),
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
