"""Group B rules (monitoring-edge) on hand-built resources: PASS, FAIL and UNKNOWN each."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from scanner.kinds.delivery import LoadBalancer
from scanner.kinds.logging import AuditCoverage, RegionCoverage, Trail
from scanner.kinds.monitoring_edge import (
    NETWORK_CHANGES,
    AccessAnalysis,
    Analyzer,
    AnalyzerScope,
    ExternalAccess,
    ExternalAccessGrant,
    LogAlerting,
    MetricAlarm,
    MetricFilter,
    SecurityCenter,
    SecurityEvent,
    TlsCertificate,
    WebAcl,
    WebAclCoverage,
)
from scanner.kinds.storage import Bucket
from scanner.model import Resource, Status
from tests.rules.support import ACCOUNT, aws_resource, findings_of, judge_one, snapshot_of

US = "us-east-1"


def status(rule_id: str, *resources: Resource[Any], **params: Any) -> set[tuple[str, str]]:
    found = findings_of(rule_id, snapshot_of(resources), params or None)
    return {(f.resource.uid, f.status.value) for f in found}


# --- Security Hub ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("enabled", "expected"),
    [(True, Status.PASS), (False, Status.FAIL), (None, Status.UNKNOWN)],
)
def test_security_center(enabled: bool | None, expected: Status) -> None:
    hub = aws_resource("hub", "AWS::SecurityHub::Hub", "security-hub", SecurityCenter(enabled))
    assert judge_one("LOG-SECURITYCENTER-01", hub).status is expected


# --- Access Analyzer ---------------------------------------------------------------------


def analysis(*analyzers: Analyzer, unreadable: bool = False, org: str | None = "") -> Resource[Any]:
    props = AccessAnalysis(None if unreadable else analyzers, organization_id=org)
    return aws_resource("aa", "AWS::AccessAnalyzer::Analyzer", "access-analyzer", props)


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        (analysis(Analyzer("a", AnalyzerScope.ACCOUNT, "ACTIVE")), Status.PASS),
        (analysis(Analyzer("o", AnalyzerScope.ORGANIZATION, "ACTIVE")), Status.PASS),
        # Near misses: a failed analyzer, an unused-access analyzer, none at all.
        (analysis(Analyzer("a", AnalyzerScope.ACCOUNT, "FAILED")), Status.FAIL),
        (analysis(Analyzer("u", AnalyzerScope.OTHER, "ACTIVE")), Status.FAIL),
        (analysis(), Status.FAIL),
        (analysis(unreadable=True), Status.UNKNOWN),
    ],
)
def test_access_analysis(resource: Resource[Any], expected: Status) -> None:
    assert judge_one("LOG-ACCESSANALYSIS-01", resource).status is expected


ORG, OTHER_ORG = "o-nwh1234567", "o-other98765"
MEMBER, ADMIN = "111111111111", "222222222222"
EU = "eu-west-1"


def region_analysis(
    account: str, region: str, org: str | None, *analyzers: Analyzer
) -> Resource[Any]:
    """One account's analysis singleton of one region."""
    resource = aws_resource(
        f"arn:aws:access-analyzer:{region}:{account}:analysis",
        "AWS::AccessAnalyzer::Analyzer",
        "access-analyzer",
        AccessAnalysis(analyzers, organization_id=org),
        region=region,
    )
    return dataclasses.replace(resource, account=account)


def org_findings(*resources: Resource[Any]) -> set[tuple[str, str, str]]:
    snapshot = snapshot_of(resources, regions=(US, EU))
    snapshot = dataclasses.replace(
        snapshot, scope=dataclasses.replace(snapshot.scope, accounts=(MEMBER, ADMIN))
    )
    found = findings_of("LOG-ACCESSANALYSIS-01", snapshot)
    return {(f.rule_id, f.resource.uid, f.status.value) for f in found}


def member(region: str = US, org: str | None = ORG) -> Resource[Any]:
    return region_analysis(MEMBER, region, org, Analyzer("u", AnalyzerScope.OTHER, "ACTIVE"))


def admin(region: str = US, status: str = "ACTIVE", org: str = ORG) -> Resource[Any]:
    return region_analysis(
        ADMIN, region, org, Analyzer("org-external", AnalyzerScope.ORGANIZATION, status)
    )


def uid(resource: Resource[Any]) -> str:
    return resource.uid


