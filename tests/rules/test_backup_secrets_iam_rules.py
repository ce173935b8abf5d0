"""Rules of issue 11 group A (backup, secrets, IAM extras): PASS, FAIL and UNKNOWN each."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from providers.aws.services.secretsmanager import key_arn
from scanner.engine import evaluate
from scanner.kinds.backup import (
    BackupCoverage,
    BackupPlan,
    BackupRule,
    BackupVault,
    ProtectedResource,
    VaultLockMode,
)
from scanner.kinds.compute import Volume
from scanner.kinds.filesystem import FileSystem
from scanner.kinds.iam import IamPrincipal
from scanner.kinds.kms import Key
from scanner.kinds.secrets import Secret
from scanner.model import Finding, JSONValue, Status
from tests.rules.support import ACCOUNT, aws_resource, judge_one, rule_by_id, snapshot_of
from tests.rules.test_iam_rules import (
    NO_POLICY,
    POLICY,
    ROLE,
    SETTINGS,
    USER,
    judge,
    key,
    not_judged,
    status,
)

COMPLEX = dataclasses.replace(
    SETTINGS,
    password_require_uppercase=True,
    password_require_lowercase=True,
    password_require_numbers=True,
    password_require_symbols=True,
    root_virtual_mfa=False,
)


def test_password_complexity() -> None:
    assert status("IAM-PASSWORD-04", COMPLEX) is Status.PASS
    weak = dataclasses.replace(COMPLEX, password_require_symbols=False)
    finding = judge("IAM-PASSWORD-04", weak)
    assert finding.status is Status.FAIL
    assert finding.message.endswith("does not require a symbol.")
    assert finding.evidence["RequireSymbols"] is False
    assert status("IAM-PASSWORD-04", NO_POLICY) is Status.FAIL
    # A snapshot written before these facts existed, or an unreadable policy: unknown.
    assert status("IAM-PASSWORD-04", SETTINGS) is Status.UNKNOWN
    unreadable = dataclasses.replace(COMPLEX, password_policy_exists=None)
    assert status("IAM-PASSWORD-04", unreadable) is Status.UNKNOWN


def test_root_hardware_mfa() -> None:
    assert status("IAM-ROOT-03", COMPLEX) is Status.PASS
    virtual = judge("IAM-ROOT-03", dataclasses.replace(COMPLEX, root_virtual_mfa=True))
    assert virtual.status is Status.FAIL
    assert virtual.evidence == {"AccountMFAEnabled": True, "root_virtual_mfa": True}
    no_mfa = dataclasses.replace(COMPLEX, root_mfa_enabled=False)
    assert status("IAM-ROOT-03", no_mfa) is Status.FAIL
    assert status("IAM-ROOT-03", dataclasses.replace(COMPLEX, root_virtual_mfa=None)) is (
        Status.UNKNOWN
    )
    assert status("IAM-ROOT-03", dataclasses.replace(COMPLEX, root_mfa_enabled=None)) is (
        Status.UNKNOWN
    )
    # Root credentials removed: nothing to sign in with, so nothing to protect.
    removed = dataclasses.replace(no_mfa, root_password_enabled=False)
    assert status("IAM-ROOT-03", removed) is Status.PASS


def test_policy_decrypt_on_every_key() -> None:
    assert status("IAM-POLICY-04", dataclasses.replace(POLICY, kms_decrypt_all_keys=())) is (
        Status.PASS
    )
    found = ("Statement[0]: Allow kms:Decrypt on every key",)
    finding = judge("IAM-POLICY-04", dataclasses.replace(POLICY, kms_decrypt_all_keys=found))
    assert finding.status is Status.FAIL
    assert finding.evidence == {"kms_decrypt_all_keys": list(found)}
    assert status("IAM-POLICY-04", POLICY) is Status.UNKNOWN  # not read (older snapshot)


def used(ever: bool | None = True, since: int | None = 5, age: int | None = 400) -> IamPrincipal:
    return dataclasses.replace(
        USER, password_ever_used=ever, password_days_since_use=since, password_age_days=age
    )


def test_console_password_recently_used() -> None:
    assert status("IAM-USER-04", used(since=90)) is Status.PASS
    stale = judge("IAM-USER-04", used(since=91))
    assert stale.status is Status.FAIL
    assert (
        stale.message == "User thing has a console password last used 91 days ago (limit 90 days)."
    )
    assert status("IAM-USER-04", used(ever=False, since=None, age=91)) is Status.FAIL
    assert status("IAM-USER-04", used(ever=False, since=None, age=10)) is Status.PASS
    assert status("IAM-USER-04", used(ever=None, since=None)) is Status.UNKNOWN
    assert status("IAM-USER-04", used(ever=False, since=None, age=None)) is Status.UNKNOWN
    no_password = dataclasses.replace(used(ever=None), console_access=False)
    assert status("IAM-USER-04", no_password) is Status.PASS
    assert status("IAM-USER-04", dataclasses.replace(USER, console_access=None)) is (Status.UNKNOWN)
    assert status("IAM-USER-04", used(since=40), max_password_unused_days=30) is Status.FAIL
    assert not_judged("IAM-USER-04", ROLE)


def test_user_credentials_recently_used() -> None:
    # A stale password but a key used yesterday: the account is in use.
    mixed = dataclasses.replace(used(since=200), access_keys=(key(since=1),))
    assert status("IAM-USER-05", mixed) is Status.PASS
    dormant = dataclasses.replace(used(since=200), access_keys=(key(since=120),))
    finding = judge("IAM-USER-05", dormant)
    assert finding.status is Status.FAIL
    assert finding.evidence["password_days_since_use"] == 200
    # An inactive key does not count as a credential held.
    inactive = dataclasses.replace(used(since=200), access_keys=(key(since=1, active=False),))
    assert status("IAM-USER-05", inactive) is Status.FAIL
    keys_only = dataclasses.replace(
        USER, console_access=False, access_keys=(key(age=200, used=False, since=None),)
    )
    assert status("IAM-USER-05", keys_only) is Status.FAIL
    nothing = dataclasses.replace(USER, console_access=False, access_keys=())
    assert status("IAM-USER-05", nothing) is Status.PASS
    unknown_use = dataclasses.replace(used(ever=None, since=None), access_keys=(key(since=120),))
    assert status("IAM-USER-05", unknown_use) is Status.UNKNOWN
    assert status("IAM-USER-05", dataclasses.replace(USER, access_keys=None)) is Status.UNKNOWN
    assert not_judged("IAM-USER-05", ROLE)


def test_a_key_used_at_an_unreadable_date_is_unknown_never_recent() -> None:
    # A stale password and a key used at a date nobody could read: not "in use".
    undated = dataclasses.replace(used(since=200), access_keys=(key(since=None),))
    assert status("IAM-USER-05", undated) is Status.UNKNOWN
    assert status("IAM-KEY-02", dataclasses.replace(USER, access_keys=(key(since=None),))) is (
        Status.UNKNOWN
    )


SECRET = Secret(
    kms_key_id="arn:aws:kms:us-east-1:123456789012:key/cmk",
    customer_managed_key=True,
    rotation_enabled=True,
    rotation_interval_days=30,
    days_since_rotation=10,
    ever_rotated=True,
    has_policy=False,
    public_policy_statements=(),
)


def secret_status(props: Secret, rule_id: str, **params: JSONValue) -> Status:
    return judge_secret(rule_id, props, params).status


def judge_secret(
    rule_id: str, props: Secret, params: dict[str, JSONValue] | None = None
) -> Finding:
    uid = f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:db-AbCdEf"
    resource = aws_resource(uid, "AWS::SecretsManager::Secret", "db", props)
    return judge_one(rule_id, resource, params)


def test_secret_rotation() -> None:
    assert secret_status(SECRET, "IAM-SECRET-01") is Status.PASS
    off = dataclasses.replace(SECRET, rotation_enabled=False, rotation_interval_days=None)
    finding = judge_secret("IAM-SECRET-01", off)
    assert finding.status is Status.FAIL
    assert finding.message == "Secret db has automatic rotation off."
    slow = dataclasses.replace(SECRET, rotation_interval_days=91)
    assert secret_status(slow, "IAM-SECRET-01") is Status.FAIL
    assert secret_status(slow, "IAM-SECRET-01", max_rotation_days=120) is Status.PASS
    cron = dataclasses.replace(SECRET, rotation_interval_days=None)
    assert secret_status(cron, "IAM-SECRET-01") is Status.UNKNOWN
    unread = dataclasses.replace(SECRET, rotation_enabled=None)
    assert secret_status(unread, "IAM-SECRET-01") is Status.UNKNOWN


def test_secret_recently_rotated() -> None:
    assert secret_status(SECRET, "IAM-SECRET-02") is Status.PASS
    old = dataclasses.replace(SECRET, days_since_rotation=91, ever_rotated=False)
    finding = judge_secret("IAM-SECRET-02", old)
    assert finding.status is Status.FAIL
    assert finding.message == "Secret db was never rotated, created 91 days ago (maximum 90)."
    assert secret_status(
        dataclasses.replace(SECRET, days_since_rotation=None), "IAM-SECRET-02"
    ) is (Status.UNKNOWN)


def test_secret_customer_managed_key() -> None:
    assert secret_status(SECRET, "EAR-SECRET-01") is Status.PASS
    default = dataclasses.replace(SECRET, kms_key_id=None, customer_managed_key=False)
    assert secret_status(default, "EAR-SECRET-01") is Status.FAIL
    unread = dataclasses.replace(SECRET, customer_managed_key=None)
    assert secret_status(unread, "EAR-SECRET-01") is Status.UNKNOWN


def test_a_secret_naming_the_aws_managed_key_by_arn_fails() -> None:
    # Near miss: the key is named by ARN, which says nothing of who manages it; the key
    # itself in the snapshot does.
    key_uid = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd"
    props = dataclasses.replace(SECRET, kms_key_id=key_uid, customer_managed_key=True)
    secret = aws_resource(
        f"arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:db-AbCdEf",
        "AWS::SecretsManager::Secret",
        "db",
        props,
    )
    for manager, expected in (("AWS", Status.FAIL), ("CUSTOMER", Status.PASS)):
        key = aws_resource(
            key_uid,
            "AWS::KMS::Key",
            "1234abcd",
            Key(
                "1234abcd",
                manager,
                "SYMMETRIC_DEFAULT",
                "ENCRYPT_DECRYPT",
                "Enabled",
                "AWS_KMS",
                manager == "CUSTOMER",
                True,
                (),
            ),
        )
        (finding,) = evaluate([snapshot_of((secret, key))], [rule_by_id("EAR-SECRET-01")]).findings
        assert finding.status is expected, manager


def test_a_bare_key_id_becomes_the_keys_arn() -> None:
    assert key_arn("1234abcd", "aws", "us-east-1", ACCOUNT) == (
        f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd"
    )
    for given in (None, "alias/aws/secretsmanager", "arn:aws:kms:us-east-1:1:key/x"):
        assert key_arn(given, "aws", "us-east-1", ACCOUNT) == given


def test_secret_policy_not_public() -> None:
    assert secret_status(SECRET, "PUB-SECRET-01") is Status.PASS
    public = dataclasses.replace(SECRET, has_policy=True, public_policy_statements=("OpenRead",))
    finding = judge_secret("PUB-SECRET-01", public)
    assert finding.status is Status.FAIL
    assert finding.evidence == {"public_policy_statements": ["OpenRead"]}
    unread = dataclasses.replace(SECRET, has_policy=None, public_policy_statements=None)
    assert secret_status(unread, "PUB-SECRET-01") is Status.UNKNOWN


DAILY = BackupRule("daily", "cron(0 5 ? * * *)", 24, 35, retained_forever=False)
PLAN = BackupPlan(plan_id="plan-1", rules=(DAILY,))
VAULT = BackupVault(
    locked=True,
    min_retention_days=35,
    max_retention_days=None,
    encryption_key_arn="arn:aws:kms:us-east-1:123456789012:key/backup",
    recovery_points=3,
    unencrypted_recovery_points=(),
    lock_mode=VaultLockMode.COMPLIANCE,
    lock_date="2025-01-04T00:00:00Z",
    lock_immutable=True,
)


def judge_backup(rule_id: str, props: Any, params: dict[str, JSONValue] | None = None) -> Finding:
    uid = f"arn:aws:backup:us-east-1:{ACCOUNT}:thing:x"
    return judge_one(rule_id, aws_resource(uid, "AWS::Backup::Thing", "x", props), params)


def test_backup_plan_frequency_and_retention() -> None:
    assert judge_backup("BAK-BACKUPPLAN-01", PLAN).status is Status.PASS
    weekly = BackupRule("weekly", "cron(0 5 ? * SUN *)", 168, 365, retained_forever=False)
    short = BackupRule("hourly", "cron(0 * * * ? *)", 1, 7, retained_forever=False)
    finding = judge_backup("BAK-BACKUPPLAN-01", BackupPlan("p", (weekly, short)))
    assert finding.status is Status.FAIL  # one too rare, the other kept too briefly
    assert [r["name"] for r in finding.evidence["rules"]] == ["weekly", "hourly"]  # type: ignore[index,union-attr]
    forever = dataclasses.replace(short, retention_days=None, retained_forever=True)
    assert judge_backup("BAK-BACKUPPLAN-01", BackupPlan("p", (weekly, forever))).status is (
        Status.PASS
    )
    assert judge_backup("BAK-BACKUPPLAN-01", BackupPlan("p", ())).status is Status.FAIL
    odd = dataclasses.replace(DAILY, schedule="cron(0 5 L * ? *)", interval_hours=None)
    assert judge_backup("BAK-BACKUPPLAN-01", BackupPlan("p", (odd,))).status is Status.UNKNOWN
    assert judge_backup("BAK-BACKUPPLAN-01", BackupPlan("p", None)).status is Status.UNKNOWN
    tighter = {"max_interval_hours": 12, "min_retention_days": 35}
    assert judge_backup("BAK-BACKUPPLAN-01", PLAN, tighter).status is Status.FAIL


def test_backup_vault_lock_and_encryption() -> None:
    assert judge_backup("BAK-BACKUPVAULT-01", VAULT).status is Status.PASS
    unlocked = dataclasses.replace(
        VAULT, locked=False, lock_mode=VaultLockMode.NONE, lock_date=None, lock_immutable=False
    )
    assert judge_backup("BAK-BACKUPVAULT-01", unlocked).status is Status.FAIL
    assert judge_backup("BAK-BACKUPVAULT-01", dataclasses.replace(VAULT, locked=None)).status is (
        Status.UNKNOWN
    )


GOVERNANCE = dataclasses.replace(
    VAULT, lock_mode=VaultLockMode.GOVERNANCE, lock_date=None, lock_immutable=False
)
IN_GRACE = dataclasses.replace(VAULT, lock_date="2099-01-04T00:00:00Z", lock_immutable=False)
# A snapshot older than the lock mode: locked, and nothing else known about the lock.
OLD_SNAPSHOT = dataclasses.replace(VAULT, lock_mode=None, lock_date=None, lock_immutable=None)
UNDATED = dataclasses.replace(VAULT, lock_date=None, lock_immutable=None)


@pytest.mark.parametrize(
    ("vault", "expected", "said"),
    [
        (VAULT, Status.PASS, "immutable since 2025-01-04T00:00:00Z"),
        # Near misses: a lock administrators can remove, now or until its lock date.
        (GOVERNANCE, Status.FAIL, "governance mode"),
        (IN_GRACE, Status.FAIL, "until 2099-01-04T00:00:00Z"),
        # Locked, but whether it can be removed is unknown: never a pass.
        (OLD_SNAPSHOT, Status.UNKNOWN, "lock mode"),
        (UNDATED, Status.UNKNOWN, "lock mode"),
    ],
)
def test_backup_vault_lock_mode(vault: BackupVault, expected: Status, said: str) -> None:
    finding = judge_backup("BAK-BACKUPVAULT-01", vault)
    assert (finding.status, said in finding.message) == (expected, True), finding.message
    assert finding.evidence["lock_mode"] == (vault.lock_mode and vault.lock_mode.value)
    assert finding.evidence["lock_date"] == vault.lock_date
    assert judge_backup("EAR-BACKUPVAULT-01", VAULT).status is Status.PASS
    plain = dataclasses.replace(VAULT, unencrypted_recovery_points=("arn:point-1",))
    finding = judge_backup("EAR-BACKUPVAULT-01", plain)
    assert finding.status is Status.FAIL
    assert finding.evidence["unencrypted_recovery_points"] == ["arn:point-1"]
    unread = dataclasses.replace(VAULT, unencrypted_recovery_points=None)
    assert judge_backup("EAR-BACKUPVAULT-01", unread).status is Status.UNKNOWN


FS_UID = f"arn:aws:elasticfilesystem:us-east-1:{ACCOUNT}:file-system/fs-1"
VOL_UID = f"arn:aws:ec2:us-east-1:{ACCOUNT}:volume/vol-1"


def coverage(protected: dict[str, ProtectedResource] | None, region: str = "us-east-1") -> Any:
    uid = f"arn:aws:backup:{region}:{ACCOUNT}:protected-resources:all"
    return aws_resource(
        uid, "AWS::Backup::ProtectedResources", "p", BackupCoverage(protected), region=region
    )


def with_coverage(rule_id: str, target: Any, *extra: Any) -> Finding:
    (finding,) = [
        f
        for f in evaluate([snapshot_of((target, *extra))], [rule_by_id(rule_id)]).findings
        if f.resource.uid == target.uid
    ]
    return finding


VOLUME = Volume("vol-1", "in-use", 8, True, None, ())
FS_OFF = FileSystem("fs-1", "available", True, None, True, backup_enabled=False)


def test_a_resource_protected_by_a_backup_plan_passes_its_backup_rule() -> None:
    fs = aws_resource(FS_UID, "AWS::EFS::FileSystem", "fs-1", FS_OFF)
    last = ProtectedResource("EFS", 1)
    protected = with_coverage("BAK-FILESYSTEM-01", fs, coverage({FS_UID: last}))
    assert protected.status is Status.PASS
    assert protected.evidence == {
        "backup_enabled": False,
        "aws_backup_protected": True,
        "days_since_last_backup": 1,
    }
    assert "protected by a backup plan; last backup 1 days ago" in protected.message
    # Not in the listing: the file system's own verdict stands, with the lookup's answer.
    alone = with_coverage("BAK-FILESYSTEM-01", fs, coverage({}))
    assert (alone.status, alone.evidence["aws_backup_protected"]) == (Status.FAIL, False)
    # The listing failed: it might be protected, so UNKNOWN, never FAIL or PASS.
    unread = with_coverage("BAK-FILESYSTEM-01", fs, coverage(None))
    assert (unread.status, unread.evidence["aws_backup_protected"]) == (Status.UNKNOWN, None)
    # Another region's listing says nothing about this file system.
    elsewhere = with_coverage("BAK-FILESYSTEM-01", fs, coverage({FS_UID: last}, "eu-west-1"))
    assert elsewhere.status is Status.FAIL
    assert "aws_backup_protected" not in elsewhere.evidence
    # Automatic backups on: a pass whatever the listing says.
    on = aws_resource(
        FS_UID, "AWS::EFS::FileSystem", "fs-1", dataclasses.replace(FS_OFF, backup_enabled=True)
    )
    assert with_coverage("BAK-FILESYSTEM-01", on, coverage(None)).status is Status.PASS


def test_a_backup_long_ago_or_undated_is_no_protection() -> None:
    # Near misses: listed by the backup service (it lists every resource it ever backed
    # up), but not backed up within the week, or at a date that could not be read.
    fs = aws_resource(FS_UID, "AWS::EFS::FileSystem", "fs-1", FS_OFF)
    volume = aws_resource(VOL_UID, "AWS::EC2::Volume", "vol-1", VOLUME)
    for days, expected in ((7, Status.PASS), (8, Status.FAIL)):
        listed = coverage({FS_UID: ProtectedResource("EFS", days)})
        assert with_coverage("BAK-FILESYSTEM-01", fs, listed).status is expected, days
        listed = coverage({VOL_UID: ProtectedResource("EBS", days)})
        assert with_coverage("BAK-VOLUME-01", volume, listed).status is expected, days
    stale = with_coverage(
        "BAK-VOLUME-01", volume, coverage({VOL_UID: ProtectedResource("EBS", 400)})
    )
    assert stale.message == (
        "Volume vol-1 was backed up once but no plan keeps it backed up; last backup 400 days "
        "ago (more than 7)."
    )
    undated = coverage({FS_UID: ProtectedResource("EFS", None)})
    assert with_coverage("BAK-FILESYSTEM-01", fs, undated).status is Status.UNKNOWN
    undated = coverage({VOL_UID: ProtectedResource("EBS", None)})
    assert with_coverage("BAK-VOLUME-01", volume, undated).status is Status.UNKNOWN


def test_volume_backup_plan_coverage() -> None:
    volume = aws_resource(VOL_UID, "AWS::EC2::Volume", "vol-1", VOLUME)
    assert (
        with_coverage(
            "BAK-VOLUME-01", volume, coverage({VOL_UID: ProtectedResource("EBS", 0)})
        ).status
        is Status.PASS
    )
    assert (
        with_coverage(
            "BAK-VOLUME-01", volume, coverage({FS_UID: ProtectedResource("EFS", 0)})
        ).status
        is Status.FAIL
    )
    assert with_coverage("BAK-VOLUME-01", volume, coverage(None)).status is Status.UNKNOWN
    assert with_coverage("BAK-VOLUME-01", volume).status is Status.UNKNOWN
