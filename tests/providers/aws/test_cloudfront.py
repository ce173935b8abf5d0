"""CloudFront collector and the CDN rules, end to end under moto.

moto limits met here: an S3 origin created with an empty ``S3OriginConfig`` comes back
with neither ``S3OriginConfig`` nor ``CustomOriginConfig`` (read as an S3 REST origin, which
is what it is); VPC origins are not modelled, so they are covered by the pure-helper tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from providers.aws.services.cloudfront import cache_behaviors, interpret_distribution
from providers.base import CallCounter
from scanner.kinds.delivery import CdnDistribution
from tests.providers.aws.helpers import by_uid, failing, outcomes, scan

RULES = ("EIT-CDN-01", "EIT-CDN-02", "EIT-CDN-03", "LOG-CDN-01")


def behavior(origin: str, policy: str, path: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "TargetOriginId": origin,
        "ViewerProtocolPolicy": policy,
        "MinTTL": 0,
        "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
        "TrustedSigners": {"Enabled": False, "Quantity": 0},
    }
    if path:
        found["PathPattern"] = path
    return found


def s3_origin(ident: str) -> dict[str, Any]:
    return {
        "Id": ident,
        "DomainName": f"{ident}.s3.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""},
    }


def custom_origin(ident: str, policy: str) -> dict[str, Any]:
    return {
        "Id": ident,
        "DomainName": f"{ident}.example.com",
        "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": policy},
    }


def create(
    ref: str,
    origins: list[dict[str, Any]],
    default: dict[str, Any],
    ordered: list[dict[str, Any]],
    certificate: dict[str, Any],
    logging: bool,
    tags: dict[str, str] | None = None,
) -> str:
    config = {
        "CallerReference": ref,
        "Comment": ref,
        "Enabled": True,
        "Origins": {"Quantity": len(origins), "Items": origins},
        "DefaultCacheBehavior": default,
        "CacheBehaviors": {"Quantity": len(ordered), "Items": ordered},
        "Logging": {
            "Enabled": logging,
            "IncludeCookies": False,
            "Bucket": "cf-logs.s3.amazonaws.com" if logging else "",
            "Prefix": "",
        },
        "ViewerCertificate": certificate,
    }
    client = boto3.client("cloudfront", region_name="us-east-1")
    items = [{"Key": k, "Value": v} for k, v in (tags or {}).items()]
    answer = client.create_distribution_with_tags(
        DistributionConfigWithTags={"DistributionConfig": config, "Tags": {"Items": items}}
    )
    return str(answer["Distribution"]["ARN"])


DEFAULT_CERT = {"CloudFrontDefaultCertificate": True, "MinimumProtocolVersion": "TLSv1.2_2021"}


def custom_cert(version: str) -> dict[str, Any]:
    return {
        "CloudFrontDefaultCertificate": False,
        "SSLSupportMethod": "sni-only",
        "ACMCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc",
        "MinimumProtocolVersion": version,
    }


def seed() -> dict[str, str]:
    return {
        # allow-all default behavior on a match-viewer origin; default certificate (so
        # TLSv1 whatever the setting says); no logging: everything fails.
        "bad": create(
            "bad",
            [custom_origin("app", "match-viewer")],
            behavior("app", "allow-all"),
            [],
            DEFAULT_CERT,
            logging=False,
            tags={"phi": "yes"},
        ),
        # Decoys: S3 origin and match-viewer origin reached only over HTTPS, an https-only
        # ordered behavior, TLSv1.2_2021 with a custom certificate, logging on.
        "good": create(
            "good",
            [
                s3_origin("assets"),
                custom_origin("api", "match-viewer"),
                custom_origin("auth", "https-only"),
            ],
            behavior("assets", "redirect-to-https"),
            [
                behavior("api", "https-only", "/api/*"),
                behavior("auth", "redirect-to-https", "/auth/*"),
            ],
            custom_cert("TLSv1.2_2021"),
            logging=True,
        ),
        # Viewers are on HTTPS, but the origin is http-only and the policy is 2019 vintage;
        # an ordered allow-all behavior sends S3 traffic over HTTP too.
        "mixed": create(
            "mixed",
            [custom_origin("legacy", "http-only"), s3_origin("files")],
            behavior("legacy", "https-only"),
            [behavior("files", "allow-all", "/files/*")],
            custom_cert("TLSv1.2_2019"),
            logging=True,
        ),
    }


@pytest.fixture
def estate() -> Iterator[dict[str, str]]:
    with mock_aws():
        yield seed()


def expected(u: dict[str, str]) -> set[tuple[str, str, str]]:
    return {
        ("EIT-CDN-01", u["bad"], "FAIL"),
        ("EIT-CDN-01", u["good"], "PASS"),
        ("EIT-CDN-01", u["mixed"], "FAIL"),
        ("EIT-CDN-02", u["bad"], "FAIL"),
        ("EIT-CDN-02", u["good"], "PASS"),
        ("EIT-CDN-02", u["mixed"], "FAIL"),
        ("EIT-CDN-03", u["bad"], "FAIL"),
        ("EIT-CDN-03", u["good"], "PASS"),
        ("EIT-CDN-03", u["mixed"], "FAIL"),
        ("LOG-CDN-01", u["bad"], "FAIL"),
        ("LOG-CDN-01", u["good"], "PASS"),
        ("LOG-CDN-01", u["mixed"], "PASS"),
    }


def test_scan_outcomes(estate: dict[str, str]) -> None:
    snapshot = scan(["cloudfront"])
    assert snapshot.gaps == ()
    assert outcomes(snapshot, RULES) == expected(estate)
    # PHI scope by tag: only the tagged distribution is judged.
    assert {uid for _, uid, _ in outcomes(snapshot, RULES, phi_tags=(("phi", "yes"),))} == {
        estate["bad"]
    }


def test_facts(estate: dict[str, str]) -> None:
    found = by_uid(scan(["cloudfront"]), CdnDistribution.KIND)
    assert set(found) == set(estate.values())
    bad = found[estate["bad"]]
    assert (bad.region, bad.native_type, bad.tags) == (
        "global",
        "AWS::CloudFront::Distribution",
        {"phi": "yes"},
    )
    assert bad.name == estate["bad"].rsplit("/", 1)[-1]
    assert (
        bad.props.default_certificate,
        bad.props.minimum_protocol_version,
        bad.props.effective_minimum_protocol,
    ) == (True, "TLSv1.2_2021", "TLSv1")
    assert bad.props.logging_enabled is False and bad.props.log_bucket is None
    good = found[estate["good"]]
    assert [
        (o.id, o.origin_type, o.protocol_policy, o.sends_plaintext) for o in good.props.origins
    ] == [
        ("assets", "s3", "match-viewer", False),
        ("api", "custom", "match-viewer", False),
        ("auth", "custom", "https-only", False),
    ]
    assert [b.path_pattern for b in good.props.cache_behaviors] == ["*", "/api/*", "/auth/*"]
    assert good.props.log_bucket == "cf-logs.s3.amazonaws.com"
    mixed = found[estate["mixed"]]
    assert [(o.id, o.sends_plaintext) for o in mixed.props.origins] == [
        ("legacy", True),
        ("files", True),
    ]


def test_config_denied_is_unknown(estate: dict[str, str]) -> None:
    with failing("cloudfront.GetDistributionConfig"):
        snapshot = scan(["cloudfront"])
    found = by_uid(snapshot, CdnDistribution.KIND)
    assert all(r.props.logging_enabled is None for r in found.values())
    assert {(g.operation, g.error_code, g.resource_uid, g.region) for g in snapshot.gaps} == {
        ("GetDistributionConfig", "AccessDenied", uid, "global") for uid in found
    }
    want = {w for w in expected(estate) if w[0] != "LOG-CDN-01"}
    want |= {("LOG-CDN-01", uid, "UNKNOWN") for uid in found}
    assert outcomes(snapshot, RULES) == want


def test_listing_denied_is_a_gap(estate: dict[str, str]) -> None:
    with failing("cloudfront.ListDistributions"):
        snapshot = scan(["cloudfront"])
    assert snapshot.resources == ()
    assert [(g.service, g.operation) for g in snapshot.gaps] == [
        ("cloudfront", "ListDistributions")
    ]


def test_one_call_per_distribution(estate: dict[str, str]) -> None:
    counter = CallCounter()
    scan(["cloudfront"], counter=counter)
    # A global service: listed once for the whole scan, not once per region.
    assert counter.counts["cloudfront.ListDistributions"] == 1
    assert counter.counts["cloudfront.GetDistributionConfig"] == 3
    assert counter.counts["cloudfront.ListTagsForResource"] == 3


# Pure helpers -----------------------------------------------------------------------------


def test_origin_groups_and_vpc_origins() -> None:
    summary = {
        "Id": "E1",
        "Enabled": True,
        "Origins": {
            "Items": [
                {
                    "Id": "primary",
                    "DomainName": "a.example.com",
                    "CustomOriginConfig": {"OriginProtocolPolicy": "match-viewer"},
                },
                {
                    "Id": "backup",
                    "DomainName": "b.s3.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                },
                {
                    "Id": "private",
                    "DomainName": "internal",
                    "VpcOriginConfig": {"VpcOriginId": "v"},
                },
            ]
        },
        "OriginGroups": {
            "Items": [
                {
                    "Id": "group",
                    "Members": {"Items": [{"OriginId": "primary"}, {"OriginId": "backup"}]},
                }
            ]
        },
        "DefaultCacheBehavior": {"TargetOriginId": "group", "ViewerProtocolPolicy": "allow-all"},
        "ViewerCertificate": {
            "CloudFrontDefaultCertificate": False,
            "MinimumProtocolVersion": "TLSv1.2_2021",
        },
    }
    facts = interpret_distribution(summary, None, logging_read=False)
    assert [(o.id, o.sends_plaintext) for o in facts.origins] == [
        ("primary", True),
        ("backup", True),
        ("private", None),
    ]
    assert facts.effective_minimum_protocol == "TLSv1.2_2021"
    assert facts.logging_enabled is None
    assert cache_behaviors({"DefaultCacheBehavior": {}})[0].path_pattern == "*"


@pytest.mark.parametrize(
    ("protocols", "expected"),
    [
        (["TLSv1", "TLSv1.1", "TLSv1.2"], "FAIL"),  # the reported case: https-only, TLSv1 on
        (["SSLv3", "TLSv1.2"], "FAIL"),
        (["TLSv1.1", "TLSv1.2"], "FAIL"),
        (["TLSv1.2"], "PASS"),  # near miss: modern protocols only
    ],
)
def test_origin_ssl_protocols(protocols: list[str], expected: str) -> None:
    """Item 11: an https-only origin that still allows SSLv3/TLSv1/TLSv1.1."""
    origin = custom_origin("api", "https-only")
    origin["CustomOriginConfig"]["OriginSslProtocols"] = {
        "Quantity": len(protocols),
        "Items": protocols,
    }
    with mock_aws():
        uid = create(
            "tls", [origin], behavior("api", "redirect-to-https"), [], DEFAULT_CERT, logging=True
        )
        snapshot = scan(["cloudfront"], ["us-east-1"])
    assert outcomes(snapshot, ["EIT-CDN-03", "EIT-CDN-04"]) == {
        ("EIT-CDN-03", uid, "PASS"),
        ("EIT-CDN-04", uid, expected),
    }
    (dist,) = by_uid(snapshot, CdnDistribution.KIND).values()
    assert dist.props.origins[0].tls_protocols == tuple(sorted(protocols))


def test_origin_protocols_missing_from_the_answer_are_unknown() -> None:
    summary = {
        "Id": "E1",
        "Origins": {"Items": [custom_origin("api", "https-only")]},
        "DefaultCacheBehavior": behavior("api", "https-only"),
    }
    props = interpret_distribution(summary, None, False)
    assert (props.origins[0].tls_protocols, props.origins[0].allows_legacy_tls) == (None, None)
    http_only = {**summary, "Origins": {"Items": [custom_origin("api", "http-only")]}}
    assert interpret_distribution(http_only, None, False).origins[0].allows_legacy_tls is False


def _delivered(client_arn: str) -> None:
    logs = boto3.client("logs", region_name="us-east-1")
    logs.put_delivery_source(name="src", resourceArn=client_arn, logType="ACCESS_LOGS")
    destination = logs.put_delivery_destination(
        name="dst",
        deliveryDestinationConfiguration={"destinationResourceArn": "arn:aws:s3:::cf-logs"},
    )["deliveryDestination"]
    logs.create_delivery(deliverySourceName="src", deliveryDestinationArn=destination["arn"])


def test_standard_logging_v2_counts_and_unreadable_deliveries_are_unknown() -> None:
    """Item 16: logging through a CloudWatch Logs delivery, legacy logging off."""
    with mock_aws():
        v2 = create(
            "v2", [s3_origin("a")], behavior("a", "https-only"), [], DEFAULT_CERT, logging=False
        )
        source_only = create(
            "src", [s3_origin("b")], behavior("b", "https-only"), [], DEFAULT_CERT, logging=False
        )
        none = create(
            "none", [s3_origin("c")], behavior("c", "https-only"), [], DEFAULT_CERT, logging=False
        )
        _delivered(v2)
        # A delivery source with no delivery sends nothing anywhere.
        boto3.client("logs", region_name="us-east-1").put_delivery_source(
            name="idle", resourceArn=source_only, logType="ACCESS_LOGS"
        )
        snapshot = scan(["cloudfront"], ["us-east-1"])
        with failing("logs.DescribeDeliverySources"):
            denied = scan(["cloudfront"], ["us-east-1"])
    assert outcomes(snapshot, ["LOG-CDN-01"]) == {
        ("LOG-CDN-01", v2, "PASS"),
        ("LOG-CDN-01", source_only, "FAIL"),
        ("LOG-CDN-01", none, "FAIL"),
    }
    assert outcomes(denied, ["LOG-CDN-01"]) == {
        ("LOG-CDN-01", uid, "UNKNOWN") for uid in (v2, source_only, none)
    }


def test_real_time_logs_on_every_behavior_count() -> None:
    rt = "arn:aws:cloudfront::123456789012:realtime-log-config/rt"
    every = {
        "Id": "E1",
        "Origins": {"Items": [s3_origin("a")]},
        "DefaultCacheBehavior": {**behavior("a", "https-only"), "RealtimeLogConfigArn": rt},
        "CacheBehaviors": {
            "Items": [{**behavior("a", "https-only", "/api/*"), "RealtimeLogConfigArn": rt}]
        },
    }
    assert interpret_distribution(every, {"Enabled": False}, True).realtime_logging is True
    # Near miss: one behavior without real-time logs leaves its requests unrecorded.
    partial = {**every, "CacheBehaviors": {"Items": [behavior("a", "https-only", "/api/*")]}}
    assert interpret_distribution(partial, {"Enabled": False}, True).realtime_logging is False