def test_member_covered_by_its_organization_analyzer_in_another_account() -> None:
    m, a = member(), admin()
    assert org_findings(m, a) == {
        ("LOG-ACCESSANALYSIS-01", uid(m), "PASS"),
        ("LOG-ACCESSANALYSIS-01", uid(a), "PASS"),
    }
    (finding,) = [
        f
        for f in findings_of("LOG-ACCESSANALYSIS-01", snapshot_of((m, a)))
        if f.resource.uid == uid(m)
    ]
    assert finding.evidence["organization_analyzer"] == {"name": "org-external", "account": ADMIN}
    assert finding.evidence["organization"] == ORG


@pytest.mark.parametrize(
    ("analyzer", "its_own"),
    [
        # Near misses: the organization's analyzer in another region, one that is not
        # active (its own region then has no cover either), another organization's.
        (admin(region=EU), "PASS"),
        (admin(status="CREATING"), "UNKNOWN"),
        (admin(org=OTHER_ORG), "PASS"),
    ],
)
def test_organization_analyzer_that_does_not_cover_the_member(
    analyzer: Resource[Any], its_own: str
) -> None:
    m = member()
    assert org_findings(m, analyzer) == {
        ("LOG-ACCESSANALYSIS-01", uid(m), "UNKNOWN"),
        ("LOG-ACCESSANALYSIS-01", uid(analyzer), its_own),
    }


def test_member_whose_organization_analyzer_was_not_scanned_is_unknown() -> None:
    m = member()
    assert org_findings(m) == {("LOG-ACCESSANALYSIS-01", uid(m), "UNKNOWN")}
    (finding,) = findings_of("LOG-ACCESSANALYSIS-01", snapshot_of((m,)))
    assert ORG in finding.message and "delegated administrator" in finding.message


def test_account_in_no_organization_fails_even_beside_an_organization_analyzer() -> None:
    alone = member(org="")
    assert org_findings(alone, admin()) == {
        ("LOG-ACCESSANALYSIS-01", uid(alone), "FAIL"),
        ("LOG-ACCESSANALYSIS-01", uid(admin()), "PASS"),
    }


def test_unreadable_membership_is_unknown_not_fail() -> None:
    unread = member(org=None)
    assert org_findings(unread, admin()) == {
        ("LOG-ACCESSANALYSIS-01", uid(unread), "UNKNOWN"),
        ("LOG-ACCESSANALYSIS-01", uid(admin()), "PASS"),
    }
    (finding,) = findings_of("LOG-ACCESSANALYSIS-01", snapshot_of((unread,)))
    assert "DescribeOrganization" in finding.message


def test_external_access_fails_and_honours_phi_scope() -> None:
    bucket_uid = "arn:aws:s3:::shared"
    grant = ExternalAccessGrant("f-1", "a", True, ("AWS=*",), ("s3:GetObject",))
    exposed = aws_resource(
        "ext/bucket",
        "AWS::AccessAnalyzer::Finding",
        "shared",
        ExternalAccess(bucket_uid, "AWS::S3::Bucket", ACCOUNT, (grant,)),
    )
    finding = judge_one("PUB-EXTACCESS-01", exposed)
    assert finding.status is Status.FAIL
    assert finding.evidence["public"] is True
    # The named bucket is in the snapshot, untagged: outside a PHI scope, not judged.
    bucket = aws_resource(bucket_uid, "AWS::S3::Bucket", "shared", Bucket(), tags={})
    scoped = findings_of(
        "PUB-EXTACCESS-01", snapshot_of((exposed, bucket)), phi_tags=(("data", "phi"),)
    )
    assert scoped == []


# --- CloudTrail delivery and alarms ---------------------------------------------------------

GROUP = f"arn:aws:logs:{US}:{ACCOUNT}:log-group:trail"
PREFIX = f"arn:aws:logs:{US}:{ACCOUNT}:log-group:"
COVERAGE = aws_resource("coverage", "AWS::CloudTrail::AuditCoverage", "audit", AuditCoverage())


def trail(
    group: str | None = GROUP, age: int | None = 1, multi: bool = True, logging: bool | None = True
) -> Resource[Any]:
    props = Trail(
        home_region=US,
        multi_region=multi,
        organization_trail=False,
        log_file_validation=True,
        kms_key_id="",
        s3_bucket="b",
        logging=logging,
        cloudwatch_log_group=group,
        cloudwatch_delivery_age_hours=age,
    )
    return aws_resource(f"trail-{group}-{age}-{multi}", "AWS::CloudTrail::Trail", "t", props)


