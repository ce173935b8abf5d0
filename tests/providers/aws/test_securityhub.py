"""Security Hub collector: enabled, definitely not subscribed, or unknown when denied."""

from __future__ import annotations

import boto3
from moto import mock_aws

from providers.base import CallCounter
from scanner.kinds.monitoring_edge import SecurityCenter
from tests.providers.aws.helpers import ACCOUNT, by_uid, failing, outcomes, scan

US, EU = "us-east-1", "eu-west-1"
RULE = "LOG-SECURITYCENTER-01"


def hub(region: str) -> str:
    return f"arn:aws:securityhub:{region}:{ACCOUNT}:hub/default"


@mock_aws
def test_enabled_region_passes_and_unsubscribed_region_fails() -> None:
    boto3.client("securityhub", US).enable_security_hub()
    counter = CallCounter()
    snapshot = scan(["securityhub"], counter=counter)
    assert counter.counts["securityhub.DescribeHub"] == 2  # once per region
    props = by_uid(snapshot, SecurityCenter.KIND)
    assert props[hub(US)].props.enabled is True and props[hub(US)].props.subscribed_at
    # moto answers InvalidAccessException ("not subscribed"): a definite "off", no gap.
    assert props[hub(EU)].props == SecurityCenter(enabled=False)
    assert snapshot.gaps == ()
    assert outcomes(snapshot, [RULE]) == {(RULE, hub(US), "PASS"), (RULE, hub(EU), "FAIL")}


@mock_aws
def test_access_denied_is_unknown_never_not_subscribed() -> None:
    boto3.client("securityhub", US).enable_security_hub()
    with failing("securityhub.DescribeHub", code="AccessDeniedException"):
        snapshot = scan(["securityhub"])
    assert {(g.region, g.operation, g.error_code) for g in snapshot.gaps} == {
        (US, "DescribeHub", "AccessDeniedException"),
        (EU, "DescribeHub", "AccessDeniedException"),
    }
    assert outcomes(snapshot, [RULE]) == {(RULE, hub(US), "UNKNOWN"), (RULE, hub(EU), "UNKNOWN")}
