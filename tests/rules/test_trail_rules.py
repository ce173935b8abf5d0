"""Audit-trail rules (LOG-TRAIL-*, LOG-DATAEVENTS-01) on hand-built resources."""

from __future__ import annotations

import dataclasses
from typing import Any

from scanner.kinds.logging import (
    AuditCoverage,
    EventSelection,
    RegionCoverage,
    S3DataSelector,
    Trail,
)
from scanner.kinds.storage import Bucket
from scanner.model import Finding, Gap, JSONValue, Resource, Status
from tests.rules.support import ACCOUNT, aws_resource, findings_of, snapshot_of

EAST, WEST = "us-east-1", "eu-west-1"
TRAIL_UID = f"arn:aws:cloudtrail:{EAST}:{ACCOUNT}:trail/audit"
COVERAGE_UID = f"arn:aws:cloudtrail::{ACCOUNT}:coverage"
PHI = "arn:aws:s3:::phi-records"
GOOD = Trail(
    home_region=EAST,
    multi_region=True,
    organization_trail=False,
    log_file_validation=True,
    kms_key_id="arn:aws:kms:us-east-1:1:key/k",
    s3_bucket="trail-logs",
    logging=True,
    events=EventSelection(
        True, True, (S3DataSelector(read=True, write=True, arn_prefixes=(f"{PHI}/",)),)
    ),
)


def trail(props: Trail = GOOD, uid: str = TRAIL_UID) -> Resource[Any]:
    name = uid.rsplit("/", 1)[-1]
    return aws_resource(uid, "AWS::CloudTrail::Trail", name, props, region=props.home_region)


def coverage(*regions: RegionCoverage) -> Resource[Any]:
    native_type = "AWS::CloudTrail::AuditCoverage"
    props = AuditCoverage(regions)
    return aws_resource(COVERAGE_UID, native_type, "audit-coverage", props, region="global")


def bucket(
    name: str = "phi-records",
    region: str = EAST,
    public: bool | None = False,
    tags: dict[str, str] | None = None,
) -> Resource[Any]:
    uid = f"arn:aws:s3:::{name}"
    props = Bucket(public=public)
    return aws_resource(uid, "AWS::S3::Bucket", name, props, region=region, tags=tags)


def judge(
    rule_id: str,
    target_uid: str,
    *resources: Resource[Any],
    gaps: tuple[Gap, ...] = (),
    params: dict[str, JSONValue] | None = None,
    phi_tags: tuple[tuple[str, str], ...] = (),
) -> Finding | None:
    snapshot = snapshot_of(resources, (EAST, WEST), gaps)
    found = [
        f for f in findings_of(rule_id, snapshot, params, phi_tags) if f.resource.uid == target_uid
    ]
    return found[0] if found else None


def status(rule_id: str, target_uid: str, *resources: Resource[Any], **kw: Any) -> Status:
    finding = judge(rule_id, target_uid, *resources, **kw)
    assert finding is not None
    return finding.status


# --- LOG-TRAIL-01 ------------------------------------------------------------------------------


def test_coverage_passes_when_every_region_has_a_multi_region_trail() -> None:
    cov = coverage(
        RegionCoverage(EAST, True, True, (TRAIL_UID,)),
        RegionCoverage(WEST, True, True, (TRAIL_UID,)),
    )
    finding = judge("LOG-TRAIL-01", COVERAGE_UID, cov)
    assert finding is not None and finding.status is Status.PASS
    assert finding.evidence["regions"] == {EAST: True, WEST: True}
    assert finding.evidence["trails"] == [TRAIL_UID]


def test_coverage_fails_on_an_uncovered_region_even_when_another_is_unknown() -> None:
    cov = coverage(RegionCoverage(EAST, None, None), RegionCoverage(WEST, False, False))
    finding = judge("LOG-TRAIL-01", COVERAGE_UID, cov)
    assert finding is not None and finding.status is Status.FAIL
    assert "eu-west-1" in finding.message and "us-east-1" not in finding.message


def test_coverage_unknown_when_a_region_could_not_be_read() -> None:
    cov = coverage(RegionCoverage(EAST, True, True, (TRAIL_UID,)), RegionCoverage(WEST, None, None))
    finding = judge("LOG-TRAIL-01", COVERAGE_UID, cov)
    assert finding is not None and finding.status is Status.UNKNOWN
    assert "eu-west-1" in finding.message
    assert status("LOG-TRAIL-01", COVERAGE_UID, coverage()) is Status.UNKNOWN  # no region


def test_single_region_trails_pass_only_when_allowed() -> None:
    local = f"arn:aws:cloudtrail:{WEST}:{ACCOUNT}:trail/local"
    cov = coverage(
        RegionCoverage(EAST, True, True, (TRAIL_UID,)), RegionCoverage(WEST, False, True, (local,))
    )
    assert status("LOG-TRAIL-01", COVERAGE_UID, cov) is Status.FAIL
    assert (
        status("LOG-TRAIL-01", COVERAGE_UID, cov, params={"allow_single_region_trails": True})
        is Status.PASS
    )


