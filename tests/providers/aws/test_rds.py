"""RDS collectors under moto: instances, Aurora clusters, snapshots, TLS via parameter groups.

moto limits worked around here (see notes/test-harness.md section 1):
* DescribeEngineDefaultParameters is not implemented and `default.*` groups do not exist in
  moto, so instances on default groups are judged from `providers/aws/rds_defaults.py`; the
  collector never reads a default group, which the call counts below prove.
* moto ignores DescribeDBParameters' `Source` filter (it returns every set parameter);
  the collector's result is the same either way for groups seeded here.
* moto leaves PubliclyAccessible out when it is not given: the fact is then None (UNKNOWN).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.aws import rds_defaults
from providers.aws.services.rds import _standalone_facts, resolve_tls, restore_access
from providers.base import CallCounter
from rules import load_rules
from scanner.engine import scope_uid
from scanner.model import Snapshot
from scanner.snapshot import snapshot_from_dict, snapshot_to_dict
from tests.providers.aws.helpers import ACCOUNT, by_uid, failing, outcomes, scan

US, EU = "us-east-1", "eu-west-1"
RULES = (
    "EAR-DB-01", "EIT-DB-01", "PUB-DB-01", "BAK-DB-01", "BAK-DB-02", "BAK-DB-03", "LOG-DB-01",
    "EAR-DBSNAPSHOT-01", "PUB-DBSNAPSHOT-01",
)  # fmt: skip
DB_RULES = RULES[:7]
# Clusters are judged by the instance rules of the same control (0.1.0 had *-DBCLUSTER-* rules).
CLUSTER_RULES = ("EAR-DB-01", "EIT-DB-01", "BAK-DB-01", "BAK-DB-02", "BAK-DB-03", "LOG-DB-01")
SNAPSHOT_RULES = RULES[7:]
P, F, U = "PASS", "FAIL", "UNKNOWN"


def db(region: str, name: str) -> str:
    """The ARN of a DB instance."""
    return f"arn:aws:rds:{region}:{ACCOUNT}:db:{name}"


def cluster(region: str, name: str) -> str:
    """The ARN of a DB cluster."""
    return f"arn:aws:rds:{region}:{ACCOUNT}:cluster:{name}"


def snap(region: str, name: str) -> str:
    """The ARN of a DB snapshot."""
    return f"arn:aws:rds:{region}:{ACCOUNT}:snapshot:{name}"


def _group(rds: Any, name: str, family: str, param: str | None, value: str) -> None:
    rds.create_db_parameter_group(
        DBParameterGroupName=name, DBParameterGroupFamily=family, Description=name
    )
    if param:
        rds.modify_db_parameter_group(
            DBParameterGroupName=name,
            Parameters=[
                {"ParameterName": param, "ParameterValue": value, "ApplyMethod": "pending-reboot"}
            ],
        )


def _instance(rds: Any, name: str, engine: str, version: str, **extra: Any) -> None:
    rds.create_db_instance(
        DBInstanceIdentifier=name, DBInstanceClass="db.t3.micro", Engine=engine,
        EngineVersion=version, MasterUsername="admin", MasterUserPassword="not-a-secret-1",
        AllocatedStorage=20, **extra)  # fmt: skip


GOOD = {"StorageEncrypted": True, "PubliclyAccessible": False, "BackupRetentionPeriod": 7,
        "MultiAZ": True, "DeletionProtection": True}  # fmt: skip


def seed() -> None:
    """The estate: decoys that must pass next to instances that must fail, in two regions."""
    us = boto3.client("rds", US)
    _group(us, "pg14-tls", "postgres14", "rds.force_ssl", "1")
    _group(us, "pg14-plain", "postgres14", "log_connections", "1")  # TLS never set
    _group(us, "mysql-tls", "mysql8.0", "require_secure_transport", "1")
    _instance(
        us,
        "pg-good",
        "postgres",
        "14.7",
        DBParameterGroupName="pg14-tls",
        EnableCloudwatchLogsExports=["postgresql", "upgrade"],
        Tags=[{"Key": "phi", "Value": "yes"}],
        **GOOD,
    )
    _instance(
        us,
        "pg-good-2",
        "postgres",
        "14.7",
        DBParameterGroupName="pg14-tls",
        EnableCloudwatchLogsExports=["postgresql"],
        **GOOD,
    )
    _instance(
        us,
        "pg-plain",
        "postgres",
        "14.7",
        DBParameterGroupName="pg14-plain",
        EnableCloudwatchLogsExports=["upgrade"],
        StorageEncrypted=True,
        PubliclyAccessible=False,
        BackupRetentionPeriod=3,
    )
    _instance(
        us,
        "mysql-good",
        "mysql",
        "8.0.35",
        DBParameterGroupName="mysql-tls",
        EnableCloudwatchLogsExports=["audit", "error"],
        **GOOD,
    )
    _instance(
        us, "pg-default", "postgres", "14.7", PubliclyAccessible=True, BackupRetentionPeriod=0
    )
    # PostgreSQL 15+ defaults rds.force_ssl to 1: a default group passes; no
    # PubliclyAccessible given, so moto reports none (unknown).
    _instance(
        us, "pg16-default", "postgres", "16.1", StorageEncrypted=True, BackupRetentionPeriod=7
    )

    us.create_db_cluster_parameter_group(
        DBClusterParameterGroupName="aurora-tls", DBParameterGroupFamily="aurora-mysql8.0",
        Description="tls")  # fmt: skip
    us.modify_db_cluster_parameter_group(DBClusterParameterGroupName="aurora-tls", Parameters=[
        {"ParameterName": "require_secure_transport", "ParameterValue": "ON",
         "ApplyMethod": "immediate"}])  # fmt: skip
    us.create_db_cluster(
        DBClusterIdentifier="aurora-good", Engine="aurora-mysql",
        EngineVersion="8.0.mysql_aurora.3.04.0", MasterUsername="admin",
        MasterUserPassword="not-a-secret-1", StorageEncrypted=True,
        DBClusterParameterGroupName="aurora-tls", DeletionProtection=True,
        BackupRetentionPeriod=7, EnableCloudwatchLogsExports=["audit"])  # fmt: skip
    us.create_db_instance(
        DBInstanceIdentifier="aurora-good-1",
        DBInstanceClass="db.r6g.large",
        Engine="aurora-mysql",
        DBClusterIdentifier="aurora-good",
        PubliclyAccessible=False,
    )
    us.create_db_cluster(
        DBClusterIdentifier="aurora-bad", Engine="aurora-postgresql", EngineVersion="15.4",
        MasterUsername="admin", MasterUserPassword="not-a-secret-1")  # fmt: skip

    us.create_db_snapshot(DBSnapshotIdentifier="pg-good-private", DBInstanceIdentifier="pg-good")
    us.create_db_snapshot(DBSnapshotIdentifier="pg-good-shared", DBInstanceIdentifier="pg-good")
    us.modify_db_snapshot_attribute(
        DBSnapshotIdentifier="pg-good-shared", AttributeName="restore", ValuesToAdd=["111122223333"]
    )
    us.create_db_snapshot(
        DBSnapshotIdentifier="pg-default-public", DBInstanceIdentifier="pg-default"
    )
    us.modify_db_snapshot_attribute(
        DBSnapshotIdentifier="pg-default-public", AttributeName="restore", ValuesToAdd=["all"]
    )
    us.create_db_cluster_snapshot(
        DBClusterSnapshotIdentifier="aurora-good-snap", DBClusterIdentifier="aurora-good"
    )

    eu = boto3.client("rds", EU)
    _group(eu, "pg14-tls", "postgres14", "rds.force_ssl", "1")  # same name, other region
    _instance(
        eu,
        "eu-pg-tls",
        "postgres",
        "14.7",
        DBParameterGroupName="pg14-tls",
        EnableCloudwatchLogsExports=["postgresql"],
        **GOOD,
    )
    _instance(
        eu,
        "eu-mysql-default",
        "mysql",
        "8.0.35",
        StorageEncrypted=True,
        PubliclyAccessible=False,
        BackupRetentionPeriod=7,
        EnableCloudwatchLogsExports=["general"],
    )
    eu.create_db_snapshot(DBSnapshotIdentifier="eu-public", DBInstanceIdentifier="eu-pg-tls")
    eu.modify_db_snapshot_attribute(
        DBSnapshotIdentifier="eu-public", AttributeName="restore", ValuesToAdd=["all"]
    )


@pytest.fixture
def estate() -> Iterator[None]:
    """A seeded moto account, active for the test."""
    with mock_aws():
        seed()
        yield


def _expected_instances() -> set[tuple[str, str, str]]:
    statuses = {
        # EAR  EIT  PUB  BAK1 BAK2 BAK3 LOG
        db(US, "pg-good"): (P, P, P, P, P, P, P),
        db(US, "pg-good-2"): (P, P, P, P, P, P, P),
        db(US, "pg-plain"): (P, F, P, F, F, F, F),
        db(US, "mysql-good"): (P, P, P, P, P, P, P),
        db(US, "pg-default"): (F, F, F, F, F, F, F),
        db(US, "pg16-default"): (P, P, U, P, F, F, F),
        # Aurora member: every fact but PubliclyAccessible is its cluster's; moto's Aurora
        # cluster with one instance reports MultiAZ false.
        db(US, "aurora-good-1"): (P, P, P, P, F, P, P),
        db(EU, "eu-pg-tls"): (P, P, P, P, P, P, P),
        db(EU, "eu-mysql-default"): (P, F, P, P, F, F, P),
    }
    return {
        (rule, uid, s)
        for uid, row in statuses.items()
        for rule, s in zip(DB_RULES, row, strict=True)
    }


def _expected_clusters() -> set[tuple[str, str, str]]:
    statuses = {
        # EAR  EIT  BAK1 BAK2 BAK3 LOG
        cluster(US, "aurora-good"): (P, P, P, F, P, P),
        # Aurora PostgreSQL on its default cluster group: rds.force_ssl defaults to 0.
        cluster(US, "aurora-bad"): (F, F, F, F, F, F),
    }
    return {
        (rule, uid, s)
        for uid, row in statuses.items()
        for rule, s in zip(CLUSTER_RULES, row, strict=True)
    }


def _expected_snapshots() -> set[tuple[str, str, str]]:
    cluster_snap = f"arn:aws:rds:{US}:{ACCOUNT}:cluster-snapshot:aurora-good-snap"
    statuses = {
        # EAR  PUB
        snap(US, "pg-good-private"): (P, P),
        snap(US, "pg-good-shared"): (P, P),
        snap(US, "pg-default-public"): (F, F),
        snap(EU, "eu-public"): (P, F),
        cluster_snap: (P, P),
    }
    return {
        (rule, uid, s)
        for uid, row in statuses.items()
        for rule, s in zip(SNAPSHOT_RULES, row, strict=True)
    }


def test_exact_outcomes_in_both_regions(estate: None) -> None:
    """Every rule gives exactly the expected status on every database resource."""
    snapshot = scan(["rds"])
    assert snapshot.gaps == ()
    expected = _expected_instances() | _expected_clusters() | _expected_snapshots()
    assert outcomes(snapshot, RULES) == expected


def test_facts(estate: None) -> None:
    """The facts carry the values and the provenance of the TLS decision."""
    snapshot = scan(["rds"])
    instances = by_uid(snapshot, "database.instance")
    good = instances[db(US, "pg-good")]
    assert good.native_type == "AWS::RDS::DBInstance"
    assert good.region == US and good.name == "pg-good" and good.tags == {"phi": "yes"}
    assert good.props.tls_enforced is True
    assert good.props.tls_source == "parameter-group"
    assert good.props.tls_parameter == "rds.force_ssl"
    assert good.props.tls_parameter_value == "1"
    assert good.props.audit_log_exports == ("postgresql",)
    assert good.props.log_exports == ("postgresql", "upgrade")
    default = instances[db(US, "pg-default")].props
    assert default.parameter_group.startswith("default.")
    assert (default.tls_enforced, default.tls_source) == (False, "engine-default")
    assert default.backup_retention_days == 0
    pg16 = instances[db(US, "pg16-default")].props
    assert (pg16.tls_enforced, pg16.publicly_accessible) == (True, None)
    plain = instances[db(US, "pg-plain")].props
    assert (plain.tls_enforced, plain.tls_source) == (False, "engine-default")
    member = instances[db(US, "aurora-good-1")].props
    assert member.cluster_uid == cluster(US, "aurora-good")
    assert member.deletion_protection is True  # the cluster's, not the instance's False
    assert member.tls_parameter_value == "ON"
    clusters = by_uid(snapshot, "database.cluster")
    assert clusters[cluster(US, "aurora-good")].props.member_uids == (db(US, "aurora-good-1"),)
    snapshots = by_uid(snapshot, "database.snapshot")
    assert snapshots[snap(US, "pg-good-shared")].props.shared_with == ("111122223333",)
    assert snapshots[snap(US, "pg-good-shared")].props.source_uid == db(US, "pg-good")
    cluster_snap = f"arn:aws:rds:{US}:{ACCOUNT}:cluster-snapshot:aurora-good-snap"
    assert snapshots[cluster_snap].native_type == "AWS::RDS::DBClusterSnapshot"
    assert snapshots[cluster_snap].props.cluster_snapshot is True
    # Only manual snapshots: moto also keeps automated ones, which must not appear.
    assert len(snapshots) == 5


def test_parameter_read_denied_makes_only_tls_unknown(estate: None) -> None:
    """AccessDenied on DescribeDBParameters: TLS unknown where a custom group decides it."""
    with failing("rds.DescribeDBParameters"):
        snapshot = scan(["rds"])
    denied = {g.resource_uid for g in snapshot.gaps if g.operation == "DescribeDBParameters"}
    assert denied == {
        f"arn:aws:rds:{US}:{ACCOUNT}:pg:pg14-tls", f"arn:aws:rds:{US}:{ACCOUNT}:pg:pg14-plain",
        f"arn:aws:rds:{US}:{ACCOUNT}:pg:mysql-tls", f"arn:aws:rds:{EU}:{ACCOUNT}:pg:pg14-tls",
    }  # fmt: skip
    assert all(g.error_code == "AccessDenied" for g in snapshot.gaps)
    instances = by_uid(snapshot, "database.instance")
    assert instances[db(US, "pg-good")].props.tls_enforced is None
    custom = {db(US, n) for n in ("pg-good", "pg-good-2", "pg-plain", "mysql-good")}
    custom.add(db(EU, "eu-pg-tls"))
    expected = {
        (rule, uid, U if rule == "EIT-DB-01" and uid in custom else status)
        for rule, uid, status in _expected_instances()
    }
    # Cluster parameters are a different call: the clusters are still judged.
    assert outcomes(snapshot, DB_RULES) == expected | _expected_clusters()


def test_cluster_list_denied_makes_member_facts_unknown(estate: None) -> None:
    """Without the cluster list, an Aurora member's cluster-governed facts are unknown."""
    with failing("rds.DescribeDBClusters"):
        snapshot = scan(["rds"])
    assert {(g.region, g.operation) for g in snapshot.gaps} == {
        (US, "DescribeDBClusters"), (EU, "DescribeDBClusters")}  # fmt: skip
    assert by_uid(snapshot, "database.cluster") == {}
    member = db(US, "aurora-good-1")
    got = {(r, s) for r, uid, s in outcomes(snapshot, DB_RULES) if uid == member}
    assert got == {(r, P if r == "PUB-DB-01" else U) for r in DB_RULES}
    others = {t for t in _expected_instances() if t[1] != member}
    # The clusters themselves could not be listed: every rule over clusters is UNKNOWN for
    # each region's cluster scope (the instance rules judge clusters too).
    cluster_rules = {
        r.id for r in load_rules() if r.id in DB_RULES and "database.cluster" in r.meta.kinds
    }
    others |= {
        (r, scope_uid("aws", ACCOUNT, region, "database.cluster"), U)
        for r in cluster_rules
        for region in (US, EU)
    }
    assert {t for t in outcomes(snapshot, DB_RULES) if t[1] != member} == others


