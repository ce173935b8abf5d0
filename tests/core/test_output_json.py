"""The JSON report: schema validity, determinism, content, and a golden file."""

from __future__ import annotations

import copy
import dataclasses
import difflib
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from scanner.engine import fingerprint
from scanner.model import Finding, Scope
from scanner.output import JsonFormatter, json_report
from scanner.output.json_report import report_to_dict
from scanner.schemas import REPORT_SCHEMA, load_schema
from tests.core.sample import AWS_A, sample_report

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "golden" / "report.json"
TIMESTAMP_FIELDS = ('"started_at"', '"finished_at"')


def _errors(document: Any) -> list[str]:
    schema = load_schema(REPORT_SCHEMA)
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(JsonFormatter().render(sample_report()))
    return parsed


def test_schema_is_a_valid_draft7_schema() -> None:
    jsonschema.Draft7Validator.check_schema(load_schema(REPORT_SCHEMA))


def test_report_validates_against_the_shipped_schema(document: dict[str, Any]) -> None:
    assert _errors(document) == []


def _first_pass(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = next(f for f in document["findings"] if f["status"] == "PASS")
    return found


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d.pop("findings"), "'findings' is a required property"),
        (lambda d: d.update(schema_version=1), "2 was expected"),
        (lambda d: d["findings"][0].update(status="OK"), "'OK' is not one of"),
        (lambda d: d["findings"][0].update(fingerprint="abc"), "does not match"),
        (lambda d: d["rules"][0]["hipaa"][0].update(requirement="optional"), "is not one of"),
        (lambda d: d["summary"]["by_status"].pop("ERROR"), "'ERROR' is a required property"),
        (lambda d: d["findings"][0].update(extra=1), "Additional properties are not allowed"),
        (lambda d: _first_pass(d).update(message="m"), "Additional properties are not allowed"),
        (lambda d: _first_pass(d).pop("evidence"), "'evidence' is a required property"),
        (lambda d: _first_pass(d)["resource"].pop("uid"), "'uid' is a required property"),
    ],
)
def test_schema_rejects_malformed_reports(
    document: dict[str, Any], mutate: Any, expected: str
) -> None:
    broken = copy.deepcopy(document)
    mutate(broken)
    errors = _errors(broken)
    assert any(expected in e for e in errors), errors


def test_byte_identical_whatever_the_evaluation_order() -> None:
    first = JsonFormatter().render(sample_report())
    second = JsonFormatter().render(sample_report(shuffle_seed=3))
    third = JsonFormatter().render(sample_report(shuffle_seed=11))
    assert first == second == third


def test_only_timestamp_fields_differ_between_scans_at_different_times() -> None:
    early = JsonFormatter().render(sample_report())
    late = JsonFormatter().render(
        sample_report(started="2025-02-01T00:00:00Z", finished="2025-02-01T00:09:00Z")
    )
    assert early != late
    changed = [
        line
        for line in difflib.ndiff(early.splitlines(), late.splitlines())
        if line.startswith(("- ", "+ "))
    ]
    assert len(changed) == 4
    assert all(line[2:].strip().startswith(TIMESTAMP_FIELDS) for line in changed), changed


def test_top_level_scan_and_summary(document: dict[str, Any]) -> None:
    assert document["format"] == "hipaa-scan-report"
    assert document["schema_version"] == 2
    assert document["tool"] == {"name": "hipaa-scan", "version": "0.1.0"}
    assert document["complete"] is False
    scan = document["scan"]
    assert [(s["provider"], s["accounts"]) for s in scan["scopes"]] == [
        ("aws", [AWS_A]),
        ("aws", ["222222222222"]),
        ("azure", ["0f1e2d3c-aaaa-bbbb-cccc-123456789abc"]),
        ("gcp", ["phi-project"]),
    ]
    assert scan["scopes"][0]["regions"] == ["eu-west-1", "us-east-1"]
    assert (scan["api_calls"], scan["resource_count"]) == (45, 10)
    assert scan["phi_scope"] == {"tags": [], "in_scope": 9, "out_of_scope": 0, "unknown_tags": 0}
    summary = document["summary"]
    assert summary["by_status"] == {"PASS": 4, "FAIL": 8, "UNKNOWN": 1, "ERROR": 1}
    assert summary["by_concern"]["encryption-at-rest"] == {
        "PASS": 2,
        "FAIL": 4,
        "UNKNOWN": 0,
        "ERROR": 1,
    }
    assert summary["failures_by_severity"] == {
        "critical": 1,
        "high": 3,
        "medium": 2,
        "low": 0,
        "info": 1,
    }
    assert (summary["open_failures"], summary["waived_failures"]) == (7, 1)
    assert (summary["gaps"], summary["attestations_owed"]) == (2, 1)


def test_findings_cover_every_status_in_rule_then_uid_order(document: dict[str, Any]) -> None:
    keys = [(f["rule_id"], f["resource"]["uid"]) for f in document["findings"]]
    assert keys == sorted(keys)
    assert len(keys) == 14
    archive = next(
        f
        for f in document["findings"]
        if f["rule_id"] == "EAR-BKT-01" and f["resource"]["name"] == "archive"
    )
    assert archive["status"] == "FAIL"
    assert archive["waiver"] == {
        "reason": "Archive is encrypted client-side",
        "expires": "2026-01-01",
        "owner": "sec",
    }
    assert archive["hipaa"] == ["164.312(a)(2)(iv)"]
    assert archive["resource"] == {
        "uid": "arn:aws:s3:::archive",
        "name": "archive",
        "kind": "storage.bucket",
        "native_type": "AWS::S3::Bucket",
        "provider": "aws",
        "account": AWS_A,
        "region": "us-east-1",
    }
    assert archive["evidence"] == {"encrypted": False}
    unknown = next(f for f in document["findings"] if f["status"] == "UNKNOWN")
    # The engine attaches the gap that made the rule UNKNOWN to its evidence.
    assert unknown["evidence"] == {"gaps": ["s3:GetBucketPolicy AccessDenied"]}
    assert all(f.get("waiver") is None for f in document["findings"] if f is not archive)


