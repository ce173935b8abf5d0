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
from scanner.rule import ProviderFix, RuleContext, Verdict, rule

_CLI = """aws cloudtrail put-event-selectors --trail-name <trail> --advanced-event-selectors '[
  {"Name": "Management events",
   "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]},
  {"Name": "PHI bucket data events",
   "FieldSelectors": [
     {"Field": "eventCategory", "Equals": ["Data"]},
     {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
     {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::<bucket>/"]}]}]'"""

_TERRAFORM = """resource "aws_cloudtrail" "audit" {
  # ...
  advanced_event_selector {
    name = "Management events"
    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
  }
  advanced_event_selector {
    name = "PHI bucket data events"
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::S3::Object"]
    }
    field_selector {
      field       = "resources.ARN"
      starts_with = ["arn:aws:s3:::<bucket>/"]
    }
  }
}"""


@rule(
    id="LOG-DATAEVENTS-01",
    title="CloudTrail records S3 object-level read and write events for PHI buckets",
    severity=Severity.MEDIUM,
    concern=Concern.AUDIT_LOGGING,
    citations=(AUDIT_CONTROLS, ACTIVITY_REVIEW),
    kinds=("storage.bucket",),
    remediation={
        "aws": ProviderFix(
            console="CloudTrail console > Trails > <multi-region trail> > Data events > Edit: add "
            "data event type 'S3', log selector 'Log all events' limited to the bucket "
            "(or all buckets), keeping the management-events selector.",
            cli=_CLI,
            terraform=_TERRAFORM,
            docs_url="https://docs.aws.amazon.com/awscloudtrail/latest/userguide/"
            "logging-data-events-with-cloudtrail.html",
        )
    },
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
    unreadable: list[JSONValue] = [
        t.uid for t in sorted(covering, key=lambda t: t.uid) if t not in readable
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
    listing_failed = any(
        g.operation == "DescribeTrails" for g in ctx.gaps(resource.account, "cloudtrail")
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


def _coverage(trail: Trail, bucket_arn: str) -> tuple[Coverage, Coverage]:
    events = trail.events
    if events is None:
        return _NOTHING
    return events.s3_coverage(bucket_arn, Access.READ), events.s3_coverage(bucket_arn, Access.WRITE)
