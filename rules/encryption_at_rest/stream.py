"""Encryption at rest for data streams and delivery streams."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from rules.support import judge_encrypted
from scanner.kinds.streams_analytics import DataStream, DeliveryStream
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-STREAM-01",
    title="Data stream encrypts stored records",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(DataStream.KIND,),
    providers=("aws",),
)
def data_stream_encrypted(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A data stream keeps every record (HL7 feeds, device readings) for its retention period.

    Server-side encryption with a managed key keeps those stored records unreadable without
    the key.
    """
    del ctx
    props: DataStream = resource.props
    evidence: dict[str, JSONValue] = {
        "encryption_type": props.encryption_type,
        "kms_key_id": props.kms_key_id,
    }
    return judge_encrypted(
        props.encrypted,
        subject=f"Data stream {resource.name}",
        unknown="its encryption could not be read",
        evidence=evidence,
    )


@rule(
    id="EAR-DELIVERYSTREAM-01",
    title="Delivery stream encrypts the records it buffers",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(DeliveryStream.KIND,),
    providers=("aws",),
)
def delivery_stream_encrypted(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A delivery stream buffers records on their way to storage.

    Written to directly, it must encrypt that buffer itself. Fed by a data stream, it keeps
    nothing at rest and cannot encrypt on its own: the source stream holds the records, so
    the source stream's encryption decides.
    """
    props: DeliveryStream = resource.props
    subject = f"Delivery stream {resource.name}"
    if props.source_stream_uid:
        return _judge_source(subject, props.source_stream_uid, ctx)
    evidence: dict[str, JSONValue] = {
        "source_type": props.source_type,
        "encryption_status": props.encryption_status,
        "kms_key_type": props.kms_key_type,
    }
    return judge_encrypted(
        props.encrypted,
        subject=subject,
        unknown="its encryption could not be read",
        evidence=evidence,
    )


def _judge_source(subject: str, source_uid: str, ctx: RuleContext) -> Verdict:
    source = ctx.get(source_uid)
    evidence: dict[str, JSONValue] = {"source_stream": source_uid}
    if source is None or not isinstance(source.props, DataStream):
        return Verdict.unknown(
            f"{subject} is fed by data stream {source_uid}, which was not read.", **evidence
        )
    evidence["source_encrypted"] = source.props.encrypted
    return judge_encrypted(
        source.props.encrypted,
        subject=f"{subject} keeps nothing at rest; its source data stream {source.name}",
        unknown="its encryption could not be read",
        evidence=evidence,
    )
