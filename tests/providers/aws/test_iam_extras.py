"""IAM facts of issue 11 group A: console-password use, root virtual MFA, decrypt-all-keys.

moto's ListUsers never reports PasswordLastUsed and moto cannot assign a virtual MFA
device to the root user, so those two answers are canned (`answering`), with real users,
login profiles and keys seeded in moto behind them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.aws.services import iam as iam_collector
from tests.providers.aws.helpers import (
    ACCOUNT,
    Answer,
    answering,
    canned,
    failing,
    fake_answer,
    operation_name,
    outcomes,
    scan,
)

ARN = f"arn:aws:iam::{ACCOUNT}"
SETTINGS = f"{ARN}:account-settings"
NOW = datetime.now(UTC) + timedelta(days=200)
RULES = ("IAM-USER-04", "IAM-USER-05", "IAM-ROOT-03", "IAM-PASSWORD-04", "IAM-POLICY-04")
LAST_SIGN_IN = {"stale": NOW - timedelta(days=200), "fresh": NOW - timedelta(days=1)}
ROOT_VIRTUAL = {
    "SerialNumber": f"{ARN}:mfa/root-account-mfa-device",
    "User": {
        "Arn": f"{ARN}:root",
        "UserName": "root",
        "UserId": ACCOUNT,
        "Path": "/",
        "CreateDate": NOW,
    },
}
ROOT_MFA_ON = {"SummaryMap": {"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 0}}
USER_VIRTUAL = {**ROOT_VIRTUAL, "User": {**ROOT_VIRTUAL["User"], "Arn": f"{ARN}:user/fresh"}}


def doc(action: Any, resource: Any) -> str:
    statement = {"Effect": "Allow", "Action": action, "Resource": resource}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


@pytest.fixture
def estate(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    # Passwords and keys are created "now" by moto; the collector's clock runs ahead so
    # a never-used password is 200 days old.
    monkeypatch.setattr(iam_collector, "_now", lambda: NOW)
    with mock_aws():
        iam = boto3.client("iam", region_name="us-east-1")
        iam.update_account_password_policy(
            MinimumPasswordLength=14,
            RequireSymbols=True,
            RequireNumbers=True,
            RequireUppercaseCharacters=True,
            RequireLowercaseCharacters=False,
        )
        for name in ("stale", "fresh", "never"):
            iam.create_user(UserName=name)
            iam.create_login_profile(UserName=name, Password="Correct-Horse-Battery-9")
        iam.create_user(UserName="keys-only")
        iam.create_access_key(UserName="keys-only")
        iam.create_user(UserName="nothing")
        policies = {
            "key-ops": doc("kms:*", "arn:aws:kms:*:*:key/*"),
            "decrypt-prefix": doc("kms:De*", "*"),
            "one-key": doc("kms:Decrypt", f"arn:aws:kms:us-east-1:{ACCOUNT}:key/abcd"),
            "reencrypt-to": doc("kms:ReEncryptTo", "*"),
        }
        arns = {
            name: iam.create_policy(PolicyName=name, PolicyDocument=document)["Policy"]["Arn"]
            for name, document in policies.items()
        }
        yield arns


def real_answers(virtual: list[dict[str, Any]]) -> Any:
    """ListUsers with PasswordLastUsed, root MFA on, and `virtual` as the virtual devices."""

    def answer(model: Any, params: Any, **_: Any) -> Answer | None:
        name = operation_name(model)
        if name == "iam.GetAccountSummary":  # moto's root never has MFA
            return fake_answer(
                {"SummaryMap": {"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 0}}
            )
        if name == "iam.ListVirtualMFADevices":
            return fake_answer({"VirtualMFADevices": virtual, "IsTruncated": False})
        if name == "iam.ListUsers":
            users = []
            for user in (
                boto3.client("iam", region_name="us-east-1")
                .get_paginator("list_users")
                .paginate()
                .build_full_result()["Users"]
            ):
                last = LAST_SIGN_IN.get(user["UserName"])
                users.append(user if last is None else {**user, "PasswordLastUsed": last})
            return fake_answer({"Users": users, "IsTruncated": False})
        return None

    return answering(answer)


def test_exact_outcomes(estate: dict[str, str]) -> None:
    with real_answers([ROOT_VIRTUAL, USER_VIRTUAL]):
        snapshot = scan(["iam"])
    assert snapshot.gaps == ()
    user = f"{ARN}:user"
    assert outcomes(snapshot, RULES) == {
        ("IAM-USER-04", f"{user}/stale", "FAIL"),  # last sign-in 200 days ago
        ("IAM-USER-04", f"{user}/fresh", "PASS"),
        ("IAM-USER-04", f"{user}/never", "FAIL"),  # never used, created 200 days ago
        ("IAM-USER-04", f"{user}/keys-only", "PASS"),  # no console password
        ("IAM-USER-04", f"{user}/nothing", "PASS"),
        ("IAM-USER-05", f"{user}/stale", "FAIL"),
        ("IAM-USER-05", f"{user}/fresh", "PASS"),
        ("IAM-USER-05", f"{user}/never", "FAIL"),
        ("IAM-USER-05", f"{user}/keys-only", "FAIL"),  # an active key never used in 200 days
        ("IAM-USER-05", f"{user}/nothing", "PASS"),  # no credential at all
        ("IAM-ROOT-03", SETTINGS, "FAIL"),  # root's MFA is the virtual device
        ("IAM-PASSWORD-04", SETTINGS, "FAIL"),  # lowercase not required
        ("IAM-POLICY-04", estate["key-ops"], "FAIL"),
        ("IAM-POLICY-04", estate["decrypt-prefix"], "FAIL"),
        ("IAM-POLICY-04", estate["one-key"], "PASS"),
        ("IAM-POLICY-04", estate["reencrypt-to"], "PASS"),
    }


def test_hardware_mfa_passes_when_only_users_have_virtual_devices(
    estate: dict[str, str],
) -> None:
    with real_answers([USER_VIRTUAL]):
        snapshot = scan(["iam"])
    assert outcomes(snapshot, ["IAM-ROOT-03"]) == {("IAM-ROOT-03", SETTINGS, "PASS")}


def test_unreadable_listings_are_unknown_never_pass(estate: dict[str, str]) -> None:
    with (
        canned("iam.GetAccountSummary", ROOT_MFA_ON),
        failing("iam.ListUsers", "iam.ListVirtualMFADevices"),
    ):
        snapshot = scan(["iam"])
    assert {(g.operation, g.error_code) for g in snapshot.gaps} == {
        ("ListUsers", "AccessDenied"),
        ("ListVirtualMFADevices", "AccessDenied"),
    }
    user = f"{ARN}:user"
    found = outcomes(snapshot, ["IAM-USER-04", "IAM-ROOT-03"])
    assert found == {
        ("IAM-USER-04", f"{user}/stale", "UNKNOWN"),
        ("IAM-USER-04", f"{user}/fresh", "UNKNOWN"),
        ("IAM-USER-04", f"{user}/never", "UNKNOWN"),
        ("IAM-USER-04", f"{user}/keys-only", "PASS"),
        ("IAM-USER-04", f"{user}/nothing", "PASS"),
        ("IAM-ROOT-03", SETTINGS, "UNKNOWN"),
    }
