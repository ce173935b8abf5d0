"""Machine images the account owns must not be public."""

from __future__ import annotations

from rules.hipaa import ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT
from rules.support import judge_flag
from scanner.kinds.workloads import MachineImage
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="PUB-IMAGE-01",
    title="Machine image is not public",
    severity=Severity.CRITICAL,
    concern=Concern.PUBLIC_EXPOSURE,
    citations=(ACCESS_CONTROL, INFORMATION_ACCESS_MANAGEMENT),
    kinds=(MachineImage.KIND,),
    providers=("aws",),
)
def image_not_public(resource: Resource[MachineImage], ctx: RuleContext) -> Verdict:
    """Anyone with a cloud account can launch a public image and read its disks.

    Images are made from running servers, so they carry whatever was on them: ePHI,
    application secrets, database extracts.
    """
    del ctx
    subject = f"Machine image {resource.name} ({resource.props.image_id})"
    return judge_flag(
        resource.props.public,
        good=False,
        passed=f"{subject} is not public.",
        failed=f"{subject} is public: any cloud account can launch it and read its disks.",
        unknown=f"{subject}: whether it is public could not be read.",
        evidence={"public": resource.props.public},
    )
