"""Backups, availability and deletion protection for managed database instances."""

from __future__ import annotations

from typing import Any

from rules.hipaa import (
    CONTINGENCY_PLAN,
    DATA_BACKUP_PLAN,
    DISASTER_RECOVERY_PLAN,
    EMERGENCY_MODE_PLAN,
    INTEGRITY,
)
from rules.support import judge_database_deletion_protection, judge_flag, judge_minimum
from scanner.kinds.database import DatabaseInstance
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule

_DOCS = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/"


@rule(
    id="BAK-DB-01",
    title="Database instance keeps automated backups long enough",
    severity=Severity.MEDIUM,
    concern=Concern.BACKUP_RECOVERY,
    citations=(DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN),
    kinds=(DatabaseInstance.KIND,),
    params={"min_backup_retention_days": 7},
    remediation={
        "aws": ProviderFix(
            console=(
                "RDS > Databases > the instance > Modify > Backup: set the backup retention "
                "period to at least 7 days. For an Aurora member, change its cluster."
            ),
            cli="aws rds modify-db-instance --db-instance-identifier DB "
            "--backup-retention-period 7 --apply-immediately",
            terraform='resource "aws_db_instance" "phi" {\n  backup_retention_period = 7\n}',
            docs_url=_DOCS + "USER_WorkingWithAutomatedBackups.html",
        )
    },
)
def db_instance_backup_retention_sufficient(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Backups are how a database of ePHI is restored after corruption, deletion or ransomware.

    Automated backups with point-in-time recovery need a retention period of at least the
    minimum; a retention of 0 days turns them off.
    """
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
    title="Database instance is highly available across zones",
    severity=Severity.MEDIUM,
    concern=Concern.BACKUP_RECOVERY,
    citations=(CONTINGENCY_PLAN, EMERGENCY_MODE_PLAN),
    kinds=(DatabaseInstance.KIND,),
    remediation={
        "aws": ProviderFix(
            console=(
                "RDS > Databases > the instance > Modify > Availability & durability: "
                "choose 'Create a standby instance' (Multi-AZ). For an Aurora member, add a "
                "replica in another availability zone to its cluster."
            ),
            cli="aws rds modify-db-instance --db-instance-identifier DB --multi-az "
            "--apply-immediately",
            terraform='resource "aws_db_instance" "phi" {\n  multi_az = true\n}',
            docs_url=_DOCS + "Concepts.MultiAZ.html",
        )
    },
    precision="high",
)
def db_instance_multi_az(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A single-zone database is unavailable during a zone outage or host failure.

    A standby in another zone keeps ePHI available for emergency-mode operation.
    """
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
        unknown=f"{subject}: whether it is Multi-AZ could not be read.",
        evidence=evidence,
    )


@rule(
    id="BAK-DB-03",
    title="Database instance has deletion protection",
    severity=Severity.MEDIUM,
    concern=Concern.BACKUP_RECOVERY,
    citations=(INTEGRITY, CONTINGENCY_PLAN),
    kinds=(DatabaseInstance.KIND,),
    remediation={
        "aws": ProviderFix(
            console=(
                "RDS > Databases > the instance > Modify: tick 'Enable deletion protection'. "
                "For an Aurora member, modify its cluster."
            ),
            cli="aws rds modify-db-instance --db-instance-identifier DB "
            "--deletion-protection --apply-immediately",
            terraform='resource "aws_db_instance" "phi" {\n  deletion_protection = true\n}',
            docs_url=_DOCS + "USER_DeleteInstance.html",
        )
    },
)
def db_instance_deletion_protection(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Deletion protection stops one mistaken or malicious call from destroying ePHI.

    Deleting a database also deletes its automated backups by default.
    """
    props: DatabaseInstance = resource.props
    evidence: dict[str, JSONValue] = {
        "deletion_protection": props.deletion_protection,
        "cluster_uid": props.cluster_uid,
    }
    return judge_database_deletion_protection(
        props.deletion_protection, subject=f"Database instance {resource.name}", evidence=evidence
    )
