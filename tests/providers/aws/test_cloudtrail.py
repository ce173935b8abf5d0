"""CloudTrail collector: trails, event-selector interpretation and account coverage, under moto."""

from __future__ import annotations

import dataclasses
from typing import Any

import boto3
from moto import mock_aws

from providers.aws.services.cloudtrail import (
    any_of,
    interpret_event_selectors,
    region_coverage,
)
from providers.base import CallCounter
from scanner.kinds.logging import (
    Access,
    AuditCoverage,
    Coverage,
    EventSelection,
    RegionCoverage,
    S3DataSelector,
    Trail,
)
from scanner.kinds.storage import Bucket
from scanner.model import Resource, Snapshot
from tests.providers.aws.helpers import (
    ACCOUNT,
    answering,
    by_uid,
    failing,
    fake_answer,
    operation_name,
    outcomes,
    scan,
)

EAST, WEST = "us-east-1", "eu-west-1"
COVERAGE = f"arn:aws:cloudtrail::{ACCOUNT}:coverage"
TRAIL_RULES = ("LOG-TRAIL-01", "LOG-TRAIL-02", "LOG-TRAIL-03", "LOG-TRAIL-05")


def trail_arn(region: str, name: str) -> str:
    return f"arn:aws:cloudtrail:{region}:{ACCOUNT}:trail/{name}"


MAIN = trail_arn(EAST, "main-audit")
EU_LOCAL = trail_arn(WEST, "eu-local")
STOPPED = trail_arn(EAST, "stopped-trail")
FAR_AWAY = trail_arn("ap-south-1", "far-away")


def _bucket(name: str, region: str = EAST) -> None:
    s3 = boto3.client("s3", region_name=region)
    if region == EAST:
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})