def test_coverage_is_account_level_whatever_the_phi_tag() -> None:
    cov = coverage(RegionCoverage(EAST, False, False))
    assert status("LOG-TRAIL-01", COVERAGE_UID, cov, phi_tags=(("phi", "yes"),)) is Status.FAIL


# --- LOG-TRAIL-02 / 03 / 05 --------------------------------------------------------------------


def test_log_file_validation() -> None:
    assert status("LOG-TRAIL-02", TRAIL_UID, trail()) is Status.PASS
    off = dataclasses.replace(GOOD, log_file_validation=False)
    assert status("LOG-TRAIL-02", TRAIL_UID, trail(off)) is Status.FAIL


def test_kms_encryption() -> None:
    finding = judge("LOG-TRAIL-03", TRAIL_UID, trail())
    assert finding is not None and finding.status is Status.PASS
    assert finding.evidence == {"kms_key_id": GOOD.kms_key_id}
    no_key = dataclasses.replace(GOOD, kms_key_id="")
    assert status("LOG-TRAIL-03", TRAIL_UID, trail(no_key)) is Status.FAIL


def test_trail_logging() -> None:
    assert status("LOG-TRAIL-05", TRAIL_UID, trail()) is Status.PASS
    stopped = dataclasses.replace(GOOD, logging=False)
    assert status("LOG-TRAIL-05", TRAIL_UID, trail(stopped)) is Status.FAIL
    unread = dataclasses.replace(GOOD, logging=None)
    assert status("LOG-TRAIL-05", TRAIL_UID, trail(unread)) is Status.UNKNOWN


def test_trail_rules_ignore_the_phi_tag() -> None:
    off = dataclasses.replace(GOOD, log_file_validation=False)
    assert status("LOG-TRAIL-02", TRAIL_UID, trail(off), phi_tags=(("phi", "yes"),)) is Status.FAIL


# --- LOG-TRAIL-04 ------------------------------------------------------------------------------


def test_trail_bucket_public_exposure() -> None:
    logs = "arn:aws:s3:::trail-logs"
    assert status("LOG-TRAIL-04", TRAIL_UID, trail(), bucket("trail-logs")) is Status.PASS
    finding = judge("LOG-TRAIL-04", TRAIL_UID, trail(), bucket("trail-logs", public=True))
    assert finding is not None and finding.status is Status.FAIL
    assert finding.evidence == {"bucket": logs, "public": True}
    unread = judge("LOG-TRAIL-04", TRAIL_UID, trail(), bucket("trail-logs", public=None))
    assert unread is not None and unread.status is Status.UNKNOWN
    assert "could not be read" in unread.message


def test_trail_bucket_in_another_account_is_unknown() -> None:
    # Decoy: a public bucket with a different name must not be mistaken for the log bucket.
    finding = judge("LOG-TRAIL-04", TRAIL_UID, trail(), bucket("trail-logs-2", public=True))
    assert finding is not None and finding.status is Status.UNKNOWN
    assert "not in the snapshot" in finding.message
    assert "another account" in finding.message


# --- LOG-DATAEVENTS-01 -------------------------------------------------------------------------

COV = coverage(RegionCoverage(EAST, True, True, (TRAIL_UID,)))


def test_data_events_pass_for_a_selected_bucket() -> None:
    finding = judge("LOG-DATAEVENTS-01", PHI, COV, trail(), bucket())
    assert finding is not None and finding.status is Status.PASS
    assert finding.evidence == {"read": "full", "write": "full", "trails": [TRAIL_UID]}


def test_data_events_fail_for_an_unselected_or_partly_selected_bucket() -> None:
    other = judge("LOG-DATAEVENTS-01", "arn:aws:s3:::other", COV, trail(), bucket("other"))
    assert other is not None and other.status is Status.FAIL
    assert (other.evidence["read"], other.evidence["write"]) == ("none", "none")
    reads_only = dataclasses.replace(
        GOOD, events=EventSelection(True, True, (S3DataSelector(read=True, write=False),))
    )
    half = judge("LOG-DATAEVENTS-01", PHI, COV, trail(reads_only), bucket())
    assert half is not None and half.status is Status.FAIL
    assert (half.evidence["read"], half.evidence["write"]) == ("full", "none")
    prefix = dataclasses.replace(
        GOOD,
        events=EventSelection(
            True, True, (S3DataSelector(read=True, write=True, arn_prefixes=(f"{PHI}/2024/",)),)
        ),
    )
    assert status("LOG-DATAEVENTS-01", PHI, COV, trail(prefix), bucket()) is Status.FAIL


def test_read_and_write_may_come_from_different_trails() -> None:
    reads = dataclasses.replace(
        GOOD, events=EventSelection(True, True, (S3DataSelector(read=True, write=False),))
    )
    writes = dataclasses.replace(
        GOOD,
        events=EventSelection(
            True, True, (S3DataSelector(read=False, write=True, arn_prefixes=(f"{PHI}/",)),)
        ),
    )
    second = f"arn:aws:cloudtrail:{EAST}:{ACCOUNT}:trail/writes"
    assert (
        status("LOG-DATAEVENTS-01", PHI, COV, trail(reads), trail(writes, second), bucket())
        is Status.PASS
    )


