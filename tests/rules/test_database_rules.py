"""Database rules on hand-built resources: PASS, FAIL and UNKNOWN for each, plus metadata."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from rules import load_rules
from scanner.engine import EvaluationConfig, evaluate
from scanner.kinds.database import (
    DatabaseCluster,
    DatabaseInstance,
    DatabaseSnapshot,
    DatabaseWarehouse,
)
from scanner.model import Finding, Resource, Scope, Snapshot, Status
from tests.rules.support import ACCOUNT, aws_resource, findings_of, snapshot_of

DB_RULE_IDS = {
    "EAR-DB-01", "EIT-DB-01", "PUB-DB-01", "BAK-DB-01", "BAK-DB-02", "BAK-DB-03", "LOG-DB-01",
    "EAR-DBSNAPSHOT-01", "PUB-DBSNAPSHOT-01",
    "EAR-WAREHOUSE-01", "EIT-WAREHOUSE-01", "PUB-WAREHOUSE-01", "LOG-WAREHOUSE-01",
    "BAK-WAREHOUSE-01",
}  # fmt: skip

GOOD_INSTANCE = DatabaseInstance(
    engine="postgres",
    engine_version="14.7",
    encrypted_at_rest=True,
    kms_key_id="arn:aws:kms:us-east-1:123456789012:key/1",
    tls_enforced=True,
    tls_parameter="rds.force_ssl",
    tls_parameter_value="1",
    tls_source="parameter-group",
    parameter_group="pg14-tls",
    publicly_accessible=False,
    backup_retention_days=7,
    high_availability=True,
    deletion_protection=True,
    log_exports=("postgresql", "upgrade"),
    audit_log_exports=("postgresql",),
)
GOOD_CLUSTER = DatabaseCluster(
    engine="aurora-mysql",
    engine_version="8.0.mysql_aurora.3.04.0",
    encrypted_at_rest=True,
    kms_key_id="key",
    tls_enforced=True,
    tls_parameter="require_secure_transport",
    tls_parameter_value="ON",
    tls_source="parameter-group",
    parameter_group="aurora-tls",
    backup_retention_days=35,
    high_availability=True,
    deletion_protection=True,
    log_exports=("audit",),
    audit_log_exports=("audit",),
    member_uids=("arn:aws:rds:us-east-1:123456789012:db:a",),
)
GOOD_SNAPSHOT = DatabaseSnapshot(
    engine="postgres",
    source_uid="arn:aws:rds:us-east-1:123456789012:db:pg",
    encrypted_at_rest=True,
    kms_key_id="key",
    public=False,
    shared_with=("111122223333",),
)
GOOD_WAREHOUSE = DatabaseWarehouse(
    engine_version="1.0",
    encrypted_at_rest=True,
    kms_key_id="key",
    publicly_accessible=False,
    tls_enforced=True,
    tls_parameter_value="true",
    parameter_group="rs-tls",
    audit_logging_enabled=True,
    audit_log_destination="cloudwatch",
    backup_retention_days=7,
)

KINDS: dict[type, tuple[str, str]] = {
    DatabaseInstance: ("database.instance", "AWS::RDS::DBInstance"),
    DatabaseCluster: ("database.cluster", "AWS::RDS::DBCluster"),
    DatabaseSnapshot: ("database.snapshot", "AWS::RDS::DBSnapshot"),
    DatabaseWarehouse: ("database.warehouse", "AWS::Redshift::Cluster"),
}


def resource(props: Any, name: str = "db1") -> Resource[Any]:
    """A resource of the kind matching `props`."""
    kind, native = KINDS[type(props)]
    uid = f"arn:aws:test:us-east-1:{ACCOUNT}:{kind}:{name}"
    return aws_resource(uid, native, name, props, kind=kind)


def judge(rule_id: str, props: Any) -> Finding:
    """The one finding `rule_id` gives on a single resource built from `props`."""
    findings = findings_of(rule_id, snapshot_of((resource(props),)))
    assert len(findings) == 1
    return findings[0]


def change(props: Any, **fields: Any) -> Any:
    """A copy of `props` with `fields` replaced."""
    return dataclasses.replace(props, **fields)


# (rule id, passing props, failing props, unknown props)
CASES: list[tuple[str, Any, Any, Any]] = [
    ("EAR-DB-01", GOOD_INSTANCE, change(GOOD_INSTANCE, encrypted_at_rest=False),
     change(GOOD_INSTANCE, encrypted_at_rest=None)),
    ("EIT-DB-01", GOOD_INSTANCE,
     change(GOOD_INSTANCE, tls_enforced=False, tls_parameter_value=None,
            tls_source="engine-default", parameter_group="default.postgres14"),
     change(GOOD_INSTANCE, tls_enforced=None, tls_parameter_value=None, tls_source=None)),
    ("PUB-DB-01", GOOD_INSTANCE, change(GOOD_INSTANCE, publicly_accessible=True),
     change(GOOD_INSTANCE, publicly_accessible=None)),
    ("BAK-DB-01", GOOD_INSTANCE, change(GOOD_INSTANCE, backup_retention_days=6),
     change(GOOD_INSTANCE, backup_retention_days=None)),
    ("BAK-DB-02", GOOD_INSTANCE, change(GOOD_INSTANCE, high_availability=False),
     change(GOOD_INSTANCE, high_availability=None)),
    ("BAK-DB-03", GOOD_INSTANCE, change(GOOD_INSTANCE, deletion_protection=False),
     change(GOOD_INSTANCE, deletion_protection=None)),
    ("LOG-DB-01", GOOD_INSTANCE,
     change(GOOD_INSTANCE, log_exports=("upgrade",), audit_log_exports=()),
     change(GOOD_INSTANCE, log_exports=None, audit_log_exports=None)),
    ("EAR-DB-01", GOOD_CLUSTER, change(GOOD_CLUSTER, encrypted_at_rest=False),
     change(GOOD_CLUSTER, encrypted_at_rest=None)),
    ("EIT-DB-01", GOOD_CLUSTER,
     change(GOOD_CLUSTER, tls_enforced=False, tls_parameter_value="OFF"),
     change(GOOD_CLUSTER, tls_enforced=None, tls_parameter_value=None, tls_source=None)),
    ("BAK-DB-01", GOOD_CLUSTER, change(GOOD_CLUSTER, backup_retention_days=1),
     change(GOOD_CLUSTER, backup_retention_days=None)),
    ("BAK-DB-02", GOOD_CLUSTER, change(GOOD_CLUSTER, high_availability=False),
     change(GOOD_CLUSTER, high_availability=None)),
    ("BAK-DB-03", GOOD_CLUSTER, change(GOOD_CLUSTER, deletion_protection=False),
     change(GOOD_CLUSTER, deletion_protection=None)),
    ("LOG-DB-01", GOOD_CLUSTER,
     change(GOOD_CLUSTER, log_exports=("slowquery",), audit_log_exports=()),
     change(GOOD_CLUSTER, log_exports=None, audit_log_exports=None)),
    ("EAR-DBSNAPSHOT-01", GOOD_SNAPSHOT, change(GOOD_SNAPSHOT, encrypted_at_rest=False),
     change(GOOD_SNAPSHOT, encrypted_at_rest=None)),
    ("PUB-DBSNAPSHOT-01", GOOD_SNAPSHOT, change(GOOD_SNAPSHOT, public=True),
     change(GOOD_SNAPSHOT, public=None, shared_with=None)),
    ("EAR-WAREHOUSE-01", GOOD_WAREHOUSE, change(GOOD_WAREHOUSE, encrypted_at_rest=False),
     change(GOOD_WAREHOUSE, encrypted_at_rest=None)),
    ("EIT-WAREHOUSE-01", GOOD_WAREHOUSE,
     change(GOOD_WAREHOUSE, tls_enforced=False, tls_parameter_value="false"),
     change(GOOD_WAREHOUSE, tls_enforced=None, tls_parameter_value=None)),
    ("PUB-WAREHOUSE-01", GOOD_WAREHOUSE, change(GOOD_WAREHOUSE, publicly_accessible=True),
     change(GOOD_WAREHOUSE, publicly_accessible=None)),
    ("LOG-WAREHOUSE-01", GOOD_WAREHOUSE,
     change(GOOD_WAREHOUSE, audit_logging_enabled=False, audit_log_destination=None),
     change(GOOD_WAREHOUSE, audit_logging_enabled=None, audit_log_destination=None)),
    ("BAK-WAREHOUSE-01", GOOD_WAREHOUSE, change(GOOD_WAREHOUSE, backup_retention_days=1),
     change(GOOD_WAREHOUSE, backup_retention_days=None)),
]  # fmt: skip


def test_every_database_rule_has_cases() -> None:
    """The case table covers exactly the database rules."""
    assert {case[0] for case in CASES} == DB_RULE_IDS


@pytest.mark.parametrize(("rule_id", "good", "bad", "unreadable"), CASES, ids=[c[0] for c in CASES])
def test_pass_fail_unknown(rule_id: str, good: Any, bad: Any, unreadable: Any) -> None:
    """Each rule passes the good resource, fails the bad one, and says UNKNOWN on a gap."""
    passed, failed, unknown = (judge(rule_id, p) for p in (good, bad, unreadable))
    assert passed.status is Status.PASS, passed.message
    assert failed.status is Status.FAIL, failed.message
    assert unknown.status is Status.UNKNOWN, unknown.message
    for finding in (passed, failed, unknown):
        assert finding.message.startswith(("Database", "Data warehouse"))
        assert finding.resource.name in finding.message.split(".")[0]
        assert finding.evidence


def test_metadata() -> None:
    """Every database rule cites HIPAA, has an AWS fix with a CLI, and names its kind."""
    rules = {r.id: r for r in load_rules() if r.id in DB_RULE_IDS}
    assert set(rules) == DB_RULE_IDS
    for rule in rules.values():
        assert rule.meta.citations
        # Cloud SQL has instances only: GCP claims the instance rules of the same control.
        gcp = {"EIT-DB-01", "PUB-DB-01", "EAR-DB-01", "LOG-DB-01", "BAK-DB-01"}
        assert rule.meta.providers == (
            frozenset({"aws", "gcp"}) if rule.id in gcp else frozenset({"aws"})
        )
        assert rule.meta.remediation["aws"].cli
        assert rule.meta.kinds[0].startswith("database.")
        assert rule.meta.phi_scoped
        assert rule.meta.concern.value.split("-")[0][:3].upper() in {
            "ENC", "AUD", "PUB", "BAC"}  # fmt: skip


def test_backup_retention_boundary_and_param() -> None:
    """Exactly the minimum passes; 0 days says backups are off; the param is tunable."""
    at_min = judge("BAK-DB-01", change(GOOD_INSTANCE, backup_retention_days=7))
    off = judge("BAK-DB-01", change(GOOD_INSTANCE, backup_retention_days=0))
    assert at_min.status is Status.PASS
    assert off.status is Status.FAIL
    assert "turned off" in off.message
    assert off.evidence["min_backup_retention_days"] == 7
    rule = next(r for r in load_rules() if r.id == "BAK-DB-01")
    snapshot = Snapshot(
        tool_version="test", scope=Scope("aws", (ACCOUNT,), ("us-east-1",)), started_at="",
        finished_at="",
        resources=(resource(change(GOOD_INSTANCE, backup_retention_days=14)),), gaps=(),
    )  # fmt: skip
    config = EvaluationConfig(params={"BAK-DB-01": {"min_backup_retention_days": 30}})
    [finding] = evaluate([snapshot], [rule], config).findings
    assert finding.status is Status.FAIL


@pytest.mark.parametrize(
    "source",
    [
        "nwh-ehr-db",  # same region: the identifier
        "arn:aws:rds:eu-west-1:123456789012:db:nwh-ehr-db",  # cross-region: the ARN
        "aurora-cluster-1",  # a replica of a cluster
    ],
)
def test_read_replicas_are_not_judged_on_backups(source: str) -> None:
    replica = change(GOOD_INSTANCE, backup_retention_days=0, replica_source=source)
    assert findings_of("BAK-DB-01", snapshot_of((resource(replica),))) == []
    # Every other rule still judges the replica.
    assert judge("EAR-DB-01", replica).status is Status.PASS


@pytest.mark.parametrize(
    ("engine", "exports", "undecided", "expected"),
    [
        (
            "sqlserver-ee",
            ("error",),
            "sqlserver-ee records audits through the SQLSERVER_AUDIT "
            "option of its option group, which is not read",
            Status.UNKNOWN,
        ),
        (
            "db2-se",
            ("diag.log",),
            "db2-se records audits through the DB2_AUDIT option",
            Status.UNKNOWN,
        ),
        (
            "newdb",
            ("general",),
            "which exported logs of engine newdb record access is not known",
            Status.UNKNOWN,
        ),
        ("newdb", (), None, Status.FAIL),
        ("mysql", ("error",), None, Status.FAIL),
    ],
)
def test_audit_logs_of_engines_exports_cannot_decide(
    engine: str, exports: tuple[str, ...], undecided: str | None, expected: Status
) -> None:
    """Item 13: before, any export of an unknown engine (SQL Server's error log) passed."""
    props = change(
        GOOD_INSTANCE,
        engine=engine,
        log_exports=exports,
        audit_log_exports=(),
        audit_log_undecided=undecided,
    )
    finding = judge("LOG-DB-01", props)
    assert finding.status is expected
    if undecided:
        assert undecided in finding.message


def test_tls_pending_reboot_is_unknown_with_the_apply_status() -> None:
    """Item 14: set but not applied is not in force; the evidence carries the status."""
    pending = change(
        GOOD_INSTANCE,
        tls_enforced=None,
        tls_source="parameter-group-pending",
        parameter_apply_status="pending-reboot",
    )
    finding = judge("EIT-DB-01", pending)
    assert finding.status is Status.UNKNOWN
    assert "not yet in force: apply status pending-reboot" in finding.message
    assert finding.evidence["parameter_apply_status"] == "pending-reboot"


def test_tls_evidence_and_unknown_reasons() -> None:
    """The TLS verdict names the setting that decided it, and why it is unknown."""
    default = judge("EIT-DB-01", change(
        GOOD_INSTANCE, engine_version="16.1", tls_parameter_value=None,
        tls_source="engine-default", parameter_group="default.postgres16"))  # fmt: skip
    assert default.status is Status.PASS
    assert "engine default" in default.message
    assert default.evidence["tls_source"] == "engine-default"
    oracle = judge("EIT-DB-01", change(
        GOOD_INSTANCE, engine="oracle-ee", tls_enforced=None, tls_parameter=None,
        tls_parameter_value=None, tls_source=None))  # fmt: skip
    assert oracle.status is Status.UNKNOWN
    assert "no TLS parameter" in oracle.message
    unread = judge(
        "EIT-DB-01",
        change(GOOD_INSTANCE, tls_enforced=None, tls_source=None, tls_parameter_value=None),
    )
    assert "could not be read" in unread.message


def test_member_instance_evidence_names_its_cluster() -> None:
    """An Aurora member's verdicts carry the cluster whose settings decided them."""
    member = change(GOOD_INSTANCE, cluster_uid="arn:aws:rds:us-east-1:123456789012:cluster:c")
    finding = judge("BAK-DB-03", change(member, deletion_protection=False))
    assert finding.status is Status.FAIL
    assert finding.evidence["cluster_uid"] == "arn:aws:rds:us-east-1:123456789012:cluster:c"


def test_log_rule_lists_non_audit_exports() -> None:
    """Exporting only non-audit logs fails and says which logs are exported."""
    finding = judge(
        "LOG-DB-01", change(GOOD_INSTANCE, log_exports=("upgrade",), audit_log_exports=())
    )
    assert finding.status is Status.FAIL
    assert "upgrade" in finding.message
    assert finding.evidence["log_exports"] == ["upgrade"]
