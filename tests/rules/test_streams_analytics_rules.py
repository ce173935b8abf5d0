"""Streams and analytics rules on hand-built resources: PASS, FAIL and UNKNOWN for each."""

from __future__ import annotations

from typing import Any

import pytest

from scanner.kinds.database import DatabaseWarehouse
from scanner.kinds.streams_analytics import (
    AnalyticsCluster,
    DataStream,
    DeliveryStream,
    EmrBlockPublicAccess,
    MigrationInstance,
)
from scanner.model import Resource
from tests.rules.support import ACCOUNT, aws_resource, findings_of, judge_one, snapshot_of

STREAM_UID = f"arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/hl7"
FIREHOSE_UID = f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/to-lake"
EMR_UID = f"arn:aws:elasticmapreduce:us-east-1:{ACCOUNT}:cluster/j-1"
BPA_UID = f"arn:aws:elasticmapreduce:us-east-1:{ACCOUNT}:block-public-access"
DMS_UID = f"arn:aws:dms:us-east-1:{ACCOUNT}:rep:migrate"


def stream(encrypted: bool | None, uid: str = STREAM_UID) -> Resource[Any]:
    props = DataStream(
        encrypted=encrypted,
        encryption_type=None if encrypted is None else ("KMS" if encrypted else "NONE"),
        kms_key_id="alias/aws/kinesis" if encrypted else None,
    )
    return aws_resource(uid, "AWS::Kinesis::Stream", uid.rsplit("/", 1)[-1], props)


def delivery(
    encrypted: bool | None, source: str | None = None, status: str | None = "DISABLED"
) -> Resource[Any]:
    props = DeliveryStream(
        source_type="KinesisStreamAsSource" if source else "DirectPut",
        source_stream_uid=source,
        encrypted=encrypted,
        encryption_status=status,
        kms_key_type="AWS_OWNED_CMK" if encrypted else None,
        kms_key_id=None,
    )
    return aws_resource(FIREHOSE_UID, "AWS::KinesisFirehose::DeliveryStream", "to-lake", props)


def cluster(**facts: Any) -> Resource[Any]:
    base: dict[str, Any] = {
        "state": "WAITING",
        "security_configuration": "secure",
        "primary_node_public": False,
        "primary_public_ips": (),
        "encrypted_at_rest": True,
        "at_rest_switch_on": True,
        "s3_encryption_mode": "SSE-KMS",
        "encrypted_in_transit": True,
    }
    props = AnalyticsCluster(**{**base, **facts})
    return aws_resource(EMR_UID, "AWS::EMR::Cluster", "spark", props)


def statuses(rule_id: str, *resources: Resource[Any]) -> set[tuple[str, str]]:
    found = findings_of(rule_id, snapshot_of(resources))
    return {(f.resource.uid, f.status.value) for f in found}


@pytest.mark.parametrize(
    ("encrypted", "status"), [(True, "PASS"), (False, "FAIL"), (None, "UNKNOWN")]
)
def test_data_stream_encryption(encrypted: bool | None, status: str) -> None:
    finding = judge_one("EAR-STREAM-01", stream(encrypted))
    assert finding.status.value == status
    assert finding.evidence["encryption_type"] == stream(encrypted).props.encryption_type


@pytest.mark.parametrize(
    ("encrypted", "status"), [(True, "PASS"), (False, "FAIL"), (None, "UNKNOWN")]
)
def test_direct_put_delivery_stream_is_judged_on_its_own_encryption(
    encrypted: bool | None, status: str
) -> None:
    resource = delivery(encrypted, status=None if encrypted is None else "ENABLED")
    assert judge_one("EAR-DELIVERYSTREAM-01", resource).status.value == status


@pytest.mark.parametrize(
    ("source_encrypted", "status"), [(True, "PASS"), (False, "FAIL"), (None, "UNKNOWN")]
)
def test_a_stream_fed_delivery_stream_is_judged_by_its_source(
    source_encrypted: bool | None, status: str
) -> None:
    # Its own encryption is off (it cannot be on with a Kinesis source): the source decides.
    found = statuses("EAR-DELIVERYSTREAM-01", delivery(False, STREAM_UID), stream(source_encrypted))
    assert found == {(FIREHOSE_UID, status)}


def test_a_source_stream_that_was_not_read_is_unknown_never_a_pass() -> None:
    finding = judge_one("EAR-DELIVERYSTREAM-01", delivery(True, STREAM_UID, "ENABLED"))
    assert finding.status.value == "UNKNOWN"
    assert finding.evidence == {"source_stream": STREAM_UID}


@pytest.mark.parametrize(
    ("facts", "status"),
    [
        ({}, "PASS"),
        ({"encrypted_at_rest": False, "s3_encryption_mode": "SSE-S3"}, "FAIL"),
        (
            {
                "security_configuration": None,
                "encrypted_at_rest": False,
                "at_rest_switch_on": False,
                "s3_encryption_mode": None,
                "encrypted_in_transit": False,
            },
            "FAIL",
        ),
        ({"encrypted_at_rest": None, "at_rest_switch_on": None}, "UNKNOWN"),
    ],
)
def test_analytics_cluster_at_rest(facts: dict[str, Any], status: str) -> None:
    assert judge_one("EAR-ANALYTICS-01", cluster(**facts)).status.value == status


