"""EBS snapshots must not be public."""

from __future__ import annotations

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from rules.support import judge_flag, tuple_evidence
from scanner.kinds.compute import VolumeSnapshot
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule


@rule(
    id="PUB-EBSSNAPSHOT-01",
    title="EBS snapshot is not public",
    severity=Severity.CRITICAL,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(VolumeSnapshot.KIND,),
    remediation={
        "aws": ProviderFix(
            console=(
                "EC2 console > Snapshots > select the snapshot > Actions > Snapshot settings > "
                "Modify permissions > Private. Then block public sharing for the whole region: "
                "EC2 console > Settings > Data protection and security > Block public access "
                "for EBS snapshots."
            ),
            cli=(
                "aws ec2 modify-snapshot-attribute --snapshot-id snap-0123456789abcdef0 "
                "--attribute createVolumePermission --operation-type remove --group-names all\n"
                "aws ec2 enable-snapshot-block-public-access --state block-all-sharing"
            ),
            terraform=(
                'resource "aws_ebs_snapshot_block_public_access" "this" {\n'
                '  state = "block-all-sharing"\n'
                "}"
            ),
            docs_url="https://docs.aws.amazon.com/ebs/latest/userguide/block-public-access-snapshots.html",
        )
    },
)
def ebs_snapshot_not_public(resource: Resource[VolumeSnapshot], ctx: RuleContext) -> Verdict:
    """Anyone with an AWS account can create a volume from a public snapshot.

    That reads every file on the disk it copies, ePHI included.
    """
    del ctx
    props = resource.props
    subject = f"EBS snapshot {resource.name}"
    return judge_flag(
        props.public,
        good=False,
        passed=f"{subject} is not public.",
        failed=f"{subject} is public: any AWS account can create a volume from it.",
        unknown=f"{subject}: its volume-creation permissions could not be read.",
        evidence={
            "public": props.public,
            "shared_with_accounts": tuple_evidence(props.shared_with_accounts),
        },
    )
