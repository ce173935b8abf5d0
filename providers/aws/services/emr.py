"""Amazon EMR: public primary nodes, the block-public-access switch, and encryption settings.

Per region: ListClusters (active states only: a terminated cluster holds no data on its
nodes), then per cluster DescribeCluster (security configuration, tags, how its instances
are organised) and ListInstances of the primary (master) node only, whose answer carries its
public IPv4 address. Each security configuration named by a cluster is read once
(DescribeSecurityConfiguration) and its JSON interpreted. GetBlockPublicAccessConfiguration
is read once per region.

A primary node is public when it has a public IPv4 address: that, not the subnet's name or
a DNS spelling, is what makes it reachable from the internet once a security group allows it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from providers.aws.task import AwsTask, tag_dict
from providers.base import Fanout, collector
from scanner.kinds.streams_analytics import AnalyticsCluster, EmrBlockPublicAccess
from scanner.model import Resource

CLUSTER_TYPE = "AWS::EMR::Cluster"
ACTIVE_STATES = ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"]
PRIMARY = "MASTER"
IAM = "elasticmapreduce"  # the IAM service prefix of EMR's actions


class SecurityConfigError(ValueError):
    """A security configuration whose JSON cannot be interpreted."""


def encryption_settings(document: str | Mapping[str, Any]) -> tuple[bool, bool, str | None, bool]:
    """(local disks encrypted, at rest on, S3 mode, in transit on) from a configuration's JSON.

    At rest counts only when local disks (HDFS, EBS, instance store) are encrypted: EMRFS
    data in S3 is also protected by the bucket's own default encryption, the local disks by
    nothing else.
    """
    try:
        parsed = json.loads(document) if isinstance(document, str) else document
    except json.JSONDecodeError as exc:
        raise SecurityConfigError(f"security configuration is not valid JSON: {exc}") from None
    if not isinstance(parsed, Mapping):
        raise SecurityConfigError("security configuration is not a JSON object")
    encryption = parsed.get("EncryptionConfiguration") or {}
    if not isinstance(encryption, Mapping):
        raise SecurityConfigError("EncryptionConfiguration is not an object")
    at_rest_on = encryption.get("EnableAtRestEncryption") is True
    at_rest = encryption.get("AtRestEncryptionConfiguration") or {}
    local = at_rest_on and bool(at_rest.get("LocalDiskEncryptionConfiguration"))
    s3 = (at_rest.get("S3EncryptionConfiguration") or {}).get("EncryptionMode")
    in_transit = encryption.get("EnableInTransitEncryption") is True
    return local, at_rest_on, (str(s3) if at_rest_on and s3 else None), in_transit


def port_ranges(ranges: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """``PermittedPublicSecurityGroupRuleRanges`` as ``"22"`` / ``"8000-8100"`` strings."""
    shown: list[str] = []
    for item in ranges:
        low, high = item.get("MinRange"), item.get("MaxRange", item.get("MinRange"))
        shown.append(str(low) if low == high else f"{low}-{high}")
    return tuple(shown)


@collector(
    "emr",
    fanout=Fanout.REGION,
    produces=(EmrBlockPublicAccess.KIND,),
    calls={"emr.GetBlockPublicAccessConfiguration": f"{IAM}:GetBlockPublicAccessConfiguration"},
)
def emr_block_public_access(task: AwsTask) -> Iterator[Resource[EmrBlockPublicAccess]]:
    """The region's EMR block-public-access setting (one resource per account and region)."""
    emr = task.client("emr")
    uid = f"arn:{task.partition}:elasticmapreduce:{task.region}:{task.account}:block-public-access"
    fetched = task.call(emr, "get_block_public_access_configuration", resource_uid=uid)
    config = fetched.get("BlockPublicAccessConfiguration") if fetched.ok else None
    enabled = (config or {}).get("BlockPublicSecurityGroupRules")
    ranges = (config or {}).get("PermittedPublicSecurityGroupRuleRanges")
    if fetched.ok and not isinstance(enabled, bool):
        # An answer without the switch says nothing about it: unknown, and said so.
        task.gap(
            "GetBlockPublicAccessConfiguration",
            "MalformedResponse",
            "no BlockPublicSecurityGroupRules in the answer",
            uid,
        )
    yield task.resource(
        uid=uid,
        kind=EmrBlockPublicAccess.KIND,
        native_type="AWS::EMR::BlockPublicAccessConfiguration",
        name=f"emr-block-public-access-{task.region}",
        props=EmrBlockPublicAccess(
            enabled=enabled if isinstance(enabled, bool) else None,
            port_exceptions=port_ranges(ranges or []) if isinstance(enabled, bool) else None,
        ),
    )


