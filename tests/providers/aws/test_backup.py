"""AWS Backup collectors: plans, vaults and protected resources, against moto.

moto keeps backup plans, vaults, vault locks and vault tags, but has no
ListProtectedResources and no ListRecoveryPointsByBackupVault (it answers 404 "Not yet
implemented"), and always reports 0 recovery points. Those answers are canned through
`answering` (ListBackupVaults is moto's own answer with a recovery-point count added).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.aws.services import backup as backup_service
from providers.aws.services.backup import interval_hours, lock_facts
from providers.base import CallCounter
from scanner.kinds.backup import BackupCoverage, BackupVault, VaultLockMode
from tests.providers.aws.helpers import (
    ACCOUNT,
    Answer,
    answering,
    by_uid,
    failing,
    fake_answer,
    operation_name,
    outcomes,
    scan,
)

US, EU = "us-east-1", "eu-west-1"
PHI = {"data-class": "phi"}
RULES = ("BAK-BACKUPPLAN-01", "BAK-BACKUPVAULT-01", "EAR-BACKUPVAULT-01")
COVERAGE = f"arn:aws:backup:{US}:{ACCOUNT}:protected-resources:all"
COVERAGE_EU = f"arn:aws:backup:{EU}:{ACCOUNT}:protected-resources:all"


def plan(name: str, schedule: str, keep_days: int | None) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "RuleName": f"{name}-rule",
        "TargetBackupVaultName": "phi-vault",
        "ScheduleExpression": schedule,
    }
    if keep_days is not None:
        rule["Lifecycle"] = {"DeleteAfterDays": keep_days}
    return {"BackupPlanName": name, "Rules": [rule]}


@pytest.fixture
def estate() -> Iterator[dict[str, str]]:
    with mock_aws():
        us = boto3.client("backup", US)
        arns = {}
        for name, schedule, keep in (
            ("daily-35", "cron(0 5 ? * * *)", 35),
            ("weekdays-forever", "cron(0 5 ? * MON-FRI *)", None),  # 72-hour weekend gap
            ("daily-7", "cron(0 5 ? * * *)", 7),  # near miss: kept a week
        ):
            arns[name] = us.create_backup_plan(BackupPlan=plan(name, schedule, keep))[
                "BackupPlanArn"
            ]
        for name, tags in (("phi-vault", PHI), ("scratch-vault", {})):
            arns[name] = us.create_backup_vault(BackupVaultName=name, BackupVaultTags=tags)[
                "BackupVaultArn"
            ]
        us.put_backup_vault_lock_configuration(BackupVaultName="phi-vault", MinRetentionDays=35)
        eu = boto3.client("backup", EU)
        arns["eu-vault"] = eu.create_backup_vault(BackupVaultName="eu-vault")["BackupVaultArn"]
        yield arns


FS = f"arn:aws:elasticfilesystem:{US}:{ACCOUNT}:file-system/fs-0123"
POINT = f"arn:aws:ec2:{US}::snapshot/snap-0plain"


def backup_answers(points: dict[str, int]) -> Any:
    """The calls moto lacks: `points` recovery points per vault name, one unencrypted."""

    def answer(model: Any, params: Any, context: Any, **_: Any) -> Answer | None:
        name = operation_name(model)
        region = context.get("client_region", US)
        if name == "backup.ListProtectedResources":
            found = (
                []
                if region != US
                else [
                    {
                        "ResourceArn": FS,
                        "ResourceType": "EFS",
                        "LastBackupTime": datetime.now(UTC) - timedelta(days=2),
                    }
                ]
            )
            return fake_answer({"Results": found})
        if name == "backup.ListBackupVaults":
            listed = boto3.client("backup", region).list_backup_vaults()["BackupVaultList"]
            for vault in listed:
                vault["NumberOfRecoveryPoints"] = points.get(vault["BackupVaultName"], 0)
            return fake_answer({"BackupVaultList": listed})
        if name == "backup.ListRecoveryPointsByBackupVault":
            vault = params["url_path"].split("/")[2]  # /backup-vaults/<name>/recovery-points/
            found = [
                {"RecoveryPointArn": f"{POINT}-{vault}", "IsEncrypted": False},
                {"RecoveryPointArn": f"{POINT}-{vault}-ok", "IsEncrypted": True},
            ]
            return fake_answer({"RecoveryPoints": found if vault == "scratch-vault" else found[1:]})
        return None

    return answering(answer)


def test_exact_outcomes_facts_and_calls(estate: dict[str, str]) -> None:
    counter = CallCounter()
    with backup_answers({"phi-vault": 1, "scratch-vault": 2}):
        snapshot = scan(["backup"], counter=counter)
    assert snapshot.gaps == ()
    assert outcomes(snapshot, RULES) == {
        ("BAK-BACKUPPLAN-01", estate["daily-35"], "PASS"),
        ("BAK-BACKUPPLAN-01", estate["weekdays-forever"], "FAIL"),
        ("BAK-BACKUPPLAN-01", estate["daily-7"], "FAIL"),
        # Locked in governance mode: administrators can remove the lock.
        ("BAK-BACKUPVAULT-01", estate["phi-vault"], "FAIL"),
        ("BAK-BACKUPVAULT-01", estate["scratch-vault"], "FAIL"),
        ("BAK-BACKUPVAULT-01", estate["eu-vault"], "FAIL"),
        ("EAR-BACKUPVAULT-01", estate["phi-vault"], "PASS"),
        ("EAR-BACKUPVAULT-01", estate["scratch-vault"], "FAIL"),
        ("EAR-BACKUPVAULT-01", estate["eu-vault"], "PASS"),  # empty: nothing to list
    }
    vaults = by_uid(snapshot, BackupVault.KIND)
    assert vaults[estate["phi-vault"]].tags == PHI
    assert vaults[estate["scratch-vault"]].props.unencrypted_recovery_points == (
        f"{POINT}-scratch-vault",
    )
    coverage = by_uid(snapshot, BackupCoverage.KIND)
    assert set(coverage) == {COVERAGE, COVERAGE_EU}
    protected = coverage[COVERAGE].props.protected
    assert protected is not None and protected[FS].days_since_last_backup == 2
    assert coverage[COVERAGE_EU].props.protected == {}
    backup_calls = {k: v for k, v in counter.counts.items() if k.startswith("backup.")}
    assert backup_calls == {
        "backup.ListBackupPlans": 2,
        "backup.GetBackupPlan": 3,
        "backup.ListBackupVaults": 2,
        "backup.ListTags": 3,
        # Only the two vaults holding points are listed; the empty EU vault is not.
        "backup.ListRecoveryPointsByBackupVault": 2,
        "backup.ListProtectedResources": 2,
    }


def test_phi_scope_follows_vault_tags(estate: dict[str, str]) -> None:
    with backup_answers({}):
        snapshot = scan(["backup"], regions=[US])
    found = outcomes(snapshot, ["BAK-BACKUPVAULT-01"], phi_tags=(("data-class", "phi"),))
    assert found == {("BAK-BACKUPVAULT-01", estate["phi-vault"], "FAIL")}


@pytest.fixture
def locks() -> Iterator[dict[str, str]]:
    """A compliance-mode lock (3 days' grace), a governance-mode lock and no lock."""
    with mock_aws():
        us = boto3.client("backup", US)
        arns = {
            name: us.create_backup_vault(BackupVaultName=name)["BackupVaultArn"]
            for name in ("compliance", "governance", "open")
        }
        us.put_backup_vault_lock_configuration(
            BackupVaultName="compliance", MinRetentionDays=35, ChangeableForDays=3
        )
        us.put_backup_vault_lock_configuration(BackupVaultName="governance", MinRetentionDays=35)
        yield arns


def vault_locks(snapshot: Any) -> dict[str, tuple[Any, ...]]:
    return {
        r.name: (r.props.locked, r.props.lock_mode, r.props.lock_immutable)
        for r in snapshot.resources
        if r.kind == BackupVault.KIND
    }


def test_lock_modes_and_the_compliance_grace_time(
    locks: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with backup_answers({}):
        during = scan(["backup"], regions=[US])
    assert vault_locks(during) == {
        "compliance": (True, VaultLockMode.COMPLIANCE, False),
        "governance": (True, VaultLockMode.GOVERNANCE, False),
        "open": (False, VaultLockMode.NONE, False),
    }
    (compliance,) = [r for r in during.resources if r.name == "compliance"]
    lock_date = datetime.fromisoformat(str(compliance.props.lock_date))
    assert timedelta(days=2) < lock_date - datetime.now(UTC) <= timedelta(days=3)
    assert outcomes(during, ["BAK-BACKUPVAULT-01"]) == {
        # Still in its grace time: removable until the lock date.
        ("BAK-BACKUPVAULT-01", locks["compliance"], "FAIL"),
        ("BAK-BACKUPVAULT-01", locks["governance"], "FAIL"),
        ("BAK-BACKUPVAULT-01", locks["open"], "FAIL"),
    }
    # Four days later the compliance lock is immutable; nothing else changes.
    later = datetime.now(UTC) + timedelta(days=4)
    monkeypatch.setattr(backup_service, "_now", lambda: later)
    with backup_answers({}):
        after = scan(["backup"], regions=[US])
    assert vault_locks(after)["compliance"] == (True, VaultLockMode.COMPLIANCE, True)
    assert outcomes(after, ["BAK-BACKUPVAULT-01"]) == {
        ("BAK-BACKUPVAULT-01", locks["compliance"], "PASS"),
        ("BAK-BACKUPVAULT-01", locks["governance"], "FAIL"),
        ("BAK-BACKUPVAULT-01", locks["open"], "FAIL"),
    }


def test_an_unreadable_vault_listing_is_unknown(locks: dict[str, str]) -> None:
    with failing("backup.ListBackupVaults"):
        snapshot = scan(["backup"], regions=[US])
    assert outcomes(snapshot, ["BAK-BACKUPVAULT-01"]) == {
        ("BAK-BACKUPVAULT-01", f"aws/{ACCOUNT}/{US}/backup.vault", "UNKNOWN")
    }


@pytest.fixture
def file_system() -> Iterator[str]:
    with mock_aws():
        efs = boto3.client("efs", US)
        created = efs.create_file_system(CreationToken="records", Encrypted=True)
        yield str(created["FileSystemArn"])


def test_efs_protected_by_a_plan_passes_and_a_failed_listing_is_unknown(
    file_system: str,
) -> None:
    def protected(model: Any, **_: Any) -> Answer | None:
        if operation_name(model) != "backup.ListProtectedResources":
            return None
        listed = {
            "ResourceArn": file_system,
            "ResourceType": "EFS",
            "LastBackupTime": datetime.now(UTC) - timedelta(days=1),
        }
        return fake_answer({"Results": [listed]})

    with answering(protected):
        snapshot = scan(["efs", "backup"], regions=[US])
    assert outcomes(snapshot, ["BAK-FILESYSTEM-01"]) == {("BAK-FILESYSTEM-01", file_system, "PASS")}
    with failing("backup.ListProtectedResources"):
        snapshot = scan(["efs", "backup"], regions=[US])
    assert outcomes(snapshot, ["BAK-FILESYSTEM-01"]) == {
        ("BAK-FILESYSTEM-01", file_system, "UNKNOWN")
    }
    # Listed, and not protected: the file system's own "automatic backups off" stands.
    with answering(
        lambda model, **_: (
            fake_answer({"Results": []})
            if operation_name(model) == "backup.ListProtectedResources"
            else None
        )
    ):
        snapshot = scan(["efs", "backup"], regions=[US])
    assert outcomes(snapshot, ["BAK-FILESYSTEM-01"]) == {("BAK-FILESYSTEM-01", file_system, "FAIL")}


def test_denied_plan_body_and_recovery_points_are_unknown(estate: dict[str, str]) -> None:
    # The outer context's handler runs first: the denial wins over the canned answer.
    with (
        failing("backup.GetBackupPlan", "backup.ListRecoveryPointsByBackupVault"),
        backup_answers({"phi-vault": 1}),
    ):
        snapshot = scan(["backup"], regions=[US])
    found = outcomes(snapshot, ["BAK-BACKUPPLAN-01", "EAR-BACKUPVAULT-01"])
    assert found == {
        *{
            ("BAK-BACKUPPLAN-01", estate[n], "UNKNOWN")
            for n in ("daily-35", "weekdays-forever", "daily-7")
        },
        ("EAR-BACKUPVAULT-01", estate["phi-vault"], "UNKNOWN"),
        ("EAR-BACKUPVAULT-01", estate["scratch-vault"], "PASS"),  # listed as empty
    }


@pytest.mark.parametrize(
    ("expression", "hours"),
    [
        ("cron(0 5 ? * * *)", 24),
        ("cron(0 */4 * * ? *)", 4),
        ("cron(0 0,12 * * ? *)", 12),
        ("cron(0 1,2 * * ? *)", 23),  # two runs an hour apart, then 23 hours
        ("cron(0 5 ? * MON-FRI *)", 72),
        ("cron(0 5 ? * 2-6 *)", 72),
        ("cron(0 5 ? * SUN *)", 168),
        ("cron(0 5 1 * ? *)", 744),
        ("cron(0 5 1 1 ? *)", 8784),
        ("cron(0 5 L * ? *)", None),
        ("cron(0 5 ? * 6#3 *)", None),
        ("rate(1 day)", None),
        ("cron(0 5 * *)", None),
    ],
)
def test_schedule_intervals(expression: str, hours: int | None) -> None:
    assert interval_hours(expression) == hours


def test_a_recovery_point_that_does_not_say_it_is_encrypted_is_unknown(
    estate: dict[str, str],
) -> None:
    # Canned: AWS always sends IsEncrypted. A point without it might be unencrypted, so the
    # vault must not pass EAR-BACKUPVAULT-01 on the points that do say.
    def answer(model: Any, params: Any, **_: Any) -> Answer | None:
        name = operation_name(model)
        if name == "backup.ListBackupVaults":
            listed = boto3.client("backup", US).list_backup_vaults()["BackupVaultList"]
            for vault in listed:
                vault["NumberOfRecoveryPoints"] = 2
            return fake_answer({"BackupVaultList": listed})
        if name == "backup.ListRecoveryPointsByBackupVault":
            found = [
                {"RecoveryPointArn": f"{POINT}-ok", "IsEncrypted": True},
                {"RecoveryPointArn": f"{POINT}-silent"},
            ]
            return fake_answer({"RecoveryPoints": found})
        if name == "backup.ListProtectedResources":
            return fake_answer({"Results": []})
        return None

    with answering(answer):
        snapshot = scan(["backup"], regions=[US])
    assert {(g.operation, g.error_code) for g in snapshot.gaps} == {
        ("ListRecoveryPointsByBackupVault", "MalformedAnswer")
    }
    assert outcomes(snapshot, ["EAR-BACKUPVAULT-01"]) == {
        ("EAR-BACKUPVAULT-01", estate["phi-vault"], "UNKNOWN"),
        ("EAR-BACKUPVAULT-01", estate["scratch-vault"], "UNKNOWN"),
    }


@pytest.mark.parametrize(
    ("entry", "facts"),
    [
        ({}, (None, None, None)),
        ({"Locked": False}, (VaultLockMode.NONE, None, False)),
        ({"Locked": True}, (VaultLockMode.GOVERNANCE, None, False)),
        (
            {"Locked": True, "LockDate": datetime(2020, 1, 2, 3, 4, 5, 600, tzinfo=UTC)},
            (VaultLockMode.COMPLIANCE, "2020-01-02T03:04:05Z", True),
        ),
        # A lock date that is not a time: compliance mode, end unknown (never a pass).
        ({"Locked": True, "LockDate": "soon"}, (VaultLockMode.COMPLIANCE, None, None)),
    ],
)
def test_lock_facts(entry: dict[str, Any], facts: tuple[Any, ...]) -> None:
    assert lock_facts(entry) == facts
