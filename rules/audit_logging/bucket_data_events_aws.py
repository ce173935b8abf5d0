"""Object-level audit records for PHI buckets: CloudTrail S3 data events.

The rule judges each PHI-scoped `storage.bucket` against the account's `logging.trail`
resources: a logging trail that covers the bucket's region must record both read and write
data events for every object of the bucket (see `scanner.kinds.logging`).
"""

from __future__ import annotations

from typing import Any

from rules.hipaa import ACTIVITY_REVIEW, AUDIT_CONTROLS
from scanner.kinds.logging import Access, AuditCoverage, Coverage, Trail, best_coverage
from scanner.model import Concern, JSONValue, Resource, Severity
from scanner.rule import RuleContext, Verdict, rule


@rule(
    id="LOG-DATAEVENTS-01",
    title="CloudTrail records S3 object-level read and write events for PHI buckets",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ACTIVITY_REVIEW),
    kinds=("storage.bucket",),
    providers=("aws",),
)
def bucket_data_events_recorded(resource: Resource[Any], ctx: RuleContext) -> Verdict:
    """Only S3 data events record who read or changed the objects holding ePHI.

    Management events show changes to the bucket, not GetObject, PutObject or DeleteObject on
    its objects. Both read and write data events must be recorded for every object.
    """
    subject = f"Bucket {resource.name}"
    if not ctx.of_kind(AuditCoverage.KIND, resource.account):
        return Verdict.unknown(
            f"{subject}: CloudTrail was not collected for account {resource.account}, so its "
            "data-event coverage cannot be judged.",
            read=None,
            write=None,
        )
    covering = [
        t
        for t in ctx.of_kind(Trail.KIND, resource.account)
        if t.props.covers_region(resource.region) and t.props.logging is not False
    ]
    readable = [t for t in covering if t.props.logging and t.props.events is not None]
    readable_uids = {t.uid for t in readable}
    unreadable: list[JSONValue] = [
        t.uid for t in sorted(covering, key=lambda t: t.uid) if t.uid not in readable_uids
    ]
    per_trail = {t.uid: _coverage(t.props, resource.uid) for t in readable}
    read = best_coverage(r for r, _ in per_trail.values())
    write = best_coverage(w for _, w in per_trail.values())
    recording = sorted(uid for uid, pair in per_trail.items() if pair != _NOTHING)
    evidence: dict[str, Any] = {"read": read.value, "write": write.value, "trails": recording}
    if read is Coverage.FULL and write is Coverage.FULL:
        return Verdict.passed(
            f"{subject}: CloudTrail records read and write data events for all its objects.",
            **evidence,
        )
    # A gap recorded against the account's audit coverage means some region's trail list
    # did not answer: a trail recording this bucket may be missing from the snapshot.
    coverage = {c.uid for c in ctx.of_kind(AuditCoverage.KIND, resource.account)}
    listing_failed = any(
        g.resource_uid in coverage for g in ctx.gaps(resource.account, "cloudtrail")
    )
    if unreadable or listing_failed:
        return Verdict.unknown(
            f"{subject}: data-event coverage could not be read (trail status or event "
            "selectors, or the trail list, did not answer).",
            **evidence,
            unreadable_trails=unreadable,
        )
    return Verdict.fail(
        f"{subject}: CloudTrail records {read.value} read and {write.value} write coverage "
        "of its objects; both must be full.",
        **evidence,
    )


_NOTHING = (Coverage.NONE, Coverage.NONE)


def _coverage(trail: Trail, bucket_uid: str) -> tuple[Coverage, Coverage]:
    events = trail.events
    if events is None:
        return _NOTHING
    return events.s3_coverage(bucket_uid, Access.READ), events.s3_coverage(bucket_uid, Access.WRITE)