@pytest.mark.parametrize(
    ("trails", "expected"),
    [
        ((trail(),), Status.PASS),
        ((trail(age=30),), Status.FAIL),  # stale delivery (24 h limit)
        ((trail(age=None),), Status.FAIL),  # never delivered
        ((trail(group=""),), Status.FAIL),
        ((trail(multi=False),), Status.FAIL),  # a single-region trail does not count
        ((), Status.FAIL),
        ((trail(group=None),), Status.UNKNOWN),
        ((trail(group=""), trail(age=2)), Status.PASS),
    ],
)
def test_trail_delivers_to_cloudwatch(trails: tuple[Resource[Any], ...], expected: Status) -> None:
    assert status("LOG-TRAIL-06", COVERAGE, *trails) == {("coverage", expected.value)}


def test_trail_delivery_age_is_a_parameter() -> None:
    assert status("LOG-TRAIL-06", COVERAGE, trail(age=30), max_delivery_age_hours=48) == {
        ("coverage", "PASS")
    }


def alerting(
    *filters: MetricFilter, alarms: tuple[MetricAlarm, ...] | None = (), unread: bool = False
) -> Resource[Any]:
    props = LogAlerting(PREFIX, None if unread else filters, alarms)
    return aws_resource("alerting", "AWS::CloudWatch::Alarms", "log-alerting", props, region=US)


def metric_filter(
    name: str, *events: SecurityEvent, group: str = GROUP, parsed: bool = True
) -> MetricFilter:
    return MetricFilter(name, group, "p", (f"ns/{name}",), events, parsed)


def alarm(name: str, notifies: bool = True) -> MetricAlarm:
    return MetricAlarm(f"alarm-{name}", (f"ns/{name}",), notifies)


ROOT = SecurityEvent.ROOT_USAGE


@pytest.mark.parametrize(
    ("alerts", "expected"),
    [
        (alerting(metric_filter("r", ROOT), alarms=(alarm("r"),)), Status.PASS),
        # Near misses: no notifying action; the filter on another log group; no alarm.
        (alerting(metric_filter("r", ROOT), alarms=(alarm("r", notifies=False),)), Status.FAIL),
        (
            alerting(metric_filter("r", ROOT, group=f"{PREFIX}other"), alarms=(alarm("r"),)),
            Status.FAIL,
        ),
        (alerting(metric_filter("r", ROOT)), Status.FAIL),
        (alerting(unread=True), Status.UNKNOWN),
        (alerting(metric_filter("r", ROOT), alarms=None), Status.UNKNOWN),
        # An alarmed filter the scanner cannot read might be the one: unknown, not FAIL.
        (alerting(metric_filter("x", parsed=False), alarms=(alarm("x"),)), Status.UNKNOWN),
    ],
)
def test_root_usage_alarm(alerts: Resource[Any], expected: Status) -> None:
    assert status("LOG-ALARM-01", COVERAGE, trail(), alerts) == {("coverage", expected.value)}


def test_alarms_need_a_delivering_trail_and_a_scanned_region() -> None:
    alerts = alerting(metric_filter("r", ROOT), alarms=(alarm("r"),))
    assert status("LOG-ALARM-01", COVERAGE, trail(group=""), alerts) == {("coverage", "FAIL")}
    assert status("LOG-ALARM-01", COVERAGE, trail(group=None), alerts) == {("coverage", "UNKNOWN")}
    assert status("LOG-ALARM-01", COVERAGE, trail()) == {("coverage", "UNKNOWN")}


def test_network_changes_may_be_split_across_filters() -> None:
    firewall = metric_filter("fw", *NETWORK_CHANGES[:2])
    routing = metric_filter("rt", *NETWORK_CHANGES[2:])
    both = alerting(firewall, routing, alarms=(alarm("fw"), alarm("rt")))
    one = alerting(firewall, routing, alarms=(alarm("fw"),))
    assert status("LOG-ALARM-04", COVERAGE, trail(), both) == {("coverage", "PASS")}
    assert status("LOG-ALARM-04", COVERAGE, trail(), one) == {("coverage", "FAIL")}


@pytest.mark.parametrize(
    ("rule_id", "event"),
    [
        ("LOG-ALARM-02", SecurityEvent.CONSOLE_SIGNIN_FAILURE),
        ("LOG-ALARM-03", SecurityEvent.IAM_POLICY_CHANGE),
    ],
)
def test_each_alarm_rule_wants_its_event(rule_id: str, event: SecurityEvent) -> None:
    right = alerting(metric_filter("f", event), alarms=(alarm("f"),))
    wrong = alerting(metric_filter("f", ROOT), alarms=(alarm("f"),))
    assert status(rule_id, COVERAGE, trail(), right) == {("coverage", "PASS")}
    assert status(rule_id, COVERAGE, trail(), wrong) == {("coverage", "FAIL")}


