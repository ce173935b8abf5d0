"""Amazon Redshift provisioned clusters: encryption, exposure, TLS, audit logging, snapshots.

`require_ssl` lives in the cluster parameter group. Unlike RDS, every Redshift group
(``default.redshift-*`` included) can be read with DescribeClusterParameters and lists all
its parameters in one short page, so each distinct group is read once per region and its
actual value is used.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from providers.aws.rds_defaults import value_enforces_tls
from providers.aws.task import AwsTask, Fetched, tag_dict
from providers.base import Fanout, collector
from scanner.kinds.database import DatabaseWarehouse
from scanner.model import Resource

CLUSTER_TYPE = "AWS::Redshift::Cluster"
REQUIRE_SSL = "require_ssl"


def require_ssl_value(parameters: Sequence[Mapping[str, Any]]) -> str | None:
    """The `require_ssl` value in a DescribeClusterParameters answer (None if absent)."""
    for parameter in parameters:
        if parameter.get("ParameterName") == REQUIRE_SSL:
            value = parameter.get("ParameterValue")
            return None if value is None else str(value)
    return None


def logging_facts(fetched: Fetched) -> tuple[bool | None, str | None]:
    """(audit logging on, destination ``s3``/``cloudwatch``) from DescribeLoggingStatus."""
    if not fetched.ok:
        return None, None
    enabled = fetched.get("LoggingEnabled")
    if not isinstance(enabled, bool):
        return None, None
    if not enabled:
        return False, None
    # Older answers name only the bucket; the destination type came with CloudWatch support.
    destination = fetched.get("LogDestinationType") or ("s3" if fetched.get("BucketName") else None)
    return True, destination


def _group(raw: Mapping[str, Any]) -> str | None:
    groups = raw.get("ClusterParameterGroups") or [{}]
    name = groups[0].get("ParameterGroupName")
    return None if name is None else str(name)


@collector(
    "redshift",
    fanout=Fanout.REGION,
    produces=(DatabaseWarehouse.KIND,),
    calls={
        "redshift.DescribeClusters": "redshift:DescribeClusters",
        "redshift.DescribeClusterParameters": "redshift:DescribeClusterParameters",
        "redshift.DescribeLoggingStatus": "redshift:DescribeLoggingStatus",
    },
)
def redshift_clusters(task: AwsTask) -> Iterator[Resource[DatabaseWarehouse]]:
    """Every provisioned Redshift cluster in the region."""
    redshift = task.client("redshift")
    clusters = task.paginate(redshift, "describe_clusters", "Clusters") or []
    groups = sorted({g for c in clusters for g in [_group(c)] if g})

    def read_group(name: str) -> list[Any] | None:
        uid = f"arn:{task.partition}:redshift:{task.region}:{task.account}:parametergroup:{name}"
        return task.paginate(
            redshift,
            "describe_cluster_parameters",
            "Parameters",
            resource_uid=uid,
            ParameterGroupName=name,
        )

    parameters = dict(zip(groups, task.map(read_group, groups), strict=True))

    def build(raw: Mapping[str, Any]) -> Resource[DatabaseWarehouse]:
        ident = str(raw["ClusterIdentifier"])
        uid = f"arn:{task.partition}:redshift:{task.region}:{task.account}:cluster:{ident}"
        logging = task.call(
            redshift, "describe_logging_status", resource_uid=uid, ClusterIdentifier=ident
        )
        audit, destination = logging_facts(logging)
        group = _group(raw)
        listed = parameters.get(group) if group else None
        value = require_ssl_value(listed) if listed is not None else None
        retention = raw.get("AutomatedSnapshotRetentionPeriod")
        public = raw.get("PubliclyAccessible")
        encrypted = raw.get("Encrypted")
        return task.resource(
            uid=uid,
            kind=DatabaseWarehouse.KIND,
            native_type=CLUSTER_TYPE,
            name=ident,
            tags=tag_dict(raw.get("Tags")),
            props=DatabaseWarehouse(
                engine_version=raw.get("ClusterVersion"),
                encrypted_at_rest=encrypted if isinstance(encrypted, bool) else None,
                kms_key_id=raw.get("KmsKeyId"),
                publicly_accessible=public if isinstance(public, bool) else None,
                tls_enforced=value_enforces_tls(value),
                tls_parameter_value=value,
                parameter_group=group,
                audit_logging_enabled=audit,
                audit_log_destination=destination,
                backup_retention_days=retention if isinstance(retention, int) else None,
            ),
        )

    yield from task.map(build, clusters)
