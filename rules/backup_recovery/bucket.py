"""Backup and recovery for object-storage buckets (S3 versioning)."""

from __future__ import annotations

from typing import Any

from rules.hipaa import DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN, INTEGRITY
from scanner.kinds.storage import Bucket
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="BAK-BUCKET-01",
    title="Bucket versioning is enabled",
    severity=Severity.MEDIUM,
    concern=Concern.BACKUP_RECOVERY,
    citations=[DATA_BACKUP_PLAN, DISASTER_RECOVERY_PLAN, INTEGRITY],
    kinds=[Bucket.KIND],
    providers=("aws",),
)
def bucket_versioning_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Versioning keeps every prior version of an object, so lost ePHI can be restored.

    ePHI overwritten or deleted by mistake, by ransomware or by a compromised credential
    stays recoverable from its noncurrent versions.
    Suspended versioning protects nothing new and counts as off.
    """
    props: Bucket = resource.props
    status = props.versioning_status
    if props.versioning_enabled is None:
        return Verdict.unknown(f"Bucket {resource.name}: its versioning setting could not be read.")
    if props.versioning_enabled:
        return Verdict.passed(
            f"Bucket {resource.name} has versioning enabled.",
            versioning_status=status,
            mfa_delete=props.mfa_delete,
        )
    what = "suspended" if status == "Suspended" else "never enabled"
    return Verdict.fail(
        f"Bucket {resource.name} has versioning {what}.",
        versioning_status=status,
        mfa_delete=props.mfa_delete,
    )
