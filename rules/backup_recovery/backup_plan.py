"""Backup plans run often enough and keep recovery points long enough; vaults are locked."""

from __future__ import annotations

from typing import Any

from rules.hipaa import DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN, INTEGRITY
from rules.support import judge_flag
from scanner.kinds.backup import BackupPlan, BackupRule, BackupVault
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
    their retention ends, even for administrators, so the last good copy survives.
    """
    del ctx
    props: BackupVault = resource.props
    subject = f"Backup vault {resource.name}"
    return judge_flag(
        props.locked,
        passed=f"{subject} is locked (minimum retention {props.min_retention_days} days).",
        failed=f"{subject} is not locked: its recovery points can be deleted at any time.",
        unknown=f"{subject}: its lock state could not be read.",
        evidence={
            "locked": props.locked,
            "min_retention_days": props.min_retention_days,
            "recovery_points": props.recovery_points,
        },
    )
