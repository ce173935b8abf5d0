"""SARIF: schema validity, GitHub's profile, runs per account, locations, fingerprints.

Also tests the `tests/sarif_github.py` checker itself on documents GitHub rejects.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
from pathlib import Path
from typing import Any

import pytest

from scanner.model import ResourceRef, Severity, Status
from scanner.output import SarifFormatter
from scanner.output.sarif import (
    artifact_uri,
    rule_descriptor,
    sarif_log,
    service_and_type,
)
from tests.core.sample import AWS_A, AWS_B, AZ_SUB, GCP_PROJECT, RULES, sample_report
from tests.sarif_github import check_github, validate_schema

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "golden" / "report.sarif"


@pytest.fixture(scope="module")
def sarif() -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(SarifFormatter().render(sample_report()))
    return parsed


def _run(sarif: dict[str, Any], provider: str, account: str) -> dict[str, Any]:
    prefix = f"hipaa-scan/{provider}/{account}/"
    runs = [r for r in sarif["runs"] if r["automationDetails"]["id"].startswith(prefix)]
    assert len(runs) == 1
    run: dict[str, Any] = runs[0]
    return run


def _triples(sarif: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {
        (
            res["ruleId"],
            res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            res["partialFingerprints"]["primaryLocationLineHash"],
        )
        for run in sarif["runs"]
        for res in run["results"]
    }


def test_valid_against_the_oasis_schema(sarif: dict[str, Any]) -> None:
    assert validate_schema(sarif) == []


def test_passes_the_github_profile(sarif: dict[str, Any]) -> None:
    assert check_github(sarif) == []


def test_log_header(sarif: dict[str, Any]) -> None:
    assert sarif["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert sarif["version"] == "2.1.0"


def test_one_run_per_account_even_without_failures(sarif: dict[str, Any]) -> None:
    assert [r["automationDetails"]["id"] for r in sarif["runs"]] == [
        f"hipaa-scan/aws/{AWS_A}/2025-01-06T03:02:00Z",
        f"hipaa-scan/aws/{AWS_B}/2025-01-06T03:02:00Z",
        f"hipaa-scan/azure/{AZ_SUB}/2025-01-06T03:02:00Z",
        f"hipaa-scan/gcp/{GCP_PROJECT}/2025-01-06T03:02:00Z",
    ]
    clean = _run(sarif, "aws", AWS_B)
    assert clean["results"] == []
    assert clean["invocations"][0]["executionSuccessful"] is True
    assert clean["properties"]["complete"] is True
    assert clean["properties"]["regions"] == ["eu-west-1", "us-east-1"]


def test_driver_and_rules_per_provider(sarif: dict[str, Any]) -> None:
    aws = _run(sarif, "aws", AWS_A)["tool"]["driver"]
    assert (aws["name"], aws["semanticVersion"], aws["informationUri"]) == (
        "hipaa-scan",
        "0.1.0",
        "https://github.com/hipaa-scan/hipaa-scan",
    )
    assert [r["id"] for r in aws["rules"]] == [
        "EAR-BKT-01",
        "EAR-VOL-01",
        "IAM-ROLE-01",
        "LOG-TRL-01",
        "PUB-BKT-01",
    ]
    # Only EAR-BKT-01 has a GCP remediation, so only it applies to GCP.
    gcp = _run(sarif, "gcp", GCP_PROJECT)["tool"]["driver"]
    assert [r["id"] for r in gcp["rules"]] == ["EAR-BKT-01"]


def test_rule_descriptor_fields(sarif: dict[str, Any]) -> None:
    rules = {r["id"]: r for r in _run(sarif, "aws", AWS_A)["tool"]["driver"]["rules"]}
    ear = rules["EAR-BKT-01"]
    assert ear["name"] == "bucket_encrypted"
    assert ear["shortDescription"] == {"text": "Storage bucket encrypts data at rest by default"}
    assert ear["fullDescription"] == {"text": "Buckets that may hold ePHI must encrypt it at rest."}
    assert ear["defaultConfiguration"] == {"level": "error"}
    assert ear["helpUri"] == (
        "https://github.com/hipaa-scan/hipaa-scan/blob/main/docs/rules.md#ear-bkt-01"
    )
    assert ear["properties"]["security-severity"] == "8.0"
    assert ear["properties"]["precision"] == "very-high"
    assert ear["properties"]["tags"] == [
        "security",
        "hipaa",
        "encryption-at-rest",
        "aws",
        "external/hipaa/164.312(a)(2)(iv)",
    ]
    citation = "45 CFR 164.312(a)(2)(iv) Encryption and decryption (addressable)"
    for help_text in (ear["help"]["text"], ear["help"]["markdown"]):
        assert citation in help_text
        assert "aws s3api put-bucket-encryption" in help_text
        assert 'resource "aws_s3_bucket_server_side_encryption_configuration"' in help_text
        assert "Console: S3 console > bucket" in help_text
    assert "```sh\naws s3api" in ear["help"]["markdown"]
    assert "Parameters: `max_session_hours=1`" in rules["IAM-ROLE-01"]["help"]["markdown"]
    levels = {
        rid: (r["defaultConfiguration"]["level"], r["properties"].get("security-severity"))
        for rid, r in rules.items()
    }
    assert levels == {
        "PUB-BKT-01": ("error", "9.5"),
        "EAR-BKT-01": ("error", "8.0"),
        "IAM-ROLE-01": ("warning", "5.5"),
        "EAR-VOL-01": ("note", "2.0"),
        "LOG-TRL-01": ("note", None),
    }


def test_info_rule_is_a_non_security_recommendation(sarif: dict[str, Any]) -> None:
    rules = {r["id"]: r for r in _run(sarif, "aws", AWS_A)["tool"]["driver"]["rules"]}
    info = rules["LOG-TRL-01"]["properties"]
    assert "security-severity" not in info
    assert "security" not in info["tags"]
    assert info["problem.severity"] == "recommendation"
    assert info["tags"][-2:] == ["external/hipaa/164.312(b)", "external/hipaa/164.308(a)(1)(ii)(D)"]


def test_long_descriptions_are_clipped_and_tags_capped() -> None:
    meta = dataclasses.replace(
        RULES[0].meta,
        description="x" * 2000,
        name="n" * 300,
        citations=RULES[0].meta.citations * 1
        + tuple(
            dataclasses.replace(RULES[0].meta.citations[0], section=f"164.312(z)({i})")
            for i in range(12)
        ),
    )
    descriptor = rule_descriptor(meta, "aws", "https://x.invalid/rules")
    assert len(descriptor["fullDescription"]["text"]) == 1024
    assert len(descriptor["name"]) == 255
    assert len(descriptor["properties"]["tags"]) == 10
    assert descriptor["properties"]["tags"][:4] == [
        "security",
        "hipaa",
        "encryption-at-rest",
        "aws",
    ]
    assert descriptor["helpUri"] == "https://x.invalid/rules#ear-bkt-01"


def test_results_are_exactly_the_unwaived_failures(sarif: dict[str, Any]) -> None:
    results = {
        (res["ruleId"], res["locations"][0]["logicalLocations"][0]["fullyQualifiedName"])
        for run in sarif["runs"]
        for res in run["results"]
    }
    report = sample_report()
    assert results == {(f.rule_id, f.resource.uid) for f in report.open_failures()}
    assert ("EAR-BKT-01", "arn:aws:s3:::archive") not in results  # waived
    assert len(results) == 7
    waived = [f for f in report.findings if f.waiver is not None]
    assert [(f.rule_id, f.resource.name, f.status) for f in waived] == [
        ("EAR-BKT-01", "archive", Status.FAIL)
    ]


def test_result_shape(sarif: dict[str, Any]) -> None:
    run = _run(sarif, "aws", AWS_A)
    result = next(r for r in run["results"] if r["ruleId"] == "PUB-BKT-01")
    rules = run["tool"]["driver"]["rules"]
    assert rules[result["ruleIndex"]]["id"] == "PUB-BKT-01"
    assert result["level"] == "error"
    assert result["message"]["text"] == (
        "phi-data (AWS::S3::Bucket) in account 111111111111 (us-east-1): Bucket phi-data is public."
    )
    assert result["locations"] == [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": f"hipaa-scan/aws/{AWS_A}/us-east-1/s3/bucket/phi-data"},
                "region": {"startLine": 1},
            },
            "logicalLocations": [
                {
                    "name": "phi-data",
                    "fullyQualifiedName": "arn:aws:s3:::phi-data",
                    "kind": "resource",
                }
            ],
        }
    ]
    finding = next(
        f
        for f in sample_report().findings
        if (f.rule_id, f.resource.name) == ("PUB-BKT-01", "phi-data")
    )
    assert result["partialFingerprints"] == {
        "primaryLocationLineHash": finding.fingerprint[:16] + ":1",
        "hipaaScan/v1": finding.fingerprint,
    }
    assert result["properties"] == {
        "resourceUid": "arn:aws:s3:::phi-data",
        "account": AWS_A,
        "region": "us-east-1",
        "hipaa": ["45 CFR 164.312(a)(1)"],
        "evidence": {"public": True},
    }


def test_uris_per_provider(sarif: dict[str, Any]) -> None:
    uris = {
        res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for run in sarif["runs"]
        for res in run["results"]
    }
    assert uris == {
        f"hipaa-scan/aws/{AWS_A}/us-east-1/s3/bucket/phi-data",
        f"hipaa-scan/aws/{AWS_A}/global/iam/role/app%2Fadmin",
        f"hipaa-scan/aws/{AWS_A}/global/iam/role/app%3Aadmin",
        f"hipaa-scan/aws/{AWS_A}/us-east-1/cloudtrail/trail/main",
        f"hipaa-scan/gcp/{GCP_PROJECT}/us-central1/storage/bucket/gcs-phi",
        f"hipaa-scan/azure/{AZ_SUB}/eastus/microsoft.storage/storageaccounts/phistore",
    }


def test_names_differing_only_in_slash_or_colon_get_different_uris(sarif: dict[str, Any]) -> None:
    run = _run(sarif, "aws", AWS_A)
    roles = sorted(
        (
            res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            res["partialFingerprints"]["primaryLocationLineHash"],
        )
        for res in run["results"]
        if res["ruleId"] == "IAM-ROLE-01"
    )
    assert len(roles) == 2
    assert roles[0][0] != roles[1][0]
    assert roles[0][1] != roles[1][1]


@pytest.mark.parametrize(
    ("native", "kind", "expected"),
    [
        ("AWS::S3::Bucket", "storage.bucket", ("s3", "bucket")),
        ("AWS::EC2::SecurityGroup", "network.firewall", ("ec2", "securitygroup")),
        ("storage.googleapis.com/Bucket", "storage.bucket", ("storage", "bucket")),
        ("sqladmin.googleapis.com/Instance", "database.instance", ("sqladmin", "instance")),
        (
            "Microsoft.Storage/storageAccounts",
            "storage.bucket",
            ("microsoft.storage", "storageaccounts"),
        ),
        (
            "Microsoft.Sql/servers/databases",
            "database.instance",
            ("microsoft.sql", "servers/databases"),
        ),
        ("", "kms.key", ("kms", "key")),
    ],
)
def test_service_and_type(native: str, kind: str, expected: tuple[str, str]) -> None:
    assert service_and_type(native, kind) == expected


def _ref(**changes: str) -> ResourceRef:
    base = ResourceRef(
        uid="arn:aws:s3:::b",
        name="b",
        kind="storage.bucket",
        native_type="AWS::S3::Bucket",
        provider="aws",
        account=AWS_A,
        region="us-east-1",
    )
    return dataclasses.replace(base, **changes)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"name": "My Bucket"}, f"hipaa-scan/aws/{AWS_A}/us-east-1/s3/bucket/My%20Bucket"),
        ({"name": "a~b_c.d-e"}, f"hipaa-scan/aws/{AWS_A}/us-east-1/s3/bucket/a~b_c.d-e"),
        ({"name": ".."}, f"hipaa-scan/aws/{AWS_A}/us-east-1/s3/bucket/%2E%2E"),
        (
            {"name": "", "uid": "arn:aws:s3:::x"},
            f"hipaa-scan/aws/{AWS_A}/us-east-1/s3/bucket/arn%3Aaws%3As3%3A%3A%3Ax",
        ),
        ({"region": ""}, f"hipaa-scan/aws/{AWS_A}/global/s3/bucket/b"),
        ({"name": "caf\u00e9"}, f"hipaa-scan/aws/{AWS_A}/us-east-1/s3/bucket/caf%C3%A9"),
        (
            {
                "provider": "azure",
                "account": "SUB",
                "region": "EastUS",
                "name": "Vm1",
                "native_type": "Microsoft.Compute/virtualMachines",
            },
            "hipaa-scan/azure/sub/eastus/microsoft.compute/virtualmachines/vm1",
        ),
    ],
)
def test_artifact_uri_encoding(changes: dict[str, str], expected: str) -> None:
    uri = artifact_uri(_ref(**changes))
    assert uri == expected
    assert check_github(_minimal(uri)) == []


def test_fingerprints_and_uris_stable_across_times_and_orders() -> None:
    first = sarif_log(sample_report())
    later = sarif_log(
        sample_report(
            started="2025-03-01T00:00:00Z", finished="2025-03-01T00:05:00Z", shuffle_seed=5
        )
    )
    assert _triples(first) == _triples(later)
    ids = [log["runs"][0]["automationDetails"]["id"] for log in (first, later)]
    assert ids[0] != ids[1]
    # Apart from the timestamps, the whole document is identical.
    assert json.dumps(first, sort_keys=True).replace("2025-01-06T03:02:00Z", "T1").replace(
        "2025-01-06T03:00:00Z", "T0"
    ) == json.dumps(later, sort_keys=True).replace("2025-03-01T00:05:00Z", "T1").replace(
        "2025-03-01T00:00:00Z", "T0"
    )


def test_message_changes_do_not_change_identity() -> None:
    report = sample_report()
    reworded = dataclasses.replace(
        report,
        findings=tuple(
            dataclasses.replace(f, message="Reworded.", evidence={"new": 1})
            for f in report.findings
        ),
    )
    assert _triples(sarif_log(report)) == _triples(sarif_log(reworded))


def test_incomplete_account_says_so(sarif: dict[str, Any]) -> None:
    run = _run(sarif, "aws", AWS_A)
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert run["properties"]["complete"] is False
    assert (run["properties"]["gaps"], run["properties"]["ruleErrors"]) == (2, 1)
    notes = [(n["level"], n["message"]["text"]) for n in invocation["toolExecutionNotifications"]]
    assert notes == [
        ("warning", "ec2:DescribeVolumes UnauthorizedOperation: You are not authorized"),
        (
            "warning",
            "s3:GetBucketPolicy AccessDenied: User is not authorized to perform s3:GetBucketPolicy",
        ),
        (
            "error",
            "EAR-VOL-01 on arn:aws:ec2:us-east-1:111111111111:volume/vol-1: "
            "rule EAR-VOL-01 raised RuntimeError: boom",
        ),
    ]
    error = invocation["toolExecutionNotifications"][2]
    assert run["tool"]["driver"]["rules"][error["associatedRule"]["index"]]["id"] == "EAR-VOL-01"
    assert invocation["toolExecutionNotifications"][1]["properties"] == {
        "region": "eu-west-1",
        "resourceUid": "arn:aws:s3:::locked",
    }
    for provider, account in (("gcp", GCP_PROJECT), ("azure", AZ_SUB)):
        assert _run(sarif, provider, account)["invocations"][0]["executionSuccessful"] is True


def test_account_wide_gap_without_account_marks_every_run_of_its_provider() -> None:
    report = sample_report()
    gap = dataclasses.replace(
        report.gaps[0],
        account="",
        operation="ListAccounts",
        service="organizations",
        resource_uid=None,
    )
    log = sarif_log(
        dataclasses.replace(
            report,
            gaps=(gap,),
            findings=tuple(f for f in report.findings if f.status is not Status.ERROR),
        )
    )
    outcome = {
        r["automationDetails"]["id"].split("/")[1:3].__repr__(): r["invocations"][0][
            "executionSuccessful"
        ]
        for r in log["runs"]
    }
    assert outcome == {
        repr(["aws", AWS_A]): False,
        repr(["aws", AWS_B]): False,
        repr(["azure", AZ_SUB]): True,
        repr(["gcp", GCP_PROJECT]): True,
    }


def test_no_tag_values_or_phi_tags_in_sarif() -> None:
    report = sample_report()
    report = dataclasses.replace(
        report, phi=dataclasses.replace(report.phi, tags=("data=phi-secret-value",))
    )
    text = SarifFormatter().render(report)
    assert "phi-secret-value" not in text


def test_failure_in_account_outside_scopes_still_gets_a_run() -> None:
    report = sample_report()
    stray = next(f for f in report.open_failures() if f.resource.name == "phi-data")
    moved = dataclasses.replace(
        stray, resource=dataclasses.replace(stray.resource, account="333333333333")
    )
    log = sarif_log(dataclasses.replace(report, findings=(moved,), gaps=()))
    ids = [r["automationDetails"]["id"].rsplit("/", 1)[0] for r in log["runs"]]
    assert "hipaa-scan/aws/333333333333" in ids
    assert check_github(log) == []


def test_golden_file() -> None:
    rendered = SarifFormatter().render(dataclasses.replace(sample_report(), tool_version="9.9.9"))
    if os.environ.get("HIPAA_SCAN_UPDATE_GOLDEN"):
        GOLDEN.write_text(rendered, encoding="utf-8")
    assert rendered == GOLDEN.read_text(encoding="utf-8"), (
        "SARIF changed; if intended, rerun with HIPAA_SCAN_UPDATE_GOLDEN=1 and review the diff "
        "of tests/data/golden/report.sarif"
    )


def test_all_severities_map_to_levels() -> None:
    for severity, level in (
        (Severity.CRITICAL, "error"),
        (Severity.HIGH, "error"),
        (Severity.MEDIUM, "warning"),
        (Severity.LOW, "note"),
        (Severity.INFO, "note"),
    ):
        meta = dataclasses.replace(RULES[0].meta, severity=severity)
        assert rule_descriptor(meta, "aws", "u")["defaultConfiguration"]["level"] == level


# --- the checker itself -------------------------------------------------------------------


def _minimal(uri: str = "hipaa-scan/aws/1/us-east-1/s3/bucket/b") -> dict[str, Any]:
    """A small log that passes both checks; tests break one thing at a time."""
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "hipaa-scan",
                        "rules": [
                            {
                                "id": "R-X-01",
                                "shortDescription": {"text": "short"},
                                "fullDescription": {"text": "full"},
                                "help": {"text": "help"},
                                "properties": {
                                    "tags": ["security", "hipaa"],
                                    "precision": "high",
                                    "security-severity": "8.0",
                                },
                            }
                        ],
                    }
                },
                "automationDetails": {"id": "hipaa-scan/aws/1/2025-01-01T00:00:00Z"},
                "results": [
                    {
                        "ruleId": "R-X-01",
                        "ruleIndex": 0,
                        "message": {"text": "Bucket b in account 1 is bad."},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": uri},
                                    "region": {"startLine": 1},
                                }
                            }
                        ],
                        "partialFingerprints": {"primaryLocationLineHash": "0123456789abcdef:1"},
                    }
                ],
            }
        ],
    }


def test_minimal_log_is_clean() -> None:
    assert validate_schema(_minimal()) == []
    assert check_github(_minimal()) == []


def _result(log: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = log["runs"][0]["results"][0]
    return result


def _rule(log: dict[str, Any]) -> dict[str, Any]:
    rule: dict[str, Any] = log["runs"][0]["tool"]["driver"]["rules"][0]
    return rule


def _loc(log: dict[str, Any]) -> dict[str, Any]:
    loc: dict[str, Any] = _result(log)["locations"][0]["physicalLocation"]
    return loc


@pytest.mark.parametrize(
    ("breaker", "expected"),
    [
        (
            lambda d: _loc(d)["artifactLocation"].update(uri="arn:aws:s3:::bucket"),
            "not an RFC 3986 relative reference",
        ),
        (
            lambda d: _loc(d)["artifactLocation"].update(uri="https://console.aws.amazon.com/s3"),
            "not an RFC 3986 relative reference",
        ),
        (lambda d: _loc(d)["artifactLocation"].update(uri="/abs/path"), "starts with '/'"),
        (lambda d: _loc(d)["artifactLocation"].update(uri="a/../b"), "'..' segment"),
        (lambda d: _loc(d)["artifactLocation"].update(uri="no file here"), "whitespace"),
        (lambda d: _result(d).update(locations=[]), "at least one location is required"),
        (lambda d: _result(d).pop("locations"), "at least one location is required"),
        (
            lambda d: _result(d).update(locations=[{"logicalLocations": [{"name": "b"}]}]),
            "artifactLocation.uri: required",
        ),
        (lambda d: _loc(d).update(region={"startLine": 0}), "startLine: must be an integer >= 1"),
        (lambda d: _loc(d).pop("region"), "startLine: must be an integer >= 1"),
        (
            lambda d: _rule(d)["properties"].update({"security-severity": 8.0}),
            "must be a string holding a number",
        ),
        (lambda d: _rule(d)["properties"].update({"security-severity": "high"}), "is not a number"),
        (
            lambda d: _rule(d)["properties"].update({"security-severity": "0.0"}),
            "must be in (0, 10]",
        ),
        (
            lambda d: _rule(d)["properties"].update({"security-severity": "10.5"}),
            "must be in (0, 10]",
        ),
        (lambda d: _rule(d)["properties"].update(tags=["hipaa"]), "must contain 'security'"),
        (
            lambda d: _rule(d)["properties"].update(
                tags=[f"t{i}" for i in range(11)] + ["security"]
            ),
            "12 tags",
        ),
        (lambda d: _rule(d)["properties"].update(precision="certain"), "precision: 'certain'"),
        (lambda d: _rule(d).update(fullDescription={"text": "x" * 1025}), "1025 characters"),
        (lambda d: _rule(d).update(shortDescription={"text": ""}), "shortDescription.text"),
        (lambda d: _rule(d).update(help={"markdown": "only markdown"}), "help.text: required"),
        (lambda d: _rule(d).update(name="n" * 256), "at most 255"),
        (lambda d: _result(d).update(ruleId="R-NOPE-01"), "does not resolve"),
        (lambda d: _result(d).update(ruleIndex=3), "ruleIndex: 3"),
        (lambda d: _result(d).update(message={"text": " "}), "message.text"),
        (lambda d: _result(d).pop("partialFingerprints"), "primaryLocationLineHash: required"),
        (
            lambda d: d["runs"][0]["results"].append(copy.deepcopy(_result(d))),
            "duplicate (ruleId, uri, primaryLocationLineHash)",
        ),
        (lambda d: d["runs"][0].pop("results"), "results: must be present"),
        (lambda d: d["runs"][0].update(automationDetails={"id": "hipaa-scan"}), "must contain '/'"),
        (lambda d: d["runs"].append(copy.deepcopy(d["runs"][0])), "same (tool.driver.name"),
        (
            lambda d: d["runs"].extend(
                dict(copy.deepcopy(d["runs"][0]), automationDetails={"id": f"c/{i}/x"})
                for i in range(20)
            ),
            "21 runs",
        ),
        (lambda d: d.update({"$schema": "https://example.invalid/sarif.json"}), "$schema"),
        (lambda d: d.update(version="2.0.0"), "version: must be '2.1.0'"),
        (lambda d: d.update(runs=[]), "runs: must be a non-empty array"),
        (lambda d: d["runs"][0]["tool"]["driver"].update(name=""), "tool.driver.name"),
    ],
)
def test_checker_catches_what_github_rejects(breaker: Any, expected: str) -> None:
    log = _minimal()
    breaker(log)
    problems = check_github(log)
    assert any(expected in p for p in problems), problems


def test_checker_catches_oversized_files() -> None:
    log = _minimal()
    assert check_github(log, max_gzip_bytes=2000) == []
    # Random hex compresses to about half, so 4 KB of it stays over a 2 KB limit.
    _result(log)["message"]["text"] = os.urandom(2048).hex()
    problems = check_github(log, max_gzip_bytes=2000)
    assert any("bytes gzip-compressed, limit 2000" in p for p in problems), problems


@pytest.mark.parametrize(
    ("breaker", "expected"),
    [
        (lambda d: d.pop("version"), "'version' is a required property"),
        (lambda d: _result(d).update(level="critical"), "'critical' is not one of"),
        (lambda d: _loc(d).update(region={"startLine": 0}), "0 is less than the minimum of 1"),
        (lambda d: _rule(d).update(unknownField=1), "Additional properties are not allowed"),
        (lambda d: _result(d)["partialFingerprints"].update(x=1), "1 is not of type 'string'"),
        (lambda d: _loc(d)["artifactLocation"].update(uri="a b"), "is not a 'uri-reference'"),
    ],
)
def test_schema_validation_catches_invalid_sarif(breaker: Any, expected: str) -> None:
    log = _minimal()
    breaker(log)
    problems = validate_schema(log)
    assert any(expected in p for p in problems), problems
