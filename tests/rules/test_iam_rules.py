"""IAM rules on hand-built resources: PASS, FAIL and UNKNOWN for each, plus their metadata."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from rules import load_rules
from scanner.engine import evaluate
from scanner.kinds.iam import (
    AccessKey,
    IamAccount,
    IamPolicy,
    IamPrincipal,
    PolicyType,
    PrincipalType,
)
from scanner.model import Concern, Finding, JSONValue, Resource, Status
from tests.rules.support import ACCOUNT, aws_resource, judge_one, rule_by_id, snapshot_of

IAM_RULE_IDS = {
    "IAM-POLICY-01",
    "IAM-POLICY-02",
    "IAM-POLICY-03",
    "IAM-ROOT-01",
    "IAM-ROOT-02",
    "IAM-USER-01",
    "IAM-USER-02",
    "IAM-USER-03",
    "IAM-ROLE-02",
    "IAM-ROLE-03",
    "IAM-KEY-01",
    "IAM-KEY-02",
    "IAM-PASSWORD-01",
    "IAM-PASSWORD-02",
    "IAM-PASSWORD-03",
    "IAM-ROLE-01",
    # Issue 11, group A.
    "IAM-PASSWORD-04",
    "IAM-POLICY-04",
    "IAM-ROOT-03",
    "IAM-USER-04",
    "IAM-USER-05",
}

POLICY = IamPolicy(
    policy_type=PolicyType.MANAGED,
    owner_arn=None,
    owner_type=None,
    attachment_count=2,
    default_version="v3",
    admin_statements=(),
    service_wildcards=(),
    all_action_grants=(),
)
USER = IamPrincipal(
    principal_type=PrincipalType.USER,
    path="/",
    groups=(),
    attached_policies=(),
    inline_policies=(),
    console_access=True,
    mfa_devices=1,
    access_keys=(),
    trust_open_statements=(),
    trusted_principals=(),
)
ROLE = dataclasses.replace(
    USER,
    principal_type=PrincipalType.ROLE,
    console_access=False,
    mfa_devices=0,
    trusted_principals=("Service:ec2.amazonaws.com",),
)
SETTINGS = IamAccount(
    root_access_keys_present=False,
    root_mfa_enabled=True,
    password_policy_exists=True,
    password_min_length=14,
    password_reuse_prevention=24,
    password_max_age_days=90,
)
NO_POLICY = dataclasses.replace(
    SETTINGS,
    password_policy_exists=False,
    password_min_length=None,
    password_reuse_prevention=None,
    password_max_age_days=None,
)
UNREADABLE = IamAccount(None, None, None, None, None, None)


def key(
    age: int | None = 10,
    used: bool | None = True,
    since: int | None = 1,
    active: bool = True,
    key_id: str = "AKIAEXAMPLE",
) -> AccessKey:
    return AccessKey(
        key_id=key_id, active=active, age_days=age, ever_used=used, days_since_last_use=since
    )


def _native_type(props: Any) -> str:
    # Rules narrow `iam.principal` to users or roles by native type, as the collector sets it.
    if isinstance(props, IamPrincipal):
        return "AWS::IAM::Role" if props.principal_type is PrincipalType.ROLE else "AWS::IAM::User"
    return "AWS::IAM::Thing"


def _thing(props: Any) -> Resource[Any]:
    uid = f"arn:aws:iam::{ACCOUNT}:thing"
    return aws_resource(uid, _native_type(props), "thing", props, region="global")


def judge(rule_id: str, props: Any, params: dict[str, JSONValue] | None = None) -> Finding:
    phi = (("phi", "yes"),)
    return judge_one(rule_id, _thing(props), params, phi, regions=("global",))


def not_judged(rule_id: str, props: Any) -> bool:
    """True when the rule answers not-applicable (the engine then records no finding)."""
    snapshot = snapshot_of((_thing(props),), ("global",))
    return evaluate([snapshot], [rule_by_id(rule_id)]).findings == ()


def status(rule_id: str, props: Any, **params: JSONValue) -> Status:
    return judge(rule_id, props, params).status


def test_metadata() -> None:
    found = {r.id: r.meta for r in load_rules() if r.id.startswith("IAM-")}
    subjects = {"POLICY", "ROOT", "USER", "KEY", "PASSWORD", "ROLE"}
    assert {i for i in found if i.split("-")[1] in subjects} == IAM_RULE_IDS
    for rule_id in IAM_RULE_IDS:
        meta = found[rule_id]
        assert meta.concern is Concern.ACCESS_CONTROL
        assert meta.phi_scoped is False
        assert meta.citations
        assert meta.providers == frozenset({"aws"})
        fix = meta.remediation["aws"]
        assert fix.console and fix.cli and fix.terraform
        assert meta.description.endswith(".")


def test_policy_admin() -> None:
    assert status("IAM-POLICY-01", POLICY) is Status.PASS
    admin = dataclasses.replace(POLICY, admin_statements=("Statement[0]: Allow Action * ...",))
    finding = judge("IAM-POLICY-01", admin)
    assert finding.status is Status.FAIL
    assert finding.evidence == {
        "admin_statements": ["Statement[0]: Allow Action * ..."],
        "attachment_count": 2,
    }
    assert finding.message.startswith("Managed policy thing (version v3) grants full")
    assert status("IAM-POLICY-01", dataclasses.replace(POLICY, admin_statements=None)) is (
        Status.UNKNOWN
    )


def test_policy_all_actions_on_named_resources() -> None:
    assert status("IAM-POLICY-03", POLICY) is Status.PASS
    grant = "Statement[0]: Allow Action * on arn:aws:s3:::phi"
    finding = judge("IAM-POLICY-03", dataclasses.replace(POLICY, all_action_grants=(grant,)))
    assert finding.status is Status.FAIL
    assert finding.evidence == {"all_action_grants": [grant]}
    assert status("IAM-POLICY-03", dataclasses.replace(POLICY, all_action_grants=None)) is (
        Status.UNKNOWN
    )


def test_policy_service_wildcard() -> None:
    assert status("IAM-POLICY-02", POLICY) is Status.PASS
    inline = dataclasses.replace(
        POLICY,
        policy_type=PolicyType.INLINE,
        owner_type="role",
        owner_arn="arn:aws:iam::1:role/r",
        service_wildcards=("s3:*",),
    )
    finding = judge("IAM-POLICY-02", inline)
    assert finding.status is Status.FAIL
    assert finding.evidence == {"service_wildcards": ["s3:*"]}
    assert finding.message.startswith("Inline policy thing allows s3:*")
    assert status("IAM-POLICY-02", dataclasses.replace(POLICY, service_wildcards=None)) is (
        Status.UNKNOWN
    )


@pytest.mark.parametrize(
    ("field", "rule_id", "good", "bad"),
    [
        ("root_access_keys_present", "IAM-ROOT-01", False, True),
        ("root_mfa_enabled", "IAM-ROOT-02", True, False),
    ],
)
def test_root(field: str, rule_id: str, good: bool, bad: bool) -> None:
    assert status(rule_id, dataclasses.replace(SETTINGS, **{field: good})) is Status.PASS
    assert status(rule_id, dataclasses.replace(SETTINGS, **{field: bad})) is Status.FAIL
    assert status(rule_id, dataclasses.replace(SETTINGS, **{field: None})) is Status.UNKNOWN


def test_console_mfa() -> None:
    assert status("IAM-USER-01", USER) is Status.PASS
    no_mfa = dataclasses.replace(USER, mfa_devices=0)
    finding = judge("IAM-USER-01", no_mfa)
    assert finding.status is Status.FAIL
    assert finding.evidence == {"console_access": True, "mfa_devices": 0}
    assert status("IAM-USER-01", dataclasses.replace(USER, mfa_devices=None)) is Status.UNKNOWN
    assert status("IAM-USER-01", dataclasses.replace(USER, console_access=None)) is (Status.UNKNOWN)
    # Without a console password, MFA (even unreadable) does not matter.
    no_console = dataclasses.replace(USER, console_access=False, mfa_devices=None)
    assert status("IAM-USER-01", no_console) is Status.PASS
    assert not_judged("IAM-USER-01", ROLE)


def test_administrator_access_on_users() -> None:
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    assert status("IAM-USER-02", USER) is Status.PASS
    near = dataclasses.replace(
        USER,
        attached_policies=(
            f"arn:aws:iam::{ACCOUNT}:policy/AdministratorAccess-lookalike",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
        ),
    )
    assert status("IAM-USER-02", near) is Status.PASS
    finding = judge("IAM-USER-02", dataclasses.replace(USER, attached_policies=(admin,)))
    assert finding.status is Status.FAIL
    assert finding.evidence == {"attached_policies": [admin]}
    gov = "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"
    assert status("IAM-USER-02", dataclasses.replace(USER, attached_policies=(gov,))) is (
        Status.FAIL
    )
    # Roles are out of this rule's reach (admin roles are the recommended pattern).
    assert not_judged("IAM-USER-02", dataclasses.replace(ROLE, attached_policies=(admin,)))


def test_key_age() -> None:
    def with_keys(*keys: AccessKey) -> IamPrincipal:
        return dataclasses.replace(USER, access_keys=keys)

    assert status("IAM-KEY-01", USER) is Status.PASS  # no keys at all
    assert status("IAM-KEY-01", with_keys(key(age=90))) is Status.PASS
    finding = judge("IAM-KEY-01", with_keys(key(age=91), key(age=5, key_id="AKIAOTHER")))
    assert finding.status is Status.FAIL
    assert finding.evidence == {
        "max_key_age_days": 90,
        "keys": [
            {"key_id": "AKIAEXAMPLE", "age_days": 91, "ever_used": True, "days_since_last_use": 1}
        ],
    }
    assert status("IAM-KEY-01", with_keys(key(age=400, active=False))) is Status.PASS
    assert status("IAM-KEY-01", with_keys(key(age=None))) is Status.UNKNOWN
    assert status("IAM-KEY-01", with_keys(key(age=None), key(age=91))) is Status.FAIL
    assert status("IAM-KEY-01", dataclasses.replace(USER, access_keys=None)) is Status.UNKNOWN
    assert status("IAM-KEY-01", with_keys(key(age=40)), max_key_age_days=30) is Status.FAIL


def test_key_unused() -> None:
    def with_keys(*keys: AccessKey) -> IamPrincipal:
        return dataclasses.replace(USER, access_keys=keys)

    assert status("IAM-KEY-02", USER) is Status.PASS
    assert status("IAM-KEY-02", with_keys(key(since=90))) is Status.PASS
    assert status("IAM-KEY-02", with_keys(key(since=91))) is Status.FAIL
    # Never used: unused once older than the limit.
    assert status("IAM-KEY-02", with_keys(key(age=30, used=False, since=None))) is Status.PASS
    never = judge("IAM-KEY-02", with_keys(key(age=91, used=False, since=None)))
    assert never.status is Status.FAIL
    assert never.evidence["keys"] == [
        {"key_id": "AKIAEXAMPLE", "age_days": 91, "ever_used": False, "days_since_last_use": None}
    ]
    assert status("IAM-KEY-02", with_keys(key(age=None, used=False, since=None))) is (
        Status.UNKNOWN
    )
    assert status("IAM-KEY-02", with_keys(key(used=None, since=None))) is Status.UNKNOWN
    assert status("IAM-KEY-02", with_keys(key(since=200, active=False))) is Status.PASS
    assert status("IAM-KEY-02", dataclasses.replace(USER, access_keys=None)) is Status.UNKNOWN
    assert status("IAM-KEY-02", with_keys(key(since=20)), max_key_unused_days=14) is Status.FAIL


@pytest.mark.parametrize(
    ("rule_id", "field", "good", "bad"),
    [
        ("IAM-PASSWORD-01", "password_min_length", 14, 13),
        ("IAM-PASSWORD-02", "password_reuse_prevention", 24, 0),
        ("IAM-PASSWORD-03", "password_max_age_days", 90, 91),
    ],
)
def test_password_policy(rule_id: str, field: str, good: Any, bad: Any) -> None:
    assert status(rule_id, dataclasses.replace(SETTINGS, **{field: good})) is Status.PASS
    assert status(rule_id, dataclasses.replace(SETTINGS, **{field: bad})) is Status.FAIL
    # No policy at all is a definite failure; an unreadable one is unknown.
    assert status(rule_id, NO_POLICY) is Status.FAIL
    assert status(rule_id, UNREADABLE) is Status.UNKNOWN
    assert status(rule_id, dataclasses.replace(SETTINGS, **{field: None})) is Status.UNKNOWN


def test_password_policy_edges_and_params() -> None:
    never = dataclasses.replace(SETTINGS, password_max_age_days=0)
    finding = judge("IAM-PASSWORD-03", never)
    assert finding.status is Status.FAIL
    assert "never expires" in finding.message
    assert finding.evidence == {"MaxPasswordAge": 0, "max_age_days": 90}
    assert status("IAM-PASSWORD-01", SETTINGS, min_length=16) is Status.FAIL
    assert status("IAM-PASSWORD-02", SETTINGS, reuse_prevention=5) is Status.PASS
    assert status("IAM-PASSWORD-03", SETTINGS, max_age_days=60) is Status.FAIL


def test_role_trust() -> None:
    assert status("IAM-ROLE-01", ROLE) is Status.PASS
    opened = dataclasses.replace(
        ROLE,
        trust_open_statements=("Statement[0]: Allow Principal *",),
        trusted_principals=("AWS:*",),
    )
    finding = judge("IAM-ROLE-01", opened)
    assert finding.status is Status.FAIL
    assert finding.evidence == {
        "open_statements": ["Statement[0]: Allow Principal *"],
        "trusted_principals": ["AWS:*"],
    }
    assert status("IAM-ROLE-01", dataclasses.replace(ROLE, trust_open_statements=None)) is (
        Status.UNKNOWN
    )
    assert not_judged("IAM-ROLE-01", USER)


@pytest.mark.parametrize(
    ("admin_via", "expected"),
    [
        ((), Status.PASS),
        (("group ops: AWS-managed policy AdministratorAccess",), Status.FAIL),
        (None, Status.UNKNOWN),
    ],
)
def test_effective_admin_rules(admin_via: tuple[str, ...] | None, expected: Status) -> None:
    assert status("IAM-USER-03", dataclasses.replace(USER, admin_via=admin_via)) is expected
    assert status("IAM-ROLE-02", dataclasses.replace(ROLE, admin_via=admin_via)) is expected
    assert not_judged("IAM-USER-03", ROLE)
    assert not_judged("IAM-ROLE-02", USER)


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        ((), Status.PASS),
        (("Statement[0]: Allow account(s) 999988887777 ...",), Status.FAIL),
        (None, Status.UNKNOWN),
    ],
)
def test_cross_account_trust_rule(found: tuple[str, ...] | None, expected: Status) -> None:
    props = dataclasses.replace(ROLE, trust_cross_account_unguarded=found)
    assert status("IAM-ROLE-03", props) is expected
    assert not_judged("IAM-ROLE-03", USER)


def test_account_level_rules_ignore_phi_scope() -> None:
    # `judge` evaluates with --phi-tag phi=yes and untagged resources: they still get a verdict.
    assert judge("IAM-ROOT-02", SETTINGS).status is Status.PASS
