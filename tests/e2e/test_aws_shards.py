"""End to end: an organization scanned as 3 shards in parallel processes, then merged."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from providers.aws.demo_estate import client_maker
from tests.e2e.conftest import cli_env, hipaa_scan_command, load_json, run_cli, triples
from tests.e2e.test_aws_org import ROLE, member_session, seed_bucket
from tests.sarif_github import check_github, validate_schema

RULES = ("--rule", "PUB-BUCKET-03", "--rule", "IAM-ROOT-01")


@pytest.fixture
def big_organization(fresh_moto: str) -> dict[str, Any]:
    """A management account and six members, each member with one bucket (two public)."""
    orgs = client_maker(fresh_moto)("organizations")
    orgs.create_organization(FeatureSet="ALL")
    members = []
    for index in range(6):
        status = orgs.create_account(Email=f"m{index}@nwh.example", AccountName=f"m-{index}")[
            "CreateAccountStatus"
        ]
        members.append(status["AccountId"])
    for index, account in enumerate(members):
        seed_bucket(
            member_session(fresh_moto, account),
            fresh_moto,
            f"nwh-shard-{index}",
            public=index in (1, 4),
        )
    return {"endpoint": fresh_moto, "members": members}


def scan_args(org: dict[str, Any], *extra: str) -> list[str]:
    return [
        "aws",
        "--endpoint-url",
        org["endpoint"],
        "--region",
        "us-east-1",
        "--no-progress",
        "--max-attempts",
        "1",
        "--org",
        "--org-role",
        ROLE,
        *RULES,
        *extra,
    ]


def results(sarif: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (r["ruleId"], r["partialFingerprints"]["primaryLocationLineHash"])
        for run in sarif["runs"]
        for r in run["results"]
    }


def test_three_shards_merge_into_the_unsharded_result(
    big_organization: dict[str, Any], tmp_path: Path
) -> None:
    whole = run_cli(
        [
            *scan_args(big_organization),
            "-f",
            "json,sarif",
            "-o",
            str(tmp_path / "whole.json"),
            "-o",
            str(tmp_path / "whole.sarif"),
        ],
        tmp_path,
    )
    assert whole.code == 1, whole.stderr
    # The shards run at the same time, as a CI matrix would run them.
    shards = [
        subprocess.Popen(
            [
                *hipaa_scan_command(),
                *scan_args(
                    big_organization,
                    "--shard",
                    f"{i}/3",
                    "--snapshot-out",
                    str(tmp_path / f"s{i}.json"),
                    "--quiet",
                    "-o",
                    str(tmp_path / f"s{i}.txt"),
                ),
            ],
            env=cli_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in (1, 2, 3)
    ]
    for process in shards:
        _, err = process.communicate(timeout=300)
        assert process.returncode in (0, 1), err
    scanned = [set(load_json(tmp_path / f"s{i}.json")["scope"]["accounts"]) for i in (1, 2, 3)]
    assert all(a.isdisjoint(b) for a in scanned for b in scanned if a is not b)
    assert set().union(*scanned) == {*big_organization["members"], "123456789012"}

    merged = run_cli(
        [
            "evaluate",
            *(str(tmp_path / f"s{i}.json") for i in (1, 2, 3)),
            *RULES,
            "--no-progress",
            "-f",
            "json,sarif",
            "-o",
            str(tmp_path / "merged.json"),
            "-o",
            str(tmp_path / "merged.sarif"),
        ],
        tmp_path,
    )
    assert merged.code == 1, merged.stderr
    whole_report, merged_report = (
        load_json(tmp_path / "whole.json"),
        load_json(tmp_path / "merged.json"),
    )
    assert triples(merged_report) == triples(whole_report)
    # moto has no AWS Artifact API, so every moto scan has that gap; the merge adds none.
    assert {(g["account"], g["service"]) for g in merged_report["gaps"]} == {
        (g["account"], g["service"]) for g in whole_report["gaps"]
    }
    whole_sarif, merged_sarif = (
        load_json(tmp_path / "whole.sarif"),
        load_json(tmp_path / "merged.sarif"),
    )
    assert results(merged_sarif) == results(whole_sarif)
    assert len(merged_sarif["runs"]) == 7  # one per account
    assert validate_schema(merged_sarif) == [] and check_github(merged_sarif) == []

    # A shard that never arrived makes the merge incomplete, and says which.
    partial = run_cli(
        [
            "evaluate",
            str(tmp_path / "s1.json"),
            str(tmp_path / "s3.json"),
            *RULES,
            "--no-progress",
            "-f",
            "json",
            "--strict",
        ],
        tmp_path,
    )
    assert partial.code == 3
    report = json.loads(partial.stdout)
    assert report["complete"] is False
    assert [g["message"] for g in report["gaps"] if g["service"] == "shards"] == [
        f"shard(s) 2/3 of plan {load_json(tmp_path / 's1.json')['scope']['plan']} are "
        "missing from the merge: their accounts were not evaluated"
    ]


def test_shard_needs_org(tmp_path: Path) -> None:
    result = run_cli(["aws", "--shard", "1/3"], tmp_path)
    assert result.code == 2
    assert "--shard only applies with --org" in result.stderr
