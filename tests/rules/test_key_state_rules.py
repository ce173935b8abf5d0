"""Item 12: customer keys that are disabled or pending deletion, and what they encrypt.

EAR-KEY-02 judges the key itself; EAR-BUCKET-02, EAR-TABLE-01 and LOG-TRAIL-03 no
longer pass a resource "encrypted with a customer-managed key" whose key is unusable.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from scanner.kinds.kms import Key
from scanner.kinds.logging import EventSelection, Trail
from scanner.kinds.nosql import Table, TableKeyType
from scanner.kinds.storage import Bucket, BucketEncryption
from scanner.model import Resource
from tests.rules.support import ACCOUNT, aws_resource, findings_of, snapshot_of

KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234"
TABLE_UID = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/records"
TRAIL_UID = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/audit"


def key(state: str | None, usable: bool | None, manager: str | None = "CUSTOMER") -> Resource[Any]:
    props = Key(
        "1234",
        manager,
        "SYMMETRIC_DEFAULT",
        "ENCRYPT_DECRYPT",
        state,
        "AWS_KMS",
        state == "Enabled",
        True,
        (),
        usable,
    )
    return aws_resource(KEY_ARN, "AWS::KMS::Key", "1234", props)


def table() -> Resource[Any]:
    props = Table(TableKeyType.CUSTOMER_MANAGED, KEY_ARN, True, 35, True)
    return aws_resource(TABLE_UID, "AWS::DynamoDB::Table", "records", props)


def trail() -> Resource[Any]:
    props = Trail(
        home_region="us-east-1",
        multi_region=True,
        organization_trail=False,
        log_file_validation=True,
        kms_key_id=KEY_ARN,
        s3_bucket="logs",
        logging=True,
        events=EventSelection(True, True, ()),
    )
    return aws_resource(TRAIL_UID, "AWS::CloudTrail::Trail", "audit", props)


def statuses(rule_id: str, *resources: Resource[Any]) -> set[tuple[str, str, str]]:
    return {
        (f.rule_id, f.resource.uid, f.status.value)
        for f in findings_of(rule_id, snapshot_of(resources))
    }


@pytest.mark.parametrize(
    ("state", "usable", "expected"),
    [
        ("PendingDeletion", False, "FAIL"),  # the reported case
        ("Disabled", False, "FAIL"),
        ("PendingReplicaDeletion", False, "FAIL"),
        ("Unavailable", False, "FAIL"),
        ("Enabled", True, "PASS"),
        ("Creating", True, "PASS"),  # transient, not a misconfiguration
        (None, None, "UNKNOWN"),
    ],
)
def test_key_state_rule(state: str | None, usable: bool | None, expected: str) -> None:
    assert statuses("EAR-KEY-02", key(state, usable)) == {("EAR-KEY-02", KEY_ARN, expected)}


def test_aws_managed_keys_are_not_judged() -> None:
    assert statuses("EAR-KEY-02", key("Disabled", False, manager="AWS")) == set()


@pytest.mark.parametrize(
    ("state", "usable", "expected"),
    [("PendingDeletion", False, "FAIL"), ("Disabled", False, "FAIL"), ("Enabled", True, "PASS")],
)
def test_tables_and_trails_check_their_key(state: str, usable: bool, expected: str) -> None:
    assert statuses("EAR-TABLE-01", table(), key(state, usable)) == {
        ("EAR-TABLE-01", TABLE_UID, expected)
    }
    assert statuses("LOG-TRAIL-03", trail(), key(state, usable)) == {
        ("LOG-TRAIL-03", TRAIL_UID, expected)
    }


def test_a_key_outside_the_snapshot_leaves_the_verdict_as_it_was() -> None:
    # A key of another account (or a scan without the KMS collector) cannot be judged here;
    # EAR-KEY-02 in that account judges it.
    assert statuses("EAR-TABLE-01", table()) == {("EAR-TABLE-01", TABLE_UID, "PASS")}
    assert statuses("LOG-TRAIL-03", trail()) == {("LOG-TRAIL-03", TRAIL_UID, "PASS")}


@pytest.mark.parametrize(
    ("state", "usable", "expected"),
    [
        ("PendingDeletion", False, "FAIL"),
        ("Disabled", False, "FAIL"),
        ("Enabled", True, "PASS"),
        (None, None, "PASS"),
    ],
)
def test_bucket_checks_its_key_state(state: str | None, usable: bool | None, expected: str) -> None:
    enc = BucketEncryption(
        enabled=True,
        algorithm="aws:kms",
        kms_key_id=KEY_ARN,
        customer_managed_key=True,
        kms_key_state=state,
        kms_key_usable=usable,
    )
    bucket = aws_resource(
        "arn:aws:s3:::phi", "AWS::S3::Bucket", "phi", dataclasses.replace(Bucket(), encryption=enc)
    )
    (finding,) = findings_of("EAR-BUCKET-02", snapshot_of((bucket,)))
    assert finding.status.value == expected
    if state:
        assert finding.evidence["encryption"]["kms_key_state"] == state  # type: ignore[index]
