"""CloudTrail: every trail seen from the scanned regions, and the account's audit coverage.

Trails are discovered with one ``DescribeTrails(includeShadowTrails=True)`` per scanned
region (a multi-region or organization trail shows up in every region); each distinct trail
is then read once, in its home region, for its status and event selectors. The account
singleton `logging.audit_coverage` says, per scanned region, whether a logging trail records
that region's read and write management events.

Interpretation choices (pure helpers below, unit-tested):
* A trail whose selectors cannot be read, or whose status cannot be read, makes coverage
  unknown (None) unless another trail is positively seen covering the region.
* A region whose ``DescribeTrails`` failed is unknown rather than uncovered, unless a
  multi-region trail seen from another region covers it.
* Data events need read *and* write for a bucket to count (see `scanner.kinds.logging`);
  ``ReadOnly`` or ``WriteOnly`` selectors count only for their half.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from providers.aws.task import GLOBAL, AwsTask
from providers.base import Fanout, collector
from scanner.kinds.logging import (
    AuditCoverage,
    EventSelection,
    RegionCoverage,
    S3DataSelector,
    Trail,
)
from scanner.model import Resource

S3_OBJECT = "AWS::S3::Object"
# Advanced-selector fields that only pick the category, the resource type, the read/write
# half or the object ARNs; any other field (eventName, userIdentity.arn...) narrows a selector
# to some events only.
_S3_SCOPE_FIELDS = frozenset({"eventCategory", "resources.type", "readOnly", "resources.ARN"})
# Management selectors may exclude the noisy KMS / RDS Data API sources (AWS offers this as a
# standard option) and still count as recording management events.
_MANAGEMENT_FIELDS = frozenset({"eventCategory", "readOnly"})

CALLS = {
    "cloudtrail.DescribeTrails": "cloudtrail:DescribeTrails",
    "cloudtrail.GetTrailStatus": "cloudtrail:GetTrailStatus",
    "cloudtrail.GetEventSelectors": "cloudtrail:GetEventSelectors",
}


@collector(
    "cloudtrail",
    fanout=Fanout.ACCOUNT,
    produces=(AuditCoverage.KIND, Trail.KIND),
    calls=CALLS,
)
def trails(task: AwsTask) -> Iterator[Resource[Any]]:
    """Every distinct trail visible from the scanned regions, then the coverage singleton."""
    coverage_uid = f"arn:{task.partition}:cloudtrail::{task.account}:coverage"
    regions = list(task.scan_regions)
    answers = task.map(lambda region: _describe(task, region, coverage_uid), regions)
    listed = {region: answer is not None for region, answer in zip(regions, answers, strict=True)}
    distinct: dict[str, Mapping[str, Any]] = {}
    for answer in answers:
        for description in answer or ():
            distinct.setdefault(str(description["TrailARN"]), description)
    found = task.map(lambda d: _trail(task, d), [distinct[arn] for arn in sorted(distinct)])
    yield from found
    yield task.resource(
        uid=coverage_uid,
        kind=AuditCoverage.KIND,
        native_type="AWS::CloudTrail::AuditCoverage",
        name="audit-coverage",
        props=AuditCoverage(regions=region_coverage(regions, listed, found)),
        region=GLOBAL,
    )


def _describe(task: AwsTask, region: str, coverage_uid: str) -> list[Mapping[str, Any]] | None:
    client = task.client("cloudtrail", region)
    fetched = task.call(
        client, "describe_trails", resource_uid=coverage_uid, includeShadowTrails=True
    )
    if fetched.failed:
        return None
    listed = list(fetched.get("trailList", []))
    if not all(isinstance(d, Mapping) and d.get("TrailARN") for d in listed):
        # A trail without an ARN cannot be read or deduplicated: the region is unknown
        # (never "uncovered"), as when the call fails.
        task.gap(
            "DescribeTrails", "MalformedResponse", "a trail without TrailARN", coverage_uid, region
        )
        return None
    return listed


def _trail(task: AwsTask, description: Mapping[str, Any]) -> Resource[Trail]:
    arn = str(description["TrailARN"])
    home = str(description.get("HomeRegion") or arn_region(arn))
    # Status and selectors are read in the trail's home region: that is where CloudTrail
    # keeps them, and it is one call per trail however many regions list it.
    client = task.client("cloudtrail", home)
    status = task.call(client, "get_trail_status", resource_uid=arn, Name=arn)
    owner = arn_account(arn)
    custom = bool(description.get("HasCustomEventSelectors"))
    events: EventSelection | None
    if owner not in ("", task.account) and not custom:
        # Another account's (organization) trail with the default selectors: they are
        # known without GetEventSelectors, which member accounts cannot call on it.
        events = DEFAULT_SELECTION
    else:
        selectors = task.call(client, "get_event_selectors", resource_uid=arn, TrailName=arn)
        events = (
            interpret_event_selectors(selectors.response, custom)
            if selectors.response is not None
            else None
        )
    is_logging = status.get("IsLogging")
    props = Trail(
        home_region=home,
        multi_region=bool(description.get("IsMultiRegionTrail")),
        organization_trail=bool(description.get("IsOrganizationTrail")),
        log_file_validation=bool(description.get("LogFileValidationEnabled")),
        kms_key_id=str(description.get("KmsKeyId") or ""),
        s3_bucket=str(description.get("S3BucketName") or ""),
        logging=bool(is_logging) if status.ok and is_logging is not None else None,
        events=events,
        owner_account=owner or None,
        cloudwatch_log_group=str(description.get("CloudWatchLogsLogGroupArn") or "").removesuffix(
            ":*"
        ),
        cloudwatch_delivery_age_hours=delivery_age_hours(
            status.get("LatestCloudWatchLogsDeliveryTime"), _now()
        ),
    )
    name = str(description.get("Name") or arn.rsplit("/", 1)[-1])
    return task.resource(
        uid=arn,
        kind=Trail.KIND,
        native_type="AWS::CloudTrail::Trail",
        name=name,
        props=props,
        region=home,
    )


# What a trail records when nobody customised its selectors: every read and write
# management event, no data event (CloudTrail User Guide, "Logging management events").
DEFAULT_SELECTION = EventSelection(management_read=True, management_write=True)


def _now() -> datetime:
    """The collection clock (a function so tests can move it)."""
    return datetime.now(UTC)


def delivery_age_hours(latest: object, now: datetime) -> int | None:
    """Whole hours since the latest CloudWatch Logs delivery (None: never, or unknown)."""
    if not isinstance(latest, datetime):
        return None
    return max(0, int((now - latest).total_seconds() // 3600))


def arn_account(arn: str) -> str:
    """The account field of an ARN (empty when there is none)."""
    parts = arn.split(":")
    return parts[4] if len(parts) > 5 else ""


def arn_region(arn: str) -> str:
    """The region field of an ARN (``arn:aws:cloudtrail:<region>:...``)."""
    parts = arn.split(":")
    return parts[3] if len(parts) > 3 else ""


def interpret_event_selectors(response: Mapping[str, Any], has_custom: bool) -> EventSelection:
    """What a ``GetEventSelectors`` answer records: management read/write and S3 data events.

    A trail that was never customised records all read and write management events and no
    data events. Real CloudTrail returns that default as one basic selector; emulators may
    return no selectors at all, which is read as the default only when ``DescribeTrails``
    said ``HasCustomEventSelectors: false``.
    """
    basic = response.get("EventSelectors") or []
    advanced = response.get("AdvancedEventSelectors") or []
    if not basic and not advanced:
        return EventSelection(management_read=not has_custom, management_write=not has_custom)
    if advanced:
        return _advanced(advanced)
    return _basic(basic)


def _basic(selectors: Iterable[Mapping[str, Any]]) -> EventSelection:
    read_mgmt = write_mgmt = False
    s3: list[S3DataSelector] = []
    for selector in selectors:
        kind = selector.get("ReadWriteType", "All")
        read, write = kind in ("All", "ReadOnly"), kind in ("All", "WriteOnly")
        if selector.get("IncludeManagementEvents", True):
            read_mgmt, write_mgmt = read_mgmt or read, write_mgmt or write
        for resource in selector.get("DataResources") or []:
            values = tuple(sorted(str(v) for v in resource.get("Values") or []))
            # Values are object-ARN prefixes: "arn:aws:s3" or "arn:aws:s3:::" is every
            # bucket, "arn:aws:s3:::b/" the whole bucket b, "arn:aws:s3:::b/p" a prefix.
            if resource.get("Type") == S3_OBJECT and values:
                s3.append(S3DataSelector(read=read, write=write, arn_prefixes=values))
    return EventSelection(read_mgmt, write_mgmt, tuple(s3))


def _advanced(selectors: Iterable[Mapping[str, Any]]) -> EventSelection:
    read_mgmt = write_mgmt = False
    s3: list[S3DataSelector] = []
    for selector in selectors:
        fields = {str(f.get("Field")): f for f in selector.get("FieldSelectors") or []}
        categories = fields.get("eventCategory", {}).get("Equals") or []
        read, write = _read_write(fields.get("readOnly"))
        if "Management" in categories and _plain_management(fields):
            read_mgmt, write_mgmt = read_mgmt or read, write_mgmt or write
        types = fields.get("resources.type", {}).get("Equals") or []
        if "Data" in categories and S3_OBJECT in types:
            s3.append(_advanced_s3(fields, read, write))
    return EventSelection(read_mgmt, write_mgmt, tuple(s3))


def _plain_management(fields: Mapping[str, Mapping[str, Any]]) -> bool:
    extra = set(fields) - _MANAGEMENT_FIELDS
    if not extra:
        return True
    source = fields.get("eventSource", {})
    return extra == {"eventSource"} and set(source) <= {"Field", "NotEquals"}


def _read_write(field: Mapping[str, Any] | None) -> tuple[bool, bool]:
    if not field:
        return True, True
    equals = {str(v).lower() for v in field.get("Equals") or []}
    not_equals = {str(v).lower() for v in field.get("NotEquals") or []}
    if equals == {"true"} or not_equals == {"false"}:
        return True, False
    if equals == {"false"} or not_equals == {"true"}:
        return False, True
    return True, True


def _advanced_s3(
    fields: Mapping[str, Mapping[str, Any]], read: bool, write: bool
) -> S3DataSelector:
    arn = fields.get("resources.ARN", {})
    starts = [str(v) for v in arn.get("StartsWith") or []]
    exact = [str(v) for v in arn.get("Equals") or []]
    narrowing = {"NotEquals", "EndsWith", "NotEndsWith"} & set(arn)
    return S3DataSelector(
        read=read,
        write=write,
        arn_prefixes=tuple(sorted(starts + exact)),
        excluded_prefixes=tuple(sorted(str(v) for v in arn.get("NotStartsWith") or [])),
        # Exact object ARNs, suffix filters or any other field (eventName, principal...)
        # record only some events on the matched objects.
        narrowed=bool(exact or narrowing or set(fields) - _S3_SCOPE_FIELDS),
    )


def region_coverage(
    regions: Sequence[str], listed: Mapping[str, bool], trails: Sequence[Resource[Trail]]
) -> tuple[RegionCoverage, ...]:
    """Per scanned region, whether a logging (multi-region) trail records it.

    `listed` says whether that region's ``DescribeTrails`` answered. A positive answer from
    any trail wins; otherwise an unreadable trail or an unlisted region makes it None.
    """
    result = []
    for region in regions:
        covering = [t for t in trails if t.props.covers_region(region)]
        multi = any_of(t.props.records_management_events for t in covering if t.props.multi_region)
        anyone = any_of(t.props.records_management_events for t in covering)
        if not listed.get(region, False):
            multi = True if multi else None
            anyone = True if anyone else None
        recording = tuple(sorted(t.uid for t in covering if t.props.records_management_events))
        result.append(
            RegionCoverage(
                region=region, multi_region_trail=multi, any_trail=anyone, trails=recording
            )
        )
    return tuple(result)


def any_of(values: Iterable[bool | None]) -> bool | None:
    """Three-valued OR: True if any is True, else None if any is unknown, else False."""
    seen_unknown = False
    for value in values:
        if value:
            return True
        if value is None:
            seen_unknown = True
    return None if seen_unknown else False