@collector(
    "emr",
    fanout=Fanout.REGION,
    produces=(AnalyticsCluster.KIND,),
    calls={
        "emr.ListClusters": "elasticmapreduce:ListClusters",
        "emr.DescribeCluster": "elasticmapreduce:DescribeCluster",
        "emr.ListInstances": "elasticmapreduce:ListInstances",
        "emr.DescribeSecurityConfiguration": "elasticmapreduce:DescribeSecurityConfiguration",
    },
)
def emr_clusters(task: AwsTask) -> Iterator[Resource[AnalyticsCluster]]:
    """Every active EMR cluster of the region."""
    emr = task.client("emr")
    listed = task.paginate(emr, "list_clusters", "Clusters", ClusterStates=ACTIVE_STATES) or []
    described = task.map(lambda item: _describe(task, emr, item), listed)
    names = sorted(
        {str(c["SecurityConfiguration"]) for c in described if c.get("SecurityConfiguration")}
    )
    read = task.map(lambda name: _security_config(task, emr, name), names)
    configs = dict(zip(names, read, strict=True))

    def build(pair: tuple[Mapping[str, Any], Mapping[str, Any]]) -> Resource[AnalyticsCluster]:
        item, cluster = pair
        ident = str(item["Id"])
        uid = str(item.get("ClusterArn") or _arn(task, ident))
        name = str(item.get("Name") or ident)
        ips = _primary_public_ips(task, emr, uid, ident, cluster)
        security = cluster.get("SecurityConfiguration")
        # No security configuration is a definite "nothing encrypted"; an unread one is None.
        encryption = configs.get(str(security)) if security else (False, False, None, False)
        if not cluster:
            encryption = None
        return task.resource(
            uid=uid,
            kind=AnalyticsCluster.KIND,
            native_type=CLUSTER_TYPE,
            name=name,
            tags=tag_dict(cluster.get("Tags")) if cluster else None,
            props=AnalyticsCluster(
                state=(item.get("Status") or {}).get("State"),
                security_configuration=str(security) if security else None,
                primary_node_public=None if ips is None else bool(ips),
                primary_public_ips=ips,
                encrypted_at_rest=None if encryption is None else encryption[0],
                at_rest_switch_on=None if encryption is None else encryption[1],
                s3_encryption_mode=None if encryption is None else encryption[2],
                encrypted_in_transit=None if encryption is None else encryption[3],
            ),
        )

    yield from task.map(build, list(zip(listed, described, strict=True)))


def _arn(task: AwsTask, ident: str) -> str:
    return f"arn:{task.partition}:elasticmapreduce:{task.region}:{task.account}:cluster/{ident}"


def _describe(task: AwsTask, emr: Any, item: Mapping[str, Any]) -> Mapping[str, Any]:
    # An empty mapping stands for "could not be described" (the gap is recorded).
    ident = str(item["Id"])
    uid = str(item.get("ClusterArn") or _arn(task, ident))
    fetched = task.call(emr, "describe_cluster", resource_uid=uid, ClusterId=ident)
    cluster = fetched.get("Cluster") if fetched.ok else None
    return cluster if isinstance(cluster, Mapping) else {}


def _security_config(
    task: AwsTask, emr: Any, name: str
) -> tuple[bool, bool, str | None, bool] | None:
    uid = (
        f"arn:{task.partition}:elasticmapreduce:{task.region}:{task.account}"
        f":security-configuration/{name}"
    )
    fetched = task.call(emr, "describe_security_configuration", resource_uid=uid, Name=name)
    if not fetched.ok:
        return None
    try:
        return encryption_settings(str(fetched.get("SecurityConfiguration", "")))
    except SecurityConfigError as exc:
        task.gap("DescribeSecurityConfiguration", "MalformedSecurityConfiguration", str(exc), uid)
        return None


def _primary_public_ips(
    task: AwsTask, emr: Any, uid: str, ident: str, cluster: Mapping[str, Any]
) -> tuple[str, ...] | None:
    if not cluster:
        return None
    # Instance fleets and instance groups name the primary node's collection differently.
    if cluster.get("InstanceCollectionType") == "INSTANCE_FLEET":
        selector: dict[str, Any] = {"InstanceFleetType": PRIMARY}
    else:
        selector = {"InstanceGroupTypes": [PRIMARY]}
    instances = task.paginate(
        emr, "list_instances", "Instances", resource_uid=uid, ClusterId=ident, **selector
    )
    if instances is None:
        return None
    return tuple(sorted(str(i["PublicIpAddress"]) for i in instances if i.get("PublicIpAddress")))