def test_snapshot_attributes_denied(estate: None) -> None:
    """AccessDenied on snapshot attributes: exposure unknown, encryption still judged."""
    with failing("rds.DescribeDBSnapshotAttributes"):
        snapshot = scan(["rds"])
    assert len([g for g in snapshot.gaps if g.operation == "DescribeDBSnapshotAttributes"]) == 4
    expected = {
        (rule, uid, U if rule == "PUB-DBSNAPSHOT-01" and ":snapshot:" in uid else status)
        for rule, uid, status in _expected_snapshots()
    }
    assert outcomes(snapshot, SNAPSHOT_RULES) == expected


def test_call_counts(estate: None) -> None:
    """Lists once per region; each custom group and each manual snapshot read exactly once."""
    counter = CallCounter()
    snapshot: Snapshot = scan(["rds"], counter=counter)
    assert snapshot.gaps == ()
    counts = counter.counts
    for operation in (
        "DescribeDBInstances",
        "DescribeDBClusters",
        "DescribeDBSnapshots",
        "DescribeDBClusterSnapshots",
    ):
        assert counts[f"rds.{operation}"] == 2, operation
    # pg14-tls (used twice), pg14-plain, mysql-tls in us-east-1; pg14-tls in eu-west-1.
    # Never a default.* group, never an Aurora member's instance group.
    assert counts["rds.DescribeDBParameters"] == 4
    assert counts["rds.DescribeDBClusterParameters"] == 1  # aurora-bad uses a default group
    assert counts["rds.DescribeDBSnapshotAttributes"] == 4
    assert counts["rds.DescribeDBClusterSnapshotAttributes"] == 1
    assert counter.total == sum(counts[k] for k in counts if k.startswith("rds.")) + 1


