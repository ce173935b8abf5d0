"""SNS topics: encryption at rest, TLS-only and public topic policies, tags.

One ListTopics pass per region, then exactly one GetTopicAttributes (encryption and policy
together), one ListTagsForResource (for `--phi-tag` scoping) and one (paged)
ListSubscriptionsByTopic (where its messages go) per topic.
"""

from __future__ import annotations

import dataclasses
import urllib.parse
from collections.abc import Iterator
from typing import Any

from providers.aws.messaging_policy import SNS_DATA_ACTIONS, policy_facts
from providers.aws.task import AwsTask, fetched_tags, tag_dict
from providers.base import Fanout, collector
from scanner.kinds.messaging import MessageEncryption, Topic, TopicSubscription
from scanner.model import Resource

NATIVE_TYPE = "AWS::SNS::Topic"
# A topic deleted between ListTopics and the per-topic calls is simply gone.
_GONE = frozenset({"NotFound", "NotFoundException", "ResourceNotFoundException"})


@collector(
    "sns",
    fanout=Fanout.REGION,
    produces=(Topic.KIND,),
    calls={
        "sns.ListTopics": "sns:ListTopics",
        "sns.GetTopicAttributes": "sns:GetTopicAttributes",
        "sns.ListTagsForResource": "sns:ListTagsForResource",
        "sns.ListSubscriptionsByTopic": "sns:ListSubscriptionsByTopic",
    },
)
def sns_topics(task: AwsTask) -> Iterator[Resource[Topic]]:
    """Every SNS topic of the region with its encryption and policy facts."""
    client = task.client("sns")
    listed = task.paginate(client, "list_topics", "Topics")
    if listed is None:
        return
    arns = sorted({str(t["TopicArn"]) for t in listed if t.get("TopicArn")})
    for resource in task.map(lambda arn: _topic(task, client, arn), arns):
        if resource is not None:
            yield resource


def _topic(task: AwsTask, client: Any, arn: str) -> Resource[Topic] | None:
    fetched = task.call(
        client, "get_topic_attributes", resource_uid=arn, absent=_GONE, TopicArn=arn
    )
    if fetched.absent:
        return None
    tags = task.call(
        client, "list_tags_for_resource", resource_uid=arn, absent=_GONE, ResourceArn=arn
    )
    attributes = fetched.get("Attributes")
    readable = fetched.ok and isinstance(attributes, dict)
    if fetched.ok and not readable:
        # No attributes is no evidence of "unencrypted, no policy": the facts stay unknown.
        task.gap("GetTopicAttributes", "MalformedResponse", "no Attributes in the answer", arn)
    props = topic_facts(task, arn, attributes) if readable else Topic()
    listed = task.paginate(
        client,
        "list_subscriptions_by_topic",
        "Subscriptions",
        resource_uid=arn,
        absent=_GONE,
        TopicArn=arn,
    )
    props = dataclasses.replace(props, subscriptions=subscriptions_from(listed))
    return task.resource(
        uid=arn,
        kind=Topic.KIND,
        native_type=NATIVE_TYPE,
        name=arn.rsplit(":", 1)[-1],
        props=props,
        tags=fetched_tags(tags, lambda f: tag_dict(f.get("Tags"))),
    )


def subscriptions_from(listed: list[Any] | None) -> tuple[TopicSubscription, ...] | None:
    """Confirmed subscriptions as facts (pending ones deliver nothing yet)."""
    if listed is None:
        return None
    found = set()
    for item in listed:
        if not str(item.get("SubscriptionArn", "")).startswith("arn:"):
            continue  # "PendingConfirmation" / "Deleted"
        protocol = str(item.get("Protocol") or "").lower()
        host = None
        if protocol in ("http", "https"):
            host = urllib.parse.urlsplit(str(item.get("Endpoint") or "")).hostname
        found.add(TopicSubscription(protocol, host))
    return tuple(sorted(found, key=lambda s: (s.protocol, s.endpoint_host or "")))


def topic_facts(task: AwsTask, arn: str, attributes: dict[str, str] | None) -> Topic:
    """The facts of one topic from its GetTopicAttributes answer."""
    attributes = attributes or {}
    key = attributes.get("KmsMasterKeyId") or None
    policy = policy_facts(
        task, "GetTopicAttributes", attributes.get("Policy"), arn, SNS_DATA_ACTIONS
    )
    return Topic(
        encryption=MessageEncryption.KMS if key else MessageEncryption.NONE,
        kms_key_id=key,
        has_policy=policy.has_policy,
        tls_required=policy.tls_required,
        public_policy_statements=policy.public_policy_statements,
    )
