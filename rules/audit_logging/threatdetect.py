"""Managed threat detection must be enabled in every scanned region."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, INCIDENT_PROCEDURES, LOGIN_MONITORING
from scanner.kinds.monitoring import ThreatDetection
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="LOG-THREATDETECT-01",
    title="Threat detection is enabled in the region",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(ACTIVITY_REVIEW, LOGIN_MONITORING, INCIDENT_PROCEDURES),
    kinds=(ThreatDetection.KIND,),
    providers=("aws",),
    phi_scoped=False,
)
def guardduty_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Managed threat detection continuously reviews account activity for signs of compromise.

    It analyses audit-log, network-flow and DNS activity for stolen credentials used from
    unusual places, brute-force log-ins and data exfiltration. Where it is off, nobody is
    alerted when an intruder reaches ePHI.
    """
    props: ThreatDetection = resource.props
    if props.detectors is None:
        return Verdict.unknown(
            f"Region {resource.region}: its threat-detection detectors could not be listed.",
            detectors=None,
        )
    evidence: list[JSONValue] = [
        {"detector_id": d.detector_id, "status": d.status} for d in props.detectors
    ]
    if not props.detectors:
        return Verdict.fail(
            f"Region {resource.region} has no threat-detection detector.",
            detectors=[],
        )
    enabled = [d for d in props.detectors if d.enabled]
    if enabled:
        return Verdict.passed(
            f"Region {resource.region} runs threat detection (detector {enabled[0].detector_id}).",
            detectors=evidence,
        )
    if any(d.enabled is None for d in props.detectors):
        return Verdict.unknown(
            f"Region {resource.region}: the status of its threat-detection detector could not "
            "be read.",
            detectors=evidence,
        )
    return Verdict.fail(
        f"Region {resource.region} has a threat-detection detector, but it is suspended.",
        detectors=evidence,
    )