def seed_estate() -> None:
    """A multi-region trail (validation + KMS, data events on one bucket), a single-region
    trail in eu-west-1, a stopped trail, and a trail in a region that is not scanned."""
    _bucket("trail-logs")
    key = boto3.client("kms", region_name=EAST).create_key()["KeyMetadata"]["Arn"]
    east = boto3.client("cloudtrail", region_name=EAST)
    east.create_trail(
        Name="main-audit",
        S3BucketName="trail-logs",
        IsMultiRegionTrail=True,
        EnableLogFileValidation=True,
        KmsKeyId=key,
    )
    east.put_event_selectors(
        TrailName="main-audit",
        EventSelectors=[
            {
                "ReadWriteType": "All",
                "IncludeManagementEvents": True,
                "DataResources": [
                    {"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::phi-records/"]}
                ],
            }
        ],
    )
    east.start_logging(Name="main-audit")
    # Decoy: records every bucket's data events, but it is stopped, so it must count for nothing.
    east.create_trail(Name="stopped-trail", S3BucketName="trail-logs")
    east.put_event_selectors(
        TrailName="stopped-trail",
        EventSelectors=[
            {
                "ReadWriteType": "All",
                "IncludeManagementEvents": True,
                "DataResources": [{"Type": "AWS::S3::Object", "Values": ["arn:aws:s3"]}],
            }
        ],
    )
    west = boto3.client("cloudtrail", region_name=WEST)
    west.create_trail(Name="eu-local", S3BucketName="trail-logs")
    west.put_event_selectors(
        TrailName="eu-local",
        AdvancedEventSelectors=[
            {
                "Name": "mgmt",
                "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}],
            },
            {
                "Name": "images read only",
                "FieldSelectors": [
                    {"Field": "eventCategory", "Equals": ["Data"]},
                    {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
                    {"Field": "readOnly", "Equals": ["true"]},
                    {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::phi-images/"]},
                ],
            },
        ],
    )
    west.start_logging(Name="eu-local")
    far = boto3.client("cloudtrail", region_name="ap-south-1")
    far.create_trail(Name="far-away", S3BucketName="trail-logs")
    far.start_logging(Name="far-away")


def with_buckets(snapshot: Snapshot, *buckets: tuple[str, str, bool | None]) -> Snapshot:
    """The snapshot plus hand-built `storage.bucket` resources (name, region, public).

    The S3 collector is another module's subject; the trail rules only need a bucket's uid,
    region and `public`, so the buckets are added by hand to keep this test about CloudTrail.
    """
    extra = tuple(
        Resource(
            uid=f"arn:aws:s3:::{name}",
            provider="aws",
            kind=Bucket.KIND,
            native_type="AWS::S3::Bucket",
            account=ACCOUNT,
            region=region,
            name=name,
            props=Bucket(public=public),
        )
        for name, region, public in buckets
    )
    return dataclasses.replace(snapshot, resources=snapshot.resources + extra)


def test_trails_are_read_once_each_with_their_facts() -> None:
    with mock_aws():
        seed_estate()
        snapshot = scan(["cloudtrail"])
    trails = by_uid(snapshot, Trail.KIND)
    assert set(trails) == {MAIN, EU_LOCAL, STOPPED}  # far-away's region is not scanned
    main: Trail = trails[MAIN].props
    assert (main.multi_region, main.logging, main.log_file_validation) == (True, True, True)
    assert main.kms_key_id.startswith("arn:aws:kms:us-east-1:")
    assert (main.home_region, main.s3_bucket) == (EAST, "trail-logs")
    assert main.events == EventSelection(
        True,
        True,
        (S3DataSelector(read=True, write=True, arn_prefixes=("arn:aws:s3:::phi-records/",)),),
    )
    local: Trail = trails[EU_LOCAL].props
    assert (local.multi_region, local.logging, local.home_region) == (False, True, WEST)
    assert (local.kms_key_id, local.log_file_validation) == ("", False)
    assert trails[EU_LOCAL].region == WEST
    assert trails[STOPPED].props.logging is False
    coverage: AuditCoverage = by_uid(snapshot, AuditCoverage.KIND)[COVERAGE].props
    assert coverage.regions == (
        RegionCoverage(EAST, multi_region_trail=True, any_trail=True, trails=(MAIN,)),
        RegionCoverage(WEST, multi_region_trail=True, any_trail=True, trails=(EU_LOCAL, MAIN)),
    )
    assert snapshot.gaps == ()


def test_trail_rules_on_a_mixed_estate() -> None:
    with mock_aws():
        seed_estate()
        snapshot = scan(["cloudtrail"])
    snapshot = with_buckets(
        snapshot,
        ("trail-logs", EAST, False),
        ("phi-records", EAST, False),
        ("phi-images", WEST, False),
        ("phi-other", EAST, True),
    )
    assert outcomes(snapshot, (*TRAIL_RULES, "LOG-TRAIL-04", "LOG-DATAEVENTS-01")) == {
        ("LOG-TRAIL-01", COVERAGE, "PASS"),
        ("LOG-TRAIL-02", MAIN, "PASS"),
        ("LOG-TRAIL-02", EU_LOCAL, "FAIL"),
        ("LOG-TRAIL-02", STOPPED, "FAIL"),
        ("LOG-TRAIL-03", MAIN, "PASS"),
        ("LOG-TRAIL-03", EU_LOCAL, "FAIL"),
        ("LOG-TRAIL-03", STOPPED, "FAIL"),
        ("LOG-TRAIL-04", MAIN, "PASS"),
        ("LOG-TRAIL-04", EU_LOCAL, "PASS"),
        ("LOG-TRAIL-04", STOPPED, "PASS"),
        ("LOG-TRAIL-05", MAIN, "PASS"),
        ("LOG-TRAIL-05", EU_LOCAL, "PASS"),
        ("LOG-TRAIL-05", STOPPED, "FAIL"),
        # Only phi-records is selected by the logging multi-region trail; phi-images gets read
        # events only (eu-local is read-only), phi-other only from the stopped trail.
        ("LOG-DATAEVENTS-01", "arn:aws:s3:::trail-logs", "FAIL"),
        ("LOG-DATAEVENTS-01", "arn:aws:s3:::phi-records", "PASS"),
        ("LOG-DATAEVENTS-01", "arn:aws:s3:::phi-images", "FAIL"),
        ("LOG-DATAEVENTS-01", "arn:aws:s3:::phi-other", "FAIL"),
    }


def test_single_region_trails_do_not_satisfy_the_multi_region_rule() -> None:
    with mock_aws():
        _bucket("trail-logs")
        east = boto3.client("cloudtrail", region_name=EAST)
        east.create_trail(Name="east-only", S3BucketName="trail-logs")
        east.start_logging(Name="east-only")
        snapshot = scan(["cloudtrail"])
    coverage: AuditCoverage = by_uid(snapshot, AuditCoverage.KIND)[COVERAGE].props
    east_only = trail_arn(EAST, "east-only")
    assert coverage.regions == (
        RegionCoverage(EAST, multi_region_trail=False, any_trail=True, trails=(east_only,)),
        RegionCoverage(WEST, multi_region_trail=False, any_trail=False, trails=()),
    )
    assert outcomes(snapshot, ["LOG-TRAIL-01"]) == {("LOG-TRAIL-01", COVERAGE, "FAIL")}


def test_no_trail_at_all_fails_coverage() -> None:
    with mock_aws():
        snapshot = scan(["cloudtrail"])
    assert by_uid(snapshot, Trail.KIND) == {}
    assert outcomes(snapshot, TRAIL_RULES) == {("LOG-TRAIL-01", COVERAGE, "FAIL")}


def test_access_denied_on_trail_status_makes_logging_unknown() -> None:
    with mock_aws():
        seed_estate()
        with failing("cloudtrail.GetTrailStatus"):
            snapshot = scan(["cloudtrail"])
    trails = by_uid(snapshot, Trail.KIND)
    assert {uid: r.props.logging for uid, r in trails.items()} == {
        MAIN: None,
        EU_LOCAL: None,
        STOPPED: None,
    }
    # The other facts of the same trails were still read.
    assert trails[MAIN].props.log_file_validation is True
    assert trails[MAIN].props.events is not None
    coverage: AuditCoverage = by_uid(snapshot, AuditCoverage.KIND)[COVERAGE].props
    assert [(r.multi_region_trail, r.any_trail) for r in coverage.regions] == [
        (None, None),
        (None, None),
    ]
    assert {(g.operation, g.error_code, g.resource_uid) for g in snapshot.gaps} == {
        ("GetTrailStatus", "AccessDenied", uid) for uid in (MAIN, EU_LOCAL, STOPPED)
    }
    assert outcomes(snapshot, TRAIL_RULES) == {
        ("LOG-TRAIL-01", COVERAGE, "UNKNOWN"),
        ("LOG-TRAIL-02", MAIN, "PASS"),
        ("LOG-TRAIL-02", EU_LOCAL, "FAIL"),
        ("LOG-TRAIL-02", STOPPED, "FAIL"),
        ("LOG-TRAIL-03", MAIN, "PASS"),
        ("LOG-TRAIL-03", EU_LOCAL, "FAIL"),
        ("LOG-TRAIL-03", STOPPED, "FAIL"),
        ("LOG-TRAIL-05", MAIN, "UNKNOWN"),
        ("LOG-TRAIL-05", EU_LOCAL, "UNKNOWN"),
        ("LOG-TRAIL-05", STOPPED, "UNKNOWN"),
    }
    with_phi = with_buckets(snapshot, ("phi-records", EAST, False))
    assert outcomes(with_phi, ["LOG-DATAEVENTS-01"]) == {
        ("LOG-DATAEVENTS-01", "arn:aws:s3:::phi-records", "UNKNOWN")
    }


def test_access_denied_on_describe_trails_makes_coverage_unknown() -> None:
    with mock_aws():
        seed_estate()
        with failing("cloudtrail.DescribeTrails"):
            snapshot = scan(["cloudtrail"])
    assert by_uid(snapshot, Trail.KIND) == {}
    coverage: AuditCoverage = by_uid(snapshot, AuditCoverage.KIND)[COVERAGE].props
    assert all(r.multi_region_trail is None for r in coverage.regions)
    assert {(g.operation, g.resource_uid) for g in snapshot.gaps} == {("DescribeTrails", COVERAGE)}
    # Each failed region is named in its gap, though the collector itself is global.
    assert {g.region for g in snapshot.gaps} == {"us-east-1", "eu-west-1"}
    assert outcomes(snapshot, TRAIL_RULES) == {("LOG-TRAIL-01", COVERAGE, "UNKNOWN")}
    with_phi = with_buckets(snapshot, ("phi-records", EAST, False))
    assert outcomes(with_phi, ["LOG-DATAEVENTS-01"]) == {
        ("LOG-DATAEVENTS-01", "arn:aws:s3:::phi-records", "UNKNOWN")
    }


def test_one_call_per_trail_per_fact() -> None:
    counter = CallCounter()
    with mock_aws():
        seed_estate()  # 3 trails visible from the scanned regions (plus one that is not)
        west = boto3.client("cloudtrail", region_name=WEST)
        west.create_trail(Name="eu-global", S3BucketName="trail-logs", IsMultiRegionTrail=True)
        snapshot = scan(["cloudtrail"], counter=counter)
    assert len(by_uid(snapshot, Trail.KIND)) == 4
    assert counter.counts["cloudtrail.DescribeTrails"] == 2  # once per scanned region
    assert counter.counts["cloudtrail.GetTrailStatus"] == 4
    assert counter.counts["cloudtrail.GetEventSelectors"] == 4
    assert set(counter.counts) == {
        "sts.GetCallerIdentity",
        "cloudtrail.DescribeTrails",
        "cloudtrail.GetTrailStatus",
        "cloudtrail.GetEventSelectors",
    }


# --- pure interpretation helpers -------------------------------------------------------------

BUCKET = "arn:aws:s3:::phi-records"


def _cov(selection: EventSelection, bucket: str = BUCKET) -> tuple[str, str]:
    return (
        selection.s3_coverage(bucket, Access.READ).value,
        selection.s3_coverage(bucket, Access.WRITE).value,
    )


def _basic(*selectors: dict[str, Any]) -> EventSelection:
    return interpret_event_selectors({"EventSelectors": list(selectors)}, has_custom=True)


def _data(values: list[str], rw: str = "All", mgmt: bool = True) -> dict[str, Any]:
    return {
        "ReadWriteType": rw,
        "IncludeManagementEvents": mgmt,
        "DataResources": [{"Type": "AWS::S3::Object", "Values": values}],
    }


def test_default_selectors_mean_management_events_only() -> None:
    default = {
        "EventSelectors": [
            {
                "ReadWriteType": "All",
                "IncludeManagementEvents": True,
                "DataResources": [],
                "ExcludeManagementEventSources": [],
            }
        ]
    }
    assert interpret_event_selectors(default, has_custom=False) == EventSelection(True, True, ())
    # An emulator's empty answer is the default only when the trail was never customised.
    assert interpret_event_selectors({}, has_custom=False) == EventSelection(True, True, ())
    assert interpret_event_selectors({}, has_custom=True) == EventSelection(False, False, ())


def test_basic_selector_values() -> None:
    assert _cov(_basic(_data(["arn:aws:s3"]))) == ("full", "full")
    assert _cov(_basic(_data(["arn:aws:s3:::"]))) == ("full", "full")
    assert _cov(_basic(_data(["arn:aws:s3:::phi-records/"]))) == ("full", "full")
    assert _cov(_basic(_data(["arn:aws:s3:::phi-records/2024/"]))) == ("partial", "partial")
    # Near misses: another bucket, and a bucket whose name merely starts the same way.
    assert _cov(_basic(_data(["arn:aws:s3:::other/"]))) == ("none", "none")
    assert _cov(_basic(_data(["arn:aws:s3:::phi-records/"])), "arn:aws:s3:::phi-records-2") == (
        "none",
        "none",
    )
    lambda_only = {
        "ReadWriteType": "All",
        "DataResources": [{"Type": "AWS::Lambda::Function", "Values": ["arn:aws:lambda"]}],
    }
    assert _cov(_basic(lambda_only)) == ("none", "none")


def test_read_only_and_write_only_selectors_count_for_their_half() -> None:
    read_only = _basic(_data(["arn:aws:s3:::phi-records/"], rw="ReadOnly"))
    assert _cov(read_only) == ("full", "none")
    assert (read_only.management_read, read_only.management_write) == (True, False)
    both = _basic(
        _data(["arn:aws:s3:::phi-records/"], rw="ReadOnly"), _data(["arn:aws:s3"], rw="WriteOnly")
    )
    assert _cov(both) == ("full", "full")
    assert both.management_read_write


def test_data_only_basic_selector_records_no_management_events() -> None:
    selection = _basic(_data(["arn:aws:s3"], mgmt=False))
    assert (selection.management_read, selection.management_write) == (False, False)


def _advanced(*field_lists: list[dict[str, Any]]) -> EventSelection:
    return interpret_event_selectors(
        {
            "AdvancedEventSelectors": [
                {"Name": f"s{i}", "FieldSelectors": fields} for i, fields in enumerate(field_lists)
            ]
        },
        has_custom=True,
    )


DATA_S3 = [
    {"Field": "eventCategory", "Equals": ["Data"]},
    {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
]
MGMT = [{"Field": "eventCategory", "Equals": ["Management"]}]


def test_advanced_selectors() -> None:
    every = _advanced(MGMT, DATA_S3)
    assert _cov(every) == ("full", "full")
    assert every.management_read_write
    starts = [*DATA_S3, {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::phi-records/"]}]
    assert _cov(_advanced(starts)) == ("full", "full")
    assert not _advanced(starts).management_read  # no management selector at all
    exact = [*DATA_S3, {"Field": "resources.ARN", "Equals": ["arn:aws:s3:::phi-records/a.csv"]}]
    assert _cov(_advanced(exact)) == ("partial", "partial")
    writes = [*DATA_S3, {"Field": "readOnly", "Equals": ["false"]}]
    assert _cov(_advanced(writes)) == ("none", "full")
    reads = [*DATA_S3, {"Field": "readOnly", "NotEquals": ["false"]}]
    assert _cov(_advanced(reads)) == ("full", "none")
    only_deletes = [*DATA_S3, {"Field": "eventName", "Equals": ["DeleteObject"]}]
    assert _cov(_advanced(only_deletes)) == ("partial", "partial")


def test_advanced_exclusions() -> None:
    not_this = [*DATA_S3, {"Field": "resources.ARN", "NotStartsWith": [f"{BUCKET}/"]}]
    assert _cov(_advanced(not_this)) == ("none", "none")
    assert _cov(_advanced(not_this), "arn:aws:s3:::other") == ("full", "full")
    carve_out = [*DATA_S3, {"Field": "resources.ARN", "NotStartsWith": [f"{BUCKET}/tmp/"]}]
    assert _cov(_advanced(carve_out)) == ("partial", "partial")


def test_advanced_management_selectors() -> None:
    no_kms = [*MGMT, {"Field": "eventSource", "NotEquals": ["kms.amazonaws.com"]}]
    assert _advanced(no_kms).management_read_write
    write_only = [*MGMT, {"Field": "readOnly", "Equals": ["false"]}]
    selection = _advanced(write_only)
    assert (selection.management_read, selection.management_write) == (False, True)
    one_service = [*MGMT, {"Field": "eventSource", "Equals": ["s3.amazonaws.com"]}]
    assert not _advanced(one_service).management_write


MANAGEMENT_ONLY = EventSelection(True, True)


def _trail(
    uid: str,
    *,
    multi: bool,
    home: str = EAST,
    logging: bool | None = True,
    events: EventSelection | None = MANAGEMENT_ONLY,
) -> Resource[Trail]:
    props = Trail(
        home_region=home,
        multi_region=multi,
        organization_trail=False,
        log_file_validation=True,
        kms_key_id="",
        s3_bucket="b",
        logging=logging,
        events=events,
    )
    return Resource(
        uid=uid,
        provider="aws",
        kind=Trail.KIND,
        native_type="AWS::CloudTrail::Trail",
        account=ACCOUNT,
        region=home,
        name=uid.rsplit("/", 1)[-1],
        props=props,
    )


def test_region_coverage_when_one_region_could_not_be_listed() -> None:
    local = _trail(trail_arn(EAST, "local"), multi=False)
    listed = {EAST: True, WEST: False}
    assert region_coverage([EAST, WEST], listed, [local]) == (
        RegionCoverage(EAST, False, True, (local.uid,)),
        RegionCoverage(WEST, None, None, ()),
    )
    # A multi-region trail seen from us-east-1 covers eu-west-1 even though its list failed.
    multi = _trail(trail_arn(EAST, "multi"), multi=True)
    assert region_coverage([EAST, WEST], listed, [multi])[1] == RegionCoverage(
        WEST, True, True, (multi.uid,)
    )


def test_region_coverage_with_unreadable_and_non_recording_trails() -> None:
    unknown = _trail(trail_arn(EAST, "unknown"), multi=True, logging=None)
    stopped = _trail(trail_arn(EAST, "stopped"), multi=True, logging=False)
    data_only = _trail(trail_arn(EAST, "data"), multi=True, events=EventSelection(False, False))
    both = {EAST: True, WEST: True}
    assert region_coverage([EAST], both, [unknown, stopped])[0] == RegionCoverage(
        EAST, None, None, ()
    )
    assert region_coverage([EAST], both, [stopped, data_only])[0] == RegionCoverage(
        EAST, False, False, ()
    )
    selectors_unread = _trail(trail_arn(EAST, "nosel"), multi=True, events=None)
    assert region_coverage([EAST], both, [selectors_unread])[0].multi_region_trail is None


def test_any_of_is_three_valued() -> None:
    assert any_of([None, True]) is True
    assert any_of([None, False]) is None
    assert any_of([False]) is False
    assert any_of([]) is False


def test_coverage_enum_order() -> None:
    selection = EventSelection(
        True,
        True,
        (
            S3DataSelector(read=True, write=False, arn_prefixes=("arn:aws:s3:::phi-records/x",)),
            S3DataSelector(read=True, write=False, arn_prefixes=("arn:aws:s3:::phi-records/",)),
        ),
    )
    assert selection.s3_coverage(BUCKET, Access.READ) is Coverage.FULL
    assert selection.s3_coverage(BUCKET, Access.WRITE) is Coverage.NONE


# --- item 17: organization trails seen from a member account ------------------------------
# moto cannot show another account's organization trail to a member, so DescribeTrails and
# GetTrailStatus are canned; GetEventSelectors fails as it does for members.
MANAGEMENT = "111111111111"
ORG_TRAIL = f"arn:aws:cloudtrail:us-east-1:{MANAGEMENT}:trail/org-trail"


def _org_trail(custom: bool) -> dict[str, Any]:
    return {
        "trailList": [
            {
                "Name": "org-trail",
                "TrailARN": ORG_TRAIL,
                "HomeRegion": "us-east-1",
                "IsMultiRegionTrail": True,
                "IsOrganizationTrail": True,
                "LogFileValidationEnabled": False,
                "S3BucketName": "org-audit-logs",
                "HasCustomEventSelectors": custom,
            }
        ]
    }


def _member_scan(custom: bool) -> tuple[Snapshot, CallCounter]:
    def answer(model: Any, **_: Any) -> Any:
        name = operation_name(model)
        if name == "cloudtrail.DescribeTrails":
            return fake_answer(_org_trail(custom))
        if name == "cloudtrail.GetTrailStatus":
            return fake_answer({"IsLogging": True})
        if name == "cloudtrail.GetEventSelectors":
            return fake_answer(
                {"Error": {"Code": "TrailNotFoundException", "Message": "member"}}, 400
            )
        return None

    counter = CallCounter()
    with mock_aws(), answering(answer):
        snapshot = scan(["cloudtrail"], ("us-east-1", "eu-west-1"), counter=counter)
    return snapshot, counter


def test_member_judges_an_organization_trail_with_default_selectors() -> None:
    snapshot, counter = _member_scan(custom=False)
    # The selectors are the defaults (DescribeTrails says so): no call, no gap.
    assert counter.counts["cloudtrail.GetEventSelectors"] == 0
    assert snapshot.gaps == ()
    (trail,) = by_uid(snapshot, Trail.KIND).values()
    assert trail.props.owner_account == MANAGEMENT
    # Coverage is decided; validation, KMS and logging are the management account's to fix.
    assert outcomes(snapshot, ["LOG-TRAIL-01", "LOG-TRAIL-02", "LOG-TRAIL-03", "LOG-TRAIL-05"]) == {
        ("LOG-TRAIL-01", COVERAGE, "PASS")
    }


def test_member_with_custom_org_selectors_is_unknown_with_a_gap() -> None:
    snapshot, counter = _member_scan(custom=True)
    assert counter.counts["cloudtrail.GetEventSelectors"] == 1
    assert {(g.operation, g.resource_uid) for g in snapshot.gaps} == {
        ("GetEventSelectors", ORG_TRAIL)
    }
    assert outcomes(snapshot, ["LOG-TRAIL-01", "LOG-TRAIL-02"]) == {
        ("LOG-TRAIL-01", COVERAGE, "UNKNOWN")
    }
