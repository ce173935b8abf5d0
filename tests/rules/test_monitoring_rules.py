"""Monitoring rules (EAR/LOG-LOGGROUP, LOG-CONFIG, LOG-THREATDETECT) on hand-built resources."""

from __future__ import annotations

from typing import Any

import pytest

from rules import load_rules
from rules.audit_logging.configrecorder_aws import REQUIRED_RESOURCE_TYPES
from rules.hipaa import AUDIT_CONTROLS, DOCUMENTATION_TIME_LIMIT, ENCRYPTION_AND_DECRYPTION
from scanner.engine import EvaluationConfig, evaluate
from scanner.kinds.monitoring import (
    ConfigRecording,
    ConfigurationRecorder,
    Detector,
    LogGroup,
    RecordingStrategy,
    ThreatDetection,
)
from scanner.model import Finding, JSONValue, Resource, Status
from tests.rules.support import ACCOUNT, aws_resource, judge_one, rule_by_id, snapshot_of

REGION = "eu-west-1"
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k"


def log_group(props: LogGroup) -> Resource[Any]:
    uid = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/phi/app"
    return aws_resource(uid, "AWS::Logs::LogGroup", "/phi/app", props, region=REGION)


def recording(*recorders: ConfigurationRecorder, unreadable: bool = False) -> Resource[Any]:
    return aws_resource(
        f"arn:aws:config:{REGION}:{ACCOUNT}:recorder-status",
        "AWS::Config::ConfigurationRecorder",
        "configuration-recorder",
        ConfigRecording(None if unreadable else recorders),
        region=REGION,
    )


def detection(*detectors: Detector, unreadable: bool = False) -> Resource[Any]:
    return aws_resource(
        f"arn:aws:guardduty:{REGION}:{ACCOUNT}:threat-detection",
        "AWS::GuardDuty::Detector",
        "guardduty",
        ThreatDetection(None if unreadable else detectors),
        region=REGION,
    )


def judge(
    rule_id: str,
    resource: Resource[Any],
    params: dict[str, JSONValue] | None = None,
    phi_tags: tuple[tuple[str, str], ...] = (),
) -> Finding:
    return judge_one(rule_id, resource, params, phi_tags, regions=(REGION,))


def test_metadata() -> None:
    rules = {r.id: r.meta for r in load_rules()}
    assert rules["EAR-LOGGROUP-01"].citations == (ENCRYPTION_AND_DECRYPTION,)
    retention = rules["LOG-LOGGROUP-01"]
    assert retention.params == {"min_retention_days": 2192}
    assert {AUDIT_CONTROLS, DOCUMENTATION_TIME_LIMIT} <= set(retention.citations)
    assert rules["LOG-CONFIG-01"].params == {
        "required_resource_types": list(REQUIRED_RESOURCE_TYPES)
    }
    for rule_id in ("LOG-CONFIG-01", "LOG-THREATDETECT-01"):
        assert rules[rule_id].phi_scoped is False
    for rule_id in ("EAR-LOGGROUP-01", "LOG-LOGGROUP-01", "LOG-CONFIG-01", "LOG-THREATDETECT-01"):
        fix = rules[rule_id].remediation["aws"]
        assert fix.console and fix.cli and "resource" in fix.terraform


# --- log groups -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("props", "status", "evidence"),
    [
        (LogGroup(kms_encrypted=True, kms_key_id=KEY), Status.PASS, {"kms_key_id": KEY}),
        (LogGroup(kms_encrypted=False), Status.FAIL, {"kms_key_id": None}),
        (LogGroup(), Status.UNKNOWN, {"kms_key_id": None}),
    ],
)
def test_log_group_kms(props: LogGroup, status: Status, evidence: dict[str, Any]) -> None:
    found = judge("EAR-LOGGROUP-01", log_group(props))
    assert found.status is status
    assert found.evidence == evidence
    assert found.message.startswith("Log group /phi/app")


@pytest.mark.parametrize(
    ("props", "status"),
    [
        (LogGroup(never_expires=True), Status.PASS),
        (LogGroup(never_expires=False, retention_days=2192), Status.PASS),
        (LogGroup(never_expires=False, retention_days=3653), Status.PASS),
        (LogGroup(never_expires=False, retention_days=1827), Status.FAIL),
        (LogGroup(never_expires=False, retention_days=1), Status.FAIL),
        (LogGroup(), Status.UNKNOWN),
        (LogGroup(never_expires=False, retention_days=None), Status.UNKNOWN),
    ],
)
def test_log_group_retention(props: LogGroup, status: Status) -> None:
    found = judge("LOG-LOGGROUP-01", log_group(props))
    assert found.status is status
    assert found.evidence["min_retention_days"] == 2192
    assert found.evidence["retention_days"] == props.retention_days


def test_log_group_retention_parameter() -> None:
    group = log_group(LogGroup(never_expires=False, retention_days=400))
    assert judge("LOG-LOGGROUP-01", group).status is Status.FAIL
    assert judge("LOG-LOGGROUP-01", group, {"min_retention_days": 365}).status is Status.PASS


