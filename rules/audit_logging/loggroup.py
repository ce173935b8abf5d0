"""Log groups must keep their events long enough to serve as HIPAA audit records.

The default minimum is 2192 days (6 years, a retention value CloudWatch Logs accepts):
45 CFR 164.316(b)(2)(i) requires documentation of the actions and assessments the
Security Rule calls for to be kept for 6 years, and audit logs are the record of the
activity reviews 164.308(a)(1)(ii)(D) and 164.312(b) require. A group that never expires
its events passes. Lower the parameter only when logs are exported to a longer-lived
archive (for example S3 with Object Lock).
"""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, AUDIT_CONTROLS, DOCUMENTATION_TIME_LIMIT
from scanner.kinds.monitoring import LogGroup
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

MIN_RETENTION_DAYS = 2192  # 6 years; the nearest value CloudWatch Logs accepts


@rule(
    id="LOG-LOGGROUP-01",
    title="Log group keeps events for at least the HIPAA retention period",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ACTIVITY_REVIEW, DOCUMENTATION_TIME_LIMIT),
    kinds=(LogGroup.KIND,),
    providers=("aws",),
    params={"min_retention_days": MIN_RETENTION_DAYS},
)
def loggroup_retention_sufficient(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Audit records only help if they still exist when someone asks what happened.

    HIPAA expects Security Rule documentation to be kept for 6 years; a log group that
    deletes its events sooner loses the evidence of who accessed ePHI and when.
    """
    props: LogGroup = resource.props
    minimum = int(ctx.param("min_retention_days"))
    if props.never_expires is None:
        return Verdict.unknown(
            f"Log group {resource.name}: its retention setting could not be read.",
            retention_days=None,
            min_retention_days=minimum,
        )
    if props.never_expires:
        return Verdict.passed(
            f"Log group {resource.name} never expires its events.",
            retention_days=None,
            never_expires=True,
            min_retention_days=minimum,
        )
    days = props.retention_days
    if days is None:
        return Verdict.unknown(
            f"Log group {resource.name}: its retention period could not be read.",
            retention_days=None,
            min_retention_days=minimum,
        )
    if days < minimum:
        return Verdict.fail(
            f"Log group {resource.name} deletes events after {days} days, "
            f"less than the required {minimum}.",
            retention_days=days,
            never_expires=False,
            min_retention_days=minimum,
        )
    return Verdict.passed(
        f"Log group {resource.name} keeps events for {days} days (at least {minimum}).",
        retention_days=days,
        never_expires=False,
        min_retention_days=minimum,
    )
