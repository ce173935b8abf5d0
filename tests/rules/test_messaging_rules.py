"""Messaging rules (EAR/EIT/PUB for TOPIC and QUEUE) on hand-built resources."""

from __future__ import annotations

from typing import Any

import pytest

from rules import load_rules
from rules.hipaa import (
    ACCESS_CONTROL,
    ENCRYPTION_AND_DECRYPTION,
    INFORMATION_ACCESS_MANAGEMENT,
    TRANSMISSION_ENCRYPTION,
)
from scanner.kinds.messaging import MessageEncryption, Queue, Topic
from scanner.model import Finding, Resource, Severity, Status
from tests.rules.support import ACCOUNT, aws_resource, judge_one

REGION = "us-east-1"
TOPIC_UID = f"arn:aws:sns:{REGION}:{ACCOUNT}:phi-events"
QUEUE_UID = f"arn:aws:sqs:{REGION}:{ACCOUNT}:phi-jobs"


def topic(props: Topic) -> Resource[Any]:
    return aws_resource(TOPIC_UID, "AWS::SNS::Topic", "phi-events", props, region=REGION)


def queue(props: Queue) -> Resource[Any]:
    return aws_resource(QUEUE_UID, "AWS::SQS::Queue", "phi-jobs", props, region=REGION)


def judge(rule_id: str, resource: Resource[Any]) -> Finding:
    return judge_one(rule_id, resource, regions=(REGION,))


def test_metadata() -> None:
    rules = {r.id: r.meta for r in load_rules()}
    assert rules["EAR-TOPIC-01"].citations == (ENCRYPTION_AND_DECRYPTION,)
    assert rules["EAR-QUEUE-01"].severity is Severity.HIGH
    assert TRANSMISSION_ENCRYPTION in rules["EIT-TOPIC-01"].citations
    assert rules["EIT-QUEUE-01"].severity is Severity.MEDIUM
    assert rules["PUB-QUEUE-01"].severity is Severity.CRITICAL
    assert rules["PUB-TOPIC-01"].severity is Severity.HIGH
    assert rules["PUB-TOPIC-01"].citations == (ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT)
    for rule_id in (
        "EAR-TOPIC-01",
        "EIT-TOPIC-01",
        "PUB-TOPIC-01",
        "EAR-QUEUE-01",
        "EIT-QUEUE-01",
        "PUB-QUEUE-01",
    ):
        meta = rules[rule_id]
        assert meta.phi_scoped and meta.providers == {"aws"}
        fix = meta.remediation["aws"]
        assert fix.console and fix.cli.startswith("aws ") and "resource" in fix.terraform


# --- encryption at rest -----------------------------------------------------------------


def test_topic_with_kms_passes() -> None:
    found = judge(
        "EAR-TOPIC-01", topic(Topic(encryption=MessageEncryption.KMS, kms_key_id="alias/aws/sns"))
    )
    assert found.status is Status.PASS
    assert found.evidence == {"encryption": "kms", "kms_key_id": "alias/aws/sns"}
    assert found.message.startswith("Topic phi-events encrypts")


def test_topic_without_kms_fails() -> None:
    found = judge("EAR-TOPIC-01", topic(Topic(encryption=MessageEncryption.NONE)))
    assert found.status is Status.FAIL
    assert found.evidence == {"encryption": "none", "kms_key_id": None}


def test_topic_encryption_unknown() -> None:
    found = judge("EAR-TOPIC-01", topic(Topic()))
    assert found.status is Status.UNKNOWN
    assert found.evidence == {"encryption": None}


@pytest.mark.parametrize(
    ("encryption", "key", "status"),
    [
        (MessageEncryption.KMS, "alias/aws/sqs", Status.PASS),
        (MessageEncryption.SERVICE_MANAGED, None, Status.PASS),  # SSE-SQS is encryption at rest
        (MessageEncryption.NONE, None, Status.FAIL),
        (None, None, Status.UNKNOWN),
    ],
)
def test_queue_encryption(
    encryption: MessageEncryption | None, key: str | None, status: Status
) -> None:
    found = judge("EAR-QUEUE-01", queue(Queue(encryption=encryption, kms_key_id=key)))
    assert found.status is status
    assert found.evidence["encryption"] == (encryption.value if encryption else None)


def test_queue_message_names_the_kind_of_encryption() -> None:
    found = judge("EAR-QUEUE-01", queue(Queue(encryption=MessageEncryption.SERVICE_MANAGED)))
    assert "keys owned by the queue service" in found.message


# --- encryption in transit --------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_id", "make", "cls"),
    [
        ("EIT-TOPIC-01", topic, Topic),
        ("EIT-QUEUE-01", queue, Queue),
    ],
)
@pytest.mark.parametrize(
    ("has_policy", "tls", "status"),
    [
        (True, True, Status.PASS),
        (True, False, Status.FAIL),
        (False, False, Status.FAIL),
        (None, None, Status.UNKNOWN),
    ],
)
def test_tls_required(
    rule_id: str, make: Any, cls: Any, has_policy: bool | None, tls: bool | None, status: Status
) -> None:
    found = judge(rule_id, make(cls(has_policy=has_policy, tls_required=tls)))
    assert found.status is status
    assert found.evidence["tls_required"] == tls
    if status is Status.FAIL:
        assert ("no access policy" in found.message) is (has_policy is False)


# --- public exposure --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule_id", "make", "cls"),
    [
        ("PUB-TOPIC-01", topic, Topic),
        ("PUB-QUEUE-01", queue, Queue),
    ],
)
def test_public_policy(rule_id: str, make: Any, cls: Any) -> None:
    passed = judge(rule_id, make(cls(has_policy=True, public_policy_statements=())))
    assert passed.status is Status.PASS
    assert passed.evidence == {"public_policy_statements": [], "has_policy": True}

    failed = judge(rule_id, make(cls(has_policy=True, public_policy_statements=("Open", "#2"))))
    assert failed.status is Status.FAIL
    assert failed.evidence == {"public_policy_statements": ["Open", "#2"]}
    assert "Open, #2" in failed.message

    unknown = judge(rule_id, make(cls()))
    assert unknown.status is Status.UNKNOWN
    assert unknown.evidence == {"public_policy_statements": None}


def test_policy_public_property() -> None:
    assert Topic().policy_public is None
    assert Queue(public_policy_statements=()).policy_public is False
    assert Queue(public_policy_statements=("x",)).policy_public is True
