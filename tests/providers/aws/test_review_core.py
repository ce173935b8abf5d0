"""Malformed cloud answers that used to crash a collector, or the whole scan (review fixes)."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.stub import Stubber
from moto import mock_aws

from providers.aws.provider import _enabled_regions
from providers.aws.services.cloudtrail import Trail
from providers.aws.services.s3 import _key_ref
from providers.aws.task import Fetched
from providers.base import GapRecorder
from scanner.kinds.logging import AuditCoverage
from scanner.kinds.storage import AccountPublicAccess
from tests.providers.aws.helpers import ACCOUNT, by_uid, canned, scan

COVERAGE = f"arn:aws:cloudtrail::{ACCOUNT}:coverage"


def test_fetched_get_reads_a_null_as_the_default() -> None:
    assert Fetched({"Rules": None}).get("Rules", []) == []
    assert Fetched({"Rules": [1]}).get("Rules", []) == [1]
    assert Fetched(None, failed=True).get("Rules", ()) == ()


def test_null_list_in_a_page_is_no_item_not_a_crash() -> None:
    with mock_aws(), canned("s3.ListBuckets", {"Buckets": None}):
        snapshot = scan(["s3"])
    assert [g.error_code for g in snapshot.gaps] == []
    assert len(by_uid(snapshot, AccountPublicAccess.KIND)) == 1


def test_trail_without_arn_makes_coverage_unknown_not_a_collector_error() -> None:
    with mock_aws(), canned("cloudtrail.DescribeTrails", {"trailList": [{"Name": "t"}]}):
        snapshot = scan(["cloudtrail"])
    assert by_uid(snapshot, Trail.KIND) == {}
    coverage: AuditCoverage = by_uid(snapshot, AuditCoverage.KIND)[COVERAGE].props
    assert [r.any_trail for r in coverage.regions] == [None, None]
    assert {(g.operation, g.error_code, g.region) for g in snapshot.gaps} == {
        ("DescribeTrails", "MalformedResponse", "us-east-1"),
        ("DescribeTrails", "MalformedResponse", "eu-west-1"),
    }


class _OneClient:
    def __init__(self, client: Any) -> None:
        self._client = client

    def client(self, service: str, region: str) -> Any:
        return self._client


def _regions_from(answer: dict[str, Any]) -> tuple[list[str], list[str]]:
    ec2 = boto3.client("ec2", region_name="us-east-1")
    gaps = GapRecorder()
    with Stubber(ec2) as stub:
        stub.add_response("describe_regions", answer)
        found = _enabled_regions(_OneClient(ec2), ACCOUNT, "us-east-1", gaps)  # type: ignore[arg-type]
    return found, [g.operation for g in gaps.all()]


def test_region_discovery_listing_nothing_falls_back_to_the_home_region() -> None:
    # An empty list used to leave the account without regions: IndexError for the whole scan.
    assert _regions_from({"Regions": []}) == (["us-east-1"], ["DescribeRegions"])
    assert _regions_from({"Regions": [{"Endpoint": "x"}]}) == (["us-east-1"], ["DescribeRegions"])
    assert _regions_from({"Regions": [{"RegionName": "eu-west-1"}]}) == (["eu-west-1"], [])


def test_malformed_key_arn_keeps_the_bucket_region() -> None:
    encryption = Fetched(
        {
            "ServerSideEncryptionConfiguration": {
                "Rules": [
                    {
                        "ApplyServerSideEncryptionByDefault": {
                            "SSEAlgorithm": "aws:kms",
                            "KMSMasterKeyID": "arn:aws",
                        }
                    }
                ]
            }
        }
    )
    assert _key_ref(encryption, "eu-west-1") == ("eu-west-1", "arn:aws")


def test_gap_messages_never_carry_endpoint_credentials() -> None:
    from botocore.exceptions import EndpointConnectionError

    from providers.aws.task import _message

    exc = EndpointConnectionError(endpoint_url="https://scanner:s3cr3t@gw.example/aws?token=t")
    message = _message(exc)
    assert "s3cr3t" not in message and "token" not in message
    assert "https://gw.example/aws" in message
