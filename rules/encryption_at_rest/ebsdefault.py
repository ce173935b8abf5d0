"""Each region must encrypt new EBS volumes by default."""

from __future__ import annotations

from rules.hipaa import ENCRYPTION_AND_DECRYPTION
from rules.support import judge_flag
from scanner.kinds.compute import EbsDefaults
from scanner.model import Concern, Resource, Severity
from scanner.rule import ProviderFix, RuleContext, Verdict, rule


@rule(
    id="EAR-EBSDEFAULT-01",
    title="EBS encryption by default is enabled in the region",
    severity=Severity.MEDIUM,
    concern=Concern.ENCRYPTION_AT_REST,
    citations=(ENCRYPTION_AND_DECRYPTION,),
    kinds=(EbsDefaults.KIND,),
    phi_scoped=False,
    remediation={
        "aws": ProviderFix(
            console=(
                "EC2 console > (the region) > Settings > Data protection and security > EBS "
                "encryption > Manage > Always encrypt new EBS volumes. Repeat in every region "
                "in use; optionally choose a customer-managed default KMS key."
            ),
            cli=(
                "aws ec2 enable-ebs-encryption-by-default --region us-east-1\n"
                "aws ec2 modify-ebs-default-kms-key-id --kms-key-id alias/ebs-phi "
                "--region us-east-1"
            ),
            terraform=('resource "aws_ebs_encryption_by_default" "this" {\n  enabled = true\n}'),
            docs_url=(
                "https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html"
            ),
        )
    },
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
