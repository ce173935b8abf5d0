"""AWS Config must record configuration changes in every scanned region."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, AUDIT_CONTROLS
from scanner.kinds.monitoring import ConfigRecording, ConfigurationRecorder
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

# Regional resource types that hold or guard ePHI and that this scanner itself judges. A
# recorder that records all supported types covers them; an inclusion list must name them
# all. Global IAM types are left out: they are recorded in one region only, by design.
REQUIRED_RESOURCE_TYPES = (
    "AWS::CloudTrail::Trail",
    "AWS::DynamoDB::Table",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::Volume",
    "AWS::KMS::Key",
    "AWS::Logs::LogGroup",
    "AWS::RDS::DBInstance",
    "AWS::S3::Bucket",
    "AWS::SNS::Topic",
    "AWS::SQS::Queue",
)


@rule(
    id="LOG-CONFIG-01",
    title="AWS Config records configuration changes in the region",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ACTIVITY_REVIEW),
    kinds=(ConfigRecording.KIND,),
    providers=("aws",),
    phi_scoped=False,
    params={"required_resource_types": list(REQUIRED_RESOURCE_TYPES)},
)
def config_recorder_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """AWS Config keeps the history of who changed which resource, and how.

    That history lets a change that exposed ePHI (a bucket made public, encryption turned
    off) be found, dated and reviewed. It must be on in every region, including ones
    believed unused, where an intruder's resources would otherwise go unrecorded.
    """
    props: ConfigRecording = resource.props
    required = [str(t) for t in ctx.param("required_resource_types")]
    if props.recorders is None:
        return Verdict.unknown(
            f"Region {resource.region}: AWS Config recorders could not be read.",
            recorders=None,
        )
    if not props.recorders:
        return Verdict.fail(
            f"Region {resource.region} has no AWS Config configuration recorder.",
            recorders=[],
        )
    evidence: list[JSONValue] = [_evidence(r, required) for r in props.recorders]
    covering = [r for r in props.recorders if not _missing(r, required)]
    if any(r.recording for r in covering):
        name = next(r.name for r in covering if r.recording)
        return Verdict.passed(
            f"Region {resource.region} records configuration changes with recorder {name}.",
            recorders=evidence,
        )
    if any(r.recording is None for r in covering):
        return Verdict.unknown(
            f"Region {resource.region}: the status of its AWS Config recorders could not be read.",
            recorders=evidence,
        )
    if covering:
        return Verdict.fail(
            f"Region {resource.region} has an AWS Config recorder that is not recording.",
            recorders=evidence,
        )
    return Verdict.fail(
        f"Region {resource.region} does not record every required resource type with AWS Config.",
        recorders=evidence,
    )


def _missing(recorder: ConfigurationRecorder, required: list[str]) -> list[str]:
    return [t for t in required if not recorder.records(t)]


def _evidence(recorder: ConfigurationRecorder, required: list[str]) -> dict[str, JSONValue]:
    missing: list[JSONValue] = list(_missing(recorder, required))
    return {
        "name": recorder.name,
        "recording": recorder.recording,
        "strategy": recorder.strategy.value,
        "missing_resource_types": missing,
        "last_status": recorder.last_status,
    }
