"""End to end: `--org` and `--role-arn` against a moto organization of three member accounts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from providers.aws.demo_estate import client_maker
from tests.e2e.conftest import load_json, run_cli, triples
from tests.sarif_github import check_github, validate_schema

MANAGEMENT = "123456789012"
ROLE = "HipaaScanAudit"
PUBLIC_READ = {"Sid": "Public", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}


def member_session(endpoint: str, account: str) -> boto3.session.Session:
    sts = client_maker(endpoint)("sts")
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="seed"
    )["Credentials"]
    return boto3.session.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name="us-east-1",
    )


def seed_bucket(session: boto3.session.Session, endpoint: str, name: str, public: bool) -> None:
    s3 = session.client("s3", endpoint_url=endpoint)
    s3.create_bucket(Bucket=name)
    if public:
        statement = {**PUBLIC_READ, "Resource": f"arn:aws:s3:::{name}/*"}
        s3.put_bucket_policy(Bucket=name, Policy=json.dumps({"Statement": [statement]}))


@pytest.fixture
def organization(fresh_moto: str) -> dict[str, Any]:
    """A management account with one bucket and three members with one bucket each."""
    make = client_maker(fresh_moto)
    orgs = make("organizations")
    orgs.create_organization(FeatureSet="ALL")
    members = []
    for index in range(3):
        status = orgs.create_account(
            Email=f"member{index}@nwh.example", AccountName=f"member-{index}"
        )["CreateAccountStatus"]
        members.append(status["AccountId"])
    seed_bucket(
        boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
        ),
        fresh_moto,
        "nwh-mgmt-audit",
        public=False,
    )
    for index, account in enumerate(members):
        seed_bucket(
            member_session(fresh_moto, account),
            fresh_moto,
            f"nwh-member-{index}",
            public=index == 0,
        )
    return {"endpoint": fresh_moto, "members": members}


def org_scan(org: dict[str, Any], tmp_path: Path, *extra: str) -> tuple[int, Any, Any, str]:
    report, sarif = tmp_path / "r.json", tmp_path / "r.sarif"
    result = run_cli(
        [
            "aws",
            "--endpoint-url",
            org["endpoint"],
            "--region",
            "us-east-1",
            "--no-progress",
            "--max-attempts",
            "1",
            "--rule",
            "PUB-BUCKET-03",
            "--rule",
            "IAM-ROOT-01",
            "--format",
            "json,sarif",
            "-o",
            str(report),
            "-o",
            str(sarif),
            *extra,
        ],
        tmp_path,
    )
    assert "Traceback" not in result.stderr
    return result.code, load_json(report), load_json(sarif), result.stderr


def test_org_scan_covers_every_member_through_the_named_role(
    organization: dict[str, Any], tmp_path: Path
) -> None:
    m0, m1, m2 = organization["members"]
    code, report, sarif, _ = org_scan(organization, tmp_path, "--org", "--org-role", ROLE)
    assert code == 1
    assert triples(report) == {
        ("PUB-BUCKET-03", "arn:aws:s3:::nwh-mgmt-audit", "PASS"),
        ("PUB-BUCKET-03", "arn:aws:s3:::nwh-member-0", "FAIL"),
        ("PUB-BUCKET-03", "arn:aws:s3:::nwh-member-1", "PASS"),
        ("PUB-BUCKET-03", "arn:aws:s3:::nwh-member-2", "PASS"),
        *{
            ("IAM-ROOT-01", f"arn:aws:iam::{a}:account-settings", "PASS")
            for a in (MANAGEMENT, m0, m1, m2)
        },
    }
    owners = {f["resource"]["uid"]: f["resource"]["account"] for f in report["findings"]}
    assert owners["arn:aws:s3:::nwh-member-0"] == m0
    assert owners["arn:aws:s3:::nwh-mgmt-audit"] == MANAGEMENT
    assert [s["accounts"] for s in report["scan"]["scopes"]] == [
        [a] for a in sorted([MANAGEMENT, m0, m1, m2])
    ]

    assert validate_schema(sarif) == []
    assert check_github(sarif) == []
    runs = {run["automationDetails"]["id"].rsplit("/", 1)[0]: run for run in sarif["runs"]}
    assert set(runs) == {f"hipaa-scan/aws/{a}" for a in (MANAGEMENT, m0, m1, m2)}
    assert [r["ruleId"] for r in runs[f"hipaa-scan/aws/{m0}"]["results"]] == ["PUB-BUCKET-03"]
    assert runs[f"hipaa-scan/aws/{m1}"]["results"] == []


def test_account_filters_narrow_the_organization(
    organization: dict[str, Any], tmp_path: Path
) -> None:
    m0, m1, m2 = organization["members"]
    code, report, _, _ = org_scan(
        organization,
        tmp_path,
        "--org",
        "--org-role",
        ROLE,
        "--account",
        m1,
        "--account",
        m2,
        "--exclude-account",
        m2,
    )
    assert code == 0
    assert triples(report) == {
        ("PUB-BUCKET-03", "arn:aws:s3:::nwh-member-1", "PASS"),
        ("IAM-ROOT-01", f"arn:aws:iam::{m1}:account-settings", "PASS"),
    }
    assert m0 not in json.dumps(report)


def test_role_arn_scans_only_that_account(organization: dict[str, Any], tmp_path: Path) -> None:
    m0 = organization["members"][0]
    code, report, sarif, _ = org_scan(
        organization,
        tmp_path,
        "--role-arn",
        f"arn:aws:iam::{m0}:role/{ROLE}",
        "--external-id",
        "x-1",
    )
    assert code == 1
    assert triples(report) == {
        ("PUB-BUCKET-03", "arn:aws:s3:::nwh-member-0", "FAIL"),
        ("IAM-ROOT-01", f"arn:aws:iam::{m0}:account-settings", "PASS"),
    }
    assert [run["automationDetails"]["id"].split("/")[2] for run in sarif["runs"]] == [m0]
