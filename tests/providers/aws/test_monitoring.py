"""AWS Config and GuardDuty collectors end to end under moto: one resource per region."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.aws.services.config import recorder_facts
from providers.aws.services.guardduty import detector_facts
from providers.base import CallCounter
from scanner.kinds.monitoring import (
    ConfigRecording,
    ConfigurationRecorder,
    Detector,
    RecordingStrategy,
    ThreatDetection,
)
from tests.providers.aws.helpers import ACCOUNT, by_uid, failing, outcomes, scan

RULES = ("LOG-CONFIG-01", "LOG-THREATDETECT-01")
US, EU = "us-east-1", "eu-west-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig"


def _config_uid(region: str) -> str:
    return f"arn:aws:config:{region}:{ACCOUNT}:recorder-status"


def _gd_uid(region: str) -> str:
    return f"arn:aws:guardduty:{region}:{ACCOUNT}:threat-detection"


def _recorder(region: str, group: dict[str, Any], *, start: bool = True) -> None:
    config = boto3.client("config", region)
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": ROLE,
            "recordingGroup": group,
        }
    )
    config.put_delivery_channel(
        DeliveryChannel={"name": "default", "s3BucketName": "config-bucket"}
    )
    if start:
        config.start_configuration_recorder(ConfigurationRecorderName="default")


ALL_SUPPORTED = {"allSupported": True, "includeGlobalResourceTypes": True}
ONLY_BUCKETS = {
    "allSupported": False,
    "includeGlobalResourceTypes": False,
    "resourceTypes": ["AWS::S3::Bucket"],
    "recordingStrategy": {"useOnly": "INCLUSION_BY_RESOURCE_TYPES"},
}


@pytest.fixture
def estate() -> Iterator[None]:
    with mock_aws():
        _recorder(US, ALL_SUPPORTED)
        _recorder(EU, ONLY_BUCKETS)  # recording, but misses most ePHI resource types
        boto3.client("guardduty", US).create_detector(Enable=True)
        boto3.client("guardduty", EU).create_detector(Enable=False)  # suspended
        yield


EXPECTED = {
    ("LOG-CONFIG-01", _config_uid(US), "PASS"),
    ("LOG-CONFIG-01", _config_uid(EU), "FAIL"),
    ("LOG-THREATDETECT-01", _gd_uid(US), "PASS"),
    ("LOG-THREATDETECT-01", _gd_uid(EU), "FAIL"),
}


def test_region_singleton_facts(estate: None) -> None:
    snapshot = scan(["config", "guardduty"])
    assert snapshot.gaps == ()
    recorders = by_uid(snapshot, ConfigRecording.KIND)
    detections = by_uid(snapshot, ThreatDetection.KIND)
    assert set(recorders) == {_config_uid(US), _config_uid(EU)}
    assert set(detections) == {_gd_uid(US), _gd_uid(EU)}

    us = recorders[_config_uid(US)]
    assert (us.region, us.native_type) == (US, "AWS::Config::ConfigurationRecorder")
    assert us.props.recorders == (
        ConfigurationRecorder(
            name="default",
            recording=True,
            strategy=RecordingStrategy.ALL_SUPPORTED,
            include_global_resource_types=True,
            last_status="PENDING",
        ),
    )
    (eu,) = recorders[_config_uid(EU)].props.recorders
    assert (eu.recording, eu.strategy, eu.resource_types) == (
        True,
        RecordingStrategy.INCLUSION,
        ("AWS::S3::Bucket",),
    )

    gd = detections[_gd_uid(US)]
    assert (gd.region, gd.native_type, gd.name) == (US, "AWS::GuardDuty::Detector", "guardduty")
    ((detector),) = gd.props.detectors
    assert (detector.status, detector.enabled) == ("ENABLED", True)
    ((suspended),) = detections[_gd_uid(EU)].props.detectors
    assert (suspended.status, suspended.enabled) == ("DISABLED", False)


def test_exact_outcomes(estate: None) -> None:
    snapshot = scan(["config", "guardduty"])
    assert outcomes(snapshot, RULES) == EXPECTED


def test_account_level_rules_ignore_phi_tags(estate: None) -> None:
    snapshot = scan(["config", "guardduty"])
    assert outcomes(snapshot, RULES, phi_tags=(("phi", "yes"),)) == EXPECTED


def test_nothing_configured_fails_every_region() -> None:
    with mock_aws():
        _recorder(EU, ALL_SUPPORTED, start=False)  # exists, but stopped
        snapshot = scan(["config", "guardduty"])
    assert snapshot.gaps == ()
    assert by_uid(snapshot, ConfigRecording.KIND)[_config_uid(US)].props.recorders == ()
    assert by_uid(snapshot, ThreatDetection.KIND)[_gd_uid(US)].props.detectors == ()
    assert outcomes(snapshot, RULES) == {
        ("LOG-CONFIG-01", _config_uid(US), "FAIL"),
        ("LOG-CONFIG-01", _config_uid(EU), "FAIL"),
        ("LOG-THREATDETECT-01", _gd_uid(US), "FAIL"),
        ("LOG-THREATDETECT-01", _gd_uid(EU), "FAIL"),
    }


def test_exclusion_strategy_passes_unless_it_drops_a_required_type() -> None:
    def excluding(*types: str) -> dict[str, Any]:
        return {
            "allSupported": False,
            "includeGlobalResourceTypes": False,
            "exclusionByResourceTypes": {"resourceTypes": list(types)},
            "recordingStrategy": {"useOnly": "EXCLUSION_BY_RESOURCE_TYPES"},
        }

    with mock_aws():
        _recorder(US, excluding("AWS::EC2::NetworkInterface"))
        _recorder(EU, excluding("AWS::S3::Bucket"))
        snapshot = scan(["config"])
    (us,) = by_uid(snapshot, ConfigRecording.KIND)[_config_uid(US)].props.recorders
    assert us.strategy is RecordingStrategy.EXCLUSION
    assert us.excluded_resource_types == ("AWS::EC2::NetworkInterface",)
    assert outcomes(snapshot, ("LOG-CONFIG-01",)) == {
        ("LOG-CONFIG-01", _config_uid(US), "PASS"),
        ("LOG-CONFIG-01", _config_uid(EU), "FAIL"),
    }


def test_recorder_status_denied(estate: None) -> None:
    with failing("config.DescribeConfigurationRecorderStatus"):
        snapshot = scan(["config", "guardduty"])
    us = by_uid(snapshot, ConfigRecording.KIND)[_config_uid(US)]
    assert [r.recording for r in us.props.recorders] == [None]
    assert {(g.region, g.operation, g.resource_uid) for g in snapshot.gaps} == {
        (US, "DescribeConfigurationRecorderStatus", _config_uid(US)),
        (EU, "DescribeConfigurationRecorderStatus", _config_uid(EU)),
    }
    # EU still FAILs: whatever its status, its recorder does not cover the required types.
    assert outcomes(snapshot, RULES) == {
        ("LOG-CONFIG-01", _config_uid(US), "UNKNOWN"),
        ("LOG-CONFIG-01", _config_uid(EU), "FAIL"),
        ("LOG-THREATDETECT-01", _gd_uid(US), "PASS"),
        ("LOG-THREATDETECT-01", _gd_uid(EU), "FAIL"),
    }


def test_recorders_denied(estate: None) -> None:
    with failing("config.DescribeConfigurationRecorders"):
        snapshot = scan(["config"])
    found = by_uid(snapshot, ConfigRecording.KIND)
    assert [r.props.recorders for r in found.values()] == [None, None]
    assert {(g.operation, g.error_code, g.resource_uid) for g in snapshot.gaps} == {
        ("DescribeConfigurationRecorders", "AccessDenied", _config_uid(US)),
        ("DescribeConfigurationRecorders", "AccessDenied", _config_uid(EU)),
    }
    assert outcomes(snapshot, ("LOG-CONFIG-01",)) == {
        ("LOG-CONFIG-01", _config_uid(US), "UNKNOWN"),
        ("LOG-CONFIG-01", _config_uid(EU), "UNKNOWN"),
    }


def test_get_detector_denied(estate: None) -> None:
    with failing("guardduty.GetDetector"):
        snapshot = scan(["config", "guardduty"])
    detections = by_uid(snapshot, ThreatDetection.KIND)
    assert all(d.status is None for r in detections.values() for d in r.props.detectors)
    assert {(g.service, g.operation, g.resource_uid) for g in snapshot.gaps} == {
        ("guardduty", "GetDetector", _gd_uid(US)),
        ("guardduty", "GetDetector", _gd_uid(EU)),
    }
    assert outcomes(snapshot, RULES) == {
        ("LOG-CONFIG-01", _config_uid(US), "PASS"),
        ("LOG-CONFIG-01", _config_uid(EU), "FAIL"),
        ("LOG-THREATDETECT-01", _gd_uid(US), "UNKNOWN"),
        ("LOG-THREATDETECT-01", _gd_uid(EU), "UNKNOWN"),
    }


def test_list_detectors_denied(estate: None) -> None:
    with failing("guardduty.ListDetectors"):
        snapshot = scan(["guardduty"])
    found = by_uid(snapshot, ThreatDetection.KIND)
    assert [r.props.detectors for r in found.values()] == [None, None]
    assert {(g.region, g.operation, g.resource_uid) for g in snapshot.gaps} == {
        (US, "ListDetectors", _gd_uid(US)),
        (EU, "ListDetectors", _gd_uid(EU)),
    }
    assert outcomes(snapshot, ("LOG-THREATDETECT-01",)) == {
        ("LOG-THREATDETECT-01", _gd_uid(US), "UNKNOWN"),
        ("LOG-THREATDETECT-01", _gd_uid(EU), "UNKNOWN"),
    }


def test_calls_once_per_region_and_once_per_detector(estate: None) -> None:
    counter = CallCounter()
    scan(["config", "guardduty"], counter=counter)
    assert dict(counter.counts) == {
        "sts.GetCallerIdentity": 1,
        "config.DescribeConfigurationRecorders": 2,
        "config.DescribeConfigurationRecorderStatus": 2,
        "guardduty.ListDetectors": 2,
        "guardduty.GetDetector": 2,
    }


def test_recorder_facts_from_legacy_and_partial_answers() -> None:
    # A pre-2023 recorder has no recordingStrategy; a status list without the recorder's
    # name means it never started.
    legacy = {
        "name": "old",
        "recordingGroup": {"allSupported": False, "resourceTypes": ["AWS::SQS::Queue"]},
    }
    assert recorder_facts(legacy, {}) == ConfigurationRecorder(
        name="old",
        recording=False,
        strategy=RecordingStrategy.INCLUSION,
        resource_types=("AWS::SQS::Queue",),
    )
    assert recorder_facts(legacy, None).recording is None
    status = {"old": {"name": "old", "recording": True, "lastStatus": "FAILURE"}}
    assert recorder_facts(legacy, status).last_status == "FAILURE"


def test_detector_facts() -> None:
    answer = {
        "Status": "ENABLED",
        "Features": [
            {"Name": "S3_DATA_EVENTS", "Status": "ENABLED"},
            {"Name": "EKS_AUDIT_LOGS", "Status": "DISABLED"},
        ],
    }
    assert detector_facts("d1", answer) == Detector(
        detector_id="d1",
        status="ENABLED",
        features={"S3_DATA_EVENTS": "ENABLED", "EKS_AUDIT_LOGS": "DISABLED"},
    )
    assert detector_facts("d1", None) == Detector(detector_id="d1", status=None)
    assert detector_facts("d1", {}).enabled is None