def test_no_security_configuration_is_named_in_the_failure() -> None:
    finding = judge_one(
        "EAR-ANALYTICS-01",
        cluster(security_configuration=None, encrypted_at_rest=False, at_rest_switch_on=False),
    )
    assert finding.status.value == "FAIL"
    assert "no security configuration" in finding.message


@pytest.mark.parametrize(
    ("in_transit", "status"), [(True, "PASS"), (False, "FAIL"), (None, "UNKNOWN")]
)
def test_analytics_cluster_in_transit(in_transit: bool | None, status: str) -> None:
    resource = cluster(encrypted_in_transit=in_transit)
    assert judge_one("EIT-ANALYTICS-01", resource).status.value == status


@pytest.mark.parametrize(
    ("public", "ips", "status"),
    [(False, (), "PASS"), (True, ("54.1.2.3",), "FAIL"), (None, None, "UNKNOWN")],
)
def test_analytics_primary_node_public(
    public: bool | None, ips: tuple[str, ...] | None, status: str
) -> None:
    finding = judge_one(
        "PUB-ANALYTICS-01", cluster(primary_node_public=public, primary_public_ips=ips)
    )
    assert finding.status.value == status
    assert finding.evidence["primary_public_ips"] == list(ips or ())


@pytest.mark.parametrize(
    ("enabled", "status"), [(True, "PASS"), (False, "FAIL"), (None, "UNKNOWN")]
)
def test_emr_block_public_access(enabled: bool | None, status: str) -> None:
    props = EmrBlockPublicAccess(
        enabled=enabled, port_exceptions=None if enabled is None else ("22",)
    )
    resource = aws_resource(BPA_UID, "AWS::EMR::BlockPublicAccessConfiguration", "bpa", props)
    assert judge_one("PUB-ANALYTICSDEFAULT-01", resource).status.value == status


@pytest.mark.parametrize(
    ("exceptions", "status"),
    [
        (("22",), "PASS"),  # EMR's own default exception
        (("22", "8000-8100"), "PASS"),
        (("0-65535",), "FAIL"),  # on, but blocking nothing
        (("3300-3400",), "FAIL"),  # near miss: covers 3389 (remote desktop)
        (("22", "lots"), "UNKNOWN"),
        (None, "UNKNOWN"),
    ],
)
def test_emr_block_public_access_is_judged_by_what_its_exceptions_open(
    exceptions: tuple[str, ...] | None, status: str
) -> None:
    props = EmrBlockPublicAccess(enabled=True, port_exceptions=exceptions)
    resource = aws_resource(BPA_UID, "AWS::EMR::BlockPublicAccessConfiguration", "bpa", props)
    assert judge_one("PUB-ANALYTICSDEFAULT-01", resource).status.value == status


def test_emr_block_public_access_ignores_phi_scope() -> None:
    # An account-level setting: it is judged even when --phi-tag leaves no resource in scope.
    props = EmrBlockPublicAccess(enabled=False, port_exceptions=())
    resource = aws_resource(BPA_UID, "AWS::EMR::BlockPublicAccessConfiguration", "bpa", props)
    finding = judge_one("PUB-ANALYTICSDEFAULT-01", resource, phi_tags=(("data-class", "phi"),))
    assert finding.status.value == "FAIL"


@pytest.mark.parametrize(("public", "status"), [(False, "PASS"), (True, "FAIL"), (None, "UNKNOWN")])
def test_migration_instance_public(public: bool | None, status: str) -> None:
    props = MigrationInstance(publicly_accessible=public, kms_key_id="k", engine_version="3.5")
    resource = aws_resource(DMS_UID, "AWS::DMS::ReplicationInstance", "migrate", props)
    assert judge_one("PUB-MIGRATION-01", resource).status.value == status


def test_serverless_workgroup_is_judged_by_the_warehouse_rules() -> None:
    # A Redshift Serverless workgroup is a `database.warehouse`: the AWS-owned key passes
    # encryption at rest; unknown backup retention stays UNKNOWN.
    uid = f"arn:aws:redshift-serverless:us-east-1:{ACCOUNT}:workgroup/wg"
    props = DatabaseWarehouse(
        engine_version=None,
        encrypted_at_rest=True,
        kms_key_id="AWS_OWNED_KMS_KEY",
        publicly_accessible=True,
        tls_enforced=None,
        tls_parameter_value=None,
        parameter_group=None,
        audit_logging_enabled=True,
        audit_log_destination="cloudwatch",
        backup_retention_days=None,
    )
    resource = aws_resource(uid, "AWS::RedshiftServerless::Workgroup", "wg", props)
    found = {
        (rule_id, judge_one(rule_id, resource).status.value)
        for rule_id in (
            "EAR-WAREHOUSE-01",
            "PUB-WAREHOUSE-01",
            "EIT-WAREHOUSE-01",
            "LOG-WAREHOUSE-01",
            "BAK-WAREHOUSE-01",
        )
    }
    assert found == {
        ("EAR-WAREHOUSE-01", "PASS"),
        ("PUB-WAREHOUSE-01", "FAIL"),
        ("EIT-WAREHOUSE-01", "UNKNOWN"),
        ("LOG-WAREHOUSE-01", "PASS"),
        ("BAK-WAREHOUSE-01", "UNKNOWN"),
    }
