"""The README's commands, run as a user would: `demo`, `rules`, `permissions`."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from providers.aws.provider import permissions
from rules import load_rules
from scanner.model import Concern
from scanner.schemas import REPORT_SCHEMA, SNAPSHOT_SCHEMA, load_schema
from tests.e2e.conftest import load_json, run_cli
from tests.sarif_github import check_github, validate_schema


def test_demo_scans_the_sample_estate(tmp_path: Path) -> None:
    report, sarif, snapshot = tmp_path / "r.json", tmp_path / "r.sarif", tmp_path / "s.json"
    result = run_cli(
        [
            "demo",
            "--format",
            "json,sarif",
            "-o",
            str(report),
            "-o",
            str(sarif),
            "--snapshot-out",
            str(snapshot),
        ],
        tmp_path,
    )
    assert result.code == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""  # every format went to its file
    data = load_json(report)
    jsonschema.validate(data, load_schema(REPORT_SCHEMA))
    jsonschema.validate(load_json(snapshot), load_schema(SNAPSHOT_SCHEMA))
    assert validate_schema(load_json(sarif)) == []
    assert check_github(load_json(sarif)) == []
    statuses = {f["concern"] for f in data["findings"] if f["status"] == "FAIL"}
    assert statuses == {c.value for c in Concern} - {Concern.AGREEMENTS.value}
    # The demo's server answers the Artifact read with an accepted BAA: a complete scan.
    # A PASS finding is compact: its concern is its rule's.
    concern_of = {r["id"]: r["concern"] for r in data["rules"]}
    assert {
        (f["rule_id"], f["status"])
        for f in data["findings"]
        if concern_of[f["rule_id"]] == "agreements"
    } == {("AGR-BAA-01", "PASS")}
    assert data["gaps"] == [] and data["complete"] is True
    # It also answers the Systems Manager inventory and function-URL reads moto lacks.
    # A PASS finding names its resource by uid only: the function name ends the ARN.
    assert {
        (f["rule_id"], f["resource"]["uid"].rsplit(":", 1)[-1], f["status"])
        for f in data["findings"]
        if f["rule_id"] == "PUB-FUNCTION-02"
    } >= {
        ("PUB-FUNCTION-02", "nwh-portal-webhook", "FAIL"),
        ("PUB-FUNCTION-02", "nwh-lab-ingest", "PASS"),
    }
    managed = [f["status"] for f in data["findings"] if f["rule_id"] == "IAM-INSTANCE-02"]
    # The EHR server is managed; the fax gateway and the analytics cluster's node are not.
    assert sorted(managed) == ["FAIL", "FAIL", "PASS"]
    assert data["scan"]["scopes"][0]["regions"] == ["eu-west-1", "us-east-1"]


def test_demo_text_report_on_stdout(tmp_path: Path) -> None:
    result = run_cli(["demo", "--no-progress", "--rule", "PUB-BUCKET-03"], tmp_path)
    assert result.code == 1
    assert "nwh-eu-research" in result.stdout
    assert "hipaa-scan: 8 findings" in result.stderr


def test_rules_lists_every_rule_with_citations(tmp_path: Path) -> None:
    result = run_cli(["rules", "--format", "json"], tmp_path)
    assert result.code == 0
    listed = {r["id"]: r for r in json.loads(result.stdout)["rules"]}
    assert set(listed) == {r.id for r in load_rules()}
    for rule_id, entry in listed.items():
        assert entry["severity"] and entry["concern"] and entry["hipaa"], rule_id
    text = run_cli(["rules"], tmp_path)
    assert all(rule_id in text.stdout for rule_id in listed)
    assert "45 CFR 164.312(a)(2)(iv) Encryption and decryption (addressable)" in text.stdout


def test_permissions_prints_the_declared_read_only_policy(tmp_path: Path) -> None:
    result = run_cli(["permissions", "aws"], tmp_path)
    assert result.code == 0
    (statement,) = json.loads(result.stdout)["Statement"]
    assert statement["Effect"] == "Allow"
    assert statement["Action"] == sorted(set(permissions().values()))
    assert "s3:GetBucketPolicy" in statement["Action"]
