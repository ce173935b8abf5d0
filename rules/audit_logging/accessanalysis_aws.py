"""IAM Access Analyzer must watch for external access in every scanned region."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_AUTHORIZATION, ACTIVITY_REVIEW, INFORMATION_ACCESS_MANAGEMENT
from scanner.kinds.monitoring_edge import AccessAnalysis
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="LOG-ACCESSANALYSIS-01",
    title="IAM Access Analyzer (external access) is enabled in the region",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(ACTIVITY_REVIEW, INFORMATION_ACCESS_MANAGEMENT, ACCESS_AUTHORIZATION),
    kinds=(AccessAnalysis.KIND,),
    providers=("aws",),
    phi_scoped=False,
)
def access_analyzer_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """An external-access analyzer reports every resource shared outside the account.

    An active account or organization analyzer reads the resource policies of buckets,
    keys, roles, queues, secrets, functions and more, and reports each grant to another
    account or to anyone. It catches exposure the scanner does not model itself; an
    unused-access analyzer alone does not.
    """
    props: AccessAnalysis = resource.props
    subject = f"Region {resource.region}"
    if props.analyzers is None:
        return Verdict.unknown(f"{subject}: its access analyzers could not be listed.")
    evidence: list[JSONValue] = [
        {"name": a.name, "scope": a.scope.value, "status": a.status} for a in props.analyzers
    ]
    active = [a for a in props.analyzers if a.external_access]
    if active:
        return Verdict.passed(
            f"{subject} has an active external-access analyzer ({active[0].name}, "
            f"{active[0].scope.value}).",
            analyzers=evidence,
        )
    return Verdict.fail(
        f"{subject} has no active account or organization access analyzer.", analyzers=evidence
    )
