"""Kinesis Data Streams and Amazon Data Firehose: whether what they hold is encrypted at rest.

Data streams: ListStreams per region, then per stream DescribeStreamSummary (encryption
type and key: the listing does not carry them) and ListTagsForStream (for PHI scope).

Delivery streams: ListDeliveryStreams per region, then per stream DescribeDeliveryStream
(encryption and source) and ListTagsForDeliveryStream. A delivery stream whose source is a
Kinesis data stream does not store records at rest itself and cannot have its own
server-side encryption (Firehose Developer Guide, "Data protection in Amazon Data
Firehose"): the source stream holds them, so the fact recorded is that stream's ARN, and the
rule judges the source stream's encryption.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from providers.aws.task import AwsTask, fetched_tags, tag_dict
from providers.base import Fanout, collector
from scanner.kinds.streams_analytics import DataStream, DeliveryStream
from scanner.model import Resource

STREAM_TYPE = "AWS::Kinesis::Stream"
DELIVERY_TYPE = "AWS::KinesisFirehose::DeliveryStream"
# Statuses of a delivery stream's encryption under which records are being encrypted.
ENCRYPTING = frozenset({"ENABLED"})
KINESIS_SOURCE = "KinesisStreamAsSource"


def stream_facts(summary: Mapping[str, Any] | None) -> DataStream:
    """Facts from a DescribeStreamSummary ``StreamDescriptionSummary`` (None: not read)."""
    if summary is None:
        return DataStream(encrypted=None, encryption_type=None, kms_key_id=None)
    kind = summary.get("EncryptionType")
    return DataStream(
        encrypted=None if kind is None else str(kind) == "KMS",
        encryption_type=None if kind is None else str(kind),
        kms_key_id=summary.get("KeyId"),
    )


def delivery_facts(description: Mapping[str, Any] | None) -> DeliveryStream:
    """Facts from a DescribeDeliveryStream ``DeliveryStreamDescription`` (None: not read)."""
    if description is None:
        return DeliveryStream(None, None, None, None, None, None)
    source_type = description.get("DeliveryStreamType")
    source = (description.get("Source") or {}).get("KinesisStreamSourceDescription") or {}
    config = description.get("DeliveryStreamEncryptionConfiguration")
    # The answer leaves the block out when encryption was never turned on: a definite "off".
    status = (config or {}).get("Status") or ("DISABLED" if config is None else None)
    return DeliveryStream(
        source_type=None if source_type is None else str(source_type),
        source_stream_uid=source.get("KinesisStreamARN"),
        encrypted=None if status is None else str(status) in ENCRYPTING,
        encryption_status=None if status is None else str(status),
        kms_key_type=(config or {}).get("KeyType"),
        kms_key_id=(config or {}).get("KeyARN"),
    )


@collector(
    "kinesis",
    fanout=Fanout.REGION,
    produces=(DataStream.KIND,),
    calls={
        "kinesis.ListStreams": "kinesis:ListStreams",
        "kinesis.DescribeStreamSummary": "kinesis:DescribeStreamSummary",
        "kinesis.ListTagsForStream": "kinesis:ListTagsForStream",
    },
)
def kinesis_streams(task: AwsTask) -> Iterator[Resource[DataStream]]:
    """Every Kinesis data stream of the region."""
    kinesis = task.client("kinesis")
    names = task.paginate(kinesis, "list_streams", "StreamNames") or []

    def build(name: str) -> Resource[DataStream]:
        fallback = f"arn:{task.partition}:kinesis:{task.region}:{task.account}:stream/{name}"
        fetched = task.call(
            kinesis, "describe_stream_summary", resource_uid=fallback, StreamName=name
        )
        summary = fetched.get("StreamDescriptionSummary") if fetched.ok else None
        uid = str((summary or {}).get("StreamARN") or fallback)
        tags = task.call(kinesis, "list_tags_for_stream", resource_uid=uid, StreamName=name)
        return task.resource(
            uid=uid,
            kind=DataStream.KIND,
            native_type=STREAM_TYPE,
            name=name,
            props=stream_facts(summary),
            # A stream has at most 50 tags, all on the first page of ListTagsForStream.
            tags=fetched_tags(tags, lambda f: tag_dict(f.get("Tags"))),
        )

    yield from task.map(build, [str(n) for n in names])


@collector(
    "firehose",
    fanout=Fanout.REGION,
    produces=(DeliveryStream.KIND,),
    calls={
        "firehose.ListDeliveryStreams": "firehose:ListDeliveryStreams",
        "firehose.DescribeDeliveryStream": "firehose:DescribeDeliveryStream",
        "firehose.ListTagsForDeliveryStream": "firehose:ListTagsForDeliveryStream",
    },
)
def firehose_delivery_streams(task: AwsTask) -> Iterator[Resource[DeliveryStream]]:
    """Every Firehose delivery stream of the region."""
    firehose = task.client("firehose")
    names = _delivery_stream_names(task, firehose)
    if names is None:
        return

    def build(name: str) -> Resource[DeliveryStream]:
        fallback = (
            f"arn:{task.partition}:firehose:{task.region}:{task.account}:deliverystream/{name}"
        )
        fetched = task.call(
            firehose, "describe_delivery_stream", resource_uid=fallback, DeliveryStreamName=name
        )
        description = fetched.get("DeliveryStreamDescription") if fetched.ok else None
        uid = str((description or {}).get("DeliveryStreamARN") or fallback)
        tags = task.call(
            firehose, "list_tags_for_delivery_stream", resource_uid=uid, DeliveryStreamName=name
        )
        return task.resource(
            uid=uid,
            kind=DeliveryStream.KIND,
            native_type=DELIVERY_TYPE,
            name=name,
            props=delivery_facts(description),
            # At most 50 tags per delivery stream: one page of ListTagsForDeliveryStream.
            tags=fetched_tags(tags, lambda f: tag_dict(f.get("Tags"))),
        )

    yield from task.map(build, names)


def _delivery_stream_names(task: AwsTask, firehose: Any) -> list[str] | None:
    # ListDeliveryStreams has no botocore paginator: it pages by the last name returned.
    # A failed page leaves the listing incomplete: None, as `task.paginate` gives, so the
    # kind is reported unlisted here instead of the streams read so far passing for all.
    names: list[str] = []
    start: dict[str, str] = {}
    while True:
        fetched = task.call(firehose, "list_delivery_streams", **start)
        if not fetched.ok:
            return None
        page = [str(n) for n in fetched.get("DeliveryStreamNames", [])]
        names.extend(page)
        if not fetched.get("HasMoreDeliveryStreams") or not page:
            return names
        start = {"ExclusiveStartDeliveryStreamName": page[-1]}
