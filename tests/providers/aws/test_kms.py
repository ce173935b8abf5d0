"""KMS collector under moto: rotation (customer symmetric keys only) and key-policy exposure.

moto cannot create AWS-managed keys (KeyManager AWS); the rule's verdict for them is
covered by the hand-built resources in `tests/rules/test_compute_rules.py`. moto accepts a
key policy that is not JSON, which lets the MalformedPolicy path run end to end.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.aws.services.kms import public_statement_labels, rotation_applicable
from providers.base import CallCounter
from tests.providers.aws.helpers import ACCOUNT, by_uid, failing, outcomes, scan

US, EU = "us-east-1", "eu-west-1"
RULES = ("EAR-KEY-01", "PUB-KEY-01", "EAR-KEY-02")


def policy(*statements: dict[str, Any]) -> str:
    root = {
        "Sid": "Root",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [root, *statements]})


OPEN = {
    "Sid": "Everyone",
    "Effect": "Allow",
    "Principal": "*",
    "Action": "kms:Decrypt",
    "Resource": "*",
}
RESTRICTED = {
    "Sid": "SameAccountOnly",
    "Effect": "Allow",
    "Principal": {"AWS": "*"},
    "Action": ["kms:Decrypt", "kms:Encrypt"],
    "Resource": "*",
    "Condition": {"StringEquals": {"kms:CallerAccount": ACCOUNT}},
}


def seed() -> dict[str, str]:
    """Keys in two regions; returns key ARNs by name."""
    us, eu = boto3.client("kms", US), boto3.client("kms", EU)
    arns: dict[str, str] = {}

    def key(client: Any, name: str, **params: Any) -> str:
        meta = client.create_key(**params)["KeyMetadata"]
        arns[name] = meta["Arn"]
        return str(meta["KeyId"])

    rotated = key(us, "rotated", Tags=[{"TagKey": "phi", "TagValue": "yes"}])
    us.enable_key_rotation(KeyId=rotated)
    open_key = key(us, "open_no_rotation")
    us.put_key_policy(KeyId=open_key, PolicyName="default", Policy=policy(OPEN))
    restricted = key(us, "restricted")
    us.put_key_policy(KeyId=restricted, PolicyName="default", Policy=policy(RESTRICTED))
    us.enable_key_rotation(KeyId=restricted)
    key(us, "asymmetric", KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")
    disabled = key(us, "disabled")
    us.disable_key(KeyId=disabled)
    pending = key(us, "pending_deletion")
    us.schedule_key_deletion(KeyId=pending, PendingWindowInDays=7)
    key(eu, "eu_no_rotation")
    eu_hmac = key(eu, "eu_hmac", KeySpec="HMAC_256", KeyUsage="GENERATE_VERIFY_MAC")
    eu.put_key_policy(KeyId=eu_hmac, PolicyName="default", Policy=policy(OPEN))
    return arns


# (EAR-KEY-01, PUB-KEY-01, EAR-KEY-02); None: rotation does not apply, so no
# finding at all. Disabled and pending-deletion keys fail the key-state rule (item 12).
EXPECTED: dict[str, tuple[str | None, str, str]] = {
    "rotated": ("PASS", "PASS", "PASS"),
    "open_no_rotation": ("FAIL", "FAIL", "PASS"),
    "restricted": ("PASS", "PASS", "PASS"),
    "asymmetric": (None, "PASS", "PASS"),
    "disabled": (None, "PASS", "FAIL"),
    "pending_deletion": (None, "PASS", "FAIL"),
    "eu_no_rotation": ("FAIL", "PASS", "PASS"),
    "eu_hmac": (None, "FAIL", "PASS"),
}
NOT_ROTATABLE = ("asymmetric", "disabled", "pending_deletion", "eu_hmac")


def expected(arns: dict[str, str]) -> set[tuple[str, str, str]]:
    return {
        (rule_id, arns[name], status)
        for name, statuses in EXPECTED.items()
        for rule_id, status in zip(RULES, statuses, strict=True)
        if status is not None
    }


@pytest.fixture
def keys() -> Iterator[dict[str, str]]:
    with mock_aws():
        yield seed()


def test_exact_outcomes_facts_and_call_counts(keys: dict[str, str]) -> None:
    counter = CallCounter()
    snapshot = scan(["kms"], counter=counter)
    assert snapshot.gaps == ()
    assert outcomes(snapshot, RULES) == expected(keys)

    found = by_uid(snapshot, "kms.key")
    assert set(found) == set(keys.values())
    rotated = found[keys["rotated"]]
    assert rotated.tags == {"phi": "yes"}
    assert rotated.native_type == "AWS::KMS::Key"
    assert rotated.region == US
    assert (rotated.props.rotation_applicable, rotated.props.rotation_enabled) == (True, True)
    assert found[keys["open_no_rotation"]].props.public_policy_statements == ("Everyone",)
    assert found[keys["restricted"]].props.public_policy_statements == ()
    for name in NOT_ROTATABLE:
        props = found[keys[name]].props
        assert (props.rotation_applicable, props.rotation_enabled) == (False, None), name
    assert found[keys["asymmetric"]].props.key_spec == "RSA_2048"
    assert found[keys["disabled"]].props.key_state == "Disabled"
    assert found[keys["pending_deletion"]].props.key_state == "PendingDeletion"
    assert {name for name, uid in keys.items() if found[uid].props.usable is False} == {
        "disabled",
        "pending_deletion",
    }
    assert found[keys["eu_hmac"]].region == EU

    # Per key: one DescribeKey, one GetKeyPolicy, one ListResourceTags (all customer keys);
    # GetKeyRotationStatus only for the 4 enabled customer symmetric keys; one list per region.
    assert counter.counts["kms.ListKeys"] == 2
    assert counter.counts["kms.DescribeKey"] == 8
    assert counter.counts["kms.GetKeyPolicy"] == 8
    assert counter.counts["kms.ListResourceTags"] == 8
    assert counter.counts["kms.GetKeyRotationStatus"] == 4


def test_rotation_status_denied_gives_unknown_and_policy_still_judged(keys: dict[str, str]) -> None:
    with failing("kms.GetKeyRotationStatus"):
        snapshot = scan(["kms"])
    applicable = {"rotated", "open_no_rotation", "restricted", "eu_no_rotation"}
    found = by_uid(snapshot, "kms.key")
    for name in applicable:
        assert found[keys[name]].props.rotation_enabled is None
    assert {(g.operation, g.error_code, g.resource_uid) for g in snapshot.gaps} == {
        ("GetKeyRotationStatus", "AccessDenied", keys[name]) for name in applicable
    }
    want = {o for o in expected(keys) if o[0] != "EAR-KEY-01"}
    want |= {("EAR-KEY-01", keys[name], "UNKNOWN") for name in applicable}
    assert outcomes(snapshot, RULES) == want


def test_describe_denied_gives_unknown_for_both_rules_where_needed() -> None:
    with mock_aws():
        arn = boto3.client("kms", US).create_key()["KeyMetadata"]["Arn"]
        with failing("kms.DescribeKey"):
            counter = CallCounter()
            snapshot = scan(["kms"], counter=counter)
    (key,) = by_uid(snapshot, "kms.key").values()
    assert key.uid == arn
    assert (key.props.key_manager, key.props.rotation_applicable) == (None, None)
    # Without metadata the key's manager is unknown: no rotation or tag call is guessed at.
    assert counter.counts["kms.GetKeyRotationStatus"] == 0
    assert counter.counts["kms.ListResourceTags"] == 0
    assert key.tags is None  # unknown manager: unknown tags, so it stays in PHI scope
    assert outcomes(snapshot, RULES) == {
        ("EAR-KEY-01", arn, "UNKNOWN"),
        ("PUB-KEY-01", arn, "PASS"),
        ("EAR-KEY-02", arn, "UNKNOWN"),
    }


def test_malformed_key_policy_is_a_gap_and_unknown() -> None:
    with mock_aws():
        kms = boto3.client("kms", EU)
        meta = kms.create_key()["KeyMetadata"]
        kms.put_key_policy(KeyId=meta["KeyId"], PolicyName="default", Policy="{not json")
        snapshot = scan(["kms"])
    (key,) = by_uid(snapshot, "kms.key").values()
    assert key.props.public_policy_statements is None
    assert [(g.operation, g.error_code, g.resource_uid, g.region) for g in snapshot.gaps] == [
        ("GetKeyPolicy", "MalformedPolicy", meta["Arn"], EU)
    ]
    assert outcomes(snapshot, RULES) == {
        ("EAR-KEY-01", meta["Arn"], "FAIL"),
        ("PUB-KEY-01", meta["Arn"], "UNKNOWN"),
        ("EAR-KEY-02", meta["Arn"], "PASS"),
    }


@pytest.mark.parametrize(
    ("meta", "expected_result"),
    [
        (
            {
                "KeyManager": "CUSTOMER",
                "KeySpec": "SYMMETRIC_DEFAULT",
                "Origin": "AWS_KMS",
                "KeyState": "Enabled",
            },
            True,
        ),
        (
            {
                "KeyManager": "CUSTOMER",
                "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT",
                "KeyState": "Enabled",
            },
            True,
        ),
        (
            {
                "KeyManager": "AWS",
                "KeySpec": "SYMMETRIC_DEFAULT",
                "Origin": "AWS_KMS",
                "KeyState": "Enabled",
            },
            False,
        ),
        (
            {
                "KeyManager": "CUSTOMER",
                "KeySpec": "RSA_2048",
                "Origin": "AWS_KMS",
                "KeyState": "Enabled",
            },
            False,
        ),
        (
            {
                "KeyManager": "CUSTOMER",
                "KeySpec": "SYMMETRIC_DEFAULT",
                "Origin": "EXTERNAL",
                "KeyState": "Enabled",
            },
            False,
        ),
        (
            {
                "KeyManager": "CUSTOMER",
                "KeySpec": "SYMMETRIC_DEFAULT",
                "Origin": "AWS_CLOUDHSM",
                "KeyState": "Enabled",
            },
            False,
        ),
        (
            {
                "KeyManager": "CUSTOMER",
                "KeySpec": "SYMMETRIC_DEFAULT",
                "Origin": "AWS_KMS",
                "KeyState": "PendingDeletion",
            },
            False,
        ),
    ],
)
def test_rotation_applicable(meta: dict[str, str], expected_result: bool) -> None:
    assert rotation_applicable(meta) is expected_result


def test_public_statement_labels_use_sid_or_index() -> None:
    doc = json.dumps(
        {
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"},
                RESTRICTED,
                OPEN,
            ]
        }
    )
    assert public_statement_labels(doc) == ("#0", "Everyone")
