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
    title="Queue encrypts messages at rest",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(Queue.KIND,),
    providers=("aws",),
)
def queue_encrypted_at_rest(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A queue stores every message until it is consumed or expires, often for days.

    Server-side encryption with a customer-managed key or with keys owned by the queue
    service both encrypt that ePHI at rest; a queue with neither keeps it unencrypted.
    """
    props: Queue = resource.props
    how = (
        f"key {props.kms_key_id}"
        if props.encryption is MessageEncryption.KMS
        else "keys owned by the queue service"
    )
    return judge_message_encryption(
        props.encryption,
        props.kms_key_id,
        subject=f"Queue {resource.name}",
        how=how,
        missing="no server-side encryption is enabled",
    )
