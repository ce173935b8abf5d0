"""IAM collectors end to end under moto: facts, exact rule outcomes, gaps and call counts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.iam.models import AccessKeyLastUsed, AWSManagedPolicy, iam_backends

from providers.aws.services import iam as iam_collector
from providers.aws.task import Fetched
from providers.base import CallCounter
from scanner.kinds.iam import IamAccount, IamPolicy, IamPrincipal, PolicyType
from scanner.snapshot import snapshot_from_dict, snapshot_to_dict
from tests.providers.aws.helpers import ACCOUNT, by_uid, canned, failing, outcomes, scan

IAM_RULES = (
    "IAM-POLICY-01",
    "IAM-POLICY-02",
    "IAM-POLICY-03",
    "IAM-ROOT-01",
    "IAM-ROOT-02",
    "IAM-USER-01",
    "IAM-USER-02",
    "IAM-KEY-01",
    "IAM-KEY-02",
    "IAM-PASSWORD-01",
    "IAM-PASSWORD-02",
    "IAM-PASSWORD-03",
    "IAM-ROLE-01",
)
PRINCIPAL_RULES = ("IAM-USER-01", "IAM-USER-02", "IAM-KEY-01", "IAM-KEY-02", "IAM-ROLE-01")
ARN = f"arn:aws:iam::{ACCOUNT}"
ACCOUNT_UID = f"{ARN}:account-settings"
ADMIN_ACCESS = "arn:aws:iam::aws:policy/AdministratorAccess"

ALICE = f"{ARN}:user/eng/alice"
BOB = f"{ARN}:user/bob"
CAROL = f"{ARN}:user/carol"
OPEN_ROLE = f"{ARN}:role/open-role"
EXTID_ROLE = f"{ARN}:role/extid-role"
ORG_ROLE = f"{ARN}:role/org-role"
EC2_ROLE = f"{ARN}:role/ec2-role"
PARTNER_ROLE = f"{ARN}:role/partner-role"
USERS = (ALICE, BOB, CAROL)
ROLES = (OPEN_ROLE, EXTID_ROLE, ORG_ROLE, EC2_ROLE, PARTNER_ROLE)

ALICE_INLINE = f"{ALICE}/inline-policy/everything"
CAROL_INLINE = f"{CAROL}/inline-policy/one-bucket-admin"
GROUP_NOTACTION = f"{ARN}:group/admins/inline-policy/all-but-iam"
GROUP_DENY = f"{ARN}:group/admins/inline-policy/deny-everything"
EC2_INLINE = f"{EC2_ROLE}/inline-policy/kms-all"
LIST_ADMIN = f"{ARN}:policy/list-admin"
S3_ALL = f"{ARN}:policy/s3-all"
NOT_DEFAULT = f"{ARN}:policy/admin-in-old-version"
POLICIES = (
    ALICE_INLINE,
    CAROL_INLINE,
    GROUP_NOTACTION,
    GROUP_DENY,
    EC2_INLINE,
    LIST_ADMIN,
    S3_ALL,
    NOT_DEFAULT,
)


def _doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _allow(action: Any, resource: Any, **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def _trust(principal: Any, **extra: Any) -> str:
    return _doc({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole", **extra})


def _summary() -> Any:
    return iam_backends[ACCOUNT]["aws"].account_summary


def _seed_users(iam: Any) -> None:
    iam.create_user(UserName="alice", Path="/eng/")
    iam.create_login_profile(UserName="alice", Password="Correct-Horse-Battery-9")
    iam.create_user(UserName="bob")
    iam.create_login_profile(UserName="bob", Password="Correct-Horse-Battery-9")
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="bob")["VirtualMFADevice"][
        "SerialNumber"
    ]
    iam.enable_mfa_device(
        UserName="bob",
        SerialNumber=serial,
        AuthenticationCode1="123456",
        AuthenticationCode2="654321",
    )
    iam.create_user(UserName="carol")  # no console password: MFA is not required
    for user in ("alice", "bob", "carol"):
        iam.create_access_key(UserName=user)


def _seed(iam: Any) -> None:
    _seed_users(iam)
    # String forms, inline on a user: full admin.
    iam.put_user_policy(
        UserName="alice",
        PolicyName="everything",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": _allow("*", "*")}),
    )
    iam.attach_user_policy(UserName="alice", PolicyArn=ADMIN_ACCESS)
    # Near miss: "*" on one ARN is not full admin.
    iam.put_user_policy(
        UserName="carol",
        PolicyName="one-bucket-admin",
        PolicyDocument=_doc(_allow("*", "arn:aws:s3:::phi-bucket/*")),
    )
    iam.create_group(GroupName="admins")
    iam.add_user_to_group(GroupName="admins", UserName="alice")
    iam.put_group_policy(
        GroupName="admins",
        PolicyName="all-but-iam",
        PolicyDocument=_doc({"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}),
    )
    # A Deny never grants.
    iam.put_group_policy(
        GroupName="admins",
        PolicyName="deny-everything",
        PolicyDocument=_doc({"Effect": "Deny", "Action": "*", "Resource": "*"}),
    )
    # List forms, customer managed: full admin.
    iam.create_policy(PolicyName="list-admin", PolicyDocument=_doc(_allow(["*"], ["*"])))
    # Near miss: a whole service on everything is the lesser finding.
    s3_all = iam.create_policy(PolicyName="s3-all", PolicyDocument=_doc(_allow("s3:*", "*")))[
        "Policy"
    ]["Arn"]
    iam.attach_user_policy(UserName="bob", PolicyArn=s3_all)
    # Only the default version counts: admin lives in a non-default version.
    old = iam.create_policy(
        PolicyName="admin-in-old-version",
        PolicyDocument=_doc(_allow("s3:GetObject", "arn:aws:s3:::b/*")),
    )
    iam.create_policy_version(
        PolicyArn=old["Policy"]["Arn"], PolicyDocument=_doc(_allow("*", "*")), SetAsDefault=False
    )

    iam.create_role(RoleName="open-role", AssumeRolePolicyDocument=_trust({"AWS": "*"}))
    iam.create_role(
        RoleName="extid-role",
        AssumeRolePolicyDocument=_trust(
            "*", Condition={"StringEquals": {"sts:ExternalId": "guessable"}}
        ),
    )
    iam.create_role(
        RoleName="org-role",
        AssumeRolePolicyDocument=_trust(
            {"AWS": "*"}, Condition={"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}
        ),
    )
    iam.create_role(
        RoleName="ec2-role", AssumeRolePolicyDocument=_trust({"Service": "ec2.amazonaws.com"})
    )
    iam.put_role_policy(
        RoleName="ec2-role",
        PolicyName="kms-all",
        PolicyDocument=_doc(_allow(["kms:*", "s3:GetObject"], "*")),
    )
    iam.create_role(
        RoleName="partner-role",
        AssumeRolePolicyDocument=_trust({"AWS": "arn:aws:iam::111122223333:root"}),
    )

    iam.update_account_password_policy(MinimumPasswordLength=8, PasswordReusePrevention=24)
    _summary()._account_mfa_enabled = 1  # moto hard-codes 0 and has no API to change it


def _add_administrator_access() -> None:
    # Loading all AWS-managed policies costs ~1 s per test; only this one is attached here.
    backend = iam_backends[ACCOUNT]["aws"]
    policy = AWSManagedPolicy.from_data(
        "AdministratorAccess",
        ACCOUNT,
        backend.region_name,
        {
            "DefaultVersionId": "v1",
            "Path": "/",
            "Document": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
            },
            "CreateDate": "2015-02-06T18:39:46+00:00",
            "UpdateDate": "2015-02-06T18:39:46+00:00",
        },
    )
    assert policy.arn == ADMIN_ACCESS
    backend.managed_policies[policy.arn] = policy
    backend.aws_managed_policies.append(policy)  # so the LocalManagedPolicy filter drops it


@pytest.fixture
def estate() -> Iterator[Any]:
    with mock_aws():
        iam = boto3.client("iam", region_name="us-east-1")
        _add_administrator_access()
        _seed(iam)
        yield iam


def test_estate_outcomes_are_exact(estate: Any) -> None:
    snapshot = scan(["iam"])

    assert snapshot.gaps == ()
    assert outcomes(snapshot, IAM_RULES) == {
        ("IAM-POLICY-01", ALICE_INLINE, "FAIL"),
        ("IAM-POLICY-01", CAROL_INLINE, "PASS"),
        ("IAM-POLICY-01", GROUP_NOTACTION, "FAIL"),
        ("IAM-POLICY-01", GROUP_DENY, "PASS"),
        ("IAM-POLICY-01", EC2_INLINE, "PASS"),
        ("IAM-POLICY-01", LIST_ADMIN, "FAIL"),
        ("IAM-POLICY-01", S3_ALL, "PASS"),
        ("IAM-POLICY-01", NOT_DEFAULT, "PASS"),
        ("IAM-POLICY-02", ALICE_INLINE, "PASS"),
        ("IAM-POLICY-02", CAROL_INLINE, "PASS"),
        ("IAM-POLICY-02", GROUP_NOTACTION, "PASS"),
        ("IAM-POLICY-02", GROUP_DENY, "PASS"),
        ("IAM-POLICY-02", EC2_INLINE, "FAIL"),
        ("IAM-POLICY-02", LIST_ADMIN, "PASS"),
        ("IAM-POLICY-02", S3_ALL, "FAIL"),
        ("IAM-POLICY-02", NOT_DEFAULT, "PASS"),
        # `*` on one bucket is not admin, but it is its own, lower finding.
        ("IAM-POLICY-03", CAROL_INLINE, "FAIL"),
        *{
            ("IAM-POLICY-03", uid, "PASS")
            for uid in (
                ALICE_INLINE,
                GROUP_NOTACTION,
                GROUP_DENY,
                EC2_INLINE,
                LIST_ADMIN,
                S3_ALL,
                NOT_DEFAULT,
            )
        },
        ("IAM-ROOT-01", ACCOUNT_UID, "PASS"),
        ("IAM-ROOT-02", ACCOUNT_UID, "PASS"),
        ("IAM-PASSWORD-01", ACCOUNT_UID, "FAIL"),
        ("IAM-PASSWORD-02", ACCOUNT_UID, "PASS"),
        ("IAM-PASSWORD-03", ACCOUNT_UID, "FAIL"),
        ("IAM-USER-01", ALICE, "FAIL"),
        ("IAM-USER-01", BOB, "PASS"),
        ("IAM-USER-01", CAROL, "PASS"),
        ("IAM-USER-02", ALICE, "FAIL"),
        ("IAM-USER-02", BOB, "PASS"),
        ("IAM-USER-02", CAROL, "PASS"),
        ("IAM-ROLE-01", OPEN_ROLE, "FAIL"),
        ("IAM-ROLE-01", EXTID_ROLE, "FAIL"),
        ("IAM-ROLE-01", ORG_ROLE, "PASS"),
        ("IAM-ROLE-01", EC2_ROLE, "PASS"),
        ("IAM-ROLE-01", PARTNER_ROLE, "PASS"),
        # Fresh keys at collection time. User-only rules are not applicable to roles, and
        # the trust rule to users: those pairs make no finding at all.
        *{(rule, uid, "PASS") for rule in ("IAM-KEY-01", "IAM-KEY-02") for uid in USERS},
    }


def test_facts(estate: Any) -> None:
    snapshot = scan(["iam"])
    principals = by_uid(snapshot, IamPrincipal.KIND)
    policies = by_uid(snapshot, IamPolicy.KIND)
    account = by_uid(snapshot, IamAccount.KIND)[ACCOUNT_UID]

    assert set(principals) == set(USERS) | set(ROLES)
    assert set(policies) == set(POLICIES)  # AdministratorAccess itself is not a document here

    alice = principals[ALICE]
    assert (alice.name, alice.native_type, alice.region) == ("alice", "AWS::IAM::User", "global")
    assert alice.props.console_access is True
    assert alice.props.mfa_devices == 0
    assert alice.props.groups == ("admins",)
    assert alice.props.attached_policies == (ADMIN_ACCESS,)
    assert alice.props.inline_policies == (ALICE_INLINE,)
    (key,) = alice.props.access_keys
    assert (key.active, key.age_days, key.ever_used, key.days_since_last_use) == (
        True,
        0,
        False,
        None,
    )
    assert principals[BOB].props.mfa_devices == 1
    assert principals[CAROL].props.console_access is False

    open_role = principals[OPEN_ROLE].props
    assert open_role.trusted_principals == ("AWS:*",)
    assert len(open_role.trust_open_statements) == 1
    assert "ExternalId" in principals[EXTID_ROLE].props.trust_open_statements[0]
    assert principals[EC2_ROLE].props.trusted_principals == ("Service:ec2.amazonaws.com",)
    assert principals[EC2_ROLE].props.inline_policies == (EC2_INLINE,)

    s3_all = policies[S3_ALL]
    assert (s3_all.name, s3_all.native_type) == ("s3-all", "AWS::IAM::ManagedPolicy")
    assert s3_all.props.policy_type is PolicyType.MANAGED
    assert s3_all.props.attachment_count == 1
    assert s3_all.props.service_wildcards == ("s3:*",)
    assert policies[NOT_DEFAULT].props.default_version == "v1"
    assert policies[NOT_DEFAULT].props.admin_statements == ()
    group_policy = policies[GROUP_NOTACTION]
    assert (group_policy.name, group_policy.native_type) == (
        "group/admins/all-but-iam",
        "AWS::IAM::Policy",
    )
    assert group_policy.props.owner_arn == f"{ARN}:group/admins"
    assert group_policy.props.admin_statements == (
        "Statement[0]: Allow NotAction [iam:*] on Resource *",
    )
    assert policies[EC2_INLINE].props.service_wildcards == ("kms:*",)

    assert account.props == IamAccount(
        root_access_keys_present=False,
        root_mfa_enabled=True,
        password_policy_exists=True,
        password_min_length=8,
        password_reuse_prevention=24,
        password_max_age_days=0,
        # Issue 11 (group A): no character class required; no virtual MFA on root.
        password_require_uppercase=False,
        password_require_lowercase=False,
        password_require_numbers=False,
        password_require_symbols=False,
        root_virtual_mfa=False,
    )

    names = {(r.account, r.native_type, r.name) for r in snapshot.resources}
    assert len(names) == len(snapshot.resources)


def test_snapshot_round_trip(estate: Any) -> None:
    snapshot = scan(["iam"])
    again = snapshot_from_dict(json.loads(json.dumps(snapshot_to_dict(snapshot))), "test")
    assert again.resources == snapshot.resources


def test_no_password_policy_and_root_keys_fail() -> None:
    with mock_aws():
        boto3.client("iam", region_name="us-east-1")
        _summary()._account_access_keys_present = 1
        snapshot = scan(["iam"])
    account = by_uid(snapshot, IamAccount.KIND)[ACCOUNT_UID].props
    assert (account.password_policy_exists, account.password_min_length) == (False, None)
    assert outcomes(
        snapshot,
        ("IAM-PASSWORD-01", "IAM-PASSWORD-02", "IAM-PASSWORD-03", "IAM-ROOT-01", "IAM-ROOT-02"),
    ) == {
        ("IAM-PASSWORD-01", ACCOUNT_UID, "FAIL"),
        ("IAM-PASSWORD-02", ACCOUNT_UID, "FAIL"),
        ("IAM-PASSWORD-03", ACCOUNT_UID, "FAIL"),
        ("IAM-ROOT-01", ACCOUNT_UID, "FAIL"),
        ("IAM-ROOT-02", ACCOUNT_UID, "FAIL"),  # moto's default: no root MFA
    }
    assert snapshot.gaps == ()


def test_key_ages_use_the_collection_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # moto cannot back-date keys: move the collector's clock forward instead.
    with mock_aws():
        iam = boto3.client("iam", region_name="us-east-1")
        for user in ("fresh-user", "stale-user", "idle-user"):
            iam.create_user(UserName=user)
        iam.create_access_key(UserName="fresh-user")
        iam.create_access_key(UserName="idle-user")
        stale = iam.create_access_key(UserName="stale-user")["AccessKey"]["AccessKeyId"]
        inactive = iam.create_access_key(UserName="fresh-user")["AccessKey"]["AccessKeyId"]
        iam.update_access_key(UserName="fresh-user", AccessKeyId=inactive, Status="Inactive")
        backend = iam_backends[ACCOUNT]["aws"]
        later = datetime.now(UTC) + timedelta(days=100)
        for key in backend.get_all_access_keys_for_all_users():
            used = later - timedelta(days=5 if key.user_name != "stale-user" else 95)
            if key.user_name != "idle-user":
                key.last_used = AccessKeyLastUsed(timestamp=used, service="s3", region="us-east-1")
        monkeypatch.setattr(iam_collector, "_now", lambda: later)
        snapshot = scan(["iam"])

    users = {r.name: r for r in by_uid(snapshot, IamPrincipal.KIND).values()}
    stale_key = users["stale-user"].props.access_keys[0]
    assert (
        stale_key.key_id,
        stale_key.age_days,
        stale_key.ever_used,
        stale_key.days_since_last_use,
    ) == (stale, 100, True, 95)
    idle_key = users["idle-user"].props.access_keys[0]
    assert (idle_key.ever_used, idle_key.days_since_last_use) == (False, None)
    assert {k.key_id: k.active for k in users["fresh-user"].props.access_keys}[inactive] is False
    uid = {name: r.uid for name, r in users.items()}
    # Every active key is 100 days old; the inactive one never counts.
    assert outcomes(snapshot, ("IAM-KEY-01", "IAM-KEY-02")) == {
        ("IAM-KEY-01", uid["fresh-user"], "FAIL"),
        ("IAM-KEY-01", uid["stale-user"], "FAIL"),
        ("IAM-KEY-01", uid["idle-user"], "FAIL"),
        ("IAM-KEY-02", uid["fresh-user"], "PASS"),  # used 5 days before collection
        ("IAM-KEY-02", uid["stale-user"], "FAIL"),  # last used 95 days before
        ("IAM-KEY-02", uid["idle-user"], "FAIL"),  # never used, 100 days old
    }


def test_password_policy_access_denied_is_unknown(estate: Any) -> None:
    with failing("iam.GetAccountPasswordPolicy"):
        snapshot = scan(["iam"])
    account = by_uid(snapshot, IamAccount.KIND)[ACCOUNT_UID].props
    assert account.password_policy_exists is None
    assert account.password_min_length is None
    assert account.root_mfa_enabled is True
    assert [(g.operation, g.error_code, g.resource_uid) for g in snapshot.gaps] == [
        ("GetAccountPasswordPolicy", "AccessDenied", ACCOUNT_UID)
    ]
    assert outcomes(
        snapshot,
        ("IAM-PASSWORD-01", "IAM-PASSWORD-02", "IAM-PASSWORD-03", "IAM-ROOT-01", "IAM-ROOT-02"),
    ) == {
        ("IAM-PASSWORD-01", ACCOUNT_UID, "UNKNOWN"),
        ("IAM-PASSWORD-02", ACCOUNT_UID, "UNKNOWN"),
        ("IAM-PASSWORD-03", ACCOUNT_UID, "UNKNOWN"),
        ("IAM-ROOT-01", ACCOUNT_UID, "PASS"),
        ("IAM-ROOT-02", ACCOUNT_UID, "PASS"),
    }


def test_mfa_access_denied_is_unknown_for_console_users_only(estate: Any) -> None:
    with failing("iam.ListMFADevices"):
        snapshot = scan(["iam"])
    principals = by_uid(snapshot, IamPrincipal.KIND)
    assert {uid: principals[uid].props.mfa_devices for uid in USERS} == dict.fromkeys(USERS)
    assert {(g.operation, g.resource_uid) for g in snapshot.gaps} == {
        ("ListMFADevices", uid) for uid in USERS
    }
    assert outcomes(snapshot, ("IAM-USER-01", "IAM-USER-02")) == {
        ("IAM-USER-01", ALICE, "UNKNOWN"),
        ("IAM-USER-01", BOB, "UNKNOWN"),
        ("IAM-USER-01", CAROL, "PASS"),  # no console password: MFA does not matter
        ("IAM-USER-02", ALICE, "FAIL"),
        ("IAM-USER-02", BOB, "PASS"),
        ("IAM-USER-02", CAROL, "PASS"),
    }


def test_key_last_used_denied_is_unknown_for_unused_rule_only(estate: Any) -> None:
    with failing("iam.GetAccessKeyLastUsed"):
        snapshot = scan(["iam"])
    alice = by_uid(snapshot, IamPrincipal.KIND)[ALICE].props
    assert alice.access_keys[0].ever_used is None
    assert alice.access_keys[0].age_days == 0
    assert outcomes(snapshot, ("IAM-KEY-01", "IAM-KEY-02")) == {
        *{("IAM-KEY-01", uid, "PASS") for uid in USERS},
        *{("IAM-KEY-02", uid, "UNKNOWN") for uid in USERS},
    }


def test_authorization_details_denied_leaves_only_the_account(estate: Any) -> None:
    with failing("iam.GetAccountAuthorizationDetails"):
        snapshot = scan(["iam"])
    assert [r.kind for r in snapshot.resources] == [IamAccount.KIND]
    assert [(g.service, g.operation, g.error_code) for g in snapshot.gaps] == [
        ("iam", "GetAccountAuthorizationDetails", "AccessDenied")
    ]


def test_one_call_per_resource_per_fact() -> None:
    with mock_aws():
        iam = boto3.client("iam", region_name="us-east-1")
        for user in ("u1", "u2", "u3"):
            iam.create_user(UserName=user)
            iam.create_access_key(UserName=user)
        iam.create_login_profile(UserName="u1", Password="Correct-Horse-Battery-9")
        iam.create_role(RoleName="r1", AssumeRolePolicyDocument=_trust({"AWS": "*"}))
        iam.create_policy(PolicyName="p1", PolicyDocument=_doc(_allow("s3:*", "*")))
        counter = CallCounter()
        scan(["iam"], counter=counter)
    iam_counts = {k: v for k, v in counter.counts.items() if k.startswith("iam.")}
    assert iam_counts == {
        "iam.GetAccountAuthorizationDetails": 1,
        "iam.GetAccountSummary": 1,
        "iam.GetCredentialReport": 1,
        "iam.GetAccountPasswordPolicy": 1,
        "iam.ListAccessKeys": 3,
        "iam.GetAccessKeyLastUsed": 3,
        "iam.GetLoginProfile": 3,
        "iam.ListMFADevices": 3,
        "iam.ListUsers": 1,
        "iam.ListVirtualMFADevices": 1,
    }


class _PagedTask:
    """Stands in for `AwsTask.call`: moto never truncates GetAccountAuthorizationDetails."""

    def __init__(self, pages: list[Fetched]) -> None:
        self.pages = pages
        self.params: list[dict[str, Any]] = []

    def call(self, client: Any, method: str, **params: Any) -> Fetched:
        assert method == "get_account_authorization_details"
        self.params.append(params)
        return self.pages[len(self.params) - 1]


def test_authorization_details_follows_markers() -> None:
    task = _PagedTask(
        [
            Fetched({"UserDetailList": [{"UserName": "a"}], "IsTruncated": True, "Marker": "m1"}),
            Fetched({"RoleDetailList": [{"RoleName": "r"}], "Policies": [], "IsTruncated": False}),
        ]
    )
    merged = iam_collector._authorization_details(task, None)  # type: ignore[arg-type]
    assert merged == {
        "UserDetailList": [{"UserName": "a"}],
        "GroupDetailList": [],
        "RoleDetailList": [{"RoleName": "r"}],
        "Policies": [],
    }
    assert [p.get("Marker") for p in task.params] == [None, "m1"]
    assert all(p["Filter"] == ["User", "Role", "Group", "LocalManagedPolicy"] for p in task.params)

    failed = _PagedTask(
        [Fetched({"IsTruncated": True, "Marker": "m1"}), Fetched(None, failed=True)]
    )
    assert iam_collector._authorization_details(failed, None) is None  # type: ignore[arg-type]


class _GapTask:
    partition = "aws"
    account = "123456789012"

    def __init__(self) -> None:
        self.gaps: list[tuple[str, str, str | None]] = []

    def gap(self, operation: str, code: str, message: str, uid: str | None = None) -> None:
        self.gaps.append((operation, code, uid))


@pytest.mark.parametrize("document", ["{not json", None, "%5B%5D"])
def test_malformed_policy_document_is_a_gap(document: Any) -> None:
    # moto validates documents on write, so a malformed one cannot be seeded through it.
    task = _GapTask()
    result = iam_collector._analyse(task, "uid-1", document)  # type: ignore[arg-type]
    assert result == (None, None, None, None)
    assert task.gaps == [("GetAccountAuthorizationDetails", "MalformedPolicy", "uid-1")]


def test_url_encoded_policy_document_is_analysed() -> None:
    task = _GapTask()
    encoded = (
        "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A"
        "%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D"
    )
    admin, wildcards, all_actions, decrypt = iam_collector._analyse(  # type: ignore[arg-type]
        task, "uid-1", encoded
    )
    assert admin == ("Statement[0]: Allow Action * on Resource *",)
    assert wildcards == ()
    assert all_actions == ()
    assert decrypt == ("Statement[0]: Allow kms:Decrypt, kms:ReEncryptFrom on every key",)
    assert task.gaps == []


def test_grants_on_every_resource_written_as_arns() -> None:
    """Item 5: "every resource" and "every resource of a service" judged by ARN coverage."""
    documents = {
        "arn-admin": _allow("*", "arn:aws:*:*:*:*"),  # the reported spelling
        "any-partition-admin": _allow(["*"], ["arn:*:*:*:*:*"]),
        "notaction-admin": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:*"},
        "s3-every-bucket": _allow("s3:*", ["arn:aws:s3:::*", "arn:aws:s3:::*/*"]),
        "kms-every-key": _allow("kms:*", "arn:aws:kms:*:*:key/*"),
        "all-on-s3": _allow("*", "arn:aws:s3:::*"),
        # Near misses: one region's keys, a bucket prefix, another partition.
        "kms-one-region": _allow("kms:*", "arn:aws:kms:us-east-1:*:key/*"),
        "s3-prefix": _allow("s3:*", "arn:aws:s3:::phi-*"),
        "gov-admin": _allow("*", "arn:aws-us-gov:*:*:*:*"),
    }
    with mock_aws():
        iam = boto3.client("iam", region_name="us-east-1")
        for name, statement in documents.items():
            iam.create_policy(PolicyName=name, PolicyDocument=_doc(statement))
        snapshot = scan(["iam"])
    uid = {name: f"{ARN}:policy/{name}" for name in documents}
    fails = {
        "IAM-POLICY-01": {"arn-admin", "any-partition-admin", "notaction-admin"},
        "IAM-POLICY-02": {"s3-every-bucket", "kms-every-key", "all-on-s3"},
        "IAM-POLICY-03": {"gov-admin"},
    }
    assert outcomes(snapshot, fails) == {
        (rule, uid[name], "FAIL" if name in failing_names else "PASS")
        for rule, failing_names in fails.items()
        for name in documents
    }


def test_federated_trust_without_a_subject_pin() -> None:
    """Item 4: web-identity roles judged by their sub/aud pin, through the collector."""
    github = f"{ARN}:oidc-provider/token.actions.githubusercontent.com"
    claim = "token.actions.githubusercontent.com"
    trusts = {
        "gh-aud-only": {"StringEquals": {f"{claim}:aud": "sts.amazonaws.com"}},
        "gh-any-repo": {"StringLike": {f"{claim}:sub": "repo:*"}},
        "gh-pinned": {
            "StringEquals": {f"{claim}:aud": "sts.amazonaws.com"},
            "StringLike": {f"{claim}:sub": "repo:nwh/infra:*"},
        },
    }
    with mock_aws():
        iam = boto3.client("iam", region_name="us-east-1")
        iam.create_open_id_connect_provider(
            Url=f"https://{claim}", ClientIDList=["sts"], ThumbprintList=["a" * 40]
        )
        for name, condition in trusts.items():
            iam.create_role(
                RoleName=name,
                AssumeRolePolicyDocument=_doc(
                    {
                        "Effect": "Allow",
                        "Principal": {"Federated": github},
                        "Action": "sts:AssumeRoleWithWebIdentity",
                        "Condition": condition,
                    }
                ),
            )
        iam.create_role(
            RoleName="pool-no-aud",
            AssumeRolePolicyDocument=_doc(
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                }
            ),
        )
        snapshot = scan(["iam"])
    assert outcomes(snapshot, ["IAM-ROLE-01"]) == {
        ("IAM-ROLE-01", f"{ARN}:role/gh-aud-only", "FAIL"),
        ("IAM-ROLE-01", f"{ARN}:role/gh-any-repo", "FAIL"),
        ("IAM-ROLE-01", f"{ARN}:role/pool-no-aud", "FAIL"),
        ("IAM-ROLE-01", f"{ARN}:role/gh-pinned", "PASS"),
    }


def test_effective_admin_through_groups_aws_managed_policies_and_roles() -> None:
    """Item 6: admin by any path, for users and roles; cross-account trust without a guard."""
    vendor = "arn:aws:iam::999988887777:root"
    lambda_trust = _trust({"Service": "lambda.amazonaws.com"})
    with mock_aws(config={"iam": {"load_aws_managed_policies": True}}):
        iam = boto3.client("iam", region_name="us-east-1")
        iam.create_group(GroupName="ops")
        iam.attach_group_policy(GroupName="ops", PolicyArn=ADMIN_ACCESS)
        iam.create_group(GroupName="empty-admins")  # admin, but no member: nobody affected
        iam.attach_group_policy(GroupName="empty-admins", PolicyArn=ADMIN_ACCESS)
        iam.create_group(GroupName="readers")
        iam.attach_group_policy(
            GroupName="readers", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess"
        )
        admin_doc = iam.create_policy(
            PolicyName="everything", PolicyDocument=_doc(_allow("*", "arn:aws:*:*:*:*"))
        )["Policy"]["Arn"]
        for user, groups in (
            ("via-group", ["ops"]),
            ("reader", ["readers"]),
            ("power", []),
            ("custom", []),
            ("direct", []),
        ):
            iam.create_user(UserName=user)
            for group in groups:
                iam.add_user_to_group(GroupName=group, UserName=user)
        iam.attach_user_policy(
            UserName="power", PolicyArn="arn:aws:iam::aws:policy/PowerUserAccess"
        )
        iam.attach_user_policy(UserName="custom", PolicyArn=admin_doc)
        iam.attach_user_policy(UserName="direct", PolicyArn=ADMIN_ACCESS)
        iam.create_role(RoleName="admin-role", AssumeRolePolicyDocument=lambda_trust)
        iam.attach_role_policy(
            RoleName="admin-role", PolicyArn="arn:aws:iam::aws:policy/IAMFullAccess"
        )
        iam.create_role(RoleName="app-role", AssumeRolePolicyDocument=lambda_trust)
        iam.create_role(RoleName="vendor-role", AssumeRolePolicyDocument=_trust({"AWS": vendor}))
        iam.create_role(
            RoleName="vendor-extid",
            AssumeRolePolicyDocument=_trust(
                {"AWS": vendor}, Condition={"StringEquals": {"sts:ExternalId": "nwh-7f3a"}}
            ),
        )
        snapshot = scan(["iam"])
    user = {n: f"{ARN}:user/{n}" for n in ("via-group", "reader", "power", "custom", "direct")}
    role = {n: f"{ARN}:role/{n}" for n in ("admin-role", "app-role", "vendor-role", "vendor-extid")}
    assert outcomes(snapshot, ["IAM-USER-02", "IAM-USER-03", "IAM-ROLE-02", "IAM-ROLE-03"]) == {
        # IAM-USER-02 keeps its meaning (AdministratorAccess attached directly).
        *{("IAM-USER-02", uid, "FAIL" if n == "direct" else "PASS") for n, uid in user.items()},
        *{("IAM-USER-03", uid, "PASS" if n == "reader" else "FAIL") for n, uid in user.items()},
        *{("IAM-ROLE-02", uid, "FAIL" if n == "admin-role" else "PASS") for n, uid in role.items()},
        *{
            ("IAM-ROLE-03", uid, "FAIL" if n == "vendor-role" else "PASS")
            for n, uid in role.items()
        },
    }
    principals = by_uid(snapshot, IamPrincipal.KIND)
    assert principals[user["via-group"]].props.admin_via == (
        "group ops: AWS-managed policy AdministratorAccess (full administrator access)",
    )
    assert principals[user["custom"]].props.admin_via == ("policy everything",)


def test_unreadable_policy_makes_admin_unknown_unless_another_grants_it() -> None:
    index = iam_collector._AdminIndex(
        _GapTask(),
        {  # type: ignore[arg-type]
            f"{ARN}:policy/broken": None,
            f"{ARN}:policy/admin": ("Statement[0]: ...",),
        },
    )
    broken = {"AttachedManagedPolicies": [{"PolicyArn": f"{ARN}:policy/broken"}]}
    both = {
        "AttachedManagedPolicies": [
            {"PolicyArn": f"{ARN}:policy/broken"},
            {"PolicyArn": f"{ARN}:policy/admin"},
        ]
    }
    assert index.sources("", broken, []) is None
    assert index.sources("", both, []) == ("policy admin",)
    assert index.sources("", {}, []) == ()
    index.groups["g"] = None
    assert index.of_user({"GroupList": ["g"]}, []) is None
    assert index.of_user({"GroupList": ["g"], **both}, []) == ("policy admin",)


_REPORT_HEADER = "user,arn,user_creation_time,password_enabled,mfa_active,access_key_1_active\n"


def _report(root_password: str) -> dict[str, Any]:
    row = (
        f"<root_account>,arn:aws:iam::{ACCOUNT}:root,2020-01-01T00:00:00+00:00,"
        f"{root_password},false,false\n"
    )
    return {
        "Content": (_REPORT_HEADER + row).encode(),
        "ReportFormat": "text/csv",
        "GeneratedTime": "2026-01-01T00:00:00Z",
    }


@pytest.mark.parametrize(
    ("root_password", "expected"),
    [
        ("false", "PASS"),  # root credentials removed centrally: cannot sign in
        ("not_supported", "FAIL"),  # near miss: the usual root row, a password exists
        ("true", "FAIL"),
    ],
)
def test_root_without_a_password_cannot_fail_root_mfa(root_password: str, expected: str) -> None:
    """Item 18. moto's credential report has no root row: the answer is canned."""
    with mock_aws(), canned("iam.GetCredentialReport", _report(root_password)):
        snapshot = scan(["iam"])
    assert outcomes(snapshot, ["IAM-ROOT-02"]) == {("IAM-ROOT-02", ACCOUNT_UID, expected)}


def test_no_credential_report_changes_nothing() -> None:
    with mock_aws():  # moto answers ReportNotPresent: absent, not a gap
        snapshot = scan(["iam"])
    assert snapshot.gaps == ()
    (account,) = by_uid(snapshot, IamAccount.KIND).values()
    assert account.props.root_password_enabled is None
    assert outcomes(snapshot, ["IAM-ROOT-02"]) == {("IAM-ROOT-02", ACCOUNT_UID, "FAIL")}
