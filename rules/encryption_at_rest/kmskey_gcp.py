"""Cloud KMS only: keys rotate at least as often as the parameter says."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from scanner.kinds.kms import Key
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-KEY-03",
    title="Cloud KMS key rotates automatically within the maximum period",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(Key.KIND,),
    providers=("gcp",),
    params={"max_rotation_days": 90},
)
def cloud_kms_rotation_period(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Rotation limits how much ePHI one key version protects and how long a leak matters.

    Only symmetric encryption keys rotate automatically; other keys are not judged, and a
    key without any rotation is judged by the rotation-enabled rule, not twice.
    """
    props: Key = resource.props
    if props.gcp is None:
        return Verdict.not_applicable("not a Cloud KMS key")
    if props.rotation_applicable is False:
        return Verdict.not_applicable("Cloud KMS rotates only symmetric encryption keys")
    maximum = int(ctx.param("max_rotation_days"))
    days = props.gcp.rotation_period_days
    evidence: dict[str, JSONValue] = {"rotation_period_days": days, "max_rotation_days": maximum}
    name = f"Key {resource.name}"
    if props.gcp.rotation_set is None or props.rotation_applicable is None:
        return Verdict.unknown(f"{name}: its rotation could not be read.", **evidence)
    if days is None:
        return Verdict.not_applicable(f"{name} has no automatic rotation (EAR-KEY-01 judges that)")
    if days > maximum:
        return Verdict.fail(f"{name} rotates every {days} days (maximum {maximum}).", **evidence)
    return Verdict.passed(f"{name} rotates every {days} days.", **evidence)
