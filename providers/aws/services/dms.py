"""AWS Database Migration Service: replication instances that are reachable from the internet.

One DescribeReplicationInstances per region carries both facts read here (whether the
instance has a public address, and the KMS key of its storage); tags need one
ListTagsForResource per instance (for PHI scope). Replication storage is always encrypted
(with ``aws/dms`` unless a key was chosen), so the key is kept as evidence, not judged.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from providers.aws.task import AwsTask, fetched_tags, tag_dict
from providers.base import Fanout, collector
from scanner.kinds.streams_analytics import MigrationInstance
from scanner.model import Resource

INSTANCE_TYPE = "AWS::DMS::ReplicationInstance"


def instance_facts(raw: Mapping[str, Any]) -> MigrationInstance:
    """Facts from one DescribeReplicationInstances entry."""
    public = raw.get("PubliclyAccessible")
    return MigrationInstance(
        publicly_accessible=public if isinstance(public, bool) else None,
        kms_key_id=raw.get("KmsKeyId"),
        engine_version=raw.get("EngineVersion"),
    )


@collector(
    "dms",
    fanout=Fanout.REGION,
    produces=(MigrationInstance.KIND,),
    calls={
        "dms.DescribeReplicationInstances": "dms:DescribeReplicationInstances",
        "dms.ListTagsForResource": "dms:ListTagsForResource",
    },
)
def dms_replication_instances(task: AwsTask) -> Iterator[Resource[MigrationInstance]]:
    """Every DMS replication instance of the region."""
    dms = task.client("dms")
    listed = task.paginate(dms, "describe_replication_instances", "ReplicationInstances") or []

    def build(raw: Mapping[str, Any]) -> Resource[MigrationInstance]:
        ident = str(raw["ReplicationInstanceIdentifier"])
        uid = str(
            raw.get("ReplicationInstanceArn")
            or f"arn:{task.partition}:dms:{task.region}:{task.account}:rep:{ident}"
        )
        tags = task.call(dms, "list_tags_for_resource", resource_uid=uid, ResourceArn=uid)
        return task.resource(
            uid=uid,
            kind=MigrationInstance.KIND,
            native_type=INSTANCE_TYPE,
            name=ident,
            props=instance_facts(raw),
            tags=fetched_tags(tags, lambda f: tag_dict(f.get("TagList"))),
        )

    yield from task.map(build, listed)
