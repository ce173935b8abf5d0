"""ElastiCache (Redis OSS, Valkey, Memcached) and MemoryDB clusters.

ElastiCache: one DescribeReplicationGroups and one DescribeCacheClusters per region. A
cache cluster that belongs to a replication group is judged through its group (the
group holds the encryption, AUTH and snapshot settings), so only stand-alone clusters
become resources of their own. MemoryDB: one DescribeClusters per region. Tags are not
in any of these answers: one tag call per resource (for PHI scope).

Node-based Memcached can neither encrypt data at rest nor authenticate clients, and keeps
nothing it could snapshot: the facts say so (`at_rest_supported`, `auth_mode` ``none``,
`persistent`), and the rules decide what that means.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from providers.aws.task import AwsTask, fetched_tags, tag_dict
from providers.base import Fanout, collector
from scanner.kinds.data_api import CacheCluster
from scanner.model import Resource

MEMCACHED = "memcached"
# MemoryDB's built-in access list that lets every connection in without a password.
OPEN_ACCESS = "open-access"


def _arn(task: AwsTask, service: str, resource: str) -> str:
    return f"arn:{task.partition}:{service}:{task.region}:{task.account}:{resource}"


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _retention(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def transit_facts(raw: Mapping[str, Any]) -> tuple[bool | None, str | None]:
    """(TLS required, mode) for an ElastiCache group or cluster.

    In ``preferred`` mode (a migration step) the cache accepts TLS and plaintext alike, so
    encryption in transit is not enforced.
    """
    enabled = _flag(raw.get("TransitEncryptionEnabled"))
    mode = raw.get("TransitEncryptionMode")
    mode = None if mode is None else str(mode)
    if enabled and mode == "preferred":
        return False, mode
    return enabled, mode


def auth_mode(raw: Mapping[str, Any]) -> str | None:
    """``rbac`` (user groups), ``token`` (AUTH password) or ``none`` for ElastiCache."""
    if raw.get("UserGroupIds"):
        return "rbac"
    token = _flag(raw.get("AuthTokenEnabled"))
    if token is None:
        return None
    return "token" if token else "none"


@collector(
    "elasticache",
    fanout=Fanout.REGION,
    produces=(CacheCluster.KIND,),
    calls={
        "elasticache.DescribeReplicationGroups": "elasticache:DescribeReplicationGroups",
        "elasticache.DescribeCacheClusters": "elasticache:DescribeCacheClusters",
        "elasticache.ListTagsForResource": "elasticache:ListTagsForResource",
    },
)
def cache_clusters(task: AwsTask) -> Iterator[Resource[CacheCluster]]:
    """Every ElastiCache replication group and stand-alone cache cluster of the region."""
    client = task.client("elasticache")
    groups = task.paginate(client, "describe_replication_groups", "ReplicationGroups") or []
    clusters = task.paginate(client, "describe_cache_clusters", "CacheClusters") or []
    # Engine versions are kept per member cluster; a group reports only its engine.
    versions = {
        str(c.get("ReplicationGroupId")): c.get("EngineVersion")
        for c in clusters
        if c.get("ReplicationGroupId")
    }
    alone = [c for c in clusters if not c.get("ReplicationGroupId")]

    def group(raw: Mapping[str, Any]) -> Resource[CacheCluster]:
        name = str(raw["ReplicationGroupId"])
        return _elasticache(task, client, raw, name, "replicationgroup", versions.get(name))

    def single(raw: Mapping[str, Any]) -> Resource[CacheCluster]:
        name = str(raw["CacheClusterId"])
        return _elasticache(task, client, raw, name, "cluster", raw.get("EngineVersion"))

    yield from task.map(group, groups)
    yield from task.map(single, alone)


def _elasticache(
    task: AwsTask,
    client: Any,
    raw: Mapping[str, Any],
    name: str,
    arn_type: str,
    version: Any,
) -> Resource[CacheCluster]:
    uid = str(raw.get("ARN") or _arn(task, "elasticache", f"{arn_type}:{name}"))
    engine = str(raw.get("Engine") or "redis").lower()
    memcached = engine == MEMCACHED
    transit, mode = transit_facts(raw)
    at_rest = _flag(raw.get("AtRestEncryptionEnabled"))
    tags = fetched_tags(
        task.call(client, "list_tags_for_resource", resource_uid=uid, ResourceName=uid),
        lambda f: tag_dict(f.get("TagList", [])),
    )
    return task.resource(
        uid=uid,
        kind=CacheCluster.KIND,
        native_type=(
            "AWS::ElastiCache::ReplicationGroup"
            if arn_type == "replicationgroup"
            else "AWS::ElastiCache::CacheCluster"
        ),
        name=name,
        tags=tags,
        props=CacheCluster(
            engine=engine,
            engine_version=None if version is None else str(version),
            encrypted_in_transit=transit,
            transit_encryption_mode=mode,
            encrypted_at_rest=False if memcached and not at_rest else at_rest,
            at_rest_supported=not memcached,
            kms_key_id=raw.get("KmsKeyId"),
            auth_mode="none" if memcached else auth_mode(raw),
            persistent=not memcached,
            backup_retention_days=(
                None if memcached else _retention(raw.get("SnapshotRetentionLimit"))
            ),
        ),
    )


@collector(
    "memorydb",
    fanout=Fanout.REGION,
    produces=(CacheCluster.KIND,),
    calls={
        "memorydb.DescribeClusters": "memorydb:DescribeClusters",
        "memorydb.ListTags": "memorydb:ListTags",
    },
)
def memorydb_clusters(task: AwsTask) -> Iterator[Resource[CacheCluster]]:
    """Every MemoryDB cluster of the region (always encrypted at rest by the service)."""
    client = task.client("memorydb")
    clusters = task.paginate(client, "describe_clusters", "Clusters") or []

    def build(raw: Mapping[str, Any]) -> Resource[CacheCluster]:
        name = str(raw["Name"])
        uid = str(raw.get("ARN") or _arn(task, "memorydb", f"cluster/{name}"))
        tags = fetched_tags(
            task.call(client, "list_tags", resource_uid=uid, ResourceArn=uid),
            lambda f: tag_dict(f.get("TagList", [])),
        )
        acl = raw.get("ACLName")
        return task.resource(
            uid=uid,
            kind=CacheCluster.KIND,
            native_type="AWS::MemoryDB::Cluster",
            name=name,
            tags=tags,
            props=CacheCluster(
                engine=str(raw.get("Engine") or "redis").lower(),
                engine_version=raw.get("EngineVersion"),
                encrypted_in_transit=_flag(raw.get("TLSEnabled")),
                transit_encryption_mode=None,
                # MemoryDB encrypts every cluster at rest; there is no switch to read.
                encrypted_at_rest=True,
                at_rest_supported=True,
                kms_key_id=raw.get("KmsKeyId"),
                auth_mode=None if acl is None else ("none" if acl == OPEN_ACCESS else "rbac"),
                persistent=True,
                backup_retention_days=_retention(raw.get("SnapshotRetentionLimit")),
            ),
        )

    yield from task.map(build, clusters)
