"""GuardDuty: whether threat detection runs in each scanned region.

ListDetectors once per region, then one GetDetector per detector. Each region gets one
`monitoring.threat_detection` resource, with `detectors=None` when they could not be listed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from providers.aws.task import AwsTask
from providers.base import Fanout, collector
from scanner.kinds.monitoring import Detector, ThreatDetection
from scanner.model import Resource

NATIVE_TYPE = "AWS::GuardDuty::Detector"


@collector(
    "guardduty",
    fanout=Fanout.REGION,
    produces=(ThreatDetection.KIND,),
    calls={
        "guardduty.ListDetectors": "guardduty:ListDetectors",
        "guardduty.GetDetector": "guardduty:GetDetector",
    },
)
def guardduty_detectors(task: AwsTask) -> Iterator[Resource[ThreatDetection]]:
    """The region's GuardDuty detectors and their status."""
    client = task.client("guardduty")
    uid = f"arn:{task.partition}:guardduty:{task.region}:{task.account}:threat-detection"
    ids = task.paginate(client, "list_detectors", "DetectorIds", resource_uid=uid)
    detectors = None
    if ids is not None:
        detectors = tuple(task.map(lambda d: _detector(task, client, uid, d), sorted(ids)))
    yield task.resource(
        uid=uid,
        kind=ThreatDetection.KIND,
        native_type=NATIVE_TYPE,
        name="guardduty",
        props=ThreatDetection(detectors=detectors),
    )


def detector_facts(detector_id: str, answer: Mapping[str, Any] | None) -> Detector:
    """One detector from its GetDetector answer (None: unreadable, status unknown)."""
    if answer is None:
        return Detector(detector_id=detector_id, status=None)
    features = {
        str(f["Name"]): str(f.get("Status", ""))
        for f in answer.get("Features") or []
        if f.get("Name")
    }
    status = answer.get("Status")
    return Detector(
        detector_id=detector_id, status=str(status) if status else None, features=features
    )


def _detector(task: AwsTask, client: Any, uid: str, detector_id: str) -> Detector:
    fetched = task.call(client, "get_detector", resource_uid=uid, DetectorId=detector_id)
    return detector_facts(detector_id, fetched.response)
