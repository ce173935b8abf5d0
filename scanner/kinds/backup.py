"""Facts about managed backup services: plans, vaults and which resources they protect.

AWS Backup today; Azure Backup (policies, Recovery Services vaults, protected items) and
GCP Backup and DR fit the same shapes. Ages are whole days counted at collection time.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class BackupRule:
    """One schedule of a backup plan and how long its recovery points are kept.

    `interval_hours` is the longest gap between two runs of the schedule (`None` when the
    schedule could not be read as a fixed period); `retention_days` is `None` when the
    points never expire (`retained_forever`) or the lifecycle could not be read.
    """

    name: str
    schedule: str | None
    interval_hours: int | None
    retention_days: int | None
    retained_forever: bool


@dataclass(frozen=True)
class BackupPlan:
    """A backup plan: its schedules (`None` when the plan's body could not be read)."""

    KIND: ClassVar[str] = "backup.plan"

    plan_id: str
    rules: tuple[BackupRule, ...] | None


class VaultLockMode(enum.StrEnum):
    """How a vault lock can be undone (AWS Backup Vault Lock)."""

    NONE = "none"  # not locked
    # No lock date: anyone allowed backup:DeleteBackupVaultLockConfiguration removes it.
    GOVERNANCE = "governance"
    # A lock date: removable during its grace time, immutable for everyone after it.
    COMPLIANCE = "compliance"


@dataclass(frozen=True)
class BackupVault:
    """A vault of recovery points.

    `locked` is whether a vault lock forbids deleting recovery points before their
    retention ends (`min_retention_days`/`max_retention_days` are the lock's bounds).
    `lock_mode` says whether that lock can be removed; `lock_date` (ISO 8601, UTC) is when
    a compliance lock's grace time ends, and `lock_immutable` whether it had ended at
    collection time (no one can remove the lock any more). The three are None when not
    read, including in snapshots older than them. `unencrypted_recovery_points` lists the
    recovery points stored unencrypted (`None` when they could not be listed).
    """

    KIND: ClassVar[str] = "backup.vault"

    locked: bool | None
    min_retention_days: int | None
    max_retention_days: int | None
    encryption_key_arn: str | None
    recovery_points: int | None
    unencrypted_recovery_points: tuple[str, ...] | None
    lock_mode: VaultLockMode | None = None
    lock_date: str | None = None
    lock_immutable: bool | None = None


@dataclass(frozen=True)
class ProtectedResource:
    """One resource a backup plan has backed up, and how long ago it last was."""

    resource_type: str | None
    days_since_last_backup: int | None


@dataclass(frozen=True)
class BackupCoverage:
    """Which resources of one account and region the backup service protects.

    `protected` maps each protected resource's uid to its last backup; it is `None` when
    the listing failed, so rules that would pass a resource for being protected answer
    UNKNOWN instead of guessing either way.
    """

    KIND: ClassVar[str] = "backup.coverage"

    protected: Mapping[str, ProtectedResource] | None
