"""Audit-trail rules: account-wide CloudTrail coverage and the protection of each trail.

All of them are account-level (`phi_scoped=False`): a trail records activity on every
resource of the account, tagged or not, so `--phi-tag` does not narrow them.
"""

from __future__ import annotations

from typing import Any

from rules.hipaa import (
    ACCESS_CONTROL,
    ACTIVITY_REVIEW,
    AUDIT_CONTROLS,
    ENCRYPTION_AND_DECRYPTION,
    LOGIN_MONITORING,
)
from rules.support import judge_flag, key_state_failure
from scanner.kinds.logging import AuditCoverage, RegionCoverage, Trail
from scanner.kinds.storage import Bucket
from scanner.model import Concern, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="LOG-TRAIL-01",
    title="A multi-region CloudTrail trail is logging in every scanned region",
    severity=Severity.HIGH,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ACTIVITY_REVIEW, LOGIN_MONITORING),
    kinds=(AuditCoverage.KIND,),
    phi_scoped=False,
    params={"allow_single_region_trails": False},
    providers=("aws",),
)
def trail_logging_in_every_region(resource: Resource[AuditCoverage], ctx: RuleContext) -> Verdict:
    """Every region needs a trail recording read and write management events.

    Without one, API calls and console sign-ins there that could reach ePHI leave no audit
    record. A multi-region trail also covers regions enabled later; set
    `allow_single_region_trails` to accept per-region trails instead.
    """
    allow_single = bool(ctx.param("allow_single_region_trails"))
    regions = resource.props.regions
    values = {rc.region: _region_value(rc, allow_single) for rc in regions}
    what = "logging trail" if allow_single else "logging multi-region trail"
    evidence: dict[str, Any] = {
        "regions": dict(values),
        "trails": sorted({arn for rc in regions for arn in rc.trails}),
        "allow_single_region_trails": allow_single,
    }
    missing = sorted(r for r, v in values.items() if v is False)
    unknown = sorted(r for r, v in values.items() if v is None)
    subject = f"CloudTrail coverage of account {resource.account}"
    if not regions:
        return Verdict.unknown(f"{subject}: no region was scanned.", **evidence)
    if missing:
        return Verdict.fail(
            f"{subject}: no {what} records read and write management events in "
            f"{', '.join(missing)}.",
            **evidence,
        )
    if unknown:
        return Verdict.unknown(
            f"{subject} could not be read for {', '.join(unknown)} (DescribeTrails, "
            "GetTrailStatus or GetEventSelectors did not answer).",
            **evidence,
        )
    return Verdict.passed(
        f"{subject}: a {what} records management events in every scanned region.", **evidence
    )


def _region_value(coverage: RegionCoverage, allow_single: bool) -> bool | None:
    return coverage.any_trail if allow_single else coverage.multi_region_trail


def _foreign(resource: Resource[Trail]) -> Verdict | None:
    """Not applicable for a trail another account owns (a member's view of an org trail).

    Only its owner can change it, and a scan of that account judges it.
    """
    owner = resource.props.owner_account
    if owner and owner != resource.account:
        kind = "organization trail" if resource.props.organization_trail else "trail"
        return Verdict.not_applicable(
            f"Trail {resource.name} is the {kind} of account {owner}: it is judged in that "
            f"account, not as {resource.account}'s own."
        )
    return None


@rule(
    id="LOG-TRAIL-02",
    title="CloudTrail log file integrity validation is enabled",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS,),
    kinds=(Trail.KIND,),
    phi_scoped=False,
    providers=("aws",),
)
def trail_log_file_validation_enabled(resource: Resource[Trail], ctx: RuleContext) -> Verdict:
    """Digest files prove that delivered audit logs were not altered or deleted.

    Without them a tampered trail cannot be told from an intact one.
    """
    foreign = _foreign(resource)
    if foreign:
        return foreign
    enabled = resource.props.log_file_validation
    if enabled:
        return Verdict.passed(
            f"Trail {resource.name} has log file validation enabled.", log_file_validation=True
        )
    return Verdict.fail(
        f"Trail {resource.name} has log file validation disabled.", log_file_validation=False
    )


