"""Block-volume snapshots must not be public."""

from __future__ import annotations

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from rules.support import judge_flag, tuple_evidence
from scanner.kinds.compute import VolumeSnapshot
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-VOLSNAPSHOT-01",
    title="Volume snapshot is not public",
    severity=Severity.CRITICAL,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(VolumeSnapshot.KIND,),
    providers=("aws",),
)
def ebs_snapshot_not_public(resource: Resource[VolumeSnapshot], ctx: RuleContext) -> Verdict:
    """Anyone with a cloud account can create a volume from a public snapshot.

    That reads every file on the disk it copies, ePHI included.
    """
    del ctx
    props = resource.props
    subject = f"Volume snapshot {resource.name}"
    return judge_flag(
        props.public,
        good=False,
        passed=f"{subject} is not public.",
        failed=f"{subject} is public: any cloud account can create a volume from it.",
        unknown=f"{subject}: its volume-creation permissions could not be read.",
        evidence={
            "public": props.public,
            "shared_with_accounts": tuple_evidence(props.shared_with_accounts),
        },
    )
