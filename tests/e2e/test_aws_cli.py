"""End to end: the installed `hipaa-scan aws` against a moto server seeded with the demo estate.

The estate (providers/aws/demo_estate.py) spans us-east-1 and eu-west-1 and holds the near
misses that must not be reported as the stronger violation: `s3:*` on `*` is not admin,
`*` on one ARN is not admin, `Principal: *` pinned by `aws:SourceVpce` or
`aws:PrincipalOrgID` is not public, a Deny-only policy is not public, and Suspended
versioning is off like never-enabled.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from scanner.schemas import REPORT_SCHEMA, load_schema
from tests.e2e.conftest import load_json, run_cli, scan_args, triples
from tests.e2e.data_api_expected import data_api_iam_slice
from tests.sarif_github import check_github, validate_schema

ACCOUNT = "123456789012"
IAM = f"arn:aws:iam::{ACCOUNT}"
TRAIL = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/nwh-org-trail"
BUCKETS = (
    "nwh-access-logs",
    "nwh-billing-exports",
    "nwh-claims-staging",
    "nwh-cloudtrail-logs",
    "nwh-eu-research",
    "nwh-imaging-archive",
    "nwh-partner-exchange",
    "nwh-patient-records",
)


def bucket_rule(
    rule_id: str, failing: set[str] = frozenset(), passing: set[str] | None = None
) -> set[tuple[str, str, str]]:
    """One rule over every bucket: the named ones FAIL (or only `passing` PASS)."""
    if passing is not None:
        failing = set(BUCKETS) - passing
    return {(rule_id, f"arn:aws:s3:::{b}", "FAIL" if b in failing else "PASS") for b in BUCKETS}


IAM_POLICY_FAILURES = {
    # Admin grants decrypt with every key too (IAM-POLICY-04), and so does kms:* on every
    # key ARN; s3:* on * does not.
    "policy/nwh-break-glass": {"IAM-POLICY-01", "IAM-POLICY-04"},
    "group/nwh-ops/inline-policy/ops-everything": {"IAM-POLICY-01", "IAM-POLICY-04"},
    "policy/nwh-analytics-all": {"IAM-POLICY-01", "IAM-POLICY-04"},
    "policy/nwh-s3-operations": {"IAM-POLICY-02"},
    "policy/nwh-key-operators": {"IAM-POLICY-02", "IAM-POLICY-04"},
    "policy/nwh-records-bucket-full": {"IAM-POLICY-03"},
    "policy/nwh-phi-buckets": set(),
    "policy/nwh-ehr-read": set(),
}
ROLES = (
    "nwh-vendor-access",
    "nwh-partner-audit",
    "nwh-lambda-exec",
    "nwh-ci-deploy",
    "nwh-ci-infra",
    "nwh-break-glass-role",
    "nwh-billing-vendor",
    "nwh-backup-vendor",
)
EXPECTED_STORAGE_IDENTITY_AUDIT = {
    # Issue 11 group A: no demo bucket uses Object Lock (a low-severity finding).
    *bucket_rule("BAK-BUCKET-04", passing=set()),
    # Platform-default SSE-S3 counts as encrypted; only the records bucket uses a CMK.
    *bucket_rule("EAR-BUCKET-01"),
    *bucket_rule("EAR-BUCKET-02", passing={"nwh-patient-records"}),
    *bucket_rule("EIT-BUCKET-01", passing={"nwh-patient-records", "nwh-claims-staging"}),
    *bucket_rule("LOG-BUCKET-01", passing={"nwh-patient-records"}),
    *bucket_rule("LOG-DATAEVENTS-01", passing={"nwh-patient-records"}),
    # Suspended versioning on the imaging archive is off, like never enabled.
    *bucket_rule("BAK-BUCKET-01", passing={"nwh-patient-records", "nwh-claims-staging"}),
    *bucket_rule(
        "PUB-BUCKET-01", passing={"nwh-access-logs", "nwh-cloudtrail-logs", "nwh-patient-records"}
    ),
    # The partner exchange is a pre-2023 bucket with ACLs on and no IgnorePublicAcls: its
    # objects may be public through their own ACLs (UNKNOWN with the reason).
    *{
        t
        for t in bucket_rule("PUB-BUCKET-02", failing={"nwh-imaging-archive"})
        if t[1] != "arn:aws:s3:::nwh-partner-exchange"
    },
    ("PUB-BUCKET-02", "arn:aws:s3:::nwh-partner-exchange", "UNKNOWN"),
    *bucket_rule(
        "PUB-BUCKET-04", failing={"nwh-access-logs", "nwh-imaging-archive", "nwh-partner-exchange"}
    ),
    # Only the unconditioned Principal * policy is public: the VPC-endpoint, org-pinned and
    # Deny-only policies are not.
    *bucket_rule("PUB-BUCKET-03", failing={"nwh-eu-research"}),
    ("PUB-BUCKETDEFAULT-01", f"arn:aws:s3::{ACCOUNT}:account-public-access-block", "FAIL"),
    # `*` on `*` (string and list forms) or on `arn:aws:*:*:*:*` is admin; `s3:*` on `*`
    # and `kms:*` on every key ARN are service wildcards; `*` on one bucket ARN is the
    # lower finding; `s3:*` on one bucket prefix is none of these.
    *{
        (rule, f"{IAM}:{policy}", "FAIL" if rule in failing else "PASS")
        for policy, failing in IAM_POLICY_FAILURES.items()
        for rule in ("IAM-POLICY-01", "IAM-POLICY-02", "IAM-POLICY-03", "IAM-POLICY-04")
    },
    ("IAM-ROLE-01", f"{IAM}:role/nwh-vendor-access", "FAIL"),
    ("IAM-ROLE-01", f"{IAM}:role/nwh-partner-audit", "PASS"),
    ("IAM-ROLE-01", f"{IAM}:role/nwh-lambda-exec", "PASS"),
    # GitHub Actions trusted on the audience alone is open; pinned to one repo it is not.
    ("IAM-ROLE-01", f"{IAM}:role/nwh-ci-deploy", "FAIL"),
    ("IAM-ROLE-01", f"{IAM}:role/nwh-ci-infra", "PASS"),
    *{
        ("IAM-ROLE-01", f"{IAM}:role/{role}", "PASS")
        for role in ("nwh-break-glass-role", "nwh-billing-vendor", "nwh-backup-vendor")
    },
    ("IAM-USER-01", f"{IAM}:user/alice.admin", "FAIL"),
    ("IAM-USER-01", f"{IAM}:user/bob.clinician", "PASS"),
    ("IAM-USER-02", f"{IAM}:user/alice.admin", "FAIL"),
    ("IAM-USER-02", f"{IAM}:user/bob.clinician", "PASS"),
    # Admin by any path: alice directly, bob through the ops group.
    ("IAM-USER-03", f"{IAM}:user/alice.admin", "FAIL"),
    ("IAM-USER-03", f"{IAM}:user/bob.clinician", "FAIL"),
    *{
        (rule, f"{IAM}:role/{role}", "FAIL" if role in failing else "PASS")
        for rule, failing in (
            ("IAM-ROLE-02", {"nwh-break-glass-role"}),
            ("IAM-ROLE-03", {"nwh-billing-vendor"}),
        )
        for role in ROLES
    },
    ("IAM-KEY-01", f"{IAM}:user/alice.admin", "PASS"),
    ("IAM-KEY-01", f"{IAM}:user/bob.clinician", "PASS"),
    ("IAM-KEY-02", f"{IAM}:user/alice.admin", "PASS"),
    ("IAM-KEY-02", f"{IAM}:user/bob.clinician", "PASS"),
    ("IAM-ROOT-01", f"{IAM}:account-settings", "PASS"),
    ("IAM-ROOT-02", f"{IAM}:account-settings", "FAIL"),  # moto reports no root MFA
    ("IAM-PASSWORD-01", f"{IAM}:account-settings", "FAIL"),
    ("IAM-PASSWORD-02", f"{IAM}:account-settings", "FAIL"),
    ("IAM-PASSWORD-03", f"{IAM}:account-settings", "FAIL"),
    # Issue 11 group A: no character class required; moto's root has no MFA at all; the
    # two users' passwords are new (unused, but within 90 days of creation).
    ("IAM-PASSWORD-04", f"{IAM}:account-settings", "FAIL"),
    ("IAM-ROOT-03", f"{IAM}:account-settings", "FAIL"),
    *{
        (rule, f"{IAM}:user/{user}", "PASS")
        for rule in ("IAM-USER-04", "IAM-USER-05")
        for user in ("alice.admin", "bob.clinician")
    },
    ("LOG-TRAIL-01", f"arn:aws:cloudtrail::{ACCOUNT}:coverage", "PASS"),
    ("LOG-TRAIL-02", TRAIL, "PASS"),
    ("LOG-TRAIL-03", TRAIL, "FAIL"),
    ("LOG-TRAIL-04", TRAIL, "PASS"),
    ("LOG-TRAIL-05", TRAIL, "PASS"),
    # The trail names a CloudWatch Logs group, but moto never reports a delivery there.
    ("LOG-TRAIL-06", f"arn:aws:cloudtrail::{ACCOUNT}:coverage", "FAIL"),
    # moto has no AWS Artifact: the BAA is UNKNOWN with the reason, never PASS.
    ("AGR-BAA-01", f"arn:aws:artifact::{ACCOUNT}:customer-agreements", "UNKNOWN"),
    # Issue 11 group D: AUTH on caches, root access on ML notebooks.
    *data_api_iam_slice(),
}
SLICE_PREFIXES = (
    "EAR-BUCKET",
    "EIT-BUCKET",
    "LOG-BUCKET",
    "BAK-BUCKET",
    "PUB-BUCKET",
    "PUB-BUCKETDEFAULT",
    "LOG-DATAEVENTS",
    "LOG-TRAIL",
    "IAM-",
    "AGR-",
)


# Judged elsewhere: the compute rules in test_aws_compute.py; secrets carry generated ARN
# suffixes, so test_aws_services asserts them, with the ids.
ELSEWHERE = ("IAM-INSTANCE", "IAM-SECRET")


def slice_of(report: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {
        t
        for t in triples(report)
        if t[0].startswith(SLICE_PREFIXES) and not t[0].startswith(ELSEWHERE)
    }


def scan(endpoint: str, tmp_path: Path, name: str, *extra: str) -> tuple[Any, Any, Path, int]:
    out = tmp_path / name
    out.mkdir()
    result = run_cli(
        scan_args(
            endpoint,
            "--format",
            "json,sarif",
            "-o",
            str(out / "r.json"),
            "-o",
            str(out / "r.sarif"),
            "--snapshot-out",
            str(out / "s.json"),
            *extra,
        ),
        tmp_path,
    )
    assert "Traceback" not in result.stderr
    return load_json(out / "r.json"), load_json(out / "r.sarif"), out, result.code


def test_scan_reports_the_exact_storage_identity_and_audit_findings(
    demo_estate: str, tmp_path: Path
) -> None:
    report, sarif, out, code = scan(demo_estate, tmp_path, "first")
    assert code == 1  # unwaived high/critical failures exist
    assert slice_of(report) == EXPECTED_STORAGE_IDENTITY_AUDIT
    jsonschema.validate(report, load_schema(REPORT_SCHEMA))
    assert report["complete"] is False
    # moto has no Artifact, no Access Analyzer and no Redshift Serverless (the demo command
    # answers them), no Systems Manager inventory (read by the ec2 collector) and no Lambda
    # function-URL listing.
    assert {(g["service"], g["operation"]) for g in report["gaps"]} == {
        ("artifact", "ListCustomerAgreements"),
        ("accessanalyzer", "ListAnalyzers"),
        ("ec2", "DescribeInstanceInformation"),
        ("lambda", "ListFunctionUrlConfigs"),
        ("redshift-serverless", "ListWorkgroups"),
    }
    assert report["scan"]["scopes"][0]["regions"] == ["eu-west-1", "us-east-1"]
    assert (out / "s.json").stat().st_mode & 0o777 == 0o600

    assert validate_schema(sarif) == []
    assert check_github(sarif) == []
    (run,) = sarif["runs"]
    assert run["automationDetails"]["id"].startswith(f"hipaa-scan/aws/{ACCOUNT}/")
    assert run["invocations"][0]["executionSuccessful"] is False
    failing = {
        (f["rule_id"], f["resource"]["uid"]) for f in report["findings"] if f["status"] == "FAIL"
    }
    assert {
        (r["ruleId"], r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"])
        for r in run["results"]
    } == failing


def test_evaluate_reproduces_the_live_report_exactly(demo_estate: str, tmp_path: Path) -> None:
    _, _, out, code = scan(demo_estate, tmp_path, "live")
    again = run_cli(
        [
            "evaluate",
            str(out / "s.json"),
            "--format",
            "json,sarif",
            "-o",
            str(out / "again.json"),
            "-o",
            str(out / "again.sarif"),
        ],
        tmp_path,
    )
    assert again.code == code
    assert (out / "again.json").read_bytes() == (out / "r.json").read_bytes()
    assert (out / "again.sarif").read_bytes() == (out / "r.sarif").read_bytes()


def test_two_scans_of_one_estate_give_identical_fingerprints(
    demo_estate: str, tmp_path: Path
) -> None:
    _, first, _, _ = scan(demo_estate, tmp_path, "one")
    _, second, _, _ = scan(demo_estate, tmp_path, "two")

    def identities(sarif: dict[str, Any]) -> set[tuple[str, str, str]]:
        return {
            (
                r["ruleId"],
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["partialFingerprints"]["primaryLocationLineHash"],
            )
            for run in sarif["runs"]
            for r in run["results"]
        }

    assert identities(first) == identities(second)
    assert len(identities(first)) == sum(len(run["results"]) for run in first["runs"]) > 50


def test_phi_tag_limits_resource_rules_to_tagged_resources(
    demo_estate: str, tmp_path: Path
) -> None:
    report, _, _, _ = scan(
        demo_estate,
        tmp_path,
        "phi",
        "--phi-tag",
        "data-class=phi",
        "--rule",
        "EAR-BUCKET-02",
        "--rule",
        "IAM-ROOT-02",
    )
    assert triples(report) == {
        ("EAR-BUCKET-02", "arn:aws:s3:::nwh-patient-records", "PASS"),
        ("EAR-BUCKET-02", "arn:aws:s3:::nwh-imaging-archive", "FAIL"),
        ("EAR-BUCKET-02", "arn:aws:s3:::nwh-eu-research", "FAIL"),
        ("IAM-ROOT-02", f"{IAM}:account-settings", "FAIL"),  # account-level: always judged
    }
    assert report["scan"]["phi_scope"] == {
        "tags": ["data-class=phi"],
        "in_scope": 3,
        "out_of_scope": 5,
        "unknown_tags": 0,
    }


def test_fail_on_and_strict_set_the_exit_code(demo_estate: str, tmp_path: Path) -> None:
    only_medium = ["--rule", "EAR-BUCKET-02", "--format", "json", "-o", str(tmp_path / "r.json")]
    assert run_cli(scan_args(demo_estate, *only_medium), tmp_path).code == 0
    assert run_cli(scan_args(demo_estate, *only_medium, "--fail-on", "medium"), tmp_path).code == 1
    # The Artifact gap makes every scan of moto incomplete: --strict says so with exit 3.
    assert run_cli(scan_args(demo_estate, *only_medium, "--strict"), tmp_path).code == 3


def test_text_report_goes_to_stdout_and_summary_to_stderr(demo_estate: str, tmp_path: Path) -> None:
    result = run_cli(scan_args(demo_estate, "--rule", "PUB-BUCKET-03"), tmp_path)
    assert result.code == 1
    assert "nwh-eu-research" in result.stdout
    assert "PUB-BUCKET-03" in result.stdout
    assert result.stderr.startswith("hipaa-scan: 8 findings; 7 PASS, 1 FAIL, 0 UNKNOWN, 0 ERROR")
    assert json.dumps(result.stdout)  # plain text, nothing binary
