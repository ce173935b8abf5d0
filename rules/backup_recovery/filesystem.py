"""Shared file systems must have automatic backups turned on."""

from __future__ import annotations

from rules.backup_coverage import overrule
from rules.hipaa import DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN
from rules.support import judge_flag
from scanner.kinds.filesystem import FileSystem
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="BAK-FILESYSTEM-01",
    title="File system has automatic backups enabled",
    severity=Severity.MEDIUM,
    concern=Concern.BACKUP_RECOVERY,
    citations=(DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN),
    kinds=(FileSystem.KIND,),
    providers=("aws",),
)
def efs_automatic_backups_enabled(resource: Resource[FileSystem], ctx: RuleContext) -> Verdict:
    """Without backups, ePHI on the file system is lost to deletion, corruption or ransomware.

    Automatic backups put it in the provider's default backup plan; a backup plan of the
    customer's own that protects the file system passes too (the evidence says so).
    """
    name = f"File system {resource.name}"
    enabled = resource.props.backup_enabled
    own = judge_flag(
        enabled,
        passed=f"{name} has automatic backups turned on.",
        failed=f"{name} has automatic backups turned off.",
        unknown=f"{name}: its backup policy could not be read.",
        evidence={"backup_enabled": enabled},
    )
    return overrule(own, ctx, resource, name)
