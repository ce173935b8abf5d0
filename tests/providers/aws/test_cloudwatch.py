"""CloudWatch alerting collector, and CloudTrail delivery to CloudWatch Logs, end to end.

moto keeps metric filters, alarms and a trail's CloudWatch Logs group, but its
GetTrailStatus has no LatestCloudWatchLogsDeliveryTime: that answer is canned here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.aws.services.cloudwatch import alarm_facts
from providers.base import CallCounter
from scanner.kinds.logging import Trail
from scanner.kinds.monitoring_edge import LogAlerting, MetricAlarm, SecurityEvent
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

US = "us-east-1"
COVERAGE = f"arn:aws:cloudtrail::{ACCOUNT}:coverage"
ALERTING = f"arn:aws:cloudwatch:{US}:{ACCOUNT}:log-alerting"
GROUP = "trail-events"
GROUP_UID = f"arn:aws:logs:{US}:{ACCOUNT}:log-group:{GROUP}"
TOPIC = f"arn:aws:sns:{US}:{ACCOUNT}:alerts"
RULES = ("LOG-TRAIL-06", "LOG-ALARM-01", "LOG-ALARM-02", "LOG-ALARM-03", "LOG-ALARM-04")

ROOT = (
    '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS '
    '&& $.eventType != "AwsServiceEvent" }'
)
# Near miss: the CIS sign-in pattern, but its alarm has no action.
SIGNIN = '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'
# Near miss: IAM policy changes without DetachGroupPolicy.
IAM = (
    "{ "
    + " || ".join(
        f"$.eventName = {n}"
        for n in (
            "DeleteGroupPolicy",
            "DeleteRolePolicy",
            "DeleteUserPolicy",
            "PutGroupPolicy",
            "PutRolePolicy",
            "PutUserPolicy",
            "CreatePolicy",
            "DeletePolicy",
            "CreatePolicyVersion",
            "DeletePolicyVersion",
            "AttachRolePolicy",
            "DetachRolePolicy",
            "AttachUserPolicy",
            "DetachUserPolicy",
            "AttachGroupPolicy",
        )
    )
    + " }"
)
# Network changes with extra OR terms and wildcards, split over two filters: covered.
FIREWALL = (
    "{ $.eventName = *SecurityGroup* || $.eventName = *NetworkAcl* || $.eventName = RunInstances }"
)
ROUTING = "{ $.eventName = *Route* || $.eventName = *Gateway }"


def metric_alarm(logs: Any, cloudwatch: Any, name: str, pattern: str, actions: list[str]) -> None:
    logs.put_metric_filter(
        logGroupName=GROUP,
        filterName=name,
        filterPattern=pattern,
        metricTransformations=[{"metricName": name, "metricNamespace": "Sec", "metricValue": "1"}],
    )
    cloudwatch.put_metric_alarm(
        AlarmName=name,
        MetricName=name,
        Namespace="Sec",
        Statistic="Sum",
        Period=300,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        EvaluationPeriods=1,
        AlarmActions=actions,
    )


def delivered(hours_ago: float) -> Any:
    when = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=hours_ago)

    def answer(model: Any, **_: Any) -> Answer | None:
        if operation_name(model) != "cloudtrail.GetTrailStatus":
            return None
        return fake_answer({"IsLogging": True, "LatestCloudWatchLogsDeliveryTime": when})

    return answering(answer)


@pytest.fixture
def estate() -> Iterator[None]:
    with mock_aws():
        boto3.client("s3", US).create_bucket(Bucket="trail-logs")
        logs, cloudwatch = boto3.client("logs", US), boto3.client("cloudwatch", US)
        logs.create_log_group(logGroupName=GROUP)
        trail = boto3.client("cloudtrail", US)
        trail.create_trail(
            Name="audit",
            S3BucketName="trail-logs",
            IsMultiRegionTrail=True,
            CloudWatchLogsLogGroupArn=f"{GROUP_UID}:*",
            CloudWatchLogsRoleArn=f"arn:aws:iam::{ACCOUNT}:role/trail",
        )
        trail.start_logging(Name="audit")
        metric_alarm(logs, cloudwatch, "root", ROOT, [TOPIC])
        metric_alarm(logs, cloudwatch, "signin", SIGNIN, [])
        metric_alarm(logs, cloudwatch, "iam", IAM, [TOPIC])
        metric_alarm(logs, cloudwatch, "firewall", FIREWALL, [TOPIC])
        metric_alarm(logs, cloudwatch, "routing", ROUTING, [TOPIC])
        yield


def test_filters_alarms_and_delivery(estate: None) -> None:
    counter = CallCounter()
    with delivered(hours_ago=2):
        snapshot = scan(["cloudwatch", "cloudtrail"], regions=(US,), counter=counter)
    assert counter.counts["logs.DescribeMetricFilters"] == 1
    assert counter.counts["cloudwatch.DescribeAlarms"] == 1
    assert snapshot.gaps == ()
    (trail,) = by_uid(snapshot, Trail.KIND).values()
    assert trail.props.cloudwatch_log_group == GROUP_UID
    assert trail.props.cloudwatch_delivery_age_hours == 2
    alerting: LogAlerting = by_uid(snapshot, LogAlerting.KIND)[ALERTING].props
    matches = {f.name: set(f.matches) for f in alerting.filters or ()}
    assert matches == {
        "root": {SecurityEvent.ROOT_USAGE},
        "signin": {SecurityEvent.CONSOLE_SIGNIN_FAILURE},
        "iam": set(),
        "firewall": {SecurityEvent.SECURITY_GROUP_CHANGE, SecurityEvent.NETWORK_ACL_CHANGE},
        "routing": {SecurityEvent.ROUTE_TABLE_CHANGE, SecurityEvent.NETWORK_GATEWAY_CHANGE},
    }
    assert MetricAlarm("signin", ("Sec/signin",), False) in (alerting.alarms or ())
    assert outcomes(snapshot, RULES) == {
        ("LOG-TRAIL-06", COVERAGE, "PASS"),
        ("LOG-ALARM-01", COVERAGE, "PASS"),
        ("LOG-ALARM-02", COVERAGE, "FAIL"),
        ("LOG-ALARM-03", COVERAGE, "FAIL"),
        ("LOG-ALARM-04", COVERAGE, "PASS"),
    }


def test_stale_or_missing_delivery_fails(estate: None) -> None:
    with delivered(hours_ago=30):
        stale = scan(["cloudtrail"], regions=(US,))
    # moto's own GetTrailStatus never reports a delivery: "never delivered".
    never = scan(["cloudtrail"], regions=(US,))
    for snapshot in (stale, never):
        assert outcomes(snapshot, ["LOG-TRAIL-06"]) == {("LOG-TRAIL-06", COVERAGE, "FAIL")}


def test_unreadable_alarms_are_unknown(estate: None) -> None:
    with failing("cloudwatch.DescribeAlarms"):
        snapshot = scan(["cloudwatch", "cloudtrail"], regions=(US,))
    assert {g.operation for g in snapshot.gaps} == {"DescribeAlarms"}
    assert by_uid(snapshot, LogAlerting.KIND)[ALERTING].props.alarms is None
    assert {(r, s) for r, _, s in outcomes(snapshot, RULES[1:])} == {
        (rule_id, "UNKNOWN") for rule_id in RULES[1:]
    }


def test_alarms_without_their_region_scanned_are_unknown(estate: None) -> None:
    snapshot = scan(["cloudtrail"], regions=(US,))
    assert {(r, s) for r, _, s in outcomes(snapshot, RULES[1:])} == {
        (rule_id, "UNKNOWN") for rule_id in RULES[1:]
    }


def test_an_alarm_notifies_only_when_it_says_its_actions_are_enabled() -> None:
    base = {"AlarmName": "a", "Namespace": "CIS", "MetricName": "m", "AlarmActions": ["arn:t"]}
    assert alarm_facts({**base, "ActionsEnabled": True}).notifies is True
    assert alarm_facts({**base, "ActionsEnabled": False}).notifies is False
    assert alarm_facts(base).notifies is False  # not said: never assumed
    assert alarm_facts({**base, "ActionsEnabled": True, "AlarmActions": []}).notifies is False
