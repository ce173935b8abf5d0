"""SQS queues: encryption at rest (SSE-KMS or SSE-SQS), TLS-only and public queue policies.

One ListQueues pass per region, then exactly one GetQueueAttributes (``All``: ARN,
encryption and policy together) and one ListQueueTags (for `--phi-tag` scoping) per queue.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from providers.aws.messaging_policy import SQS_DATA_ACTIONS, policy_facts
from providers.aws.task import AwsTask, fetched_tags
from providers.base import Fanout, collector
from scanner.kinds.messaging import MessageEncryption, Queue
from scanner.model import Resource

NATIVE_TYPE = "AWS::SQS::Queue"
# A queue deleted between ListQueues and the per-queue calls is simply gone. The JSON
# protocol reports the query-era code; newer SDKs may surface the short one.
_GONE = frozenset({"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"})
# ListQueues returns no NextToken (so at most 1000 queues) unless MaxResults is given.
_PAGE_SIZE = 1000


@collector(
    "sqs",
    fanout=Fanout.REGION,
    produces=(Queue.KIND,),
    calls={
        "sqs.ListQueues": "sqs:ListQueues",
        "sqs.GetQueueAttributes": "sqs:GetQueueAttributes",
        "sqs.ListQueueTags": "sqs:ListQueueTags",
    },
)
def sqs_queues(task: AwsTask) -> Iterator[Resource[Queue]]:
    """Every SQS queue of the region with its encryption and policy facts."""
    client = task.client("sqs")
    urls = task.paginate(client, "list_queues", "QueueUrls", MaxResults=_PAGE_SIZE)
    if urls is None:
        return
    for resource in task.map(lambda url: _queue(task, client, url), sorted(set(urls))):
        if resource is not None:
            yield resource


def queue_arn_from_url(url: str, partition: str, region: str) -> str:
    """The queue ARN a queue URL stands for (``https://sqs.<region>.../<account>/<name>``)."""
    account, name = url.rstrip("/").split("/")[-2:]
    return f"arn:{partition}:sqs:{region}:{account}:{name}"


def _queue(task: AwsTask, client: Any, url: str) -> Resource[Queue] | None:
    # The ARN comes from the attributes; the URL gives the same ARN when they are unreadable.
    guessed = queue_arn_from_url(url, task.partition, task.region)
    fetched = task.call(
        client,
        "get_queue_attributes",
        resource_uid=guessed,
        absent=_GONE,
        QueueUrl=url,
        AttributeNames=["All"],
    )
    if fetched.absent:
        return None
    answer = fetched.get("Attributes")
    attributes: dict[str, str] = answer if isinstance(answer, dict) else {}
    arn = attributes.get("QueueArn") or guessed
    if fetched.ok and not attributes:
        # No attributes is no evidence of "unencrypted, no policy": the facts stay unknown.
        task.gap("GetQueueAttributes", "MalformedResponse", "no Attributes in the answer", arn)
    tags = task.call(client, "list_queue_tags", resource_uid=arn, absent=_GONE, QueueUrl=url)
    props = queue_facts(task, arn, attributes) if attributes else Queue()
    return task.resource(
        uid=arn,
        kind=Queue.KIND,
        native_type=NATIVE_TYPE,
        name=arn.rsplit(":", 1)[-1],
        props=props,
        tags=fetched_tags(tags, lambda f: f.get("Tags", {})),
    )


def queue_facts(task: AwsTask, arn: str, attributes: dict[str, str]) -> Queue:
    """The facts of one queue from its GetQueueAttributes answer."""
    key = attributes.get("KmsMasterKeyId") or None
    # moto (and only moto) also reports SqsManagedSseEnabled=true on a KMS queue; KMS wins.
    if key:
        encryption = MessageEncryption.KMS
    elif attributes.get("SqsManagedSseEnabled", "").lower() == "true":
        encryption = MessageEncryption.SERVICE_MANAGED
    else:
        encryption = MessageEncryption.NONE
    policy = policy_facts(
        task, "GetQueueAttributes", attributes.get("Policy"), arn, SQS_DATA_ACTIONS
    )
    return Queue(
        encryption=encryption,
        kms_key_id=key,
        has_policy=policy.has_policy,
        tls_required=policy.tls_required,
        public_policy_statements=policy.public_policy_statements,
    )
