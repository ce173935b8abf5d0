"""Amazon RDS: DB instances, DB clusters (Aurora and Multi-AZ) and manual snapshots.

Each custom parameter group is read once per region, however many databases use it, and
only for engines whose TLS parameter is known (`providers.aws.rds_defaults`). AWS-managed
``default.*`` groups are not read at all: they cannot be changed, so the engine's
documented default applies. Members of a cluster take the cluster-governed facts
(encryption, TLS, backups, availability, deletion protection, log exports) from their
cluster, because that is where RDS keeps those settings for them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from providers.aws import rds_defaults
from providers.aws.task import AwsTask, tag_dict
from providers.base import Fanout, collector
from scanner.kinds.database import DatabaseCluster, DatabaseInstance, DatabaseSnapshot
from scanner.model import Resource

INSTANCE_TYPE = "AWS::RDS::DBInstance"
CLUSTER_TYPE = "AWS::RDS::DBCluster"
SNAPSHOT_TYPE = "AWS::RDS::DBSnapshot"
CLUSTER_SNAPSHOT_TYPE = "AWS::RDS::DBClusterSnapshot"

Params = Mapping[str, str]


@dataclass(frozen=True)
class TlsReading:
    """How TLS enforcement was decided for one database."""

    enforced: bool | None
    parameter: str | None
    value: str | None
    source: str | None


def resolve_tls(
    engine: str | None, version: str | None, group: str | None, explicit: Params | None
) -> TlsReading:
    """Decide TLS enforcement from the parameter group and its explicitly set parameters.

    `explicit` holds the group's user-set parameters (`None` when they could not be read);
    a parameter the group never set, and every ``default.*`` group, take the engine default.
    """
    parameter = rds_defaults.tls_parameter(engine)
    if parameter is None or group is None:
        return TlsReading(None, parameter, None, None)
    if not rds_defaults.is_default_group(group):
        if explicit is None:
            return TlsReading(None, parameter, None, None)
        if parameter in explicit:
            value = explicit[parameter]
            return TlsReading(
                rds_defaults.value_enforces_tls(value), parameter, value, "parameter-group"
            )
    return TlsReading(
        rds_defaults.default_tls_enforced(engine, version), parameter, None, "engine-default"
    )


def restore_access(attributes: Sequence[Mapping[str, Any]]) -> tuple[bool, tuple[str, ...]]:
    """From snapshot attributes: (anyone may restore, other accounts that may restore)."""
    values: list[str] = []
    for attribute in attributes:
        if attribute.get("AttributeName") == "restore":
            values.extend(str(v) for v in attribute.get("AttributeValues") or [])
    return "all" in values, tuple(sorted(v for v in values if v != "all"))


def _needs_group(engine: str | None, group: str | None) -> bool:
    return (
        group is not None
        and not rds_defaults.is_default_group(group)
        and rds_defaults.tls_parameter(engine) is not None
    )


def _db_group(raw: Mapping[str, Any]) -> str | None:
    groups = raw.get("DBParameterGroups") or [{}]
    name = groups[0].get("DBParameterGroupName")
    return None if name is None else str(name)


def _opt_bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _opt_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _exports(raw: Mapping[str, Any]) -> tuple[str, ...]:
    # The API leaves the key out when nothing is exported: that is a definite "none".
    return tuple(sorted(str(e) for e in raw.get("EnabledCloudwatchLogsExports") or []))


@collector(
    "rds",
    fanout=Fanout.REGION,
    produces=(DatabaseCluster.KIND, DatabaseInstance.KIND),
    calls={
        "rds.DescribeDBInstances": "rds:DescribeDBInstances",
        "rds.DescribeDBClusters": "rds:DescribeDBClusters",
        "rds.DescribeDBParameters": "rds:DescribeDBParameters",
        "rds.DescribeDBClusterParameters": "rds:DescribeDBClusterParameters",
    },
)
def rds_databases(task: AwsTask) -> Iterator[Resource[Any]]:
    """Every DB cluster and DB instance in the region, with TLS read from parameter groups."""
    rds = task.client("rds")
    clusters = task.paginate(rds, "describe_db_clusters", "DBClusters")
    instances = task.paginate(rds, "describe_db_instances", "DBInstances") or []
    arns = {
        str(i["DBInstanceIdentifier"]): str(i["DBInstanceArn"])
        for i in instances
        if i.get("DBInstanceArn")
    }

    cluster_groups = sorted(
        {
            str(c["DBClusterParameterGroup"])
            for c in clusters or []
            if _needs_group(c.get("Engine"), c.get("DBClusterParameterGroup"))
        }
    )
    cluster_params = _read_groups(task, rds, cluster_groups, cluster=True)
    built: dict[str, Resource[DatabaseCluster]] = {}
    for raw in clusters or []:
        resource = _cluster(task, raw, cluster_params, arns)
        built[str(raw["DBClusterIdentifier"])] = resource
        yield resource

    db_groups = sorted(
        {
            g
            for i in instances
            if not i.get("DBClusterIdentifier")
            for g in [_db_group(i)]
            if g and _needs_group(i.get("Engine"), g)
        }
    )
    db_params = _read_groups(task, rds, db_groups, cluster=False)
    for raw in instances:
        yield _instance(task, raw, built, db_params)


def _read_groups(
    task: AwsTask, rds: Any, names: Sequence[str], *, cluster: bool
) -> dict[str, Params | None]:
    read = task.map(lambda name: _read_params(task, rds, name, cluster=cluster), names)
    return dict(zip(names, read, strict=True))


def _read_params(task: AwsTask, rds: Any, name: str, *, cluster: bool) -> Params | None:
    # Source="user" returns only what the group sets explicitly (one short page); anything
    # else is the engine default, which `rds_defaults` knows.
    method, group_param, arn_type = (
        ("describe_db_cluster_parameters", "DBClusterParameterGroupName", "cluster-pg")
        if cluster
        else ("describe_db_parameters", "DBParameterGroupName", "pg")
    )
    items = task.paginate(
        rds,
        method,
        "Parameters",
        resource_uid=_arn(task, arn_type, name),
        Source="user",
        **{group_param: name},
    )
    if items is None:
        return None
    return {
        str(p["ParameterName"]): str(p["ParameterValue"])
        for p in items
        if "ParameterName" in p and p.get("ParameterValue") is not None
    }


def _arn(task: AwsTask, kind: str, name: str) -> str:
    return f"arn:{task.partition}:rds:{task.region}:{task.account}:{kind}:{name}"


def _cluster(
    task: AwsTask,
    raw: Mapping[str, Any],
    params: Mapping[str, Params | None],
    arns: Mapping[str, str],
) -> Resource[DatabaseCluster]:
    engine = raw.get("Engine")
    group = raw.get("DBClusterParameterGroup")
    tls = resolve_tls(engine, raw.get("EngineVersion"), group, params.get(group or ""))
    members = tuple(
        sorted(
            arns.get(ident) or _arn(task, "db", ident)
            for m in raw.get("DBClusterMembers") or []
            for ident in [str(m["DBInstanceIdentifier"])]
        )
    )
    ident = str(raw["DBClusterIdentifier"])
    return task.resource(
        uid=str(raw.get("DBClusterArn") or _arn(task, "cluster", ident)),
        kind=DatabaseCluster.KIND,
        native_type=CLUSTER_TYPE,
        name=ident,
        tags=tag_dict(raw.get("TagList")),
        props=DatabaseCluster(
            **_own_settings(raw, group, tls, params.get(group or "")), member_uids=members
        ),
    )


def _instance(
    task: AwsTask,
    raw: Mapping[str, Any],
    clusters: Mapping[str, Resource[DatabaseCluster]],
    params: Mapping[str, Params | None],
) -> Resource[DatabaseInstance]:
    ident = str(raw["DBInstanceIdentifier"])
    engine, version = raw.get("Engine"), raw.get("EngineVersion")
    # moto (and only moto) leaves PubliclyAccessible out when it was not given: unknown.
    public = _opt_bool(raw.get("PubliclyAccessible"))
    cluster_id = raw.get("DBClusterIdentifier")
    if cluster_id:
        props = _member_facts(
            engine,
            version,
            public,
            clusters.get(str(cluster_id)),
            _arn(task, "cluster", str(cluster_id)),
        )
    else:
        props = _standalone_facts(raw, public, params)
    return task.resource(
        uid=str(raw.get("DBInstanceArn") or _arn(task, "db", ident)),
        kind=DatabaseInstance.KIND,
        native_type=INSTANCE_TYPE,
        name=ident,
        tags=tag_dict(raw.get("TagList")),
        props=props,
    )


def _standalone_facts(
    raw: Mapping[str, Any], public: bool | None, params: Mapping[str, Params | None]
) -> DatabaseInstance:
    engine, version = raw.get("Engine"), raw.get("EngineVersion")
    group = _db_group(raw)
    tls = resolve_tls(engine, version, group, params.get(group or ""))
    status = (raw.get("DBParameterGroups") or [{}])[0].get("ParameterApplyStatus")
    if status and status != "in-sync" and tls.source == "parameter-group":
        # Set in the group but not yet applied (a static parameter awaiting a reboot): the
        # value in force is the previous one, which nothing here records.
        tls = TlsReading(None, tls.parameter, tls.value, "parameter-group-pending")
    # A read replica names its source by identifier (same region) or ARN (cross-region).
    source = raw.get("ReadReplicaSourceDBInstanceIdentifier") or raw.get(
        "ReadReplicaSourceDBClusterIdentifier"
    )
    return DatabaseInstance(
        **_own_settings(raw, group, tls, params.get(group or "")),
        publicly_accessible=public,
        replica_source=str(source) if source else None,
        parameter_apply_status=str(status) if status else None,
    )


def _own_settings(
    raw: Mapping[str, Any], group: str | None, tls: TlsReading, explicit: Params | None
) -> dict[str, Any]:
    # The fields a cluster and a standalone instance both read from their own Describe entry.
    engine = raw.get("Engine")
    exports = _exports(raw)
    audit_on = rds_defaults.audit_switch_on(engine, group, explicit)
    return {
        "engine": engine,
        "engine_version": raw.get("EngineVersion"),
        "encrypted_at_rest": _opt_bool(raw.get("StorageEncrypted")),
        "kms_key_id": raw.get("KmsKeyId"),
        "tls_enforced": tls.enforced,
        "tls_parameter": tls.parameter,
        "tls_parameter_value": tls.value,
        "tls_source": tls.source,
        "parameter_group": group,
        "backup_retention_days": _opt_int(raw.get("BackupRetentionPeriod")),
        "high_availability": _opt_bool(raw.get("MultiAZ")),
        "deletion_protection": _opt_bool(raw.get("DeletionProtection")),
        "log_exports": exports,
        "audit_log_exports": rds_defaults.audit_log_exports(engine, exports, audit_on),
        "audit_log_undecided": rds_defaults.audit_log_undecided(engine, exports, audit_on),
    }


# The instance fields an Aurora member takes from its cluster.
_CLUSTER_GOVERNED = (
    "encrypted_at_rest",
    "kms_key_id",
    "tls_enforced",
    "tls_parameter",
    "tls_parameter_value",
    "tls_source",
    "parameter_group",
    "backup_retention_days",
    "high_availability",
    "deletion_protection",
    "log_exports",
    "audit_log_exports",
    "audit_log_undecided",
)


def _member_facts(
    engine: str | None,
    version: str | None,
    public: bool | None,
    cluster: Resource[DatabaseCluster] | None,
    cluster_arn: str,
) -> DatabaseInstance:
    # The instance-level fields of an Aurora member (MultiAZ false, DeletionProtection
    # false, no log exports) do not describe it: its cluster's settings do.
    if cluster is None:
        # The clusters could not be listed (a gap) or the member's cluster vanished
        # between the two calls: the cluster-governed facts are unknown.
        governed: dict[str, Any] = dict.fromkeys(_CLUSTER_GOVERNED)
        governed["tls_parameter"] = rds_defaults.tls_parameter(engine)
    else:
        governed = {name: getattr(cluster.props, name) for name in _CLUSTER_GOVERNED}
    return DatabaseInstance(
        engine=engine,
        engine_version=version,
        publicly_accessible=public,
        cluster_uid=cluster_arn if cluster is None else cluster.uid,
        **governed,
    )


@collector(
    "rds",
    fanout=Fanout.REGION,
    produces=(DatabaseSnapshot.KIND,),
    calls={
        "rds.DescribeDBSnapshots": "rds:DescribeDBSnapshots",
        "rds.DescribeDBSnapshotAttributes": "rds:DescribeDBSnapshotAttributes",
        "rds.DescribeDBClusterSnapshots": "rds:DescribeDBClusterSnapshots",
        "rds.DescribeDBClusterSnapshotAttributes": "rds:DescribeDBClusterSnapshotAttributes",
    },
)
def rds_snapshots(task: AwsTask) -> Iterator[Resource[Any]]:
    """Every manual DB and DB cluster snapshot the account owns, with who may restore it."""
    rds = task.client("rds")
    # Automated snapshots cannot be shared, and "shared" ones belong to other accounts.
    db_snaps = (
        task.paginate(rds, "describe_db_snapshots", "DBSnapshots", SnapshotType="manual") or []
    )
    yield from task.map(lambda raw: _snapshot(task, rds, _DB_SNAPSHOT, raw), db_snaps)
    cluster_snaps = (
        task.paginate(
            rds, "describe_db_cluster_snapshots", "DBClusterSnapshots", SnapshotType="manual"
        )
        or []
    )
    yield from task.map(lambda raw: _snapshot(task, rds, _CLUSTER_SNAPSHOT, raw), cluster_snaps)


@dataclass(frozen=True)
class _SnapshotApi:
    """The names one kind of RDS snapshot (DB or DB cluster) uses in its API answers."""

    ident_key: str
    arn_key: str
    arn_type: str
    attributes_method: str
    result_key: str
    attributes_key: str
    source_key: str
    source_arn_type: str
    encrypted_key: str
    native_type: str
    cluster: bool


_DB_SNAPSHOT = _SnapshotApi(
    ident_key="DBSnapshotIdentifier",
    arn_key="DBSnapshotArn",
    arn_type="snapshot",
    attributes_method="describe_db_snapshot_attributes",
    result_key="DBSnapshotAttributesResult",
    attributes_key="DBSnapshotAttributes",
    source_key="DBInstanceIdentifier",
    source_arn_type="db",
    encrypted_key="Encrypted",
    native_type=SNAPSHOT_TYPE,
    cluster=False,
)
_CLUSTER_SNAPSHOT = _SnapshotApi(
    ident_key="DBClusterSnapshotIdentifier",
    arn_key="DBClusterSnapshotArn",
    arn_type="cluster-snapshot",
    attributes_method="describe_db_cluster_snapshot_attributes",
    result_key="DBClusterSnapshotAttributesResult",
    attributes_key="DBClusterSnapshotAttributes",
    source_key="DBClusterIdentifier",
    source_arn_type="cluster",
    encrypted_key="StorageEncrypted",
    native_type=CLUSTER_SNAPSHOT_TYPE,
    cluster=True,
)


def _snapshot(
    task: AwsTask, rds: Any, api: _SnapshotApi, raw: Mapping[str, Any]
) -> Resource[DatabaseSnapshot]:
    ident = str(raw[api.ident_key])
    uid = str(raw.get(api.arn_key) or _arn(task, api.arn_type, ident))
    fetched = task.call(rds, api.attributes_method, resource_uid=uid, **{api.ident_key: ident})
    result = fetched.get(api.result_key)
    read = fetched.ok and isinstance(result, Mapping)
    if fetched.ok and not read:
        # An answer without its result block says nothing about sharing: unknown, not private.
        operation = str(rds.meta.method_to_api_mapping[api.attributes_method])
        task.gap(operation, "MalformedResponse", f"no {api.result_key} in the answer", uid)
    public, shared = restore_access((result.get(api.attributes_key) or []) if read else [])
    source = raw.get(api.source_key)
    return task.resource(
        uid=uid,
        kind=DatabaseSnapshot.KIND,
        native_type=api.native_type,
        name=ident,
        tags=tag_dict(raw.get("TagList")),
        props=DatabaseSnapshot(
            engine=raw.get("Engine"),
            source_uid=_arn(task, api.source_arn_type, str(source)) if source else None,
            encrypted_at_rest=_opt_bool(raw.get(api.encrypted_key)),
            kms_key_id=raw.get("KmsKeyId"),
            public=public if read else None,
            shared_with=shared if read else None,
            cluster_snapshot=api.cluster,
        ),
    )
