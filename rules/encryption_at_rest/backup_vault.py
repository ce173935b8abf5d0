"""Recovery points in backup vaults are encrypted."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION, MEDIA_BACKUP_AND_STORAGE
from scanner.kinds.backup import BackupVault
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-BACKUPVAULT-01",
    title="Backup vault holds no unencrypted recovery points",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION, MEDIA_BACKUP_AND_STORAGE),
    kinds=(BackupVault.KIND,),
    providers=("aws",),
)
def backup_vault_points_encrypted(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """A backup is a full copy of the ePHI it protects, and needs the same encryption.

    Recovery points copied from unencrypted sources (an unencrypted volume or database
    snapshot) keep that source's lack of encryption in the vault.
    """
    del ctx
    props: BackupVault = resource.props
    subject = f"Backup vault {resource.name}"
    points = props.unencrypted_recovery_points
    if points is None:
        return Verdict.unknown(
            f"{subject}: its recovery points could not be listed.",
            recovery_points=props.recovery_points,
        )
    if points:
        return Verdict.fail(
            f"{subject} holds {len(points)} unencrypted recovery point(s).",
            unencrypted_recovery_points=list(points),
            recovery_points=props.recovery_points,
        )
    return Verdict.passed(
        f"{subject} holds no unencrypted recovery point.",
        unencrypted_recovery_points=[],
        recovery_points=props.recovery_points,
        encryption_key_arn=props.encryption_key_arn,
    )
