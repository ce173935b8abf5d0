"""Block-volume snapshots must be encrypted at rest."""

from __future__ import annotations

from rules.hipaa import ENCRYPTION_AND_DECRYPTION, MEDIA_BACKUP_AND_STORAGE
from rules.support import judge_encrypted
from scanner.kinds.compute import VolumeSnapshot
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-VOLSNAPSHOT-01",
    title="Volume snapshot is encrypted",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION, MEDIA_BACKUP_AND_STORAGE),
    kinds=(VolumeSnapshot.KIND,),
    providers=("aws",),
)
def ebs_snapshot_encrypted(resource: Resource[VolumeSnapshot], ctx: RuleContext) -> Verdict:
    """A snapshot is a full copy of a disk; unencrypted, the ePHI on it is readable at rest.

    Volumes restored from it are unencrypted too.
    """
    del ctx
    props = resource.props
    evidence = {"encrypted": props.encrypted, "kms_key_id": props.kms_key_id}
    return judge_encrypted(
        props.encrypted,
        subject=f"Volume snapshot {resource.name}",
        unknown="its encryption could not be read",
        evidence=evidence,
    )
