"""Each region must encrypt new EBS volumes by default."""

from __future__ import annotations

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from rules.support import judge_flag
from scanner.kinds.compute import EbsDefaults
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="EAR-VOLDEFAULT-01",
    title="EBS encryption by default is enabled in the region",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(EbsDefaults.KIND,),
    phi_scoped=False,
    providers=("aws",),
)
def ebs_encryption_by_default_enabled(resource: Resource[EbsDefaults], ctx: RuleContext) -> Verdict:
    """Without encryption by default, a volume created without asking for it is unencrypted.

    The regional setting is the guardrail that keeps new ePHI volumes and snapshot copies
    encrypted whoever creates them.
    """
    del ctx
    enabled = resource.props.encryption_by_default
    where = f"EBS encryption by default in {resource.region}"
    return judge_flag(
        enabled,
        passed=f"{where} is on.",
        failed=f"{where} is off: new volumes are unencrypted unless asked.",
        unknown=f"{where}: the setting could not be read.",
        evidence={"encryption_by_default": enabled},
    )
