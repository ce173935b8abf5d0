"""Cloud faults never crash a scan: every declared API, denied in turn, becomes a gap.

The demo estate is seeded once into moto's in-process mock; then each API operation that
any collector declares is made to fail (AccessDenied, throttling, a 5xx or a timeout) while
the collectors that call it run. The scan must finish, record the fault as a gap, and no
rule may raise.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ReadTimeoutError

from providers.aws.provider import CORE_CALLS, all_collectors, permissions
from providers.base import CallCounter
from rules import load_rules
from scanner.cli import main
from scanner.engine import evaluate
from tests.providers.aws.helpers import (
    REGIONS,
    answering,
    demo_estate_mock,
    failing,
    operation_name,
    scan,
)

# APIs moto lacks: these calls fail on every in-process scan, denied or not. moto has no
# AWS Artifact and no IAM Access Analyzer backend, no AWS Backup ListProtectedResources, no
# Systems Manager inventory, no Lambda ListFunctionUrlConfigs, and its wafv2 lacks
# ListResourcesForWebACL (the demo's server answers some of these; the in-process mock
# cannot).
ALWAYS_FAILING = {
    "artifact.ListCustomerAgreements",
    "backup.ListProtectedResources",
    "accessanalyzer.ListAnalyzers",
    "wafv2.ListResourcesForWebACL",
    "ssm.DescribeInstanceInformation",
    "lambda.ListFunctionUrlConfigs",
    "redshift-serverless.ListWorkgroups",
}
# Operations the demo estate gives no occasion to call (no Aurora cluster, no classic ELB,
# no HTTPS listener). Listed so that a collector that silently stops
# calling an API makes this test fail.
NOT_EXERCISED = {
    "rds.DescribeDBClusterParameters",
    "rds.DescribeDBClusterSnapshotAttributes",
    "elb.DescribeLoadBalancerAttributes",
    "elb.DescribeLoadBalancerPolicies",
    "elb.DescribeTags",
    "elbv2.DescribeSSLPolicies",
    # moto reports every backup vault empty, and an empty vault's points are not listed.
    "backup.ListRecoveryPointsByBackupVault",
    # Only reached when ListAnalyzers answers, which moto cannot (see ALWAYS_FAILING); its
    # faults are injected in tests/providers/aws/test_accessanalyzer.py.
    "accessanalyzer.ListFindings",
    # moto marks an ACM certificate in use only behind a classic ELB listener, which the
    # demo has none of; tests/providers/aws/test_acm.py reads one in use.
    "acm.DescribeCertificate",
    # Redshift Serverless lists no workgroup on moto (no backend), so neither its namespaces
    # nor tags are asked; test_streams_analytics.py injects their faults on canned answers.
    "redshift-serverless.ListNamespaces",
    "redshift-serverless.ListTagsForResource",
}
COLLECTED_OPERATIONS = sorted(set(permissions()) - set(CORE_CALLS))


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The demo estate, seeded once for the module into moto's in-process mock."""
    with demo_estate_mock(tmp_path_factory.mktemp("amis")):
        yield


def services_calling(operation: str) -> list[str]:
    return sorted({c.service for c in all_collectors() if operation in c.calls})


@contextlib.contextmanager
def timing_out(operation: str) -> Iterator[None]:
    """Make `operation` raise botocore's read timeout, as a stalled endpoint would."""

    def stall(model: Any, **_: Any) -> None:
        if operation_name(model) == operation:
            raise ReadTimeoutError(endpoint_url="https://stalled.invalid")

    with answering(stall):
        yield


FAULTS = {
    "AccessDenied": lambda op: failing(op, code="AccessDenied", status=403),
    "Throttling": lambda op: failing(op, code="ThrottlingException", status=400),
    "ServerError": lambda op: failing(op, code="InternalError", status=500),
    "Timeout": timing_out,
}


def fault_for(index: int) -> str:
    # Every operation is denied; throttling, 5xx and timeouts rotate across them.
    return ("Throttling", "ServerError", "Timeout")[index % 3]


@pytest.mark.parametrize("operation", COLLECTED_OPERATIONS)
@pytest.mark.parametrize("fault", ["AccessDenied", "other"])
def test_a_failing_api_becomes_a_gap_never_a_crash(
    estate: None, operation: str, fault: str
) -> None:
    kind = fault if fault == "AccessDenied" else fault_for(COLLECTED_OPERATIONS.index(operation))
    counter = CallCounter()
    with FAULTS[kind](operation):
        snapshot = scan(services_calling(operation), REGIONS, counter=counter)
    failed_here = {f"{g.service}.{g.operation}" for g in snapshot.gaps}
    assert all(g.error_code != "CollectorError" for g in snapshot.gaps), snapshot.gaps
    botocore_service, api = operation.split(".")
    if operation in NOT_EXERCISED:
        assert counter.counts[operation] == 0
    else:
        assert counter.counts[operation] >= 1
        assert any(g.operation == api for g in snapshot.gaps), (operation, failed_here)
    unexpected = {
        g
        for g in snapshot.gaps
        if g.operation != api and g.operation not in {op.split(".")[1] for op in ALWAYS_FAILING}
    }
    assert unexpected == set()
    report = evaluate([snapshot], load_rules())
    assert [f for f in report.findings if f.status.value == "ERROR"] == []
    assert botocore_service


def test_denied_bucket_policy_through_the_cli(
    estate: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, sarif = tmp_path / "r.json", tmp_path / "r.sarif"
    args = [
        "aws",
        "--region",
        "us-east-1",
        "--region",
        "eu-west-1",
        "--no-progress",
        "--max-attempts",
        "1",
        "--fail-on",
        "medium",
        "--rule",
        "PUB-BUCKET-03",
        "--rule",
        "EIT-BUCKET-01",
        "--rule",
        "BAK-BUCKET-01",
        "--format",
        "json,sarif",
        "-o",
        str(out),
        "-o",
        str(sarif),
    ]
    for strict, expected_code in (([], 1), (["--strict"], 3)):
        with failing("s3.GetBucketPolicy"), pytest.raises(SystemExit) as exited:
            main([*args, *strict])
        assert exited.value.code == expected_code
        assert "Traceback" not in capsys.readouterr().err
    report = json.loads(out.read_text())
    statuses = {(f["rule_id"], f["status"]) for f in report["findings"]}
    # Every bucket's policy-derived facts are unknown; versioning is still judged.
    assert {s for r, s in statuses if r in ("PUB-BUCKET-03", "EIT-BUCKET-01")} == {"UNKNOWN"}
    assert {s for r, s in statuses if r == "BAK-BUCKET-01"} == {"PASS", "FAIL"}
    denied = [g for g in report["gaps"] if g["operation"] == "GetBucketPolicy"]
    assert len(denied) == 8 and {g["error_code"] for g in denied} == {"AccessDenied"}
    (run,) = json.loads(sarif.read_text())["runs"]
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert sum("GetBucketPolicy" in n for n in notes) == 8
    assert run["invocations"][0]["executionSuccessful"] is False