@pytest.mark.parametrize(("engine", "version", "expected"), [
    ("postgres", "14.7", False),
    ("postgres", "15.2", True),
    ("postgres", "16.1", True),
    ("aurora-postgresql", "16.4", False),
    ("aurora-postgresql", "17.1", None),
    ("mysql", "8.0.35", False),
    # Item 20: the newest majors, as the RDS User Guide documents them, and majors it does
    # not name (UNKNOWN, never a guessed FAIL).
    ("mysql", "8.4.3", False),
    ("mysql", "9.7.0", True),
    ("mysql", "9.1.0", None),
    ("mysql", "10.0.1", None),
    ("mariadb", "10.11.5", False),
    ("mariadb", "11.4.4", False),
    ("mariadb", "11.8.1", True),
    ("mariadb", "12.0.2", None),
    ("aurora-mysql", "8.0.mysql_aurora.3.04.0", False),
    ("aurora", "5.6.10a", False),
    ("sqlserver-se", "15.00.4073.23.v1", False),
    ("oracle-ee", "19.0.0.0.ru-2023-04.rur-2023-04.r1", None),
    ("db2-se", "11.5.9.0.sb00000000.r1", None),
    ("postgres", None, None),
    ("postgres", "weird", None),
])  # fmt: skip
def test_engine_defaults(engine: str, version: str | None, expected: bool | None) -> None:
    """The default table is version-aware and says None for what it does not know."""
    assert rds_defaults.default_tls_enforced(engine, version) is expected


