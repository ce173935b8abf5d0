"""CloudWatch Logs collector end to end under moto: facts, exact outcomes, gaps, call counts."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from providers.aws.services.logs import log_group_arn, log_group_facts
from providers.base import CallCounter
from rules import load_rules
from scanner.engine import EvaluationConfig, evaluate
from scanner.kinds.monitoring import LogGroup
from tests.providers.aws.helpers import ACCOUNT, by_uid, failing, outcomes, scan

RULES = ("EAR-LOGGROUP-01", "LOG-LOGGROUP-01")
US, EU = "us-east-1", "eu-west-1"
US_KEY = f"arn:aws:kms:{US}:{ACCOUNT}:key/11111111-2222-3333-4444-555555555555"
EU_KEY = f"arn:aws:kms:{EU}:{ACCOUNT}:key/66666666-7777-8888-9999-000000000000"


def _arn(region: str, name: str) -> str:
    return f"arn:aws:logs:{region}:{ACCOUNT}:log-group:{name}"


PHI_APP = _arn(US, "/phi/app")
SHORT = _arn(US, "/aws/lambda/short")
FOREVER = _arn(US, "forever")
TEN_YEARS = _arn(EU, "/eu/ten-years")
FIVE_YEARS = _arn(EU, "/eu/five-years")
GROUPS = (PHI_APP, SHORT, FOREVER, TEN_YEARS, FIVE_YEARS)


def _group(
    region: str,
    name: str,
    *,
    key: str | None = None,
    days: int | None = None,
    tags: dict[str, str] | None = None,
) -> None:
    logs = boto3.client("logs", region)
    extra = {"kmsKeyId": key} if key else {}
    logs.create_log_group(logGroupName=name, tags=tags or {}, **extra)
    if days is not None:
        logs.put_retention_policy(logGroupName=name, retentionInDays=days)


@pytest.fixture
def estate() -> Iterator[None]:
    with mock_aws():
        _group(US, "/phi/app", key=US_KEY, days=2192, tags={"phi": "yes"})
        _group(US, "/aws/lambda/short", days=30)
        _group(US, "forever")
        _group(EU, "/eu/ten-years", key=EU_KEY, days=3653)
        _group(EU, "/eu/five-years", days=1827)  # near miss: 5 years is less than 6
        yield


EXPECTED = {
    ("EAR-LOGGROUP-01", PHI_APP, "PASS"),
    ("EAR-LOGGROUP-01", SHORT, "FAIL"),
    ("EAR-LOGGROUP-01", FOREVER, "FAIL"),
    ("EAR-LOGGROUP-01", TEN_YEARS, "PASS"),
    ("EAR-LOGGROUP-01", FIVE_YEARS, "FAIL"),
    ("LOG-LOGGROUP-01", PHI_APP, "PASS"),
    ("LOG-LOGGROUP-01", SHORT, "FAIL"),
    ("LOG-LOGGROUP-01", FOREVER, "PASS"),
    ("LOG-LOGGROUP-01", TEN_YEARS, "PASS"),
    ("LOG-LOGGROUP-01", FIVE_YEARS, "FAIL"),
}


def test_log_group_facts(estate: None) -> None:
    snapshot = scan(["logs"])
    assert snapshot.gaps == ()
    groups = by_uid(snapshot, LogGroup.KIND)
    assert set(groups) == set(GROUPS)
    phi = groups[PHI_APP]
    assert (phi.name, phi.region, phi.native_type) == ("/phi/app", US, "AWS::Logs::LogGroup")
    assert phi.tags == {"phi": "yes"}
    assert phi.props == LogGroup(
        kms_encrypted=True, kms_key_id=US_KEY, never_expires=False, retention_days=2192
    )
    assert groups[FOREVER].props == LogGroup(
        kms_encrypted=False, kms_key_id=None, never_expires=True, retention_days=None
    )
    assert groups[FIVE_YEARS].region == EU
    assert groups[FIVE_YEARS].props.retention_days == 1827


def test_exact_outcomes(estate: None) -> None:
    assert outcomes(scan(["logs"]), RULES) == EXPECTED


def test_phi_tag_scopes_log_group_rules(estate: None) -> None:
    found = outcomes(scan(["logs"]), RULES, phi_tags=(("phi", "yes"),))
    assert found == {("EAR-LOGGROUP-01", PHI_APP, "PASS"), ("LOG-LOGGROUP-01", PHI_APP, "PASS")}


def test_min_retention_days_can_be_lowered(estate: None) -> None:
    snapshot = scan(["logs"])
    rule = next(r for r in load_rules() if r.id == "LOG-LOGGROUP-01")
    assert rule.meta.params == {"min_retention_days": 2192}
    report = evaluate(
        [snapshot], [rule], EvaluationConfig(params={"LOG-LOGGROUP-01": {"min_retention_days": 30}})
    )
    assert {(f.resource.uid, f.status.value) for f in report.findings} == {
        (g, "PASS") for g in GROUPS
    }
    short = next(f for f in report.findings if f.resource.uid == SHORT)
    assert short.evidence == {
        "retention_days": 30,
        "never_expires": False,
        "min_retention_days": 30,
    }


def test_describe_denied_is_a_gap_per_region(estate: None) -> None:
    # DescribeLogGroups is the only source of log groups: when it fails nothing is listed,
    # so there is no resource to judge and the gap itself marks the region as unread.
    with failing("logs.DescribeLogGroups"):
        snapshot = scan(["logs"])
    assert snapshot.resources == ()
    assert {(g.region, g.service, g.operation, g.error_code) for g in snapshot.gaps} == {
        (US, "logs", "DescribeLogGroups", "AccessDenied"),
        (EU, "logs", "DescribeLogGroups", "AccessDenied"),
    }
    assert not snapshot.complete


def test_tags_denied_is_a_gap_but_rules_still_judge(estate: None) -> None:
    with failing("logs.ListTagsForResource"):
        snapshot = scan(["logs"])
    # Unknown, not "no tags": the log groups stay in every --phi-tag scope.
    assert all(r.tags is None for r in snapshot.resources)
    assert {(g.operation, g.resource_uid) for g in snapshot.gaps} == {
        ("ListTagsForResource", g) for g in GROUPS
    }
    assert outcomes(snapshot, RULES) == EXPECTED


def test_one_tag_call_per_group_and_one_describe_per_region() -> None:
    with mock_aws():
        for i in range(3):
            _group(US, f"/us/{i}")
        for i in range(2):
            _group(EU, f"/eu/{i}")
        counter = CallCounter()
        snapshot = scan(["logs"], counter=counter)
    assert len(snapshot.resources) == 5
    assert dict(counter.counts) == {
        "sts.GetCallerIdentity": 1,
        "logs.DescribeLogGroups": 2,
        "logs.ListTagsForResource": 5,
    }


def test_describe_log_groups_is_paginated() -> None:
    with mock_aws():
        for i in range(55):  # one page holds 50
            _group(US, f"/many/{i:02d}")
        counter = CallCounter()
        snapshot = scan(["logs"], regions=(US,), counter=counter)
    assert len(snapshot.resources) == 55
    assert counter.counts["logs.DescribeLogGroups"] == 2
    assert counter.counts["logs.ListTagsForResource"] == 55


def test_log_group_arn_falls_back_to_the_legacy_field() -> None:
    legacy = {"logGroupName": "g", "arn": f"{_arn(US, 'g')}:*"}
    assert log_group_arn(legacy) == _arn(US, "g")
    assert log_group_arn({**legacy, "logGroupArn": _arn(US, "g")}) == _arn(US, "g")
    assert log_group_facts({"logGroupName": "g", "retentionInDays": 7, "kmsKeyId": ""}) == (
        LogGroup(kms_encrypted=False, kms_key_id=None, never_expires=False, retention_days=7)
    )
