"""EBS volumes must be encrypted at rest."""

from __future__ import annotations

from typing import Any

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from rules.support import judge_encrypted
from scanner.kinds.compute import Volume
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule


@rule(
    id="EAR-VOLUME-01",
    title="EBS volume is encrypted",
    severity=Severity.HIGH,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(Volume.KIND,),
    remediation={
        "aws": ProviderFix(
            console=(
                "A volume cannot be encrypted in place. In the EC2 console create a snapshot of "
                "the volume, copy the snapshot with 'Encrypt this snapshot' and a KMS key, create "
                "a volume from the encrypted copy, swap it onto the instance, then delete the "
                "unencrypted volume and snapshot. Turn on EBS encryption by default so new "
                "volumes are encrypted."
            ),
            cli=(
                "aws ec2 create-snapshot --volume-id vol-0123456789abcdef0\n"
                "aws ec2 copy-snapshot --source-region us-east-1 "
                "--source-snapshot-id snap-0123456789abcdef0 "
                "--encrypted --kms-key-id alias/ebs-phi\n"
                "aws ec2 create-volume --snapshot-id snap-0fedcba9876543210 "
                "--availability-zone us-east-1a --encrypted --kms-key-id alias/ebs-phi"
            ),
            terraform=(
                'resource "aws_ebs_volume" "data" {\n'
                '  availability_zone = "us-east-1a"\n'
                "  size              = 100\n"
                "  encrypted         = true\n"
                "  kms_key_id        = aws_kms_key.ebs.arn\n"
                "}"
            ),
            docs_url="https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
        )
    },
)
def volume_encrypted(resource: Resource[Volume], ctx: RuleContext) -> Verdict:
    """An unencrypted EBS volume leaves the ePHI written to it readable on the storage.

    Every snapshot taken of it is unencrypted too.
    """
    del ctx
    props = resource.props
    evidence: dict[str, Any] = {"encrypted": props.encrypted, "kms_key_id": props.kms_key_id}
    return judge_encrypted(
        props.encrypted,
        subject=f"EBS volume {resource.name}",
        unknown="its encryption setting could not be read",
        evidence=evidence,
    )