# --- Certificates ---------------------------------------------------------------------------


def certificate(days: int | None, state: str = "ISSUED", users: Any = ()) -> Resource[Any]:
    props = TlsCertificate("portal.example.org", state, "IMPORTED", "2030-01-01", days, users)
    return aws_resource("cert", "AWS::CertificateManager::Certificate", "portal", props)


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        (certificate(31), Status.PASS),
        (certificate(30), Status.FAIL),  # the warning window is inclusive
        (certificate(-1, users=("lb",)), Status.FAIL),
        (certificate(None, state="EXPIRED"), Status.FAIL),
        (certificate(None, users=None), Status.UNKNOWN),
        # Near misses: far from expiry, but no longer trusted.
        (certificate(200, state="REVOKED", users=("lb",)), Status.FAIL),
        (certificate(200, state="INACTIVE"), Status.FAIL),
    ],
)
def test_certificate_expiry(resource: Resource[Any], expected: Status) -> None:
    assert judge_one("EIT-CERT-01", resource).status is expected


def test_certificate_window_is_a_parameter_and_unissued_ones_are_not_judged() -> None:
    assert judge_one("EIT-CERT-01", certificate(45), {"expiry_warning_days": 60}).status is (
        Status.FAIL
    )
    assert status("EIT-CERT-01", certificate(None, state="PENDING_VALIDATION")) == set()


# --- WAF -------------------------------------------------------------------------------------

ALB = "arn:alb"


def lb(scheme: str = "internet-facing", lb_type: str = "application") -> Resource[Any]:
    props = LoadBalancer(lb_type, scheme, (), True, "b", True)
    return aws_resource(ALB, "AWS::ElasticLoadBalancingV2::LoadBalancer", "portal", props)


def acl(protected: tuple[str, ...] | None, logging: bool | None = True) -> Resource[Any]:
    props = WebAcl("regional", protected, logging, ("dest",) if logging else ())
    return aws_resource("acl", "AWS::WAFv2::WebACL", "waf", props)


def waf_coverage(protected: tuple[str, ...], complete: bool = True) -> Resource[Any]:
    props = WebAclCoverage(protected, complete)
    return aws_resource("waf-coverage", "AWS::WAFv2::WebACLAssociations", "wc", props)


@pytest.mark.parametrize(
    ("resources", "expected"),
    [
        ((acl((ALB,)), waf_coverage((ALB,))), {(ALB, "PASS")}),
        ((acl(()), waf_coverage(())), {(ALB, "FAIL")}),
        ((acl(None), waf_coverage((), complete=False)), {(ALB, "UNKNOWN")}),
        ((), {(ALB, "UNKNOWN")}),  # WAF not scanned in the region
    ],
)
def test_alb_behind_waf(resources: tuple[Resource[Any], ...], expected: set[Any]) -> None:
    assert status("PUB-LB-01", lb(), *resources) == expected


def test_internal_and_network_load_balancers_are_not_judged() -> None:
    assert status("PUB-LB-01", lb(scheme="internal"), waf_coverage(())) == set()
    assert status("PUB-LB-01", lb(lb_type="network"), waf_coverage(())) == set()


@pytest.mark.parametrize(
    ("logging", "expected"), [(True, Status.PASS), (False, Status.FAIL), (None, Status.UNKNOWN)]
)
def test_web_acl_logging(logging: bool | None, expected: Status) -> None:
    assert judge_one("LOG-WEBACL-01", acl((), logging)).status is expected


def test_unlisted_trails_are_unknown_never_missing() -> None:
    # DescribeTrails failed in a region: no trail seen is not "no trail".
    unread = aws_resource(
        "coverage",
        "AWS::CloudTrail::AuditCoverage",
        "audit",
        AuditCoverage(regions=(RegionCoverage(US, None, None),)),
    )
    for rule_id in ("LOG-TRAIL-06", "LOG-ALARM-01"):
        assert status(rule_id, unread) == {("coverage", "UNKNOWN")}
    # A delivering trail seen from another region still passes.
    assert status("LOG-TRAIL-06", unread, trail()) == {("coverage", "PASS")}
