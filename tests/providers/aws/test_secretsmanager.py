"""Secrets Manager collector: key, rotation and resource policy, against moto.

moto keeps KmsKeyId, tags, resource policies and (through RotateSecret with a rotation
function it never runs) the rotation rules; it never reports LastRotatedDate, so the
rotation-age facts are tested by moving the collector's clock.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from providers.aws.services import secretsmanager as collector
from providers.aws.services.secretsmanager import customer_managed, rotation_days
from providers.base import CallCounter
from scanner.kinds.secrets import Secret
from tests.providers.aws.helpers import by_uid, canned, failing, outcomes, scan

US, EU = "us-east-1", "eu-west-1"
RULES = ("IAM-SECRET-01", "IAM-SECRET-02", "EAR-SECRET-01", "PUB-SECRET-01")
PHI = [{"Key": "phi", "Value": "yes"}]


def policy(principal: Any, **condition: Any) -> str:
    statement: dict[str, Any] = {
        "Sid": "Read",
        "Effect": "Allow",
        "Principal": principal,
        "Action": "secretsmanager:GetSecretValue",
        "Resource": "*",
    }
    if condition:
        statement["Condition"] = condition
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def seed() -> dict[str, str]:
    us, eu = boto3.client("secretsmanager", US), boto3.client("secretsmanager", EU)
    key = boto3.client("kms", US).create_key()["KeyMetadata"]["Arn"]
    arns: dict[str, str] = {}

    def make(client: Any, name: str, **params: Any) -> str:
        arns[name] = client.create_secret(Name=name, SecretString="not-read", **params)["ARN"]
        return arns[name]

    make(us, "ehr-db", KmsKeyId=key, Tags=PHI)
    # moto records the rotation rules, then fails to find the function it would call.
    with pytest.raises(ClientError):
        us.rotate_secret(
            SecretId="ehr-db",
            RotationLambdaARN=f"arn:aws:lambda:{US}:123456789012:function:rotator",
            RotationRules={"AutomaticallyAfterDays": 30},
            RotateImmediately=False,
        )
    us.put_resource_policy(
        SecretId="ehr-db",
        ResourcePolicy=policy("*", StringEquals={"aws:PrincipalOrgID": "o-abc123"}),
    )
    make(us, "default-key", KmsKeyId="alias/aws/secretsmanager")
    make(us, "open-any-root")
    us.put_resource_policy(
        SecretId="open-any-root", ResourcePolicy=policy({"AWS": "arn:aws:iam::*:root"})
    )
    make(eu, "eu-partner")
    eu.put_resource_policy(
        SecretId="eu-partner", ResourcePolicy=policy({"AWS": "arn:aws:iam::111122223333:root"})
    )
    return arns


@pytest.fixture
def estate() -> Iterator[dict[str, str]]:
    with mock_aws():
        yield seed()


def test_exact_outcomes_facts_and_calls(
    estate: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(collector, "_now", lambda: datetime.now(UTC) + timedelta(days=100))
    counter = CallCounter()
    snapshot = scan(["secretsmanager"], counter=counter)
    assert snapshot.gaps == ()
    ehr, default, open_root, partner = (
        estate[n] for n in ("ehr-db", "default-key", "open-any-root", "eu-partner")
    )
    assert outcomes(snapshot, RULES) == {
        ("IAM-SECRET-01", ehr, "PASS"),
        *{("IAM-SECRET-01", uid, "FAIL") for uid in (default, open_root, partner)},
        # Never rotated, created 100 days before the collection clock.
        *{("IAM-SECRET-02", uid, "FAIL") for uid in estate.values()},
        ("EAR-SECRET-01", ehr, "PASS"),
        *{("EAR-SECRET-01", uid, "FAIL") for uid in (default, open_root, partner)},
        # Open to everyone in one organisation, or to one named account: not public.
        ("PUB-SECRET-01", ehr, "PASS"),
        ("PUB-SECRET-01", partner, "PASS"),
        ("PUB-SECRET-01", default, "PASS"),  # no policy at all
        ("PUB-SECRET-01", open_root, "FAIL"),  # every account's root: anyone
    }
    found = by_uid(snapshot, Secret.KIND)
    assert found[ehr].props.rotation_interval_days == 30
    assert found[ehr].tags == {"phi": "yes"}
    assert found[default].props == Secret(
        kms_key_id=None,  # moto drops the default alias, as AWS does
        customer_managed_key=False,
        rotation_enabled=False,
        rotation_interval_days=None,
        days_since_rotation=100,
        ever_rotated=False,
        has_policy=False,
        public_policy_statements=(),
    )
    assert found[open_root].props.public_policy_statements == ("Read",)
    calls = {k: v for k, v in counter.counts.items() if k.startswith("secretsmanager.")}
    assert calls == {"secretsmanager.ListSecrets": 2, "secretsmanager.GetResourcePolicy": 4}


def test_phi_scope_limits_the_key_rule_to_tagged_secrets(estate: dict[str, str]) -> None:
    snapshot = scan(["secretsmanager"])
    found = outcomes(snapshot, ["EAR-SECRET-01"], phi_tags=(("phi", "yes"),))
    assert found == {("EAR-SECRET-01", estate["ehr-db"], "PASS")}


def test_denied_policy_read_is_unknown_not_pass(estate: dict[str, str]) -> None:
    with failing("secretsmanager.GetResourcePolicy"):
        snapshot = scan(["secretsmanager"], regions=[US])
    assert {(g.operation, g.error_code) for g in snapshot.gaps} == {
        ("GetResourcePolicy", "AccessDenied")
    }
    found = outcomes(snapshot, ["PUB-SECRET-01", "EAR-SECRET-01"])
    us_secrets = [estate[n] for n in ("ehr-db", "default-key", "open-any-root")]
    assert {t for t in found if t[0] == "PUB-SECRET-01"} == {
        ("PUB-SECRET-01", uid, "UNKNOWN") for uid in us_secrets
    }
    # The listing's facts are unaffected.
    assert ("EAR-SECRET-01", estate["ehr-db"], "PASS") in found


def test_denied_listing_is_a_scope_unknown(estate: dict[str, str]) -> None:
    with failing("secretsmanager.ListSecrets"):
        snapshot = scan(["secretsmanager"], regions=[US])
    assert not by_uid(snapshot, Secret.KIND)
    statuses = {status for _, _, status in outcomes(snapshot, ["PUB-SECRET-01"])}
    assert statuses == {"UNKNOWN"}


def test_malformed_policy_is_a_gap(estate: dict[str, str]) -> None:
    with canned("secretsmanager.GetResourcePolicy", {"ResourcePolicy": "{not json"}):
        snapshot = scan(["secretsmanager"], regions=[EU])
    assert {(g.operation, g.error_code) for g in snapshot.gaps} == {
        ("GetResourcePolicy", "MalformedPolicy")
    }
    assert outcomes(snapshot, ["PUB-SECRET-01"]) == {
        ("PUB-SECRET-01", estate["eu-partner"], "UNKNOWN")
    }


def test_key_and_schedule_readings() -> None:
    assert customer_managed(None) is False
    assert customer_managed("alias/aws/secretsmanager") is False
    assert customer_managed("arn:aws:kms:us-east-1:123456789012:alias/aws/secretsmanager") is False
    assert customer_managed("alias/phi-secrets") is True
    assert rotation_days({"AutomaticallyAfterDays": 7}) == 7
    assert rotation_days({"ScheduleExpression": "rate(10 days)"}) == 10
    assert rotation_days({"ScheduleExpression": "cron(0 16 1,15 * ? *)"}) is None
    assert rotation_days(None) is None
