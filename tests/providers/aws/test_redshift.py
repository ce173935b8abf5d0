"""Redshift collector under moto: encryption, exposure, require_ssl, audit logging, snapshots.

moto limit worked around here (notes/test-harness.md section 1): moto has no
`modify_cluster_parameter_group`, and every group answers DescribeClusterParameters with
a canned `require_ssl=false`. For the one group that must say `true`, `canned_parameters`
answers that call with a hand-built response through botocore's ``before-call`` hook (the
same short-circuit `botocore.stub.Stubber` uses); every other call still goes to moto.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.aws.services.redshift import logging_facts, require_ssl_value
from providers.aws.task import ABSENT, FAILED, Fetched
from providers.base import CallCounter
from scanner.snapshot import snapshot_from_dict, snapshot_to_dict
from tests.providers.aws.helpers import (
    ACCOUNT,
    Answer,
    answering,
    by_uid,
    failing,
    fake_answer,
    operation_name,
    outcomes,
    scan,
)

US, EU = "us-east-1", "eu-west-1"
RULES = ("EAR-WAREHOUSE-01", "PUB-WAREHOUSE-01", "EIT-WAREHOUSE-01", "LOG-WAREHOUSE-01",
         "BAK-WAREHOUSE-01")  # fmt: skip
P, F, U = "PASS", "FAIL", "UNKNOWN"
TLS_GROUP = "rs-tls"


def arn(region: str, name: str) -> str:
    """The ARN of a Redshift cluster."""
    return f"arn:aws:redshift:{region}:{ACCOUNT}:cluster:{name}"


@contextlib.contextmanager
def canned_parameters(group: str, require_ssl: str) -> Iterator[None]:
    """Answer DescribeClusterParameters for `group` with `require_ssl` set (moto cannot)."""

    def answer(model: Any, params: Any, **_: Any) -> Answer | None:
        if operation_name(model) != "redshift.DescribeClusterParameters":
            return None
        if params.get("body", {}).get("ParameterGroupName") != group:
            return None
        parameters = [
            {"ParameterName": "enable_user_activity_logging", "ParameterValue": "true"},
            {"ParameterName": "require_ssl", "ParameterValue": require_ssl},
        ]
        return fake_answer({"Parameters": parameters})

    with answering(answer):
        yield


def _cluster(client: Any, name: str, **extra: Any) -> None:
    client.create_cluster(
        ClusterIdentifier=name,
        NodeType="ra3.xlplus",
        MasterUsername="admin",
        MasterUserPassword="NotASecret1",
        **extra,
    )


def seed() -> None:
    """Good and bad warehouses in two regions; two clusters share the default group."""
    us = boto3.client("redshift", US)
    us.create_cluster_parameter_group(
        ParameterGroupName=TLS_GROUP, ParameterGroupFamily="redshift-1.0", Description="tls"
    )
    _cluster(
        us,
        "rs-good",
        Encrypted=True,
        PubliclyAccessible=False,
        ClusterParameterGroupName=TLS_GROUP,
        AutomatedSnapshotRetentionPeriod=7,
        Tags=[{"Key": "phi", "Value": "yes"}],
    )
    us.enable_logging(ClusterIdentifier="rs-good", BucketName="audit-logs")
    _cluster(
        us, "rs-bad", Encrypted=False, PubliclyAccessible=True, AutomatedSnapshotRetentionPeriod=1
    )
    _cluster(
        us, "rs-bad-2", Encrypted=True, PubliclyAccessible=False, AutomatedSnapshotRetentionPeriod=0
    )
    eu = boto3.client("redshift", EU)
    _cluster(
        eu, "rs-eu", Encrypted=True, PubliclyAccessible=False, AutomatedSnapshotRetentionPeriod=35
    )
    eu.enable_logging(ClusterIdentifier="rs-eu", BucketName="eu-audit-logs")


@pytest.fixture
def estate() -> Iterator[None]:
    """A seeded moto account."""
    with mock_aws():
        seed()
        yield


@pytest.fixture
def ssl_stub() -> Iterator[None]:
    """`rs-tls` answers require_ssl=true (moto cannot set it)."""
    with canned_parameters(TLS_GROUP, "true"):
        yield


EXPECTED_ROWS = {
    #                  EAR PUB EIT LOG BAK
    arn(US, "rs-good"): (P, P, P, P, P),
    arn(US, "rs-bad"): (F, F, F, F, F),
    arn(US, "rs-bad-2"): (P, P, F, F, F),
    arn(EU, "rs-eu"): (P, P, F, P, P),
}
EXPECTED = {(rule, uid, s) for uid, row in EXPECTED_ROWS.items()
            for rule, s in zip(RULES, row, strict=True)}  # fmt: skip


def test_exact_outcomes_in_both_regions(estate: None, ssl_stub: None) -> None:
    """Every warehouse rule gives exactly the expected status on every cluster."""
    snapshot = scan(["redshift"])
    assert snapshot.gaps == ()
    assert outcomes(snapshot, RULES) == EXPECTED


def test_facts(estate: None, ssl_stub: None) -> None:
    """Facts carry the values read, including the parameter group that decided TLS."""
    warehouses = by_uid(scan(["redshift"]), "database.warehouse")
    assert set(warehouses) == set(EXPECTED_ROWS)
    good = warehouses[arn(US, "rs-good")]
    assert good.native_type == "AWS::Redshift::Cluster"
    assert (good.name, good.region, good.tags) == ("rs-good", US, {"phi": "yes"})
    assert good.props.tls_enforced is True
    assert good.props.tls_parameter_value == "true"
    assert good.props.parameter_group == TLS_GROUP
    assert good.props.audit_logging_enabled is True
    assert good.props.audit_log_destination == "s3"
    bad = warehouses[arn(US, "rs-bad")].props
    assert (bad.parameter_group, bad.tls_parameter_value) == ("default.redshift-1.0", "false")
    assert (bad.audit_logging_enabled, bad.audit_log_destination) == (False, None)
    assert bad.backup_retention_days == 1


def test_logging_status_denied(estate: None, ssl_stub: None) -> None:
    """AccessDenied on DescribeLoggingStatus: the audit rule says UNKNOWN, others judge."""
    with failing("redshift.DescribeLoggingStatus"):
        snapshot = scan(["redshift"])
    assert {g.resource_uid for g in snapshot.gaps} == set(EXPECTED_ROWS)
    assert all(g.error_code == "AccessDenied" for g in snapshot.gaps)
    expected = {(r, uid, U if r == "LOG-WAREHOUSE-01" else s) for r, uid, s in EXPECTED}
    assert outcomes(snapshot, RULES) == expected


def test_parameters_denied(estate: None) -> None:
    """AccessDenied on DescribeClusterParameters: require_ssl unknown, the rest judged."""
    # No stub here: the injected AccessDenied must reach every group, rs-tls included.
    with failing("redshift.DescribeClusterParameters"):
        snapshot = scan(["redshift"])
    assert len(snapshot.gaps) == 3  # rs-tls and default in us-east-1, default in eu-west-1
    warehouses = by_uid(snapshot, "database.warehouse")
    assert warehouses[arn(US, "rs-good")].props.tls_enforced is None
    expected = {(r, uid, U if r == "EIT-WAREHOUSE-01" else s) for r, uid, s in EXPECTED}
    assert outcomes(snapshot, RULES) == expected


def test_call_counts(estate: None, ssl_stub: None) -> None:
    """One list per region, each parameter group once, logging status once per cluster."""
    counter = CallCounter()
    scan(["redshift"], counter=counter)
    assert counter.counts["redshift.DescribeClusters"] == 2
    # us-east-1: rs-tls and default.redshift-1.0 (shared by two clusters); eu-west-1: default.
    assert counter.counts["redshift.DescribeClusterParameters"] == 3
    assert counter.counts["redshift.DescribeLoggingStatus"] == 4


def test_require_ssl_value() -> None:
    """The parameter is found by name; a missing one is unknown, not false."""
    params = [{"ParameterName": "datestyle", "ParameterValue": "ISO, MDY"},
              {"ParameterName": "require_ssl", "ParameterValue": "TRUE"}]  # fmt: skip
    assert require_ssl_value(params) == "TRUE"
    assert require_ssl_value(params[:1]) is None
    assert require_ssl_value([{"ParameterName": "require_ssl"}]) is None


def test_logging_facts() -> None:
    """Destination comes from LogDestinationType, else the bucket; failures are unknown."""
    cloudwatch = Fetched({"LoggingEnabled": True, "LogDestinationType": "cloudwatch"})
    assert logging_facts(cloudwatch) == (True, "cloudwatch")
    assert logging_facts(Fetched({"LoggingEnabled": True, "BucketName": "b"})) == (True, "s3")
    assert logging_facts(Fetched({"LoggingEnabled": False, "BucketName": ""})) == (False, None)
    assert logging_facts(Fetched({})) == (None, None)
    assert logging_facts(FAILED) == (None, None)
    assert logging_facts(ABSENT) == (None, None)


def test_snapshot_round_trip(estate: None) -> None:
    """Every warehouse fact survives the snapshot's JSON form unchanged."""
    snapshot = scan(["redshift"])
    again = snapshot_from_dict(json.loads(json.dumps(snapshot_to_dict(snapshot))), "test")
    assert again.resources == snapshot.resources
    assert len(again.resources) == 4
