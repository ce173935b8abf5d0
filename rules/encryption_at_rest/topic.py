"""Notification topics that carry ePHI must encrypt stored messages with a KMS key."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from rules.support import judge_message_encryption
from scanner.kinds.messaging import Topic
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-TOPIC-01",
    title="Topic encrypts messages at rest with a managed encryption key",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(Topic.KIND,),
    providers=("aws",),
)
def topic_encrypted_at_rest(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A topic stores every published message until it has been delivered to all subscribers.

    A topic that carries ePHI therefore holds it at rest; without server-side encryption
    (off by default on some clouds) those messages are stored unencrypted.
    """
    props: Topic = resource.props
    return judge_message_encryption(
        props.encryption,
        props.kms_key_id,
        subject=f"Topic {resource.name}",
        how=f"key {props.kms_key_id}",
        missing="no encryption key is set",
    )
