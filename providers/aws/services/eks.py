"""EKS collector: clusters with secrets encryption, API endpoint exposure and audit logging.

One ListClusters per region, then DescribeCluster per cluster (its answer carries the
tags). The public endpoint is judged by coverage: the union of ``publicAccessCidrs``
against the shared internet threshold (`scanner.netcoverage`); AWS's default for a public
endpoint without CIDRs is ``0.0.0.0/0``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from providers.aws.task import AwsTask
from providers.base import Fanout, collector
from scanner import netcoverage
from scanner.kinds.workloads import ContainerCluster
from scanner.model import Resource

AUDIT = "audit"


def _secrets_key(config: Any) -> str:
    for entry in config or []:
        if "secrets" in (entry.get("resources") or []):
            return str((entry.get("provider") or {}).get("keyArn") or "")
    return ""


def _log_types(logging: Mapping[str, Any]) -> tuple[str, ...] | None:
    setups = logging.get("clusterLogging")
    if setups is None:
        return None
    return tuple(sorted({str(t) for s in setups if s.get("enabled") for t in s.get("types") or []}))


def cluster_props(name: str, cluster: Mapping[str, Any]) -> ContainerCluster:
    """A DescribeCluster ``cluster`` as facts."""
    vpc = cluster.get("resourcesVpcConfig") or {}
    public = vpc.get("endpointPublicAccess")
    public = public if isinstance(public, bool) else None
    cidrs = vpc.get("publicAccessCidrs")
    blocks: tuple[str, ...] | None = tuple(cidrs) if cidrs is not None else None
    if public and blocks is None:
        blocks = ("0.0.0.0/0",)
    open_ = None if public is None else bool(public and netcoverage.is_internet(blocks or ()))
    logs = _log_types(cluster.get("logging") or {})
    key = _secrets_key(cluster.get("encryptionConfig"))
    return ContainerCluster(
        cluster_name=name,
        version=cluster.get("version"),
        secrets_encrypted=_covers(cluster),
        secrets_kms_key=key,
        public_endpoint=public,
        public_access_cidrs=blocks,
        public_endpoint_open=open_,
        audit_logging=None if logs is None else AUDIT in logs,
        log_types=logs,
    )


def unread(name: str) -> ContainerCluster:
    """The facts of a cluster that was listed but could not be described."""
    return ContainerCluster(name, None, None, None, None, None, None, None, None)


def _covers(cluster: Mapping[str, Any]) -> bool:
    return any(
        "secrets" in (e.get("resources") or []) for e in cluster.get("encryptionConfig") or []
    )


@collector(
    "eks",
    fanout=Fanout.REGION,
    produces=(ContainerCluster.KIND,),
    calls={
        "eks.ListClusters": "eks:ListClusters",
        "eks.DescribeCluster": "eks:DescribeCluster",
    },
)
def eks_clusters(task: AwsTask) -> list[Resource[ContainerCluster]]:
    """Every EKS cluster of the region."""
    eks = task.client("eks")
    names = task.paginate(eks, "list_clusters", "clusters") or []

    def build(name: str) -> Resource[ContainerCluster]:
        uid = f"arn:{task.partition}:eks:{task.region}:{task.account}:cluster/{name}"
        fetched = task.call(eks, "describe_cluster", resource_uid=uid, name=name)
        if not fetched.ok:
            # Listed but not described: every fact (and the tags) unknown, never "off".
            return task.resource(
                uid=uid,
                kind=ContainerCluster.KIND,
                native_type="AWS::EKS::Cluster",
                name=name,
                tags=None,
                props=unread(name),
            )
        cluster = fetched.get("cluster", {})
        return task.resource(
            uid=str(cluster.get("arn") or uid),
            kind=ContainerCluster.KIND,
            native_type="AWS::EKS::Cluster",
            name=name,
            tags=dict(cluster.get("tags") or {}),
            props=cluster_props(name, cluster),
        )

    return task.map(build, [str(n) for n in names])
