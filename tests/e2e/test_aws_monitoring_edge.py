"""End to end over group B's services: Security Hub, Access Analyzer, alarms, ACM, WAF.

The real `hipaa-scan aws` against the demo estate on a moto server. moto has no IAM Access
Analyzer, so both regions are UNKNOWN with a gap (never PASS); `hipaa-scan demo` answers it
and shows the analyzer's finding. Near misses: an alarm with no action (sign-in failures),
an IAM pattern missing one call, network changes split over two wildcard filters (covered),
a certificate valid for a year next to one expiring in ten days, and a web ACL that
protects and logs one load balancer next to one that does neither.
"""

from __future__ import annotations

from pathlib import Path

from providers.aws.demo_estate import DEMO_REGIONS
from tests.e2e.conftest import Seeded, load_json, run_cli, scan_args, triples

ACCOUNT = "123456789012"
USE1, EUW1 = "us-east-1", "eu-west-1"
COVERAGE = f"arn:aws:cloudtrail::{ACCOUNT}:coverage"
RULES = (
    "LOG-SECURITYCENTER-01",
    "LOG-ACCESSANALYSIS-01",
    "PUB-EXTACCESS-01",
    "LOG-ALARM-01",
    "LOG-ALARM-02",
    "LOG-ALARM-03",
    "LOG-ALARM-04",
    "EIT-CERT-01",
    "PUB-LB-01",
    "LOG-WEBACL-01",
)


def test_group_b_findings_are_exact(seeded: Seeded, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    selected = [arg for rule in RULES for arg in ("--rule", rule)]
    result = run_cli(
        scan_args(seeded.endpoint, "--format", "json", "-o", str(out), *selected), tmp_path
    )
    assert "Traceback" not in result.stderr
    report = load_json(out)
    ids = seeded.ids
    assert triples(report) == {
        *{
            ("LOG-SECURITYCENTER-01", f"arn:aws:securityhub:{region}:{ACCOUNT}:hub/default", s)
            for region, s in ((USE1, "PASS"), (EUW1, "FAIL"))
        },
        *{
            ("LOG-ACCESSANALYSIS-01", f"arn:aws:access-analyzer:{r}:{ACCOUNT}:analysis", "UNKNOWN")
            for r in DEMO_REGIONS
        },
        *{
            ("PUB-EXTACCESS-01", f"aws/{ACCOUNT}/{r}/monitoring.external_access", "UNKNOWN")
            for r in DEMO_REGIONS
        },
        ("LOG-ALARM-01", COVERAGE, "PASS"),
        ("LOG-ALARM-02", COVERAGE, "FAIL"),
        ("LOG-ALARM-03", COVERAGE, "FAIL"),
        ("LOG-ALARM-04", COVERAGE, "PASS"),
        ("EIT-CERT-01", ids["expiring_certificate"], "FAIL"),
        ("EIT-CERT-01", ids["valid_certificate"], "PASS"),
        ("PUB-LB-01", ids["load_balancer"], "PASS"),
        ("PUB-LB-01", ids["scheduling_lb"], "FAIL"),
        ("PUB-LB-01", ids["kiosk_lb"], "FAIL"),
        ("LOG-WEBACL-01", ids["portal_web_acl"], "PASS"),
        ("LOG-WEBACL-01", ids["staging_web_acl"], "FAIL"),
        # The API stage's web ACL (group D's) logs nowhere either.
        ("LOG-WEBACL-01", ids["api_web_acl"], "FAIL"),
    }
    assert {(g["region"], g["service"], g["operation"]) for g in report["gaps"]} >= {
        (region, "accessanalyzer", "ListAnalyzers") for region in DEMO_REGIONS
    }
