"""GuardDuty threat detection must be enabled in every scanned region."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, INCIDENT_PROCEDURES, LOGIN_MONITORING
from scanner.kinds.monitoring import ThreatDetection
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="LOG-GUARDDUTY-01",
    title="GuardDuty threat detection is enabled in the region",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(ACTIVITY_REVIEW, LOGIN_MONITORING, INCIDENT_PROCEDURES),
    kinds=(ThreatDetection.KIND,),
    providers=("aws",),
    phi_scoped=False,
)
def guardduty_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """GuardDuty continuously reviews account activity for signs of compromise.

    It analyses CloudTrail, VPC flow and DNS activity for stolen credentials used from
    unusual places, brute-force log-ins and data exfiltration. Where it is off, nobody is
    alerted when an intruder reaches ePHI.
    """
    props: ThreatDetection = resource.props
    if props.detectors is None:
        return Verdict.unknown(
            f"Region {resource.region}: GuardDuty detectors could not be listed.",
            detectors=None,
        )
    evidence: list[JSONValue] = [
        {"detector_id": d.detector_id, "status": d.status} for d in props.detectors
    ]
    if not props.detectors:
        return Verdict.fail(
            f"Region {resource.region} has no GuardDuty detector.",
            detectors=[],
        )
    enabled = [d for d in props.detectors if d.enabled]
    if enabled:
        return Verdict.passed(
            f"Region {resource.region} runs GuardDuty (detector {enabled[0].detector_id}).",
            detectors=evidence,
        )
    if any(d.enabled is None for d in props.detectors):
        return Verdict.unknown(
            f"Region {resource.region}: the status of its GuardDuty detector could not be read.",
            detectors=evidence,
        )
    return Verdict.fail(
        f"Region {resource.region} has a GuardDuty detector, but it is suspended.",
        detectors=evidence,
    )
