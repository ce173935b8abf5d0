"""Account targeting: --role-arn, --org, account filters, and roles that cannot be assumed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from providers.aws.accounts import resolve_targets, role_arn_for
from providers.aws.options import OrgSelection
from scanner.errors import CollectionError, UsageError
from scanner.model import Gap

CALLER = "111111111111"
MEMBERS = ["222222222222", "333333333333", "444444444444"]


class FakeSts:
    """Answers AssumeRole, except for the role ARNs it is told to refuse."""

    def __init__(self, refuse: set[str] = frozenset()) -> None:
        self.refuse = refuse
        self.calls: list[dict[str, Any]] = []

    def assume_role(self, **params: Any) -> dict[str, Any]:
        self.calls.append(params)
        if params["RoleArn"] in self.refuse:
            raise ClientError(
                {"Error": {"Code": "AccessDenied", "Message": "not trusted"}}, "AssumeRole"
            )
        return {
            "Credentials": {
                "AccessKeyId": "AKIAFAKE",
                "SecretAccessKey": "secret",
                "SessionToken": "token",
                "Expiration": datetime.now(UTC) + timedelta(hours=1),
            }
        }


class FakeOrganizations:
    def __init__(self, accounts: list[dict[str, str]]) -> None:
        self.accounts = accounts

    def get_paginator(self, name: str) -> Any:
        assert name == "list_accounts"
        pages = [{"Accounts": self.accounts[:2]}, {"Accounts": self.accounts[2:]}]
        return type("Paginator", (), {"paginate": lambda self: iter(pages)})()


ORG = FakeOrganizations(
    [
        {"Id": CALLER, "Status": "ACTIVE"},
        *({"Id": m, "Status": "ACTIVE"} for m in MEMBERS),
        {"Id": "555555555555", "Status": "SUSPENDED"},
    ]
)


def resolve(sts: FakeSts, gaps: list[Gap], **kwargs: Any) -> list[str]:
    base = boto3.session.Session(region_name="us-east-1")
    params: dict[str, Any] = {"role_arn": None, "external_id": None, "org": None, **kwargs}
    targets = resolve_targets(
        base=base,
        caller_account=CALLER,
        sts=sts,
        organizations=lambda: ORG,
        partition="aws",
        region="us-east-1",
        record_gap=gaps.append,
        **params,
    )
    return [t.account_id for t in targets]


def test_org_scans_active_accounts_and_records_unassumable_roles_as_gaps() -> None:
    refused = role_arn_for("aws", MEMBERS[1], "Audit")
    sts, gaps = FakeSts({refused}), []
    accounts = resolve(sts, gaps, org=OrgSelection("Audit"), external_id="ext-9")
    assert accounts == [CALLER, MEMBERS[0], MEMBERS[2]]
    assert [(g.account, g.service, g.operation, g.error_code) for g in gaps] == [
        (MEMBERS[1], "sts", "AssumeRole", "AccessDenied")
    ]
    # The caller's own account uses its own credentials; members get the role + ExternalId.
    assert sorted(c["RoleArn"] for c in sts.calls) == [
        role_arn_for("aws", m, "Audit") for m in MEMBERS
    ]
    assert {c["ExternalId"] for c in sts.calls} == {"ext-9"}


def test_org_filters() -> None:
    gaps: list[Gap] = []
    selection = OrgSelection("Audit", include=(MEMBERS[0], MEMBERS[1]), exclude=(MEMBERS[1],))
    assert resolve(FakeSts(), gaps, org=selection) == [MEMBERS[0]]
    assert gaps == []


def test_role_arn_targets_one_account_and_fails_loudly_when_refused() -> None:
    arn = f"arn:aws:iam::{MEMBERS[0]}:role/Audit"
    assert resolve(FakeSts(), [], role_arn=arn) == [MEMBERS[0]]
    gaps: list[Gap] = []
    with pytest.raises(CollectionError) as refused:
        resolve(FakeSts({arn}), gaps, role_arn=arn)
    assert gaps[0].error_code == "AccessDenied"
    # The error itself says why: nothing else printed it.
    assert str(refused.value) == (
        f"cannot assume {arn}; account not scanned: An error occurred (AccessDenied) when "
        "calling the AssumeRole operation: not trusted (AccessDenied)"
    )


class UnreachableSts(FakeSts):
    def assume_role(self, **params: Any) -> Any:
        raise EndpointConnectionError(endpoint_url="https://user:s3cr3t@sts.example/?token=abc")


def test_an_unreachable_sts_gap_never_carries_the_endpoints_credentials() -> None:
    gaps: list[Gap] = []
    accounts = resolve(UnreachableSts(), gaps, org=OrgSelection("Audit"))
    assert accounts == [CALLER]
    assert {g.account for g in gaps} == set(MEMBERS)
    for gap in gaps:
        assert gap.error_code == "EndpointConnectionError"
        assert "s3cr3t" not in gap.message and "abc" not in gap.message, gap.message
        assert gap.message.startswith(f"cannot assume {role_arn_for('aws', gap.account, 'Audit')}")


def test_role_arn_and_org_exclude_each_other() -> None:
    with pytest.raises(UsageError, match="exclude each other"):
        resolve(
            FakeSts(), [], role_arn=f"arn:aws:iam::{MEMBERS[0]}:role/A", org=OrgSelection("Audit")
        )


def test_role_names_with_paths() -> None:
    assert role_arn_for("aws-us-gov", MEMBERS[0], "/audit/ReadOnly/") == (
        f"arn:aws-us-gov:iam::{MEMBERS[0]}:role/audit/ReadOnly"
    )


def test_an_unassumable_member_is_a_gap_with_its_own_sarif_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import json

    from moto import mock_aws

    from providers.aws import accounts as accounts_module
    from providers.aws.options import AwsOptions
    from providers.aws.provider import collect
    from rules import load_rules
    from scanner.engine import evaluate
    from scanner.output import FORMATTERS

    real = accounts_module.assumed_session

    with mock_aws():
        orgs = boto3.client("organizations", region_name="us-east-1")
        orgs.create_organization(FeatureSet="ALL")
        ok, refused = (
            orgs.create_account(Email=f"m{i}@x.example", AccountName=f"m{i}")[
                "CreateAccountStatus"
            ]["AccountId"]
            for i in range(2)
        )

        def assume(sts: Any, role_arn: str, external_id: str | None, region: str) -> Any:
            if f"::{refused}:" in role_arn:
                raise ClientError(
                    {"Error": {"Code": "AccessDenied", "Message": "no"}}, "AssumeRole"
                )
            return real(sts, role_arn, external_id, region)

        monkeypatch.setattr(accounts_module, "assumed_session", assume)
        snapshot = collect(
            AwsOptions(
                regions=("us-east-1",),
                collectors=("iam",),
                org=OrgSelection("Audit"),
                max_attempts=1,
            )
        )

    assert snapshot.scope.accounts == tuple(sorted(["123456789012", ok, refused]))
    assert [(g.account, g.operation) for g in snapshot.gaps] == [(refused, "AssumeRole")]
    scanned = {r.account for r in snapshot.resources}
    assert scanned == {"123456789012", ok}
    report = evaluate([snapshot], [r for r in load_rules() if r.id == "IAM-ROOT-01"])
    sarif = json.loads(FORMATTERS["sarif"]().render(report))
    success = {
        run["automationDetails"]["id"].split("/")[2]: run["invocations"][0]["executionSuccessful"]
        for run in sarif["runs"]
    }
    assert success == {"123456789012": True, ok: True, refused: False}


def test_regions_default_to_every_enabled_region_and_fall_back_on_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from moto import mock_aws

    from providers.aws.options import AwsOptions
    from providers.aws.provider import collect
    from tests.providers.aws.helpers import failing

    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    options = AwsOptions(collectors=("guardduty",), max_attempts=1)
    with mock_aws():
        regions = boto3.client("ec2", region_name="eu-west-1").describe_regions()["Regions"]
        everything = collect(options)
        with failing("ec2.DescribeRegions"):
            fallback = collect(options)
    assert everything.scope.regions == tuple(sorted(r["RegionName"] for r in regions))
    assert {r.region for r in everything.resources} == set(everything.scope.regions)
    # Discovery denied: the profile's own region is scanned, and the gap says so.
    assert fallback.scope.regions == ("eu-west-1",)
    (gap,) = fallback.gaps
    assert (gap.service, gap.operation, gap.error_code) == (
        "ec2",
        "DescribeRegions",
        "AccessDenied",
    )
    assert "scanned eu-west-1 only" in gap.message


def test_progress_is_about_ten_lines_whatever_the_task_count() -> None:
    from moto import mock_aws

    from providers.aws.options import AwsOptions
    from providers.aws.provider import all_collectors, collect
    from providers.base import Fanout

    lines: list[str] = []
    with mock_aws():
        collect(
            AwsOptions(regions=("us-east-1", "eu-west-1", "us-west-2"), max_attempts=1),
            progress=lines.append,
        )
    regional = sum(1 for c in all_collectors() if c.fanout is Fanout.REGION)
    tasks = regional * 3 + len(all_collectors()) - regional
    assert 10 <= len(lines) <= 11
    assert lines[-1].startswith(f"[{tasks}/{tasks}] collected")
