"""EBS snapshots must be encrypted at rest."""

from __future__ import annotations

from rules.hipaa import ENCRYPTION_AND_DECRYPTION, MEDIA_BACKUP_AND_STORAGE
from rules.support import judge_encrypted
from scanner.kinds.compute import VolumeSnapshot
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule


@rule(
    id="EAR-EBSSNAPSHOT-01",
    title="EBS snapshot is encrypted",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION, MEDIA_BACKUP_AND_STORAGE),
    kinds=(VolumeSnapshot.KIND,),
    remediation={
        "aws": ProviderFix(
            console=(
                "EC2 console > Snapshots > select the snapshot > Actions > Copy snapshot > tick "
                "'Encrypt this snapshot' and choose a KMS key; then delete the unencrypted "
                "original."
            ),
            cli=(
                "aws ec2 copy-snapshot --source-region us-east-1 "
                "--source-snapshot-id snap-0123456789abcdef0 "
                "--encrypted --kms-key-id alias/ebs-phi\n"
                "aws ec2 delete-snapshot --snapshot-id snap-0123456789abcdef0"
            ),
            terraform=(
                'resource "aws_ebs_snapshot_copy" "encrypted" {\n'
                '  source_snapshot_id = "snap-0123456789abcdef0"\n'
                '  source_region      = "us-east-1"\n'
                "  encrypted          = true\n"
                "  kms_key_id         = aws_kms_key.ebs.arn\n"
                "}"
            ),
            docs_url="https://docs.aws.amazon.com/ebs/latest/userguide/ebs-copy-snapshot.html",
        )
    },
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
        subject=f"EBS snapshot {resource.name}",
        unknown="its encryption could not be read",
        evidence=evidence,
    )
