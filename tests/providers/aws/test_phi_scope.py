"""PHI scope fails closed: a resource whose tags could not be read stays in scope.

For every collector that reads tags with a call of its own, that call is denied while the
demo estate (plus one classic load balancer, which the demo lacks) is scanned: the
resources it tags get `tags=None`, survive a snapshot round trip, are judged by every
resource-level rule under `--phi-tag` exactly as without it, and are counted in the
report's PHI-scope numbers. Collectors whose tags come inline with the Describe answer
(EC2, EFS, RDS, Redshift, IAM) cannot lose them separately and are not listed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import jsonschema
import pytest

from providers.aws.provider import all_collectors
from rules import load_rules
from scanner.cli import main
from scanner.engine import EvaluationConfig, evaluate
from scanner.model import Snapshot
from scanner.schemas import SNAPSHOT_SCHEMA, load_schema
from scanner.snapshot import snapshot_from_dict, snapshot_to_dict
from tests.providers.aws.helpers import REGIONS, demo_estate_mock, failing, scan

PHI = (("data-class", "phi"),)
# The tag call of each collector, and the native type of the resources it tags.
TAG_CALLS = {
    "s3.GetBucketTagging": "AWS::S3::Bucket",
    "kms.ListResourceTags": "AWS::KMS::Key",
    "dynamodb.ListTagsOfResource": "AWS::DynamoDB::Table",
    "sns.ListTagsForResource": "AWS::SNS::Topic",
    "sqs.ListQueueTags": "AWS::SQS::Queue",
    "logs.ListTagsForResource": "AWS::Logs::LogGroup",
    "cloudfront.ListTagsForResource": "AWS::CloudFront::Distribution",
    "elbv2.DescribeTags": "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "elb.DescribeTags": "AWS::ElasticLoadBalancing::LoadBalancer",
}


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The demo estate, seeded once for the module into moto's in-process mock."""
    with demo_estate_mock(tmp_path_factory.mktemp("amis")):
        boto3.client("elb", "us-east-1").create_load_balancer(
            LoadBalancerName="nwh-legacy-classic",
            Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 8080}],
            AvailabilityZones=["us-east-1a"],
            Tags=[{"Key": "data-class", "Value": "phi"}],
        )
        yield


def _services(operation: str) -> list[str]:
    return sorted({c.service for c in all_collectors() if operation in c.calls})


def _pairs(snapshot: Snapshot, uids: set[str], phi: bool) -> set[tuple[str, str, str]]:
    config = EvaluationConfig(phi_tags=PHI if phi else ())
    report = evaluate([snapshot], load_rules(), config)
    return {
        (f.rule_id, f.resource.uid, f.status.value)
        for f in report.findings
        if f.resource.uid in uids
    }


@pytest.mark.parametrize("operation", sorted(TAG_CALLS))
def test_unreadable_tags_keep_resources_in_phi_scope(estate: None, operation: str) -> None:
    with failing(operation):
        snapshot = scan(_services(operation), REGIONS)
    tagged = [r for r in snapshot.resources if r.native_type == TAG_CALLS[operation]]
    if operation == "kms.ListResourceTags":
        # AWS-managed keys carry no tags and are never asked for them.
        tagged = [r for r in tagged if r.props.key_manager == "CUSTOMER"]
    assert tagged, "the estate holds no resource this tag call applies to"
    unknown = {r.uid for r in snapshot.resources if r.tags is None}
    assert unknown == {r.uid for r in tagged}
    assert {
        g.resource_uid for g in snapshot.gaps if g.operation == operation.split(".")[1]
    } <= unknown | {None}

    again = snapshot_from_dict(json.loads(json.dumps(snapshot_to_dict(snapshot))), "test")
    assert {r.uid for r in again.resources if r.tags is None} == unknown
    jsonschema.validate(snapshot_to_dict(snapshot), load_schema(SNAPSHOT_SCHEMA))

    # In scope exactly as without --phi-tag, and counted as scoped that way.
    assert _pairs(snapshot, unknown, phi=True) == _pairs(snapshot, unknown, phi=False)
    report = evaluate([snapshot], load_rules(), EvaluationConfig(phi_tags=PHI))
    data_kinds = {k for r in load_rules() if r.meta.phi_scoped for k in r.meta.kinds}
    assert report.phi.unknown_tags == sum(
        1 for r in snapshot.resources if r.tags is None and r.kind in data_kinds
    )


def test_public_phi_bucket_with_denied_tags_fails_the_gate(
    estate: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The reported case: before, the bucket left the scope and the scan exited 0."""
    out = tmp_path / "r.json"
    args = [
        "aws",
        "--region",
        "us-east-1",
        "--region",
        "eu-west-1",
        "--no-progress",
        "--max-attempts",
        "1",
        "--phi-tag",
        "data-class=phi",
        "--rule",
        "PUB-BUCKET-03",
        "--format",
        "json",
        "-o",
        str(out),
    ]
    with failing("s3.GetBucketTagging"), pytest.raises(SystemExit) as exited:
        main(args)
    assert exited.value.code == 1
    assert "Traceback" not in capsys.readouterr().err
    report: dict[str, Any] = json.loads(out.read_text())
    failed = {
        (f["rule_id"], f["resource"]["uid"], f["status"])
        for f in report["findings"]
        if f["status"] == "FAIL"
    }
    assert failed == {("PUB-BUCKET-03", "arn:aws:s3:::nwh-eu-research", "FAIL")}
    assert report["scan"]["phi_scope"]["unknown_tags"] == 8
