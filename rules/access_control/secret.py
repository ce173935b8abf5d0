"""Managed secrets rotate: automatically, often enough, and in fact recently."""

from __future__ import annotations

from typing import Any

from rules.hipaa import PASSWORD_MANAGEMENT, PERSON_AUTHENTICATION
from scanner.kinds.secrets import Secret
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="IAM-SECRET-01",
    title="Secret rotates automatically within the maximum period",
    severity=Severity.MEDIUM,
    concern=Concern.ACCESS_CONTROL,
    citations=(PASSWORD_MANAGEMENT, PERSON_AUTHENTICATION),
    kinds=(Secret.KIND,),
    params={"max_rotation_days": 90},
    providers=("aws",),
)
def secret_rotation_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A database password or API key that never changes stays useful to whoever copied it.

    Automatic rotation on a short period limits how long a leaked credential to ePHI
    systems keeps working, without relying on someone remembering to change it.
    """
    props: Secret = resource.props
    limit = int(ctx.param("max_rotation_days"))
    subject = f"Secret {resource.name}"
    evidence: dict[str, JSONValue] = {
        "rotation_enabled": props.rotation_enabled,
        "rotation_interval_days": props.rotation_interval_days,
        "max_rotation_days": limit,
    }
    if props.rotation_enabled is None:
        return Verdict.unknown(f"{subject}: its rotation settings could not be read.", **evidence)
    if not props.rotation_enabled:
        return Verdict.fail(f"{subject} has automatic rotation off.", **evidence)
    days = props.rotation_interval_days
    if days is None:
        return Verdict.unknown(
            f"{subject} rotates on a schedule that is not a period in days; compare it with "
            f"{limit} days by hand.",
            **evidence,
        )
    if days > limit:
        return Verdict.fail(f"{subject} rotates every {days} days (maximum {limit}).", **evidence)
    return Verdict.passed(f"{subject} rotates automatically every {days} days.", **evidence)


@rule(
    id="IAM-SECRET-02",
    title="Secret has been rotated within the maximum period",
    severity=Severity.LOW,
    concern=Concern.ACCESS_CONTROL,
    citations=(PASSWORD_MANAGEMENT,),
    kinds=(Secret.KIND,),
    params={"max_days_since_rotation": 90},
    providers=("aws",),
)
def secret_recently_rotated(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Rotation that is switched on but keeps failing leaves the same credential in place.

    The age of the current value (since the last rotation, or since creation when it was
    never rotated) shows whether rotation really happens.
    """
    props: Secret = resource.props
    limit = int(ctx.param("max_days_since_rotation"))
    subject = f"Secret {resource.name}"
    days = props.days_since_rotation
    evidence: dict[str, JSONValue] = {
        "days_since_rotation": days,
        "ever_rotated": props.ever_rotated,
        "max_days_since_rotation": limit,
    }
    if days is None:
        return Verdict.unknown(
            f"{subject}: when it was last rotated (or created) could not be read.", **evidence
        )
    since = "last rotated" if props.ever_rotated else "never rotated, created"
    if days > limit:
        return Verdict.fail(f"{subject} was {since} {days} days ago (maximum {limit}).", **evidence)
    return Verdict.passed(f"{subject} was {since} {days} days ago.", **evidence)
