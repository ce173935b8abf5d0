"""Facts about data streams, delivery streams, analytics clusters and migration instances.

Kinesis Data Streams and Firehose (AWS) have neutral counterparts elsewhere (Pub/Sub,
Event Hubs; Dataflow/Stream Analytics), as EMR has Dataproc and HDInsight and DMS has the
other clouds' migration services, so their kinds carry neutral names. The EMR "block public
access" switch exists only on AWS and is an `aws.*` kind. Every fact that could not be read
is `None`; `False` always means "read, and off".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class DataStream:
    """A data stream that keeps records for a retention period (a Kinesis data stream).

    `encrypted` is whether server-side encryption of stored records is on; `kms_key_id` the
    key that encrypts them (an alias such as ``alias/aws/kinesis`` or a key ARN).
    """

    KIND: ClassVar[str] = "stream.stream"

    encrypted: bool | None
    encryption_type: str | None
    kms_key_id: str | None


@dataclass(frozen=True)
class DeliveryStream:
    """A delivery stream that buffers records on their way to storage (Amazon Data Firehose).

    `source_type` is where records come from (``DirectPut``, ``KinesisStreamAsSource``...).
    A stream fed by a data stream keeps nothing at rest itself (the source stream keeps the
    records), so `source_stream_uid` names that data stream and its encryption decides.
    `encrypted` is the delivery stream's own server-side encryption (for direct writes).
    """

    KIND: ClassVar[str] = "stream.delivery"

    source_type: str | None
    source_stream_uid: str | None
    encrypted: bool | None
    encryption_status: str | None
    kms_key_type: str | None
    kms_key_id: str | None


@dataclass(frozen=True)
class AnalyticsCluster:
    """A managed big-data cluster (an EMR cluster) that processes ePHI on its own nodes.

    `primary_node_public` is whether the primary (master) node has a public IPv4 address.
    `encrypted_at_rest` and `encrypted_in_transit` come from the cluster's security
    configuration (both false when it has none): at rest means its local disks are
    encrypted. `at_rest_switch_on` is the configuration's at-rest switch, which may cover
    S3 data only; `s3_encryption_mode` is what it asks for data written to S3.
    """

    KIND: ClassVar[str] = "analytics.cluster"

    state: str | None
    security_configuration: str | None
    primary_node_public: bool | None
    primary_public_ips: tuple[str, ...] | None
    encrypted_at_rest: bool | None
    at_rest_switch_on: bool | None
    s3_encryption_mode: str | None
    encrypted_in_transit: bool | None


@dataclass(frozen=True)
class EmrBlockPublicAccess:
    """The per-region EMR switch that refuses clusters whose security groups are open.

    `port_exceptions` lists the port ranges (``"22"``, ``"8000-8100"``) still allowed open to
    the internet while the switch is on.
    """

    KIND: ClassVar[str] = "aws.emr_block_public_access"

    enabled: bool | None
    port_exceptions: tuple[str, ...] | None


@dataclass(frozen=True)
class MigrationInstance:
    """A database replication (migration) instance, which holds ePHI while it copies it."""

    KIND: ClassVar[str] = "migration.instance"

    publicly_accessible: bool | None
    kms_key_id: str | None
    engine_version: str | None
