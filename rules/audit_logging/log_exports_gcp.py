"""Google Cloud only: audit logs are kept beyond the default bucket's 30 days."""

from __future__ import annotations

from typing import Any

from rules.hipaa import AUDIT_CONTROLS, DOCUMENTATION_TIME_LIMIT
from scanner.kinds.gcp import LogExports
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule

# Google's built-in bucket for Admin Activity and System Event audit logs (see the rule).
REQUIRED_BUCKET = "_Required"


@rule(
    id="LOG-AUDITEXPORT-01",
    title="Audit logs are exported by a sink, or kept in a log bucket long enough",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, DOCUMENTATION_TIME_LIMIT),
    kinds=(LogExports.KIND,),
    providers=("gcp",),
    phi_scoped=False,
    params={"min_retention_days": 365},
)
def audit_logs_kept(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Audit records must outlive the default bucket's 30 days for review and investigation.

    An enabled sink whose filter takes audit logs exports them out of the project's
    built-in buckets (``_Default`` and ``_Required`` are not exports); a log bucket kept at
    least the parameter's days passes too, except ``_Required``: every project has it, kept
    400 days and locked, but it holds only Admin Activity and System Event audit logs, never
    the Data Access logs that record who read ePHI, so it would pass every project.
    """
    props: LogExports = resource.props
    minimum = int(ctx.param("min_retention_days"))
    exports: list[JSONValue] = [
        s.name for s in props.sinks or () if s.exports_audit_logs and not s.disabled
    ]
    kept: list[JSONValue] = [
        b.name.rsplit("/", 1)[-1]
        for b in props.buckets or ()
        if (b.retention_days or 0) >= minimum and b.name.rsplit("/", 1)[-1] != REQUIRED_BUCKET
    ]
    evidence: dict[str, JSONValue] = {
        "audit_exports": exports,
        "long_retention_buckets": kept,
        "min_retention_days": minimum,
    }
    if exports:
        names = ", ".join(map(str, exports))
        return Verdict.passed(f"{resource.name}: sink(s) {names} export audit logs.", **evidence)
    if kept:
        names = ", ".join(map(str, kept))
        return Verdict.passed(
            f"{resource.name}: log bucket(s) {names} keep logs at least {minimum} days.", **evidence
        )
    if props.sinks is None or props.buckets is None:
        return Verdict.unknown(
            f"{resource.name}: the log sinks or buckets could not be read.", **evidence
        )
    return Verdict.fail(
        f"{resource.name}: no sink exports audit logs and no log bucket keeps them {minimum} days.",
        **evidence,
    )
