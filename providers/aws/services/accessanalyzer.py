"""IAM Access Analyzer: the external-access analyzers of each region and their findings.

Per scanned region one ``ListAnalyzers``, then one ``ListFindings`` (status ACTIVE) per
active account or organization analyzer: each active finding says that a principal outside
the zone of trust (or anyone) can reach a resource. The findings are grouped by the
resource they name, across regions, into one `monitoring.external_access` resource each;
they catch exposure through services the scanner does not model itself.

An organization analyzer lives in the management or delegated administrator account and
covers every member, but a member's own ListAnalyzers does not show it: each account's
organization id (``organizations:DescribeOrganization``, once per account) goes on its
analysis resources, so the rule can find its organization's analyzer in another account.

An analyzer whose findings could not be listed is marked so (`findings_listed=None`) and
the gap says why: its resources are missing from the snapshot, never reported as closed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from providers.aws.task import AwsTask
from providers.base import Fanout, collector
from scanner.kinds.monitoring_edge import (
    AccessAnalysis,
    Analyzer,
    AnalyzerScope,
    ExternalAccess,
    ExternalAccessGrant,
)
from scanner.model import Resource

_SCOPES = {"ACCOUNT": AnalyzerScope.ACCOUNT, "ORGANIZATION": AnalyzerScope.ORGANIZATION}
_ACTIVE = {"status": {"eq": ["ACTIVE"]}}
# DescribeOrganization's answer for an account that belongs to no organization.
_NO_ORGANIZATION = ("AWSOrganizationsNotInUseException",)
# (region, analyzer name, finding) of one active finding.
_Seen = tuple[str, str, Mapping[str, Any]]


@collector(
    "accessanalyzer",
    fanout=Fanout.ACCOUNT,
    produces=(AccessAnalysis.KIND, ExternalAccess.KIND),
    calls={
        "accessanalyzer.ListAnalyzers": "access-analyzer:ListAnalyzers",
        "accessanalyzer.ListFindings": "access-analyzer:ListFindings",
        "organizations.DescribeOrganization": "organizations:DescribeOrganization",
    },
)
def access_analyzers(task: AwsTask) -> Iterator[Resource[Any]]:
    """One analysis singleton per region, then one resource per externally reachable one."""
    regions = list(task.scan_regions)
    organization = organization_id(task, regions[0])
    answers = task.map(lambda region: _region(task, region, organization), regions)
    by_resource: dict[str, list[_Seen]] = defaultdict(list)
    for region, (resource, findings) in zip(regions, answers, strict=True):
        yield resource
        for analyzer_name, finding in findings:
            if finding.get("resource"):
                by_resource[str(finding["resource"])].append((region, analyzer_name, finding))
    for target in sorted(by_resource):
        yield _exposed(task, target, by_resource[target])


def organization_id(task: AwsTask, first_region: str) -> str | None:
    """The account's AWS Organization id; "" when it is in none, None when unreadable."""
    fetched = task.call(
        task.client("organizations"),
        "describe_organization",
        # About the account's analysis, not a listing: a failure must not mark the
        # external-access resources unlisted.
        resource_uid=_analysis_uid(task, first_region),
        absent=_NO_ORGANIZATION,
    )
    if fetched.failed:
        return None
    if not fetched.ok:
        return ""
    described = fetched.get("Organization")
    found = described.get("Id") if isinstance(described, Mapping) else None
    # An answer without an id says nothing about membership: unknown, not "none".
    return str(found) if found else None


def _analysis_uid(task: AwsTask, region: str) -> str:
    return f"arn:{task.partition}:access-analyzer:{region}:{task.account}:analysis"


def _region(
    task: AwsTask, region: str, organization: str | None
) -> tuple[Resource[AccessAnalysis], list[tuple[str, Mapping[str, Any]]]]:
    client = task.client("accessanalyzer", region)
    uid = _analysis_uid(task, region)
    # No resource uid on the listings: a failure there leaves the region's external-access
    # resources unlisted, and the engine then reports their rules UNKNOWN for the region.
    listed = task.paginate(client, "list_analyzers", "analyzers")
    analyzers: tuple[Analyzer, ...] | None = None
    findings: list[tuple[str, Mapping[str, Any]]] = []
    if listed is not None:
        read = []
        for entry in sorted(listed, key=lambda a: str(a.get("name", ""))):
            analyzer = analyzer_facts(entry)
            if analyzer.external_access:
                active = task.paginate(
                    client,
                    "list_findings",
                    "findings",
                    analyzerArn=str(entry.get("arn", "")),
                    filter=_ACTIVE,
                )
                analyzer = Analyzer(
                    analyzer.name,
                    analyzer.scope,
                    analyzer.status,
                    True if active is not None else None,
                )
                findings.extend((analyzer.name, f) for f in active or ())
            read.append(analyzer)
        analyzers = tuple(read)
    resource = task.resource(
        uid=uid,
        kind=AccessAnalysis.KIND,
        native_type="AWS::AccessAnalyzer::Analyzer",
        name="access-analyzer",
        props=AccessAnalysis(analyzers=analyzers, organization_id=organization),
        region=region,
    )
    return resource, findings


def analyzer_facts(entry: Mapping[str, Any]) -> Analyzer:
    """One analyzer from its ListAnalyzers entry (findings not read yet)."""
    return Analyzer(
        name=str(entry.get("name") or entry.get("arn") or ""),
        scope=_SCOPES.get(str(entry.get("type", "")).upper(), AnalyzerScope.OTHER),
        status=str(entry.get("status") or ""),
    )


def grant_facts(finding: Mapping[str, Any], analyzer: str) -> ExternalAccessGrant:
    """One active finding as a grant (principals, actions and condition keys, no values)."""
    principals = tuple(sorted(f"{k}={v}" for k, v in (finding.get("principal") or {}).items()))
    return ExternalAccessGrant(
        finding_id=str(finding.get("id", "")),
        analyzer=analyzer,
        is_public=bool(finding.get("isPublic")),
        principals=principals,
        actions=tuple(sorted(str(a) for a in finding.get("action") or ())),
        condition_keys=tuple(sorted(str(k) for k in finding.get("condition") or {})),
    )


def _exposed(task: AwsTask, target: str, findings: list[_Seen]) -> Resource[ExternalAccess]:
    region = min(region for region, _, _ in findings)
    first = findings[0][2]
    grants = sorted(
        {grant_facts(f, analyzer) for _, analyzer, f in findings},
        key=lambda g: (g.finding_id, g.analyzer),
    )
    props = ExternalAccess(
        resource_uid=target,
        resource_type=str(first.get("resourceType", "")),
        owner_account=str(first.get("resourceOwnerAccount") or task.account),
        grants=tuple(grants),
    )
    return task.resource(
        uid=f"arn:{task.partition}:access-analyzer::{task.account}:external-access/{target}",
        kind=ExternalAccess.KIND,
        native_type="AWS::AccessAnalyzer::Finding",
        name=target.rsplit(":", 1)[-1].rsplit("/", 1)[-1] or target,
        props=props,
        region=region,
    )