@rule(
    id="LOG-TRAIL-03",
    title="CloudTrail log files are encrypted with a KMS key",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ENCRYPTION_AND_DECRYPTION),
    kinds=(Trail.KIND,),
    phi_scoped=False,
    providers=("aws",),
)
def trail_logs_encrypted_with_kms(resource: Resource[Trail], ctx: RuleContext) -> Verdict:
    """Audit logs can carry ePHI and deserve their own key.

    Object keys and request parameters may name patients; SSE-KMS adds a second, separately
    audited permission to read the logs, where S3-managed encryption lets anyone who can read
    the bucket read them.
    """
    foreign = _foreign(resource)
    if foreign:
        return foreign
    key = resource.props.kms_key_id
    unusable = key_state_failure(ctx, key, f"Trail {resource.name}'s log files", kms_key_id=key)
    if unusable is not None:
        return unusable
    if key:
        return Verdict.passed(
            f"Trail {resource.name} encrypts its log files with KMS key {key}.", kms_key_id=key
        )
    return Verdict.fail(
        f"Trail {resource.name} does not encrypt its log files with a KMS key "
        "(S3-managed encryption only).",
        kms_key_id=None,
    )


@rule(
    id="LOG-TRAIL-04",
    title="The S3 bucket receiving CloudTrail logs is not public",
    severity=Severity.HIGH,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ACCESS_CONTROL),
    kinds=(Trail.KIND,),
    phi_scoped=False,
    providers=("aws",),
)
def trail_bucket_not_public(resource: Resource[Trail], ctx: RuleContext) -> Verdict:
    """A public log bucket exposes the audit record to anyone.

    Audit logs describe who touched which ePHI and from where; a public bucket hands that map
    out, and may let outsiders alter or erase the record.
    """
    bucket_name = resource.props.s3_bucket
    subject = f"Trail {resource.name} delivers to bucket {bucket_name}"
    if not bucket_name:
        return Verdict.unknown(f"Trail {resource.name} names no S3 bucket.", bucket=None)
    # Bucket names are unique within a cloud, so the name finds it in any scanned account.
    found = next(iter(ctx.named(Bucket.KIND, bucket_name)), None)
    if found is None:
        return Verdict.unknown(
            f"{subject}, which is not in the snapshot: it belongs to another account (a "
            "log-archive account, say) or S3 was not scanned; check its exposure there.",
            bucket=bucket_name,
            public=None,
        )
    bucket_uid = found.uid
    bucket: Bucket = found.props
    if bucket.public is None:
        return Verdict.unknown(
            f"{subject}, whose public exposure could not be read.", bucket=bucket_uid, public=None
        )
    if bucket.public:
        return Verdict.fail(f"{subject}, which is public.", bucket=bucket_uid, public=True)
    return Verdict.passed(f"{subject}, which is not public.", bucket=bucket_uid, public=False)


@rule(
    id="LOG-TRAIL-05",
    title="Every CloudTrail trail is logging",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS,),
    kinds=(Trail.KIND,),
    phi_scoped=False,
    providers=("aws",),
)
def trail_logging_enabled(resource: Resource[Trail], ctx: RuleContext) -> Verdict:
    """A stopped trail records nothing.

    Whatever audit purpose it was created for (a PHI workload's data events, a separate
    security copy) silently lapses.
    """
    foreign = _foreign(resource)
    if foreign:
        return foreign
    logging = resource.props.logging
    return judge_flag(
        logging,
        passed=f"Trail {resource.name} is logging.",
        failed=f"Trail {resource.name} is not logging (it was stopped).",
        unknown=f"Trail {resource.name}: its status could not be read (GetTrailStatus).",
        evidence={"logging": logging},
    )
