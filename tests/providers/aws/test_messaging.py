"""SNS and SQS collectors end to end under moto: facts, exact outcomes, gaps and call counts."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any, cast

import boto3
import pytest
from moto import mock_aws

from providers.aws.messaging_policy import (
    NO_POLICY,
    SNS_DATA_ACTIONS,
    SQS_DATA_ACTIONS,
    UNREADABLE,
    denies_insecure_access,
    policy_facts,
)
from providers.aws.services.sqs import queue_arn_from_url
from providers.aws.task import AwsTask
from providers.base import CallCounter
from scanner.kinds.messaging import MessageEncryption, Queue, Topic
from scanner.snapshot import snapshot_from_dict, snapshot_to_dict
from tests.providers.aws.helpers import ACCOUNT, by_uid, failing, outcomes, scan

TOPIC_RULES = ("EAR-TOPIC-01", "EIT-TOPIC-01", "PUB-TOPIC-01")
QUEUE_RULES = ("EAR-QUEUE-01", "EIT-QUEUE-01", "PUB-QUEUE-01")
US, EU = "us-east-1", "eu-west-1"
KMS_KEY = f"arn:aws:kms:{EU}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _topic(region: str, name: str) -> str:
    return f"arn:aws:sns:{region}:{ACCOUNT}:{name}"


def _queue(region: str, name: str) -> str:
    return f"arn:aws:sqs:{region}:{ACCOUNT}:{name}"


PHI_TOPIC = _topic(US, "phi-events")
PLAIN_TOPIC = _topic(US, "plain")
OPEN_TOPIC = _topic(US, "open-topic")
EU_TOPIC = _topic(EU, "eu-topic")
TOPICS = (PHI_TOPIC, PLAIN_TOPIC, OPEN_TOPIC, EU_TOPIC)

PHI_QUEUE = _queue(US, "phi-jobs")
SSE_QUEUE = _queue(US, "sse-sqs")
OPEN_QUEUE = _queue(US, "open-queue")
EU_QUEUE = _queue(EU, "eu-queue")
QUEUES = (PHI_QUEUE, SSE_QUEUE, OPEN_QUEUE, EU_QUEUE)


def _doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _tls_deny(action: Any, resource: str, **condition: Any) -> dict[str, Any]:
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": action,
        "Resource": resource,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}, **condition},
    }


def _allow_all(action: Any, resource: str, sid: str = "Open", **extra: Any) -> dict[str, Any]:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": "*",
        "Action": action,
        "Resource": resource,
        **extra,
    }


def _owner_only(resource: str) -> dict[str, Any]:
    # The shape of SNS's own default statement: everyone, but pinned to the owner account.
    return _allow_all(
        ["SNS:Publish", "SNS:Subscribe"],
        resource,
        sid="__default_statement_ID",
        Condition={"StringEquals": {"AWS:SourceOwner": ACCOUNT}},
    )


def _seed() -> None:
    sns_us = boto3.client("sns", US)
    sns_us.create_topic(
        Name="phi-events",
        Tags=[{"Key": "phi", "Value": "yes"}],
        Attributes={
            "KmsMasterKeyId": "alias/aws/sns",
            # AWS's documented TLS guard for SNS: deny only SNS:Publish over plain HTTP.
            "Policy": _doc(_owner_only(PHI_TOPIC), _tls_deny("SNS:Publish", PHI_TOPIC)),
        },
    )
    sns_us.create_topic(Name="plain")  # moto's default policy is owner-only: not public
    sns_us.create_topic(
        Name="open-topic",
        Attributes={
            "Policy": _doc(
                _allow_all("SNS:Subscribe", OPEN_TOPIC),
                # near miss: a second condition narrows the Deny to one VPC endpoint
                _tls_deny("sns:*", OPEN_TOPIC, StringEquals={"aws:SourceVpce": "vpce-1a2b3c4d"}),
            )
        },
    )
    boto3.client("sns", EU).create_topic(
        Name="eu-topic",
        Attributes={
            "KmsMasterKeyId": KMS_KEY,
            "Policy": _doc(_tls_deny("sns:*", "*")),
        },
    )

    sqs_us = boto3.client("sqs", US)
    sqs_us.create_queue(
        QueueName="phi-jobs",
        tags={"phi": "yes"},
        Attributes={
            "KmsMasterKeyId": "alias/aws/sqs",
            "Policy": _doc(
                _tls_deny("sqs:*", PHI_QUEUE),
                # decoy: Principal * but only for messages sent by one topic
                _allow_all(
                    "sqs:SendMessage",
                    PHI_QUEUE,
                    sid="FromTopic",
                    Condition={"ArnEquals": {"aws:SourceArn": PHI_TOPIC}},
                ),
            ),
        },
    )
    sqs_us.create_queue(QueueName="sse-sqs")  # SSE-SQS by default, no policy
    sqs_us.create_queue(
        QueueName="open-queue",
        Attributes={
            "SqsManagedSseEnabled": "false",
            "Policy": _doc(
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "*"},
                    "Action": "sqs:ReceiveMessage",
                    "Resource": OPEN_QUEUE,
                },
                # near miss: only sending is refused over plain HTTP, receiving is not
                _tls_deny("sqs:SendMessage", OPEN_QUEUE),
            ),
        },
    )
    boto3.client("sqs", EU).create_queue(
        QueueName="eu-queue",
        Attributes={
            "Policy": _doc(
                # a negated operator restricts nothing: open to every other account
                _allow_all(
                    "sqs:*",
                    EU_QUEUE,
                    sid="NotMine",
                    Condition={"StringNotEquals": {"aws:SourceAccount": ACCOUNT}},
                ),
                _tls_deny(["sqs:SendMessage", "sqs:ReceiveMessage"], EU_QUEUE),
            ),
        },
    )


@pytest.fixture
def estate() -> Iterator[None]:
    with mock_aws():
        _seed()
        yield


EXPECTED_TOPICS = {
    ("EAR-TOPIC-01", PHI_TOPIC, "PASS"),
    ("EAR-TOPIC-01", PLAIN_TOPIC, "FAIL"),
    ("EAR-TOPIC-01", OPEN_TOPIC, "FAIL"),
    ("EAR-TOPIC-01", EU_TOPIC, "PASS"),
    ("EIT-TOPIC-01", PHI_TOPIC, "PASS"),
    ("EIT-TOPIC-01", PLAIN_TOPIC, "FAIL"),
    ("EIT-TOPIC-01", OPEN_TOPIC, "FAIL"),
    ("EIT-TOPIC-01", EU_TOPIC, "PASS"),
    ("PUB-TOPIC-01", PHI_TOPIC, "PASS"),
    ("PUB-TOPIC-01", PLAIN_TOPIC, "PASS"),
    ("PUB-TOPIC-01", OPEN_TOPIC, "FAIL"),
    ("PUB-TOPIC-01", EU_TOPIC, "PASS"),
}
EXPECTED_QUEUES = {
    ("EAR-QUEUE-01", PHI_QUEUE, "PASS"),
    ("EAR-QUEUE-01", SSE_QUEUE, "PASS"),
    ("EAR-QUEUE-01", OPEN_QUEUE, "FAIL"),
    ("EAR-QUEUE-01", EU_QUEUE, "PASS"),
    ("EIT-QUEUE-01", PHI_QUEUE, "PASS"),
    ("EIT-QUEUE-01", SSE_QUEUE, "FAIL"),
    ("EIT-QUEUE-01", OPEN_QUEUE, "FAIL"),
    ("EIT-QUEUE-01", EU_QUEUE, "PASS"),
    ("PUB-QUEUE-01", PHI_QUEUE, "PASS"),
    ("PUB-QUEUE-01", SSE_QUEUE, "PASS"),
    ("PUB-QUEUE-01", OPEN_QUEUE, "FAIL"),
    ("PUB-QUEUE-01", EU_QUEUE, "FAIL"),
}


def test_topic_and_queue_facts(estate: None) -> None:
    snapshot = scan(["sns", "sqs"])
    assert snapshot.gaps == ()
    topics = by_uid(snapshot, Topic.KIND)
    queues = by_uid(snapshot, Queue.KIND)
    assert set(topics) == set(TOPICS)
    assert set(queues) == set(QUEUES)

    phi = topics[PHI_TOPIC]
    assert (phi.name, phi.region, phi.native_type) == ("phi-events", US, "AWS::SNS::Topic")
    assert phi.tags == {"phi": "yes"}
    assert phi.props == Topic(
        encryption=MessageEncryption.KMS,
        kms_key_id="alias/aws/sns",
        has_policy=True,
        tls_required=True,
        public_policy_statements=(),
        subscriptions=(),
    )
    assert topics[PLAIN_TOPIC].props.encryption is MessageEncryption.NONE
    assert topics[OPEN_TOPIC].props.public_policy_statements == ("Open",)
    assert topics[OPEN_TOPIC].props.tls_required is False
    assert topics[EU_TOPIC].region == EU
    assert topics[EU_TOPIC].props.kms_key_id == KMS_KEY

    job = queues[PHI_QUEUE]
    assert (job.name, job.native_type, job.tags) == ("phi-jobs", "AWS::SQS::Queue", {"phi": "yes"})
    # moto also says SqsManagedSseEnabled=true on a KMS queue; the KMS key must win.
    assert job.props == Queue(
        encryption=MessageEncryption.KMS,
        kms_key_id="alias/aws/sqs",
        has_policy=True,
        tls_required=True,
        public_policy_statements=(),
    )
    assert queues[SSE_QUEUE].props == Queue(
        encryption=MessageEncryption.SERVICE_MANAGED,
        kms_key_id=None,
        has_policy=False,
        tls_required=False,
        public_policy_statements=(),
    )
    assert queues[OPEN_QUEUE].props.encryption is MessageEncryption.NONE
    assert queues[OPEN_QUEUE].props.public_policy_statements == ("#0",)
    assert queues[EU_QUEUE].props.public_policy_statements == ("NotMine",)


def test_exact_outcomes(estate: None) -> None:
    snapshot = scan(["sns", "sqs"])
    assert outcomes(snapshot, TOPIC_RULES) == EXPECTED_TOPICS
    assert outcomes(snapshot, QUEUE_RULES) == EXPECTED_QUEUES


def test_phi_tag_keeps_only_tagged_topics_and_queues(estate: None) -> None:
    snapshot = scan(["sns", "sqs"])
    found = outcomes(snapshot, ("EAR-TOPIC-01", "EAR-QUEUE-01"), phi_tags=(("phi", "yes"),))
    assert found == {("EAR-TOPIC-01", PHI_TOPIC, "PASS"), ("EAR-QUEUE-01", PHI_QUEUE, "PASS")}


def test_snapshot_round_trip_keeps_messaging_facts(estate: None) -> None:
    snapshot = scan(["sns", "sqs"])
    again = snapshot_from_dict(json.loads(json.dumps(snapshot_to_dict(snapshot))), "test")
    assert again.resources == snapshot.resources


def test_topic_attributes_denied_gives_unknown(estate: None) -> None:
    with failing("sns.GetTopicAttributes"):
        snapshot = scan(["sns", "sqs"])
    topics = by_uid(snapshot, Topic.KIND)
    assert set(topics) == set(TOPICS)
    # Subscriptions come from their own call too.
    assert all(dataclasses.replace(t.props, subscriptions=None) == Topic() for t in topics.values())
    assert topics[PHI_TOPIC].tags == {"phi": "yes"}  # tags come from their own call
    assert {(g.region, g.operation, g.error_code, g.resource_uid) for g in snapshot.gaps} == {
        (t.split(":")[3], "GetTopicAttributes", "AccessDenied", t) for t in TOPICS
    }
    assert outcomes(snapshot, TOPIC_RULES) == {
        (r, t, "UNKNOWN") for r in TOPIC_RULES for t in TOPICS
    }
    assert outcomes(snapshot, QUEUE_RULES) == EXPECTED_QUEUES


def test_queue_attributes_denied_keeps_arn_and_gives_unknown(estate: None) -> None:
    with failing("sqs.GetQueueAttributes"):
        snapshot = scan(["sqs"])
    queues = by_uid(snapshot, Queue.KIND)
    assert set(queues) == set(QUEUES)  # the ARN is rebuilt from the queue URL
    assert all(q.props == Queue() for q in queues.values())
    assert {(g.operation, g.error_code, g.resource_uid) for g in snapshot.gaps} == {
        ("GetQueueAttributes", "AccessDenied", q) for q in QUEUES
    }
    assert outcomes(snapshot, QUEUE_RULES) == {
        (r, q, "UNKNOWN") for r in QUEUE_RULES for q in QUEUES
    }


def test_listing_denied_is_a_gap_per_region(estate: None) -> None:
    with failing("sns.ListTopics", "sqs.ListQueues"):
        snapshot = scan(["sns", "sqs"])
    assert snapshot.resources == ()
    assert {(g.service, g.region, g.operation) for g in snapshot.gaps} == {
        ("sns", US, "ListTopics"),
        ("sns", EU, "ListTopics"),
        ("sqs", US, "ListQueues"),
        ("sqs", EU, "ListQueues"),
    }


def test_tags_denied_is_a_gap_but_rules_still_judge(estate: None) -> None:
    with failing("sns.ListTagsForResource", "sqs.ListQueueTags"):
        snapshot = scan(["sns", "sqs"])
    # Unknown, not "no tags": the resources stay in every --phi-tag scope.
    assert all(r.tags is None for r in snapshot.resources)
    assert {(g.operation, g.resource_uid) for g in snapshot.gaps} == {
        *(("ListTagsForResource", t) for t in TOPICS),
        *(("ListQueueTags", q) for q in QUEUES),
    }
    assert outcomes(snapshot, TOPIC_RULES) == EXPECTED_TOPICS
    assert outcomes(snapshot, QUEUE_RULES) == EXPECTED_QUEUES


def test_malformed_queue_policy_is_a_gap_and_unknown() -> None:
    with mock_aws():
        # moto stores any JSON text; a Statement that is a string is not a policy.
        boto3.client("sqs", US).create_queue(
            QueueName="bad", Attributes={"Policy": json.dumps({"Statement": "oops"})}
        )
        snapshot = scan(["sqs"])
    uid = _queue(US, "bad")
    queue = by_uid(snapshot, Queue.KIND)[uid]
    assert queue.props.encryption is MessageEncryption.SERVICE_MANAGED
    assert (queue.props.tls_required, queue.props.public_policy_statements) == (None, None)
    assert [(g.operation, g.error_code, g.resource_uid) for g in snapshot.gaps] == [
        ("GetQueueAttributes", "MalformedPolicy", uid)
    ]
    assert outcomes(snapshot, QUEUE_RULES) == {
        ("EAR-QUEUE-01", uid, "PASS"),
        ("EIT-QUEUE-01", uid, "UNKNOWN"),
        ("PUB-QUEUE-01", uid, "UNKNOWN"),
    }


def test_one_call_per_resource_per_fact() -> None:
    with mock_aws():
        for region, topics, queues in ((US, 3, 2), (EU, 2, 4)):
            sns = boto3.client("sns", region)
            sqs = boto3.client("sqs", region)
            for i in range(topics):
                sns.create_topic(Name=f"t{i}")
            for i in range(queues):
                sqs.create_queue(QueueName=f"q{i}")
        counter = CallCounter()
        snapshot = scan(["sns", "sqs"], counter=counter)
    assert len(by_uid(snapshot, Topic.KIND)) == 5
    assert len(by_uid(snapshot, Queue.KIND)) == 6
    assert dict(counter.counts) == {
        "sts.GetCallerIdentity": 1,
        "sns.ListTopics": 2,
        "sns.GetTopicAttributes": 5,
        "sns.ListTagsForResource": 5,
        "sns.ListSubscriptionsByTopic": 5,
        "sqs.ListQueues": 2,
        "sqs.GetQueueAttributes": 6,
        "sqs.ListQueueTags": 6,
    }


# --- the TLS-deny helper (pure) ---------------------------------------------------------

TOPIC = PHI_TOPIC
QUEUE = PHI_QUEUE


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        (_tls_deny("SNS:Publish", TOPIC), True),
        (_tls_deny("sns:*", "*"), True),
        (_tls_deny("*", TOPIC), True),
        ({**_tls_deny("sns:Publish", TOPIC), "Principal": {"AWS": "*"}}, True),
        ({**_tls_deny("sns:Publish", TOPIC), "Principal": {"AWS": ["*"]}}, True),
        (
            {
                **_tls_deny("sns:Publish", TOPIC),
                "Condition": {"BoolIfExists": {"aws:SecureTransport": False}},
            },
            True,
        ),
        # NotAction that leaves Publish inside the Deny
        (
            {
                **{k: v for k, v in _tls_deny("x", TOPIC).items() if k != "Action"},
                "NotAction": "sns:GetTopicAttributes",
            },
            True,
        ),
        # NotAction that carves Publish out
        (
            {
                **{k: v for k, v in _tls_deny("x", TOPIC).items() if k != "Action"},
                "NotAction": "sns:Publish",
            },
            False,
        ),
        # NotResource that does not name this topic still covers it
        (
            {
                **{k: v for k, v in _tls_deny("sns:*", TOPIC).items() if k != "Resource"},
                "NotResource": _topic(US, "other"),
            },
            True,
        ),
        (
            {
                **{k: v for k, v in _tls_deny("sns:*", TOPIC).items() if k != "Resource"},
                "NotResource": TOPIC,
            },
            False,
        ),
        (_tls_deny("sns:Subscribe", TOPIC), False),
        (_tls_deny("sns:Publish", _topic(US, "other")), False),
        ({**_tls_deny("sns:Publish", TOPIC), "Effect": "Allow"}, False),
        (
            {
                **_tls_deny("sns:Publish", TOPIC),
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            },
            False,
        ),
        (
            {
                **_tls_deny("sns:Publish", TOPIC),
                "Condition": {"Bool": {"aws:SecureTransport": "true"}},
            },
            False,
        ),
        (_tls_deny("sns:Publish", TOPIC, StringEquals={"aws:SourceVpce": "vpce-1"}), False),
        ({**_tls_deny("sns:Publish", TOPIC), "Condition": {}}, False),
    ],
)
def test_denies_insecure_access_for_topics(statement: dict[str, Any], expected: bool) -> None:
    assert denies_insecure_access(_doc(statement), SNS_DATA_ACTIONS, TOPIC) is expected


def test_queue_needs_both_send_and_receive_denied() -> None:
    send = _tls_deny("sqs:SendMessage", QUEUE)
    receive = {**_tls_deny("sqs:ReceiveMessage", QUEUE), "Sid": "R"}
    assert not denies_insecure_access(_doc(send), SQS_DATA_ACTIONS, QUEUE)
    assert not denies_insecure_access(_doc(receive), SQS_DATA_ACTIONS, QUEUE)
    assert denies_insecure_access(_doc(send, receive), SQS_DATA_ACTIONS, QUEUE)
    assert denies_insecure_access(_doc(_tls_deny("sqs:*", QUEUE)), SQS_DATA_ACTIONS, QUEUE)
    assert not denies_insecure_access(_doc(), SQS_DATA_ACTIONS, QUEUE)


class _GapSink:
    """Stands in for `AwsTask` where `policy_facts` only records gaps."""

    def __init__(self) -> None:
        self.gaps: list[tuple[str, str, str | None]] = []

    def gap(
        self, operation: str, error_code: str, message: str, resource_uid: str | None = None
    ) -> None:
        self.gaps.append((operation, error_code, resource_uid))


@pytest.mark.parametrize("document", ["", "   ", None])
def test_policy_facts_without_a_policy(document: str | None) -> None:
    sink = _GapSink()
    assert (
        policy_facts(
            cast(AwsTask, sink),
            "GetQueueAttributes",
            document,
            QUEUE,
            SQS_DATA_ACTIONS,
        )
        == NO_POLICY
    )
    assert sink.gaps == []


@pytest.mark.parametrize(
    "document",
    [
        "{not json",
        "[]",
        json.dumps({"Statement": [1]}),
        json.dumps({"Statement": [{"Principal": 3}]}),
    ],
)
def test_policy_facts_with_a_malformed_policy(document: str) -> None:
    sink = _GapSink()
    assert (
        policy_facts(
            cast(AwsTask, sink),
            "GetTopicAttributes",
            document,
            TOPIC,
            SNS_DATA_ACTIONS,
        )
        == UNREADABLE
    )
    assert sink.gaps == [("GetTopicAttributes", "MalformedPolicy", TOPIC)]


@pytest.mark.parametrize(
    ("url", "arn"),
    [
        (f"https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/jobs", _queue(US, "jobs")),
        (f"https://sqs.eu-west-1.amazonaws.com/{ACCOUNT}/jobs.fifo/", _queue(EU, "jobs.fifo")),
        (f"https://queue.amazonaws.com/{ACCOUNT}/legacy", _queue(US, "legacy")),
    ],
)
def test_queue_arn_from_url(url: str, arn: str) -> None:
    region = arn.split(":")[3]
    assert queue_arn_from_url(url, "aws", region) == arn


@pytest.mark.parametrize(
    ("subscriptions", "http", "email_sms"),
    [
        ([("http", "http://hooks.example.com/sns?token=s3cret")], "FAIL", "PASS"),  # reported
        ([("https", "https://a.example.com/x"), ("http", "http://b.example.com/")], "FAIL", "PASS"),
        ([("email", "clinician@example.com")], "PASS", "FAIL"),
        ([("sms", "+15555550100"), ("email-json", "ops@example.com")], "PASS", "FAIL"),
        # Near misses: HTTPS and AWS-internal deliveries.
        (
            [("https", "https://a.example.com/x"), ("sqs", "arn:aws:sqs:us-east-1:1:q")],
            "PASS",
            "PASS",
        ),
        ([], "PASS", "PASS"),
    ],
)
def test_subscriptions(subscriptions: list[tuple[str, str]], http: str, email_sms: str) -> None:
    """Item 10: where a topic's messages go, through the collector."""
    with mock_aws():
        sns = boto3.client("sns", US)
        arn = sns.create_topic(Name="deliveries")["TopicArn"]
        for protocol, endpoint in subscriptions:
            sns.subscribe(TopicArn=arn, Protocol=protocol, Endpoint=endpoint)
        snapshot = scan(["sns"], [US])
    assert outcomes(snapshot, ["EIT-TOPIC-02", "EIT-TOPIC-03"]) == {
        ("EIT-TOPIC-02", arn, http),
        ("EIT-TOPIC-03", arn, email_sms),
    }
    (topic,) = by_uid(snapshot, Topic.KIND).values()
    text = repr(topic.props.subscriptions)
    # Only protocols and web hosts are kept: no token, address or phone number.
    assert "s3cret" not in text and "@" not in text and "+1555" not in text


def test_subscriptions_denied_are_unknown() -> None:
    with mock_aws():
        arn = boto3.client("sns", US).create_topic(Name="t")["TopicArn"]
        with failing("sns.ListSubscriptionsByTopic"):
            snapshot = scan(["sns"], [US])
    assert outcomes(snapshot, ["EIT-TOPIC-02", "EIT-TOPIC-03"]) == {
        ("EIT-TOPIC-02", arn, "UNKNOWN"),
        ("EIT-TOPIC-03", arn, "UNKNOWN"),
    }
