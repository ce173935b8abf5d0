"""Buckets of ePHI records that must not be altered use S3 Object Lock."""

from __future__ import annotations

from typing import Any

from rules.hipaa import INTEGRITY, MEDIA_BACKUP_AND_STORAGE
from rules.support import judge_flag
from scanner.kinds.storage import Bucket
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="BAK-BUCKET-04",
    title="Bucket has S3 Object Lock enabled",
    severity=Severity.LOW,
    concern=Concern.BACKUP_RECOVERY,
    citations=(INTEGRITY, MEDIA_BACKUP_AND_STORAGE),
    kinds=(Bucket.KIND,),
    params={"require_object_lock": True},
    providers=("aws",),
)
def bucket_object_lock_enabled(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Object Lock keeps records from being overwritten or deleted, even by administrators.

    Records that must not be altered (signed clinical documents, audit exports) survive a
    compromised credential or ransomware. Not every bucket needs it: scope the rule with
    the PHI tag, or set `require_object_lock = false` to switch it off. A lifecycle rule
    expiring noncurrent versions is not required by this rule.
    """
    if not bool(ctx.param("require_object_lock")):
        return Verdict.not_applicable("Object Lock is not required (require_object_lock).")
    props: Bucket = resource.props
    subject = f"Bucket {resource.name}"
    mode = props.object_lock_default_mode
    return judge_flag(
        props.object_lock_enabled,
        passed=f"{subject} has S3 Object Lock enabled"
        + (f" (default retention in {mode} mode)." if mode else " (no default retention)."),
        failed=f"{subject} has S3 Object Lock off: its objects can be overwritten or deleted.",
        unknown=f"{subject}: its Object Lock configuration could not be read.",
        evidence={"object_lock_enabled": props.object_lock_enabled, "default_mode": mode},
    )