def test_tls_parameter_names_and_values() -> None:
    """Each engine family maps to its parameter; values parse case-insensitively."""
    assert rds_defaults.tls_parameter("sqlserver-ee") == "rds.force_ssl"
    assert rds_defaults.tls_parameter("mariadb") == "require_secure_transport"
    assert rds_defaults.tls_parameter("oracle-se2") is None
    assert [rds_defaults.value_enforces_tls(v) for v in ("1", "ON", "on", "TRUE")] == [True] * 4
    assert [rds_defaults.value_enforces_tls(v) for v in ("0", "OFF", "false")] == [False] * 3
    assert rds_defaults.value_enforces_tls("{DBInstanceClassMemory}") is None
    assert rds_defaults.value_enforces_tls(None) is None


def test_resolve_tls() -> None:
    """Explicit settings win; unset ones and default groups take the engine default."""
    explicit = resolve_tls("postgres", "16.1", "custom", {"rds.force_ssl": "0"})
    assert (explicit.enforced, explicit.value, explicit.source) == (False, "0", "parameter-group")
    unset = resolve_tls("postgres", "16.1", "custom", {"work_mem": "4096"})
    assert (unset.enforced, unset.source) == (True, "engine-default")
    default = resolve_tls("mysql", "8.0.35", "default.mysql8.0", None)
    assert (default.enforced, default.source) == (False, "engine-default")
    unread = resolve_tls("mysql", "8.0.35", "custom", None)
    assert (unread.enforced, unread.parameter, unread.source) == (
        None, "require_secure_transport", None)  # fmt: skip
    oracle = resolve_tls("oracle-ee", "19.0", "custom", {})
    assert (oracle.enforced, oracle.parameter) == (None, None)


