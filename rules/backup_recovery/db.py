"""Backups, availability and deletion protection for managed database instances and clusters."""

from __future__ import annotations

from typing import Any

from rules.backup_coverage import overrule
from rules.hipaa import (
    CONTINGENCY_PLAN,
    DATA_BACKUP_PLAN,
    DISASTER_RECOVERY_PLAN,
    EMERGENCY_MODE_PLAN,
    INTEGRITY,
)
from rules.support import judge_database_deletion_protection, judge_flag, judge_minimum
from scanner.kinds.database import DatabaseCluster, DatabaseInstance
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="BAK-DB-01",
    title="Database keeps automated backups long enough",
    severity=Severity.MEDIUM,
    concern=Concern.BACKUP_RECOVERY,
    citations=(DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN),
    kinds=(DatabaseInstance.KIND, DatabaseCluster.KIND),
    params={"min_backup_retention_days": 7},
    providers=("aws", "gcp"),
)
def db_instance_backup_retention_sufficient(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Backups are how a database of ePHI is restored after corruption, deletion or ransomware.

    Automated backups with point-in-time recovery need a retention period of at least the
    minimum; a retention of 0 days turns them off. A database a backup plan protects passes
    too (the evidence says so).
    """
    if isinstance(resource.props, DatabaseCluster):
        own = _cluster_backup_retention_sufficient(resource, ctx)
        return overrule(own, ctx, resource, f"Database cluster {resource.name}")
    own = _instance_backup_retention(resource, ctx)
    return overrule(own, ctx, resource, f"Database instance {resource.name}")


def _instance_backup_retention(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    props: DatabaseInstance = resource.props
    if props.replica_source:
        # Read replicas of most engines cannot keep automated backups; the source's
        # backups cover the data, and the source is judged by this rule.
        return Verdict.not_applicable(
            f"Database instance {resource.name} is a read replica of {props.replica_source}: "
            "its backups are the source's."
        )
    minimum = int(ctx.param("min_backup_retention_days"))
    evidence: dict[str, JSONValue] = {
        "backup_retention_days": props.backup_retention_days,
        "min_backup_retention_days": minimum,
        "cluster_uid": props.cluster_uid,
    }
    days = props.backup_retention_days
    subject = f"Database instance {resource.name}"
    state = "has automated backups turned off" if days == 0 else f"keeps backups {days} days"
    return judge_minimum(
        days,
        minimum,
        passed=f"{subject} keeps automated backups for {days} days.",
        failed=f"{subject} {state} (minimum {minimum}).",
        unknown=f"{subject}: its backup retention could not be read.",
        evidence=evidence,
    )


@rule(
    id="BAK-DB-02",
    title="Database is highly available across zones",
    severity=Severity.MEDIUM,
    concern=Concern.BACKUP_RECOVERY,
    citations=(CONTINGENCY_PLAN, EMERGENCY_MODE_PLAN),
    kinds=(DatabaseInstance.KIND, DatabaseCluster.KIND),
    providers=("aws",),
    precision="high",
)
def db_instance_multi_az(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A single-zone database is unavailable during a zone outage or host failure.

    A standby in another zone keeps ePHI available for emergency-mode operation.
    """
    if isinstance(resource.props, DatabaseCluster):
        return _cluster_multi_az(resource, ctx)
    props: DatabaseInstance = resource.props
    evidence: dict[str, JSONValue] = {
        "high_availability": props.high_availability,
        "cluster_uid": props.cluster_uid,
    }
    subject = f"Database instance {resource.name}"
    return judge_flag(
        props.high_availability,
        passed=f"{subject} has a standby in another availability zone.",
        failed=f"{subject} runs in a single availability zone.",
        unknown=f"{subject}: whether it spans availability zones could not be read.",
        evidence=evidence,
    )


@rule(
    id="BAK-DB-03",
    title="Database has deletion protection",
    severity=Severity.MEDIUM,
    concern=Concern.BACKUP_RECOVERY,
    citations=(INTEGRITY, CONTINGENCY_PLAN),
    kinds=(DatabaseInstance.KIND, DatabaseCluster.KIND),
    providers=("aws",),
)
def db_instance_deletion_protection(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Deletion protection stops one mistaken or malicious call from destroying ePHI.

    Deleting a database also deletes its automated backups by default.
    """
    if isinstance(resource.props, DatabaseCluster):
        return _cluster_deletion_protection(resource, ctx)
    props: DatabaseInstance = resource.props
    evidence: dict[str, JSONValue] = {
        "deletion_protection": props.deletion_protection,
        "cluster_uid": props.cluster_uid,
    }
    return judge_database_deletion_protection(
        props.deletion_protection, subject=f"Database instance {resource.name}", evidence=evidence
    )


def _cluster_backup_retention_sufficient(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A cluster of ePHI must keep continuous backups long enough to recover from.

    Corruption, deletion or ransomware is often noticed days later; the retention period
    must cover that delay.
    """
    props: DatabaseCluster = resource.props
    minimum = int(ctx.param("min_backup_retention_days"))
    evidence: dict[str, JSONValue] = {
        "backup_retention_days": props.backup_retention_days,
        "min_backup_retention_days": minimum,
    }
    days = props.backup_retention_days
    subject = f"Database cluster {resource.name}"
    return judge_minimum(
        days,
        minimum,
        passed=f"{subject} keeps backups for {days} days.",
        failed=f"{subject} keeps backups for {days} days (minimum {minimum}).",
        unknown=f"{subject}: its backup retention could not be read.",
        evidence=evidence,
    )


def _cluster_multi_az(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A cluster whose instances all sit in one zone cannot fail over during a zone outage.

    A replica in another zone keeps ePHI available for emergency-mode operation.
    """
    props: DatabaseCluster = resource.props
    evidence: dict[str, JSONValue] = {
        "high_availability": props.high_availability,
        "members": len(props.member_uids),
    }
    subject = f"Database cluster {resource.name}"
    return judge_flag(
        props.high_availability,
        passed=f"{subject} has instances in several availability zones.",
        failed=f"{subject} has no instance outside one availability zone.",
        unknown=f"{subject}: whether it spans availability zones could not be read.",
        evidence=evidence,
    )


def _cluster_deletion_protection(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Deletion protection stops one mistaken or malicious call from destroying ePHI."""
    props: DatabaseCluster = resource.props
    evidence: dict[str, JSONValue] = {"deletion_protection": props.deletion_protection}
    return judge_database_deletion_protection(
        props.deletion_protection, subject=f"Database cluster {resource.name}", evidence=evidence
    )
