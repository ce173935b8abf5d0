"""End to end: the installed `hipaa-scan gcp` against the local fake of the Google APIs.

The estate (providers/gcp/demo_estate.py) has two projects. Decoys that must not be
reported as the stronger violation: a public bucket labelled ``phi=false`` (out of scope
with ``--phi-tag phi=true``), a read replica without backups (replicas are not judged for
backups), and the built-in ``_Default``/``_Required`` sinks (not exports). The Cloud SQL
Admin API is disabled in the dev project and its project IAM policy is throttled once:
the first is a gap (the scan is incomplete, nothing there is passed), the second is
retried.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from providers.gcp.demo_estate import DEV, PROD, estate
from providers.gcp.fake import Running, serve
from scanner.schemas import REPORT_SCHEMA, load_schema
from tests.e2e.conftest import load_json, run_cli, triples
from tests.sarif_github import check_github, validate_schema

GCS = "//storage.googleapis.com/projects/_/buckets/"
SQL = f"//sqladmin.googleapis.com/projects/{PROD}/instances/"
BQ = f"//bigquery.googleapis.com/projects/{PROD}/datasets/"
KMS = f"//cloudkms.googleapis.com/projects/{PROD}/locations/us-central1/keyRings/"
CRM = "//cloudresourcemanager.googleapis.com/projects/"
BIND = f"{CRM}{PROD}/iamBindings/"
SA = f"//iam.googleapis.com/projects/{PROD}/serviceAccounts/"
SA_DOMAIN = f"{PROD}.iam.gserviceaccount.com"
LOGS = "//logging.googleapis.com/projects/"

FW = f"//compute.googleapis.com/projects/{PROD}/global/firewalls/"
SUBNET = f"//compute.googleapis.com/projects/{PROD}/regions/"
# Firewall rules as Google evaluates them: rule -> the port rules it fails (others pass).
FIREWALL_FAILS = {
    "allow-https-web": (),  # decoy: 443 only
    "allow-ssh-anywhere": (),  # decoy: a deny of higher priority wins
    "allow-rdp-win": (),  # decoy: a deny of equal priority wins
    "allow-db-halves": ("PUB-FIREWALL-02",),  # 0.0.0.0/1 + 128.0.0.0/1 is the internet
    "allow-ssh-ops": ("PUB-FIREWALL-01",),  # the deny targets other instances
    "allow-any-vendor": ("PUB-FIREWALL-01", "PUB-FIREWALL-02", "PUB-FIREWALL-03"),
    "allow-internal": (),  # 10.0.0.0/8 only
}

EXPECTED = {
    # Network rules apply whatever --phi-tag says; disabled and deny rules are not judged.
    *{
        (rule_id, f"{FW}{name}", "FAIL" if rule_id in fails else "PASS")
        for name, fails in FIREWALL_FAILS.items()
        for rule_id in ("PUB-FIREWALL-01", "PUB-FIREWALL-02", "PUB-FIREWALL-03")
    },
    # Flow logs are per subnet on Google Cloud.
    ("LOG-FLOWLOG-01", f"{SUBNET}us-central1/subnetworks/default", "PASS"),
    ("LOG-FLOWLOG-01", f"{SUBNET}europe-west1/subnetworks/default", "FAIL"),
    ("LOG-FLOWLOG-01", f"{SUBNET}us-central1/subnetworks/phi-app", "PASS"),
    ("LOG-FLOWLOG-01", f"{SUBNET}us-central1/subnetworks/phi-db", "PASS"),
    # Storage: only the two phi=true buckets are in scope; the public website bucket is
    # labelled phi=false and the dev bucket is unlabelled.
    ("PUB-BUCKET-04", f"{GCS}nwh-patient-records", "PASS"),
    ("PUB-BUCKET-04", f"{GCS}nwh-imaging-public", "FAIL"),
    ("PUB-BUCKET-07", f"{GCS}nwh-patient-records", "PASS"),
    ("PUB-BUCKET-07", f"{GCS}nwh-imaging-public", "FAIL"),
    ("BAK-BUCKET-02", f"{GCS}nwh-patient-records", "PASS"),
    ("BAK-BUCKET-02", f"{GCS}nwh-imaging-public", "FAIL"),
    ("BAK-BUCKET-03", f"{GCS}nwh-patient-records", "PASS"),
    ("BAK-BUCKET-03", f"{GCS}nwh-imaging-public", "FAIL"),
    # The neutral bucket rules GCP claims.
    ("EAR-BUCKET-02", f"{GCS}nwh-patient-records", "PASS"),
    ("EAR-BUCKET-02", f"{GCS}nwh-imaging-public", "FAIL"),
    ("PUB-BUCKET-02", f"{GCS}nwh-patient-records", "PASS"),
    ("PUB-BUCKET-02", f"{GCS}nwh-imaging-public", "FAIL"),
    ("PUB-BUCKET-03", f"{GCS}nwh-patient-records", "PASS"),
    ("PUB-BUCKET-03", f"{GCS}nwh-imaging-public", "FAIL"),
    # Project IAM (project-level rules apply whatever --phi-tag says).
    ("IAM-BINDING-01", f"{BIND}roles/owner/user:alice@nwh.example", "FAIL"),
    ("IAM-BINDING-01", f"{BIND}roles/editor/serviceAccount:ci@{SA_DOMAIN}", "FAIL"),
    # Groups are judged too: basic Editor to a group fails, a predefined role passes.
    ("IAM-BINDING-01", f"{BIND}roles/editor/group:ops@nwh.example", "FAIL"),
    ("IAM-BINDING-01", f"{BIND}roles/storage.objectViewer/group:clinicians@nwh.example", "PASS"),
    ("IAM-BINDING-01", f"{CRM}{DEV}/iamBindings/roles/viewer/group:analysts@nwh.example", "PASS"),
    (
        "IAM-BINDING-01",
        f"{BIND}roles/iam.serviceAccountTokenCreator/serviceAccount:deployer@{SA_DOMAIN}",
        "PASS",
    ),
    ("IAM-BINDING-02", f"{BIND}roles/editor/serviceAccount:ci@{SA_DOMAIN}", "FAIL"),
    (
        "IAM-BINDING-02",
        f"{BIND}roles/iam.serviceAccountTokenCreator/serviceAccount:deployer@{SA_DOMAIN}",
        "FAIL",
    ),
    *{
        ("PUB-BINDING-01", uid, "FAIL" if "allAuthenticatedUsers" in uid else "PASS")
        for uid in (
            f"{BIND}roles/owner/user:alice@nwh.example",
            f"{BIND}roles/editor/serviceAccount:ci@{SA_DOMAIN}",
            f"{BIND}roles/editor/group:ops@nwh.example",
            f"{BIND}roles/viewer/allAuthenticatedUsers",
            f"{BIND}roles/iam.serviceAccountTokenCreator/serviceAccount:deployer@{SA_DOMAIN}",
            f"{BIND}roles/storage.objectViewer/group:clinicians@nwh.example",
            f"{CRM}{DEV}/iamBindings/roles/viewer/group:analysts@nwh.example",
        )
    },
    ("IAM-SERVICEKEY-01", f"{SA}ci@{SA_DOMAIN}", "FAIL"),
    ("IAM-SERVICEKEY-01", f"{SA}deployer@{SA_DOMAIN}", "PASS"),
    ("IAM-SERVICEKEY-01", f"{SA}app@{SA_DOMAIN}", "PASS"),
    # Audit logs: prod records storage reads only; dev records everything. Prod exports
    # audit logs through a sink; dev has only the built-in sink.
    ("LOG-AUDITCONFIG-01", f"{CRM}{PROD}/auditConfigs", "FAIL"),
    ("LOG-AUDITCONFIG-01", f"{CRM}{DEV}/auditConfigs", "PASS"),
    ("LOG-AUDITEXPORT-01", f"{LOGS}{PROD}/exports", "PASS"),
    ("LOG-AUDITEXPORT-01", f"{LOGS}{DEV}/exports", "FAIL"),
    # Dev's Cloud SQL Admin API is disabled: every instance rule is UNKNOWN for the listing
    # that failed (never a silent pass). The replica has no backups and is not judged for
    # them.
    *{
        (rule_id, f"gcp/{DEV}/global/database.instance", "UNKNOWN")
        for rule_id in (
            "BAK-DB-01",
            "BAK-DB-04",
            "EAR-DB-01",
            "EAR-DB-02",
            "EIT-DB-01",
            "LOG-DB-01",
            "PUB-DB-01",
        )
    },
    ("BAK-DB-01", f"{SQL}ehr-primary", "PASS"),
    ("BAK-DB-01", f"{SQL}billing-mysql", "FAIL"),
    ("BAK-DB-04", f"{SQL}ehr-primary", "PASS"),
    ("BAK-DB-04", f"{SQL}billing-mysql", "FAIL"),
    ("EAR-DB-02", f"{SQL}ehr-primary", "PASS"),
    ("EAR-DB-02", f"{SQL}ehr-replica", "PASS"),
    ("EAR-DB-02", f"{SQL}billing-mysql", "FAIL"),
    ("LOG-DB-01", f"{SQL}ehr-primary", "PASS"),
    ("LOG-DB-01", f"{SQL}ehr-replica", "PASS"),
    ("LOG-DB-01", f"{SQL}billing-mysql", "FAIL"),
    ("EIT-DB-01", f"{SQL}ehr-primary", "PASS"),
    ("EIT-DB-01", f"{SQL}ehr-replica", "PASS"),
    ("EIT-DB-01", f"{SQL}billing-mysql", "FAIL"),
    # billing-mysql's authorized networks are 0.0.0.0/1 + 128.0.0.0/1: the internet.
    ("PUB-DB-01", f"{SQL}ehr-primary", "PASS"),
    ("PUB-DB-01", f"{SQL}ehr-replica", "PASS"),
    ("PUB-DB-01", f"{SQL}billing-mysql", "FAIL"),
    *{
        ("EAR-DB-01", f"{SQL}{name}", "PASS")
        for name in ("ehr-primary", "ehr-replica", "billing-mysql")
    },
    # BigQuery
    ("PUB-DATASET-01", f"{BQ}claims", "PASS"),
    ("PUB-DATASET-01", f"{BQ}reference_open", "FAIL"),
    ("EAR-DATASET-01", f"{BQ}claims", "PASS"),
    ("EAR-DATASET-01", f"{BQ}reference_open", "FAIL"),
    # Cloud KMS
    ("EAR-KEY-03", f"{KMS}phi-ring/cryptoKeys/records-key", "PASS"),
    # No rotation at all is EAR-KEY-01's failure only.
    *{
        ("EAR-KEY-02", f"{KMS}{key}", "PASS")
        for key in (
            "phi-ring/cryptoKeys/records-key",
            "phi-ring/cryptoKeys/legacy-key",
            "phi-ring/cryptoKeys/retired-key",
            "shared-ring/cryptoKeys/shared-key",
        )
    },
    ("EAR-KEY-01", f"{KMS}phi-ring/cryptoKeys/records-key", "PASS"),
    ("EAR-KEY-01", f"{KMS}phi-ring/cryptoKeys/legacy-key", "FAIL"),
    ("EAR-KEY-01", f"{KMS}phi-ring/cryptoKeys/retired-key", "PASS"),
    ("EAR-KEY-01", f"{KMS}shared-ring/cryptoKeys/shared-key", "PASS"),
    # The shared ring's grant to allAuthenticatedUsers applies to its key.
    *{
        ("PUB-KEY-01", f"{KMS}{key}", "FAIL" if key.startswith("shared") else "PASS")
        for key in (
            "phi-ring/cryptoKeys/records-key",
            "phi-ring/cryptoKeys/legacy-key",
            "phi-ring/cryptoKeys/retired-key",
            "shared-ring/cryptoKeys/shared-key",
        )
    },
    ("EAR-KEY-03", f"{KMS}phi-ring/cryptoKeys/retired-key", "PASS"),
    ("EAR-KEY-03", f"{KMS}shared-ring/cryptoKeys/shared-key", "FAIL"),
    ("BAK-KEY-01", f"{KMS}phi-ring/cryptoKeys/records-key", "PASS"),
    ("BAK-KEY-01", f"{KMS}phi-ring/cryptoKeys/legacy-key", "PASS"),
    ("BAK-KEY-01", f"{KMS}phi-ring/cryptoKeys/retired-key", "FAIL"),
    ("BAK-KEY-01", f"{KMS}shared-ring/cryptoKeys/shared-key", "PASS"),
}


@pytest.fixture
def google() -> Iterator[Running]:
    running = serve()
    running.fake.projects.update(estate())
    running.fake.fail("sql.instances.list", 403, "SERVICE_DISABLED", match=DEV)
    running.fake.fail("cloudresourcemanager.projects.getIamPolicy", 429, match=DEV, times=1)
    yield running
    running.stop()


def scan(
    google: Running, tmp_path: Path, *extra: str
) -> tuple[int, dict[str, Any], dict[str, Any], str]:
    result = run_cli(
        [
            "gcp",
            "--api-endpoint",
            google.endpoint,
            "--anonymous",
            "--project",
            PROD,
            "--project",
            DEV,
            "--phi-tag",
            "phi=true",
            "--no-progress",
            "--max-attempts",
            "2",
            "--format",
            "json,sarif",
            "-o",
            str(tmp_path / "r.json"),
            "-o",
            str(tmp_path / "r.sarif"),
            *extra,
        ],
        tmp_path,
    )
    return (
        result.code,
        load_json(tmp_path / "r.json"),
        load_json(tmp_path / "r.sarif"),
        result.stderr,
    )


def test_gcp_scan_exact_findings_gaps_and_sarif(google: Running, tmp_path: Path) -> None:
    code, report, sarif, stderr = scan(google, tmp_path, "--snapshot-out", str(tmp_path / "s.json"))
    assert code == 1, stderr  # high-severity failures
    assert triples(report) == EXPECTED
    jsonschema.validate(report, load_schema(REPORT_SCHEMA))
    assert report["complete"] is False
    assert [(g["account"], g["operation"], g["error_code"]) for g in report["gaps"]] == [
        (DEV, "sql.instances.list", "SERVICE_DISABLED")
    ]
    # The throttled policy read was retried, not lost.
    assert [
        h.status
        for h in google.fake.hits
        if h.method_id == "cloudresourcemanager.projects.getIamPolicy" and DEV in h.path
    ] == [429, 200]
    assert "Traceback" not in stderr
    # SARIF: valid, accepted by GitHub's rules, one run per project, only FAILs.
    assert validate_schema(sarif) == []
    assert check_github(sarif) == []
    runs = {run["automationDetails"]["id"].split("/")[2]: run for run in sarif["runs"]}
    assert set(runs) == {PROD, DEV}
    failing = {(rule, uid) for rule, uid, status in EXPECTED if status == "FAIL"}
    seen = {
        (r["ruleId"], r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"])
        for run in sarif["runs"]
        for r in run["results"]
    }
    assert seen == failing
    # The snapshot re-evaluates offline to the same findings.
    again = run_cli(
        [
            "evaluate",
            str(tmp_path / "s.json"),
            "--phi-tag",
            "phi=true",
            "--format",
            "json",
            "-o",
            str(tmp_path / "again.json"),
        ],
        tmp_path,
    )
    assert again.code == 1, again.stderr
    assert triples(load_json(tmp_path / "again.json")) == EXPECTED


def test_permissions_gcp_prints_the_custom_role(tmp_path: Path) -> None:
    result = run_cli(["permissions", "gcp"], tmp_path)
    assert result.code == 0, result.stderr
    granted = [line[2:] for line in result.stdout.splitlines() if line.startswith("- ")]
    assert "storage.buckets.getIamPolicy" in granted
    assert "resourcemanager.projects.getIamPolicy" in granted
    assert granted == sorted(granted)
    assert "includedPermissions:" in result.stdout
    assert "roles/iam.securityReviewer" in result.stdout


def test_gcp_usage_errors_are_one_line(tmp_path: Path) -> None:
    result = run_cli(["gcp", "--anonymous"], tmp_path)
    assert result.code == 2
    assert "--project" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_gcp_is_the_same_scan_on_the_built_in_fake(tmp_path: Path) -> None:
    result = run_cli(
        [
            "demo",
            "--cloud",
            "gcp",
            "--phi-tag",
            "phi=true",
            "--no-progress",
            "--format",
            "json",
            "-o",
            str(tmp_path / "demo.json"),
        ],
        tmp_path,
    )
    assert result.code == 1, result.stderr
    report = load_json(tmp_path / "demo.json")
    assert triples(report) == EXPECTED
    assert [g["error_code"] for g in report["gaps"]] == ["SERVICE_DISABLED"]