def test_restore_access() -> None:
    """`all` means public; other values are the accounts it is shared with."""
    public, shared = restore_access([
        {"AttributeName": "restore", "AttributeValues": ["222233334444", "all"]},
        {"AttributeName": "other", "AttributeValues": ["all"]},
    ])  # fmt: skip
    assert (public, shared) == (True, ("222233334444",))
    assert restore_access([{"AttributeName": "restore", "AttributeValues": []}]) == (False, ())
    assert restore_access([]) == (False, ())


def test_audit_log_exports() -> None:
    """Only access-recording log types count; an unknown engine's exports count for none."""
    assert rds_defaults.audit_log_exports("mysql", ("error", "slowquery")) == ()
    assert rds_defaults.audit_log_exports("mariadb", ("audit", "error")) == ("audit",)
    # Item 13: SQL Server's error/agent logs and Db2's diagnostics record no access.
    assert rds_defaults.audit_log_exports("sqlserver-ex", ("agent", "error")) == ()
    assert rds_defaults.audit_log_exports("db2-se", ("diag.log", "notify.log")) == ()
    assert rds_defaults.audit_log_exports("newdb", ("general",)) == ()


@pytest.mark.parametrize(
    ("engine", "exports", "undecided"),
    [
        ("sqlserver-ee", ("error",), "SQLSERVER_AUDIT"),  # the reported spelling
        ("sqlserver-ex", ("agent", "error"), "SQLSERVER_AUDIT"),
        ("sqlserver-web", (), "SQLSERVER_AUDIT"),
        ("db2-ae", ("diag.log",), "DB2_AUDIT"),
        ("newdb", ("general",), "not known"),
        # Near misses: known engines decide by their exports; unknown with nothing exported.
        ("mysql", ("error",), None),
        ("postgres", (), None),
        ("newdb", (), None),
    ],
)
def test_audit_log_undecided(engine: str, exports: tuple[str, ...], undecided: str | None) -> None:
    found = rds_defaults.audit_log_undecided(engine, exports)
    assert (found is None) if undecided is None else (undecided in (found or ""))


