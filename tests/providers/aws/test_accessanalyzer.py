"""IAM Access Analyzer collector: analyzers per region and their active findings.

moto has no Access Analyzer backend (in-process it answers 404 "Not yet implemented"), so
every answer here is canned through the `answering` helper: the real client parses it, the
real collector runs. The plain-moto test checks that the failure is a gap and UNKNOWN.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.base import CallCounter
from scanner.kinds.monitoring_edge import (
    AccessAnalysis,
    Analyzer,
    AnalyzerScope,
    ExternalAccess,
    ExternalAccessGrant,
)
from tests.providers.aws.helpers import (
    ACCOUNT,
    Answer,
    answering,
    by_uid,
    failing,
    fake_answer,
    operation_name,
    outcomes,
    scan,
)

US, EU = "us-east-1", "eu-west-1"
RULES = ("LOG-ACCESSANALYSIS-01", "PUB-EXTACCESS-01")
BUCKET = "arn:aws:s3:::nwh-shared"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/vendor"


def analysis(region: str) -> str:
    return f"arn:aws:access-analyzer:{region}:{ACCOUNT}:analysis"


def unlisted(region: str) -> str:
    return f"aws/{ACCOUNT}/{region}/monitoring.external_access"


def exposed(target: str) -> str:
    return f"arn:aws:access-analyzer::{ACCOUNT}:external-access/{target}"


def analyzer(region: str, name: str, kind: str, status: str = "ACTIVE") -> dict[str, Any]:
    return {
        "arn": f"arn:aws:access-analyzer:{region}:{ACCOUNT}:analyzer/{name}",
        "name": name,
        "type": kind,
        "createdAt": "2024-01-01T00:00:00Z",
        "status": status,
    }


def finding(fid: str, resource: str, public: bool = False, **extra: Any) -> dict[str, Any]:
    return {
        "id": fid,
        "resource": resource,
        "resourceType": "AWS::S3::Bucket"
        if resource.startswith("arn:aws:s3")
        else "AWS::IAM::Role",
        "isPublic": public,
        "principal": {"AWS": "*" if public else "999988887777"},
        "action": ["s3:GetObject"] if public else ["sts:AssumeRole"],
        "condition": {},
        "createdAt": "2024-01-01T00:00:00Z",
        "analyzedAt": "2024-01-01T00:00:00Z",
        "updatedAt": "2024-01-01T00:00:00Z",
        "status": "ACTIVE",
        "resourceOwnerAccount": ACCOUNT,
        **extra,
    }


# us-east-1: an active account analyzer (with two findings) and an unused-access one;
# eu-west-1: only an unused-access analyzer (it does not report external access).
ANALYZERS = {
    US: [analyzer(US, "external", "ACCOUNT"), analyzer(US, "unused", "ACCOUNT_UNUSED_ACCESS")],
    EU: [analyzer(EU, "unused", "ACCOUNT_UNUSED_ACCESS")],
}
FINDINGS = {
    f"arn:aws:access-analyzer:{US}:{ACCOUNT}:analyzer/external": [
        finding("f-1", BUCKET, public=True),
        finding("f-2", ROLE, condition={"aws:PrincipalOrgID": "o-x"}),
    ]
}


@pytest.fixture
def requests() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def denied() -> set[str]:
    """Operations the canned analyzer refuses (AccessDeniedException)."""
    return set()


@pytest.fixture
def canned_analyzer(requests: list[dict[str, Any]], denied: set[str]) -> Iterator[None]:
    # One handler answers and denies: a second `answering` would never be reached, since
    # botocore takes the first handler's answer.
    def answer(model: Any, params: dict[str, Any], **_: Any) -> Answer | None:
        name = operation_name(model)
        region = params["context"]["client_region"]
        if name in denied:
            error = {"Code": "AccessDeniedException", "Message": f"injected for {model.name}"}
            return fake_answer({"Error": error}, 403)
        if name == "accessanalyzer.ListAnalyzers":
            return fake_answer({"analyzers": ANALYZERS[region]})
        if name == "accessanalyzer.ListFindings":
            body = json.loads(params["body"])
            requests.append(body)
            return fake_answer({"findings": FINDINGS.get(body["analyzerArn"], [])})
        return None

    with mock_aws(), answering(answer):
        yield


def test_analyzers_and_active_findings(
    canned_analyzer: None, requests: list[dict[str, Any]]
) -> None:
    counter = CallCounter()
    snapshot = scan(["accessanalyzer"], counter=counter)
    # One listing per region; findings only for the one external-access analyzer, filtered
    # to ACTIVE by the API (archived and resolved findings are never read).
    assert counter.counts["accessanalyzer.ListAnalyzers"] == 2
    assert counter.counts["accessanalyzer.ListFindings"] == 1
    assert requests == [
        {
            "analyzerArn": f"arn:aws:access-analyzer:{US}:{ACCOUNT}:analyzer/external",
            "filter": {"status": {"eq": ["ACTIVE"]}},
        }
    ]
    assert snapshot.gaps == ()
    regions = by_uid(snapshot, AccessAnalysis.KIND)
    assert regions[analysis(US)].props.analyzers == (
        Analyzer("external", AnalyzerScope.ACCOUNT, "ACTIVE", True),
        Analyzer("unused", AnalyzerScope.OTHER, "ACTIVE", None),
    )
    found = by_uid(snapshot, ExternalAccess.KIND)
    assert found[exposed(ROLE)].props == ExternalAccess(
        resource_uid=ROLE,
        resource_type="AWS::IAM::Role",
        owner_account=ACCOUNT,
        grants=(
            ExternalAccessGrant(
                "f-2",
                "external",
                False,
                ("AWS=999988887777",),
                ("sts:AssumeRole",),
                ("aws:PrincipalOrgID",),
            ),
        ),
    )
    assert found[exposed(BUCKET)].region == US
    # moto's account belongs to no organization: read, and none.
    assert {r.props.organization_id for r in regions.values()} == {""}
    assert outcomes(snapshot, RULES) == {
        ("LOG-ACCESSANALYSIS-01", analysis(US), "PASS"),
        # Near miss: an unused-access analyzer does not watch external access.
        ("LOG-ACCESSANALYSIS-01", analysis(EU), "FAIL"),
        ("PUB-EXTACCESS-01", exposed(BUCKET), "FAIL"),
        ("PUB-EXTACCESS-01", exposed(ROLE), "FAIL"),
    }


def test_unreadable_findings_are_a_gap_not_a_clean_bill(
    denied: set[str], canned_analyzer: None
) -> None:
    denied.add("accessanalyzer.ListFindings")
    snapshot = scan(["accessanalyzer"])
    assert {(g.region, g.operation) for g in snapshot.gaps} == {(US, "ListFindings")}
    props = by_uid(snapshot, AccessAnalysis.KIND)[analysis(US)].props
    assert props.analyzers[0] == Analyzer("external", AnalyzerScope.ACCOUNT, "ACTIVE", None)
    assert by_uid(snapshot, ExternalAccess.KIND) == {}
    # The region still passes on its active analyzer; its exposure is UNKNOWN, not clean.
    assert outcomes(snapshot, RULES) == {
        ("LOG-ACCESSANALYSIS-01", analysis(US), "PASS"),
        ("LOG-ACCESSANALYSIS-01", analysis(EU), "FAIL"),
        ("PUB-EXTACCESS-01", unlisted(US), "UNKNOWN"),
    }


def test_denied_analyzer_listing_is_unknown(denied: set[str], canned_analyzer: None) -> None:
    denied.add("accessanalyzer.ListAnalyzers")
    counter = CallCounter()
    snapshot = scan(["accessanalyzer"], counter=counter)
    assert counter.counts["accessanalyzer.ListFindings"] == 0
    assert {(g.region, g.operation, g.error_code) for g in snapshot.gaps} == {
        (US, "ListAnalyzers", "AccessDeniedException"),
        (EU, "ListAnalyzers", "AccessDeniedException"),
    }
    assert outcomes(snapshot, RULES) == {
        ("LOG-ACCESSANALYSIS-01", analysis(US), "UNKNOWN"),
        ("LOG-ACCESSANALYSIS-01", analysis(EU), "UNKNOWN"),
        # Nothing was listed: the exposure rule says so per region instead of going silent.
        ("PUB-EXTACCESS-01", unlisted(US), "UNKNOWN"),
        ("PUB-EXTACCESS-01", unlisted(EU), "UNKNOWN"),
    }


@mock_aws
def test_moto_without_the_api_is_unknown() -> None:
    snapshot = scan(["accessanalyzer"])
    assert {(g.region, g.operation) for g in snapshot.gaps} == {
        (US, "ListAnalyzers"),
        (EU, "ListAnalyzers"),
    }
    assert outcomes(snapshot, RULES) == {
        ("LOG-ACCESSANALYSIS-01", analysis(US), "UNKNOWN"),
        ("LOG-ACCESSANALYSIS-01", analysis(EU), "UNKNOWN"),
        # Nothing was listed: the exposure rule says so per region instead of going silent.
        ("PUB-EXTACCESS-01", unlisted(US), "UNKNOWN"),
        ("PUB-EXTACCESS-01", unlisted(EU), "UNKNOWN"),
    }


def test_member_of_an_organization_without_its_analyzer_in_the_scan(
    canned_analyzer: None,
) -> None:
    org = boto3.client("organizations", region_name=US).create_organization(FeatureSet="ALL")
    org_id = org["Organization"]["Id"]
    counter = CallCounter()
    snapshot = scan(["accessanalyzer"], counter=counter)
    # One DescribeOrganization per account, not per region.
    assert counter.counts["organizations.DescribeOrganization"] == 1
    assert snapshot.gaps == ()
    regions = by_uid(snapshot, AccessAnalysis.KIND)
    assert {r.props.organization_id for r in regions.values()} == {org_id}
    assert outcomes(snapshot, RULES) == {
        ("LOG-ACCESSANALYSIS-01", analysis(US), "PASS"),
        # Its organization's analyzer (another account) may cover eu-west-1: not scanned.
        ("LOG-ACCESSANALYSIS-01", analysis(EU), "UNKNOWN"),
        ("PUB-EXTACCESS-01", exposed(BUCKET), "FAIL"),
        ("PUB-EXTACCESS-01", exposed(ROLE), "FAIL"),
    }


@pytest.mark.parametrize(
    ("code", "status"), [("AccessDeniedException", 403), ("InternalError", 500)]
)
def test_unreadable_organization_is_a_gap_and_unknown(
    canned_analyzer: None, code: str, status: int
) -> None:
    with failing("organizations.DescribeOrganization", code=code, status=status):
        snapshot = scan(["accessanalyzer"])
    assert {(g.service, g.operation, g.resource_uid) for g in snapshot.gaps} == {
        ("accessanalyzer", "DescribeOrganization", analysis(US))
    }
    props = by_uid(snapshot, AccessAnalysis.KIND)[analysis(EU)].props
    assert props.organization_id is None
    # The region with its own analyzer still passes; the other is UNKNOWN, not FAIL, and
    # the failed call does not make the external-access listing look failed.
    assert outcomes(snapshot, RULES) == {
        ("LOG-ACCESSANALYSIS-01", analysis(US), "PASS"),
        ("LOG-ACCESSANALYSIS-01", analysis(EU), "UNKNOWN"),
        ("PUB-EXTACCESS-01", exposed(BUCKET), "FAIL"),
        ("PUB-EXTACCESS-01", exposed(ROLE), "FAIL"),
    }