def test_log_group_rules_respect_phi_scope() -> None:
    snapshot = snapshot_of((log_group(LogGroup(never_expires=True)),), (REGION,))
    report = evaluate(
        [snapshot], [rule_by_id("LOG-LOGGROUP-01")], EvaluationConfig(phi_tags=(("phi", "yes"),))
    )
    assert report.findings == ()


# --- AWS Config -------------------------------------------------------------------------


def _recorder(
    recording: bool | None = True,
    strategy: RecordingStrategy = RecordingStrategy.ALL_SUPPORTED,
    **extra: Any,
) -> ConfigurationRecorder:
    return ConfigurationRecorder(name="default", recording=recording, strategy=strategy, **extra)


EVERYTHING_BUT_ONE = REQUIRED_RESOURCE_TYPES[1:]


@pytest.mark.parametrize(
    ("resource", "status"),
    [
        (recording(_recorder()), Status.PASS),
        (
            recording(
                _recorder(
                    strategy=RecordingStrategy.INCLUSION, resource_types=REQUIRED_RESOURCE_TYPES
                )
            ),
            Status.PASS,
        ),
        (
            recording(
                _recorder(
                    strategy=RecordingStrategy.EXCLUSION,
                    excluded_resource_types=("AWS::EC2::NetworkInterface",),
                )
            ),
            Status.PASS,
        ),
        # a stopped all-types recorder next to a running one that covers everything
        (
            recording(
                _recorder(recording=False),
                _recorder(
                    strategy=RecordingStrategy.INCLUSION, resource_types=REQUIRED_RESOURCE_TYPES
                ),
            ),
            Status.PASS,
        ),
        (recording(), Status.FAIL),
        (recording(_recorder(recording=False)), Status.FAIL),
        (
            recording(
                _recorder(strategy=RecordingStrategy.INCLUSION, resource_types=EVERYTHING_BUT_ONE)
            ),
            Status.FAIL,
        ),
        (
            recording(
                _recorder(
                    strategy=RecordingStrategy.EXCLUSION,
                    excluded_resource_types=("AWS::S3::Bucket",),
                )
            ),
            Status.FAIL,
        ),
        (recording(unreadable=True), Status.UNKNOWN),
        (recording(_recorder(recording=None)), Status.UNKNOWN),
        # status unknown, but the recorder could never be enough: a definite FAIL
        (
            recording(
                _recorder(
                    recording=None,
                    strategy=RecordingStrategy.INCLUSION,
                    resource_types=("AWS::S3::Bucket",),
                )
            ),
            Status.FAIL,
        ),
    ],
)
def test_config_recorder(resource: Resource[Any], status: Status) -> None:
    found = judge("LOG-CONFIG-01", resource)
    assert found.status is status
    assert found.message.startswith(f"Region {REGION}")


def test_config_evidence_names_missing_types() -> None:
    found = judge(
        "LOG-CONFIG-01",
        recording(
            _recorder(strategy=RecordingStrategy.INCLUSION, resource_types=EVERYTHING_BUT_ONE)
        ),
    )
    assert found.evidence == {
        "recorders": [
            {
                "name": "default",
                "recording": True,
                "strategy": "INCLUSION_BY_RESOURCE_TYPES",
                "missing_resource_types": [REQUIRED_RESOURCE_TYPES[0]],
                "last_status": None,
            }
        ]
    }


def test_config_required_types_parameter() -> None:
    only_buckets = recording(
        _recorder(strategy=RecordingStrategy.INCLUSION, resource_types=("AWS::S3::Bucket",))
    )
    assert judge("LOG-CONFIG-01", only_buckets).status is Status.FAIL
    found = judge("LOG-CONFIG-01", only_buckets, {"required_resource_types": ["AWS::S3::Bucket"]})
    assert found.status is Status.PASS


def test_config_applies_whatever_the_phi_tag() -> None:
    found = judge("LOG-CONFIG-01", recording(_recorder()), phi_tags=(("phi", "yes"),))
    assert found.status is Status.PASS


# --- GuardDuty --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resource", "status"),
    [
        (detection(Detector("d1", "ENABLED")), Status.PASS),
        (detection(Detector("d0", "DISABLED"), Detector("d1", "ENABLED")), Status.PASS),
        (detection(), Status.FAIL),
        (detection(Detector("d1", "DISABLED")), Status.FAIL),
        (detection(unreadable=True), Status.UNKNOWN),
        (detection(Detector("d1", None)), Status.UNKNOWN),
    ],
)
def test_guardduty(resource: Resource[Any], status: Status) -> None:
    found = judge("LOG-THREATDETECT-01", resource, phi_tags=(("phi", "yes"),))
    assert found.status is status
    assert found.message.startswith(f"Region {REGION}")
    detectors = resource.props.detectors
    expected = (
        None
        if detectors is None
        else [{"detector_id": d.detector_id, "status": d.status} for d in detectors]
    )
    assert found.evidence == {"detectors": expected}