def test_snapshot_round_trip(estate: None) -> None:
    """Every database fact survives the snapshot's JSON form unchanged."""
    snapshot = scan(["rds"])
    again = snapshot_from_dict(json.loads(json.dumps(snapshot_to_dict(snapshot))), "test")
    assert again.resources == snapshot.resources
    assert {r.kind for r in again.resources} == {
        "database.instance", "database.cluster", "database.snapshot"}  # fmt: skip


def test_read_replicas_are_not_judged_on_backup_retention() -> None:
    """Item 15: replicas cannot keep automated backups; their source is judged instead."""
    with mock_aws():
        rds = boto3.client("rds", "us-east-1")
        for ident, engine, retention in (
            ("pg-source", "postgres", 7),
            ("my-source", "mysql", 7),
            ("pg-no-backup", "postgres", 0),
        ):
            rds.create_db_instance(
                DBInstanceIdentifier=ident,
                Engine=engine,
                DBInstanceClass="db.t3.micro",
                AllocatedStorage=20,
                MasterUsername="admin",
                MasterUserPassword="Passw0rd-demo",
                BackupRetentionPeriod=retention,
            )
        rds.create_db_instance_read_replica(
            DBInstanceIdentifier="pg-replica", SourceDBInstanceIdentifier="pg-source"
        )
        rds.create_db_instance_read_replica(
            DBInstanceIdentifier="my-replica", SourceDBInstanceIdentifier="my-source"
        )
        snapshot = scan(["rds"], ["us-east-1"])
    db = f"arn:aws:rds:us-east-1:{ACCOUNT}:db"
    assert outcomes(snapshot, ["BAK-DB-01"]) == {
        ("BAK-DB-01", f"{db}:pg-source", "PASS"),
        ("BAK-DB-01", f"{db}:my-source", "PASS"),
        ("BAK-DB-01", f"{db}:pg-no-backup", "FAIL"),  # near miss: not a replica
    }
    instances = by_uid(snapshot, "database.instance")
    assert instances[f"{db}:pg-replica"].props.replica_source == "pg-source"
    assert instances[f"{db}:pg-source"].props.replica_source is None


