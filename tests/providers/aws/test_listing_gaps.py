"""A listing that fails makes every rule over its kinds UNKNOWN for that scope, never silent.

Each collector in turn has every call it declares denied; the scan must then report, for
each rule over a kind the collector produces, one UNKNOWN finding on the scope resource
``aws/<account>/<region>/<kind>`` of every scope it could not list, and no PASS or FAIL
on those kinds (nothing was read, so nothing may look clean).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from providers.aws.provider import all_collectors
from providers.aws.task import GLOBAL
from providers.base import Collector, Fanout
from rules import load_rules
from scanner.cli import main
from scanner.engine import evaluate, scope_uid
from scanner.model import Status
from tests.providers.aws.helpers import ACCOUNT, REGIONS, demo_estate_mock, failing, scan

# Account-wide collectors that list through one client per scanned region: their failed
# listings are recorded (and reported) per region, not once for the account.
LISTS_PER_REGION = {"cloudtrail", "accessanalyzer"}
# CloudTrail records a failed DescribeTrails on its coverage singleton (so LOG-TRAIL-01 is
# UNKNOWN per region), not as a listing: per-trail rules have no scope finding yet. Listed
# so that the day the collector reports it as a listing, this test says so.
NOT_SCOPED = {("cloudtrail", "logging.trail")}


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The demo estate, seeded once for the module into moto's in-process mock."""
    with demo_estate_mock(tmp_path_factory.mktemp("amis")):
        yield


def _scopes(coll: Collector) -> list[str]:
    if coll.fanout is Fanout.REGION or coll.service in LISTS_PER_REGION:
        return list(REGIONS)
    return [GLOBAL]


def _operations(coll: Collector) -> list[str]:
    return sorted(coll.calls)


@pytest.mark.parametrize("coll", all_collectors(), ids=lambda c: f"{c.service}.{c.name}")
def test_a_denied_collector_reports_unknown_per_rule_and_scope(
    estate: None, coll: Collector
) -> None:
    with failing(*_operations(coll)):
        snapshot = scan([coll.service], REGIONS)
    rules = [
        r
        for r in load_rules()
        if "aws" in r.meta.providers and set(r.meta.kinds) & set(coll.produces)
    ]
    report = evaluate([snapshot], rules)
    unknown = {
        (f.rule_id, f.resource.kind, f.resource.region)
        for f in report.findings
        if f.status is Status.UNKNOWN
    }
    scoped = {(f.rule_id, f.resource.uid) for f in report.findings if f.evidence.get("scope")}
    missing = set()
    for rule in rules:
        for kind in set(rule.meta.kinds) & set(coll.produces):
            if (coll.service, kind) in NOT_SCOPED:
                assert not any(uid.endswith(f"/{kind}") for rid, uid in scoped if rid == rule.id)
                continue
            for region in _scopes(coll):
                # A scope is covered by its scope finding, or (for account singletons the
                # collector always yields) by the singleton's own UNKNOWN.
                if (
                    (rule.id, scope_uid("aws", ACCOUNT, region, kind)) not in scoped
                    and (rule.id, kind, region) not in unknown
                    and (rule.id, kind, GLOBAL) not in unknown
                ):
                    missing.add((rule.id, kind, region))
    assert missing == set()
    assert all(f.status is Status.UNKNOWN for f in report.findings if f.evidence.get("scope"))
    judged = {
        (f.rule_id, f.resource.uid)
        for f in report.findings
        if f.status in (Status.PASS, Status.FAIL) and f.resource.kind in coll.produces
    }
    assert judged == set()


def test_denied_listings_show_in_every_output_and_fail_strict(
    estate: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue's case: ListAllMyBuckets and GetAccountAuthorizationDetails denied."""
    outputs = {fmt: tmp_path / f"r.{fmt}" for fmt in ("text", "json", "sarif", "markdown")}
    args = [
        "aws",
        "--region",
        "us-east-1",
        "--no-progress",
        "--max-attempts",
        "1",
        "--rule",
        "PUB-BUCKET-01",
        "--rule",
        "IAM-ROLE-01",
        "--format",
        ",".join(outputs),
        *(a for p in outputs.values() for a in ("-o", str(p))),
    ]
    for strict, expected_code in (([], 0), (["--strict"], 3)):
        with (
            failing("s3.ListBuckets", "iam.GetAccountAuthorizationDetails"),
            pytest.raises(SystemExit) as exited,
        ):
            main([*args, *strict])
        assert exited.value.code == expected_code
        assert "Traceback" not in capsys.readouterr().err
    bucket_scope = scope_uid("aws", ACCOUNT, GLOBAL, "storage.bucket")
    role_scope = scope_uid("aws", ACCOUNT, GLOBAL, "iam.principal")
    report = json.loads(outputs["json"].read_text())
    assert {(f["rule_id"], f["resource"]["uid"], f["status"]) for f in report["findings"]} == {
        ("PUB-BUCKET-01", bucket_scope, "UNKNOWN"),
        ("IAM-ROLE-01", role_scope, "UNKNOWN"),
    }
    text = outputs["text"].read_text()
    assert bucket_scope in text and role_scope in text
    assert "NOT EVALUATED: UNKNOWN / ERROR (2)" in text
    markdown = outputs["markdown"].read_text()
    rows = {
        line.split("|")[1].strip(): line
        for line in markdown.splitlines()
        if line.startswith("| PUB-BUCKET-01 ") or line.startswith("| IAM-ROLE-01 ")
    }
    # Per-rule row (rule, what it checks, severity, then FAIL, waived, UNKNOWN, ERROR, PASS).
    assert {rid: [c.strip() for c in line.split("|")[4:9]] for rid, line in rows.items()} == {
        "PUB-BUCKET-01": ["0", "0", "1", "0", "0"],
        "IAM-ROLE-01": ["0", "0", "1", "0", "0"],
    }
    (run,) = json.loads(outputs["sarif"].read_text())["runs"]
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert any("ListBuckets" in n for n in notes)
    assert any("GetAccountAuthorizationDetails" in n for n in notes)
    assert run["invocations"][0]["executionSuccessful"] is False
