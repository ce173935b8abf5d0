"""Backup plans run often enough and keep recovery points long enough; vaults are locked."""

from __future__ import annotations

from typing import Any

from rules.hipaa import DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN, INTEGRITY
from scanner.kinds.backup import BackupPlan, BackupRule, BackupVault, VaultLockMode
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


def _meets(rule_: BackupRule, max_hours: int, min_days: int) -> bool | None:
    """Whether one schedule meets both limits (`None` when its period is unknown)."""
    kept = rule_.retained_forever or (
        rule_.retention_days is not None and rule_.retention_days >= min_days
    )
    if rule_.interval_hours is None:
        return None if kept else False
    return kept and rule_.interval_hours <= max_hours


def _rule_evidence(rule_: BackupRule) -> dict[str, JSONValue]:
    return {
        "name": rule_.name,
        "schedule": rule_.schedule,
        "interval_hours": rule_.interval_hours,
        "retention_days": rule_.retention_days,
        "retained_forever": rule_.retained_forever,
    }


@rule(
    id="BAK-BACKUPPLAN-01",
    title="Backup plan runs often enough and keeps backups long enough",
    severity=Severity.MEDIUM,
    concern=Concern.BACKUP_RECOVERY,
    citations=(DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN),
    kinds=(BackupPlan.KIND,),
    phi_scoped=False,
    params={"max_interval_hours": 24, "min_retention_days": 35},
    providers=("aws",),
)
def backup_plan_frequency_and_retention(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A plan that runs rarely loses recent ePHI; one that expires points fast loses history.

    The data backup plan must create retrievable exact copies of ePHI: at least one
    schedule of the plan must run at least as often as the maximum interval and keep its
    recovery points at least the minimum number of days.
    """
    props: BackupPlan = resource.props
    max_hours = int(ctx.param("max_interval_hours"))
    min_days = int(ctx.param("min_retention_days"))
    subject = f"Backup plan {resource.name}"
    limits: dict[str, JSONValue] = {"max_interval_hours": max_hours, "min_retention_days": min_days}
    if props.rules is None:
        return Verdict.unknown(f"{subject}: its schedules could not be read.", **limits)
    evidence: dict[str, JSONValue] = {
        **limits,
        "rules": [_rule_evidence(r) for r in props.rules],
    }
    verdicts = [_meets(r, max_hours, min_days) for r in props.rules]
    if any(verdicts):
        good = [r.name for r, ok in zip(props.rules, verdicts, strict=True) if ok]
        return Verdict.passed(
            f"{subject} backs up at least every {max_hours} hours and keeps backups at least "
            f"{min_days} days (rule {', '.join(good)}).",
            **evidence,
        )
    if any(v is None for v in verdicts):
        return Verdict.unknown(
            f"{subject}: the period of a schedule could not be read as a fixed interval; "
            "compare it with the limits by hand.",
            **evidence,
        )
    if not props.rules:
        return Verdict.fail(f"{subject} has no backup rule.", **evidence)
    return Verdict.fail(
        f"{subject} has no rule that backs up at least every {max_hours} hours and keeps "
        f"backups at least {min_days} days.",
        **evidence,
    )


@rule(
    id="BAK-BACKUPVAULT-01",
    title="Backup vault is locked against early deletion of recovery points",
    severity=Severity.MEDIUM,
    concern=Concern.BACKUP_RECOVERY,
    citations=(DATA_BACKUP_PLAN, INTEGRITY),
    kinds=(BackupVault.KIND,),
    providers=("aws",),
)
def backup_vault_locked(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Ransomware operators and insiders delete backups before they encrypt or destroy ePHI.

    A vault lock refuses deleting recovery points (and shortening their retention) before
    their retention ends, so the last good copy survives. Only a compliance-mode lock whose
    grace time has ended binds administrators too: a governance-mode lock, or a compliance
    lock still in its grace time, is removed by anyone allowed
    backup:DeleteBackupVaultLockConfiguration, and the points can then be deleted.
    """
    del ctx
    props: BackupVault = resource.props
    subject = f"Backup vault {resource.name}"
    evidence: dict[str, JSONValue] = {
        "locked": props.locked,
        "lock_mode": None if props.lock_mode is None else props.lock_mode.value,
        "lock_date": props.lock_date,
        "min_retention_days": props.min_retention_days,
        "recovery_points": props.recovery_points,
    }
    if props.locked is None:
        return Verdict.unknown(f"{subject}: its lock state could not be read.", **evidence)
    if not props.locked:
        return Verdict.fail(
            f"{subject} is not locked: its recovery points can be deleted at any time.",
            **evidence,
        )
    return _judge_lock(props, subject, evidence)


def _judge_lock(props: BackupVault, subject: str, evidence: dict[str, JSONValue]) -> Verdict:
    """A locked vault: pass only a lock no one can remove any more."""
    retention = f"minimum retention {props.min_retention_days} days"
    remover = "anyone allowed backup:DeleteBackupVaultLockConfiguration"
    if props.lock_mode is VaultLockMode.GOVERNANCE:
        return Verdict.fail(
            f"{subject} is locked in governance mode ({retention}): {remover}, such as an "
            "administrator or a stolen admin credential, can remove the lock and then delete "
            "its recovery points. Use compliance mode.",
            **evidence,
        )
    if props.lock_mode is VaultLockMode.COMPLIANCE and props.lock_immutable is True:
        return Verdict.passed(
            f"{subject} is locked in compliance mode ({retention}), immutable since "
            f"{props.lock_date}.",
            **evidence,
        )
    if props.lock_mode is VaultLockMode.COMPLIANCE and props.lock_immutable is False:
        # Judged as collected: a later scan passes it once the grace time has ended.
        return Verdict.fail(
            f"{subject} is locked in compliance mode ({retention}), but it is still in its "
            f"grace time: {remover} can remove the lock until {props.lock_date}.",
            **evidence,
        )
    # Locked, but whether the lock can be removed is unknown (a snapshot older than the
    # lock mode, or an unreadable lock date): never a pass.
    return Verdict.unknown(
        f"{subject} is locked, but its lock mode (governance or compliance, and when a "
        "compliance lock becomes immutable) could not be read; scan again to judge it.",
        **evidence,
    )
