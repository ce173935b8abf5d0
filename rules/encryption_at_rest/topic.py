"""Notification topics that carry ePHI must encrypt stored messages with a KMS key."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from rules.support import judge_message_encryption
from scanner.kinds.messaging import Topic
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule

_FIX = ProviderFix(
    console=(
        "Amazon SNS console > Topics > choose the topic > Edit > Encryption: enable "
        "encryption and choose a KMS key (a customer managed key lets you restrict and "
        "audit who can decrypt), then Save changes."
    ),
    cli=(
        "aws sns set-topic-attributes --topic-arn <topic-arn> "
        "--attribute-name KmsMasterKeyId --attribute-value <kms-key-arn-or-alias/aws/sns>"
    ),
    terraform=(
        'resource "aws_sns_topic" "phi" {\n'
        '  name              = "phi-events"\n'
        '  kms_master_key_id = aws_kms_key.phi.arn # or "alias/aws/sns"\n'
        "}"
    ),
    docs_url="https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html",
)


@rule(
    id="EAR-TOPIC-01",
    title="SNS topic encrypts messages at rest with KMS",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(Topic.KIND,),
    remediation={"aws": _FIX},
)
def topic_encrypted_at_rest(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """SNS stores every published message until it has been delivered to all subscribers.

    A topic that carries ePHI therefore holds it at rest; without server-side encryption
    (off by default for SNS topics) those messages are stored unencrypted.
    """
    props: Topic = resource.props
    return judge_message_encryption(
        props.encryption,
        props.kms_key_id,
        subject=f"Topic {resource.name}",
        how=f"KMS key {props.kms_key_id}",
        missing="no KMS key is set",
    )
