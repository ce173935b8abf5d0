"""IAM Access Analyzer must watch for external access in every scanned region."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACCESS_AUTHORIZATION, ACTIVITY_REVIEW, INFORMATION_ACCESS_MANAGEMENT
from scanner.kinds.monitoring_edge import AccessAnalysis, Analyzer
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
    unused-access analyzer alone does not. A member account is covered by its organization's
    active analyzer of the region, which lives in the management or delegated administrator
    account; when that account was not scanned (or membership could not be read) the
    verdict is UNKNOWN, not FAIL.
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
    return _member_verdict(resource, ctx, subject, evidence)


def _member_verdict(
    resource: Resource[Any], ctx: RuleContext, subject: str, evidence: list[JSONValue]
) -> Verdict:
    """No analyzer of its own: an organization analyzer elsewhere may still cover it.

    A member account's own ListAnalyzers never shows its organization's analyzer, which
    lives in the management or delegated administrator account of the same region.
    """
    org: str | None = resource.props.organization_id
    if org == "":
        # Unchanged from before organizations were read: no analyzer can cover it.
        return Verdict.fail(
            f"{subject} has no active account or organization access analyzer.",
            analyzers=evidence,
        )
    if org is None:
        return Verdict.unknown(
            f"{subject} has no access analyzer of its own, and whether the account belongs "
            "to an AWS Organization (whose analyzer would cover it) could not be read "
            "(organizations:DescribeOrganization); grant that call and scan again.",
            analyzers=evidence,
        )
    covering = ctx.keyed(resource.kind, organization_region, (org, resource.region))
    if covering:
        holder = covering[0]
        analyzer: Analyzer | None = holder.props.organization_analyzer
        name = analyzer.name if analyzer else ""
        return Verdict.passed(
            f"{subject} is covered by the active organization analyzer {name} of "
            f"{org} in account {holder.account}.",
            analyzers=evidence,
            organization=org,
            organization_analyzer={"name": name, "account": holder.account},
        )
    return Verdict.unknown(
        f"{subject} has no access analyzer of its own; the account belongs to organization "
        f"{org}, but no active organization analyzer of it in {resource.region} is in the "
        "scan. Scan the organization's management account or its Access Analyzer delegated "
        "administrator too (e.g. with --org), then evaluate the snapshots together.",
        analyzers=evidence,
        organization=org,
    )


def organization_region(resource: Resource[Any]) -> tuple[str, str] | None:
    """(organization, region) of a region that holds an active organization analyzer."""
    props: AccessAnalysis = resource.props
    if not props.organization_id or props.organization_analyzer is None:
        return None
    return (props.organization_id, resource.region)