def test_pass_findings_are_compact_and_keep_their_evidence(document: dict[str, Any]) -> None:
    passed = [f for f in document["findings"] if f["status"] == "PASS"]
    assert {(f["rule_id"], f["resource"]["uid"]) for f in passed} == {
        ("EAR-BKT-01", "arn:aws:s3:::clean"),
        ("EAR-BKT-01", "arn:aws:s3:::locked"),
        ("PUB-BKT-01", "arn:aws:s3:::archive"),
        ("PUB-BKT-01", "arn:aws:s3:::clean"),
    }
    locked = next(f for f in passed if f["resource"]["uid"] == "arn:aws:s3:::locked")
    assert locked == {
        "rule_id": "EAR-BKT-01",
        "status": "PASS",
        "resource": {"uid": "arn:aws:s3:::locked", "account": AWS_A, "region": "eu-west-1"},
        "evidence": {"encrypted": True},
        "fingerprint": fingerprint("EAR-BKT-01", "arn:aws:s3:::locked"),
    }
    # Every other status keeps the whole finding (what a reader of version 1 expects).
    full = {"severity", "concern", "hipaa", "message", "waiver", "fingerprint", "evidence"}
    assert all(full <= set(f) for f in document["findings"] if f["status"] != "PASS")


def test_each_finding_is_one_line_and_stream_equals_render() -> None:
    report = sample_report()
    text = JsonFormatter().render(report)
    assert "".join(JsonFormatter().stream(report)) == text
    lines = [line for line in text.splitlines() if line.startswith('    {"')]
    assert len(lines) == len(report.findings)
    assert [json.loads(line.rstrip(","))["rule_id"] for line in lines] == sorted(
        f.rule_id for f in report.findings
    )


def test_the_stream_starts_before_any_finding_is_encoded(monkeypatch: pytest.MonkeyPatch) -> None:
    encoded: list[str] = []
    real = json_report.encode_finding

    def spy(finding: Finding) -> str:
        encoded.append(finding.rule_id)
        return real(finding)

    monkeypatch.setattr(json_report, "encode_finding", spy)
    monkeypatch.setattr(json_report, "_BATCH", 2)
    stream = JsonFormatter().stream(sample_report())
    head = next(stream)
    assert head.endswith('"findings": [') and encoded == []
    next(stream)  # the line break, then the first batch of two
    next(stream)
    assert len(encoded) == 2


def test_rules_carry_full_metadata(document: dict[str, Any]) -> None:
    assert [r["id"] for r in document["rules"]] == [
        "EAR-BKT-01",
        "EAR-VOL-01",
        "IAM-ROLE-01",
        "LOG-TRL-01",
        "PUB-BKT-01",
    ]
    ear = document["rules"][0]
    assert ear["hipaa"] == [
        {
            "section": "164.312(a)(2)(iv)",
            "cfr": "45 CFR 164.312(a)(2)(iv)",
            "title": "Encryption and decryption",
            "requirement": "addressable",
            "safeguard": "technical",
        }
    ]
    assert ear["providers"] == ["aws", "azure", "gcp"]
    assert sorted(ear["remediation"]) == ["aws", "azure", "gcp"]
    assert ear["remediation"]["aws"]["cli"].startswith("aws s3api put-bucket-encryption")
    iam = document["rules"][2]
    assert (iam["params"], iam["phi_scoped"], iam["severity"]) == (
        {"max_session_hours": 1},
        True,
        "medium",
    )
    assert document["rules"][3]["phi_scoped"] is False


def test_gaps_and_attestations(document: dict[str, Any]) -> None:
    assert [(g["region"], g["operation"], g["resource_uid"]) for g in document["gaps"]] == [
        ("ap-south-1", "DescribeVolumes", None),
        ("eu-west-1", "GetBucketPolicy", "arn:aws:s3:::locked"),
    ]
    assert [a["id"] for a in document["attestations"]] == ["AGR-BAA-01"]
    assert document["attestations"][0]["hipaa"][0]["section"] == "164.308(b)(1)"


def test_endpoint_credentials_never_reach_the_report() -> None:
    report = sample_report()
    scope = dataclasses.replace(
        report.scopes[0], endpoint_url="https://user:s3cret@gw.example:8443/aws?token=abc"
    )
    document = report_to_dict(dataclasses.replace(report, scopes=(scope, *report.scopes[1:])))
    assert document["scan"]["scopes"][0]["endpoint_url"] == "https://gw.example:8443/aws"
    assert "s3cret" not in json.dumps(document)
    assert _errors(document) == []


def test_empty_report_is_valid() -> None:
    report = sample_report()
    empty = dataclasses.replace(
        report, findings=(), gaps=(), rules=(), attestations=(), scopes=(Scope("aws", (), ()),)
    )
    document = report_to_dict(empty)
    assert _errors(document) == []
    assert document["complete"] is True


def test_golden_file() -> None:
    rendered = JsonFormatter().render(dataclasses.replace(sample_report(), tool_version="9.9.9"))
    if os.environ.get("HIPAA_SCAN_UPDATE_GOLDEN"):
        GOLDEN.write_text(rendered, encoding="utf-8")
    assert rendered == GOLDEN.read_text(encoding="utf-8"), (
        "JSON report changed; if intended, rerun with HIPAA_SCAN_UPDATE_GOLDEN=1 and review "
        "the diff of tests/data/golden/report.json"
    )
