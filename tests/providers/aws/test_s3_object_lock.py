"""S3 Object Lock (BAK-BUCKET-04) against moto: on, off, unreadable, and not required."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from rules import load_rules
from scanner.engine import EvaluationConfig, evaluate
from tests.providers.aws.helpers import by_uid, failing, outcomes, scan

LOCKED, PLAIN = "nwh-signed-records", "nwh-scratch"


@pytest.fixture
def buckets() -> Iterator[None]:
    with mock_aws():
        s3 = boto3.client("s3", "us-east-1")
        s3.create_bucket(Bucket=LOCKED, ObjectLockEnabledForBucket=True)
        s3.put_object_lock_configuration(
            Bucket=LOCKED,
            ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled",
                "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Years": 6}},
            },
        )
        s3.create_bucket(Bucket=PLAIN)
        yield


def test_object_lock_on_and_off(buckets: None) -> None:
    snapshot = scan(["s3"], regions=["us-east-1"])
    assert snapshot.gaps == ()
    assert outcomes(snapshot, ["BAK-BUCKET-04"]) == {
        ("BAK-BUCKET-04", f"arn:aws:s3:::{LOCKED}", "PASS"),
        ("BAK-BUCKET-04", f"arn:aws:s3:::{PLAIN}", "FAIL"),  # never configured: off
    }
    locked = by_uid(snapshot, "storage.bucket")[f"arn:aws:s3:::{LOCKED}"].props
    assert (locked.object_lock_enabled, locked.object_lock_default_mode) == (True, "COMPLIANCE")


def test_denied_read_is_unknown(buckets: None) -> None:
    with failing("s3.GetObjectLockConfiguration"):
        snapshot = scan(["s3"], regions=["us-east-1"])
    assert {(g.operation, g.resource_uid) for g in snapshot.gaps} == {
        ("GetObjectLockConfiguration", f"arn:aws:s3:::{b}") for b in (LOCKED, PLAIN)
    }
    assert {s for _, _, s in outcomes(snapshot, ["BAK-BUCKET-04"])} == {"UNKNOWN"}


def test_not_required_makes_no_finding(buckets: None) -> None:
    snapshot = scan(["s3"], regions=["us-east-1"])
    (chosen,) = [r for r in load_rules() if r.id == "BAK-BUCKET-04"]
    config = EvaluationConfig(params={"BAK-BUCKET-04": {"require_object_lock": False}})
    assert evaluate([snapshot], [chosen], config).findings == ()
