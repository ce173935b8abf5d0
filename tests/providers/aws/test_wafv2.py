"""WAF (v2) collector: regional web ACLs, their ALB associations and their logging.

moto has no ListResourcesForWebACL: its answers are built here from moto's own
association records (as the demo server does) through the `answering` helper.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.aws.demo_monitoring_edge import web_acl_resources
from providers.aws.services import wafv2
from providers.base import CallCounter
from scanner.kinds.monitoring_edge import WebAcl, WebAclCoverage
from scanner.model import Snapshot
from tests.providers.aws.helpers import (
    ACCOUNT,
    Answer,
    answering,
    by_uid,
    fake_answer,
    operation_name,
    outcomes,
    scan,
)

US, EU = "us-east-1", "eu-west-1"
RULES = ("PUB-LB-01", "LOG-WEBACL-01")


def coverage(region: str) -> str:
    return f"arn:aws:wafv2:{region}:{ACCOUNT}:regional/coverage"


def web_acl(waf: Any, name: str) -> str:
    return str(
        waf.create_web_acl(
            Name=name,
            Scope="REGIONAL",
            DefaultAction={"Allow": {}},
            VisibilityConfig={
                "SampledRequestsEnabled": False,
                "CloudWatchMetricsEnabled": False,
                "MetricName": name,
            },
        )["Summary"]["ARN"]
    )


def load_balancer(name: str, scheme: str = "internet-facing", kind: str = "application") -> str:
    ec2 = boto3.client("ec2", US)
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.9.{i}.0/24", AvailabilityZone=f"{US}{z}")[
            "Subnet"
        ]["SubnetId"]
        for i, z in enumerate("ab")
    ]
    return str(
        boto3.client("elbv2", US).create_load_balancer(
            Name=name, Subnets=subnets, Scheme=scheme, Type=kind
        )["LoadBalancers"][0]["LoadBalancerArn"]
    )


@pytest.fixture
def denied() -> set[str]:
    """Operations refused with AccessDeniedException (the one handler answers or denies:
    botocore takes the first handler's answer, so a second `answering` is never reached)."""
    return set()


@pytest.fixture
def estate(denied: set[str]) -> Iterator[dict[str, str]]:
    def associations(model: Any, params: dict[str, Any], **_: Any) -> Answer | None:
        name = operation_name(model)
        if name in denied:
            return fake_answer({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, 400)
        if name != "wafv2.ListResourcesForWebACL":
            return None
        region = params["context"]["client_region"]
        return fake_answer(web_acl_resources(region, json.loads(params["body"])))

    with mock_aws(), answering(associations):
        waf = boto3.client("wafv2", US)
        ids = {
            "guarded": load_balancer("guarded"),
            "open": load_balancer("open"),
            "internal": load_balancer("internal", scheme="internal"),
            "logged": web_acl(waf, "logged"),
            "silent": web_acl(waf, "silent"),
        }
        waf.associate_web_acl(WebACLArn=ids["silent"], ResourceArn=ids["guarded"])
        waf.put_logging_configuration(
            LoggingConfiguration={
                "ResourceArn": ids["logged"],
                "LogDestinationConfigs": [f"arn:aws:s3:::aws-waf-logs-{ACCOUNT}"],
            }
        )
        yield ids


def test_associations_and_logging(estate: dict[str, str]) -> None:
    counter = CallCounter()
    snapshot = scan(["wafv2", "elb"], counter=counter)
    # One association listing per web ACL, never one call per load balancer.
    assert counter.counts["wafv2.ListResourcesForWebACL"] == 2
    assert counter.counts["wafv2.ListWebACLs"] == 2
    assert counter.counts["wafv2.ListLoggingConfigurations"] == 2
    assert snapshot.gaps == ()
    acls = by_uid(snapshot, WebAcl.KIND)
    assert acls[estate["silent"]].props == WebAcl("regional", (estate["guarded"],), False, ())
    assert acls[estate["logged"]].props.log_destinations == (
        f"arn:aws:s3:::aws-waf-logs-{ACCOUNT}",
    )
    assert by_uid(snapshot, WebAclCoverage.KIND)[coverage(US)].props == WebAclCoverage(
        (estate["guarded"],), True
    )
    assert outcomes(snapshot, RULES) == {
        ("PUB-LB-01", estate["guarded"], "PASS"),
        ("PUB-LB-01", estate["open"], "FAIL"),
        # The internal load balancer is not judged.
        ("LOG-WEBACL-01", estate["logged"], "PASS"),
        ("LOG-WEBACL-01", estate["silent"], "FAIL"),
    }


def test_unread_associations_make_unprotected_unknown(
    estate: dict[str, str], denied: set[str]
) -> None:
    denied.add("wafv2.ListResourcesForWebACL")
    snapshot = scan(["wafv2", "elb"], regions=(US,))
    assert {g.operation for g in snapshot.gaps} == {"ListResourcesForWebACL"}
    assert outcomes(snapshot, ["PUB-LB-01"]) == {
        ("PUB-LB-01", estate["guarded"], "UNKNOWN"),
        ("PUB-LB-01", estate["open"], "UNKNOWN"),
    }


def test_unread_logging_is_unknown(estate: dict[str, str], denied: set[str]) -> None:
    denied.add("wafv2.ListLoggingConfigurations")
    snapshot = scan(["wafv2"], regions=(US,))
    assert outcomes(snapshot, ["LOG-WEBACL-01"]) == {
        ("LOG-WEBACL-01", estate["logged"], "UNKNOWN"),
        ("LOG-WEBACL-01", estate["silent"], "UNKNOWN"),
    }


def test_pages_are_followed(estate: dict[str, str]) -> None:
    pages: list[dict[str, Any]] = []

    def paged(model: Any, params: dict[str, Any], **_: Any) -> Answer | None:
        if operation_name(model) != "wafv2.ListWebACLs":
            return None
        body = json.loads(params["body"])
        pages.append(body)
        name = "second" if body.get("NextMarker") else "first"
        acl = {
            "Name": name,
            "Id": name,
            "ARN": f"arn:aws:wafv2:{US}:{ACCOUNT}:regional/webacl/{name}/{name}",
            "LockToken": "t",
        }
        return fake_answer(
            {"WebACLs": [acl], **({} if body.get("NextMarker") else {"NextMarker": "m"})}
        )

    with answering(paged):
        snapshot = scan(["wafv2"], regions=(US,))
    assert [p.get("NextMarker") for p in pages] == [None, "m"]
    assert {r.name for r in snapshot.resources if r.kind == WebAcl.KIND} == {"first", "second"}


def scan_listing(page: dict[str, Any]) -> Snapshot:
    """A wafv2 scan of us-east-1 whose every ListWebACLs answer is `page` (no logging)."""

    def answer(model: Any, **_: Any) -> Answer | None:
        if operation_name(model) == "wafv2.ListWebACLs":
            return fake_answer(page)
        if operation_name(model) == "wafv2.ListLoggingConfigurations":
            return fake_answer({"LoggingConfigurations": []})
        return None

    with mock_aws(), answering(answer):
        return scan(["wafv2"], regions=(US,))


def test_a_web_acl_without_an_arn_is_a_gap_and_coverage_is_not_complete() -> None:
    # Canned: wafv2 never lists an ACL without its ARN. Such an ACL may guard any load
    # balancer, so the region's coverage must not pass for complete.
    snapshot = scan_listing({"WebACLs": [{"Name": "nameless", "Id": "1"}]})
    assert {(g.operation, g.error_code) for g in snapshot.gaps} == {
        ("ListWebACLs", "MalformedAnswer")
    }
    (coverage,) = by_uid(snapshot, WebAclCoverage.KIND).values()
    assert coverage.props.complete is False


def test_a_marker_that_never_ends_is_a_gap_not_a_whole_listing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Canned: a fake repeating its NextMarker. The pages read must not pass for the region's
    # every web ACL, so coverage is not complete and no web ACL is judged.
    monkeypatch.setattr(wafv2, "_MAX_PAGES", 3)

    acl = {"Name": "a", "Id": "a", "ARN": f"arn:aws:wafv2:{US}:{ACCOUNT}:regional/webacl/a/a"}
    snapshot = scan_listing({"WebACLs": [acl], "NextMarker": "again"})
    assert {(g.operation, g.error_code) for g in snapshot.gaps} == {
        ("ListWebACLs", "MalformedAnswer")
    }
    assert by_uid(snapshot, WebAcl.KIND) == {}
    (coverage,) = by_uid(snapshot, WebAclCoverage.KIND).values()
    assert coverage.props.complete is False