def test_stopped_and_other_region_trails_do_not_count() -> None:
    stopped = dataclasses.replace(GOOD, logging=False)
    assert status("LOG-DATAEVENTS-01", PHI, COV, trail(stopped), bucket()) is Status.FAIL
    west_only = dataclasses.replace(GOOD, multi_region=False, home_region=WEST)
    west_uid = f"arn:aws:cloudtrail:{WEST}:{ACCOUNT}:trail/audit"
    assert (
        status("LOG-DATAEVENTS-01", PHI, COV, trail(west_only, west_uid), bucket()) is Status.FAIL
    )
    assert (
        status("LOG-DATAEVENTS-01", PHI, COV, trail(west_only, west_uid), bucket(region=WEST))
        is Status.PASS
    )


def test_data_events_unknown_when_trail_facts_are_missing() -> None:
    for unread in (dataclasses.replace(GOOD, logging=None), dataclasses.replace(GOOD, events=None)):
        finding = judge("LOG-DATAEVENTS-01", PHI, COV, trail(unread), bucket())
        assert finding is not None and finding.status is Status.UNKNOWN
        assert finding.evidence["unreadable_trails"] == [TRAIL_UID]
    # A positive answer from a readable trail wins over an unreadable one.
    second = f"arn:aws:cloudtrail:{EAST}:{ACCOUNT}:trail/other"
    assert (
        status(
            "LOG-DATAEVENTS-01",
            PHI,
            COV,
            trail(),
            trail(dataclasses.replace(GOOD, logging=None), second),
            bucket(),
        )
        is Status.PASS
    )


def test_data_events_unknown_without_cloudtrail_or_when_trails_could_not_be_listed() -> None:
    finding = judge("LOG-DATAEVENTS-01", PHI, bucket())
    assert finding is not None and finding.status is Status.UNKNOWN
    assert "CloudTrail was not collected" in finding.message
    gap = Gap(
        provider="aws",
        account=ACCOUNT,
        region="global",
        service="cloudtrail",
        operation="DescribeTrails",
        error_code="AccessDenied",
        message="denied",
        resource_uid=COVERAGE_UID,
    )
    assert (
        status(
            "LOG-DATAEVENTS-01",
            PHI,
            coverage(RegionCoverage(EAST, None, None)),
            bucket(),
            gaps=(gap,),
        )
        is Status.UNKNOWN
    )


def test_data_events_read_which_resource_a_gap_concerns_not_its_operation_name() -> None:
    stopped = dataclasses.replace(GOOD, logging=False)

    def gap_on(uid: str, operation: str) -> Gap:
        return Gap(
            provider="aws",
            account=ACCOUNT,
            region=EAST,
            service="cloudtrail",
            operation=operation,
            error_code="AccessDenied",
            message="denied",
            resource_uid=uid,
        )

    # A gap on a trail that does not record the bucket leaves a definite FAIL.
    other = f"arn:aws:cloudtrail:{WEST}:{ACCOUNT}:trail/other"
    on_other_trail = gap_on(other, "GetTrailStatus")
    assert (
        status("LOG-DATAEVENTS-01", PHI, COV, trail(stopped), bucket(), gaps=(on_other_trail,))
        is Status.FAIL
    )
    # A gap on the audit coverage (the trail list) makes it UNKNOWN, whatever the operation.
    on_coverage = gap_on(COVERAGE_UID, "SomeFutureListCall")
    assert (
        status("LOG-DATAEVENTS-01", PHI, COV, trail(stopped), bucket(), gaps=(on_coverage,))
        is Status.UNKNOWN
    )


def test_data_events_rule_is_phi_scoped() -> None:
    tags = (("phi", "yes"),)
    assert judge("LOG-DATAEVENTS-01", PHI, COV, trail(), bucket(), phi_tags=tags) is None
    assert (
        status("LOG-DATAEVENTS-01", PHI, COV, trail(), bucket(tags={"phi": "yes"}), phi_tags=tags)
        is Status.PASS
    )


def test_another_accounts_trail_is_not_the_members_failure() -> None:
    """Item 17: validation, KMS and logging of an org trail are its owner's to fix."""
    bad = dataclasses.replace(
        GOOD, log_file_validation=False, kms_key_id="", logging=False, organization_trail=True
    )
    rules = ("LOG-TRAIL-02", "LOG-TRAIL-03", "LOG-TRAIL-05")
    foreign = trail(dataclasses.replace(bad, owner_account="111111111111"))
    own = trail(dataclasses.replace(bad, owner_account=ACCOUNT))
    for rule_id in rules:
        assert findings_of(rule_id, snapshot_of((foreign,))) == []
        (finding,) = findings_of(rule_id, snapshot_of((own,)))
        assert finding.status.value == "FAIL"