def test_sql_server_error_log_is_not_an_audit_log() -> None:
    """Item 13 through the collector: the SQL Server error log no longer passes LOG-DB-01."""
    with mock_aws():
        rds = boto3.client("rds", "us-east-1")
        for ident, engine, exports in (
            ("mssql-error", "sqlserver-ex", ["error"]),
            ("mssql-agent", "sqlserver-se", ["agent", "error"]),
            ("my-audit", "mysql", ["audit"]),
            ("my-error", "mysql", ["error"]),
        ):
            rds.create_db_instance(
                DBInstanceIdentifier=ident,
                Engine=engine,
                DBInstanceClass="db.t3.micro",
                AllocatedStorage=20,
                MasterUsername="admin",
                MasterUserPassword="Passw0rd-demo",
                EnableCloudwatchLogsExports=exports,
            )
        snapshot = scan(["rds"], ["us-east-1"])
    db = f"arn:aws:rds:us-east-1:{ACCOUNT}:db"
    assert outcomes(snapshot, ["LOG-DB-01"]) == {
        ("LOG-DB-01", f"{db}:mssql-error", "UNKNOWN"),
        ("LOG-DB-01", f"{db}:mssql-agent", "UNKNOWN"),
        ("LOG-DB-01", f"{db}:my-audit", "PASS"),
        ("LOG-DB-01", f"{db}:my-error", "FAIL"),
    }


# moto always reports ParameterApplyStatus "in-sync", so the pending state is fed to the
# interpretation as a canned DescribeDBInstances entry.
def _pg_entry(status: str | None, group: str = "phi-tls") -> dict[str, Any]:
    entry: dict[str, Any] = {
        "DBInstanceIdentifier": "ehr",
        "Engine": "postgres",
        "EngineVersion": "14.10",
        "DBParameterGroups": [{"DBParameterGroupName": group}],
    }
    if status:
        entry["DBParameterGroups"][0]["ParameterApplyStatus"] = status
    return entry


@pytest.mark.parametrize(
    ("status", "value", "enforced", "source"),
    [
        ("pending-reboot", "1", None, "parameter-group-pending"),  # the reported case
        ("applying", "1", None, "parameter-group-pending"),
        ("pending-reboot", "0", None, "parameter-group-pending"),
        ("in-sync", "1", True, "parameter-group"),  # near misses: applied, or no status
        (None, "1", True, "parameter-group"),
        ("in-sync", "0", False, "parameter-group"),
    ],
)
def test_tls_parameter_not_yet_applied_is_not_in_force(
    status: str | None, value: str, enforced: bool | None, source: str
) -> None:
    """Item 14: a TLS parameter awaiting a reboot is not reported as enforced."""
    facts = _standalone_facts(_pg_entry(status), None, {"phi-tls": {"rds.force_ssl": value}})
    assert (facts.tls_enforced, facts.tls_source, facts.tls_parameter_value) == (
        enforced,
        source,
        value,
    )
    assert facts.parameter_apply_status == status
    # A pending status does not matter when the engine default decides (default group).
    default = _standalone_facts(_pg_entry(status, "default.postgres14"), None, {})
    assert default.tls_source == "engine-default"
